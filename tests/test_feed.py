"""Feed reading: formats, content types, bases, dates, authors and encodings, from real and tiny feeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from feedbook.convert.chapter import ChapterContext, convert_entry
from feedbook.diagnostics import FeedbookError, Kind, Reporter
from feedbook.sources.feed import parse_date, parse_feed

FEEDS = Path(__file__).parent / "fixtures" / "feeds"


def read(name: str) -> tuple[list, Reporter]:  # type: ignore[type-arg]
    reporter = Reporter()
    feed = parse_feed((FEEDS / name).read_bytes(), name, reporter)
    return feed.entries, reporter


def test_seed_feed_metadata_and_entries() -> None:
    feed = parse_feed((FEEDS / "jgershen.dev.atom.xml").read_bytes(), "seed", Reporter())
    assert feed.title == "jgershen.dev"
    assert feed.subtitle == "Exploring the intersection of machine learning and engineering management."
    assert feed.author == ""  # the seed feed names no author
    assert [e.title for e in feed.entries] == [
        "Snapshot from Summer 2025",
        "Modeling the Business: Improving ML Infrastructure at Stripe",
        "Management: The Most Important Things",
    ]
    first = feed.entries[0]
    assert first.id == "http://jgershen.dev/summer-2025-snapshot"
    assert first.link == "http://jgershen.dev/summer-2025-snapshot.html"
    assert first.published == "2025-05-23T00:00:00+00:00"
    assert first.tags == ("engineering-management", "startups", "product-development")
    assert first.base_url == "http://jgershen.dev/summer-2025-snapshot.html"


def test_atom_text_content_is_escaped_and_authors_inherit() -> None:
    entries, _ = read("newsboat--atom10-content-type-text-authors.xml")
    assert entries[0].authors == ("First Feed Author", "Second Feed Author")  # the feed names two
    assert entries[0].content == "<p>Feed authors should be used.</p>"
    assert entries[1].authors != entries[0].authors


def test_atom_xhtml_escaped_markup_stays_text() -> None:
    (entry,), _ = read("feedparser--atom10-xhtml-content-escaped-markup.xml")
    chapter = convert_entry(entry, ChapterContext(slug="blink")).text
    assert "History of the \\<blink> tag" in chapter


def test_atom03_xhtml_content_base_overrides_feed_base() -> None:
    (entry,), _ = read("feedparser--atom03-xhtml-xml-base-override.xml")
    assert entry.base_url == "http://example.com/test/"
    chapter = convert_entry(entry, ChapterContext(slug="base")).text
    assert "[test](http://example.com/test/test.html)" in chapter


def test_degenerate_fragment_base_falls_back_to_the_feed_site() -> None:
    entries, _ = read("talkingpointsmemo--node-feedparser-fixture-xml-base-fragment.atom.xml")
    assert entries[0].link.startswith("http://talkingpointsmemo.com/livewire/")


def test_relative_entry_links_resolve_against_the_feed_site() -> None:
    entries, _ = read("yakubin.com--netnewswire-fixture-pandoc-footnotes-large.atom.xml")
    assert entries[0].link == "https://yakubin.com/notes/thoughts-about-prolog.html"


def test_summary_only_entries_are_marked() -> None:
    entries, _ = read("jakevdp.github.io--pelican-math-code-large.atom.xml")
    assert all(entry.summary_only for entry in entries)
    assert len(entries) == 66


def test_rss_dates_authors_and_categories() -> None:
    entries, _ = read("dcrainmaker.com--netnewswire-fixture-wordpress.rss.xml")
    assert entries[0].published == "2017-11-09T05:00:00+00:00"
    assert entries[0].authors == ("DC Rainmaker",)
    assert "Blog" in entries[0].tags


def test_wordpress_export_keeps_published_posts_and_pages_only() -> None:
    entries, reporter = read("0x7df--wordpress-wxr-export-footnotes.xml")
    assert len(entries) == 15
    assert all(entry.raw_wordpress for entry in entries)
    (skipped,) = reporter.of_kind(Kind.ENTRY_SKIPPED)
    assert "26 draft post" in skipped.message and "18 inherit attachment" in skipped.message


def test_rss_1_0_items_beside_the_channel(tmp_path: Path) -> None:
    data = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel rdf:about="http://example.org/"><title>RDF Blog</title><link>http://example.org/</link>
    <description>An RSS 1.0 feed</description></channel>
  <item rdf:about="http://example.org/one"><title>One</title><link>http://example.org/one</link>
    <dc:date>2004-02-01T10:00:00Z</dc:date><dc:creator>Ann</dc:creator><dc:subject>rdf</dc:subject>
    <content:encoded><![CDATA[<p>First <em>post</em>.</p>]]></content:encoded></item>
</rdf:RDF>"""
    feed = parse_feed(data, "rdf.xml", Reporter())
    assert feed.title == "RDF Blog"
    (entry,) = feed.entries
    assert (entry.id, entry.link, entry.published) == (
        "http://example.org/one",
        "http://example.org/one",
        "2004-02-01T10:00:00+00:00",
    )
    assert entry.authors == ("Ann",) and entry.tags == ("rdf",)
    assert entry.content == "<p>First <em>post</em>.</p>"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-05-23T00:00:00+00:00", "2025-05-23T00:00:00+00:00"),
        ("2017-11-08T23:15:58Z", "2017-11-08T23:15:58+00:00"),
        ("Sat, 14 Feb 2015 19:30:30 +0000", "2015-02-14T19:30:30+00:00"),
        ("Sun, 10 Dec 17 13:01:36 -0800", "2017-12-10T13:01:36-08:00"),
        ("2015-03-22 22:12:09", "2015-03-22T22:12:09+00:00"),
        ("Thu, 09 Nov 2017 05:00:00 GMT", "2017-11-09T05:00:00+00:00"),
        ("2012-07-16T08:48:01.5-07:00", "2012-07-16T08:48:01.500000-07:00"),
        ("", ""),
        ("not a date", ""),
    ],
)
def test_every_date_form(value: str, expected: str) -> None:
    assert parse_date(value) == expected


