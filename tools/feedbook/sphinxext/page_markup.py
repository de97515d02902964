"""The page chrome put right: markup pages got twice or empty, and the footer's years.

Sphinx's layouts (basic, epub, pydata) write their own viewport ``<meta>``, and docutils'
HTML5 writer adds a second one to the page's metatags. The front page's toctree is
hidden (its list of posts says more), which leaves an empty ``toctree-wrapper`` div.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from .builds import builds_site, once_per_build
from .posts import post_dates, read_posts, year_span

DOCUTILS_VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1" />\n'
_EMPTY_TOCTREE = re.compile(r'<div class="toctree-wrapper compound">\s*</div>\n?')


def drop_repeated_markup(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if isinstance(context.get("metatags"), str):
        context["metatags"] = context["metatags"].replace(DOCUTILS_VIEWPORT, "")
    body = context.get("body")
    if isinstance(body, str) and "toctree-wrapper" in body:
        context["body"] = _EMPTY_TOCTREE.sub("", body)


def add_copyright_years(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """The footer's years: the first post's to the last's ("2015–2023"), or one year; none when the
    book's copyright already gives its own ("2019, Jane")."""
    if builds_site(app):
        held = app.config.copyright
        text = held if isinstance(held, str) else " ".join(held)
        context["feedbook_years"] = "" if any(c.isdigit() for c in text) else once_per_build(app, "years", _years)


def _years(app: Sphinx) -> str:
    return year_span(post_dates(read_posts(Path(app.srcdir), app.config.feedbook_posts_dir)))
