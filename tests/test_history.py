"""The whole blog: `feedbook init` walks the history each platform offers, from local servers that
answer as WordPress, Blogger, RFC 5005 archives, JSON Feed paging and the Wayback Machine do."""

from __future__ import annotations

import itertools
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from history_sites import (
    GHOST_KEY,
    Bear,
    Blogger,
    Ghost,
    Request,
    Wayback,
    WordPress,
    atom_document,
    documents_app,
    many_wordpress_posts,
    numbered_post,
    real_wordpress_posts,
    serve,
)

from helpers import Response, error_lines, read_terminal, run_feedbook


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's interrupted walks are kept in its own cache folder."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def init(tmp_path: Path, feed: str, *extra: str, name: str = "book") -> subprocess.CompletedProcess[str]:
    return run_feedbook("init", name, "--feed", feed, "--offline", "--delay", "0", *extra, cwd=tmp_path)


def chapters(book: Path) -> dict[str, str]:
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted((book / "posts").glob("*.md"))}


def titles(book: Path) -> set[str]:
    found = set()
    for text in chapters(book).values():
        match = re.search(r"^# (.+)$", text, re.MULTILINE)
        assert match, text[:300]
        found.add(match.group(1))
    return found


def state(book: Path) -> dict[str, object]:
    return json.loads((book / "feedbook.json").read_text(encoding="utf-8"))


def history_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("feedbook: ") and "posts" in line]


# --- WordPress --------------------------------------------------------------------------------------


def test_wordpress_rest_api_gives_every_post_with_its_words_dates_and_tags(tmp_path: Path) -> None:
    posts = many_wordpress_posts(250)
    site = WordPress(posts, tags=[{"id": 7, "name": "Food &amp; Faith", "slug": "food-faith"}])
    posts[10]["tags"] = [7]
    with serve(site) as server:
        site.base = server.base
        result = init(tmp_path, server.url("/feed/"))
    assert result.returncode == 0, result.stderr
    assert "feedbook: WordPress REST API: 250/250 posts" in result.stderr.splitlines()
    assert "pages," not in result.stderr  # no progress line in a log
    book = tmp_path / "book"
    written = chapters(book)
    assert len(written) == 250
    # Every post, by its title; the REST titles' entities decoded.
    assert titles(book) == {html_title(post) for post in posts}
    # One post read back whole: its words (from the captured post), its date (date_gmt, UTC) and its tags.
    sample = posts[10]  # a copy of the first captured post, ten days older
    text = next(text for text in written.values() if html_title(sample) in text)
    content = real_wordpress_posts()[0]["content"]
    assert isinstance(content, dict)
    words = words_of(str(content["rendered"]))
    assert len(words) > 50
    assert [word for word in words if word not in text] == []
    assert "2024-05-22" in text  # 2024-06-01 less 10 days
    assert "Food & Faith" in text and "Uncategorized" in text
    # Paging: three pages of 100 (the API's most), then the walk stops on X-WP-TotalPages.
    rest = [path for path in server.paths("/wp-json/wp/v2/posts")]
    assert [re.findall(r"[?&]page=(\d+)", path) for path in rest] == [["1"], ["2"], ["3"]]
    assert all("per_page=100" in path for path in rest)
    # Where each chapter came from: the feed's 10 newest (its copies are as new as the API's), the API.
    records = state(book)["posts"]
    assert isinstance(records, dict)
    origins = [record.get("origin", "feed") for record in records.values()]
    assert (origins.count("feed"), origins.count("wordpress-rest")) == (10, 240)


def html_title(post: dict[str, object]) -> str:
    import html

    title = post["title"]
    assert isinstance(title, dict)
    return html.unescape(str(title["rendered"]))


def words_of(markup: str) -> list[str]:
    """The words of an HTML body (letters only, so Markdown's punctuation around them does not count)."""
    from lxml import html as lxml_html

    return re.findall(r"[^\W\d_]{2,}", lxml_html.fromstring(f"<div>{markup}</div>").text_content())


