"""Reading what a blog's history is made of, with no network: WordPress REST answers, Blogger's
counted feed pages, the Wayback Machine's CDX listings and RFC 5005's paging links.

The WordPress, Blogger and Wayback inputs are the real captured responses in
tests/fixtures/history (see ../shared/history/MANIFEST.md for where each comes from). RFC 5005
has no captured blog feed, so its documents are written here from the RFC's own examples.
"""

from __future__ import annotations

import copy
import gzip
import itertools
import json
import urllib.parse
from pathlib import Path
from typing import Any

import pytest
import yaml

from feedbook.diagnostics import Reporter
from feedbook.history.blogger import _next_start, is_blogger, page_url
from feedbook.history.crawler import Crawler
from feedbook.history.found import Start
from feedbook.history.walk import own_hosts
from feedbook.history.wayback import Snapshot, cdx_url, parse_cdx
from feedbook.history.wordpress import api_link, api_roots, endpoint
from feedbook.history.wordpress_posts import read_post, term_names
from feedbook.net.addresses import AddressPolicy
from feedbook.net.client import Fetched, HttpClient
from feedbook.sources.feed import parse_feed
from feedbook.sources.records import Entry, Feed

FIXTURES = Path(__file__).parent / "fixtures" / "history"


def load_json(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


# --- WordPress REST: wp/v2/posts and wp/v2/categories --------------------------------------------

UNITINGNC_POSTS = "RobJacobson-website-unc--wp-v2-posts-page1-unitingnc.org.json"
UNITINGNC_CATEGORIES = "RobJacobson-website-unc--wp-v2-categories-unitingnc.org.json"
KCUA_POSTS = "kcua-musicology.github.io--wp-v2-posts.json"
KCUA_CATEGORIES = "kcua-musicology.github.io--wp-v2-categories.json"
WEBAQUEBEC_POSTS = "webaquebec2016-web--wp-v2-posts-2016-plugin-era.json"


def read_posts(posts: list[Any], terms: dict[int, str], author: str = "") -> tuple[list[Entry], int, Reporter]:
    """Every post of a page read as `walk_rest` reads it: the entries, the protected count, the warnings."""
    feed = Feed(source="https://example.com/wp-json/wp/v2/posts")
    reporter = Reporter()
    entries: list[Entry] = []
    protected = 0
    for post in posts:
        entry, was_protected = read_post(post, feed, reporter, terms, author)
        protected += was_protected
        if entry is not None:
            entries.append(entry)
    return entries, protected, reporter


def test_term_names_keep_both_uncategorized_ids() -> None:
    """unitingnc.org has two categories named "Uncategorized" (ids 1 and 11): both ids resolve."""
    names = term_names(load_json(UNITINGNC_CATEGORIES))
    assert len(names) == 7
    assert names[1] == names[11] == "Uncategorized"
    assert names[4] == "Events"


def test_unitingnc_posts_page_reads_every_post_with_its_guid_date_and_category() -> None:
    """10 posts, ids 5169…4133, each with guid.rendered as its id, its UTC date from date_gmt + Z,
    and category 11 as the tag "Uncategorized"."""
    posts = load_json(UNITINGNC_POSTS)
    entries, protected, _reporter = read_posts(posts, term_names(load_json(UNITINGNC_CATEGORIES)))
    numbers = [5169, 5035, 5031, 5051, 5028, 4203, 4141, 4138, 4136, 4133]
    assert [post["id"] for post in posts] == numbers
    assert protected == 0
    assert [entry.id for entry in entries] == [f"https://www.unitingnc.org/?p={number}" for number in numbers]
    first = entries[0]
    assert posts[0]["date"] == "2020-01-16T12:04:33"  # local time, no offset: not what is read
    assert first.published == "2020-01-16T17:04:33+00:00"
    assert first.updated == "2020-01-16T17:04:33+00:00"
    assert first.title == "An App for the Ministry"
    assert first.link == "https://www.unitingnc.org/2020/01/an-app-for-the-ministry/"
    assert all(entry.tags == ("Uncategorized",) for entry in entries)
    assert all(entry.content.strip() and not entry.summary_only for entry in entries)
    assert [entry.link for entry in entries] == [post["link"] for post in posts]


def test_title_entities_are_decoded() -> None:
    """``&#8217;`` in title.rendered becomes the character itself."""
    posts = load_json(UNITINGNC_POSTS)
    post = next(post for post in posts if post["id"] == 5051)
    assert "&#8217;" in post["title"]["rendered"]
    entries, _protected, _reporter = read_posts([post], {})
    assert entries[0].title == "New video highlights CTD interns\u2019 stories and impact"


def test_without_an_embedded_author_the_feed_author_is_used() -> None:
    entries, _protected, _reporter = read_posts(load_json(UNITINGNC_POSTS)[:1], {}, author="Uniting NC")
    assert entries[0].authors == ("Uniting NC",)


def test_an_embedded_author_is_read_and_unescaped() -> None:
    post = copy.deepcopy(load_json(UNITINGNC_POSTS)[0])
    post["_embedded"] = {"author": [{"name": "Ann &amp; Bob"}, {"name": "  "}, {"name": 5}, "nobody"]}
    entries, _protected, _reporter = read_posts([post], {}, author="Feed Author")
    assert entries[0].authors == ("Ann & Bob",)


def test_kcua_post_has_its_japanese_title_and_category() -> None:
    """One post (id 196), category 4 お知らせ."""
    entries, protected, _reporter = read_posts(load_json(KCUA_POSTS), term_names(load_json(KCUA_CATEGORIES)))
    assert protected == 0
    assert len(entries) == 1
    (entry,) = entries
    assert entry.id == "https://kcua-musicology.github.io/?p=196"
    assert entry.title == "音楽学専攻Webサイトへようこそ！"
    assert entry.tags == ("お知らせ",)
    assert entry.published == "2024-09-17T05:06:10+00:00"


def test_webaquebec_2016_plugin_era_posts_are_all_read_with_dates_from_date_gmt() -> None:
    """35 posts with no categories, tags or content.protected keys: all read, no tags, and each date
    from date_gmt (an hour behind its date: the site's zone was wrong)."""
    posts = load_json(WEBAQUEBEC_POSTS)
    assert len(posts) == 35
    assert not any("categories" in post or "tags" in post or "protected" in post["content"] for post in posts)
    entries, protected, _reporter = read_posts(posts, {1: "Uncategorized"})
    assert protected == 0
    assert len(entries) == 35
    assert [entry.published for entry in entries] == [post["date_gmt"] + "+00:00" for post in posts]
    first = next(entry for entry in entries if entry.id == "http://api.webaquebec.org/?p=3578")
    assert first.published == "2016-04-06T11:29:28+00:00"  # date says 12:29:28
    assert all(entry.tags == () for entry in entries)


def test_a_password_protected_post_is_skipped_and_flagged() -> None:
    """content.protected true: no entry, and the flag that lets the walk count it."""
    posts = copy.deepcopy(load_json(UNITINGNC_POSTS)[:3])
    posts[1]["content"]["protected"] = True
    entries, protected, _reporter = read_posts(posts, {})
    assert protected == 1
    assert [entry.id for entry in entries] == ["https://www.unitingnc.org/?p=5169", "https://www.unitingnc.org/?p=5031"]
    assert read_post(posts[1], Feed(source="s"), Reporter(), {}, "") == (None, True)


def test_a_post_without_content_falls_back_to_its_excerpt() -> None:
    post = copy.deepcopy(load_json(UNITINGNC_POSTS)[0])
    post["content"] = {"rendered": "", "protected": False}
    entries, _protected, _reporter = read_posts([post], {})
    assert entries[0].summary_only
    assert entries[0].content == post["excerpt"]["rendered"]


def test_a_zero_date_gmt_falls_back_to_the_local_date() -> None:
    """Old WordPress gives drafts and some imports ``0000-00-00T00:00:00`` as date_gmt."""
    post = copy.deepcopy(load_json(UNITINGNC_POSTS)[0])
    post["date_gmt"] = "0000-00-00T00:00:00"
    entries, _protected, _reporter = read_posts([post], {})
    assert entries[0].published == "2020-01-16T12:04:33+00:00"


HOSTILE_POSTS: list[Any] = [
    "a post that is a string",
    5,
    None,
    [],
    {},
    {"title": ["a", "list"], "content": {"rendered": "<p>text</p>"}, "link": "https://example.com/1"},
    {"title": {"rendered": "T"}, "content": 42, "excerpt": {"rendered": "<p>e</p>"}, "link": "https://example.com/2"},
    {"content": {"rendered": "<p>x</p>"}, "categories": "11", "tags": {"1": 2}, "id": 7},
    {"content": {"rendered": ["x"], "protected": "yes"}, "guid": 5, "link": 3, "date_gmt": 5, "date": []},
    {"content": {"rendered": "<p>x</p>"}, "categories": [None, "4", 4.0, [1]], "_embedded": {"author": "x"}},
    {"content": {"rendered": "<p>x</p>"}, "date_gmt": "not a date", "modified_gmt": "9999-99-99T99:99:99"},
    {"content": {"rendered": "<p>x</p>"}, "_embedded": [], "guid": {"rendered": None}, "title": None},
]


@pytest.mark.parametrize("post", HOSTILE_POSTS, ids=range(len(HOSTILE_POSTS)))
def test_hostile_post_shapes_never_raise(post: Any) -> None:
    """Whatever the shape, a post gives an entry or nothing, never an exception; wrong-typed
    categories give no tag."""
    entry, protected = read_post(post, Feed(source="s"), Reporter(), {4: "Four", 11: "Eleven"}, "")
    assert protected is False
    if entry is not None:
        assert entry.tags == ()
        assert isinstance(entry.title, str) and isinstance(entry.content, str)


def test_a_post_that_is_not_an_object_gives_nothing() -> None:
    assert read_post("a post that is a string", Feed(source="s"), Reporter(), {}, "") == (None, False)


def test_hostile_term_pages_never_raise() -> None:
    assert term_names(None) == {}
    assert term_names({"code": "rest_no_route"}) == {}
    assert term_names(["x", 5, {"id": "3", "name": "n"}, {"id": 4, "name": 4}, {"id": 2, "name": "A &amp; B"}]) == {
        2: "A & B"
    }


def test_a_boolean_is_not_a_term_id() -> None:
    """JSON true is not the id 1 (Python's bool is an int): neither as a post's category nor as a term's id."""
    post = copy.deepcopy(load_json(UNITINGNC_POSTS)[0])
    post["categories"] = [True]
    entries, _protected, _reporter = read_posts([post], {1: "Uncategorized"})
    assert entries[0].tags == ()
    assert term_names([{"id": True, "name": "yes"}]) == {}


# --- WordPress: finding the API, and its URLs --------------------------------------------------


def test_api_link_from_the_link_header() -> None:
    """``Link: <…/wp-json/>; rel="https://api.w.org/"``, as every WordPress front-end answer carries."""
    fetched = Fetched(
        b"",
        "text/html",
        "https://example.com/",
        headers={"link": '<https://example.com/wp-json/>; rel="https://api.w.org/"'},
    )
    assert api_link(fetched) == "https://example.com/wp-json/"


def test_api_link_among_several_links_and_relative() -> None:
    """A real WordPress sends several links in one header; a relative one resolves against the answer's URL."""
    header = (
        '<https://example.com/wp-json/wp/v2/pages/2>; rel="alternate"; type="application/json", '
        '</wp-json/>; rel="https://api.w.org/", <https://example.com/?p=2>; rel=shortlink'
    )
    fetched = Fetched(b"", "application/rss+xml", "https://example.com/feed/", headers={"link": header})
    assert api_link(fetched) == "https://example.com/wp-json/"


@pytest.mark.parametrize(
    "tag",
    [
        b"<link rel='https://api.w.org/' href='https://example.com/wp-json/' />",
        b'<LINK href="https://example.com/wp-json/" rel="https://api.w.org/">',
    ],
)
def test_api_link_from_the_html_head(tag: bytes) -> None:
    page = b"<!DOCTYPE html><html><head><title>Blog</title>" + tag + b"</head><body></body></html>"
    assert api_link(Fetched(page, "text/html", "https://example.com/")) == "https://example.com/wp-json/"


def test_api_link_of_a_site_without_pretty_permalinks() -> None:
    page = b"<html><head><link rel='https://api.w.org/' href='https://example.com/?rest_route=/' /></head></html>"
    assert api_link(Fetched(page, "text/html", "https://example.com/")) == "https://example.com/?rest_route=/"


def test_no_api_link_is_found_where_there_is_none() -> None:
    assert api_link(Fetched(b"<html><head></head></html>", "text/html", "https://example.com/")) == ""
    assert api_link(Fetched(b"", "text/html", "https://example.com/", headers={"link": "<x>; rel=next"})) == ""
    feed = (
        b"<rss><channel><description>&lt;link rel='https://api.w.org/' href='https://e.com/wp-json/'&gt;</description>"
    )
    assert api_link(Fetched(feed, "application/rss+xml", "https://example.com/feed/")) == ""


@pytest.mark.parametrize(
    ("api", "namespace"),
    [
        ("https://example.com/wp-json/", "https://example.com/wp-json/wp/v2/"),
        ("https://example.com/wp-json", "https://example.com/wp-json/wp/v2/"),
        ("https://example.com/?rest_route=/", "https://example.com/?rest_route=/wp/v2/"),
    ],
)
def test_endpoint_under_either_form_of_root(api: str, namespace: str) -> None:
    """The API root a site names, then its wp/v2 namespace, then a route: ``/wp-json/`` takes the
    route in the path and its parameters after ``?``; ``?rest_route=/`` takes both in the query."""
    assert endpoint(api, "wp/v2/") == namespace
    query = "per_page=100&page=2&_embed=author"
    joiner = "&" if "rest_route=" in api else "?"
    assert endpoint(namespace, "posts") == namespace + "posts"
    assert endpoint(namespace, "posts", per_page=100, page=2, _embed="author") == namespace + "posts" + joiner + query
    assert endpoint(namespace, "categories", per_page=100, page=1) == namespace + "categories" + joiner + (
        "per_page=100&page=1"
    )


def test_the_wordpress_com_public_api_root_gives_the_sites_posts_route(monkeypatch: pytest.MonkeyPatch) -> None:
    """For a WordPress.com site the second root is public-api, whose posts route is
    ``/wp/v2/sites/{site}/posts`` (developer.wordpress.com, RESEARCH.md §3). Nothing is fetched:
    the feed's answer names the site's own API root."""
    monkeypatch.delenv("FEEDBOOK_WORDPRESS_COM_URL", raising=False)
    url = "https://example.wordpress.com/feed/"
    fetched = Fetched(
        b"<rss/>",
        "application/rss+xml",
        url,
        headers={"link": '<https://example.wordpress.com/wp-json/>; rel="https://api.w.org/"'},
    )
    start = Start(url, Feed(source=url, generator="https://wordpress.com/"), fetched, Reporter())
    crawler = Crawler(HttpClient(AddressPolicy()), hosts=own_hosts(url))
    own, public = api_roots(start, crawler)
    assert endpoint(own, "posts") == "https://example.wordpress.com/wp-json/wp/v2/posts"
    posts = urllib.parse.urlsplit(endpoint(public, "posts", per_page=100, page=1))
    assert posts.netloc == "public-api.wordpress.com"
    assert posts.path == "/wp/v2/sites/example.wordpress.com/posts"
    assert crawler.requests == 0


# --- Blogger ---------------------------------------------------------------------------------------

BLOGGER_ATOM = "I014-jorgeelconstructor.blogspot.com--blogger-posts-default-page1.atom.xml"
BLOGGER_RSS = "I014-jorgeelconstructor.blogspot.com--blogger-posts-default-alt-rss-page1.rss.xml"
BLOG_FEED = "https://jorgeelconstructor.blogspot.com/feeds/posts/default"
BLOG_HOST = "jorgeelconstructor.blogspot.com"


def blogger_feed(name: str, url: str = BLOG_FEED) -> tuple[Feed, Start]:
    data = (FIXTURES / name).read_bytes()
    feed = parse_feed(data, "x", url=url)
    return feed, Start(url, feed, Fetched(data, "application/atom+xml", url), Reporter())


def test_blogger_atom_page_one_counts_and_next_link() -> None:
    """25 entries of 39, from 1, 25 a page; ``next`` is on www.blogger.com over http, ``&amp;`` unescaped."""
    feed, start = blogger_feed(BLOGGER_ATOM)
    assert len(feed.entries) == 25
    assert (feed.paging.total, feed.paging.start_index, feed.paging.per_page) == (39, 1, 25)
    assert feed.paging.links == {
        "next": "http://www.blogger.com/feeds/1610088654917055211/posts/default?start-index=26&max-results=25"
    }
    assert all(entry.id.startswith("tag:blogger.com,1999:blog-1610088654917055211.post-") for entry in feed.entries)
    assert _next_start(feed, BLOG_HOST) == 26
    assert is_blogger(start)


def test_blogger_rss_page_one_has_the_counts_and_no_next_link() -> None:
    """The ``?alt=rss`` variant: the same counts, no ``next``; the next start is counted: 1 + 25."""
    url = BLOG_FEED + "?alt=rss"
    feed, start = blogger_feed(BLOGGER_RSS, url)
    assert len(feed.entries) == 25
    assert (feed.paging.total, feed.paging.start_index, feed.paging.per_page) == (39, 1, 25)
    assert "next" not in feed.paging.links
    assert _next_start(feed, BLOG_HOST) == 26
    assert is_blogger(start)


def test_a_next_link_on_a_foreign_host_is_not_trusted_for_the_next_start() -> None:
    feed, _start = blogger_feed(BLOGGER_ATOM)
    feed.paging.links["next"] = "http://elsewhere.example/feeds/posts/default?start-index=9999"
    assert _next_start(feed, BLOG_HOST) == 26


def test_a_page_without_counts_or_entries_has_no_next_start() -> None:
    assert _next_start(Feed(source="x"), BLOG_HOST) is None


def test_page_url_asks_the_blogs_own_host_for_100_from_start_index() -> None:
    assert page_url(BLOG_FEED, 26) == BLOG_FEED + "?start-index=26&max-results=100"
    assert page_url(BLOG_FEED + "?alt=rss", 26) == BLOG_FEED + "?alt=rss&start-index=26&max-results=100"
    assert page_url(BLOG_FEED + "?start-index=1&max-results=25", 26) == BLOG_FEED + "?start-index=26&max-results=100"


def test_a_wordpress_feed_is_not_blogger() -> None:
    url = "https://example.com/feed/"
    feed = Feed(source=url, generator="https://wordpress.org/?v=6.4", id="https://example.com/")
    assert not is_blogger(Start(url, feed, Fetched(b"", "application/rss+xml", url), Reporter()))


# --- the Wayback Machine's CDX -------------------------------------------------------------------

CDX_MULTIPAGE = "edgi-govdata-archiving-wayback--cdx-cassette-test_search_multipage.yaml"
CDX_FILTER = "edgi-govdata-archiving-wayback--cdx-cassette-test_search_with_filter.yaml"
CDX_BLOCKED = "edgi-govdata-archiving-wayback--cdx-cassette-test_search_raises_for_blocked_urls.yaml"


def interactions(name: str) -> list[dict[str, Any]]:
    """The recorded request/response pairs of a VCR cassette."""
    document = yaml.safe_load((FIXTURES / name).read_text(encoding="utf-8"))
    return list(document["interactions"])


def body_of(interaction: dict[str, Any]) -> bytes:
    """The response body as the server meant it: ``!!binary`` (base64) or a plain string, gunzipped
    when the response says ``Content-Encoding: gzip``."""
    response = interaction["response"]
    raw = response["body"]["string"]
    data = raw if isinstance(raw, bytes) else raw.encode("utf-8")
    headers = {name.lower(): value for name, value in response["headers"].items()}
    encoding = headers.get("content-encoding", [""])
    if data and "gzip" in (encoding[0] if isinstance(encoding, list) else encoding):
        data = gzip.decompress(data)
    return data


def query_of(interaction: dict[str, Any]) -> str:
    return urllib.parse.urlsplit(interaction["request"]["uri"]).query


def test_cdx_pages_each_give_snapshots_and_the_key_the_next_request_sent() -> None:
    """15 recorded CDX requests: each answer but the last lists snapshots and ends with a resume
    key, which is (URL-decoded) the ``resumeKey`` of the next recorded request."""
    recorded = interactions(CDX_MULTIPAGE)
    assert len(recorded) == 15
    for here, following in itertools.pairwise(recorded):
        snapshots, key = parse_cdx(body_of(here).decode("utf-8"))
        assert snapshots
        assert key
        assert urllib.parse.parse_qs(query_of(following))["resumeKey"] == [key]


def test_the_last_cdx_page_is_empty() -> None:
    last = interactions(CDX_MULTIPAGE)[-1]
    assert last["response"]["status"]["code"] == 200
    assert body_of(last) == b""
    assert parse_cdx(body_of(last).decode("utf-8")) == ([], "")


def test_cdx_rows_become_200_snapshots_only() -> None:
    """Each 200 line gives (timestamp, original, digest); redirect (302) rows are left out."""
    recorded = interactions(CDX_MULTIPAGE)
    first_body = body_of(recorded[0]).decode("utf-8")
    first_line = first_body.splitlines()[0].split(" ")
    snapshots, key = parse_cdx(first_body)
    assert snapshots[0] == Snapshot(first_line[1], first_line[2], first_line[5])
    assert key == "com%2Ccnn%29%2F+2001041400593%3A"
    for interaction in recorded[:-1]:
        text = body_of(interaction).decode("utf-8")
        rows = [line.split(" ") for line in text.partition("\n\n")[0].splitlines()]
        snapshots, _key = parse_cdx(text)
        assert len(snapshots) == sum(1 for row in rows if row[4] == "200")
        assert all(len(snapshot.timestamp) == 14 and snapshot.timestamp.isdigit() for snapshot in snapshots)
        assert all(snapshot.original.startswith("http://") and len(snapshot.digest) == 32 for snapshot in snapshots)
    fifth = body_of(recorded[4]).decode("utf-8")
    assert " 302 " in fifth
    assert len(parse_cdx(fifth)[0]) < len(fifth.partition("\n\n")[0].splitlines())


def test_a_cdx_page_of_404_rows_gives_no_snapshot_but_its_key() -> None:
    """With ``filter=statuscode:404`` every row is a 404: no snapshot, and still a resume key."""
    recorded = interactions(CDX_FILTER)
    filtered = next(item for item in recorded if "filter=statuscode" in item["request"]["uri"])
    snapshots, key = parse_cdx(body_of(filtered).decode("utf-8"))
    assert snapshots == []
    assert key.startswith("gov%2Cnasa%29%2F")


def test_a_blocked_site_answers_403_blocked_site_error() -> None:
    (blocked,) = interactions(CDX_BLOCKED)
    assert blocked["response"]["status"]["code"] == 403
    assert b"Blocked Site Error" in body_of(blocked)


def test_cdx_url_encodes_the_resume_key_as_the_wayback_client_did() -> None:
    """The key is sent URL-encoded once more: byte for byte the ``resumeKey=`` of the recorded request."""
    recorded = interactions(CDX_MULTIPAGE)
    _snapshots, key = parse_cdx(body_of(recorded[0]).decode("utf-8"))
    ours = cdx_url("https://web.archive.org", "https://example.com/feed/", key)
    sent = [part for part in query_of(recorded[1]).split("&") if part.startswith("resumeKey=")]
    assert [part for part in urllib.parse.urlsplit(ours).query.split("&") if part.startswith("resumeKey=")] == sent
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(ours).query)
    assert query["url"] == ["https://example.com/feed/"]
    assert query["resumeKey"] == [key]
    assert query["showResumeKey"] == ["true"]
    assert "resumeKey" not in cdx_url("https://web.archive.org", "https://example.com/feed/")


