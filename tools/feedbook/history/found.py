"""What a history walk brings back: the pages it read as feeds, and how complete it says they are."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..diagnostics import Reporter
from ..net.client import Fetched
from ..sources.records import Feed


@dataclass(frozen=True)
class Limits:
    pages: int = 1000  # per source: a walk that has not ended by then is stopped and says so
    entries: int = 20000


@dataclass
class Start:
    """Where every walk begins: the feed the user named, as fetched and parsed."""

    url: str
    feed: Feed
    fetched: Fetched
    reporter: Reporter
    limits: Limits = field(default_factory=Limits)
    # Called after each page: the method's name, pages read, posts found (the terminal's progress line).
    progress: Callable[[str, int, int], None] = lambda method, pages, posts: None


@dataclass
class Walked:
    method: str  # "WordPress REST API", "Wayback Machine"…
    feeds: list[Feed] = field(default_factory=list)
    pages: int = 0
    total: int | None = None  # the posts the platform says the blog has, when it says
    snapshots: int = 0
    complete: bool = False  # the source itself says this is everything (fh:complete, a total reached)
    stopped: str = ""  # why the walk ended before its end, if it did

    def ids(self) -> set[str]:
        return {entry.id for feed in self.feeds for entry in feed.entries}

    def add(self, feed: Feed, start: Start) -> int:
        """Keep one page; the number of posts it added that earlier pages had not."""
        before = self.ids()
        self.feeds.append(feed)
        self.pages += 1
        added = len(self.ids() - before)
        start.progress(self.method, self.pages, len(before) + added)
        return added

    def page_cap_reached(self, limits: Limits, unit: str = "pages") -> bool:
        """Whether the walk has read as many pages (or snapshots) as one walk may; it then says so."""
        read = self.snapshots if unit == "snapshots" else self.pages
        if read < limits.pages:
            return False
        self.stopped = f"{limits.pages} {unit} read, the most one walk reads"
        return True

    def entry_cap_reached(self, limits: Limits) -> bool:
        """Whether the walk has found as many posts as one walk takes; it then says so."""
        if len(self.ids()) < limits.entries:
            return False
        self.stopped = f"{limits.entries} posts found, the most one walk takes"
        return True

    def line(self) -> str:
        """One line for the terminal: "WordPress REST API: 412/412 posts"."""
        found = len(self.ids())
        if self.total is not None:
            text = f"{self.method}: {found}/{self.total} posts"
        elif self.snapshots:
            text = f"{self.method}: {found} posts from {self.snapshots} snapshots"
        else:
            text = f"{self.method}: {found} posts from {self.pages} page{'s' if self.pages != 1 else ''}"
        if self.stopped:
            return f"{text} (stopped: {self.stopped})"
        if self.total is None and not self.complete:
            text += ", completeness unknown"
        return text
