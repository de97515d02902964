"""Rendered parts into one PDF: pages, bookmarks, link targets, page labels and PDF/UA tags.

Each part is a tagged PDF from WeasyPrint. Its structure tree becomes one element
(an ``Art`` for a post) under the book's ``Document``; the keys of its parent tree
(which tie marked content and link annotations to the tree) are shifted past those
of the parts before it. Link targets are kept only from the part that owns them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from pypdf import PdfReader, PdfWriter
from pypdf.constants import PageLabelStyle
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)


@dataclass(frozen=True)
class Part:
    """One rendered PDF of the book; ``key`` prefixes the link targets it owns."""

    path: Path
    key: str
    role: str = "/Art"
    label_style: PageLabelStyle = PageLabelStyle.DECIMAL
    first_number: int = 1


def merge_parts(parts: Sequence[Part], out: Path, language: str) -> int:
    """Write the parts as one PDF to ``out``; the book's metadata is the first part's. Returns pages."""
    writer = PdfWriter()
    document = DictionaryObject(
        {NameObject("/Type"): NameObject("/StructElem"), NameObject("/S"): NameObject("/Document")}
    )
    kids = ArrayObject()
    document[NameObject("/K")] = kids
    document_ref = writer._add_object(document)
    parent_tree = ArrayObject()
    destinations: list[tuple[str, Any]] = []
    next_key = 0
    for index, part in enumerate(parts):
        reader = PdfReader(part.path)
        first = len(writer.pages)
        for page in reader.pages:
            writer.add_page(page)
        if index == 0:
            _copy_book_metadata(reader, writer)
        next_key = _adopt_structure(reader, writer, part, first, next_key, document_ref, kids, parent_tree)
        destinations += _owned_destinations(reader, writer, part.key)
        _copy_outline(reader, writer, reader.outline, first, None)
        writer.set_page_label(first, len(writer.pages) - 1, style=part.label_style, start=part.first_number)
    root = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/StructTreeRoot"),
            NameObject("/K"): document_ref,
            NameObject("/ParentTree"): writer._add_object(DictionaryObject({NameObject("/Nums"): parent_tree})),
            NameObject("/ParentTreeNextKey"): NumberObject(next_key),
        }
    )
    root_ref = writer._add_object(root)
    document[NameObject("/P")] = root_ref
    catalog = writer._root_object
    catalog[NameObject("/StructTreeRoot")] = root_ref
    catalog[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"): BooleanObject(True)})
    catalog[NameObject("/ViewerPreferences")] = DictionaryObject({NameObject("/DisplayDocTitle"): BooleanObject(True)})
    catalog[NameObject("/Lang")] = TextStringObject(language)
    _write_destinations(writer, destinations)
    writer.page_mode = "/UseOutlines"
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.part")  # never a half-written book under the real name
    with open(partial, "wb") as stream:
        writer.write(stream)
    partial.replace(out)
    return len(writer.pages)


def _adopt_structure(
    reader: PdfReader,
    writer: PdfWriter,
    part: Part,
    first: int,
    next_key: int,
    document_ref: Any,
    kids: ArrayObject,
    parent_tree: ArrayObject,
) -> int:
    """Hang the part's tagged content under the book's Document; returns the next free parent-tree key."""
    tree = _catalog(reader).get("/StructTreeRoot")
    if tree is None:
        return next_key
    tree = tree.get_object()
    top = tree["/K"]
    top = top[0] if isinstance(top, ArrayObject) else top
    element = top.get_object()
    del element["/P"]  # not the part's own tree root: it is not copied
    element[NameObject("/S")] = NameObject(part.role)
    adopted = element.clone(writer)
    adopted[NameObject("/P")] = document_ref
    kids.append(adopted.indirect_reference)
    nums: Any = tree["/ParentTree"].get_object()["/Nums"]
    highest = -1
    for position in range(0, len(nums), 2):
        key = int(nums[position])
        highest = max(highest, key)
        parent_tree.append(NumberObject(next_key + key))
        parent_tree.append(nums[position + 1].clone(writer))
    for source, page in zip(reader.pages, writer.pages[first:], strict=True):
        # pypdf drops a copied page's /StructParents (they mean nothing outside their own tree).
        if "/StructParents" in source:
            page[NameObject("/StructParents")] = NumberObject(next_key + int(cast(Any, source["/StructParents"])))
        for reference in page.get("/Annots", ()):
            annotation: Any = reference.get_object()
            if "/StructParent" in annotation:
                annotation[NameObject("/StructParent")] = NumberObject(next_key + int(annotation["/StructParent"]))
    return next_key + highest + 1


def _owned_destinations(reader: PdfReader, writer: PdfWriter, key: str) -> list[tuple[str, Any]]:
    names = _catalog(reader).get("/Names", {}).get("/Dests", {}).get("/Names", [])
    owned = []
    for position in range(0, len(names), 2):
        name = str(names[position])
        if name == key or name.startswith(f"{key}--"):
            owned.append((name, names[position + 1].clone(writer)))
    return owned


def _write_destinations(writer: PdfWriter, destinations: list[tuple[str, Any]]) -> None:
    """One flat name tree; its keys must be sorted."""
    flat = ArrayObject()
    for name, destination in sorted(destinations, key=lambda item: item[0]):
        flat.append(TextStringObject(name))
        flat.append(destination)
    dests = DictionaryObject({NameObject("/Names"): flat})
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/Dests"): writer._add_object(dests)})


def _copy_outline(reader: PdfReader, writer: PdfWriter, items: list[Any], first: int, parent: Any) -> None:
    previous = None
    for item in items:
        if isinstance(item, list):
            if previous is not None:
                _copy_outline(reader, writer, item, first, previous)
            continue
        page = reader.get_destination_page_number(item) or 0
        previous = writer.add_outline_item(title=str(item.title), page_number=first + page, parent=parent)


def _copy_book_metadata(reader: PdfReader, writer: PdfWriter) -> None:
    """Title, author, keywords and dates (Info and XMP) as WeasyPrint wrote them for the first part."""
    if reader.metadata:
        writer.add_metadata({key: value for key, value in reader.metadata.items() if key != "/Producer"})
    xmp = _catalog(reader).get("/Metadata")
    if xmp is not None:
        writer._root_object[NameObject("/Metadata")] = xmp.clone(writer).indirect_reference


def _catalog(reader: PdfReader) -> Any:
    return reader.trailer["/Root"].get_object()
