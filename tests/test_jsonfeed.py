"""JSON Feed 1.0 and 1.1: real feeds (NetNewsWire's parser test data), tiny feeds, hostile values, the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedbook.convert.chapter import ChapterContext, convert_entry
from feedbook.diagnostics import FeedbookError, Kind, Reporter
from feedbook.sources.feed import Feed, parse_feed

from helpers import error_lines, run_feedbook

HISTORY = Path(__file__).parent / "fixtures" / "history"
PREFIX = "Ranchero-Software-NetNewsWire--jsonfeed-"
V11 = "https://jsonfeed.org/version/1.1"


def fixture(name: str) -> Path:
    return HISTORY / f"{PREFIX}{name}.json"


def read(name: str, reporter: Reporter | None = None) -> Feed:
    return parse_feed(fixture(name).read_bytes(), name, reporter or Reporter())


def document(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(fixture(name).read_text(encoding="utf-8"))
    return loaded


def tiny(*items: object, url: str = "", reporter: Reporter | None = None, **top: object) -> Feed:
    """A JSON Feed 1.1 document of ``items`` (and top-level ``top``), parsed."""
    doc = {"version": V11, "title": "Tiny", "feed_url": "https://tiny.example/feed.json", **top, "items": list(items)}
    return parse_feed(json.dumps(doc).encode(), "tiny.json", reporter or Reporter(), url=url)


def chapter_text(feed: Feed, index: int = 0) -> str:
    return convert_entry(feed.entries[index], ChapterContext(slug="post")).text


# --- the real feeds ------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "count"), [("3960", 20), ("DaringFireball", 48), ("inessential", 20), ("pxlnv", 20)])
def test_every_item_of_the_real_feeds_is_read(name: str, count: int) -> None:
    reporter = Reporter()
    feed = read(name, reporter)
    assert len(feed.entries) == count
    assert len({entry.id for entry in feed.entries}) == count
    assert all(entry.title and entry.content and entry.published for entry in feed.entries)
    assert reporter.diagnostics == []


def test_3960_feed_metadata_is_jsonfeed_1_1() -> None:
    feed = read("3960")
    assert feed.title == "fboës - Der Blog | Startseite"
    assert feed.subtitle == "Programmierung, Luft- & Raumfahrt, Kurioses: Der Blog von und mit Frank Boës."
    assert feed.language == "de-DE"
    assert feed.author == "Frank Boës"
    assert feed.link == "https://journal.3960.org/"
    assert feed.id == "https://journal.3960.org/feed.json"  # feed_url first
    assert feed.paging.links == {}  # no next_url


def test_3960_items_keep_non_url_ids_dates_tags_and_authors() -> None:
    entries = read("3960").entries
    first = entries[0]
    assert first.id == "user/posts/2020-02-21-lecker-lecker/index.md"
    assert first.title == "Lecker, lecker"
    assert first.link == "https://journal.3960.org/posts/2020-02-21-lecker-lecker/"
    assert first.base_url == first.link
    assert first.published == "2020-02-21T18:08:06+01:00"
    assert first.tags == ("Lustiges",)
    assert first.authors == ("Frank Boës",)
    assert not first.summary_only  # content_html wins over summary
    sabine = entries[1]
    assert sabine.title == "„Sabine“ am Flughafen Amsterdam"
    assert (sabine.published, sabine.updated) == ("2020-02-10T18:40:04+01:00", "2020-02-11T08:51:21+01:00")
    assert sabine.tags == ("Fliegerei", "Simulation")
    simulator = next(e for e in entries if e.title.startswith("Der Microsoft Flight Simulator 2020"))
    assert simulator.tags[:3] == ("MSFS2020", "Fliegerei", "Für Tumblr")
    assert len(simulator.tags) == 10


def test_3960_plain_text_title_keeps_its_angle_brackets() -> None:
    feed = read("3960")
    wanted = "user/posts/2019-05-08-rueckkehr-von-b-und-i/index.md"
    index = next(i for i, entry in enumerate(feed.entries) if entry.id == wanted)
    assert feed.entries[index].title == "Die Rückkehr von <i> und <b>"  # titles are plain text, not HTML
    assert "# Die Rückkehr von \\<i> und \\<b>\n" in chapter_text(feed, index)


def test_3960_items_image_that_is_the_feeds_icon_is_not_put_in_every_post() -> None:
    """3960 gives its favicon (the feed's ``icon``) as every item's image and banner: the blog's
    picture, not the post's, so no chapter starts with it."""
    entries = read("3960").entries
    assert all("favicon-192x192.png" not in entry.content for entry in entries)
    assert entries[0].content.startswith("<blockquote>")


def test_3960_external_url_beside_url_is_the_related_link() -> None:
    entries = {entry.title: entry for entry in read("3960").entries}
    assert (
        entries["Programmierung: Zurück zur Werkbank"].related == "https://bastianallgeier.com/notes/simplicity-part-2"
    )
    assert entries["Einfachheit in Programmierung"].related == "https://css-tricks.com/simple-boring/"
    assert sum(bool(entry.related) for entry in entries.values()) == 2
    assert entries["Einfachheit in Programmierung"].link == (
        "https://journal.3960.org/posts/2019-04-23-einfachheit-programmierung/"
    )


def test_authors_of_1_1_win_over_author_of_1_0() -> None:
    doc = document("3960")
    assert doc["author"]["name"] == doc["authors"][0]["name"]  # the real feed agrees with itself: make them differ
    doc["author"] = {"name": "Old Style"}
    doc["authors"] = [{"name": "New Style"}, {"url": "mailto:nameless@example.com"}, {"name": "Second"}]
    for item in doc["items"]:
        del item["author"], item["authors"]
    doc["items"][0]["author"] = {"name": "Item Old"}
    doc["items"][1]["authors"] = [{"name": "Item New"}]
    doc["items"][1]["author"] = {"name": "Item Old"}
    feed = parse_feed(json.dumps(doc).encode(), "3960", Reporter())
    assert feed.author == "New Style, Second"
    assert feed.entries[0].authors == ("Item Old",)  # 1.0's author alone still counts
    assert feed.entries[1].authors == ("Item New",)
    assert feed.entries[2].authors == ("New Style", "Second")  # the feed's, when the item names nobody


def test_an_empty_authors_list_falls_back_to_author() -> None:
    feed = tiny({"id": "1", "content_text": "x", "authors": [], "author": {"name": "Solo"}}, authors=[{}])
    assert feed.author == ""
    assert feed.entries[0].authors == ("Solo",)


def test_daring_fireball_link_posts() -> None:
    feed = read("DaringFireball")
    assert (feed.title, feed.author, feed.language) == ("Daring Fireball", "John Gruber", "")
    first = feed.entries[0]
    assert first.id == first.link == "https://daringfireball.net/linked/2017/06/26/the-talk-show-195"
    assert first.related == "https://daringfireball.net/thetalkshow/2017/06/26/ep-195"
    assert first.title == "The Talk Show: ‘I Do Like Throwing a Baby’"
    assert (first.published, first.updated) == ("2017-06-27T00:54:17+00:00", "2017-06-27T00:54:20+00:00")
    assert sum(bool(entry.related) for entry in feed.entries) == 42
    article = next(e for e in feed.entries if e.link == "https://daringfireball.net/2017/06/the_2017_ipad_pros")
    assert (article.title, article.related) == ("★ The 2017 iPad Pros", "")
    assert 'related: "https://daringfireball.net/thetalkshow/2017/06/26/ep-195"' in chapter_text(feed)
    sponsors = [entry for entry in feed.entries if entry.title.startswith("[Sponsor]")]
    assert [entry.authors for entry in sponsors] == [("Daring Fireball Department of Commerce",)] * 2
    assert sponsors[0].published == "2017-06-26T19:22:44-04:00"
    assert not any(entry.summary_only for entry in feed.entries)


def test_inessential_minimal_items_inherit_the_feed_author() -> None:
    feed = read("inessential")
    assert (feed.title, feed.subtitle, feed.author) == ("inessential.com", "Brent Simmons’s weblog.", "Brent Simmons")
    assert (feed.link, feed.id) == ("http://inessential.com/", "http://inessential.com/feed.json")
    first = feed.entries[0]
    assert first.title == "James Dempsey and the Breakpoints Benefit App Camp for Girls"
    assert first.id == first.link == "http://inessential.com/2017/06/02/james_dempsey_and_the_breakpoints_benefi"
    assert first.published == first.updated == "2017-06-02T22:05:47-07:00"
    assert first.authors == ("Brent Simmons",)
    assert first.tags == ()
    assert feed.entries[-1].title == "My CocoaConf Yosemite 2017 Talk"


def test_pxlnv_http_version_url_and_references_in_titles() -> None:
    feed = read("pxlnv")
    assert document("pxlnv")["version"] == "http://jsonfeed.org/version/1"
    assert (feed.title, feed.subtitle, feed.author) == ("Pixel Envy", "", "")  # its description is ""
    assert feed.id == "https://pxlnv.com/feed/json/"
    assert all(entry.authors == ("Nick Heer",) for entry in feed.entries)  # named on each item only
    # The WordPress plugin wrote HTML character references into the plain-text title.
    titles = [entry.title for entry in feed.entries]
    assert "FCC Says Releasing ‘Jokes’ It Wrote About Ajit Pai Colluding With Verizon Would ‘Harm’ Agency" in titles
    assert sum(bool(entry.related) for entry in feed.entries) == 19


def test_truncated_feed_is_one_line_error() -> None:
    with pytest.raises(FeedbookError) as caught:
        read("allthis-partial")
    assert str(caught.value) == (
        "allthis-partial: not a valid JSON Feed (JSON error at character 12170: Invalid control character)"
    )


# --- documents that are not JSON Feeds -----------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"title": "x", "items": []}', "not a JSON Feed (no version; expected https://jsonfeed.org/version/…)"),
        (b'{"version": "https://example.com/version/1", "items": []}', "not a JSON Feed (version 'https://example"),
        (b'{"version": ["https://jsonfeed.org/version/1"]}', "not a JSON Feed (no version"),
        (b'{"version": "jsonfeed.org/version/1"}', "not a JSON Feed (version 'jsonfeed.org/version/1'"),
        (
            b'{"version": "https://jsonfeed.org/version/1",',
            "not a valid JSON Feed (JSON error at character 45: Expecting property name enclosed in double quotes)",
        ),
        (b'{"items": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "not a valid JSON Feed (nested too deep to read)"),
        (
            b'{"version": "https://jsonfeed.org/version/1", "n": ' + b"9" * 5000 + b"}",
            "not a valid JSON Feed (Exceeds the limit (4300 digits) for integer string conversion)",
        ),
    ],
    ids=["no-version", "other-version", "version-list", "schemeless-version", "truncated", "deep", "long-number"],
)
def test_not_a_json_feed(data: bytes, message: str) -> None:
    with pytest.raises(FeedbookError) as caught:
        parse_feed(data, "x.json", Reporter())
    assert str(caught.value).startswith(f"x.json: {message}")
    assert "\n" not in str(caught.value)


