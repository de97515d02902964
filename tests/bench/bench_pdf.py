"""Benchmark the PDF: feedbook's builder against sphinx-simplepdf on the same Sphinx sources.

For each N (default 100 and 500), it writes an Atom feed of N real corpus entries (unique ids, titles
and dates), makes a book of it with ``feedbook init --offline``, then builds that book to PDF in the
same run: with feedbook's ``pdf`` builder (as users run it, and with one rendering process) and with
sphinx-simplepdf's ``simplepdf`` builder. Each build is a fresh ``sphinx-build`` process (wall seconds;
peak memory of its whole process tree, see ``timed``). Then the posts' own PDFs from feedbook's build
are merged alone, by feedbook's streaming merge and by qpdf's in-memory writer, to show the merge's memory.

Run:  python tests/bench/bench_pdf.py [--posts 100 500]   (or: nox -s bench)
Writes build/bench/pdf.json as well as printing the table.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path
from xml.sax.saxutils import escape

from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).parent))
from bench_convert import FEEDS, load_corpus

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "build" / "bench" / "pdf.json"


@dataclasses.dataclass
class Build:
    builder: str
    posts: int
    seconds: float
    peak_mb: float
    pages: int
    ok: bool
    note: str = ""

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else float("nan")


def write_feed(path: Path, count: int) -> None:
    """An Atom feed of ``count`` corpus entries, one a week going back from 2024, each unique."""
    corpus, _ = load_corpus(FEEDS)
    parts = ['<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">']
    parts.append("<title>Bench Blog</title><id>urn:bench</id><updated>2024-12-31T00:00:00Z</updated>")
    parts.append("<author><name>Bench Author</name></author>")
    for i in range(count):
        entry = corpus[i % len(corpus)]
        year, week = 2024 - (i // 52), i % 52
        date = f"{year:04d}-{1 + week // 5:02d}-{1 + (week % 5) * 5:02d}T12:00:00Z"
        parts.append(
            f"<entry><id>urn:bench:{i}</id><title>{escape(entry.title or 'Untitled')} ({i})</title>"
            f"<published>{date}</published><updated>{date}</updated>"
            f'<content type="html">{escape(entry.content)}</content></entry>'
        )
    parts.append("</feed>")
    path.write_text("".join(parts), encoding="utf-8")


def timed(command: Sequence[str], cwd: Path) -> tuple[float, float, bool, str]:
    """Wall seconds and peak memory (MB) of ``command``; whether it succeeded; its last line.

    The peak is the larger of GNU time's (the largest single process: Linux folds waited-for children
    into it) and the process tree's summed proportional set size, sampled every 0.25 s: feedbook's PDF
    workers and the peer's weasyprint process run beside their parent, and both are counted.
    """
    stats = cwd / "time.txt"
    # The peer runs the weasyprint command from the environment's bin folder.
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    process = subprocess.Popen(
        ["/usr/bin/time", "-o", str(stats), "-f", "%e %M", *command],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    tree_peak = 0
    with ThreadPoolExecutor(1) as reader:
        stderr = reader.submit(process.stderr.read) if process.stderr else None
        while process.poll() is None:
            tree_peak = max(tree_peak, tree_pss_kb(process.pid))
            time.sleep(0.25)
        errors = stderr.result() if stderr else ""
    seconds, kilobytes = stats.read_text().split()[-2:]
    last = (errors.strip().splitlines() or [""])[-1]
    return float(seconds), max(int(kilobytes), tree_peak) / 1024, process.returncode == 0, last


def tree_pss_kb(root: int) -> int:
    """The summed proportional set size (KB) of ``root`` and every process under it."""
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as children:
                    pending += [int(child) for child in children.read().split()]
            with open(f"/proc/{pid}/smaps_rollup") as rollup:
                total += next((int(line.split()[1]) for line in rollup if line.startswith("Pss:")), 0)
        except (OSError, ValueError):
            continue  # the process ended meanwhile
    return total


def bench(posts: int, work: Path) -> list[Build]:
    feed = work / "feed.xml"
    write_feed(feed, posts)
    book = work / "book"
    subprocess.run([sys.executable, "-m", "feedbook", "init", str(book), "--feed", str(feed), "--offline"], check=True)
    builds = []
    sphinx = [sys.executable, "-m", "sphinx", "-q"]
    runs = {
        # feedbook as its users run it: warnings are errors.
        "feedbook": [*sphinx, "-W", "--keep-going", "-n", "-b", "pdf"],
        # The same, its posts rendered by one process: what the worker pipeline gains.
        "feedbook 1 process": [*sphinx, "-W", "--keep-going", "-n", "-b", "pdf", "-D", "feedbook_pdf_workers=1"],
        # The peer on the same sources and the same extension (which only adds MyST and metadata for it).
        "sphinx-simplepdf": [*sphinx, "-b", "simplepdf", "-D", "extensions=feedbook.sphinxext,sphinx_simplepdf"],
    }
    for name, command in runs.items():
        out = work / f"out-{name}"
        seconds, peak, ok, last = timed([*command, "-d", str(out / ".doctrees"), str(book), str(out)], work)
        pdfs = sorted(out.glob("*.pdf"), key=lambda path: path.stat().st_size)
        pages = len(PdfReader(pdfs[-1]).pages) if pdfs else 0
        builds.append(Build(name, posts, seconds, peak, pages, ok and bool(pdfs), "" if ok else last))
        if name == "feedbook" and ok:
            builds += merge_only(posts, out / "posts", work)
        shutil.rmtree(out, ignore_errors=True)
    return builds


def merge_only(posts: int, parts: Path, work: Path) -> list[Build]:
    """The merge alone, of the posts' own PDFs: feedbook's streaming merge and qpdf's in-memory writer."""
    merged = []
    for how in ("streamed", "qpdf"):
        book = work / f"merged-{how}.pdf"
        command = [sys.executable, str(Path(__file__).with_name("merge_parts.py")), how, str(book), str(parts)]
        seconds, peak, ok, last = timed(command, work)
        pages = len(PdfReader(book).pages) if ok else 0
        merged.append(Build(f"merge only, {how}", posts, seconds, peak, pages, ok, "" if ok else last))
        book.unlink(missing_ok=True)
    return merged


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, nargs="+", default=[100, 500])
    args = parser.parse_args(argv)
    results: list[Build] = []
    for posts in args.posts:
        with tempfile.TemporaryDirectory(prefix="feedbook-bench-pdf-") as folder:
            results += bench(posts, Path(folder))
    print(f"{'builder':<20}{'posts':>6}{'seconds':>9}{'pages':>7}{'pages/s':>9}{'peak MB':>9}")
    for build in results:
        print(
            f"{build.builder:<20}{build.posts:>6}{build.seconds:>9.1f}{build.pages:>7}"
            f"{build.pages_per_second:>9.2f}{build.peak_mb:>9.0f}  {build.note}"
        )
    for posts in args.posts:
        ours, peer = (next(b for b in results if b.builder == n and b.posts == posts) for n in runs_names())
        if ours.ok and peer.ok:
            print(
                f"{posts} posts: feedbook {ours.pages_per_second / peer.pages_per_second:.2f}x the peer's pages/s, "
                f"{ours.peak_mb / peer.peak_mb:.2f}x its peak memory"
            )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        json.dumps(
            {
                "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "system": platform.platform()},
                "versions": {name: metadata.version(name) for name in ("weasyprint", "sphinx", "sphinx-simplepdf")},
                "builds": [{**dataclasses.asdict(b), "pages_per_second": b.pages_per_second} for b in results],
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    return 0 if all(build.ok for build in results) else 1


def runs_names() -> tuple[str, str]:
    return ("feedbook", "sphinx-simplepdf")


if __name__ == "__main__":
    raise SystemExit(main())
