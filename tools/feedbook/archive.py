"""Feeds merged into a book's posts folder, by entry id, writing only what changed.

A feed lists only its last N posts, so the book is an archive: entries are added
and updated, never removed because a newer feed no longer lists them. The state
file (``feedbook.json``) records each entry's slug and the hash of the chapter
as written, so a chapter edited by hand is noticed and left alone.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .convert import ChapterContext, chapter_label, convert_entry, normalize_post_url
from .diagnostics import FeedbookError, Kind, Reporter
from .feed import Entry, Feed, parse_feed
from .fetch import is_url, read_source
from .images import ImageStore
from .net.addresses import AddressPolicy
from .net.client import DEADLINE_SECONDS, HttpClient
from .slug import unique_slug
from .storage import write_if_changed

STATE_FILE = "feedbook.json"
POSTS_DIR = "posts"
STATE_VERSION = 1


@dataclass(frozen=True)
class ConvertOptions:
    """How `convert_feeds` runs; validated when built."""

    book: Path
    sources: tuple[str, ...] = ()
    force: bool = False
    offline: bool = False
    progress: bool = False
    # The longest one download (a feed, an image) may take, from request to last byte.
    timeout: float = DEADLINE_SECONDS

    def __post_init__(self) -> None:
        if self.book.exists() and not self.book.is_dir():
            raise FeedbookError(f"{self.book}: not a folder")
        if not self.timeout > 0:
            raise FeedbookError(f"--timeout must be a positive number of seconds, not {self.timeout}")


def http_client(sources: list[str] | tuple[str, ...], timeout: float) -> HttpClient:
    """The client of one run: the feed URLs the user named (or recorded in the book) are trusted
    even on this machine or a private network; every other address a feed names must be public."""
    return HttpClient(AddressPolicy.from_environment(*(s for s in sources if is_url(s))), deadline=timeout)


@dataclass
class ConvertResult:
    feeds: list[Feed] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


@dataclass
class BookState:
    feeds: list[str] = field(default_factory=list)
    posts: dict[str, dict[str, str]] = field(default_factory=dict)
    images: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, book: Path) -> BookState:
        path = book / STATE_FILE
        if not path.is_file():
            return cls()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise FeedbookError(f"{path}: unreadable book state ({error})") from None
        return cls(list(data.get("feeds", [])), dict(data.get("posts", {})), dict(data.get("images", {})))

    def dumps(self) -> str:
        data = {"version": STATE_VERSION, "feeds": self.feeds, "posts": self.posts, "images": self.images}
        return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def convert_feeds(options: ConvertOptions, reporter: Reporter) -> ConvertResult:
    """Read every source first (a bad one leaves the book untouched), then merge them into the book."""
    state = BookState.load(options.book)
    sources = list(options.sources) or [_from_book(options.book, s) for s in state.feeds]
    if not sources:
        raise FeedbookError(f"{options.book}: no feed given and none recorded in {STATE_FILE}")
    result = ConvertResult()
    client = http_client(sources, options.timeout)
    for source in sources:
        fetched = read_source(source, client)
        feed = parse_feed(fetched.data, _shown(source), reporter, url=fetched.url or (source if is_url(source) else ""))
        if not feed.entries:
            raise FeedbookError(f"{_shown(source)}: the feed has no entries to convert")
        result.feeds.append(feed)

    posts_dir = options.book / POSTS_DIR
    entries = _merge_entries(result.feeds)
    known = {record["slug"] for record in state.posts.values()}
    on_disk = {path.stem for path in posts_dir.glob("*.md")} if posts_dir.is_dir() else set()
    # Chapters a run wrote before it was killed (state not saved yet): found again by their entry id.
    orphans = {_chapter_id(posts_dir / f"{stem}.md"): stem for stem in sorted(on_disk - known)}
    taken = {slug.lower() for slug in known | on_disk}
    for _feed, entry in entries:
        if entry.id not in state.posts:
            slug = orphans.get(entry.id) or unique_slug(entry, taken)
            state.posts[entry.id] = {"slug": slug, "link": entry.link}
            if entry.id in orphans:  # written by the killed run: what is on disk is ours, not a hand edit
                state.posts[entry.id]["sha256"] = sha256((posts_dir / f"{slug}.md").read_bytes())
        elif entry.link:
            state.posts[entry.id]["link"] = entry.link
    post_labels = {
        normalize_post_url(record["link"]): chapter_label(record["slug"])
        for record in state.posts.values()
        if record.get("link")
    }
    images = ImageStore(posts_dir, state.images, reporter, client=client, offline=options.offline)
    listed = {entry.id for _, entry in entries}
    for index, (feed, entry) in enumerate(entries, start=1):
        _convert_one(feed, entry, state, posts_dir, post_labels, images, options, reporter, result)
        if options.progress:
            print(f"\rfeedbook: converted {index}/{len(entries)}", end="", file=sys.stderr, flush=True)
    if options.progress and entries:
        print(file=sys.stderr)
    result.kept = sorted(record["slug"] for entry_id, record in state.posts.items() if entry_id not in listed)
    if result.kept:
        reporter.warn(
            Kind.ENTRY_KEPT,
            f"kept {len(result.kept)} post(s) from earlier runs that the feed no longer lists",
            feed=", ".join(feed.source for feed in result.feeds),
        )
    state.feeds = list(dict.fromkeys([*state.feeds, *(_to_book(options.book, s) for s in sources)]))
    options.book.mkdir(parents=True, exist_ok=True)
    write_if_changed(options.book / STATE_FILE, state.dumps().encode("utf-8"))
    return result


def _convert_one(
    feed: Feed,
    entry: Entry,
    state: BookState,
    posts_dir: Path,
    post_labels: dict[str, str],
    images: ImageStore,
    options: ConvertOptions,
    reporter: Reporter,
    result: ConvertResult,
) -> None:
    record = state.posts[entry.id]
    slug = record["slug"]
    context = ChapterContext(
        slug=slug,
        feed=feed.source,
        post_labels=post_labels,
        resolve_image=images.resolver(feed.source, entry.id),
        reporter=reporter,
    )
    try:
        chapter = convert_entry(entry, context)
    except Exception as error:  # one broken entry must not stop the others
        reporter.warn(
            Kind.ENTRY_FAILED, f"not converted: {type(error).__name__}: {error}", feed=feed.source, entry=entry.id
        )
        result.failed.append(entry.id)
        return
    data = chapter.text.encode("utf-8")
    path = posts_dir / f"{slug}.md"
    if path.is_file() and not options.force:
        current = path.read_bytes()
        if current != data and sha256(current) != record.get("sha256"):
            reporter.warn(
                Kind.HAND_EDITED,
                f"{path} was edited by hand; left alone (use --force to overwrite)",
                feed=feed.source,
                entry=entry.id,
            )
            result.unchanged.append(slug)
            return
    if write_if_changed(path, data):
        result.written.append(slug)
    else:
        result.unchanged.append(slug)
    record["sha256"] = sha256(data)


def _chapter_id(path: Path) -> str:
    """The entry id in a chapter's front matter ("" when it has none)."""
    try:
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle):
                if line.startswith("id: "):
                    value = json.loads(line[4:])
                    return value if isinstance(value, str) else ""
                if number > 0 and line.strip() == "---":
                    break
    except (OSError, UnicodeDecodeError, ValueError):
        pass
    return ""


def _merge_entries(feeds: list[Feed]) -> list[tuple[Feed, Entry]]:
    """Entries of all feeds, first occurrence of an id winning, oldest first (stable output order)."""
    seen: dict[str, tuple[Feed, Entry]] = {}
    for feed in feeds:
        for entry in feed.entries:
            seen.setdefault(entry.id, (feed, entry))
    return sorted(seen.values(), key=lambda pair: (pair[1].published or "", pair[1].id))


def _shown(source: str) -> str:
    return source if is_url(source) else Path(source).name


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
