"""Images: fetched once over http(s) from a local server, named by content hash; nothing local is ever read."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from feedbook.diagnostics import Kind, Reporter
from feedbook.pipeline import ConvertOptions, ConvertResult, convert_feeds
from feedbook.sources.fetch import IMAGE_SIZE_LIMIT

from helpers import PNG, FeedEntry, LocalServer, Response, age, local_server, make_png, snapshot, write_atom

SLUG = "2024-01-15-pictures"
LINK = "https://blog.example.com/2024/01/pictures/"


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalServer]:
    monkeypatch.setenv("no_proxy", "*")
    monkeypatch.setenv("NO_PROXY", "*")
    with local_server() as running:
        # Images on this machine are refused unless the user allows the host: these tests do.
        monkeypatch.setenv("FEEDBOOK_ALLOW_HOSTS", running.hostport)
        running.add("/x.png", Response(200, PNG, {"Content-Type": "image/png"}))
        running.add("/page.png", Response(200, b"<html><body>Login</body></html>", {"Content-Type": "text/html"}))
        running.add("/loop.png", Response(302, b"", {"Location": "/loop.png"}))
        running.add("/ping.png", Response(302, b"", {"Location": "/pong.png"}))
        running.add("/pong.png", Response(301, b"", {"Location": "/ping.png"}))
        running.add("/to-file.png", Response(302, b"", {"Location": "file:///etc/passwd"}))
        running.add(
            "/huge-declared.png",
            Response(200, PNG, {"Content-Type": "image/png", "Content-Length": str(IMAGE_SIZE_LIMIT + 1)}),
        )
        running.add(
            "/huge.png",
            Response(200, PNG + b"\0" * IMAGE_SIZE_LIMIT, {"Content-Type": "image/png"}, length=False),
        )
        yield running


@pytest.fixture
def book(tmp_path: Path) -> Path:
    folder = tmp_path / "book"
    folder.mkdir()
    return folder


def convert_html(
    tmp_path: Path, book: Path, content: str, *, offline: bool = False, link: str = LINK
) -> tuple[ConvertResult, Reporter, str]:
    """Convert one entry with this HTML; the result, the warnings and the chapter's text."""
    entry = FeedEntry("urn:test:pictures", "Pictures", link, "2024-01-15T10:00:00Z", content)
    feed = write_atom(tmp_path / "feed.xml", [entry])
    reporter = Reporter()
    result = convert_feeds(ConvertOptions(book=book, sources=(str(feed),), offline=offline), reporter)
    (chapter,) = (book / "posts").glob("*.md")
    return result, reporter, chapter.read_text(encoding="utf-8")


def image_files(book: Path) -> list[Path]:
    folder = book / "posts" / "images"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_image_is_downloaded_once_and_named_by_its_hash(tmp_path: Path, book: Path, server: LocalServer) -> None:
    url = server.url("/x.png")

    result, reporter, text = convert_html(tmp_path, book, f'<p>A dot: <img src="{url}" alt="A red dot"></p>')

    (image,) = image_files(book)
    assert image.suffix == ".png"
    assert len(image.stem) >= 16
    assert hashlib.sha256(PNG).hexdigest().startswith(image.stem)
    assert image.read_bytes() == PNG
    assert f"![A red dot](images/{image.name})" in text
    assert url not in text
    assert server.requests["/x.png"] == 1
    assert reporter.of_kind(Kind.IMAGE_UNAVAILABLE) == []
    assert json.loads((book / "feedbook.json").read_text())["images"] == {url: image.name}
    assert result.written == [SLUG]

    age(book)
    before = snapshot(book)
    result, reporter, again = convert_html(tmp_path, book, f'<p>A dot: <img src="{url}" alt="A red dot"></p>')

    assert server.requests["/x.png"] == 1
    assert server.total_requests == 1
    assert again == text
    assert snapshot(book) == before
    assert result.written == []
    assert reporter.diagnostics == []