def test_without_paging_headers_the_walk_ends_at_the_400_past_the_last_page(tmp_path: Path) -> None:
    """A proxy that drops X-WP-Total and Link: full pages go on, and the 400 ends the walk cleanly."""
    site = WordPress(many_wordpress_posts(200), paging_headers=False)
    with serve(site) as server:
        site.base = server.base
        result = init(tmp_path, server.url("/feed/"))
    assert result.returncode == 0, result.stderr
    assert "feedbook: WordPress REST API: 200 posts from 2 pages" in result.stderr.splitlines()
    assert len(chapters(tmp_path / "book")) == 200
    rest = server.paths("/wp-json/wp/v2/posts")
    assert [re.findall(r"[?&]page=(\d+)", path) for path in rest] == [["1"], ["2"], ["3"]]


def test_a_closed_rest_api_falls_back_to_the_paged_feed_until_its_404(tmp_path: Path) -> None:
    posts = many_wordpress_posts(45)
    site = WordPress(posts, api="closed")
    with serve(site) as server:
        site.base = server.base
        result = init(tmp_path, server.url("/feed/"))
    assert result.returncode == 0, result.stderr
    assert "feedbook: WordPress feed pages (?paged=N) (the REST API is closed): 45 posts from 5 pages" in result.stderr
    assert titles(tmp_path / "book") == {html_title(post) for post in posts}
    assert server.paths("/feed/")[-1] == "/feed/?paged=6"  # the 404 that ended it


def test_a_server_that_ignores_paged_costs_one_request_and_says_so(tmp_path: Path) -> None:
    site = WordPress(many_wordpress_posts(45), api="closed", ignore_paged=True)
    with serve(site) as server:
        site.base = server.base
        result = init(tmp_path, server.url("/feed/"))
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stderr.splitlines() if "WordPress feed pages" in line)
    assert "10 posts from 2 pages (stopped: a page added no new post" in line
    assert server.paths("/feed/") == ["/feed/", "/feed/", "/feed/?paged=2"]  # init's read, convert's, page 2
    assert len(chapters(tmp_path / "book")) == 10


def test_no_history_reads_the_feed_alone(tmp_path: Path) -> None:
    site = WordPress(many_wordpress_posts(45))
    with serve(site) as server:
        site.base = server.base
        result = init(tmp_path, server.url("/feed/"), "--no-history")
    assert result.returncode == 0, result.stderr
    assert len(chapters(tmp_path / "book")) == 10
    assert {request.route for request in server.log} == {"/feed/"}
    assert "REST" not in result.stderr


def test_a_source_that_keeps_refusing_is_given_up_and_what_it_gave_is_kept(tmp_path: Path) -> None:
    """Page 2 of the API answers 429 three times (Retry-After: 0): the walk keeps pages 1 and the feed."""
    site = WordPress(many_wordpress_posts(250))
    refusal = Response(429, b"slow down", {"Retry-After": "0", "Content-Type": "text/plain"})
    original = site._rest

    def rest(request: Request) -> Response:
        if request.query.get("page") == "2":
            return Response(refusal.status, refusal.body, dict(refusal.headers))
        return original(request)

    site._rest = rest  # type: ignore[method-assign]
    with serve(site) as server:
        site.base = server.base
        result = init(tmp_path, server.url("/feed/"))
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stderr.splitlines() if "WordPress REST API" in line)
    assert line.startswith("feedbook: WordPress REST API: 100/250 posts (stopped: ")
    assert "gave up after 3 refusals in a row (HTTP 429" in line
    assert len([path for path in server.paths("/wp-json/wp/v2/posts") if "&page=2" in path]) == 3
    assert len(chapters(tmp_path / "book")) == 100