def test_bom_and_leading_whitespace_still_mean_json() -> None:
    data = b'\xef\xbb\xbf \n\t{"version": "https://jsonfeed.org/version/1", "items": [{"id": 7, "content_text": "x"}]}'
    assert [entry.id for entry in parse_feed(data, "x.json").entries] == ["7"]


def test_bytes_that_are_not_utf8_are_replaced_with_a_warning() -> None:
    reporter = Reporter()
    data = b'{"version": "https://jsonfeed.org/version/1", "items": [{"id": "1", "title": "caf\xe9", "summary": "x"}]}'
    feed = parse_feed(data, "x.json", reporter)
    assert feed.entries[0].title == "caf\ufffd"
    assert [d.kind for d in reporter.diagnostics] == [Kind.FEED_RECOVERED]


def test_an_atom_feed_is_still_read_as_xml() -> None:
    data = b'<feed xmlns="http://www.w3.org/2005/Atom"><title>{json}</title></feed>'
    assert parse_feed(data, "x.xml").title == "{json}"


# --- items ---------------------------------------------------------------------------------------


def test_content_text_is_escaped_into_paragraphs() -> None:
    text = "<script>alert(1)</script> & more\nline two\n\nSecond paragraph"
    feed = tiny({"id": "1", "title": "T", "content_text": text})
    entry = feed.entries[0]
    assert entry.content == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; more<br>\nline two</p><p>Second paragraph</p>"
    )
    assert not entry.summary_only
    body = chapter_text(feed).split("\n# T\n\n", 1)[1]
    assert body == "\\<script>alert(1)\\</script> & more\\\nline two\n\nSecond paragraph\n"  # text, not a tag


