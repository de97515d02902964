"""Benchmark the PDF: feedbook's builder against sphinx-simplepdf on the same Sphinx sources.

For each N (default 100 and 500), it writes an Atom feed of N real corpus entries (unique ids, titles
and dates), makes a book of it with ``feedbook init --offline``, then builds that book to PDF twice in
the same run: with feedbook's ``pdf`` builder and with sphinx-simplepdf's ``simplepdf`` builder. Each
build is a fresh ``sphinx-build`` process timed by GNU time (wall seconds, peak resident memory).

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
from collections.abc import Sequence
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
    """Wall seconds and peak RSS (MB) of ``command`` by GNU time; whether it succeeded; its last line.

    The peak covers the process tree (Linux reports the largest of a process and its waited-for children),
    so the peer's separate weasyprint process is counted.
    """
    stats = cwd / "time.txt"
    # The peer runs the weasyprint command from the environment's bin folder.
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(
        ["/usr/bin/time", "-o", str(stats), "-f", "%e %M", *command], cwd=cwd, capture_output=True, text=True, env=env
    )
    seconds, kilobytes = stats.read_text().split()[-2:]
    last = (done.stderr.strip().splitlines() or [""])[-1]
    return float(seconds), int(kilobytes) / 1024, done.returncode == 0, last


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
        # The peer on the same sources and the same extension (which only adds MyST and metadata for it).
        "sphinx-simplepdf": [*sphinx, "-b", "simplepdf", "-D", "extensions=feedbook.sphinxext,sphinx_simplepdf"],
    }
    for name, command in runs.items():
        out = work / f"out-{name}"
        seconds, peak, ok, last = timed([*command, "-d", str(out / ".doctrees"), str(book), str(out)], work)
        pdfs = sorted(out.glob("*.pdf"), key=lambda path: path.stat().st_size)
        pages = len(PdfReader(pdfs[-1]).pages) if pdfs else 0
        builds.append(Build(name, posts, seconds, peak, pages, ok and bool(pdfs), "" if ok else last))
        shutil.rmtree(out, ignore_errors=True)
    return builds


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, nargs="+", default=[100, 500])
    args = parser.parse_args(argv)
    results: list[Build] = []
    for posts in args.posts:
        with tempfile.TemporaryDirectory(prefix="feedbook-bench-pdf-") as folder:
            results += bench(posts, Path(folder))
    print(f"{'builder':<18}{'posts':>6}{'seconds':>9}{'pages':>7}{'pages/s':>9}{'peak MB':>9}")
    for build in results:
        print(
            f"{build.builder:<18}{build.posts:>6}{build.seconds:>9.1f}{build.pages:>7}"
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
