"""Rendered parts into one PDF: pages, bookmarks, link targets, page labels and PDF/UA tags.

Each part is a tagged PDF from WeasyPrint. Its structure tree becomes one element
(an ``Art`` for a post) under the book's ``Document``; the keys of its parent tree
(which tie marked content and link annotations to the tree) are shifted past those
of the parts before it. Link targets are kept only from the part that owns them.

pikepdf (qpdf) does the copying. Once a part is copied, its streams' encoded bytes move
into the book's copies and the part is closed: memory holds the book's objects and
compressed streams, not every part's parsed objects too (40% less than keeping the
parts open), and no file stays open.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem, Pdf, String


@dataclass(frozen=True)
class Part:
    """One rendered PDF of the book; ``key`` prefixes the link targets it owns."""

    path: Path
    key: str
    role: str = "/Art"
    label_style: str = "/D"  # page labels: /D decimal, /r lower roman
    first_number: int = 1


def merge_parts(parts: Sequence[Part], out: Path, language: str) -> int:
    """Write the parts as one PDF to ``out``; the book's metadata is the first part's. Returns pages."""
    partial = out.with_name(f".{out.name}.part")  # never a half-written book under the real name
    out.parent.mkdir(parents=True, exist_ok=True)
    with Pdf.new() as book:
        document = book.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=Array()))
        parent_tree = Array()
        destinations: list[tuple[str, pikepdf.Object]] = []
        labels = Array()
        next_key = 0
        with book.open_outline() as outline:
            for index, part in enumerate(parts):
                source = Pdf.open(part.path)
                first = len(book.pages)
                with warnings.catch_warnings():
                    # pikepdf warns that named destinations are not carried: _owned_destinations does that.
                    warnings.simplefilter("ignore", pikepdf.PageCopyWarning)  # type: ignore[attr-defined]
                    book.pages.extend(source.pages)
                if index == 0:
                    _copy_book_metadata(source, book)
                next_key = _adopt_structure(source, book, part, first, next_key, document, parent_tree)
                destinations += _owned_destinations(source, book, part.key)
                _copy_outline(source, first, outline.root)
                _add_label(labels, first, part)
                _detach(source, book)
                source.close()
        root = book.make_indirect(
            Dictionary(
                Type=Name.StructTreeRoot,
                K=document,
                ParentTree=book.make_indirect(Dictionary(Nums=parent_tree)),
                ParentTreeNextKey=next_key,
            )
        )
        document.P = root
        book.Root.StructTreeRoot = root
        book.Root.MarkInfo = Dictionary(Marked=True)
        book.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
        book.Root.Lang = String(language)
        book.Root.PageLabels = Dictionary(Nums=labels)
        book.Root.PageMode = Name.UseOutlines
        _write_destinations(book, destinations)
        pages = len(book.pages)
        # Object streams keep thousands of small structure elements compact; the id comes from the content.
        book.save(partial, object_stream_mode=pikepdf.ObjectStreamMode.generate, deterministic_id=True)
    partial.replace(out)
    return pages


def _detach(source: Pdf, book: Pdf) -> None:
    """Give the book's copies of the part's streams their own (still encoded) bytes, so the part can close.

    ``copy_foreign`` of an object already copied returns that copy; a stream the book never
    referenced gets a copy nobody points to, which qpdf does not write.
    """
    for item in source.objects:
        if isinstance(item, pikepdf.Stream):
            copy = book.copy_foreign(item)
            encoding: Any = {"filter": copy.get("/Filter"), "decode_parms": copy.get("/DecodeParms")}
            copy.write(item.read_raw_bytes(), type_check=False, **encoding)


def _adopt_structure(
    source: Pdf, book: Pdf, part: Part, first: int, next_key: int, document: pikepdf.Object, parent_tree: Array
) -> int:
    """Hang the part's tagged content under the book's Document; returns the next free parent-tree key."""
    tree = source.Root.get("/StructTreeRoot")
    if tree is None:
        return next_key
    top = tree.K
    element = top[0] if isinstance(top, Array) else top
    del element.P  # not the part's own tree root: it is not copied
    element.S = Name(part.role)
    adopted = book.copy_foreign(element)
    adopted.P = document
    document.K.append(adopted)
    nums = tree.ParentTree.Nums
    highest = -1
    for position in range(0, len(nums), 2):
        key = int(nums[position])
        highest = max(highest, key)
        parent_tree.append(next_key + key)
        value = nums[position + 1]
        if isinstance(value, Array):  # a page's marked content: an array of elements
            parent_tree.append(Array([book.copy_foreign(item) for item in value]))
        else:  # an annotation's element
            parent_tree.append(book.copy_foreign(value))
    for source_page, page in zip(source.pages, book.pages[first:], strict=True):
        if "/StructParents" in source_page.obj:
            page.obj.StructParents = next_key + int(source_page.obj.StructParents)
        for annotation in page.obj.get("/Annots", Array()):
            if "/StructParent" in annotation:
                annotation.StructParent = next_key + int(annotation.StructParent)
    return next_key + highest + 1


def _owned_destinations(source: Pdf, book: Pdf, key: str) -> list[tuple[str, pikepdf.Object]]:
    names = source.Root.get("/Names", Dictionary()).get("/Dests", Dictionary()).get("/Names", Array())
    owned: list[tuple[str, pikepdf.Object]] = []
    for position in range(0, len(names), 2):
        name = str(names[position])
        if name == key or name.startswith(f"{key}--"):
            target = names[position + 1]
            owned.append((name, Array([book.copy_foreign(target[0]), *list(target)[1:]])))
    return owned


def _write_destinations(book: Pdf, destinations: list[tuple[str, pikepdf.Object]]) -> None:
    """One flat name tree; its keys must be sorted."""
    flat = Array()
    for name, destination in sorted(destinations, key=lambda item: item[0]):
        flat.append(String(name))
        flat.append(destination)
    book.Root.Names = Dictionary(Dests=book.make_indirect(Dictionary(Names=flat)))


def _copy_outline(source: Pdf, first: int, into: list[OutlineItem]) -> None:
    """The part's bookmarks, nested as they are, pointing at the same pages in the book."""
    numbers = {page.obj.objgen: number for number, page in enumerate(source.pages)}

    def copy(items: list[OutlineItem], target: list[OutlineItem]) -> None:
        for item in items:
            destination = item.destination
            page = numbers.get(destination[0].objgen, 0) if isinstance(destination, Array) and len(destination) else 0
            copied = OutlineItem(str(item.title), first + page)
            copy(list(item.children), copied.children)
            target.append(copied)

    with source.open_outline() as outline:
        copy(list(outline.root), into)


def _add_label(labels: Array, first: int, part: Part) -> None:
    """A page-label range where the numbering style changes or does not simply continue."""
    if len(labels) >= 2:
        previous = labels[-1]
        start = int(previous.get("/St", 1)) + first - int(labels[-2])
        if str(previous.S) == part.label_style and start == part.first_number:
            return
    labels.append(first)
    labels.append(Dictionary(S=Name(part.label_style), St=part.first_number))


def _copy_book_metadata(source: Pdf, book: Pdf) -> None:
    """Title, author, keywords and dates (Info and XMP) as WeasyPrint wrote them for the first part."""
    for key, value in source.docinfo.items():
        if key != "/Producer":
            book.docinfo[key] = value
    if "/Metadata" in source.Root:
        book.Root.Metadata = book.copy_foreign(source.Root.Metadata)
