"""Benchmark feedbook at blog scale: N real entries (100, 500, 2,000) from convert to HTML, EPUB and PDF.

For each N it writes an Atom feed of N corpus entries (unique ids, titles and dates; bench_pdf.write_feed),
then measures, each step a fresh process timed by GNU time (wall seconds, peak resident memory of the
process tree):

- convert: ``feedbook init --offline`` (parse, sanitize, convert, write N chapters);
- HTML: the feedbook book (sphinx-book-theme, year pages) against the same sources with Sphinx's plain
  ``basic`` theme, serial and with ``-j auto``, and the size of one post page;
- EPUB and PDF: feedbook's builders;
- incremental: the PDF built again with nothing changed; then the same feed with one new post converted
  into the book, and HTML, EPUB and PDF rebuilt into the same output folders (the new post is the
  newest: the PDF's last);
- end to end: convert + HTML + EPUB + PDF, against Read the Docs' free limits (15 minutes, 7 GB).

Run:  python tests/bench/bench_scale.py [--posts 100 500 2000]   (or: nox -s bench -- --scale)
Writes build/bench/scale.json as well as printing the table.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import re
import shutil
import sys
import tempfile
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_pdf import timed, write_feed

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "build" / "bench" / "scale.json"
RTD_SECONDS, RTD_MB = 15 * 60, 7 * 1024


@dataclasses.dataclass
class Step:
    posts: int
    step: str
    seconds: float
    peak_mb: float
    ok: bool
    note: str = ""


def sphinx(builder: str, book: Path, out: Path, *extra: str) -> list[str]:
    strict = ["-W", "--keep-going", "-n"]
    return [sys.executable, "-m", "sphinx", "-q", *strict, *extra, "-b", builder, "-d", str(out / ".doctrees"),
            str(book), str(out / builder)]  # fmt: skip


def post_page_size(html: Path) -> int:
    """Bytes of the median post page (the pages differ by their text; the chrome is what grows)."""
    sizes = sorted(path.stat().st_size for path in (html / "posts").glob("*.html"))
    return sizes[len(sizes) // 2] if sizes else 0


def chrome_size(html: Path) -> int:
    """Bytes of a post page outside its article: the navigation and theme, what must not grow with N."""
    from lxml import html as lxml_html

    sizes = []
    for path in sorted((html / "posts").glob("*.html"))[:20]:
        text = path.read_bytes()
        article = lxml_html.fromstring(text).xpath("//article")
        inner = len(lxml_html.tostring(article[0])) if article else 0
        sizes.append(len(text) - inner)
    return sorted(sizes)[len(sizes) // 2] if sizes else 0


def bench(posts: int, work: Path, pdf: bool = True) -> tuple[list[Step], dict[str, int]]:
    steps: list[Step] = []

    def run(name: str, command: list[str], cwd: Path = work) -> Step:
        seconds, peak, ok, last = timed(command, cwd)
        step = Step(posts, name, seconds, peak, ok, "" if ok else last)
        steps.append(step)
        print(f"  {posts:>5} {name:<28} {seconds:8.1f} s {peak:8.0f} MB {'' if ok else 'FAILED ' + last}", flush=True)
        return step

    feed = work / "feed.xml"
    write_feed(feed, posts + 1)
    # N entries now; the newest arrives later, for the incremental step (the PDF's last post).
    text = feed.read_text(encoding="utf-8")
    entries = re.findall(r"<entry>.*?</entry>", text, re.S)
    newest = max(entries, key=lambda entry: re.search(r"<published>([^<]+)", entry).group(1))  # type: ignore[union-attr]
    older = work / "older.xml"
    older.write_text(text.replace(newest, "", 1), encoding="utf-8")
    book = work / "book"
    feedbook = [sys.executable, "-m", "feedbook"]
    run("convert", [*feedbook, "init", str(book), "--feed", str(older), "--offline"])
    out = work / "out"
    run("html", sphinx("html", book, out))
    sizes = {"post_page_bytes": post_page_size(out / "html"), "post_chrome_bytes": chrome_size(out / "html")}
    run("html -j auto", sphinx("html", book, work / "out-j", "-j", "auto"))
    basic = ["-D", "html_theme=basic"]
    run("html, basic theme", sphinx("html", book, work / "out-basic", *basic))
    sizes["basic_post_page_bytes"] = post_page_size(work / "out-basic" / "html")
    run("html, basic theme -j auto", sphinx("html", book, work / "out-basic-j", *basic, "-j", "auto"))
    for folder in ("out-j", "out-basic", "out-basic-j"):
        shutil.rmtree(work / folder, ignore_errors=True)
    run("epub", sphinx("epub", book, out))
    if pdf:
        run("pdf", sphinx("pdf", book, out))
        sizes["pdf_bytes"] = sum(path.stat().st_size for path in (out / "pdf").glob("*.pdf"))
        # The same PDF with each post's part keeping its own font subsets, as before the fonts were merged.
        apart = work / "out-fonts-apart"
        run("pdf, fonts per post", sphinx("pdf", book, apart, "-D", "feedbook_pdf_merge_fonts=0"))
        sizes["pdf_fonts_per_post_bytes"] = sum(path.stat().st_size for path in (apart / "pdf").glob("*.pdf"))
        shutil.rmtree(apart, ignore_errors=True)
        run("pdf again, nothing changed", sphinx("pdf", book, out))
    run("incremental convert (+1 post)", [*feedbook, "convert", "--book", str(book), str(feed), "--offline"])
    run("incremental html", sphinx("html", book, out))
    run("incremental epub", sphinx("epub", book, out))
    if pdf:
        run("incremental pdf (+1 post)", sphinx("pdf", book, out))
    return steps, sizes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, nargs="+", default=[100, 500, 2000])
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF (the longest step)")
    args = parser.parse_args(argv)
    results: list[Step] = []
    sizes: dict[int, dict[str, int]] = {}
    for posts in args.posts:
        with tempfile.TemporaryDirectory(prefix="feedbook-bench-scale-") as folder:
            steps, sizes[posts] = bench(posts, Path(folder), pdf=not args.no_pdf)
            results += steps
    print()
    print(f"{'posts':>6} {'step':<30}{'seconds':>9}{'peak MB':>9}  ratio")
    for posts in args.posts:
        mine = {step.step: step for step in results if step.posts == posts}
        ratios = {
            "html": mine["html"].seconds / mine["html, basic theme"].seconds,
            "html -j auto": mine["html -j auto"].seconds / mine["html, basic theme -j auto"].seconds,
            "incremental html": mine["incremental html"].seconds / mine["html"].seconds,
            "incremental epub": mine["incremental epub"].seconds / mine["epub"].seconds,
        }
        if "pdf" in mine:
            ratios["pdf again, nothing changed"] = mine["pdf again, nothing changed"].seconds / mine["pdf"].seconds
            ratios["incremental pdf (+1 post)"] = mine["incremental pdf (+1 post)"].seconds / mine["pdf"].seconds
        for step in mine.values():
            ratio = f"{ratios[step.step]:.2f}x" if step.step in ratios else ""
            print(f"{posts:>6} {step.step:<30}{step.seconds:>9.1f}{step.peak_mb:>9.0f}  {ratio}")
        formats = [name for name in ("convert", "html", "epub", "pdf") if name in mine]
        end_to_end = sum(mine[name].seconds for name in formats)
        peak = max(mine[name].peak_mb for name in formats)
        within = end_to_end <= RTD_SECONDS and peak <= RTD_MB
        print(f"{posts:>6} {'end to end (' + '+'.join(formats) + ')':<30}{end_to_end:>9.1f}{peak:>9.0f}  "
              f"{'within' if within else 'beyond'} Read the Docs' 15 min / 7 GB")  # fmt: skip
        page = sizes[posts]
        print(f"{posts:>6} post page: {page['post_page_bytes']:,} bytes (chrome {page['post_chrome_bytes']:,}); "
              f"basic theme {page['basic_post_page_bytes']:,} bytes")  # fmt: skip
        if "pdf_bytes" in page:
            merged, apart = page["pdf_bytes"], page["pdf_fonts_per_post_bytes"]
            print(f"{posts:>6} the book's PDF: {merged / 1e6:.1f} MB, each font once; "
                  f"{apart / 1e6:.1f} MB with each post's own font subsets ({merged / apart:.2f}x)")  # fmt: skip
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        json.dumps(
            {
                "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "system": platform.platform()},
                "versions": {name: metadata.version(name) for name in ("sphinx", "sphinx-book-theme", "weasyprint")},
                "steps": [dataclasses.asdict(step) for step in results],
                "page_sizes": sizes,
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    return 0 if all(step.ok for step in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
