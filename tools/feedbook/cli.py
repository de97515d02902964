"""The ``feedbook`` command: init, convert, build. Only this module prints or chooses an exit status."""

from __future__ import annotations

import argparse
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .archive.skeleton import BookMetadata, write_book_skeleton
from .archive.storage import shared_mode
from .diagnostics import FeedbookError, Kind, Reporter, parse_kinds, print_to_stderr
from .history.crawler import Politeness
from .history.found import Limits, Walked
from .history.walk import HistoryOptions
from .history.wayback import DEFAULT_BASE as DEFAULT_WAYBACK
from .net.client import DEADLINE_SECONDS
from .pipeline import ConvertOptions, convert_feeds, http_client, read_feed
from .print_edition.printers import PRINTERS
from .print_edition.settings import LINK_MODES, PART_MODES
from .sources.fetch import is_url
from .sources.jsonfeed import looks_like_json

# The EPUB and PDF first: the site links them.
FORMATS = ("epub", "pdf", "html")
OFFLINE_HELP = "download no images: the chapters link them (feeds given as URLs, and the history, are still read)"


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    # SIGTERM (timeout, supervisors, a CI's cancel button) stops feedbook as Ctrl-C does: cleanly.
    on_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if on_main_thread else None
    try:
        suppressed = parse_kinds(getattr(args, "suppress_warnings", None))
        return int(args.run(args, Reporter(print_to_stderr, suppressed=suppressed)))
    except FeedbookError as error:
        print(f"feedbook: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("feedbook: error: interrupted; files already written are complete", file=sys.stderr)
        return 1
    except Exception as error:  # the contract is one line, never a traceback, even for a bug of ours
        print(f"feedbook: error: internal error ({type(error).__name__}: {error}); please report it", file=sys.stderr)
        return 1
    finally:
        if on_main_thread:  # called from a program of its own (or a test): its handler back
            signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="feedbook", description="Turn a blog's feed into a book.")
    parser.add_argument("--version", action="version", version=f"feedbook {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    init = commands.add_parser("init", help="make a new book source folder for a blog")
    init.add_argument("dir", type=Path, metavar="DIR")
    init.add_argument(
        "--feed",
        action="append",
        default=[],
        metavar="SOURCE",
        help="a feed file or http(s) URL to convert into the book (repeat for several feeds of one blog;"
        " the first gives the book's title, author and language)",
    )
    init.add_argument("--title", default="", help="book title (default: the feed's)")
    init.add_argument("--author", default="", help="book author (default: the feed's)")
    init.add_argument("--language", default="", help="language code such as en or de (default: the feed's)")
    init.add_argument("--offline", action="store_true", help=OFFLINE_HELP)
    init.add_argument("--no-history", action="store_true", help="read the feed alone, not the blog's older posts")
    _history_options(init)
    _download_options(init)
    init.set_defaults(run=_init)

    convert = commands.add_parser("convert", help="merge feeds into the book's posts")
    convert.add_argument("sources", nargs="*", metavar="SOURCE", help="feed files or http(s) URLs")
    convert.add_argument("--book", type=Path, default=Path("book"), metavar="DIR")
    convert.add_argument("--force", action="store_true", help="overwrite chapters edited by hand")
    convert.add_argument("--offline", action="store_true", help=OFFLINE_HELP)
    convert.add_argument(
        "--history",
        action="store_true",
        help="walk the blog's history again from each feed URL (only what changed is fetched)",
    )
    _history_options(convert)
    _download_options(convert)
    convert.set_defaults(run=_convert)

    build = commands.add_parser("build", help="build the book with Sphinx (warnings are errors)")
    build.add_argument(
        "format",
        choices=(*FORMATS, "all", "print"),
        help="html, epub, pdf, all three, or print: the print-on-demand edition (interior, cover, report)",
    )
    build.add_argument("--book", type=Path, default=Path("book"), metavar="DIR")
    build.add_argument("--out", type=Path, default=Path("build"), metavar="DIR")
    build.add_argument("--printer", choices=tuple(PRINTERS), help="print: the service (default: conf.py's, or kdp)")
    build.add_argument(
        "--trim", metavar="SIZE", help="print: the trimmed page: 6x9in, 5.5x8.5in, 5x8in, a5, 148x210mm (default 6x9in)"
    )
    build.add_argument("--paper", choices=("white", "cream"), help="print: the interior's paper (default white)")
    build.add_argument("--links", choices=LINK_MODES, help="print: URLs as page-bottom notes or a list after each post")
    build.add_argument(
        "--parts", choices=PART_MODES, help="print: year makes each year a part whose title opens on a right-hand page"
    )
    build.set_defaults(run=_build)
    return parser


def _history_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--wayback",
        action="store_true",
        help="also read the feed's old copies in the Wayback Machine (FEEDBOOK_WAYBACK_URL, "
        f"default {DEFAULT_WAYBACK})",
    )
    command.add_argument(
        "--delay",
        type=float,
        default=Politeness.delay,
        metavar="SECONDS",
        help=f"between two requests to one host while walking the history (default: {Politeness.delay:g}; "
        "more when robots.txt asks)",
    )
    command.add_argument(
        "--max-pages",
        type=int,
        default=Limits.pages,
        metavar="N",
        help=f"the most pages (or snapshots) one history walk reads (default: {Limits.pages})",
    )


