"""The feedbook Sphinx extension: a book's conf.py names it and gives metadata, this does the rest.

It enables the MyST syntax the converter writes (dollar math, definition lists,
colon fences, inline attributes), picks sphinx-book-theme for HTML, and puts each
post's date, author, tags and original link under its title.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util.osutil import make_filename

from ..languages import DEFAULT as DEFAULT_LANGUAGE
from ..languages import bcp47
from ..names import file_name
from ..net.urls import is_http_url, site_name
from .cover import COVER, add_cover
from .downloads import add_download_links, copy_downloads
from .epub import FeedbookEpubBuilder, FeedbookEpubTranslator
from .listing import PostsDirective, merge_listing, outdated_listings, purge_listing, write_year_pages
from .math import add_math_renderers
from .navigation import add_navigation, pages_sharing_navigation, remember_changed_posts, remember_read_docs
from .opengraph import add_opengraph
from .page_markup import add_copyright_years, drop_repeated_markup
from .pdf import PRINT_THEME, FeedbookPdfBuilder
from .post_header import add_post_header
from .print_builder import setup_print
from .sidenotes import HideNotesFromSidenotes, RestoreNoteBackrefs
from .site_builder import FeedbookHtmlBuilder
from .tags import write_tags_page
from .template_text import escape_text_values, use_text_filters
from .words import setup_words

__version__ = "0.1.0"

MYST_EXTENSIONS = ("dollarmath", "deflist", "colon_fence", "attrs_inline")
STATIC = Path(__file__).parent / "static"
TEMPLATES = Path(__file__).parent / "templates"
# feedbook-sidebar-nav.html stands in for the theme's sbt-sidebar-nav.html (same markup, built in O(year)).
BOOK_THEME_SIDEBAR = [
    "navbar-logo.html",
    "search-button-field.html",
    "feedbook-sidebar-nav.html",
    "feedbook-downloads.html",
]


def configure_book(app: Sphinx, config: Config) -> None:
    """Defaults a book relies on; a value set in conf.py wins where that makes sense."""
    config.myst_enable_extensions = sorted(set(config.myst_enable_extensions) | set(MYST_EXTENSIONS))
    config.myst_dmath_double_inline = True
    # The feed's text is already typeset by its author: "--" and straight quotes stay as written.
    config.smartquotes = False
    # The converter writes explicit (label)= targets; implicit heading slugs would only add noise.
    config.myst_heading_anchors = 0
    # Formulas as MathML: every current browser draws it, with no script and no CDN (offline copies too).
    if config.html_math_renderer is None:
        config.html_math_renderer = "mathml"
    if config.html_theme == "alabaster":
        config.html_theme = "sphinx_book_theme"
    if config.html_theme == "sphinx_book_theme":
        config.html_theme_options = {
            # pydata-sphinx-theme rewrites the text of GitHub links ("https://github.com/a/b" -> "a/b"): words lost.
            "shorten_urls": False,
            # Only the current year's posts in the sidebar: a page does not grow with the number of posts.
            "collapse_navbar": True,
            # Notes in the margin beside their calls (below them on small screens); notes the
            # theme cannot carry whole stay footnotes (sidenotes.py).
            "use_sidenotes": True,
            # The sidebar has the search field and the book's downloads: no second search box in the
            # header, and no button offering the chapter's .md source and a browser print as "download".
            "navbar_persistent": [],
            "use_download_button": False,
            **config.html_theme_options,
        }
        if not config.html_sidebars:
            config.html_sidebars = {"**": BOOK_THEME_SIDEBAR}
    config.exclude_patterns = [
        *config.exclude_patterns,
        *("feeds", "feedbook.json", "_build", "build", "_readthedocs_build", "requirements.txt"),
    ]
    config.html_static_path = [*config.html_static_path, str(STATIC)]
    config.templates_path = [*config.templates_path, str(TEMPLATES)]
    # A book, not "<project> documentation" (in the book's language: "Documentazione di …", "… 文档"),
    # unless conf.py names its own title.
    if not getattr(config, "_raw_config", {}).get("html_title"):
        config.html_title = config.project
    _configure_epub(config)


def _configure_epub(config: Config) -> None:
    """EPUB 3 metadata from the book's own (a feed often has no author: the title stands in)."""
    creator = config.author or config.project
    config.epub_theme = "epub"  # HTML themes make EPUBs that e-readers and epubcheck reject
    # Sphinx's name keeps a title's ASCII letters only: "sphinx" for a Japanese title, "jgershendev".
    if config.epub_basename == make_filename(config.project):
        config.epub_basename = file_name(config.project)
    # The OPF's dc:language and xml:lang are BCP 47 ("en-US"), not Sphinx's locale name ("en_US").
    if not config.epub_language or config.epub_language == config.language:
        config.epub_language = bcp47(config.language or DEFAULT_LANGUAGE)
    # Sphinx keeps the last build's .buildinfo as .buildinfo.bak when conf.py changed, and its EPUB
    # builder would pack it (an unknown file type: a warning, so the build fails).
    config.epub_exclude_files = [*config.epub_exclude_files, ".buildinfo.bak"]
    config.epub_author = config.epub_author or creator
    # The blog published the book: its site's name, else the author (EPUB 3 wants a publisher).
    if not config.epub_publisher or config.epub_publisher == config.author:  # Sphinx's default: the author
        config.epub_publisher = site_name(config.feedbook_id) or creator
    config.epub_copyright = config.epub_copyright or config.copyright or creator
    config.version = config.version or config.release or "1"
    # The feed's own id names the book (stable across rebuilds, unlike Sphinx's "unknown").
    if config.feedbook_id and config.epub_identifier == "unknown":
        config.epub_identifier = config.feedbook_id
        config.epub_scheme = "URL" if is_http_url(config.feedbook_id) else "URN"
    if config.epub_uid == "unknown":
        config.epub_uid = "book-id"
    # A blog has no index of terms: no empty genindex page in the book.
    config.epub_use_index = False
    config.html_use_index = False
    # The front page's toctree is hidden (its list of posts says more); the EPUB's navigation lists it anyway.
    if config.epub_tocscope == "default":
        config.epub_tocscope = "includehidden"
    if not config.epub_cover:
        config.epub_cover = (COVER, "epub-cover.html")  # drawn by add_cover when the EPUB is built
    if config.feedbook_subtitle and config.epub_description == "unknown":
        config.epub_description = config.feedbook_subtitle


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("myst_parser")
    app.add_config_value("feedbook_subtitle", "", "env", types=frozenset({str}))
    app.add_config_value("feedbook_id", "", "env", types=frozenset({str}))
    app.add_config_value("feedbook_downloads_dir", "", "html", types=frozenset({str}))
    app.add_config_value("feedbook_posts_dir", "posts", "env", types=frozenset({str}))
    app.add_config_value("feedbook_posts_per_page", 30, "env", types=frozenset({int}))
    app.add_config_value("feedbook_pdf_per_post", False, "env", types=frozenset({bool}))
    app.add_config_value("feedbook_pdf_basename", "", "env", types=frozenset({str}))
    # Which font draws which script in the PDF: {"Arabic": "Noto Naskh Arabic"} (fontconfig chooses otherwise).
    app.add_config_value("feedbook_script_fonts", {}, "env", types=frozenset({dict}))
    # Processes rendering the PDF's posts at once; 0: one per core (up to 3) once the book has 32 posts.
    app.add_config_value("feedbook_pdf_workers", 0, "", types=frozenset({int}))
    # Each font once for the whole PDF (False: each post's part keeps its own subsets, as WeasyPrint makes them).
    app.add_config_value("feedbook_pdf_merge_fonts", True, "", types=frozenset({bool}))
    app.add_directive("feedbook-posts", PostsDirective)
    setup_words(app)
    app.add_builder(FeedbookPdfBuilder)
    setup_print(app)
    add_math_renderers(app)
    app.add_post_transform(HideNotesFromSidenotes)
    app.add_post_transform(RestoreNoteBackrefs)
    app.add_html_theme(PRINT_THEME, str(Path(__file__).parent / "themes" / PRINT_THEME))
    app.add_builder(FeedbookEpubBuilder, override=True)
    app.add_builder(FeedbookHtmlBuilder, override=True)
    app.set_translator("epub", FeedbookEpubTranslator)
    app.connect("builder-inited", write_year_pages)
    app.connect("builder-inited", write_tags_page)
    app.connect("builder-inited", add_cover)
    app.connect("env-get-outdated", outdated_listings)
    app.connect("env-get-outdated", remember_changed_posts)
    # Last, after any handler that adds pages to read.
    app.connect("env-before-read-docs", remember_read_docs, priority=900)
    app.connect("env-get-updated", pages_sharing_navigation)
    app.connect("env-purge-doc", purge_listing)
    app.connect("env-merge-info", merge_listing)
    app.connect("config-inited", configure_book)
    # After Sphinx's metadata collector (priority 500) has read each post's front matter.
    app.connect("doctree-read", add_post_header, priority=600)
    app.connect("html-page-context", add_opengraph)
    app.connect("html-page-context", add_download_links)
    app.connect("html-page-context", add_navigation)
    app.connect("html-page-context", drop_repeated_markup)
    app.connect("html-page-context", add_copyright_years)
    # After the themes' handlers (priority 500), which put more feed text into the context.
    app.connect("html-page-context", escape_text_values, priority=900)
    app.connect("builder-inited", use_text_filters)
    app.connect("build-finished", copy_downloads)
    app.add_css_file("feedbook.css")
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
