"""The archive: feeds merged into a book's posts folder by entry id, writing only what changed."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

import feedbook.pipeline
from feedbook.diagnostics import FeedbookError, Kind, Reporter
from feedbook.pipeline import ConvertOptions, ConvertResult, convert_feeds

from helpers import HTML_PAGE, OLD_MTIME_NS, FeedEntry, age, snapshot, write_atom

HELLO = FeedEntry(
    id="urn:test:hello",
    title="Hello, world!",
    link="https://blog.example.com/2024/01/hello-world/",
    published="2024-01-15T10:00:00Z",
    content="<p>The first post of the blog.</p>",
)
SECOND = FeedEntry(
    id="urn:test:second",
    title="Something else entirely",
    link="https://blog.example.com/2024/02/second-post.html",
    published="2024-02-01T08:30:00Z",
    content="<p>The second post, with <em>emphasis</em>.</p>",
)
THIRD = FeedEntry(
    id="urn:test:third",
    title="Third",
    link="https://blog.example.com/2024/03/third-one",
    published="2024-03-10T12:00:00Z",
    content="<p>A third post arrives.</p>",
)
SLUG_CHARACTERS = re.compile(r"^[a-z0-9-]+$")


@pytest.fixture
def book(tmp_path: Path) -> Path:
    folder = tmp_path / "book"
    folder.mkdir()
    return folder


def convert(book: Path, *sources: Path | str, force: bool = False) -> tuple[ConvertResult, Reporter]:
    reporter = Reporter()
    options = ConvertOptions(book=book, sources=tuple(map(str, sources)), force=force, offline=True)
    return convert_feeds(options, reporter), reporter


def chapters(book: Path) -> dict[str, str]:
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted((book / "posts").glob("*.md"))}


def state(book: Path) -> dict:
    return json.loads((book / "feedbook.json").read_text(encoding="utf-8"))


def test_first_run_writes_a_chapter_per_entry_and_the_state(tmp_path: Path, book: Path) -> None:
    feed = write_atom(tmp_path / "feed.xml", [HELLO, SECOND])

    result, reporter = convert(book, feed)

    assert sorted(chapters(book)) == ["2024-01-15-hello-world", "2024-02-01-second-post"]
    assert sorted(result.written) == ["2024-01-15-hello-world", "2024-02-01-second-post"]
    assert result.unchanged == result.kept == result.failed == []
    hello = (book / "posts" / "2024-01-15-hello-world.md").read_text(encoding="utf-8")
    assert hello.startswith("---\n")
    assert 'id: "urn:test:hello"' in hello
    assert "(post-2024-01-15-hello-world)=\n# Hello, world!" in hello
    assert "The first post of the blog." in hello
    second = (book / "posts" / "2024-02-01-second-post.md").read_text(encoding="utf-8")
    assert "The second post, with *emphasis*." in second
    recorded = state(book)
    assert recorded["posts"]["urn:test:hello"]["slug"] == "2024-01-15-hello-world"
    assert recorded["posts"]["urn:test:second"]["slug"] == "2024-02-01-second-post"
    for record in recorded["posts"].values():
        data = (book / "posts" / f"{record['slug']}.md").read_bytes()
        assert record["sha256"] == hashlib.sha256(data).hexdigest()
    assert recorded["feeds"] == [str(feed.resolve())]
    assert reporter.diagnostics == []


def test_second_run_with_the_same_feed_writes_nothing(tmp_path: Path, book: Path) -> None:
    feed = write_atom(tmp_path / "feed.xml", [HELLO, SECOND])
    convert(book, feed)
    age(book)
    before = snapshot(book)
    assert "feedbook.json" in before
    assert len(before) == 3

    result, reporter = convert(book, feed)

    assert snapshot(book) == before
    assert result.written == []
    assert sorted(result.unchanged) == ["2024-01-15-hello-world", "2024-02-01-second-post"]
    assert reporter.diagnostics == []


def test_second_run_without_sources_rereads_the_recorded_feed(tmp_path: Path, book: Path) -> None:
    feed = write_atom(tmp_path / "feed.xml", [HELLO, SECOND])
    convert(book, feed)
    age(book)
    before = snapshot(book)

    result, _ = convert(book)

    assert snapshot(book) == before
    assert [f.source for f in result.feeds] == ["feed.xml"]
    assert len(result.unchanged) == 2


def test_entries_a_newer_feed_no_longer_lists_are_kept(tmp_path: Path, book: Path) -> None:
    convert(book, write_atom(tmp_path / "old.xml", [HELLO, SECOND]))
    age(book)
    before = snapshot(book)

    result, reporter = convert(book, write_atom(tmp_path / "new.xml", [SECOND, THIRD]))

    after = snapshot(book)
    assert after["posts/2024-01-15-hello-world.md"] == before["posts/2024-01-15-hello-world.md"]
    assert after["posts/2024-02-01-second-post.md"] == before["posts/2024-02-01-second-post.md"]
    assert "A third post arrives." in after["posts/2024-03-10-third-one.md"][0].decode()
    assert result.written == ["2024-03-10-third-one"]
    assert result.kept == ["2024-01-15-hello-world"]
    kept = reporter.of_kind(Kind.ENTRY_KEPT)
    assert len(kept) == 1
    assert "kept 1 more post(s)" in kept[0].message and "(1 in all)" in kept[0].message
    assert "new.xml" in kept[0].feed
    assert set(state(book)["posts"]) == {HELLO.id, SECOND.id, THIRD.id}

    # Said when it happens, not again on every run; the result (and the summary) still count it.
    again, reporter = convert(book, write_atom(tmp_path / "new.xml", [SECOND, THIRD]))
    assert again.kept == ["2024-01-15-hello-world"] and reporter.of_kind(Kind.ENTRY_KEPT) == []
    _, reporter = convert(book, write_atom(tmp_path / "new.xml", [THIRD]))
    assert "kept 1 more post(s)" in reporter.of_kind(Kind.ENTRY_KEPT)[0].message


@pytest.mark.parametrize("link", ["", "https://blog.example.com/notes/original-title"], ids=["no-link", "link"])
def test_changed_entry_is_rewritten_under_the_same_slug(tmp_path: Path, book: Path, link: str) -> None:
    original = FeedEntry("urn:test:changing", "Original title", link, "2024-05-05T05:05:05Z", "<p>First draft.</p>")
    convert(book, write_atom(tmp_path / "feed.xml", [original]))
    (slug,) = chapters(book)
    assert slug == "2024-05-05-original-title"
    age(book)

    changed = FeedEntry(original.id, "A brand new title", link, original.published, "<p>Second draft, fixed.</p>")
    result, reporter = convert(book, write_atom(tmp_path / "feed.xml", [changed]))

    assert list(chapters(book)) == [slug]
    text = chapters(book)[slug]
    assert "Second draft, fixed." in text
    assert "First draft." not in text
    assert "# A brand new title" in text
    assert result.written == [slug]
    path = book / "posts" / f"{slug}.md"
    assert path.stat().st_mtime_ns != OLD_MTIME_NS
    assert state(book)["posts"][original.id]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert reporter.of_kind(Kind.HAND_EDITED) == []


def test_chapter_edited_by_hand_is_left_alone_unless_forced(tmp_path: Path, book: Path) -> None:
    first = FeedEntry(HELLO.id, HELLO.title, HELLO.link, HELLO.published, "<p>Version one.</p>")
    convert(book, write_atom(tmp_path / "feed.xml", [first]))
    path = book / "posts" / "2024-01-15-hello-world.md"
    edited = path.read_text(encoding="utf-8").replace("Version one.", "Fixed a typo by hand.").encode()
    path.write_bytes(edited)
    second = FeedEntry(HELLO.id, HELLO.title, HELLO.link, HELLO.published, "<p>Version two.</p>")
    feed = write_atom(tmp_path / "feed.xml", [second])

    result, reporter = convert(book, feed)

    assert path.read_bytes() == edited
    assert result.written == []
    warnings = reporter.of_kind(Kind.HAND_EDITED)
    assert len(warnings) == 1
    assert str(path) in warnings[0].message
    assert warnings[0].entry == HELLO.id
    assert result.hand_edited == ["2024-01-15-hello-world"]

    # The same edit is not reported on every run; a new edit is.
    result, reporter = convert(book, feed)
    assert reporter.of_kind(Kind.HAND_EDITED) == [] and result.hand_edited == ["2024-01-15-hello-world"]
    path.write_bytes(edited + b"\nAnd another line.\n")
    _, reporter = convert(book, feed)
    assert len(reporter.of_kind(Kind.HAND_EDITED)) == 1

    result, reporter = convert(book, feed, force=True)

    text = path.read_text(encoding="utf-8")
    assert "Version two." in text
    assert "Fixed a typo by hand." not in text
    assert result.written == ["2024-01-15-hello-world"]
    assert reporter.of_kind(Kind.HAND_EDITED) == []
    assert state(book)["posts"][HELLO.id]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    "link",
    ["", "https://blog.example.com/a/same-name", "https://blog.example.com/2024/06/01/"],
    ids=["no-link", "same-url-segment", "generic-url"],
)
def test_same_title_and_date_get_different_slugs(tmp_path: Path, book: Path, link: str) -> None:
    twins = [
        FeedEntry(
            f"urn:test:twin-{n}",
            "Same name",
            link.replace("/a/", f"/{n}/"),
            "2024-06-01T09:00:00Z",
            f"<p>Twin number {n}.</p>",
        )
        for n in range(3)
    ]
    convert(book, write_atom(tmp_path / "feed.xml", twins))

    slugs = state(book)["posts"]
    assert len({record["slug"] for record in slugs.values()}) == 3
    assert sorted(chapters(book)) == sorted(record["slug"] for record in slugs.values())
    for n, twin in enumerate(twins):
        assert f"Twin number {n}." in chapters(book)[slugs[twin.id]["slug"]]


HOSTILE_TITLES = {
    "parent-dirs": "../../etc/passwd",
    "empty": "",
    "dots": "...",
    "windows-reserved": "CON",
    "windows-reserved-lower": "nul",
    "long": "word " * 60,
    "long-single-word": "x" * 300,
    "rtl-override": "invoice\u202efdp.exe",
    "zero-width": "zero\u200bwidth\u200b",
    "only-invisible": "\u200b\u202e\u200d",
    "backslashes": "..\\..\\windows\\system32",
    "fullwidth-slash": "Ａ／..／ｅｔｃ",
}


def _assert_safe_slug(book: Path, slug: str) -> None:
    posts = (book / "posts").resolve()
    assert SLUG_CHARACTERS.match(slug), slug
    assert (posts / f"{slug}.md").resolve().parent == posts
    assert (posts / f"{slug}.md").is_file()


@pytest.mark.parametrize("published", ["2024-07-07T07:07:07Z", ""], ids=["dated", "undated"])
@pytest.mark.parametrize("title", HOSTILE_TITLES.values(), ids=HOSTILE_TITLES.keys())
def test_hostile_titles_give_slugs_inside_posts(tmp_path: Path, book: Path, title: str, published: str) -> None:
    entry = FeedEntry("urn:test:hostile", title, "", published, "<p>Body text here.</p>")
    convert(book, write_atom(tmp_path / "feed.xml", [entry]))

    (slug,) = chapters(book)
    _assert_safe_slug(book, slug)
    assert slug.lower() not in {"con", "prn", "aux", "nul"}
    assert len(slug) <= 100
    if published:
        assert slug.startswith("2024-07-07-")
    assert sorted(p.name for p in book.rglob("*")) == sorted(["posts", f"{slug}.md", "feedbook.json"])


def test_hostile_titles_together_give_distinct_safe_slugs(tmp_path: Path, book: Path) -> None:
    entries = [
        FeedEntry(f"urn:test:{key}", title, "", "2024-07-07T07:07:07Z", f"<p>Body of {key}.</p>")
        for key, title in HOSTILE_TITLES.items()
    ]
    convert(book, write_atom(tmp_path / "feed.xml", entries))

    records = state(book)["posts"]
    slugs = [records[entry.id]["slug"] for entry in entries]
    assert len(set(slugs)) == len(slugs)
    for slug in slugs:
        _assert_safe_slug(book, slug)
    assert len(list((book / "posts").glob("*.md"))) == len(entries)


@pytest.mark.parametrize(
    "link",
    [
        "https://blog.example.com/..%2F..%2Fetc%2Fpasswd",
        "https://blog.example.com/posts/%2E%2E",
        "https://blog.example.com/CON",
        "https://blog.example.com/%E2%80%AEgnp.exe",
    ],
)
def test_hostile_urls_give_slugs_inside_posts(tmp_path: Path, book: Path, link: str) -> None:
    entry = FeedEntry("urn:test:url", "A plain title", link, "2024-07-07T07:07:07Z", "<p>Body.</p>")
    convert(book, write_atom(tmp_path / "feed.xml", [entry]))

    (slug,) = chapters(book)
    _assert_safe_slug(book, slug)
    assert slug.startswith("2024-07-07-")


@pytest.fixture
def second_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """The converter raises on SECOND (as a bug of ours would) and converts every other entry."""
    real = feedbook.pipeline.convert_entry

    def exploding(entry, context):  # type: ignore[no-untyped-def]
        if entry.id == SECOND.id:
            raise RuntimeError("converter blew up")
        return real(entry, context)

    monkeypatch.setattr(feedbook.pipeline, "convert_entry", exploding)


@pytest.mark.usefixtures("second_fails")
def test_entry_that_fails_to_convert_is_reported_and_the_others_written(tmp_path: Path, book: Path) -> None:
    result, reporter = convert(book, write_atom(tmp_path / "feed.xml", [HELLO, SECOND, THIRD]))

    assert sorted(chapters(book)) == ["2024-01-15-hello-world", "2024-03-10-third-one"]
    assert "A third post arrives." in chapters(book)["2024-03-10-third-one"]
    assert result.failed == [SECOND.id]
    failures = reporter.of_kind(Kind.ENTRY_FAILED)
    assert len(failures) == 1
    assert failures[0].entry == SECOND.id
    assert SECOND.id in str(failures[0])
    assert "RuntimeError: converter blew up" in failures[0].message


def test_source_that_is_not_a_feed_raises_and_leaves_the_book_unchanged(tmp_path: Path, book: Path) -> None:
    convert(book, write_atom(tmp_path / "feed.xml", [HELLO]))
    age(book)
    before = snapshot(book)
    page = tmp_path / "page.html"
    page.write_bytes(HTML_PAGE)
    # A good feed with a new entry first: nothing of it may be written either.
    newer = write_atom(tmp_path / "newer.xml", [HELLO, SECOND])

    with pytest.raises(FeedbookError, match=r"page\.html") as raised:
        convert(book, newer, page)

    assert "feed" in str(raised.value)
    assert snapshot(book) == before


def test_source_that_is_not_a_feed_leaves_an_empty_book_empty(tmp_path: Path, book: Path) -> None:
    page = tmp_path / "index.html"
    page.write_bytes(HTML_PAGE)

    with pytest.raises(FeedbookError, match=r"index\.html"):
        convert(book, page)

    assert list(book.iterdir()) == []


def test_link_to_another_post_becomes_an_internal_reference(tmp_path: Path, book: Path) -> None:
    target = FeedEntry(
        "urn:test:b", "Post B", "https://blog.example.com/2024/01/post-b/", "2024-01-01T00:00:00Z", "<p>B.</p>"
    )
    source = FeedEntry(
        "urn:test:a",
        "Post A",
        "https://blog.example.com/2024/02/post-a/",
        "2024-02-01T00:00:00Z",
        '<p>See <a href="https://blog.example.com/2024/01/post-b/">the earlier post</a>'
        ' and <a href="http://www.blog.example.com/2024/01/post-b">again</a>'
        ' and <a href="https://elsewhere.example.org/2024/01/post-b/">elsewhere</a>.</p>',
    )
    convert(book, write_atom(tmp_path / "feed.xml", [source, target]))

    b_slug = state(book)["posts"]["urn:test:b"]["slug"]
    assert b_slug == "2024-01-01-post-b"
    a_text = chapters(book)["2024-02-01-post-a"]
    assert f"[the earlier post](#post-{b_slug})" in a_text
    assert f"[again](#post-{b_slug})" in a_text
    assert "[elsewhere](https://elsewhere.example.org/2024/01/post-b/)" in a_text
    assert f"(post-{b_slug})=" in chapters(book)[b_slug]


def test_link_to_a_kept_post_stays_internal(tmp_path: Path, book: Path) -> None:
    target = FeedEntry("urn:test:b", "Post B", "https://blog.example.com/post-b", "2024-01-01T00:00:00Z", "<p>B.</p>")
    convert(book, write_atom(tmp_path / "old.xml", [target]))
    source = FeedEntry(
        "urn:test:a",
        "Post A",
        "https://blog.example.com/post-a",
        "2024-02-01T00:00:00Z",
        '<p>Back to <a href="https://blog.example.com/post-b">B</a>.</p>',
    )

    result, _ = convert(book, write_atom(tmp_path / "new.xml", [source]))

    assert result.kept == ["2024-01-01-post-b"]
    assert "[B](#post-2024-01-01-post-b)" in chapters(book)["2024-02-01-post-a"]


@pytest.mark.usefixtures("second_fails")
def test_a_failed_entry_makes_convert_and_init_exit_1_with_the_others_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A book missing a post is not a success: exit status 1, one error line, the other chapters written."""
    from feedbook.cli import main

    feed = write_atom(tmp_path / "feed.xml", [HELLO, SECOND, THIRD])

    assert main(["init", str(tmp_path / "made"), "--feed", str(feed), "--offline"]) == 1
    assert sorted(chapters(tmp_path / "made")) == ["2024-01-15-hello-world", "2024-03-10-third-one"]
    assert main(["convert", "--book", str(tmp_path / "made"), str(feed), "--offline"]) == 1
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("feedbook: error:")]
    assert errors == ["feedbook: error: 1 entry could not be converted (see its warning above)"] * 2