def test_robots_crawl_delay_spaces_the_requests(tmp_path: Path) -> None:
    site = WordPress(many_wordpress_posts(250), robots="User-agent: *\nCrawl-delay: 1\n")
    with serve(site) as server:
        site.base = server.base
        result = init(tmp_path, server.url("/feed/"))
    assert result.returncode == 0, result.stderr
    walk = [request for request in server.log if request.route.startswith("/wp-json/")]
    gaps = [later.at - earlier.at for earlier, later in itertools.pairwise(walk)]
    assert len(gaps) >= 4 and min(gaps) >= 0.95, gaps
    assert all(request.headers["user-agent"].startswith("feedbook/") for request in server.log)


def test_a_rerun_fetches_only_what_changed(tmp_path: Path) -> None:
    """`convert --history` sends back the ETags it kept: nothing changed, nothing fetched again but 304s;
    then one new post changes every page, and the book gains it."""
    posts = many_wordpress_posts(150)
    site = WordPress(posts)
    with serve(site) as server:
        site.base = server.base
        assert init(tmp_path, server.url("/feed/")).returncode == 0
        first = len(server.log)
        again = run_feedbook("convert", "--book", "book", "--history", "--delay", "0", "--offline", cwd=tmp_path)
        assert again.returncode == 0, again.stderr
        rerun = server.log[first:]
        pages = [request for request in rerun if request.route == "/wp-json/wp/v2/posts"]
        assert pages and all("if-none-match" in request.headers for request in pages)
        assert "0 chapter(s) written" in again.stderr
        posts.insert(0, {**many_wordpress_posts(151)[0], "title": {"rendered": "A brand new post"}})
        third = run_feedbook("convert", "--book", "book", "--history", "--delay", "0", "--offline", cwd=tmp_path)
    assert third.returncode == 0, third.stderr
    assert "A brand new post" in titles(tmp_path / "book")
    assert "1 chapter(s) written" in third.stderr


# --- Blogger ------------------------------------------------------------------------------------------


def test_blogger_pages_by_start_index_on_the_blogs_own_host_until_the_total(tmp_path: Path) -> None:
    """The captured page 1 (25 of 39, its next link on http://www.blogger.com): page 2 is asked of the
    blog's own host from start-index 26, and the walk stops at openSearch:totalResults."""
    site = Blogger()
    with serve(site) as server:
        site.base = server.base
        result = init(tmp_path, server.url("/feeds/posts/default"))
    assert result.returncode == 0, result.stderr
    assert "feedbook: Blogger feed: 39/39 posts" in result.stderr.splitlines()
    book = tmp_path / "book"
    assert len(chapters(book)) == 39
    assert {f"Older post {number}" for number in range(26, 40)} <= titles(book)
    walk = [path for path in server.paths() if "start-index" in path]
    assert walk == ["/feeds/posts/default?start-index=26&max-results=100"]


def test_blogger_next_link_to_another_host_is_never_followed(tmp_path: Path) -> None:
    """A page whose next link names a host that is neither the blog's nor Blogger's: the walk goes on
    from its own count, on the blog's host, and nothing is sent to that host."""
    with serve(lambda request: Response(200, b"", {})) as elsewhere:
        site = Blogger(cross_host_next=elsewhere.base)
        with serve(site) as server:
            site.base = server.base
            result = init(tmp_path, server.url("/feeds/posts/default"))
    assert result.returncode == 0, result.stderr
    assert "feedbook: Blogger feed: 39/39 posts" in result.stderr.splitlines()
    assert elsewhere.log == []


# --- RFC 5005 and JSON Feed ---------------------------------------------------------------------


def archived_blog(base: str, *, oldest_links_to: str = "") -> dict[str, bytes]:
    """A subscription document and two archive documents (RFC 5005 §4), three posts each."""
    oldest = {"current": f"{base}/feed.xml", "next-archive": f"{base}/archive/2.xml"}
    if oldest_links_to:
        oldest["prev-archive"] = oldest_links_to
    return {
        "/feed.xml": atom_document([numbered_post(n) for n in (9, 8, 7)], {"prev-archive": f"{base}/archive/2.xml"}),
        "/archive/2.xml": atom_document(
            [numbered_post(n) for n in (6, 5, 4)],
            {"current": f"{base}/feed.xml", "prev-archive": "1.xml", "next-archive": f"{base}/feed.xml"},
            archive=True,
        ),
        "/archive/1.xml": atom_document([numbered_post(n) for n in (3, 2, 1)], oldest, archive=True),
    }


