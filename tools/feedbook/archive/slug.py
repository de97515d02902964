"""Entry into a file name for its chapter: stable, unique, and unable to leave the posts folder."""

from __future__ import annotations

import re
import urllib.parse

from slugify import slugify

from ..names import first_free
from ..sources.records import Entry

MAX_LENGTH = 80
# Last URL segments that say nothing about the post.
_GENERIC = re.compile(r"^(index|post|posts|entry|article|blog|p|\d+|[a-f0-9]{12,}|.*\.(asp|php|cgi|jsp)x?)$", re.I)
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)$", re.I)


def base_slug(entry: Entry) -> str:
    """``YYYY-MM-DD-words`` from the post URL's last segment, else from the title."""
    words = slugify(_url_words(entry.link), max_length=MAX_LENGTH, word_boundary=True)
    if not words:
        words = slugify(entry.title, max_length=MAX_LENGTH, word_boundary=True)
    if not words:
        words = "post"
    if _WINDOWS_RESERVED.match(words):
        words = f"post-{words}"
    date = entry.published[:10]
    if not re.match(r"^\d{4}-\d{2}-\d{2}$", date):
        return words
    # A URL that already starts with the date ("/2019-02-14-simplex-duplex/") names it once.
    return words if words == date or words.startswith(f"{date}-") else f"{date}-{words}"


def unique_slug(entry: Entry, taken: set[str]) -> str:
    """A slug whose lowercase form is not in ``taken`` (some file systems ignore case); it is added there."""
    candidate = first_free(base_slug(entry), taken, key=str.lower)
    taken.add(candidate.lower())
    return candidate


def _url_words(link: str) -> str:
    if not link:
        return ""
    path = urllib.parse.unquote(urllib.parse.urlsplit(link).path)
    segment = path.rstrip("/").rsplit("/", 1)[-1]
    segment = re.sub(r"\.(html?|php|aspx?)$", "", segment, flags=re.I)
    return "" if not segment or _GENERIC.match(segment) else segment