def test_known_image_is_used_offline(tmp_path: Path, book: Path, server: LocalServer) -> None:
    url = server.url("/x.png")
    convert_html(tmp_path, book, f'<img src="{url}" alt="dot">')

    _, reporter, text = convert_html(tmp_path, book, f'<img src="{url}" alt="dot">', offline=True)

    (image,) = image_files(book)
    assert f"![dot](images/{image.name})" in text
    assert server.requests["/x.png"] == 1
    assert reporter.diagnostics == []


def test_same_image_in_two_entries_is_fetched_once(tmp_path: Path, book: Path, server: LocalServer) -> None:
    url = server.url("/x.png")
    entries = [
        FeedEntry(
            f"urn:test:{n}",
            f"Post {n}",
            f"https://blog.example.com/post-{n}",
            f"2024-01-1{n}T00:00:00Z",
            f'<p><img src="{url}" alt="dot {n}"></p>',
        )
        for n in (1, 2)
    ]
    feed = write_atom(tmp_path / "feed.xml", entries)

    convert_feeds(ConvertOptions(book=book, sources=(str(feed),)), Reporter())

    (image,) = image_files(book)
    assert server.requests["/x.png"] == 1
    for n in (1, 2):
        text = (book / "posts" / f"2024-01-1{n}-post-{n}.md").read_text(encoding="utf-8")
        assert f"![dot {n}](images/{image.name})" in text


def test_missing_image_keeps_a_link_and_warns_once(tmp_path: Path, book: Path, server: LocalServer) -> None:
    url = server.url("/gone.png")

    _, reporter, text = convert_html(
        tmp_path, book, f'<p><img src="{url}" alt="Lost cat"></p><p><img src="{url}" alt="Lost cat"></p>'
    )

    assert f"[Image: Lost cat]({url})" in text
    warnings = reporter.of_kind(Kind.IMAGE_UNAVAILABLE)
    assert len(warnings) == 1
    assert url in warnings[0].message
    assert "404" in warnings[0].message
    assert warnings[0].entry == "urn:test:pictures"
    assert image_files(book) == []
    assert server.requests["/gone.png"] == 1


def test_offline_reaches_no_server_and_links_each_image(tmp_path: Path, book: Path, server: LocalServer) -> None:
    first, second = server.url("/x.png"), server.url("/y.png")

    _, reporter, text = convert_html(
        tmp_path, book, f'<p><img src="{first}" alt="one"> and <img src="{second}" alt="two"></p>', offline=True
    )

    assert server.total_requests == 0
    assert f"[Image: one]({first})" in text
    assert f"[Image: two]({second})" in text
    warnings = reporter.of_kind(Kind.IMAGE_UNAVAILABLE)
    assert len(warnings) == 2
    assert first in warnings[0].message
    assert second in warnings[1].message
    assert image_files(book) == []


@pytest.mark.parametrize(
    "source",
    ["file:///etc/passwd", "/etc/passwd", "../../../../../../etc/passwd", "FILE:///etc/passwd", "file:/etc/passwd"],
)
def test_local_files_are_never_read(tmp_path: Path, book: Path, server: LocalServer, source: str) -> None:
    _, reporter, text = convert_html(tmp_path, book, f'<p>Look: <img src="{source}" alt="secrets"></p>', link="")

    assert image_files(book) == []
    assert "root:" not in text
    passwd = Path("/etc/passwd")
    if passwd.is_file():
        for line in passwd.read_text(errors="replace").splitlines():
            if line.strip():
                assert line not in text
    assert "](file:" not in text.lower()
    assert "](/etc" not in text
    assert "Image: secrets" in text
    assert server.total_requests == 0
    assert not any("root:" in str(d) for d in reporter.diagnostics)


def test_html_served_as_an_image_is_refused(tmp_path: Path, book: Path, server: LocalServer) -> None:
    url = server.url("/page.png")

    _, reporter, text = convert_html(tmp_path, book, f'<img src="{url}" alt="chart">')

    assert image_files(book) == []
    assert f"[Image: chart]({url})" in text
    (warning,) = reporter.of_kind(Kind.IMAGE_UNAVAILABLE)
    assert url in warning.message
    assert "text/html" in warning.message