def test_rfc5005_archives_are_followed_to_the_oldest(tmp_path: Path) -> None:
    documents: dict[str, bytes] = {}
    with serve(documents_app(documents)) as server:
        documents.update(archived_blog(server.base))
        result = init(tmp_path, server.url("/feed.xml"))
    assert result.returncode == 0, result.stderr
    assert "feedbook: Archived feed (RFC 5005): 9 posts from 3 pages" in result.stderr.splitlines()
    assert titles(tmp_path / "book") == {f"Post {n}" for n in range(1, 10)}
    assert "The words of Post 1." in "".join(chapters(tmp_path / "book").values())


def test_an_archive_that_links_back_is_a_loop_and_ends_the_walk(tmp_path: Path) -> None:
    documents: dict[str, bytes] = {}
    with serve(documents_app(documents)) as server:
        documents.update(archived_blog(server.base, oldest_links_to=server.url("/archive/2.xml")))
        result = init(tmp_path, server.url("/feed.xml"))
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stderr.splitlines() if "RFC 5005" in line)
    assert line == (
        "feedbook: Archived feed (RFC 5005): 9 posts from 3 pages "
        "(stopped: the prev-archive link of a page points back to an earlier page)"
    )
    assert server.paths().count("/archive/2.xml") == 1


def test_an_archive_link_to_another_host_is_not_followed(tmp_path: Path) -> None:
    documents: dict[str, bytes] = {}
    with serve(documents_app(documents)) as elsewhere, serve(documents_app(documents)) as server:
        documents.update(archived_blog(server.base))
        documents["/archive/2.xml"] = atom_document(
            [numbered_post(n) for n in (6, 5, 4)], {"prev-archive": elsewhere.url("/archive/1.xml")}, archive=True
        )
        result = init(tmp_path, server.url("/feed.xml"))
    assert result.returncode == 0, result.stderr
    assert f"(stopped: a prev-archive link leaves the blog's host ({elsewhere.url('/archive/1.xml')}))" in result.stderr
    assert elsewhere.log == []
    assert len(chapters(tmp_path / "book")) == 6


def test_a_complete_feed_is_the_whole_history(tmp_path: Path) -> None:
    documents: dict[str, bytes] = {}
    with serve(documents_app(documents)) as server:
        documents["/feed.xml"] = atom_document([numbered_post(n) for n in (3, 2, 1)], {}, complete=True)
        result = init(tmp_path, server.url("/feed.xml"))
    assert result.returncode == 0, result.stderr
    assert "feedbook: Complete feed (RFC 5005): 3 posts from 1 page" in result.stderr.splitlines()
    assert {request.route for request in server.log} == {"/feed.xml"}  # not even robots.txt


def json_feed(items: range, next_url: str = "") -> bytes:
    """A JSON Feed 1.1 page (written from the spec: no captured feed with next_url exists)."""
    feed: dict[str, object] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Paged JSON blog",
        "items": [
            {
                "id": f"post-{n}",
                "title": f"JSON post {n}",
                "content_text": f"Words of JSON post {n}.",
                "date_published": f"2021-01-{n:02d}T10:00:00Z",
                "tags": ["paged"],
            }
            for n in items
        ],
    }
    if next_url:
        feed["next_url"] = next_url
    return json.dumps(feed).encode()


