"""Values from the feed reach every HTML template as text, never as markup.

A book's title, author and copyright come from its feed, and so do its posts'
titles. Sphinx hands them to templates as plain strings, and Sphinx's templates
have no autoescaping: each template must write ``|e`` itself, and several of the
theme's do not (sphinx-book-theme's print header prints ``{{ pagetitle }}``,
pydata-sphinx-theme's logo prints ``{{ docstitle }}``, the "By" footer
``{{ author }}``). Jinja's ``striptags`` also turns an escaped title back into
raw markup, so ``{{ title|striptags }}`` prints the title's ``<img onerror>``
as an element.

Rather than copy and patch each template, the values are made safe where they
enter: each text value of the page context becomes ``markupsafe.Markup`` of its
escaped text (printed raw it shows the text; ``|e`` leaves it as it is), and the
template environment's ``striptags`` returns escaped text too. The text shows
exactly as the feed gave it in every template, the theme's present and future ones.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from markupsafe import Markup, escape
from sphinx.application import Sphinx

# Context values that Sphinx and the themes fill with plain text from the book's
# conf.py or a page's title (``title``, ``toc``, ``body`` are HTML already).
TEXT_VALUES = (
    "project",
    "copyright",
    "author",
    "docstitle",
    "shorttitle",
    "logo_alt",
    "pagetitle",  # sphinx-book-theme: the page title's text
    "root_title",  # sphinx-book-theme: the front page's title text
    "page_description",  # sphinx-book-theme: the page's first words
)


def striptags_as_text(value: object) -> Markup:
    """Jinja's striptags, but the result stays escaped: the tags go, the text stays text."""
    return escape(Markup(str(value)).striptags())


def use_text_filters(app: Sphinx) -> None:
    """On builder-inited: every HTML-format builder's templates get the escaping ``striptags``."""
    templates = getattr(app.builder, "templates", None)
    environment = getattr(templates, "environment", None)
    if environment is not None:
        environment.filters["striptags"] = striptags_as_text


def escape_text_values(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    """On html-page-context, after the themes' own handlers: the text values as escaped markup."""
    for key in TEXT_VALUES:
        value = context.get(key)
        if isinstance(value, str):
            context[key] = escape(value)
    # The EPUB's cover page gets the book's title as plain text in ``title``, where every other
    # page has its rendered (escaped) title.
    title = context.get("title")
    if isinstance(title, str) and not isinstance(title, Markup) and title == app.config.project:
        context["title"] = escape(title)