def test_content_html_wins_over_content_text_and_summary_is_the_last_resort() -> None:
    feed = tiny(
        {"id": "both", "content_html": "<p><b>Bold</b></p>", "content_text": "Bold", "summary": "S"},
        {"id": "summary", "content_html": "  ", "summary": "Just <a> summary"},
    )
    assert feed.entries[0].content == "<p><b>Bold</b></p>"
    assert (feed.entries[1].content, feed.entries[1].summary_only) == ("<p>Just &lt;a&gt; summary</p>", True)


def test_ids_numbers_fallbacks_and_skips() -> None:
    reporter = Reporter()
    feed = tiny(
        {"id": 42, "content_text": "numbered"},
        {"id": {"nested": "junk"}, "url": "https://tiny.example/p/2", "content_text": "no usable id"},
        {"id": "", "url": "relative/3", "content_text": "relative url"},
        {"title": "Neither", "content_text": "no id, no url"},
        {"id": True, "content_text": "a bool is no id"},
        "not an object",
        {"id": 42, "content_text": "repeated id"},
        reporter=reporter,
    )
    assert [entry.id for entry in feed.entries] == [
        "42",
        "https://tiny.example/p/2",
        "https://tiny.example/relative/3",  # resolved against feed_url
        "42#duplicate-2",
    ]
    kinds = [(d.kind, d.message) for d in reporter.diagnostics]
    assert kinds == [
        (Kind.ENTRY_SKIPPED, "skipped an item with no id and no url"),
        (Kind.ENTRY_SKIPPED, "skipped an item with no id and no url"),
        (Kind.ENTRY_SKIPPED, "skipped an item that is not a JSON object"),
        (Kind.DUPLICATE_ID, "id repeats an earlier entry's; kept as 42#duplicate-2"),
    ]
    assert reporter.diagnostics[0].entry == "Neither"