def _history(args: argparse.Namespace, wanted: bool) -> HistoryOptions | None:
    if args.delay < 0:
        raise FeedbookError(f"--delay must be zero or more seconds, not {args.delay:g}")
    if args.max_pages < 1:
        raise FeedbookError(f"--max-pages must be at least 1, not {args.max_pages}")
    if not wanted and not args.wayback:
        return None
    politeness = Politeness(delay=args.delay)
    return HistoryOptions(wayback=args.wayback, politeness=politeness, limits=Limits(pages=args.max_pages))


def _print_history(walks: list[Walked]) -> None:
    for walked in walks:
        print(f"feedbook: {walked.line()}", file=sys.stderr)


def _download_options(command: argparse.ArgumentParser) -> None:
    kinds = "; ".join(f"{kind.value}: {kind.description}" for kind in Kind)
    command.add_argument(
        "--suppress-warnings",
        action="append",
        metavar="KIND",
        help=f"do not print warnings of this kind (repeat, or separate by commas). Kinds: {kinds}",
    )
    command.add_argument(
        "--timeout",
        type=float,
        default=DEADLINE_SECONDS,
        metavar="SECONDS",
        help=f"the longest one download (the feed, an image) may take (default: {DEADLINE_SECONDS:g})",
    )


def _convert(args: argparse.Namespace, reporter: Reporter) -> int:
    if not (args.book / "conf.py").is_file():
        raise FeedbookError(f"{args.book}: not a book folder (no conf.py); make one with feedbook init")
    options = ConvertOptions(
        book=args.book,
        sources=tuple(args.sources),
        force=args.force,
        offline=args.offline,
        progress=sys.stderr.isatty(),
        timeout=args.timeout,
        history=_history(args, args.history),
    )
    result = convert_feeds(options, reporter)
    _print_history(result.history)
    print(
        f"feedbook: {len(result.written)} chapter(s) written, {len(result.unchanged)} unchanged, "
        f"{len(result.kept)} kept from earlier runs, {len(result.hand_edited)} edited by hand (left alone), "
        f"{len(result.failed)} failed",
        file=sys.stderr,
    )
    return _failed_entries(result.failed)


def _failed_entries(failed: list[str]) -> int:
    """A book missing a post is not a success: 1 (with one error line) when an entry failed."""
    if not failed:
        return 0
    which, warnings = ("1 entry", "its warning") if len(failed) == 1 else (f"{len(failed)} entries", "their warnings")
    print(f"feedbook: error: {which} could not be converted (see {warnings} above)", file=sys.stderr)
    return 1


