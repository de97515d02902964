"""The print interior: the screen PDF's posts laid out again on facing pages of the trim size.

Each post opens on a right-hand page, with a truly blank page before it when the last post
ended on a right-hand page; the front matter (half title, title, copyright page, contents) is
numbered in roman numerals and ends on a left-hand page, so page 1 is a right-hand page.

The inside margin a printer asks for grows with the page count, and the page count with the
margin: the interior is laid out with the margin for its last page count until the two agree
(margins only grow, so this ends; parts that did not move are kept by the part cache).
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

from ..languages import bcp47, direction
from ..pdf.book import STYLESHEET, book_fonts_css, render_kept, render_post_parts, running_title_css
from ..pdf.front import FRONT_KEY, BookInfo, PostEntry, contents_html, front_document, title_page_html
from ..pdf.merge import Part, merge_parts
from ..pdf.missing_glyphs import grouped
from ..pdf.part_cache import PartCache, styles_salt
from ..pdf.print_html import PrintPage, prepare_page
from ..pdf.render import PartOptions
from ..pdf.scheduler import Styles, default_workers
from .paper_page import paper_page
from .printers import Trim
from .settings import PrintSettings

PAPER_CSS = Path(__file__).with_name("paper.css")
OUTSIDE = 0.6  # inches: the outer margin, a little over every printer's 0.5 in
TOP = 0.85  # the running head sits in this band, its text over 0.5 in from the trim
BOTTOM = 0.85  # so does the folio
HEAD_PADDING, FOLIO_PADDING, LINE = 0.16, 0.18, 0.12  # inches, as paper.css sets the margin boxes
BLANK_KEY = "feedbook-blank"


@dataclass(frozen=True)
class Margins:
    """Page margins in inches; inside is the gutter, at the spine."""

    inside: float
    outside: float = OUTSIDE
    top: float = TOP
    bottom: float = BOTTOM

    def page_css(self, trim: Trim) -> str:
        return (
            f"@page {{ size: {trim.width}in {trim.height}in;"
            f" margin-top: {self.top}in; margin-bottom: {self.bottom}in }}"
            f" @page :right {{ margin-left: {self.inside}in; margin-right: {self.outside}in }}"
            f" @page :left {{ margin-left: {self.outside}in; margin-right: {self.inside}in }}"
        )

    def smallest_edge(self) -> float:
        """How near the trim any text comes: the outer margin, or the running head and the folio, which
        sit at the text's side of their bands (paper.css pads them 0.16 and 0.18 in from the text;
        their 7.5 and 8.5 pt lines stand under 0.12 in tall)."""
        return min(self.outside, self.top - HEAD_PADDING - LINE, self.bottom - FOLIO_PADDING - LINE)


@dataclass(frozen=True)
class Interior:
    path: Path
    pages: int
    margins: Margins
    passes: int  # layouts of the whole book until the margin and the page count agreed
    post_pages: dict[str, tuple[int, int]]  # docname -> (first page, page count)
    images: tuple[tuple[str, float], ...]  # every image printed: (file, pixels per inch)
    reused: int


def write_interior(
    book: BookInfo,
    posts: Sequence[PostEntry],
    pages_dir: Path,
    out: Path,
    settings: PrintSettings,
    by_year: bool,
    warn: Callable[[str], None],
    image_width: Callable[[str], int | None],
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Interior:
    """Lay the posts out as the printer asks, until the inside margin fits the page count."""
    margins = Margins(inside=settings.printer.inside_margin(0))
    passes = 0
    while True:
        passes += 1
        interior = _write(book, posts, pages_dir, out, settings, margins, by_year, image_width, workers, progress)
        needed = settings.printer.inside_margin(interior.pages)
        if needed <= margins.inside:
            break
        margins = Margins(inside=needed)
    for message in interior.warnings:
        warn(message)
    return Interior(out, interior.pages, margins, passes, interior.post_pages, interior.images, interior.reused)


@dataclass
class _Pass:
    pages: int
    post_pages: dict[str, tuple[int, int]]
    images: tuple[tuple[str, float], ...]
    warnings: list[str]
    reused: int


def _write(
    book: BookInfo,
    posts: Sequence[PostEntry],
    pages_dir: Path,
    out: Path,
    settings: PrintSettings,
    margins: Margins,
    by_year: bool,
    image_width: Callable[[str], int | None],
    workers: int | None,
    progress: Callable[[int, int], None] | None,
) -> _Pass:
    printer = settings.printer
    options = PartOptions(pdf_variant=None, full_fonts=printer.full_fonts, dpi=printer.max_ppi, measure_images=True)
    paper = PAPER_CSS.read_text(encoding="utf-8")
    extra = (running_title_css(book.title), *book_fonts_css(book), paper, margins.page_css(settings.trim))
    styles = Styles(pages_dir, STYLESHEET, extra, options)
    parts_dir = out.parent / ".parts"
    shutil.rmtree(parts_dir, ignore_errors=True)
    cache = PartCache(out.parent / ".part-cache", styles_salt(styles.stylesheet, styles.extra_css, styles.options))
    in_book = {post.docname: post.key for post in posts}

    def prepare(index: int, anchor_pages: dict[str, int]) -> PrintPage:
        source = (pages_dir / f"{posts[index].docname}.html").read_text(encoding="utf-8")
        page = prepare_page(source, posts[index].docname, in_book, anchor_pages)
        page.html = paper_page(page.html, settings.links, image_width, book.words.links)
        return page

    part_years = _part_openings(posts) if settings.parts == "year" else {}

    def opens_at(index: int, page: int) -> int:
        """A right-hand page; after a part's title page and its blank back when the post opens a part."""
        page += page % 2 == 0
        return page + 2 if index in part_years else page

    workers = default_workers(posts) if workers is None else workers
    rendered_posts = render_post_parts(posts, prepare, parts_dir, styles, workers, cache, progress, opens_at)
    warnings: list[str] = []
    post_parts: list[Part] = []
    starts: dict[str, int] = {}
    post_pages: dict[str, tuple[int, int]] = {}
    images: list[tuple[str, float]] = []
    with contextlib.closing(rendered_posts):
        for post, rendered in zip(posts, rendered_posts, strict=True):
            warnings += [f"{post.docname}: {message}" for message in grouped(rendered.warnings)]
            starts[post.key] = rendered.first_page
            post_pages[post.docname] = (rendered.first_page, rendered.pages)
            images += rendered.images
            post_parts.append(Part(rendered.path, post.key, role="/Art", first_number=rendered.first_page))
    front_html = front_matter_html(book, posts, starts, by_year or bool(part_years))
    front = render_kept(cache, styles, front_html, parts_dir / f"{FRONT_KEY}.pdf")
    warnings += [f"contents: {message}" for message in grouped(front.warnings)]
    blank = render_kept(cache, styles, BLANK_PAGE, parts_dir / f"{BLANK_KEY}.pdf")
    parts = [Part(front.path, FRONT_KEY, label_style="/r")]
    if front.pages % 2:  # page 1 is a right-hand page: the front matter ends on a left-hand one
        parts.append(Part(blank.path, f"{BLANK_KEY}-front", label_style="/r", first_number=front.pages + 1))
    for index, (part, (first, count)) in enumerate(zip(post_parts, post_pages.values(), strict=True)):
        if index in part_years:
            html = part_title_html(part_years[index] or book.words.undated, book.language)
            title = render_kept(cache, styles, html, parts_dir / f"feedbook-part-{index}.pdf")
            parts.append(Part(title.path, f"feedbook-part-{index}", first_number=first - 2))
            parts.append(Part(blank.path, f"{BLANK_KEY}-{first - 1}", first_number=first - 1))
        parts.append(part)
        if count % 2:  # the next post opens on a right-hand page; the book ends on a left-hand one
            parts.append(Part(blank.path, f"{BLANK_KEY}-{first + count}", first_number=first + count))
    pages = merge_parts(parts, out, book.language, links=printer.annotations, whole_fonts=printer.full_fonts)
    shutil.rmtree(parts_dir, ignore_errors=True)
    cache.prune()
    return _Pass(pages, post_pages, tuple(images), warnings, cache.hits)


