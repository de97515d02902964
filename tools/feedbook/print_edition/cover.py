"""The one-piece cover: back, spine and front side by side, with bleed on the four outer edges.

Its width is twice the trim's plus the spine's, which follows from the interior's final page
count and the paper by the printer's formula. Title and author go on the front, the blog's
subtitle and address on the back, clear of the barcode's box; the spine carries the title and
author only when the book is thick enough for the printer to print them there.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

import pikepdf

from ..languages import bcp47, direction
from ..pdf.front import BookInfo
from ..pdf.merge import name_whole_fonts
from .printers import BLEED, Printer, Trim, cover_size

SAFE = 0.5  # inches: text stays this far inside each panel's trimmed edges (Lulu's safety margin)
SPINE_CLEAR = 0.0625  # and this far from each fold of the spine
INK = "device-cmyk(0.92 0.62 0.05 0.5)"  # the cover's ground: a deep blue, in the press's own inks
PAPER = "device-cmyk(0 0 0 0)"  # the text: the paper's white


@dataclass(frozen=True)
class CoverLayout:
    trim: Trim
    pages: int
    spine: float  # inches
    spine_text: bool
    barcode: tuple[float, float, float]  # width, height, distance from the spine and the bottom trim

    @property
    def size(self) -> tuple[float, float]:
        """Width and height in inches, bleed included."""
        return cover_size(self.trim, self.spine)

    def barcode_box(self) -> tuple[float, float, float, float]:
        """The barcode's area, left clear: left, top, right, bottom in inches from the cover's
        top-left corner (bleed included)."""
        width, height, inset = self.barcode
        right = BLEED + self.trim.width - inset
        bottom = BLEED + self.trim.height - inset
        return right - width, bottom - height, right, bottom


def cover_layout(printer: Printer, trim: Trim, paper: str, pages: int) -> CoverLayout:
    return CoverLayout(trim, pages, printer.spine(pages, paper), pages >= printer.spine_text_pages, printer.barcode)


def cover_html(book: BookInfo, layout: CoverLayout, dates: str) -> str:
    """The cover as one page of HTML; positions are inches from the trimmed cover's top-left corner."""
    trim, spine = layout.trim, layout.spine
    width, height = trim.width * 2 + spine, trim.height
    left, top, right, bottom = (value - BLEED for value in layout.barcode_box())
    title_size = 30 if len(book.title) < 30 else 24 if len(book.title) < 60 else 18
    spine_line = max(0.0, spine - 2 * SPINE_CLEAR)
    # Capitals about two thirds of the size: they fit between the clearances; never below 6 pt.
    spine_size = max(6.0, min(12.0, spine_line * 72 * 1.3))
    css = f"""
      @page {{ size: {width:.4f}in {height:.4f}in; bleed: {BLEED}in; margin: 0; background: {INK}; }}
      html {{ font-family: "Linux Libertine O", "Linux Libertine", "DejaVu Serif", serif; color: {PAPER}; }}
      body {{ margin: 0; }}
      .panel {{ position: absolute; top: {SAFE}in; width: {trim.width - 2 * SAFE:.4f}in;
                height: {trim.height - 2 * SAFE:.4f}in; hyphens: manual; }}
      .back {{ left: {SAFE}in; font-size: 12pt; line-height: 1.4; }}
      .back-address {{ position: absolute; top: {top - SAFE - 0.8:.4f}in; font-size: 11pt; }}
      .front {{ left: {trim.width + spine + SAFE:.4f}in; text-align: center; }}
      .front h1 {{ font-size: {title_size}pt; font-weight: 600; line-height: 1.15; margin: 1.2in 0 0.3in; }}
      .front .subtitle {{ font-size: 13pt; font-style: italic; margin: 0 0.2in; }}
      .front .author {{ position: absolute; bottom: 0.4in; left: 0; right: 0; font-size: 16pt; margin: 0; }}
      .spine {{ position: absolute; left: {trim.width + spine / 2 - height / 2:.4f}in;
                top: {height / 2 - spine / 2:.4f}in; width: {height - 2 * SAFE:.4f}in;
                padding: 0 {SAFE}in; height: {spine_line:.4f}in;
                margin-top: {SPINE_CLEAR}in; transform: rotate(90deg); font-size: {spine_size:.1f}pt;
                line-height: {spine_line:.4f}in; white-space: nowrap; overflow: hidden;
                text-overflow: ellipsis; }}
      .spine .spine-author {{ float: right; }}
      .barcode {{ position: absolute; left: {left:.4f}in; top: {top:.4f}in;
                  width: {right - left:.4f}in; height: {bottom - top:.4f}in; }}
    """
    back = [f"<p>{escape(book.subtitle)}</p>"] if book.subtitle else []
    if dates:
        back.append(f"<p>{escape(book.words.posts_from % {'dates': dates})}</p>")
    address = f'<p class="back-address">{escape(book.site)}</p>' if book.site else ""
    front = [f"<h1>{escape(book.title)}</h1>"]
    if book.subtitle:
        front.append(f'<p class="subtitle">{escape(book.subtitle)}</p>')
    if book.author:
        front.append(f'<p class="author">{escape(book.author)}</p>')
    spine_text = ""
    if layout.spine_text:
        author = f'<span class="spine-author">{escape(book.author)}</span>' if book.author else ""
        spine_text = f'<div class="spine">{author}{escape(book.title)}</div>'
    return (
        f'<!DOCTYPE html><html lang="{bcp47(book.language)}" dir="{direction(book.language)}">'
        '<head><meta charset="utf-8">'
        f"<title>{escape(book.title)}</title><style>{css}</style></head><body>"
        f'<div class="panel back">{"".join(back)}{address}</div>'
        f"{spine_text}"
        f'<div class="panel front">{"".join(front)}</div>'
        '<div class="barcode"></div>'
        "</body></html>"
    )


def write_cover(book: BookInfo, layout: CoverLayout, dates: str, root: Path, out: Path) -> list[str]:
    """Render the cover to ``out``; returns WeasyPrint's warnings. Nothing is read but the book's files."""
    from weasyprint import HTML

    from ..pdf.fetcher import BookFetcher
    from ..pdf.render import weasyprint_warnings

    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.part")
    with weasyprint_warnings() as warnings:
        document = HTML(string=cover_html(book, layout, dates), base_url=root.resolve().as_uri() + "/",
                        url_fetcher=BookFetcher(root)).render()  # fmt: skip
        document.write_pdf(partial, full_fonts=True)
    with pikepdf.open(partial, allow_overwriting_input=True) as pdf:
        name_whole_fonts(pdf)
        pdf.save(partial, deterministic_id=True)
    partial.replace(out)
    return warnings
