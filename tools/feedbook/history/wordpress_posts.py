"""WordPress REST API answers (``wp/v2/posts``, ``categories``, ``tags``) into `Entry` records.

Every field is optional: the 2016 plugin era has no ``categories``, ``tags`` or ``protected``,
and plugins add their own keys. Dates come from ``*_gmt`` (UTC without a zone, so "Z" is added):
the local ``date`` has no offset and some sites' time zone is wrong. The id is ``guid.rendered``,
which is what the site's feed gives as the RSS guid or Atom id, so REST posts and feed entries
of the same post merge.
"""

from __future__ import annotations

import html
from typing import Any

from ..diagnostics import Reporter
from ..sources.elements import html_text, make_entry, parse_date
from ..sources.records import Entry, Feed
from .answers import text


def term_names(answer: Any) -> dict[int, str]:
    """A ``categories`` or ``tags`` page: term id -> name (names repeat across ids; ids do not)."""
    names: dict[int, str] = {}
    for term in answer if isinstance(answer, list) else []:
        if isinstance(term, dict) and _is_number(term.get("id")) and isinstance(term.get("name"), str):
            names[term["id"]] = html.unescape(term["name"])
    return names


def read_post(
    post: Any, feed: Feed, reporter: Reporter, terms: dict[int, str], author: str
) -> tuple[Entry | None, bool]:
    """One post of a ``wp/v2/posts`` page, and whether it was password-protected (not taken)."""
    if not isinstance(post, dict):
        return None, False
    content = _rendered(post.get("content"))
    if isinstance(post.get("content"), dict) and post["content"].get("protected") is True:
        return None, True
    link = text(post.get("link"))
    entry_id = _rendered(post.get("guid")) or link or (str(post["id"]) if _is_number(post.get("id")) else "")
    names = [terms.get(number, "") for key in ("categories", "tags") for number in _numbers(post.get(key))]
    # No content in the answer (a plugin removed it): the excerpt is all there is.
    excerpt_only = not content.strip()
    entry = make_entry(
        feed,
        reporter,
        entry_id=html.unescape(entry_id),
        title=html_text(_rendered(post.get("title"))),
        link=link,
        published=_gmt(post, "date"),
        updated=_gmt(post, "modified"),
        authors=_authors(post) or ([author] if author else []),
        tags=names,
        content=_rendered(post.get("excerpt")) if excerpt_only else content,
        base_url=link,
        summary_only=excerpt_only,
    )
    return entry, False


def _rendered(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("rendered")
    return value if isinstance(value, str) else ""


def _numbers(value: Any) -> list[int]:
    return [item for item in value if _is_number(item)] if isinstance(value, list) else []


def _is_number(value: Any) -> bool:
    """A JSON integer (``true`` is one to Python, not to JSON)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _gmt(post: dict[str, Any], field: str) -> str:
    gmt = text(post.get(f"{field}_gmt"))
    if gmt and not gmt.startswith("0000"):
        return parse_date(gmt if gmt.endswith("Z") or "+" in gmt[10:] else gmt + "Z")
    return parse_date(text(post.get(field)))


def _authors(post: dict[str, Any]) -> list[str]:
    embedded = post.get("_embedded")
    people = embedded.get("author") if isinstance(embedded, dict) else None
    return [
        html.unescape(person["name"])
        for person in (people if isinstance(people, list) else [])
        if isinstance(person, dict) and isinstance(person.get("name"), str) and person["name"].strip()
    ]
