"""One WeasyPrint run: a print page to a tagged PDF whose pages carry the book's numbers."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # WeasyPrint takes most of a second to import: a build whose parts are all kept needs none
    from weasyprint import CSS
    from weasyprint.document import Document
    from weasyprint.text.fonts import FontConfiguration

    from .fetcher import BookFetcher

from .book_fonts import Glyphs, keep_fonts

PDF_VARIANT = "pdf/ua-1"  # tagged, with the metadata screen readers need


@dataclass(frozen=True)
class PartOptions:
    """How WeasyPrint makes a part: the screen book's tagged PDF, or a print interior's plain one."""

    pdf_variant: str | None = PDF_VARIANT
    full_fonts: bool = False  # fonts embedded whole, as some printers ask, not as subsets
    dpi: int | None = None  # images above this resolution at printed size are resampled down to it
    measure_images: bool = False  # report each image's resolution at its printed size

    def weasyprint_options(self) -> dict[str, object]:
        options: dict[str, object] = {"pdf_variant": self.pdf_variant}
        if self.full_fonts:
            options["full_fonts"] = True
        if self.dpi is not None:
            options["dpi"] = self.dpi
        return options


@dataclass(frozen=True)
class RenderedChunk:
    """A rendered PDF file: its first page number, page count, the book page of each named target
    in it, and WeasyPrint's warnings."""

    path: Path
    first_page: int
    pages: int
    anchors: dict[str, int]
    warnings: tuple[str, ...]
    images: tuple[tuple[str, float], ...] = ()  # (file name, pixels per inch as printed), when measured
    fonts: Glyphs = ()  # the glyphs drawn with each font, when the originals are kept (book_fonts)


def render_chunk(
    source: str,
    base_url: str,
    out: Path,
    first_page: int,
    stylesheets: Sequence[CSS],
    fetcher: BookFetcher,
    numbering: str = "decimal",
    font_config: FontConfiguration | None = None,
    options: PartOptions = PartOptions(),
    font_store: Path | None = None,
) -> RenderedChunk:
    """Render ``source`` to ``out``; its first page is numbered ``first_page`` in ``numbering`` style.

    With ``font_store``, the original of each font it drew with is kept there (``book_fonts``)."""
    laid_out = lay_out(source, base_url, first_page, stylesheets, fetcher, numbering, font_config)
    return finish_chunk(laid_out, out, first_page, options, font_store)


def finish_chunk(
    laid_out: LaidOut, out: Path, first_page: int, options: PartOptions, font_store: Path | None
) -> RenderedChunk:
    """WeasyPrint's second half (the PDF at ``out``), and what the book needs to know of the part."""
    warnings = laid_out.warnings + write_document(laid_out.document, out, options)
    fonts = keep_fonts(laid_out.document, font_store) if font_store is not None else ()
    images = image_resolutions(laid_out.document) if options.measure_images else ()
    return RenderedChunk(out, first_page, laid_out.pages, laid_out.anchors, tuple(warnings), images, fonts)


@dataclass
class LaidOut:
    """A document in pages, not yet written: its page count and its targets' pages are final."""

    document: Document
    anchors: dict[str, int]
    warnings: list[str]

    @property
    def pages(self) -> int:
        return len(self.document.pages)


def lay_out(
    source: str,
    base_url: str,
    first_page: int,
    stylesheets: Sequence[CSS],
    fetcher: BookFetcher,
    numbering: str = "decimal",
    font_config: FontConfiguration | None = None,
) -> LaidOut:
    """WeasyPrint's first half: ``source`` in pages, the first numbered ``first_page`` in ``numbering`` style.

    One ``font_config`` shared by every part saves each run from setting up fontconfig again.
    """
    from weasyprint import CSS, HTML

    # counter-reset on the first page, not counter-set: the reset replaces that page's increment.
    numbers = CSS(
        string=f"@page :first {{ counter-reset: page {first_page} }}"
        f" @page {{ @bottom-center {{ content: counter(page, {numbering}) }} }}"
    )
    with weasyprint_warnings() as warnings:
        document = HTML(string=source, base_url=base_url, url_fetcher=fetcher).render(
            stylesheets=[*stylesheets, numbers], font_config=font_config
        )
    # The page where each target starts: a box split over pages (a whole post) names every page it is on.
    anchors: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for name in page.anchors:
            anchors.setdefault(name, first_page + index)
    return LaidOut(document, anchors, warnings)


def write_document(document: Document, out: Path, options: PartOptions = PartOptions()) -> list[str]:
    """WeasyPrint's second half: the pages as a PDF at ``out``; returns WeasyPrint's warnings."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with weasyprint_warnings() as warnings:
        document.write_pdf(out, **options.weasyprint_options())
    return warnings


def image_resolutions(document: Document) -> tuple[tuple[str, float], ...]:
    """Each raster image's file name and its resolution as printed: pixels over inches of width."""
    from weasyprint.formatting_structure.boxes import ReplacedBox

    found = []
    for page in document.pages:
        for box in page._page_box.descendants():
            image: Any = getattr(box, "replacement", None)
            if not isinstance(box, ReplacedBox) or not hasattr(image, "mode") or not box.width:
                continue  # vector images (SVG) have no pixels to count
            name = (box.element.get("src") or "").rsplit("/", 1)[-1] if box.element is not None else ""
            found.append((name, round(image.width / (box.width / 96), 1)))  # CSS: 96 px to the inch
    return tuple(found)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def weasyprint_warnings() -> Iterator[list[str]]:
    """WeasyPrint's warnings (unreadable images, CSS it ignores) as a list, not as stderr noise."""
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    saved = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)
        logger.propagate = saved
