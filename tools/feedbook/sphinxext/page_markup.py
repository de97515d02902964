"""Markup every page gets twice or empty, taken out: docutils' viewport tag and a hidden toctree's div.

Sphinx's layouts (basic, epub, pydata) write their own viewport ``<meta>``, and docutils'
HTML5 writer adds a second one to the page's metatags. The front page's toctree is
hidden (its list of posts says more), which leaves an empty ``toctree-wrapper`` div.
"""

from __future__ import annotations

import re
from typing import Any

from sphinx.application import Sphinx

DOCUTILS_VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1" />\n'
_EMPTY_TOCTREE = re.compile(r'<div class="toctree-wrapper compound">\s*</div>\n?')


def drop_repeated_markup(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if isinstance(context.get("metatags"), str):
        context["metatags"] = context["metatags"].replace(DOCUTILS_VIEWPORT, "")
    body = context.get("body")
    if isinstance(body, str) and "toctree-wrapper" in body:
        context["body"] = _EMPTY_TOCTREE.sub("", body)
