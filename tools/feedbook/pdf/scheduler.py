"""The posts rendered by several worker processes at once, with the book's page numbers exact.

A post's page numbers depend on how many pages every post before it took, and
WeasyPrint uses one core (WeasyPrint #1060). Its work on a post comes in two halves
of about equal cost: layout, which fixes the page count, and writing the PDF, which
needs nothing from other posts. So the posts form a pipeline: a worker lays out a
post, reports its page count and link targets at once, then writes its PDF, while
another worker already lays out the next post, whose first page is now known
exactly. Layouts run one after the other, writing runs beside them: on two cores
the book renders in about the time of its layouts alone, and every part is the
same, byte for byte, as a serial run would make. A post that links to a later one
is rendered once more at the end, when that post's page is known.

With ``workers`` at 1 everything runs in this process, one post after the other.
"""

from __future__ import annotations

import dataclasses
import gc
import multiprocessing
import multiprocessing.context
import os
import queue
import signal
import sys
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .part_cache import PartCache
from .print_html import PrintPage
from .render import PartOptions, RenderedChunk, finish_chunk, lay_out, render_chunk

if TYPE_CHECKING:
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

DEFAULT_OPTIONS = PartOptions()  # the screen book's
SMALL_BOOK = 32  # posts: below this, starting worker processes costs more than it saves
MAX_WORKERS = 3  # layouts run one at a time: more writers than this would only wait


@dataclass(frozen=True)
class Styles:
    """What every renderer needs, in a form that can cross to a worker process."""

    pages_dir: Path
    stylesheet: Path
    extra_css: tuple[str, ...]
    options: PartOptions = DEFAULT_OPTIONS
    font_store: Path | None = None  # where each original font drawn with is kept, for the merge (book_fonts)

    def stylesheets(self, font_config: FontConfiguration) -> list[CSS]:
        """The style sheets, their ``@font-face`` rules (a book's fonts for its scripts) in ``font_config``,
        which the render must share."""
        from weasyprint import CSS

        sheets = [CSS(filename=str(self.stylesheet), font_config=font_config)]
        return sheets + [CSS(string=css, font_config=font_config) for css in self.extra_css]

    def render_alone(self, source: str, base_url: str, out: Path, numbering: str = "decimal") -> RenderedChunk:
        """One page set rendered in this process (the opening pages, a blank page), numbered from 1."""
        from weasyprint.text.fonts import FontConfiguration

        from .fetcher import BookFetcher

        fonts = FontConfiguration()
        sheets = self.stylesheets(fonts)
        fetcher = BookFetcher(self.pages_dir)
        return render_chunk(source, base_url, out, 1, sheets, fetcher, numbering, fonts, self.options, self.font_store)


@dataclass(frozen=True)
class _Task:
    index: int
    html: str
    base_url: str
    out: Path
    first_page: int
    report_layout: bool = True  # False for the second pass, whose pages are already known


@dataclass(frozen=True)
class _Layout:
    """Sent by a worker as soon as a post is laid out, before its PDF is written."""

    index: int
    pages: int
    anchors: dict[str, int]


Prepare = Callable[[int, dict[str, int]], PrintPage]


class _Channel(Protocol):
    def put(self, item: _Layout) -> None: ...
    def get(self, block: bool = True, timeout: float | None = None) -> _Layout: ...