def test_a_post_url_that_starts_with_its_date_names_the_date_once() -> None:
    """3960.org's posts live at /posts/2019-02-14-simplex-duplex/: the chapter is
    2019-02-14-simplex-duplex.md, not 2019-02-14-2019-02-14-simplex-duplex.md."""
    from feedbook.archive.slug import base_slug
    from feedbook.sources.records import Entry

    def entry(link: str, published: str) -> Entry:
        return Entry("id", "Simplex, duplex", link, published, published, (), (), "<p>x</p>", link)

    assert base_slug(
        entry("https://journal.3960.org/posts/2019-02-14-simplex-duplex/", "2019-02-14T10:00:00+01:00")
    ) == ("2019-02-14-simplex-duplex")
    # Another date in the URL (written days before it went out) is a word of the name, as before.
    assert base_slug(entry("https://example.org/2019-02-10-draft/", "2019-02-14T10:00:00Z")) == (
        "2019-02-14-2019-02-10-draft"
    )


def test_a_feed_description_that_repeats_its_title_is_no_subtitle() -> None:
    from feedbook.archive.skeleton import BookMetadata
    from feedbook.sources.records import Feed

    same = Feed("feed.xml", title="Florens' Notes", subtitle="florens' notes.")
    other = Feed("feed.xml", title="Florens' Notes", subtitle="On physics")
    assert BookMetadata.from_feed(same).subtitle == ""
    assert BookMetadata.from_feed(other).subtitle == "On physics"
