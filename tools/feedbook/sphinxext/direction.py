"""Every page says its language and, in a right-to-left book (Hebrew, Arabic, Urdu, Persian…),
its direction: ``<html lang="he" dir="rtl">``.

The themes print ``lang`` on the site's ``<html>`` element (the EPUB's theme not even that) but
never ``dir``, and with no ``dir`` a browser, an e-reader and WeasyPrint all lay a Hebrew
paragraph out left to right, its sentence's parts in the wrong order. Every page a builder
renders gets the book's language and direction; an EPUB of such a book also turns its pages
from right to left.
"""

from __future__ import annotations

import re
from typing import Any

from sphinx.builders import Builder

from ..languages import DEFAULT, bcp47, direction

_HTML_TAG = re.compile(r"<html\b[^>]*>")


def mark_language(page: str, language: str, xhtml: bool = False) -> str:
    """``page`` with ``lang`` (and, for XHTML, ``xml:lang``) on its ``<html>`` element where they are
    missing, and ``dir="rtl"`` when ``language`` is written right to left."""
    match = _HTML_TAG.search(page)
    if match is None:
        return page
    tag, added = match.group(0), []
    if not re.search(r"\slang=", tag):
        added.append(f'lang="{bcp47(language)}"')
    if xhtml and "xml:lang=" not in tag:
        added.append(f'xml:lang="{bcp47(language)}"')
    if direction(language) == "rtl" and not re.search(r"\sdir=", tag):
        added.append('dir="rtl"')
    if not added:
        return page
    return page[: match.start()] + f"<html {' '.join(added)}" + tag[len("<html") :] + page[match.end() :]


def render_with_language(builder: Builder, xhtml: bool = False) -> None:
    """Every page ``builder`` renders from a template carries the book's language and direction."""
    templates: Any = getattr(builder, "templates", None)
    if templates is None:
        return
    render = templates.render
    language = builder.config.language or DEFAULT

    def render_marked(template: str, context: dict[str, Any]) -> str:
        return mark_language(render(template, context), language, xhtml)

    templates.render = render_marked