# --- RFC 5005 ---------------------------------------------------------------------------------------
# The documents below are written from RFC 5005's own examples (§2 complete, §3 paged, §4 archived,
# Appendix B RSS 2.0), trimmed to one entry and with the extra links each test needs.

FH = "http://purl.org/syndication/history/1.0"
ENTRY = """<entry>
    <title>Atom-Powered Robots Run Amok</title>
    <link href="http://example.org/2003/12/13/atom03"/>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <updated>2003-12-13T18:30:02Z</updated>
    <summary>Some text.</summary>
  </entry>"""


def atom(inside: str, *, entry: str = ENTRY, base: str = "") -> bytes:
    xml_base = f' xml:base="{base}"' if base else ""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:fh="{FH}"{xml_base}>
  <title>Example Feed</title>
  <link href="http://example.org/"/>
  {inside}
  <updated>2003-12-13T18:30:02Z</updated>
  <author><name>John Doe</name></author>
  <id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
  {entry}
</feed>""".encode()


def test_a_complete_feed() -> None:
    """§2: ``<fh:complete/>`` says the document holds every entry."""
    feed = parse_feed(atom("<fh:complete/>"), "x", url="http://example.org/index.atom")
    assert feed.paging.complete
    assert not feed.paging.archive
    assert feed.paging.links == {}
    assert len(feed.entries) == 1


def test_a_subscription_document_links_to_its_archives() -> None:
    """§4: the subscription document's ``prev-archive``; it is neither complete nor an archive."""
    feed = parse_feed(
        atom(
            '<link rel="self" href="http://example.org/index.atom"/>'
            '<link rel="prev-archive" href="http://example.org/2003/11/index.atom"/>'
        ),
        "x",
        url="http://example.org/index.atom",
    )
    assert feed.paging.links == {"prev-archive": "http://example.org/2003/11/index.atom"}
    assert not feed.paging.complete
    assert not feed.paging.archive


