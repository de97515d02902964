"""Feeds merged into the book's state by entry id: which entries, under which slugs, linked how.

A feed lists only its last N posts, so the book is an archive: entries are added
and updated, never removed because a newer feed no longer lists them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..convert.labels import chapter_label, normalize_post_url
from ..sources.fetch import is_url
from ..sources.records import Entry, Feed
from .chapters import chapter_id
from .slug import unique_slug
from .state import BookState, sha256


def merge_entries(feeds: list[Feed]) -> list[tuple[Feed, Entry]]:
    """One copy of each entry id, the best (`rank`; the first of equals), oldest first."""
    seen: dict[str, tuple[Feed, Entry]] = {}
    for feed in feeds:
        for entry in feed.entries:
            kept = seen.get(entry.id)
            if kept is None or rank(entry) > rank(kept[1]):
                seen[entry.id] = (feed, entry)
    return sorted(seen.values(), key=lambda pair: (pair[1].published or "", pair[1].id))


def rank(entry: Entry) -> tuple[dt.datetime, bool, bool]:
    """Which copy of a post wins: the newest ``updated``; then full content over an excerpt; then
    a live source over the Wayback Machine's copy."""
    return (_when(entry.updated), not entry.summary_only, not entry.origin.startswith("wayback"))


def replaces_kept(entry: Entry, record: dict[str, str]) -> bool:
    """Whether ``entry`` is at least as good as the copy the book's chapter was made from (a walk of
    old snapshots must not turn a chapter back into an older version of the post)."""
    if "updated" not in record:
        return True
    live = not record.get("origin", "").startswith("wayback")
    return rank(entry) >= (_when(record["updated"]), record.get("excerpt") != "yes", live)


def record_origin(record: dict[str, str], entry: Entry) -> None:
    """Where the chapter's copy came from (no key: the feed), its date, and whether it was an excerpt."""
    record["updated"] = entry.updated
    origin = "" if entry.origin == "feed" else entry.origin
    for key, value in (("origin", origin), ("excerpt", "yes" if entry.summary_only else "")):
        if value:
            record[key] = value
        else:
            record.pop(key, None)


def _when(value: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return dt.datetime.min.replace(tzinfo=dt.UTC)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def assign_slugs(state: BookState, entries: list[tuple[Feed, Entry]], posts_dir: Path) -> None:
    """A slug for every new entry (kept for known ones), unique in the book, and each entry's link."""
    known = {record["slug"] for record in state.posts.values()}
    on_disk = {path.stem for path in posts_dir.glob("*.md")} if posts_dir.is_dir() else set()
    # Chapters a run wrote before it was killed (state not saved yet): found again by their entry id.
    orphans = {chapter_id(posts_dir / f"{stem}.md"): stem for stem in sorted(on_disk - known)}
    taken = {slug.lower() for slug in known | on_disk}
    for _feed, entry in entries:
        if entry.id not in state.posts:
            slug = orphans.get(entry.id) or unique_slug(entry, taken)
            state.posts[entry.id] = {"slug": slug, "link": entry.link}
            if entry.id in orphans:  # written by the killed run: what is on disk is ours, not a hand edit
                state.posts[entry.id]["sha256"] = sha256((posts_dir / f"{slug}.md").read_bytes())
        elif entry.link:
            state.posts[entry.id]["link"] = entry.link


def post_labels(state: BookState) -> dict[str, str]:
    """Each post's original URL (normalized) -> its chapter's label, so links between posts stay inside."""
    return {
        normalize_post_url(record["link"]): chapter_label(record["slug"])
        for record in state.posts.values()
        if record.get("link")
    }


def kept_posts(state: BookState, listed: set[str]) -> list[str]:
    """Slugs of the posts no feed of this run lists (kept from earlier runs)."""
    return sorted(record["slug"] for entry_id, record in state.posts.items() if entry_id not in listed)


def recorded_sources(book: Path, state: BookState) -> list[str]:
    """The feeds recorded in the book, as paths or URLs to read."""
    return [_from_book(book, recorded) for recorded in state.feeds]


def record_sources(book: Path, state: BookState, sources: list[str]) -> None:
    state.feeds = list(dict.fromkeys([*state.feeds, *(_to_book(book, source) for source in sources)]))


def _to_book(book: Path, source: str) -> str:
    """Record a local feed inside the book relative to it, so the book can move."""
    if is_url(source):
        return source
    path = Path(source).resolve()
    try:
        return path.relative_to(book.resolve()).as_posix()
    except ValueError:
        return str(path)


def _from_book(book: Path, recorded: str) -> str:
    if is_url(recorded) or Path(recorded).is_absolute():
        return recorded
    return str(book / recorded)
