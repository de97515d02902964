"""The ``convert`` command as its steps: read every feed (and, when asked, walk the blog's history
from it), merge the entries by id, convert each entry to a chapter, write what changed, save the
book's state.

Every source is read before anything is written, so a bad feed leaves the book untouched; an
interrupted history walk keeps its pages in the user's cache and the next run resumes from them.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from .archive.chapters import Written, write_chapter
from .archive.images import ImageStore
from .archive.merge import (
    assign_slugs,
    kept_posts,
    merge_entries,
    post_labels,
    record_origin,
    record_sources,
    recorded_sources,
    replaces_kept,
)
from .archive.state import POSTS_DIR, STATE_FILE, BookState, sha256
from .convert.chapter import convert_entry
from .convert.context import ChapterContext
from .diagnostics import STATUS, FeedbookError, Kind, Reporter
from .history.crawler import Validators
from .history.found import Start, Walked
from .history.progress import walk_progress
from .history.resume import PageStore
from .history.walk import HistoryOptions, named_services, walk_history
from .net.addresses import AddressPolicy
from .net.client import DEADLINE_SECONDS, Fetched, HttpClient
from .sources.feed import Entry, Feed, parse_feed
from .sources.fetch import is_url, read_feed_source


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
    # Walk the blog's history from each feed URL (None: read the feeds alone).
    history: HistoryOptions | None = None

    def __post_init__(self) -> None:
        if self.book.exists() and not self.book.is_dir():
            raise FeedbookError(f"{self.book}: not a folder")
        if not self.timeout > 0:
            raise FeedbookError(f"--timeout must be a positive number of seconds, not {self.timeout}")


@dataclass
class ConvertResult:
    feeds: list[Feed] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    hand_edited: list[str] = field(default_factory=list)
    summaries: dict[str, list[str]] = field(default_factory=dict)  # feed -> chapters written from a summary
    failed: list[str] = field(default_factory=list)
    history: list[Walked] = field(default_factory=list)


def http_client(sources: list[str] | tuple[str, ...], timeout: float, *, wayback: bool = False) -> HttpClient:
    """The client of one run: the feed URLs the user named (or recorded in the book), and the
    Wayback Machine's URL when it is asked, are trusted even on this machine or a private network;
    every other address a feed names must be public."""
    trusted = [source for source in sources if is_url(source)] + named_services(wayback=wayback)
    return HttpClient(AddressPolicy.from_environment(*trusted), deadline=timeout)


def convert_feeds(options: ConvertOptions, reporter: Reporter) -> ConvertResult:
    """Merge the feeds of ``options`` into the book; the chapters written, unchanged, kept and failed."""
    state = BookState.load(options.book)
    sources = list(options.sources) or recorded_sources(options.book, state)
    if not sources:
        raise FeedbookError(f"{options.book}: no feed given and none recorded in {STATE_FILE}")
    client = http_client(sources, options.timeout, wayback=bool(options.history and options.history.wayback))
    result = ConvertResult()
    stores: list[PageStore] = []
    named: list[str] = []
    for position, given in enumerate(list(sources)):
        source, fetched, feed = read_feed(given, client, reporter)
        sources[position] = source  # a blog's page given: its feed is what the book records
        result.feeds.append(feed)
        named.append(feed.source)
        if options.history is not None and is_url(source):
            stores.append(PageStore.for_feed(source))
            walks = _walk(Start(source, feed, fetched, reporter), client, options, state, stores[-1])
            result.history.extend(walks)
            result.feeds.extend(page for walked in walks for page in walked.feeds if page is not feed)

    posts_dir = options.book / POSTS_DIR
    entries = merge_entries(result.feeds)
    assign_slugs(state, entries, posts_dir)
    labels = post_labels(state)
    images = ImageStore(posts_dir, state.images, reporter, client=client, offline=options.offline)
    for index, (feed, entry) in enumerate(entries, start=1):
        _convert_one(feed, entry, state, posts_dir, labels, images, options, reporter, result)
        if options.progress:
            STATUS.show(f"feedbook: converted {index}/{len(entries)}")
    STATUS.clear()

    for source, slugs in result.summaries.items():  # said when such chapters are written, not on every run
        reporter.warn(
            Kind.SUMMARY_ONLY,
            f"{len(slugs)} chapter(s) hold only the summary the feed gives; each ends with a link to the"
            " whole post (the blog's history, or a feed with full content, can give the rest)",
            feed=source,
        )
    listed = {entry.id for _, entry in entries}
    result.kept = kept_posts(state, listed)
    newly_kept = _newly_kept(state, listed)
    if newly_kept:  # said once, when posts leave the feed; the summary counts them on every run
        reporter.warn(
            Kind.ENTRY_KEPT,
            f"kept {newly_kept} more post(s) from earlier runs that the feed no longer lists"
            f" ({len(result.kept)} in all)",
            feed=", ".join(named),
        )
    record_sources(options.book, state, sources)
    state.save(options.book)
    for store in stores:  # the book has every page now: nothing left to resume
        store.clear()
    return result


def read_feed(source: str, client: HttpClient, reporter: Reporter) -> tuple[str, Fetched, Feed]:
    """One SOURCE read and parsed (a blog's page: the feed it names); a feed with no entries is an error."""
    found, fetched = read_feed_source(source, client)
    if found != source:
        print(f"feedbook: {source} is a web page; reading the feed it names: {found}", file=sys.stderr)
    shown = source if is_url(source) else Path(source).name
    feed = parse_feed(fetched.data, shown, reporter, url=fetched.url or (found if is_url(found) else ""))
    if not feed.entries:
        raise FeedbookError(f"{shown}: the feed has no entries to convert")
    return found, fetched, feed


def _walk(
    start: Start, client: HttpClient, options: ConvertOptions, state: BookState, store: PageStore
) -> list[Walked]:
    """The blog's history from one feed; the pages' validators are kept in the book's state."""
    assert options.history is not None
    validators = Validators(state.history)
    start.limits = options.history.limits
    with walk_progress(options.progress) as progress:
        start.progress = progress
        return walk_history(start, client, options.history, validators, store)


def _convert_one(
    feed: Feed,
    entry: Entry,
    state: BookState,
    posts_dir: Path,
    labels: dict[str, str],
    images: ImageStore,
    options: ConvertOptions,
    reporter: Reporter,
    result: ConvertResult,
) -> None:
    record = state.posts[entry.id]
    slug = record["slug"]
    if not replaces_kept(entry, record):  # an older copy (a snapshot) than the chapter's: keep the chapter
        result.unchanged.append(slug)
        return
    context = ChapterContext(
        slug=slug,
        feed=feed.source,
        post_labels=labels,
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
    path = posts_dir / f"{slug}.md"
    written = write_chapter(path, chapter.text.encode("utf-8"), record, force=options.force)
    if written is Written.HAND_EDITED:
        result.hand_edited.append(slug)
        edit = sha256(path.read_bytes())
        if record.get("edited") != edit:  # said once for each edit; the summary counts them
            record["edited"] = edit
            reporter.warn(
                Kind.HAND_EDITED,
                f"{path} was edited by hand; left alone (use --force to overwrite)",
                feed=feed.source,
                entry=entry.id,
            )
        return
    record.pop("edited", None)
    record_origin(record, entry)
    (result.written if written is Written.WRITTEN else result.unchanged).append(slug)
    if written is Written.WRITTEN and entry.summary_only:
        result.summaries.setdefault(feed.source, []).append(slug)


def _newly_kept(state: BookState, listed: set[str]) -> int:
    """How many posts left the feeds since the last run (each is marked, and unmarked if it returns)."""
    new = 0
    for entry_id, record in state.posts.items():
        if entry_id in listed:
            record.pop("kept", None)
        elif record.get("kept") != "yes":
            record["kept"] = "yes"
            new += 1
    return new