def test_undeclared_shift_jis_is_recovered() -> None:
    (entry,), _ = read("feedparser--illformed-shiftjis-undeclared-encoding.xml")
    assert entry.title == "DrecomRSSに記事投稿が反映されない…"


def test_gb2312_feed_is_read() -> None:
    entries, _ = read("kc0011.net--netnewswire-fixture-gb2312-chinese.rss.xml")
    assert len(entries) == 20
    assert entries[0].title == "建国35周年纪念，华表，和平鸽"


def test_utf16_and_bom_feeds() -> None:
    text = '<?xml version="1.0" encoding="utf-16"?><rss version="2.0"><channel><title>Ünïcode</title>'
    text += "<item><title>Ça va</title><guid>x1</guid><description>&lt;p&gt;ok&lt;/p&gt;</description></item>"
    text += "</channel></rss>"
    for data in (text.encode("utf-16"), b"\xef\xbb\xbf" + text.replace("utf-16", "utf-8").encode()):
        feed = parse_feed(data, "enc.xml", Reporter())
        assert feed.title == "Ünïcode" and feed.entries[0].title == "Ça va"


def test_an_encoding_that_lies_is_recovered() -> None:
    text = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Café</title>'
    text += "<item><title>Crème brûlée</title><guid>x1</guid><description>ok</description></item></channel></rss>"
    feed = parse_feed(text.encode("latin-1"), "lies.xml", Reporter())
    assert feed.entries[0].title == "Crème brûlée"


@pytest.mark.parametrize(
    "data",
    [
        b"<!doctype html><html><head><title>Blog</title></head><body><p>hi</p></body></html>",
        b'{"items": []}',
        b"",
        b"<note><to>x</to></note>",
    ],
)
def test_not_a_feed_is_one_clear_error(data: bytes) -> None:
    with pytest.raises(FeedbookError, match=r"^page\.html: not "):
        parse_feed(data, "page.html", Reporter())


def test_duplicate_ids_are_kept_apart() -> None:
    entries, reporter = read("newsboat--atom10-content-type-text-authors.xml")
    ids = [entry.id for entry in entries]
    assert len(ids) == len(set(ids)) == 9
    assert reporter.of_kind(Kind.DUPLICATE_ID)


def test_rss_description_with_raw_elements_keeps_them() -> None:
    data = b"""<rss version="2.0"><channel><title>T</title><item><guid>g1</guid><title>One</title>
    <description>Hello <b>bold</b> world <p>para</p></description></item></channel></rss>"""
    (entry,) = parse_feed(data, "raw.xml", Reporter()).entries
    assert entry.content == "Hello <b>bold</b> world <p>para</p>"


def test_a_fetched_feed_resolves_against_the_post_not_the_feed_url() -> None:
    data = b"""<rss version="2.0"><channel><title>T</title><link>https://blog.example/</link><item>
    <guid>g1</guid><title>One</title><link>https://blog.example/2020/one/</link>
    <description>&lt;img src="pic.png" alt="p"&gt;</description></item></channel></rss>"""
    (entry,) = parse_feed(data, "feed", Reporter(), url="https://feeds.example/feed.xml").entries
    assert entry.base_url == "https://blog.example/2020/one/"


def test_wordpress_latex_with_a_less_than_sign() -> None:
    from feedbook.clean.sanitize import render_wordpress

    assert render_wordpress("A $latex a &lt; b$ here.") == '<p>A <span class="math">\\(a &lt; b\\)</span> here.</p>'
