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