def render_posts(
    count: int,
    prepare: Prepare,
    source_url: Callable[[int], str],
    out: Callable[[int], Path],
    styles: Styles,
    workers: int,
    cache: PartCache | None = None,
    progress: Callable[[int, int], None] | None = None,
    opens_at: Callable[[int, int], int] | None = None,
) -> Generator[RenderedChunk, None, None]:
    """Render posts 0..count-1 and yield each one's part, in order, numbered from page 1.

    ``opens_at(index, page)`` gives the page post ``index`` opens on when the page after the post
    before it is ``page`` (a print edition's posts open on right-hand pages, after a part's title);
    the caller fills the pages it skips. Without it, each post follows the last.

    ``prepare(index, anchor_pages)`` gives the post's print page, with the book page of
    every target in the posts before it; ``source_url`` and ``out`` give its base URL and
    its part's path. A post ``cache`` holds from an earlier build is not rendered again;
    ``progress(done, count)`` hears of each post laid out. The parts are yielded once all are
    written (a post that links to a later one is drawn again first).
    """
    executor: Executor
    layouts: _Channel
    if workers <= 1:
        layouts = queue.SimpleQueue()
        executor = _InlineExecutor(styles)
    else:
        context = _process_context()
        layouts = context.Queue()
        executor = ProcessPoolExecutor(
            workers, mp_context=context, initializer=_start_worker, initargs=(styles, layouts, True)
        )
    try:
        futures: list[Future[RenderedChunk]] = []
        fresh: dict[str, Future[RenderedChunk]] = {}  # cache key -> a part rendered in this build
        unfinished: list[Future[RenderedChunk]] = []  # still writing: a few at most
        anchor_pages: dict[str, int] = {}
        forward: dict[int, set[str]] = {}  # targets in later posts, printed without their page
        first_page = 1
        for index in range(count):
            if opens_at is not None:
                first_page = opens_at(index, first_page)
            page = prepare(index, anchor_pages)
            if page.foreign - anchor_pages.keys():
                forward[index] = page.foreign - anchor_pages.keys()
            task = _Task(index, page.html, source_url(index), out(index), first_page)
            futures.append(_submit(executor, task, cache, fresh))
            unfinished.append(futures[index])
            laid_out = _await_layout(layouts, index, futures[index])
            unfinished = [future for future in unfinished if not _finished(future)]
            anchor_pages.update(_owned(laid_out.anchors, page))
            first_page += laid_out.pages
            if progress is not None:
                progress(index + 1, count)
        rendered = [future.result() for future in futures]
        _keep(cache, fresh)
        _render_forward_links(rendered, forward, anchor_pages, prepare, source_url, executor, cache)
    except BaseException:
        # An interrupt (SIGINT, SIGTERM) or a failed post: every worker ends
        # now. The pool's own shutdown would wait for posts still being rendered, for good if a
        # worker is blocked writing to the layouts queue nobody reads any more.
        _stop_now(executor)
        raise
    executor.shutdown(wait=True)
    yield from rendered


def _render_forward_links(
    rendered: list[RenderedChunk],
    forward: dict[int, set[str]],
    anchor_pages: dict[str, int],
    prepare: Prepare,
    source_url: Callable[[int], str],
    executor: Executor,
    cache: PartCache | None,
) -> None:
    """Posts that link to later posts, rendered again now that every page is known.

    The new part replaces the first only if every page and target stays where it was (a
    printed page number could, rarely, push a line over): otherwise the first part stands,
    its forward links without a page, and no other post's numbers move.
    """
    again: dict[int, Future[RenderedChunk]] = {}
    fresh: dict[str, Future[RenderedChunk]] = {}
    for index, targets in forward.items():
        if targets & anchor_pages.keys():
            first = rendered[index]
            retry = first.path.with_name(f"{first.path.name}.forward")
            page = prepare(index, anchor_pages)
            task = _Task(index, page.html, source_url(index), retry, first.first_page, report_layout=False)
            again[index] = _submit(executor, task, cache, fresh)
    for future in again.values():
        future.result()
    _keep(cache, fresh)  # before the accepted parts move onto the first ones
    for index, future in again.items():
        second, first = future.result(), rendered[index]
        if (second.pages, second.anchors) == (first.pages, first.anchors):
            os.replace(second.path, first.path)
            rendered[index] = dataclasses.replace(second, path=first.path)
        else:
            second.path.unlink()


def _submit(
    executor: Executor, task: _Task, cache: PartCache | None, fresh: dict[str, Future[RenderedChunk]]
) -> Future[RenderedChunk]:
    """The task's part: from the cache when an earlier build rendered the same page at the same place."""
    if cache is not None:
        key = cache.key(task.html, task.base_url, task.first_page)
        kept = cache.lookup(key, task.out)
        if kept is not None:
            done: Future[RenderedChunk] = Future()
            done.set_result(kept)
            return done
    _load_weasyprint()
    future = executor.submit(_render, task)
    if cache is not None:
        fresh[key] = future
    return future


def _load_weasyprint() -> None:
    """WeasyPrint imported here before the first post is rendered: the pool forks its workers at
    the first task, and they inherit it instead of each importing it again."""
    import weasyprint.text.fonts  # noqa: F401

    from . import fetcher  # noqa: F401