def test_links_external_url_and_unsafe_schemes() -> None:
    feed = tiny(
        {"id": "1", "url": "https://a.example/1", "external_url": "https://b.example/", "content_text": "link post"},
        {"id": "2", "external_url": "https://b.example/only", "content_text": "no url"},
        {"id": "3", "url": "javascript:alert(1)", "external_url": "file:///etc/passwd", "content_text": "unsafe"},
    )
    assert [(e.link, e.related) for e in feed.entries] == [
        ("https://a.example/1", "https://b.example/"),
        ("https://b.example/only", ""),  # the only link there is
        ("", ""),
    ]


def test_a_missing_title_is_left_to_the_chapter() -> None:
    feed = tiny(
        {"id": "micro", "content_html": "<p>Just a short micro post about the weather today, nothing more.</p>"}
    )
    assert feed.entries[0].title == ""
    assert "# Just a short micro post about the weather…\n" in chapter_text(feed)


def test_attachments_are_linked_after_the_content() -> None:
    feed = tiny(
        {
            "id": "episode",
            "content_html": "<p>Show notes.</p>",
            "attachments": [
                {"url": "https://cdn.example/ep%201.mp3", "mime_type": "audio/mpeg", "title": "Episode <1>"},
                {"url": "https://cdn.example/audio/ep%202.m4a", "mime_type": "audio/mp4"},
                {"url": "javascript:alert(1)", "title": "no"},
                {"url": ["junk"]},
                "junk",
            ],
        },
        {"id": "junk", "content_text": "x", "attachments": {"url": "https://cdn.example/a.mp3"}},
    )
    assert feed.entries[0].content == (
        '<p>Show notes.</p><p><a href="https://cdn.example/ep%201.mp3">Episode &lt;1&gt;</a><br>'
        '<a href="https://cdn.example/audio/ep%202.m4a">ep 2.m4a</a></p>'
    )
    assert feed.entries[1].content == "<p>x</p>"


