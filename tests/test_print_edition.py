"""The print edition, read back from its files: trim and boxes, facing-page margins against each
printer's table, right-hand openings, truly blank pages, printed URLs, black ink, greyscale
images, whole fonts, no links for KDP, and the cover's size and spine against the formulas."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from lxml import etree, html
from pypdf import PdfReader

from feedbook.pdf.print_html import prepare_page
from feedbook.print_edition.cover import cover_layout
from feedbook.print_edition.paper_page import paper_page
from feedbook.print_edition.printers import PRINTERS, cover_size, parse_trim

from helpers import FeedEntry, run_feedbook, write_atom

ROOT = Path(__file__).parent.parent
POINTS = 72


# --- the printers' numbers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("printer", "trim", "pages", "paper", "width", "height"),
    [  # worked examples of the print research (bleed included), from each service's formula
        ("kdp", "6x9in", 200, "white", 12.700, 9.25),
        ("kdp", "6x9in", 200, "cream", 12.750, 9.25),
        ("lulu", "6x9in", 200, "white", 12.761, 9.25),
        ("ingramspark", "6x9in", 200, "cream", 12.700, 9.25),  # 200 / 444 = 0.4505: the research's 0.451 rounds up
        ("ingramspark", "6x9in", 200, "white", 12.641, 9.25),
        ("kdp", "a5", 200, "white", 12.360, 8.52),
        ("lulu", "a5", 200, "cream", 12.421, 8.52),
        ("kdp", "6x9in", 400, "white", 13.151, 9.25),
        ("kdp", "6x9in", 400, "cream", 13.250, 9.25),
        ("lulu", "6x9in", 400, "white", 13.211, 9.25),
        ("ingramspark", "6x9in", 400, "white", 13.031, 9.25),
    ],
)
def test_cover_size_follows_each_printers_spine_formula(
    printer: str, trim: str, pages: int, paper: str, width: float, height: float
) -> None:
    size = cover_size(parse_trim(trim), PRINTERS[printer].spine(pages, paper))
    assert (round(size[0], 3), round(size[1], 3)) == (width, height)


@pytest.mark.parametrize(
    ("printer", "pages", "inside"),
    [
        ("kdp", 24, 0.375), ("kdp", 150, 0.375), ("kdp", 151, 0.5), ("kdp", 300, 0.5), ("kdp", 301, 0.625),
        ("kdp", 500, 0.625), ("kdp", 501, 0.75), ("kdp", 700, 0.75), ("kdp", 701, 0.875), ("kdp", 828, 0.875),
        ("lulu", 60, 0.5), ("lulu", 61, 0.625), ("lulu", 151, 1.0), ("lulu", 401, 1.125), ("lulu", 601, 1.25),
        ("ingramspark", 18, 0.5), ("ingramspark", 1200, 0.875),
    ],
)  # fmt: skip
def test_inside_margin_grows_with_the_page_count_as_each_printer_asks(printer: str, pages: int, inside: float) -> None:
    assert PRINTERS[printer].inside_margin(pages) == inside


def test_spine_text_only_from_the_printers_minimum() -> None:
    trim = parse_trim("6x9in")
    assert not cover_layout(PRINTERS["kdp"], trim, "white", 78).spine_text
    assert cover_layout(PRINTERS["kdp"], trim, "white", 80).spine_text
    assert not cover_layout(PRINTERS["lulu"], trim, "white", 80).spine_text
    assert cover_layout(PRINTERS["ingramspark"], trim, "white", 48).spine_text


@pytest.mark.parametrize(
    ("text", "size"),
    [("6x9in", (6.0, 9.0)), ("5.5x8.5in", (5.5, 8.5)), ("a5", (5.83, 8.27)), ("148x210mm", (5.827, 8.268))],
)
def test_trims_by_name_or_size(text: str, size: tuple[float, float]) -> None:
    trim = parse_trim(text)
    assert (trim.width, trim.height) == size


@pytest.mark.parametrize("text", ["9x6in", "6x9", "6 by 9", "0.5x1in", "large"])
def test_a_trim_that_is_no_portrait_page_size_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="trim"):
        parse_trim(text)


# --- links on paper -------------------------------------------------------------------------------

SPHINX_PAGE = """<!DOCTYPE html><html><body><main>
<h1>A post</h1>
<p>See <a class="reference external" href="https://example.org/a/b_c-d.html?x=1&amp;y=2">the page</a>,
a bare <a class="reference external" href="https://example.org/">https://example.org/</a>, and a note<a
class="footnote-reference brackets" href="#id2" id="id1" role="doc-noteref">1</a>, then
<a class="reference external" href="http://other.example/z">another</a>.</p>
<aside class="footnote-list brackets"><aside class="footnote brackets" id="id2" role="doc-endnote">
<span class="label"><span class="fn-bracket">[</span>1<span class="fn-bracket">]</span></span>
<p>A note with <a class="reference external" href="https://note.example/q">a link</a>.</p></aside></aside>
</main></body></html>"""


def _paper(links: str) -> html.HtmlElement:
    page = prepare_page(SPHINX_PAGE, "posts/a", {"posts/a": "posts-a"})
    return html.document_fromstring(paper_page(page.html, links, lambda src: None))


def test_external_links_become_notes_numbered_with_the_posts_own_notes() -> None:
    tree = _paper("footnotes")
    calls = [call.text for call in tree.iterfind(".//a[@class='feedbook-fn-call']")]
    notes = {note.get("data-label"): note.text_content() for note in tree.iterfind(".//span") if
             "feedbook-fn" in (note.get("class") or "").split()}  # fmt: skip
    assert calls == ["1", "2", "3"]  # the URL, the post's own note, the second URL, in reading order
    assert notes["1"] == "https://example.org/a/b_c-d.html?x=1&y=2"
    assert notes["3"] == "http://other.example/z"
    # A link inside a note prints its URL there, in brackets; a link that reads as its URL needs no note.
    assert "A note with a link (https://note.example/q)." in notes["2"]
    assert "https://example.org/" not in notes.values()


def test_urls_break_where_chicago_breaks_them() -> None:
    note = next(span for span in _paper("footnotes").iter("span") if "feedbook-url-note" in (span.get("class") or ""))
    pieces = [note.text] + [wbr.tail for wbr in note.iter("wbr")]
    assert pieces == [
        "https://", "example", ".org", "/a", "/b", "_c", "-d", ".html", "?x", "=", "1", "&", "y", "=", "2",
    ]  # fmt: skip


def test_links_listed_after_the_post_instead_of_notes() -> None:
    tree = _paper("list")
    items = [item.text_content() for item in tree.iterfind(".//section[@class='feedbook-link-list']//li")]
    assert items == ["[1] https://example.org/a/b_c-d.html?x=1&y=2", "[2] http://other.example/z"]
    assert [call.text for call in tree.iterfind(".//a[@class='feedbook-link-call']")] == ["[1]", "[2]"]
    assert [call.text for call in tree.iterfind(".//a[@class='feedbook-fn-call']")] == ["1"]


# --- books built for print --------------------------------------------------------------------------

SENTENCE = (
    "The press prints what the file holds and nothing else so every line of this post is set with care "
    "and read back from the file by the tests that follow it through the book"
)
WORDS = SENTENCE.split(" ")


def _post(number: int) -> FeedEntry:
    words = 180 + (number * 137) % 700  # posts of one to four pages: some end on a right-hand page
    body = " ".join(WORDS[i % len(WORDS)] for i in range(words))
    note = ""
    if number % 3 == 0:
        note = (
            '<sup id="fnref:1"><a href="#fn:1" class="footnote">1</a></sup>'
            '<div class="footnotes"><ol><li id="fn:1"><p>A note that cites '
            f'<a href="https://cite.example/{number}">a source</a>. <a href="#fnref:1" class="reversefootnote">'
            "&#8617;</a></p></li></ol></div>"
        )
    content = (
        f"<p>{body}. Read <a href='https://far.example/posts/{number}/a-long-path_name?page=2&amp;s=x'>the "
        f"source</a> of post {number}.{note}</p><p>{body}.</p>"
    )
    return FeedEntry(
        f"urn:print:{number}", f"Post number {number}", f"https://blog.example/{number}",
        f"{2022 + number % 2}-{number % 12 + 1:02d}-{number % 27 + 1:02d}T08:00:00Z", content,
    )  # fmt: skip


@dataclass(frozen=True)
class Edition:
    interior: Path
    cover: Path
    report: str
    returncode: int
    stderr: str


def _build(book: Path, out: Path, *options: str) -> Edition:
    result = run_feedbook("build", "print", "--book", book, "--out", out, *options, cwd=book.parent, timeout=900)
    folder = out / "print"
    return Edition(
        next(folder.glob("*-interior.pdf")),
        next(folder.glob("*-cover.pdf")),
        next(folder.glob("*-report.txt")).read_text(),
        result.returncode,
        result.stderr,
    )


@pytest.fixture(scope="module")
def print_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A blog of 26 posts with links, notes and a colour picture with transparency."""
    folder = tmp_path_factory.mktemp("print-book")
    feed = write_atom(folder / "feed.xml", [_post(n) for n in range(26)], title="Paper Trail", author="Pat Printer")
    made = run_feedbook("init", "book", "--feed", feed, "--offline", "--no-history", cwd=folder)
    assert made.returncode == 0, made.stderr
    book = folder / "book"
    from PIL import Image

    picture = Image.new("RGBA", (900, 600), (200, 30, 30, 255))
    picture.paste((20, 90, 200, 128), (300, 200, 600, 400))
    (book / "posts" / "images").mkdir(exist_ok=True)
    picture.save(book / "posts" / "images" / "red.png")
    small = Image.new("RGB", (240, 160), (30, 160, 60))
    small.save(book / "posts" / "images" / "small.jpg")
    first = sorted((book / "posts").glob("*.md"))[0]
    first.write_text(first.read_text() + "\n![A red picture](images/red.png)\n\n![A small one](images/small.jpg)\n")
    return book