def _keep(cache: PartCache | None, fresh: dict[str, Future[RenderedChunk]]) -> None:
    if cache is not None:
        for key, future in fresh.items():
            cache.store(key, future.result())


def _stop_now(executor: Executor) -> None:
    """The workers terminated (killed if they do not go within two seconds) and the pool shut down."""
    processes = list((getattr(executor, "_processes", None) or {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(2)
        if process.is_alive():
            process.kill()
            process.join(1)


def _owned(anchors: dict[str, int], page: PrintPage) -> dict[str, int]:
    """The post's own targets: not the placeholders of other posts' targets its links point to."""
    return {name: number for name, number in anchors.items() if name not in page.foreign}


def _await_layout(layouts: _Channel, index: int, future: Future[RenderedChunk]) -> _Layout:
    """The layout of post ``index``, the one just submitted: reported by its worker, or read from
    its result if that came first (the report then arrives late, and is skipped)."""
    while True:
        if future.done():  # a cached part, or a post that rendered at once: no report to wait for
            rendered = future.result()  # raises what the worker raised
            return _Layout(index, rendered.pages, rendered.anchors)
        try:
            laid_out = layouts.get(timeout=0.2)
        except queue.Empty:
            if future.done():
                rendered = future.result()  # raises what the worker raised
                return _Layout(index, rendered.pages, rendered.anchors)
            continue
        if laid_out.index == index:
            return laid_out


def _finished(future: Future[RenderedChunk]) -> bool:
    """Whether the post is written; a post whose PDF could not be written stops the book now,
    not after every later layout."""
    if not future.done():
        return False
    future.result()  # raises what the worker raised
    return True


def default_workers(posts: Sequence[object]) -> int:
    """One process per available core (at most MAX_WORKERS); a small book renders in this process."""
    if len(posts) < SMALL_BOOK:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(MAX_WORKERS, cores))


# --- the worker side ---------------------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _process_context() -> multiprocessing.context.BaseContext:
    """fork on Linux: workers start at once, with WeasyPrint already imported, and need no
    ``if __name__ == "__main__"`` guard in whatever script called Sphinx. The pool forks them all
    before it starts its own thread, and Sphinx runs no threads; elsewhere (macOS's system
    libraries are not fork-safe), spawn."""
    return multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")


def _start_worker(styles: Styles, layouts: _Channel, in_worker: bool) -> None:
    if in_worker:
        # The main process decides when the book stops: a Ctrl-C sent to the whole terminal's
        # process group must not print a traceback from each worker, and SIGTERM ends it plainly.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        # What a forked worker inherited from Sphinx stays out of its garbage collector's walks,
        # which would otherwise touch, and so copy, every page of the parent's memory.
        gc.freeze()
    from weasyprint.text.fonts import FontConfiguration

    from .fetcher import BookFetcher

    _WORKER["layouts"] = layouts
    _WORKER["in_worker"] = in_worker
    _WORKER["fetcher"] = BookFetcher(styles.pages_dir)
    _WORKER["font_config"] = FontConfiguration()  # shared by every post this worker renders
    _WORKER["stylesheets"] = styles.stylesheets(_WORKER["font_config"])
    _WORKER["options"] = styles.options
    _WORKER["font_store"] = styles.font_store


def _render(task: _Task) -> RenderedChunk:
    laid_out = lay_out(
        task.html,
        task.base_url,
        task.first_page,
        _WORKER["stylesheets"],
        _WORKER["fetcher"],
        font_config=_WORKER["font_config"],
    )
    if task.report_layout and _WORKER["in_worker"]:  # in this process the result itself says it, at once
        _WORKER["layouts"].put(_Layout(task.index, laid_out.pages, laid_out.anchors))
    return finish_chunk(laid_out, task.out, task.first_page, _WORKER["options"], _WORKER["font_store"])


class _InlineExecutor(Executor):
    """Runs each task at once, in this process; sets WeasyPrint up at the first task (a build whose
    parts are all kept needs none)."""

    def __init__(self, styles: Styles) -> None:
        self._styles = styles
        self._started = False

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        if not self._started:
            _start_worker(self._styles, queue.SimpleQueue(), in_worker=False)
            self._started = True
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as error:  # handed to whoever asks for the result, as a pool would
            future.set_exception(error)
        return future