def test_image_and_banner_go_before_the_content_unless_shown() -> None:
    feed = tiny(
        {
            "id": "1",
            "content_html": "<p>Text</p>",
            "banner_image": "/banner.png",
            "image": "https://i.example/a?x=1&y=2",
        },
        {
            "id": "2",
            "content_html": '<p><img src="https://i.example/a?x=1&amp;y=2"></p>',
            "image": "https://i.example/a?x=1&y=2",
        },
        {"id": "3", "content_html": "<p>Text</p>", "image": "data:image/png;base64,AAAA"},
    )
    assert feed.entries[0].content == (
        '<p><img src="https://tiny.example/banner.png" alt=""></p>'
        '<p><img src="https://i.example/a?x=1&amp;y=2" alt=""></p><p>Text</p>'
    )
    assert feed.entries[1].content == '<p><img src="https://i.example/a?x=1&amp;y=2"></p>'
    assert feed.entries[2].content == "<p>Text</p>"


# --- next_url -------------------------------------------------------------------------------------


def test_next_url_is_resolved_against_feed_url() -> None:
    feed = tiny({"id": "1", "content_text": "x"}, next_url="feed.json?page=2")
    assert feed.paging.links == {"next": "https://tiny.example/feed.json?page=2"}
    absolute = tiny({"id": "1", "content_text": "x"}, next_url="https://other.example/page/2.json")
    assert absolute.paging.links["next"] == "https://other.example/page/2.json"


def test_next_url_without_feed_url_is_resolved_against_where_the_feed_came_from() -> None:
    feed = tiny({"id": "1", "content_text": "x"}, feed_url=None, next_url="?page=2", url="https://got.example/f.json")
    assert feed.paging.links == {"next": "https://got.example/f.json?page=2"}


@pytest.mark.parametrize("next_url", ["javascript:alert(1)", "file:///etc/passwd", "ftp://a.example/2", "", 2, ["x"]])
def test_next_url_that_is_not_http_is_ignored(next_url: object) -> None:
    assert tiny({"id": "1", "content_text": "x"}, next_url=next_url).paging.links == {}


# --- hostile values -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "top",
    [
        {"title": ["a", "list"], "description": {"html": "x"}, "language": 5, "home_page_url": [1]},
        {"items": "not a list"},
        {"items": {"id": "1"}},
        {"items": None},
        {"authors": "Ann", "author": ["Bob"]},
        {"authors": [["nested"], {"name": ["x"]}, None], "author": "Ann"},
        {"feed_url": {"x": 1}, "next_url": {"url": "https://a.example/"}},
        {"items": [{"id": {"a": 1}, "title": ["t"], "url": 5, "content_html": 7, "tags": "one,two"}]},
        {"items": [{"id": "1", "title": {"x": 1}, "content_html": ["<p>"], "date_published": 2024, "authors": "x"}]},
        {"items": [{"id": "1", "content_text": "x", "tags": [1, None, ["t"], "ok"], "image": {"u": 1}}]},
        {"items": [{"id": "1", "content_text": "x", "date_published": "not a date", "date_modified": "9999999"}]},
        {"items": [{"id": "1", "content_text": "nul\u0000 and \ud800 lone", "title": "t\u0001"}]},
        {"items": [[[[[]]]], 1, None, True]},
    ],
)
def test_hostile_types_are_ignored(top: dict[str, Any]) -> None:
    doc = {"version": "https://jsonfeed.org/version/1", "title": "T", "items": [], **top}
    feed = parse_feed(json.dumps(doc).encode(), "h.json", Reporter())
    for entry in feed.entries:
        assert all(isinstance(value, str) for value in (entry.id, entry.title, entry.link, entry.content))
        assert "\x00" not in entry.content and "\ud800" not in entry.content
        convert_entry(entry, ChapterContext(slug="h"))