def test_an_archive_document() -> None:
    """§4: ``fh:archive``, ``current`` back to the subscription feed, ``prev-archive`` and ``next-archive``."""
    feed = parse_feed(
        atom(
            '<link rel="current" href="http://example.org/index.atom"/>'
            '<link rel="self" href="http://example.org/2003/11/index.atom"/>'
            "<fh:archive/>"
            '<link rel="prev-archive" href="http://example.org/2003/10/index.atom"/>'
            '<link rel="next-archive" href="http://example.org/2003/12/index.atom"/>'
        ),
        "x",
        url="http://example.org/2003/11/index.atom",
    )
    assert feed.paging.archive
    assert not feed.paging.complete
    assert feed.paging.links == {
        "current": "http://example.org/index.atom",
        "prev-archive": "http://example.org/2003/10/index.atom",
        "next-archive": "http://example.org/2003/12/index.atom",
    }


def test_a_paged_feed_and_prev_read_as_previous() -> None:
    """§3: ``first``, ``next``, ``previous`` and ``last``; the common alias ``prev`` is read as ``previous``."""
    links = (
        '<link rel="self" href="http://example.org/index.atom?page=3"/>'
        '<link rel="first" href="http://example.org/index.atom"/>'
        '<link rel="next" href="http://example.org/index.atom?page=2"/>'
        '<link rel="{previous}" href="http://example.org/index.atom?page=4"/>'
        '<link rel="last" href="http://example.org/index.atom?page=7"/>'
    )
    expected = {
        "first": "http://example.org/index.atom",
        "next": "http://example.org/index.atom?page=2",
        "previous": "http://example.org/index.atom?page=4",
        "last": "http://example.org/index.atom?page=7",
    }
    for previous in ("previous", "prev"):
        feed = parse_feed(atom(links.format(previous=previous)), "x", url="http://example.org/index.atom?page=3")
        assert feed.paging.links == expected, previous