@pytest.fixture(scope="module")
def kdp(print_book: Path) -> Edition:
    return _build(print_book, print_book.parent / "kdp", "--printer", "kdp", "--trim", "6x9in")


@pytest.fixture(scope="module")
def lulu(print_book: Path) -> Edition:
    options = ("--printer", "lulu", "--trim", "5.5x8.5in", "--paper", "cream")
    return _build(print_book, print_book.parent / "lulu", *options)


@pytest.fixture(scope="module")
def by_year(print_book: Path) -> Edition:
    options = ("--printer", "ingramspark", "--parts", "year")
    return _build(print_book, print_book.parent / "years", *options)


@dataclass(frozen=True)
class Page:
    number: int  # 1-based in the file
    label: str
    width: float
    height: float
    words: list[tuple[float, float, float, float, str]]  # xMin, yMin, xMax, yMax (points, from the top-left)

    @property
    def text(self) -> str:
        return " ".join(word[4] for word in self.words)


def _pages(pdf: Path) -> list[Page]:
    """Every page's words with their boxes, from poppler's pdftotext -bbox."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True).stdout
    tree = etree.fromstring(out, etree.XMLParser(recover=True))
    labels = PdfReader(pdf).page_labels
    pages = []
    for number, page in enumerate(tree.iter("{*}page"), start=1):
        words = [
            (float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")), float(w.get("yMax")), w.text or "")
            for w in page.iter("{*}word")
        ]
        pages.append(Page(number, labels[number - 1], float(page.get("width")), float(page.get("height")), words))
    return pages


def _inside_and_edges(pages: list[Page]) -> tuple[float, float]:
    """The smallest distance (inches) of any word from the spine, and from the other three edges."""
    inside, edges = 99.0, 99.0
    for page in pages:
        for x_min, y_min, x_max, y_max, _ in page.words:
            right_hand = page.number % 2 == 1
            spine = x_min if right_hand else page.width - x_max
            outside = page.width - x_max if right_hand else x_min
            inside = min(inside, spine / POINTS)
            edges = min(edges, outside / POINTS, y_min / POINTS, (page.height - y_max) / POINTS)
    return inside, edges


def test_kdp_interior_is_the_trim_on_every_page_with_facing_margins_from_its_table(kdp: Edition) -> None:
    assert kdp.returncode == 0, kdp.stderr
    pages = _pages(kdp.interior)
    assert 24 <= len(pages) <= 150 and len(pages) % 2 == 0
    with pikepdf.open(kdp.interior) as pdf:
        for page in pdf.pages:
            assert [float(v) for v in page.mediabox] == [0, 0, 6 * POINTS, 9 * POINTS]
            assert [float(v) for v in page.obj.TrimBox] == [0, 0, 6 * POINTS, 9 * POINTS]
    inside, edges = _inside_and_edges(pages)
    assert inside >= 0.375 - 0.01  # KDP: 0.375 in up to 150 pages
    assert edges >= 0.5  # text, running heads and folios: at least 0.5 in from the other edges
    assert "inside margin: 0.375 in" in kdp.report


def test_every_post_opens_on_a_right_hand_page_after_a_truly_blank_one(kdp: Edition) -> None:
    pages = _pages(kdp.interior)
    first_body = next(page for page in pages if page.label == "1")
    assert first_body.number % 2 == 1  # page 1 is a right-hand page
    assert [page.label for page in pages[:4]] == ["i", "ii", "iii", "iv"]  # front matter in roman numerals
    openings = [page for page in pages if "Originally published at" in page.text]
    assert len(openings) == 26
    assert all(page.number % 2 == 1 for page in openings)
    blanks = [page for page in pages if not page.words]
    assert blanks, "some post ends on a right-hand page, so a blank left-hand page must follow it"
    for blank in blanks:  # no running head, no folio: nothing at all
        assert blank.number % 2 == 0
    last = pages[-1]
    assert last.number % 2 == 0


def test_every_external_url_is_printed_and_nothing_is_a_link_for_kdp(kdp: Edition) -> None:
    text = re.sub(r"[\s\u200b]", "", " ".join(page.text for page in _pages(kdp.interior)))
    for number in range(26):
        assert f"https://far.example/posts/{number}/a-long-path_name?page=2&s=x" in text
        if number % 3 == 0:
            assert f"(https://cite.example/{number})" in text  # in its note, after the link's words
    reader = PdfReader(kdp.interior)
    assert all("/Annots" not in page for page in reader.pages)
    assert "/Outlines" not in reader.trailer["/Root"]
    assert "no links or bookmarks: 0 link annotations, no bookmark outline" in kdp.report


def test_black_ink_greyscale_images_and_whole_fonts(kdp: Edition) -> None:
    with pikepdf.open(kdp.interior) as pdf:
        images = [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.stream_dict.get("/Subtype") == "/Image"]
        assert len(images) >= 2
        assert {str(image.stream_dict.ColorSpace) for image in images} == {"/DeviceGray"}
        assert all("/SMask" not in image.stream_dict for image in images)  # flattened onto the paper
        for page in pdf.pages:
            operators = {str(instruction.operator) for instruction in pikepdf.parse_content_stream(page.obj)}
            assert not operators & {"rg", "RG"}  # no colour set in RGB: text and rules in black ink
    listing = subprocess.run(["pdffonts", str(kdp.interior)], check=True, capture_output=True, text=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:]]
    assert rows and all(row[-5] == "yes" and row[-4] == "no" for row in rows)  # embedded, and whole
    # Each picture prints no wider than its pixels give at 300 ppi (poppler measures it on the page).
    listing = subprocess.run(["pdfimages", "-list", str(kdp.interior)], check=True, capture_output=True, text=True)
    rows = [line.split() for line in listing.stdout.splitlines()[2:]]
    assert sorted((int(row[3]), int(row[12]), int(row[13])) for row in rows) == [(240, 300, 300), (900, 300, 300)]
    assert "image resolution: every image at 300 ppi or more as printed" in kdp.report


def test_kdp_cover_is_sized_by_the_formula_with_the_barcode_area_clear(kdp: Edition) -> None:
    pages = len(PdfReader(kdp.interior).pages)
    spine = pages * 0.002252
    with pikepdf.open(kdp.cover) as pdf:
        (page,) = pdf.pages
        media = [float(v) for v in page.mediabox]
        trim = [float(v) for v in page.obj.TrimBox]
    assert media[2] - media[0] == pytest.approx((12 + spine + 0.25) * POINTS, abs=0.1)
    assert media[3] - media[1] == pytest.approx(9.25 * POINTS, abs=0.1)
    assert trim[0] - media[0] == pytest.approx(0.125 * POINTS, abs=0.01)
    (cover,) = _pages(kdp.cover)
    assert "Paper Trail" in cover.text and "Pat Printer" in cover.text
    # KDP's barcode: 2 x 1.2 in, 0.25 in from the spine and the bottom of the back cover.
    right, bottom = (0.125 + 6 - 0.25) * POINTS, (0.125 + 9 - 0.25) * POINTS
    for x_min, y_min, x_max, y_max, _ in cover.words:
        assert not (x_max > right - 2 * POINTS and x_min < right and y_max > bottom - 1.2 * POINTS and y_min < bottom)
    fold = (0.125 + 6) * POINTS
    spine_words = [w[4] for w in cover.words if fold < w[2] and w[0] < fold + spine * POINTS]
    if pages >= 79:  # KDP prints spine text from 79 pages, clear of both folds by 1/16 in
        assert spine_words == ["Paper", "Trail", "Pat", "Printer"]
        middle = fold + spine * POINTS / 2
        inner = [w for w in cover.words if fold < w[2] and w[0] < fold + spine * POINTS]
        assert all(abs((w[0] + w[2]) / 2 - middle) < 1 and fold < w[0] and w[2] < fold + spine * POINTS for w in inner)
    else:
        assert not spine_words


def test_lulu_gutter_grows_until_it_fits_the_page_count(lulu: Edition) -> None:
    assert lulu.returncode == 0, lulu.stderr
    pages = _pages(lulu.interior)
    assert 61 <= len(pages) <= 150  # more pages than the first layout's margin allows
    assert "laid out 2 times" in lulu.report
    inside, edges = _inside_and_edges(pages)
    assert inside >= 0.625 - 0.01
    assert edges >= 0.5
    assert {(page.width, page.height) for page in pages} == {(5.5 * POINTS, 8.5 * POINTS)}
    # Lulu takes links: they stay clickable in its file.
    assert any("/Annots" in page for page in PdfReader(lulu.interior).pages)
    spine = len(pages) / 444 + 0.06
    with pikepdf.open(lulu.cover) as pdf:
        media = [float(v) for v in pdf.pages[0].mediabox]
    assert media[2] - media[0] == pytest.approx((11 + spine + 0.25) * POINTS, abs=0.1)


def test_each_year_opens_as_a_part_on_a_right_hand_page(by_year: Edition) -> None:
    assert by_year.returncode == 0, by_year.stderr
    pages = _pages(by_year.interior)
    titles = [page for page in pages if page.text in ("2022", "2023")]
    assert [page.text for page in titles] == ["2022", "2023"]
    for title in titles:
        assert title.number % 2 == 1  # a right-hand page, with no running head or folio
        back, opening = pages[title.number], pages[title.number + 1]  # (page numbers count from 1)
        assert not back.words
        assert "Originally published at" in opening.text and opening.number % 2 == 1
    openings = [page for page in pages if "Originally published at" in page.text]
    assert len(openings) == 26 and all(page.number % 2 == 1 for page in openings)
    contents = " ".join(page.text for page in pages if page.label in ("v", "vi", "vii"))
    assert "2022" in contents and "2023" in contents  # the contents grouped by year


def test_a_blog_too_short_for_the_printer_fails_with_the_rule_named(tmp_path: Path) -> None:
    book = tmp_path / "book"
    shutil.copytree(ROOT / "book", book, ignore=shutil.ignore_patterns("_build", "tags.md", "years"))
    edition = _build(book, tmp_path / "out", "--printer", "kdp")
    assert edition.returncode == 1
    lines = [line for line in edition.stderr.splitlines() if "page count" in line]
    assert any(re.search(r"page count: 18, 6 pages short of the 24 to 828 Amazon KDP binds", line) for line in lines)
    assert "FAILS  page count" in edition.report  # the files and report stay, for a proof
    assert "Traceback" not in edition.stderr


def test_this_book_printed_with_its_links_listed_after_each_post(tmp_path: Path) -> None:
    book = tmp_path / "book"
    shutil.copytree(ROOT / "book", book, ignore=shutil.ignore_patterns("_build", "tags.md", "years"))
    edition = _build(book, tmp_path / "out", "--links", "list")  # IngramSpark, as its conf.py says
    assert edition.returncode == 0, edition.stderr
    text = re.sub(r"[\s\u200b]", "", " ".join(page.text for page in _pages(edition.interior)))
    assert "Links[1]https://quoteinvestigator.com/2015/08/25/sea/" in text
    assert "page count: 18 (IngramSpark binds 18 to 1200)" in edition.report


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--trim", "9x6in"), "portrait"),
        (("--trim", "huge"), "WIDTHxHEIGHTin"),
        (("--printer", "lulu", "--trim", "5.06x7.81in"), "not a size Lulu prints"),
    ],
)
def test_a_trim_the_printer_does_not_take_is_one_clear_error(
    tmp_path: Path, options: tuple[str, ...], message: str
) -> None:
    book = tmp_path / "book"
    shutil.copytree(ROOT / "book", book, ignore=shutil.ignore_patterns("_build", "tags.md", "years"))
    result = run_feedbook("build", "print", "--book", book, "--out", tmp_path / "out", *options, cwd=tmp_path)
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