def test_hostile_item_fields_leave_the_rest_of_the_item() -> None:
    feed = tiny({"id": "1", "title": ["t"], "content_html": "<p>kept</p>", "tags": "a", "date_published": 5})
    entry = feed.entries[0]
    assert (entry.title, entry.content, entry.tags, entry.published) == ("", "<p>kept</p>", (), "")


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
ITEM_KEYS = ["id", "url", "external_url", "title", "content_html", "content_text", "summary", "image"]
ITEM_KEYS += ["banner_image", "date_published", "date_modified", "author", "authors", "tags", "attachments"]
TOP_KEYS = ["title", "description", "home_page_url", "feed_url", "next_url", "author", "authors", "language"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    top=st.dictionaries(st.sampled_from(TOP_KEYS), JSON_VALUES, max_size=5),
    items=st.lists(st.dictionaries(st.sampled_from(ITEM_KEYS), JSON_VALUES, max_size=8) | JSON_VALUES, max_size=4),
)
def test_any_values_in_any_field_read_without_error(top: dict[str, Any], items: list[Any]) -> None:
    doc = {"version": V11, **top, "items": items}
    feed = parse_feed(json.dumps(doc).encode(), "fuzz.json", Reporter())
    assert all(isinstance(entry.id, str) and entry.id for entry in feed.entries)


# --- the command line ----------------------------------------------------------------------------


def test_init_makes_a_book_from_a_json_feed(tmp_path: Path) -> None:
    source = tmp_path / fixture("inessential").name
    source.write_bytes(fixture("inessential").read_bytes())

    done = run_feedbook("init", "book", "--feed", source.name, "--offline", cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    assert error_lines(done.stderr) == []
    posts = tmp_path / "book" / "posts"
    assert len(list(posts.glob("*.md"))) == 20
    json_feed = (posts / "2017-05-17-json-feed.md").read_text(encoding="utf-8")
    assert json_feed.startswith('---\ntitle: "JSON Feed"\nid: "http://inessential.com/2017/05/17/json_feed"\n')
    assert "\n# JSON Feed\n" in json_feed
    assert (
        "I was hesitant, even up to this morning, to publish the [JSON Feed spec](https://jsonfeed.org/version/1)."
        in (json_feed)
    )
    first = (posts / "2017-06-02-james-dempsey-and-the-breakpoints-benefi.md").read_text(encoding="utf-8")
    assert "\n# James Dempsey and the Breakpoints Benefit App Camp for Girls\n" in first
    assert 'author: "Brent Simmons"' in first
    conf = (tmp_path / "book" / "conf.py").read_text(encoding="utf-8")
    assert 'project = "inessential.com"' in conf
    assert (tmp_path / "book" / "feeds" / source.name).read_bytes() == source.read_bytes()


def test_init_with_a_truncated_json_feed_fails_cleanly(tmp_path: Path) -> None:
    source = tmp_path / fixture("allthis-partial").name
    source.write_bytes(fixture("allthis-partial").read_bytes())

    done = run_feedbook("init", "book", "--feed", source.name, "--offline", cwd=tmp_path)

    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    reason = "not a valid JSON Feed (JSON error at character 12170: Invalid control character)"
    assert done.stderr.splitlines() == [f"feedbook: error: {source.name}: {reason}"]
    assert sorted(path.name for path in tmp_path.iterdir()) == [source.name]  # no book folder, no staging left