def _part_openings(posts: Sequence[PostEntry]) -> dict[int, str]:
    """The posts that open a year's part: their index and the year."""
    openings: dict[int, str] = {}
    for index, post in enumerate(posts):
        if index == 0 or post.year != posts[index - 1].year:
            openings[index] = post.year
    return openings


def part_title_html(year: str, language: str) -> str:
    """A part's title page: its year alone, on a right-hand page with no running head or folio."""
    return (
        f'<!DOCTYPE html><html lang="{bcp47(language)}" dir="{direction(language)}">'
        '<head><meta charset="utf-8"></head><body>'
        f'<section class="feedbook-part-title"><h1>{escape(year)}</h1></section></body></html>'
    )


# An empty page: the WeasyPrint page that pads a post to an even number of pages (no head, no folio).
BLANK_PAGE = '<!DOCTYPE html><html class="feedbook-blank-page"><head><meta charset="utf-8"></head><body></body></html>'


def front_matter_html(book: BookInfo, posts: Sequence[PostEntry], starts: dict[str, int], by_year: bool) -> str:
    """Half title, title page, copyright page and contents, as a printed book opens."""
    half = f'<section class="feedbook-half-title"><p>{escape(book.title)}</p></section>'
    title = f'<section class="feedbook-title-page">{title_page_html(book, posts)}</section>'
    lines = [line for line in (book.rights, _published(book)) if line]
    lines.append(book.words.made_by)
    paragraphs = "".join(f"<p>{escape(line)}</p>" for line in lines)
    copyright_page = f'<section class="feedbook-copyright-page"><div>{paragraphs}</div></section>'
    contents = contents_html(posts, starts, by_year, book.words)
    return front_document(book, posts, half + title + copyright_page + contents)


def _published(book: BookInfo) -> str:
    if not book.site:
        return ""
    return book.words.first_published % {"site": book.site}