@pytest.mark.parametrize("path", ["/loop.png", "/ping.png"], ids=["self", "two-step"])
def test_redirect_loop_ends_with_a_warning(tmp_path: Path, book: Path, server: LocalServer, path: str) -> None:
    url = server.url(path)

    _, reporter, text = convert_html(tmp_path, book, f'<img src="{url}" alt="spinner">')

    assert image_files(book) == []
    assert f"[Image: spinner]({url})" in text
    (warning,) = reporter.of_kind(Kind.IMAGE_UNAVAILABLE)
    assert url in warning.message
    assert re.search(r"redirect|loop", warning.message, re.I)
    assert server.total_requests <= 12


def test_redirect_to_a_file_url_is_refused(tmp_path: Path, book: Path, server: LocalServer) -> None:
    url = server.url("/to-file.png")

    _, reporter, text = convert_html(tmp_path, book, f'<img src="{url}" alt="sneaky">')

    assert image_files(book) == []
    assert "root:" not in text
    (warning,) = reporter.of_kind(Kind.IMAGE_UNAVAILABLE)
    assert url in warning.message


@pytest.mark.parametrize("path", ["/huge-declared.png", "/huge.png"], ids=["content-length", "streamed"])
def test_too_large_image_is_refused(tmp_path: Path, book: Path, server: LocalServer, path: str) -> None:
    url = server.url(path)

    _, reporter, text = convert_html(tmp_path, book, f'<img src="{url}" alt="poster">')

    assert image_files(book) == []
    assert f"[Image: poster]({url})" in text
    (warning,) = reporter.of_kind(Kind.IMAGE_UNAVAILABLE)
    assert url in warning.message
    assert "larger than 20 MB" in warning.message


def test_data_url_image_is_stored_as_a_file(tmp_path: Path, book: Path, server: LocalServer) -> None:
    png = make_png(2, 3, (0, 128, 255, 255))
    data_url = "data:image/png;base64," + base64.b64encode(png).decode("ascii")

    _, reporter, text = convert_html(tmp_path, book, f'<p><img src="{data_url}" alt="inline"></p>')

    (image,) = image_files(book)
    assert image.read_bytes() == png
    assert hashlib.sha256(png).hexdigest().startswith(image.stem)
    assert f"![inline](images/{image.name})" in text
    assert "base64" not in text
    assert reporter.diagnostics == []
    assert json.loads((book / "feedbook.json").read_text())["images"] == {}


def test_svg_data_url_is_refused(tmp_path: Path, book: Path, server: LocalServer) -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    data_url = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")

    _, reporter, text = convert_html(tmp_path, book, f'<p><img src="{data_url}" alt="vector"></p>')

    assert image_files(book) == []
    assert "alert" not in text
    assert "data:" not in text
    assert "Image: vector" in text
    assert len(reporter.of_kind(Kind.IMAGE_UNAVAILABLE)) == 1


def test_redirect_loop_warning_is_one_line(tmp_path: Path, book: Path, server: LocalServer) -> None:
    url = server.url("/loop.png")

    _, reporter, _ = convert_html(tmp_path, book, f'<img src="{url}" alt="spinner">')

    (warning,) = reporter.of_kind(Kind.IMAGE_UNAVAILABLE)
    assert url in warning.message
    assert "\n" not in str(warning)


def test_an_image_given_only_by_a_relative_srcset_is_fetched(tmp_path: Path, book: Path, server: LocalServer) -> None:
    post = '<p>Chart: <img srcset="tiny.png 300w, x.png 600w" alt="the chart"></p>'

    _, reporter, text = convert_html(tmp_path, book, post, link=server.url("/chart"))

    (image,) = image_files(book)
    assert image.read_bytes() == PNG  # the largest candidate, resolved against the post's address
    assert f"![the chart](images/{image.name})" in text
    assert reporter.diagnostics == []
