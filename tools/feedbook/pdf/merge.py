"""Rendered parts into one PDF: pages, bookmarks, link targets, page labels and PDF/UA tags.

Each part is a tagged PDF from WeasyPrint. Its structure tree becomes one element
(an ``Art`` for a post) under the book's ``Document``; the keys of its parent tree
(which tie marked content and link annotations to the tree) are shifted past those
of the parts before it. Link targets are kept only from the part that owns them.

The book is streamed: qpdf (through pikepdf) reads one part at a time and its
objects are written out renumbered (``pdf_writer``) before the next part is opened.
qpdf's own writer needs every object of the book in memory at once, which grew by
0.7 MB a post; this keeps a few numbers per object and per post. The book-wide
objects (page tree, structure root, bookmarks, name and number trees) are written
last, from those numbers.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf, String

from .book_fonts import SUBSET_TAG, BookFonts
from .pdf_writer import PdfWriter


@dataclass(frozen=True)
class Part:
    """One rendered PDF of the book; ``key`` prefixes the link targets it owns."""

    path: Path
    key: str
    role: str = "/Art"
    label_style: str = "/D"  # page labels: /D decimal, /r lower roman
    first_number: int = 1


@dataclass
class _Bookmark:
    title: str
    destination: bytes  # already renumbered into the book
    children: list[_Bookmark] = field(default_factory=list)


@dataclass
class _Leaf:
    """One part's share of a name or number tree, written as a leaf node of the book's tree."""

    low: bytes
    high: bytes
    number: int


@dataclass
class _Book:
    """What the book-wide objects need, gathered part by part."""

    writer: PdfWriter
    pages_root: int
    document: int
    pages: list[int] = field(default_factory=list)
    articles: list[int] = field(default_factory=list)
    parent_leaves: list[_Leaf] = field(default_factory=list)
    destination_leaves: list[_Leaf] = field(default_factory=list)
    bookmarks: list[_Bookmark] = field(default_factory=list)
    labels: list[tuple[int, str, int]] = field(default_factory=list)  # first page, style, first number
    next_key: int = 0
    metadata: int | None = None
    info: int | None = None
    # Streams that refer to nothing (font programs, images) written once for the whole book: the
    # parts embed the same subset of a font, or the same picture, again and again.
    shared_streams: dict[bytes, int] = field(default_factory=dict)
    fonts: BookFonts | None = None  # one program per font for the whole book


def merge_parts(
    parts: Sequence[Part],
    out: Path,
    language: str,
    links: bool = True,
    whole_fonts: bool = False,
    font_store: Path | None = None,
    font_glyphs: Mapping[str, set[int]] | None = None,
) -> int:
    """Write the parts as one PDF to ``out``; the book's metadata is the first part's. Returns pages.

    Without ``links`` (a printer that forbids them), the book has no link annotations, named
    targets or bookmarks; ``whole_fonts`` says the parts embed whole fonts, which are then not
    named as subsets. With ``font_store`` (where the parts' original fonts are kept) and
    ``font_glyphs`` (what every part draws with each), each font is embedded once for the whole
    book (``book_fonts``).
    """
    partial = out.with_name(f".{out.name}.part")  # never a half-written book under the real name
    out.parent.mkdir(parents=True, exist_ok=True)
    fonts = BookFonts(font_store, font_glyphs) if font_store is not None and font_glyphs else None
    with partial.open("wb") as file:
        writer = PdfWriter(file)
        book = _Book(writer, pages_root=writer.reserve(), document=writer.reserve(), fonts=fonts)
        for index, part in enumerate(parts):
            with Pdf.open(part.path) as source:
                if not links:
                    _drop_links(source)
                if whole_fonts:
                    name_whole_fonts(source)
                _copy_part(source, part, book, with_metadata=index == 0)
        _finish(book, language)
    partial.replace(out)
    return len(book.pages)


# --- one part --------------------------------------------------------------------------------------

# A reference "n g R", or a literal or hex string (skipped: its text may look like a reference).
# qpdf's unparse escapes every parenthesis inside a literal string, so a string ends at the first
# unescaped ")".
_TOKEN = re.compile(rb"\((?:[^\\)]|\\.)*\)|<[0-9A-Fa-f\s]*>|(?<![\d.+-])(\d+) (\d+) R", re.DOTALL)
# Objects that belong to a part as a document, never copied into the book.
_NOT_COPIED = frozenset({"/Catalog", "/Pages", "/StructTreeRoot", "/Outlines", "/ObjStm", "/XRef"})


class _Copier:
    """Copies objects of one part into the book: each once, with every reference renumbered."""

    def __init__(
        self, source: Pdf, writer: PdfWriter, shared: dict[bytes, int] | None = None, fonts: BookFonts | None = None
    ) -> None:
        self._source = source
        self._writer = writer
        self._fonts = fonts
        self._shared = shared if shared is not None else {}
        self._raw: dict[tuple[int, int], bytes] = {}  # streams read once to be told apart, kept for the copy
        self._numbers: dict[tuple[int, int], int] = {}
        self._queue: list[pikepdf.Object] = []
        self._replaced: dict[tuple[int, int], tuple[str, bytes]] = {}  # a dictionary's entry set in the copy

    def number(self, item: pikepdf.Object) -> int:
        """The book's number for an indirect object of the part, queued for copying."""
        return self._number_of(item.objgen)

    def set_entry(self, item: pikepdf.Object, key: str, value: bytes) -> None:
        """Give the copy of the dictionary ``item`` the entry ``key`` = ``value`` (in the book's numbers)."""
        self._replaced[item.objgen] = (key, value)

    def renumber(self, unparsed: bytes) -> bytes:
        return _TOKEN.sub(self._replace, unparsed)

    def copy_all(self) -> None:
        """Write every queued object and every object it refers to."""
        while self._queue:
            item = self._queue.pop()
            number = self._numbers[item.objgen]
            if self._fonts is not None and isinstance(item, Dictionary) and item.get("/Type") == "/FontDescriptor":
                self._use_book_font(item, self._fonts)
            if isinstance(item, pikepdf.Stream):
                raw = self._raw.pop(item.objgen, None) or item.read_raw_bytes()
                dictionary = Dictionary(dict(item.stream_dict.items()))  # a shallow copy: the part stays readable
                if "/Length" in dictionary:
                    del dictionary["/Length"]
                self._writer.add_stream(number, self.renumber(dictionary.unparse(resolved=True)), raw)
            elif isinstance(item, Dictionary) and str(item.get("/Type", "")) in _NOT_COPIED:
                self._writer.add(number, b"null")
            elif item.objgen in self._replaced:
                key, value = self._replaced[item.objgen]
                dictionary = Dictionary(dict(item.items()))
                if key in dictionary:
                    del dictionary[key]
                body = self.renumber(dictionary.unparse(resolved=True))
                self._writer.add(number, b"<< %s %s " % (key.encode(), value) + body[2:])
            else:
                self._writer.add(number, self.renumber(item.unparse(resolved=True)))

    def _use_book_font(self, descriptor: Dictionary, fonts: BookFonts) -> None:
        """The descriptor points at the book's one program of its font (written at its first use),
        and the part's own subset is not copied."""
        found = fonts.program_for(descriptor)
        if found is None:
            return
        key, tag = found
        number = fonts.numbers.get((tag, key))
        if number is None:
            program = fonts.program(tag, key)
            if program is None:
                return
            number = fonts.numbers[(tag, key)] = self._writer.reserve()
            self._writer.add_stream(number, *program)
        self.set_entry(descriptor, key, b"%d 0 R" % number)

    def _replace(self, match: re.Match[bytes]) -> bytes:
        if match.group(1) is None:
            return match.group(0)
        return b"%d 0 R" % self._number_of((int(match.group(1)), int(match.group(2))))

    def _stream_key(self, item: pikepdf.Object) -> bytes | None:
        """A stream's identity by content, when its dictionary refers to no other object (so the same
        bytes mean the same thing in every part); None for anything else."""
        if not isinstance(item, pikepdf.Stream):
            return None
        dictionary = item.stream_dict.unparse(resolved=False)
        if any(match.group(1) for match in _TOKEN.finditer(dictionary)):
            return None
        raw = self._raw[item.objgen] = item.read_raw_bytes()
        return hashlib.sha256(dictionary + b"\0" + raw).digest()

    def _number_of(self, objgen: tuple[int, int]) -> int:
        number = self._numbers.get(objgen)
        if number is None:
            item = self._source.get_object(objgen)
            same = self._stream_key(item)
            if same is not None and same in self._shared:
                self._raw.pop(objgen, None)
                number = self._numbers[objgen] = self._shared[same]  # written by an earlier part
                return number
            number = self._numbers[objgen] = self._writer.reserve()
            if same is not None:
                self._shared[same] = number
            self._queue.append(item)
        return number


def _drop_links(source: Pdf) -> None:
    """No link annotations, targets or bookmarks: paper cannot click (the print HTML prints the URLs)."""
    for page in source.pages:
        if "/Annots" in page.obj:
            del page.obj["/Annots"]
    if "/Names" in source.Root:
        del source.Root["/Names"]
    if "/Outlines" in source.Root:
        del source.Root["/Outlines"]


def name_whole_fonts(source: Pdf) -> None:
    """Fonts embedded whole (WeasyPrint's ``full_fonts``) lose the "ABCDEF+" tag that marks a subset,
    which WeasyPrint gives every font and which a printer's preflight reads as "not fully embedded"."""
    for item in source.objects:
        if not isinstance(item, Dictionary):
            continue
        for key in ("/BaseFont", "/FontName"):
            name = item.get(key)
            tag = SUBSET_TAG.match(str(name)) if isinstance(name, Name) else None
            if tag is not None:
                item[key] = Name("/" + str(name)[tag.end() :])


def _copy_part(source: Pdf, part: Part, book: _Book, with_metadata: bool) -> None:
    copier = _Copier(source, book.writer, book.shared_streams, book.fonts)
    first = len(book.pages)
    for page in source.pages:
        book.pages.append(copier.number(page.obj))
        copier.set_entry(page.obj, "/Parent", b"%d 0 R" % book.pages_root)
    _adopt_structure(source, part, book, copier)
    _add_destinations(source, part.key, book, copier)
    with source.open_outline() as outline:
        book.bookmarks += _bookmarks(list(outline.root), copier.renumber)
    if len(book.pages) > first:
        _add_label(book.labels, first, part)
    if with_metadata:
        _copy_metadata(source, book, copier)
    copier.copy_all()


def _adopt_structure(source: Pdf, part: Part, book: _Book, copier: _Copier) -> None:
    """Hang the part's tagged content under the book's Document, its parent-tree keys shifted."""
    tree = source.Root.get("/StructTreeRoot")
    if tree is None:
        return
    top = tree.K
    if (isinstance(top, Array) and len(top) != 1) or "/Nums" not in tree.ParentTree:
        # WeasyPrint writes one top element and a flat parent tree; anything else would be lost here.
        raise ValueError(f"{part.path.name}: a structure tree this merge does not know")
    element = top[0] if isinstance(top, Array) else top
    element.S = Name(part.role)
    book.articles.append(copier.number(element))
    copier.set_entry(element, "/P", b"%d 0 R" % book.document)  # not the part's own tree root
    shift = book.next_key
    for page in source.pages:
        if "/StructParents" in page.obj:
            page.obj.StructParents = shift + int(page.obj.StructParents)
        for annotation in page.obj.get("/Annots", Array()):
            if "/StructParent" in annotation:
                annotation.StructParent = shift + int(annotation.StructParent)
    nums = tree.ParentTree.Nums
    keys = [int(nums[position]) for position in range(0, len(nums), 2)]
    if not keys:
        return
    for position, key in zip(range(0, len(nums), 2), keys, strict=True):
        nums[position] = shift + key
    low, high = shift + min(keys), shift + max(keys)
    leaf = source.make_indirect(Dictionary(Limits=Array([low, high]), Nums=nums))
    book.parent_leaves.append(_Leaf(b"%d" % low, b"%d" % high, copier.number(leaf)))
    book.next_key = high + 1


def _add_destinations(source: Pdf, key: str, book: _Book, copier: _Copier) -> None:
    """The named link targets this part owns (``key`` and ``key--…``), as one leaf of the book's name tree."""
    names = source.Root.get("/Names", Dictionary()).get("/Dests", Dictionary()).get("/Names", Array())
    owned = sorted(
        (bytes(names[position]), names[position + 1])
        for position in range(0, len(names), 2)
        if str(names[position]) == key or str(names[position]).startswith(f"{key}--")
    )
    if not owned:
        return
    flat = Array()
    for name, target in owned:
        flat.append(String(name))
        flat.append(target)
    leaf = source.make_indirect(Dictionary(Limits=Array([String(owned[0][0]), String(owned[-1][0])]), Names=flat))
    book.destination_leaves.append(_Leaf(owned[0][0], owned[-1][0], copier.number(leaf)))


def _bookmarks(items: Sequence[pikepdf.OutlineItem], renumber: Callable[[bytes], bytes]) -> list[_Bookmark]:
    """The part's bookmarks, nested as they are, their targets (pages of the part) in the book's numbers."""
    found = []
    for item in items:
        destination = item.destination
        target = renumber(destination.unparse()) if isinstance(destination, Array) else b"null"
        found.append(_Bookmark(str(item.title), target, _bookmarks(list(item.children), renumber)))
    return found


def _add_label(labels: list[tuple[int, str, int]], first: int, part: Part) -> None:
    """A page-label range where the numbering style changes or does not simply continue."""
    if labels:
        start, style, number = labels[-1]
        if style == part.label_style and number + first - start == part.first_number:
            return
    labels.append((first, part.label_style, part.first_number))


def _copy_metadata(source: Pdf, book: _Book, copier: _Copier) -> None:
    """Title, author, keywords and dates (Info and XMP) as WeasyPrint wrote them for this part."""
    info = Dictionary({key: value for key, value in source.docinfo.items() if key != "/Producer"})
    book.info = copier.number(source.make_indirect(info))
    if "/Metadata" in source.Root:
        book.metadata = copier.number(source.Root.Metadata)


# --- the book-wide objects -----------------------------------------------------------------------


def _finish(book: _Book, language: str) -> None:
    writer = book.writer
    references = b" ".join(b"%d 0 R" % number for number in book.pages)
    writer.add(book.pages_root, b"<< /Type /Pages /Count %d /Kids [ %s ] >>" % (len(book.pages), references))
    structure = _write_structure(book) if book.articles else None
    if structure is None:
        writer.add(book.document, b"null")  # an untagged book (a print interior): no Document element
    destinations = _tree_root(writer, book.destination_leaves, order=bytes)
    outline = _write_outline(writer, book.bookmarks)
    labels = b" ".join(
        b"%d << /S %s /St %d >>" % (first, style.encode(), number) for first, style, number in book.labels
    )
    catalog = writer.reserve()
    entries = [b"/Type /Catalog", b"/Pages %d 0 R" % book.pages_root]
    if structure is not None:
        entries += [b"/StructTreeRoot %d 0 R" % structure, b"/MarkInfo << /Marked true >>"]
    entries += [
        b"/ViewerPreferences << /DisplayDocTitle true >>",
        b"/Lang %s" % String(language).unparse(),
        b"/PageLabels << /Nums [ %s ] >>" % labels,
    ]
    if outline is not None:
        entries.append(b"/PageMode /UseOutlines")
    if destinations is not None:
        entries.append(b"/Names << /Dests %d 0 R >>" % destinations)
    if outline is not None:
        entries.append(b"/Outlines %d 0 R" % outline)
    if book.metadata is not None:
        entries.append(b"/Metadata %d 0 R" % book.metadata)
    writer.add(catalog, b"<< " + b" ".join(entries) + b" >>")
    writer.finish(catalog, book.info)


def _write_structure(book: _Book) -> int:
    """The book's structure tree: its Document holds each part's element; returns the tree's root."""
    writer = book.writer
    tree_root = writer.reserve()
    articles = b" ".join(b"%d 0 R" % number for number in book.articles)
    writer.add(book.document, b"<< /Type /StructElem /S /Document /P %d 0 R /K [ %s ] >>" % (tree_root, articles))
    parent_tree = _tree_root(writer, book.parent_leaves, order=int) or _empty(writer, b"<< /Nums [ ] >>")
    writer.add(
        tree_root,
        b"<< /Type /StructTreeRoot /K %d 0 R /ParentTree %d 0 R /ParentTreeNextKey %d >>"
        % (book.document, parent_tree, book.next_key),
    )
    return tree_root


def _empty(writer: PdfWriter, body: bytes) -> int:
    number = writer.reserve()
    writer.add(number, body)
    return number


def _tree_root(writer: PdfWriter, leaves: list[_Leaf], order: Callable[[bytes], Any]) -> int | None:
    """A name or number tree's root over the parts' leaves, which never overlap (each part owns a range)."""
    if not leaves:
        return None
    ordered = sorted(leaves, key=lambda leaf: order(leaf.low))
    for before, after in itertools.pairwise(ordered):
        if order(before.high) >= order(after.low):
            raise ValueError("two parts of the PDF claim the same link target or structure key")
    root = writer.reserve()
    kids = b" ".join(b"%d 0 R" % leaf.number for leaf in ordered)
    writer.add(root, b"<< /Kids [ %s ] >>" % kids)
    return root


def _write_outline(writer: PdfWriter, bookmarks: list[_Bookmark]) -> int | None:
    """The book's bookmarks, every level open only at the top (one bookmark per post)."""
    if not bookmarks:
        return None
    root = writer.reserve()
    first, last, count = _write_outline_level(writer, bookmarks, root)
    writer.add(root, b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>" % (first, last, count))
    return root


def _write_outline_level(writer: PdfWriter, items: list[_Bookmark], parent: int) -> tuple[int, int, int]:
    """Write one level under ``parent``; returns its first and last numbers and how many items it shows."""
    numbers = [writer.reserve() for _ in items]
    for index, (item, number) in enumerate(zip(items, numbers, strict=True)):
        title = String(item.title).unparse()
        entries = [b"/Title %s" % title, b"/Parent %d 0 R" % parent, b"/Dest " + item.destination]
        if index > 0:
            entries.append(b"/Prev %d 0 R" % numbers[index - 1])
        if index + 1 < len(items):
            entries.append(b"/Next %d 0 R" % numbers[index + 1])
        if item.children:
            first, last, _ = _write_outline_level(writer, item.children, number)
            # A negative count: the item starts closed, its children hidden until opened.
            entries.append(b"/First %d 0 R /Last %d 0 R /Count %d" % (first, last, -len(item.children)))
        writer.add(number, b"<< " + b" ".join(entries) + b" >>")
    return numbers[0], numbers[-1], len(items)
