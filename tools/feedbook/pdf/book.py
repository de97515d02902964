"""The whole PDF: every post rendered on its own, then the opening pages, then one merged file."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pygments.formatters import HtmlFormatter

from .book_fonts import Glyphs, all_glyphs
from .css_text import css_string
from .front import FRONT_KEY, BookInfo, PostEntry, front_matter_html
from .merge import Part, merge_parts
from .missing_glyphs import grouped
from .part_cache import PartCache, styles_salt
from .print_html import PrintPage, prepare_page
from .render import RenderedChunk
from .scheduler import Styles, default_workers, render_posts
from .script_fonts import script_fonts_css

STYLESHEET = Path(__file__).with_name("print.css")
FONT_STORE = ".fonts"  # the original fonts the parts were drawn with, beside the book (book_fonts)


@dataclass(frozen=True)
class PdfResult:
    path: Path
    pages: int
    post_pages: dict[str, tuple[int, int]]  # docname -> (first page number, page count)
    workers: int  # processes that rendered the posts
    reused: int = 0  # posts (and the front matter) taken from the last build's parts


def write_book_pdf(
    book: BookInfo,
    posts: Sequence[PostEntry],
    pages_dir: Path,
    out: Path,
    per_post_dir: Path | None,
    by_year: bool,
    warn: Callable[[str], None],
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    merge_fonts: bool = True,
) -> PdfResult:
    """Render ``posts`` (oldest first) from their print pages in ``pages_dir`` into the book ``out``.

    With ``merge_fonts``, each font is embedded once for the whole book (``book_fonts``), not once per post.

    With ``per_post_dir``, each post's own PDF (numbered as in the book) is kept there as ``<docname>.pdf``.
    ``workers`` processes render posts at once (None: one per core for a book of some size);
    ``progress(done, total)`` hears of each post laid out.
    """
    extra = (running_title_css(book.title), _code_colours(), *book_fonts_css(book))
    font_store = out.parent / FONT_STORE if merge_fonts else None
    styles = Styles(pages_dir, STYLESHEET, extra, font_store=font_store)
    parts_dir = out.parent / ".parts"
    shutil.rmtree(parts_dir, ignore_errors=True)
    # A part kept from a build that did not report its fonts' glyphs would lose letters in a merged font.
    salt = styles_salt(styles.stylesheet, styles.extra_css, styles.options) + f"|glyphs reported: {merge_fonts}"
    cache = PartCache(out.parent / ".part-cache", salt)
    in_book = {post.docname: post.key for post in posts}
    starts: dict[str, int] = {}
    post_pages: dict[str, tuple[int, int]] = {}
    parts: list[Part] = []
    drawn: list[Glyphs] = []  # the glyphs each part drew with each font

    def prepare(index: int, anchor_pages: dict[str, int]) -> PrintPage:
        source = pages_dir / f"{posts[index].docname}.html"
        return prepare_page(source.read_text(encoding="utf-8"), posts[index].docname, in_book, anchor_pages)

    workers = default_workers(posts) if workers is None else workers
    rendered_posts = render_post_parts(posts, prepare, parts_dir, styles, workers, cache, progress)
    with contextlib.closing(rendered_posts):  # closed at once if anything below fails
        for post, rendered in zip(posts, rendered_posts, strict=True):
            for message in grouped(rendered.warnings):
                warn(f"{post.docname}: {message}")
            starts[post.key] = rendered.first_page
            post_pages[post.docname] = (rendered.first_page, rendered.pages)
            parts.append(Part(rendered.path, post.key, first_number=rendered.first_page))
            drawn.append(rendered.fonts)
    front_html = front_matter_html(book, posts, starts, by_year)
    front = render_kept(cache, styles, front_html, parts_dir / f"{FRONT_KEY}.pdf")
    for message in grouped(front.warnings):
        warn(f"contents: {message}")
    parts.insert(0, Part(front.path, FRONT_KEY, role="/Sect", label_style="/r"))
    targets = [per_post_dir / f"{post.docname}.pdf" for post in posts] if per_post_dir is not None else []
    fingerprint = cache.fingerprint([part.path for part in parts], book.language)
    total = cache.unchanged_book(fingerprint, out, targets)
    if total is None:  # something moved: the merge runs (with nothing changed, the book stands as it is)
        glyphs = all_glyphs([*drawn, front.fonts])
        total = merge_parts(parts, out, book.language, font_store=font_store, font_glyphs=glyphs)
        for target, part in zip(targets, parts[1:], strict=True):
            target.parent.mkdir(parents=True, exist_ok=True)
            part.path.replace(target)
        cache.remember_book(fingerprint, out, targets, total)
    shutil.rmtree(parts_dir, ignore_errors=True)
    cache.prune()
    return PdfResult(out, total, post_pages, workers, cache.hits)


def render_kept(cache: PartCache, styles: Styles, source: str, out: Path) -> RenderedChunk:
    """Pages outside the posts (the opening pages, a blank page), numbered in roman numerals from i:
    from the cache when an earlier build drew the same, else rendered in this process."""
    url = (styles.pages_dir / "index.html").resolve().as_uri()
    key = cache.key(source, url, 1, "lower-roman")
    kept = cache.lookup(key, out)
    if kept is not None:
        return kept
    chunk = styles.render_alone(source, url, out, "lower-roman")
    cache.store(key, chunk)
    return chunk


def render_post_parts(
    posts: Sequence[PostEntry],
    prepare: Callable[[int, dict[str, int]], PrintPage],
    parts_dir: Path,
    styles: Styles,
    workers: int,
    cache: PartCache,
    progress: Callable[[int, int], None] | None,
    opens_at: Callable[[int, int], int] | None = None,
) -> Generator[RenderedChunk, None, None]:
    """Each post's part, rendered from its print page in ``styles.pages_dir`` into ``parts_dir``."""
    return render_posts(
        len(posts),
        prepare,
        lambda index: (styles.pages_dir / f"{posts[index].docname}.html").resolve().as_uri(),
        lambda index: parts_dir / f"{posts[index].docname}.pdf",
        styles,
        workers,
        cache,
        progress,
        opens_at=opens_at,
    )


def book_fonts_css(book: BookInfo) -> tuple[str, ...]:
    """The fonts the book names for scripts, if it names any."""
    css = script_fonts_css(dict(book.script_fonts))
    return (css,) if css else ()


def running_title_css(title: str) -> str:
    """The running head's rule: the book's title as a CSS string."""
    return f"@page {{ @top-left {{ content: {css_string(title)} }} }}"


def _code_colours() -> str:
    """Pygments' colours for the code blocks Sphinx highlighted (the print pages link no stylesheet)."""
    return str(HtmlFormatter(style="default").get_style_defs(".highlight"))
