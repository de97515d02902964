"""The whole blog: `feedbook init` walks the history each platform offers, from local servers that
answer as WordPress, Blogger, RFC 5005 archives, JSON Feed paging and the Wayback Machine do."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from history_sites import (
    WordPress,
    many_wordpress_posts,
    real_wordpress_posts,
    serve,
)

from helpers import run_feedbook


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
