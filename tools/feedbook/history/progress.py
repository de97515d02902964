"""The history walk's progress on a terminal (rich), and nothing at all in a log."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

Update = Callable[[str, int, int], None]


def _silent(method: str, pages: int, posts: int) -> None:
    return None


@contextmanager
def walk_progress(enabled: bool) -> Iterator[Update]:
    """A live line "WordPress REST API: 3 pages, 300 posts" while the walk runs; it is gone when
    the walk ends (the summary line follows), and warnings printed meanwhile land above it."""
    if not enabled:
        yield _silent
        return
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True, redirect_stderr=True) as bar:
        task = bar.add_task("looking for the blog's history", total=None)

        def update(method: str, pages: int, posts: int) -> None:
            bar.update(task, description=f"{method}: {pages} page{'s' if pages != 1 else ''}, {posts} posts")

        yield update