def test_json_feed_next_url_pages_are_followed_and_a_loop_stops(tmp_path: Path) -> None:
    documents: dict[str, bytes] = {}
    with serve(documents_app(documents, "application/feed+json")) as server:
        documents["/feed.json"] = json_feed(range(9, 6, -1), "page/2.json")
        documents["/page/2.json"] = json_feed(range(6, 3, -1), server.url("/page/3.json"))
        documents["/page/3.json"] = json_feed(range(3, 0, -1), server.url("/page/2.json"))
        result = init(tmp_path, server.url("/feed.json"))
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stderr.splitlines() if "JSON Feed" in line)
    assert line == (
        "feedbook: JSON Feed pages (next_url): 9 posts from 3 pages "
        "(stopped: the next link of a page points back to an earlier page)"
    )
    assert titles(tmp_path / "book") == {f"JSON post {n}" for n in range(1, 10)}
    assert (tmp_path / "book" / "feeds" / "feed.json").is_file()


# --- the Wayback Machine ----------------------------------------------------------------------------


def wayback_setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, archive: Wayback, live: bytes, *extra: str):  # type: ignore[no-untyped-def]
    documents = {"/feed.xml": live}
    with serve(archive) as wayback, serve(documents_app(documents)) as blog:
        archive.original = blog.url("/feed.xml")
        monkeypatch.setenv("FEEDBOOK_WAYBACK_URL", wayback.base)
        result = init(tmp_path, blog.url("/feed.xml"), "--wayback", *extra)
    return result, wayback


def snapshots() -> dict[str, bytes]:
    """Three copies of the feed as the archive caught them, windows overlapping; post 8 in its old
    version (the live feed has it updated)."""
    return {
        "20200105000000": atom_document([numbered_post(n) for n in (3, 2, 1)], {}),
        "20200108000000": atom_document([numbered_post(n) for n in (6, 5, 4, 3)], {}),
        "20200110000000": atom_document([numbered_post(n) for n in (8, 7, 6, 5)], {}),
    }


def test_wayback_snapshots_bring_back_the_posts_the_feed_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    live_8 = ("urn:test:post:8", "Post 8, revised", "2020-02-01T00:00:00Z")
    live = atom_document([numbered_post(10), numbered_post(9), live_8], {})
    result, wayback = wayback_setup(tmp_path, monkeypatch, Wayback(snapshots(), ""), live)
    assert result.returncode == 0, result.stderr
    assert "feedbook: Wayback Machine: 8 posts from 3 snapshots, completeness unknown" in result.stderr.splitlines()
    book = tmp_path / "book"
    assert titles(book) == {f"Post {n}" for n in (1, 2, 3, 4, 5, 6, 7, 9, 10)} | {"Post 8, revised"}
    records = state(book)["posts"]
    assert isinstance(records, dict)
    assert records["urn:test:post:1"]["origin"] == "wayback:20200105000000"
    assert "origin" not in records["urn:test:post:8"]  # the live copy is newer: it wins
    cdx = [request for request in wayback.log if request.route == "/cdx/search/cdx"]
    assert [request.query.get("resumeKey", "") for request in cdx] == ["", "2"]  # two listings of two rows
    assert all(request.query["url"].endswith("/feed.xml") for request in cdx)
    raw = sorted(request.path for request in wayback.log if request.route.startswith("/web/"))
    assert [path.split("id_/")[0] for path in raw] == [f"/web/{stamp}" for stamp in sorted(snapshots())]


def test_wayback_429_is_waited_out_as_retry_after_asks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    refusal = Response(429, b"Too Many Requests", {"Retry-After": "1", "Content-Type": "text/plain"})
    archive = Wayback(snapshots(), "", refuse=[refusal])
    result, wayback = wayback_setup(tmp_path, monkeypatch, archive, atom_document([numbered_post(10)], {}))
    assert result.returncode == 0, result.stderr
    assert "feedbook: Wayback Machine: 8 posts from 3 snapshots, completeness unknown" in result.stderr.splitlines()
    first, second = [request for request in wayback.log if request.route == "/cdx/search/cdx"][:2]
    assert second.at - first.at >= 0.95


