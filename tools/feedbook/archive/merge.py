"""Feeds merged into the book's state by entry id: which entries, under which slugs, linked how.

A feed lists only its last N posts, so the book is an archive: entries are added
and updated, never removed because a newer feed no longer lists them.
"""

from __future__ import annotations

from pathlib import Path

from ..convert.labels import chapter_label, normalize_post_url
from ..sources.fetch import is_url
from ..sources.records import Entry, Feed
from .chapters import chapter_id
from .slug import unique_slug
from .state import BookState, sha256


def merge_entries(feeds: list[Feed]) -> list[tuple[Feed, Entry]]:
    """Entries of all feeds, first occurrence of an id winning, oldest first (stable output order)."""
    seen: dict[str, tuple[Feed, Entry]] = {}
    for feed in feeds:
        for entry in feed.entries:
            seen.setdefault(entry.id, (feed, entry))
    return sorted(seen.values(), key=lambda pair: (pair[1].published or "", pair[1].id))


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