def test_relative_hrefs_resolve_against_the_document_url() -> None:
    feed = parse_feed(
        atom(
            '<link rel="current" href="/index.atom"/>'
            '<link rel="prev-archive" href="../10/index.atom"/>'
            '<link rel="next-archive" href="?month=12"/>'
        ),
        "x",
        url="http://example.org/2003/11/index.atom",
    )
    assert feed.paging.links == {
        "current": "http://example.org/index.atom",
        "prev-archive": "http://example.org/2003/10/index.atom",
        "next-archive": "http://example.org/2003/11/index.atom?month=12",
    }


def test_an_xml_base_on_the_feed_applies_to_its_paging_links() -> None:
    """RFC 4287 §2 and XML Base: relative hrefs resolve against the feed's xml:base when it has one
    (as the feed's own home link already does)."""
    feed = parse_feed(
        atom('<link rel="prev-archive" href="2003/10/index.atom"/>', base="http://archive.example.org/feeds/"),
        "x",
        url="http://example.org/index.atom",
    )
    assert feed.paging.links == {"prev-archive": "http://archive.example.org/feeds/2003/10/index.atom"}


def test_a_link_that_is_not_http_is_dropped() -> None:
    feed = parse_feed(
        atom('<link rel="next" href="javascript:alert(1)"/><link rel="prev-archive" href=""/>'),
        "x",
        url="http://example.org/index.atom",
    )
    assert feed.paging.links == {}