def test_wayback_gives_up_after_two_refusals_and_keeps_the_live_posts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refusals = [Response(429, b"Too Many Requests", {"Retry-After": "0"}) for _ in range(5)]
    archive = Wayback(snapshots(), "", refuse=refusals)
    result, wayback = wayback_setup(tmp_path, monkeypatch, archive, atom_document([numbered_post(10)], {}))
    assert result.returncode == 0, result.stderr
    assert "(stopped: listing the snapshots: gave up after 2 refusals in a row (HTTP 429" in result.stderr
    assert len([request for request in wayback.log if request.route != "/robots.txt"]) == 2
    assert titles(tmp_path / "book") == {"Post 10"}


def test_a_site_the_archive_excludes_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = Wayback(snapshots(), "", blocked=True)
    result, _wayback = wayback_setup(tmp_path, monkeypatch, archive, atom_document([numbered_post(10)], {}))
    assert result.returncode == 0, result.stderr
    assert "feedbook: Wayback Machine: 0 posts from 0 pages (stopped: the archive excludes this site)" in result.stderr


# --- an interrupted walk --------------------------------------------------------------------------


def test_an_interrupted_walk_resumes_where_it_stopped(tmp_path: Path) -> None:
    """SIGINT while page 3 of the API is being answered: no book is left half-made, and the next
    run asks only for what the first did not get."""
    hold = threading.Event()
    site = WordPress(many_wordpress_posts(450), hold=hold, hold_page=3)
    with serve(site) as server:
        site.base = server.base
        command = [sys.executable, "-m", "feedbook", "init", "book", "--feed", server.url("/feed/"), "--offline"]
        process = subprocess.Popen([*command, "--delay", "0"], cwd=tmp_path, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while not any("&page=3" in path for path in server.paths("/wp-json/wp/v2/posts")):
            assert time.monotonic() < deadline and process.poll() is None
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        _out, stderr = process.communicate(timeout=60)
        hold.set()
        assert process.returncode == 1
        assert error_lines(stderr) == ["feedbook: error: interrupted; files already written are complete"]
        assert not (tmp_path / "book").exists()
        site.hold = None
        result = init(tmp_path, server.url("/feed/"))
    assert result.returncode == 0, result.stderr
    assert "feedbook: WordPress REST API: 450/450 posts" in result.stderr.splitlines()
    pages = [re.findall(r"[?&]page=(\d+)", path)[0] for path in server.paths("/wp-json/wp/v2/posts")]
    assert pages == ["1", "2", "3", "3", "4", "5"]  # 1 and 2 once: the second run read them from its cache
    assert len(chapters(tmp_path / "book")) == 450
    assert not list((tmp_path / "cache").rglob("*.body"))  # the book has everything: the cache is emptied


def test_a_wordpress_com_site_on_its_own_domain_is_read_through_the_public_api(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No /wp-json/ on the domain (a Personal plan): public-api.wordpress.com/wp/v2/sites/DOMAIN/ answers."""
    posts = many_wordpress_posts(130)
    site = WordPress(posts, api="missing", link_header=False, generator="http://wordpress.com/")
    api = WordPress(posts)

    def public_api(request: Request) -> Response:
        path = re.sub(r"^/wp/v2/sites/127\.0\.0\.1/", "/wp-json/wp/v2/", request.path)
        return api(Request(path, request.headers, request.at))

    with serve(public_api) as api_server, serve(site) as server:
        site.base, api.base = server.base, api_server.base
        monkeypatch.setenv("FEEDBOOK_WORDPRESS_COM_URL", api_server.base)
        result = init(tmp_path, server.url("/feed/"))
    assert result.returncode == 0, result.stderr
    assert "feedbook: WordPress REST API: 130/130 posts" in result.stderr.splitlines()
    assert api_server.paths()[1].startswith("/wp/v2/sites/127.0.0.1/posts?per_page=100&page=1")
    assert len(chapters(tmp_path / "book")) == 130


def test_the_page_cap_stops_a_walk_and_says_so(tmp_path: Path) -> None:
    site = WordPress(many_wordpress_posts(250))
    with serve(site) as server:
        site.base = server.base
        result = init(tmp_path, server.url("/feed/"), "--max-pages", "2")
    assert result.returncode == 0, result.stderr
    assert (
        "feedbook: WordPress REST API: 200/250 posts (stopped: 2 pages read, the most one walk reads)"
        in result.stderr.splitlines()
    )


def test_progress_shows_on_a_terminal_and_not_in_a_log(tmp_path: Path) -> None:
    """On a terminal a live line counts pages and posts; captured (a CI log) there is none."""
    import pty

    site = WordPress(many_wordpress_posts(250))
    with serve(site) as server:
        site.base = server.base
        leader, follower = pty.openpty()
        command = [sys.executable, "-m", "feedbook", "init", "book", "--feed", server.url("/feed/"), "--offline"]
        command += ["--delay", "0.3"]
        process = subprocess.Popen(command, cwd=tmp_path, stdin=follower, stdout=follower, stderr=follower)
        os.close(follower)
        seen = read_terminal(leader)
        process.wait(timeout=120)
        os.close(leader)
    text = seen.decode("utf-8", "replace")
    assert process.returncode == 0, text
    assert re.search(r"WordPress REST API: \d pages?, \d+ posts", text), text
    assert "WordPress REST API: 250/250 posts" in text


# --- Ghost and Bear Blog ----------------------------------------------------------------------------


def test_ghost_content_api_with_the_key_its_home_page_publishes(tmp_path: Path) -> None:
    site = Ghost(230, members_only={5})
    with serve(site) as server:
        site.base = server.base
        result = init(tmp_path, server.url("/rss/"))
    assert result.returncode == 0, result.stderr
    assert "feedbook: Ghost Content API: 230/230 posts" in result.stderr.splitlines()
    book = tmp_path / "book"
    assert titles(book) == {f"Ghost post {n}" for n in range(230)}
    text = next(text for text in chapters(book).values() if "# Ghost post 10\n" in text)
    assert "Essays" in text and "#hidden" not in text and "Gina Ghost" in text
    api = [request for request in server.log if request.route == "/ghost/api/content/posts/"]
    assert [request.query["page"] for request in api] == ["1", "2", "3"]
    assert {request.query["key"] for request in api} == {GHOST_KEY}
    records = state(book)["posts"]
    assert isinstance(records, dict)
    assert records["65a1b2c3d4e5f60000000005"].get("excerpt") == "yes"  # members only: its excerpt, marked


def test_bear_blog_feed_pages_count_from_zero_and_end_on_an_empty_page(tmp_path: Path) -> None:
    """Bear is known by its host (*.bearblog.dev), which a local server cannot have: the walk is run
    directly, on the feed as fetched."""
    from feedbook.diagnostics import Reporter
    from feedbook.history.crawler import Crawler, Politeness
    from feedbook.history.found import Start
    from feedbook.history.paged_feed import walk_bear
    from feedbook.history.walk import own_hosts
    from feedbook.net.addresses import AddressPolicy
    from feedbook.net.client import HttpClient
    from feedbook.sources.feed import parse_feed

    with serve(Bear(35)) as server:
        url = server.url("/feed/")
        client = HttpClient(AddressPolicy.from_environment(url))
        fetched = client.get(url, limit=1 << 20)
        start = Start(url, parse_feed(fetched.data, url, url=url), fetched, Reporter())
        crawler = Crawler(client, hosts=own_hosts(url), politeness=Politeness(delay=0))
        walked = walk_bear(start, crawler)
    assert walked.line() == "Bear Blog feed pages (?page=N): 35 posts from 4 pages"
    assert [request.query.get("page") for request in server.log if request.route == "/feed/"] == [
        None,
        "1",
        "2",
        "3",
        "4",
    ]
