"""The built site in a real browser: Debian's Chromium, driven by Playwright, against 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from feedbook.build import build_book

from helpers import chromium, static_server

ROOT = Path(__file__).parent.parent
ARTIFACTS = ROOT / "build" / "test-artifacts"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("site")
    build_book(ROOT / "book", out, "epub")
    build_book(ROOT / "book", out, "pdf")
    build_book(ROOT / "book", out, "html")
    with static_server(out / "html") as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


def test_front_page_lists_the_posts(site: str, browser: Browser) -> None:
    page = browser.new_page()
    page.goto(f"{site}/index.html")
    items = page.locator("article ul.feedbook-posts li").all_inner_texts()
    assert items == [
        "May 23, 2025 · Snapshot from Summer 2025",
        "December 13, 2022 · Modeling the Business: Improving ML Infrastructure at Stripe",
        "March 28, 2021 · Management: The Most Important Things",
    ]


def test_a_post_shows_its_date_and_origin_and_its_footnotes_work(site: str, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(f"{site}/index.html")
    page.get_by_role("link", name="Modeling the Business: Improving ML Infrastructure at Stripe").first.click()
    page.wait_for_url("**/posts/2022-12-13-modeling-the-business.html")
    header = page.locator(".feedbook-post-header").inner_text()
    assert "December 13, 2022" in header
    assert "Originally published at http://jgershen.dev/modeling-the-business.html" in header
    # A one-paragraph note sits in the margin beside its call.
    note = page.locator("span.sidenote").first
    note.scroll_into_view_if_needed()
    assert "By experiments here I meant all forms of data exploration" in note.inner_text()
    assert note.is_visible()
    call = page.locator("label.margin-toggle").first.bounding_box()
    box = note.bounding_box()
    assert call and box and box["x"] > call["x"] and abs(box["y"] - call["y"]) < 200
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "post-footnote.png"))
    assert (ARTIFACTS / "post-footnote.png").stat().st_size > 10_000


def test_on_a_phone_a_note_opens_under_its_call(site: str, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{site}/posts/2022-12-13-modeling-the-business.html")
    # The copy of the note that the call's checkbox opens (the theme keeps a second one for the margin).
    note = page.locator("input.margin-toggle + span.sidenote").first
    assert not note.is_visible()
    page.locator("label.margin-toggle").first.click()
    assert note.is_visible()
    assert "By experiments here I meant all forms of data exploration" in note.inner_text()
    page.screenshot(path=str(ARTIFACTS / "post-footnote-phone.png"))


def test_the_epub_and_pdf_download_links_answer(site: str, browser: Browser) -> None:
    page = browser.new_page()
    page.goto(f"{site}/posts/2021-03-28-most-important-things.html")
    links = page.locator(".feedbook-downloads a")
    assert links.all_inner_texts() == ["EPUB (e-readers)", "PDF (print)", "PDF"]
    magic = [b"PK", b"%PDF-", b"%PDF-"]  # an EPUB is a zip; the book's PDF; this post's own PDF
    for index, start in enumerate(magic):
        response = page.request.get(links.nth(index).evaluate("a => a.href"))
        assert response.status == 200
        assert response.body().startswith(start)


def test_search_finds_a_post(site: str, browser: Browser) -> None:
    page = browser.new_page()
    page.goto(f"{site}/search.html?q=Stripe")
    results = page.locator("ul.search li")
    results.first.wait_for(timeout=15_000)
    assert any("Modeling the Business" in text for text in results.all_inner_texts())


@pytest.mark.parametrize("path", ["index.html", "posts/2022-12-13-modeling-the-business.html", "search.html"])
def test_one_search_box_and_no_download_button_that_offers_the_markdown(site: str, browser: Browser, path: str) -> None:
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(f"{site}/{path}")
    visible = page.evaluate(
        """() => [...document.querySelectorAll('.search-button-field, form.bd-search')]
                 .filter(e => e.offsetParent !== null && e.getBoundingClientRect().width > 0).length"""
    )
    offers = page.evaluate("() => [...document.querySelectorAll('a')].map(a => a.getAttribute('href') || '')")
    page.close()
    assert visible == (2 if path == "search.html" else 1)  # the sidebar's, and the search page's own form
    assert not [href for href in offers if href.endswith(".md") or "_sources" in href]


def test_sidenotes_keep_their_number_apart_and_a_gap_between_them(tmp_path: Path, browser: Browser) -> None:
    from helpers import FeedEntry, run_feedbook, write_atom

    post = (
        '<p>Two claims<sup><a href="#fn1" id="r1">1</a></sup> close'
        ' together<sup><a href="#fn2" id="r2">2</a></sup>.</p>'
        '<ol class="footnotes"><li id="fn1">The first source. <a href="#r1">↩</a></li>'
        '<li id="fn2">The second source. <a href="#r2">↩</a></li></ol>'
    )
    feed = write_atom(tmp_path / "feed.xml", [FeedEntry("urn:1", "Notes", "https://b.example/notes", content=post)])
    assert run_feedbook("init", "b", "--feed", feed, "--offline", "--no-history", cwd=tmp_path).returncode == 0
    build_book(tmp_path / "b", tmp_path / "out", "html")
    name = next((tmp_path / "out" / "html" / "posts").glob("*notes*.html")).name
    with static_server(tmp_path / "out" / "html") as base:
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(f"{base}/posts/{name}")
        notes = page.evaluate(
            """() => [...document.querySelectorAll('span.sidenote')].filter(s => s.offsetParent !== null).map(s => {
                 const number = s.querySelector('sup').getBoundingClientRect();
                 const range = document.createRange(); const text = s.querySelector('sup').nextSibling;
                 range.setStart(text, 0); range.setEnd(text, 1);
                 return {gap: range.getBoundingClientRect().left - number.right,
                         top: s.getBoundingClientRect().top, bottom: s.getBoundingClientRect().bottom};
               })"""
        )
        page.close()
    assert len(notes) == 2
    assert all(note["gap"] >= 3 for note in notes)
    assert notes[1]["top"] - notes[0]["bottom"] >= 8
