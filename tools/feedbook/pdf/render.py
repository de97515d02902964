"""One WeasyPrint run: a print page to a tagged PDF whose pages carry the book's numbers."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # WeasyPrint takes most of a second to import: a build whose parts are all kept needs none
    from weasyprint import CSS
    from weasyprint.document import Document
    from weasyprint.text.fonts import FontConfiguration

    from .fetcher import BookFetcher

PDF_VARIANT = "pdf/ua-1"  # tagged, with the metadata screen readers need


@dataclass(frozen=True)
class RenderedChunk:
    """A rendered PDF file: its first page number, page count, the book page of each named target
    in it, and WeasyPrint's warnings."""

    path: Path
    first_page: int
    pages: int
    anchors: dict[str, int]
    warnings: tuple[str, ...]


def render_chunk(
    source: str,
    base_url: str,
    out: Path,
    first_page: int,
    stylesheets: Sequence[CSS],
    fetcher: BookFetcher,
    numbering: str = "decimal",
    font_config: FontConfiguration | None = None,
) -> RenderedChunk:
    """Render ``source`` to ``out``; its first page is numbered ``first_page`` in ``numbering`` style."""
    laid_out = lay_out(source, base_url, first_page, stylesheets, fetcher, numbering, font_config)
    warnings = laid_out.warnings + write_document(laid_out.document, out)
    return RenderedChunk(out, first_page, laid_out.pages, laid_out.anchors, tuple(warnings))


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


def write_document(document: Document, out: Path) -> list[str]:
    """WeasyPrint's second half: the pages as a tagged PDF at ``out``; returns WeasyPrint's warnings."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with weasyprint_warnings() as warnings:
        document.write_pdf(out, pdf_variant=PDF_VARIANT)
    return warnings


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
