"""The ``pdf`` builder: Sphinx writes a print page per post, feedbook.pdf makes the book of them.

The print pages come from a bare theme (the body only); WeasyPrint renders each post
and the merge makes one tagged PDF with a title page, contents and bookmarks.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.util import logging

from ..diagnostics import NOTICES, STATUS, Diagnostic, Kind
from ..names import file_name
from ..net.urls import site_name
from ..pdf.front import BookInfo, PostEntry
from ..pdf.missing_glyphs import MISSING
from ..pdf.print_html import doc_key
from ..pdf.script_fonts import SCRIPT_RANGES, missing_families, unknown_scripts
from .direction import render_with_language
from .listing import grouped
from .posts import PostInfo, all_tags, post_dates, read_posts, rights_with_years, year_span
from .words import book_words

logger = logging.getLogger(__name__)
PRINT_THEME = "feedbook_print"


class FeedbookPdfBuilder(StandaloneHTMLBuilder):
    """Print pages into ``<outdir>``, the book into ``<outdir>/<project>.pdf``."""

    name = "pdf"
    format = "html"
    epilog = "The PDF is in %(outdir)s."
    copysource = False
    add_permalinks = False
    allow_sharp_as_current_path = False
    embedded = True
    download_support = False
    html_scaled_image_link = False
    search = False
    supported_remote_images = False

    def init(self) -> None:
        super().init()
        render_with_language(self)

    def get_theme_config(self) -> tuple[str, dict[str, str | int | bool]]:
        return PRINT_THEME, {}

    def handle_finish(self) -> None:
        """No search index and no inventory: the pages are an intermediate, not a site."""

    def finish(self) -> None:
        super().finish()
        self.finish_tasks.join()  # the images must be copied before WeasyPrint reads them
        self.write_pdf()

    def write_pdf(self) -> None:
        from ..pdf.book import write_book_pdf  # WeasyPrint takes most of a second to import: only when needed

        config = self.config
        book, entries, posts = self.book_contents()
        out = Path(self.outdir) / f"{config.feedbook_pdf_basename or file_name(config.project)}.pdf"
        per_post = Path(self.outdir) if config.feedbook_pdf_per_post else None
        logger.info("writing %s (%d posts)", out.name, len(entries))
        workers = config.feedbook_pdf_workers or None
        result = write_book_pdf(
            book,
            entries,
            Path(self.outdir),
            out,
            per_post,
            grouped(config, posts),
            _warn,
            workers,
            _rendered,
            merge_fonts=config.feedbook_pdf_merge_fonts,
        )
        logger.info(
            "%s: %d pages (posts rendered by %d processes; %d parts kept from the last build)",
            out.name,
            result.pages,
            result.workers,
            result.reused,
        )

    def book_contents(self) -> tuple[BookInfo, list[PostEntry], list[PostInfo]]:
        """What the book says about itself, and its posts oldest first (as the pages are printed)."""
        config = self.config
        posts = list(reversed(read_posts(Path(self.srcdir), config.feedbook_posts_dir)))
        entries = [PostEntry(post.docname, doc_key(post.docname), post.title, post.date) for post in posts]
        dated = post_dates(posts)
        book = BookInfo(
            title=config.project,
            subtitle=config.feedbook_subtitle,
            author=config.author,
            language=config.language or "en",
            keywords=tuple(all_tags(posts)),
            created=dated[0] if dated else "",
            modified=dated[-1] if dated else "",
            site=site_name(config.feedbook_id),
            rights=_rights(config.copyright, config.author, year_span(dated)),
            words=book_words(),
            script_fonts=tuple(sorted(config.feedbook_script_fonts.items())),
        )
        for family in missing_families(config.feedbook_script_fonts):
            message = f"feedbook_script_fonts: no installed font family {family!r} (fc-list : family lists them)"
            logger.warning(message, type="feedbook", subtype="pdf")
        for script in unknown_scripts(config.feedbook_script_fonts):
            known = ", ".join(SCRIPT_RANGES)
            logger.warning(
                f"feedbook_script_fonts: no script {script!r} (one of {known})", type="feedbook", subtype="pdf"
            )
        return book, entries, posts


def _rights(copyright: str | tuple[str, ...], author: str, years: str) -> str:
    """The copyright page's line: the EPUB's rights, with the © a printed page puts before them."""
    holder = (copyright if isinstance(copyright, str) else ", ".join(copyright)) or author
    return rights_with_years(holder, years) or (f"\u00a9 {holder}" if holder else "")


def _rendered(done: int, total: int) -> None:
    STATUS.show(f"feedbook: pdf: laid out {done}/{total} posts")


def _warn(message: str) -> None:
    warn_or_notice(message, "pdf")


def warn_or_notice(message: str, subtype: str) -> None:
    """A Sphinx warning (which fails the build under -W), except for characters no font draws: the
    book is whole without them, so they are a notice printed when the build ends."""
    if MISSING in message:
        NOTICES.append(Diagnostic(Kind.MISSING_GLYPH, message))
    else:
        logger.warning(message, type="feedbook", subtype=subtype)