def _init(args: argparse.Namespace, reporter: Reporter) -> int:
    book: Path = args.dir
    if book.exists() and not book.is_dir():
        raise FeedbookError(f"{book}: exists and is not a folder")
    if (book / "conf.py").exists():
        raise FeedbookError(f"{book}: already holds a book (conf.py exists)")
    feed = None
    snapshots: list[tuple[str, str, bytes]] = []  # (source as given, file name in feeds/, bytes)
    failed: list[str] = []
    history = _history(args, not args.no_history)
    for given in args.feed:
        # Read here for the book's metadata only; convert reads it again and reports its warnings. A
        # blog's page given: the book is made from (and records) the feed the page names.
        source, fetched, read = read_feed(given, http_client([given], args.timeout), Reporter())
        feed = feed or read
        name = _free_name(_snapshot_name(source, fetched.data), {n for _, n, _ in snapshots})
        snapshots.append((source, name, fetched.data))
    metadata = BookMetadata.from_feed(feed, title=args.title, author=args.author, language=args.language)
    # Build the whole book beside its destination, then move it in: never a half-made book.
    book.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{book.name}.", dir=book.parent))
    staging.chmod(shared_mode(folder=True))  # the book folder as mkdir would make it, not 0700
    try:
        write_book_skeleton(staging, metadata)
        if snapshots:
            feeds = staging / "feeds"
            feeds.mkdir()
            for _, name, data in snapshots:
                (feeds / name).write_bytes(data)
            sources = tuple(source if is_url(source) else str(feeds / name) for source, name, _ in snapshots)
            options = ConvertOptions(
                book=staging,
                sources=sources,
                offline=args.offline,
                progress=sys.stderr.isatty(),
                timeout=args.timeout,
                history=history,
            )
            result = convert_feeds(options, reporter)
            _print_history(result.history)
            failed = result.failed
        if book.exists():
            shutil.copytree(staging, book, dirs_exist_ok=True)
        else:
            staging.rename(book)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    print(f"feedbook: made the book {metadata.title!r} in {book}", file=sys.stderr)
    if not snapshots:
        print(
            f"feedbook: the book has no posts yet: add a blog's with `feedbook convert --book {book} FEED`"
            " (a feed file or URL), then build it with `feedbook build all`",
            file=sys.stderr,
        )
    return _failed_entries(failed)


def _free_name(name: str, taken: set[str]) -> str:
    """Two feeds both called feed.xml (two URLs) are kept as feed.xml and feed-2.xml."""
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    number, free = 1, name
    while free in taken:
        number += 1
        free = f"{stem}-{number}{dot}{suffix}"
    return free


def _snapshot_name(source: str, data: bytes) -> str:
    """The name the book keeps its feed under: the file's own, or feed.xml / feed.json for a URL."""
    if not is_url(source):
        return Path(source).name
    return "feed.json" if looks_like_json(data) else "feed.xml"


def _build(args: argparse.Namespace, reporter: Reporter) -> int:
    from .build import build_book

    chosen = {"printer": args.printer, "trim": args.trim, "paper": args.paper, "links": args.links, "parts": args.parts}
    if args.format != "print" and any(chosen.values()):
        raise FeedbookError("--printer, --trim, --paper, --links and --parts belong to `feedbook build print`")
    if args.format == "print":  # the print builder checks the values, flags and conf.py's alike
        settings = {f"feedbook_print_{name}": value for name, value in chosen.items() if value is not None}
        report = build_book(args.book, args.out, "print", settings)
        if report.is_file():
            sys.stderr.write(report.read_text(encoding="utf-8"))
        print(f"feedbook: built {report.parent}", file=sys.stderr)
        return 0
    if args.format != "all":
        print(f"feedbook: built {build_book(args.book, args.out, args.format)}", file=sys.stderr)
        return 0
    # Every format that can be built is: a PDF that fails (a missing font) does not keep the site back.
    failures = []
    for name in FORMATS:
        try:
            output = build_book(args.book, args.out, name)
        except FeedbookError as error:
            failures.append(str(error))
            print(f"feedbook: the {name} build failed; going on with the others", file=sys.stderr)
            continue
        print(f"feedbook: built {output}", file=sys.stderr)
    for failure in failures:
        print(f"feedbook: error: {failure}", file=sys.stderr)
    return 1 if failures else 0
