"""Labels of chapters and the post URLs that find them, so links between posts stay inside the book."""

from __future__ import annotations

import functools
import re
import urllib.parse

from ..names import label_part


@functools.lru_cache(maxsize=4096)
def normalize_post_url(url: str) -> str:
    """A post URL in the form used to recognise links between posts (scheme, www, slash, index.html ignored)."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
    except ValueError:  # not a URL ("http://[oops"): it can only match itself
        return url
    host = parts.netloc.lower().removeprefix("www.")
    path = re.sub(r"/(index\.html?)?$", "", parts.path) or "/"
    return f"{host}{path}" + (f"?{parts.query}" if parts.query else "")


def chapter_label(slug: str) -> str:
    return "post-" + label_part(slug)
