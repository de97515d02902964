"""The golden chapters build with Sphinx (warnings are errors) into the HTML they stand for."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lxml import html as lxml_html

from feedbook.archive.skeleton import BookMetadata, write_book_skeleton
from feedbook.build import build_book

CASES = Path(__file__).parent / "fixtures" / "convert"


@pytest.fixture(scope="module")
def golden_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("golden")
    book = root / "book"
    write_book_skeleton(book, BookMetadata(title="Golden", author="Ada"))
    for chapter in CASES.glob("*.md"):
        shutil.copy(chapter, book / "posts" / chapter.name)
    build_book(book, root / "out", "html")  # raises on any Sphinx warning
    return root / "out" / "html" / "posts"


def page(site: Path, name: str) -> lxml_html.HtmlElement:
    return lxml_html.parse(str(site / f"{name}.html")).getroot().xpath("//article")[0]


def test_escaping_traps_render_as_the_source_text(golden_site: Path) -> None:
    source = lxml_html.parse(str(CASES / "escaping-traps.html")).getroot()
    rendered = page(golden_site, "escaping-traps")
    rendered_paragraphs = [" ".join(p.text_content().split()) for p in rendered.iter("p")]
    for paragraph in source.iter("p"):
        assert " ".join(paragraph.text_content().split()) in rendered_paragraphs
    # Nothing in the text became markup.
    assert not rendered.xpath(".//em|.//strong|.//h2|.//li|.//blockquote|.//img|.//hr|.//div[contains(@class,'math')]")
    assert not rendered.xpath(".//a[@href='http://example.com']")


@pytest.mark.parametrize(
    ("name", "notes"),
    [
        ("footnotes-kramdown", 2),
        ("footnotes-goldmark", 1),
        ("footnotes-pandoc-multiparagraph", 2),
        ("footnotes-python-markdown", 1),
        ("footnotes-multimarkdown", 1),
        ("footnotes-wordpress", 1),
        ("footnotes-substack", 1),
        ("footnotes-ghost", 1),
        ("footnotes-daringfireball", 1),
        ("footnotes-handmade-citation", 1),
    ],
)
def test_footnotes_are_real_footnotes(golden_site: Path, name: str, notes: int) -> None:
    """Each note is a footnote under the post, or (one call, one paragraph) a sidenote beside its call."""
    rendered = page(golden_site, name)
    bodies = rendered.xpath(".//aside[@role='doc-footnote']")
    calls = rendered.xpath(".//a[@role='doc-noteref']")
    toggles = rendered.xpath(".//input[starts-with(@id,'sidenote-role-')]")
    labels = rendered.xpath(".//label[starts-with(@for,'sidenote-role-')]")
    assert len(bodies) + len(toggles) == notes
    assert {c.get("href") for c in calls} == {"#" + b.get("id") for b in bodies}
    assert {label.get("for") for label in labels} == {toggle.get("id") for toggle in toggles}
    for toggle in toggles:
        assert "sidenote" in toggle.getnext().get("class") and toggle.getnext().text_content().strip()


def test_multiparagraph_footnote_stays_whole(golden_site: Path) -> None:
    note = page(golden_site, "footnotes-pandoc-multiparagraph").xpath(".//aside[@role='doc-footnote']")[0]
    assert len(note.xpath(".//p")) >= 2
    assert [li.text_content() for li in note.xpath(".//li")] == ["one", "two"]
    assert "code in a note" in note.xpath(".//pre")[0].text_content()


def test_inline_elements(golden_site: Path) -> None:
    rendered = page(golden_site, "elements-inline")
    assert rendered.xpath(".//sub")[0].text == "2"
    assert rendered.xpath(".//sup")[0].text == "2"
    assert rendered.xpath(".//abbr[@title='HyperText Markup Language']")[0].text == "HTML"
    assert rendered.xpath(".//kbd")[0].text_content() == "Ctrl"
    assert rendered.xpath(".//span[@class='del']")[0].text == "deleted"
    assert rendered.xpath(".//span[@class='mark']")[0].text == "marked"
    assert rendered.xpath(".//a[@href='https://example.com/a']")[0].text_content() == "a link"
    assert "code `with` ticks" in [c.text_content() for c in rendered.xpath(".//code")]
    assert [e.text_content() for e in rendered.xpath(".//em")][:3] == ["em", "i", "nested strong in em"]
    assert "combined" in [e.text_content() for e in rendered.xpath(".//em")]


def test_blocks_headings_and_anchors(golden_site: Path) -> None:
    rendered = page(golden_site, "elements-blocks")
    assert [h.text_content().rstrip("#¶") for h in rendered.xpath(".//h1|.//h2|.//h3")] == [
        "Elements blocks",
        "Content title",
        "Skipped levels",
    ]
    link = rendered.xpath(".//a[normalize-space()='the heading']")[0]
    target = link.get("href").lstrip("#")
    assert rendered.xpath(f".//*[@id='{target}']"), "an in-post #anchor link still reaches its heading"
    assert rendered.xpath(".//blockquote//p")[0].text == "Quoted text."
    assert rendered.xpath(".//a[@href='https://www.youtube.com/embed/xyz']")


def test_code_blocks_keep_language_and_text(golden_site: Path) -> None:
    rendered = page(golden_site, "elements-code")
    blocks = rendered.xpath(".//div[contains(@class,'highlight-')]")
    languages = [next(c for c in b.get("class").split() if c.startswith("highlight-")) for b in blocks]
    assert languages[:5] == [
        "highlight-ruby",
        "highlight-default",
        "highlight-go",
        "highlight-javascript",
        "highlight-python",
    ]
    texts = [b.text_content() for b in blocks]
    assert "def f():\n    pass" in texts[5], "line numbers of a pygments table are dropped"
    assert "```\nfence inside code\n```" in texts[6]


def test_tables(golden_site: Path) -> None:
    tables = page(golden_site, "elements-tables").xpath(".//table")
    assert len(tables) == 2
    first = [[c.text_content() for c in row.xpath("./th|./td")] for row in tables[0].xpath(".//tr")]
    assert first == [["Name", "Mid", "Count"], ["a | pipe", "x|y", "1"], ["b", "", "2"]]
    assert tables[1].xpath(".//caption")[0].text_content().startswith("With blocks")
    assert len(tables[1].xpath("(.//tr)[2]/td[1]/p")) == 2


def test_math(golden_site: Path) -> None:
    rendered = page(golden_site, "elements-math")
    # MathML, its TeX kept as the annotation: no script draws it.
    inline = [m.get("alttext") for m in rendered.xpath(".//span[contains(@class,'math')]/*[local-name()='math']")]
    display = [m.get("alttext") for m in rendered.xpath(".//div[contains(@class,'math')]/*[local-name()='math']")]
    assert "E = mc^2" in inline and "x^2" in inline and "\\alpha" in inline
    assert any("\\int_0^1 x\\,dx" in d for d in display)
    assert not rendered.xpath(".//script[contains(@src,'mathjax')]")
    assert "costs $5" in rendered.text_content()