def test_entry_level_links_and_markers_are_not_feed_paging() -> None:
    """An entry's own ``next``, ``prev-archive`` or ``fh:complete`` says nothing about the feed."""
    entry = ENTRY.replace(
        "<summary>",
        '<link rel="next" href="http://example.org/entry/next"/>'
        '<link rel="prev-archive" href="http://example.org/entry/older"/>'
        "<fh:complete/><fh:archive/><summary>",
    )
    feed = parse_feed(atom("", entry=entry), "x", url="http://example.org/index.atom")
    assert len(feed.entries) == 1
    assert feed.paging.links == {}
    assert not feed.paging.complete
    assert not feed.paging.archive


RSS_NEXT = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:fh="{FH}">
  <channel>
    <title>Example Feed</title>
    <link>http://example.org/</link>
    <description>An example of RFC 5005 paging in RSS 2.0 (RFC 5005 Appendix B).</description>
    <atom:link rel="self" href="http://example.org/index.rss"/>
    <atom:link rel="next" href="index.rss?page=2"/>
    <item>
      <title>Atom-Powered Robots Run Amok</title>
      <link>http://example.org/2003/12/13/atom03</link>
      <guid>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</guid>
      <description>Some text.</description>
      <atom:link rel="prev-archive" href="http://example.org/item/older"/>
    </item>
  </channel>
</rss>""".encode()


def test_rss_with_an_atom_next_link_in_its_channel() -> None:
    """Appendix B: ``<atom:link rel="next">`` inside ``<channel>`` is the feed's next page (resolved);
    an item's atom:link is not."""
    feed = parse_feed(RSS_NEXT, "x", url="http://example.org/index.rss")
    assert feed.paging.links == {"next": "http://example.org/index.rss?page=2"}
    assert len(feed.entries) == 1


def test_rss_complete_marker_in_its_channel() -> None:
    complete = RSS_NEXT.replace(b'<atom:link rel="next" href="index.rss?page=2"/>', b"<fh:complete/>")
    feed = parse_feed(complete, "x", url="http://example.org/index.rss")
    assert feed.paging.complete
    assert feed.paging.links == {}


def test_json_feed_next_url_is_read_as_next() -> None:
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Example",
        "next_url": "https://example.org/feed.json?page=2",
        "items": [{"id": "1", "url": "https://example.org/1", "content_html": "<p>x</p>"}],
    }
    feed = parse_feed(json.dumps(document).encode(), "x", url="https://example.org/feed.json")
    assert feed.paging.links == {"next": "https://example.org/feed.json?page=2"}
