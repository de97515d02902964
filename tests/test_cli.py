"""The ``feedbook`` command, run as ``python -m feedbook`` in a temporary folder."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from feedbook.diagnostics import Kind

from helpers import (
    HTML_PAGE,
    FeedEntry,
    LocalServer,
    Response,
    age,
    atom_feed,
    error_lines,
    local_server,
    read_terminal,
    run_feedbook,
    snapshot,
    write_atom,
)

ENTRIES = [
    FeedEntry(
        "urn:test:cli-1",
        "First light",
        "https://blog.example.com/2024/01/first-light/",
        "2024-01-15T10:00:00Z",
        "<p>The telescope saw its first light tonight.</p>",
    ),
    FeedEntry(
        "urn:test:cli-2",
        "Second night",
        "https://blog.example.com/2024/01/second-night/",
        "2024-01-16T22:00:00Z",
        '<p>Clouds again. See <a href="https://blog.example.com/2024/01/first-light/">the first night</a>.</p>',
    ),
]
SLUGS = ["2024-01-15-first-light", "2024-01-16-second-night"]


@pytest.fixture
def feed(tmp_path: Path) -> Path:
    return write_atom(tmp_path / "blog.atom.xml", ENTRIES, title="Stargazing")


@pytest.fixture
def book(tmp_path: Path, feed: Path) -> Path:
    done = run_feedbook("init", "mybook", "--feed", feed.name, "--title", "T", "--author", "A", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return tmp_path / "mybook"


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with local_server() as running:
        running.add("/feed.xml", Response(200, atom_feed(ENTRIES), {"Content-Type": "application/atom+xml"}))
        running.add("/loop.xml", Response(302, b"", {"Location": "/loop.xml"}))
        yield running


def only_error_line(stderr: str) -> str:
    """The single ``feedbook: error:`` line of stderr, checked to be the only one and no traceback."""
    assert "Traceback" not in stderr
    lines = error_lines(stderr)
    assert len(lines) == 1, stderr
    return lines[0]


def test_init_makes_a_book_from_a_feed(tmp_path: Path, feed: Path) -> None:
    done = run_feedbook("init", "mybook", "--feed", feed.name, "--title", "T", "--author", "A", cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    book = tmp_path / "mybook"
    conf = (book / "conf.py").read_text(encoding="utf-8")
    assert 'project = "T"' in conf
    assert 'author = "A"' in conf
    assert "feedbook.sphinxext" in conf
    index = (book / "index.md").read_text(encoding="utf-8")
    assert index.startswith("# T\n")
    assert "```{feedbook-posts}" in index  # the front page lists the posts by date
    assert sorted(p.stem for p in (book / "posts").glob("*.md")) == SLUGS
    first = (book / "posts" / f"{SLUGS[0]}.md").read_text(encoding="utf-8")
    assert "The telescope saw its first light tonight." in first
    second = (book / "posts" / f"{SLUGS[1]}.md").read_text(encoding="utf-8")
    assert f"[the first night](#post-{SLUGS[0]})" in second
    assert (book / "feeds" / feed.name).read_bytes() == feed.read_bytes()
    state = json.loads((book / "feedbook.json").read_text(encoding="utf-8"))
    assert state["feeds"] == [f"feeds/{feed.name}"]
    assert {record["slug"] for record in state["posts"].values()} == set(SLUGS)
    # Nothing left behind beside the book (the staging folder is gone).
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([feed.name, "mybook"])


def test_init_takes_title_and_author_from_the_feed(tmp_path: Path, feed: Path) -> None:
    done = run_feedbook("init", "frombook", "--feed", feed.name, cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    conf = (tmp_path / "frombook" / "conf.py").read_text(encoding="utf-8")
    assert 'project = "Stargazing"' in conf
    assert 'author = "Ann Author"' in conf


def test_convert_without_source_rereads_the_recorded_feed(tmp_path: Path, book: Path) -> None:
    age(book)
    before = snapshot(book)

    done = run_feedbook("convert", "--book", "mybook", cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    assert snapshot(book) == before
    assert (
        "0 chapter(s) written, 2 unchanged, 0 kept from earlier runs, 0 edited by hand (left alone), 0 failed"
        in done.stderr
    )
    assert error_lines(done.stderr) == []


def test_convert_from_an_http_url(tmp_path: Path, book: Path, server: LocalServer) -> None:
    age(book)
    before = snapshot(book)
    url = server.url("/feed.xml")

    done = run_feedbook("convert", "--book", "mybook", url, cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    assert server.requests["/feed.xml"] == 1
    after = snapshot(book)
    for slug in SLUGS:
        assert after[f"posts/{slug}.md"] == before[f"posts/{slug}.md"]
    assert json.loads(after["feedbook.json"][0])["feeds"] == ["feeds/blog.atom.xml", url]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("not-a-feed.html", HTML_PAGE),
        ("empty.xml", b""),
        ("note.xml", b'<?xml version="1.0"?><note>not a feed</note>'),
        ("data.json", b'{"items": []}'),
        ("garbage.bin", bytes(range(256)) * 4),
    ],
)
def test_convert_a_source_that_is_not_a_feed(tmp_path: Path, book: Path, name: str, data: bytes) -> None:
    (tmp_path / name).write_bytes(data)
    age(book)
    before = snapshot(book)

    done = run_feedbook("convert", "--book", "mybook", name, cwd=tmp_path)

    assert done.returncode == 1
    line = only_error_line(done.stderr)
    assert name in line
    assert done.stdout == ""
    assert snapshot(book) == before


def test_convert_a_missing_file(tmp_path: Path, book: Path) -> None:
    age(book)
    before = snapshot(book)

    done = run_feedbook("convert", "--book", "mybook", "no-such-feed.xml", cwd=tmp_path)

    assert done.returncode == 1
    line = only_error_line(done.stderr)
    assert "no-such-feed.xml" in line
    assert snapshot(book) == before


def test_convert_a_url_that_answers_404(tmp_path: Path, book: Path, server: LocalServer) -> None:
    age(book)
    before = snapshot(book)
    url = server.url("/missing-feed.xml")

    done = run_feedbook("convert", "--book", "mybook", url, cwd=tmp_path)

    assert done.returncode == 1
    line = only_error_line(done.stderr)
    assert url in line
    assert "404" in line
    assert server.requests["/missing-feed.xml"] == 1
    assert snapshot(book) == before


def test_convert_a_url_that_redirects_in_a_loop_reports_one_line(
    tmp_path: Path, book: Path, server: LocalServer
) -> None:
    url = server.url("/loop.xml")

    done = run_feedbook("convert", "--book", "mybook", url, cwd=tmp_path)

    assert done.returncode == 1
    line = only_error_line(done.stderr)
    assert url in line
    assert done.stderr.splitlines() == [line]


def test_convert_into_a_folder_that_is_not_a_book(tmp_path: Path, feed: Path) -> None:
    (tmp_path / "plain").mkdir()

    done = run_feedbook("convert", "--book", "plain", feed.name, cwd=tmp_path)

    assert done.returncode == 1
    assert "plain" in only_error_line(done.stderr)
    assert list((tmp_path / "plain").iterdir()) == []


@pytest.mark.parametrize(
    "args",
    [("convert", "--bogus"), (), ("frobnicate",), ("build",), ("build", "docx"), ("init",)],
    ids=["unknown-option", "no-command", "unknown-command", "build-no-format", "build-bad-format", "init-no-dir"],
)
def test_usage_errors_exit_2(tmp_path: Path, args: tuple[str, ...]) -> None:
    done = run_feedbook(*args, cwd=tmp_path)

    assert done.returncode == 2
    assert "usage: feedbook" in done.stderr
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_init_refuses_a_folder_that_holds_a_book(tmp_path: Path, book: Path, feed: Path) -> None:
    age(book)
    before = snapshot(book)

    done = run_feedbook("init", "mybook", "--feed", feed.name, "--title", "Other", cwd=tmp_path)

    assert done.returncode == 1
    line = only_error_line(done.stderr)
    assert "mybook" in line
    assert "conf.py" in line
    assert snapshot(book) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([feed.name, "mybook"])


@pytest.mark.parametrize("bad", ["page.html", "missing.xml", "empty.xml"])
def test_init_with_a_bad_feed_leaves_no_folder(tmp_path: Path, bad: str) -> None:
    (tmp_path / "page.html").write_bytes(HTML_PAGE)
    (tmp_path / "empty.xml").write_bytes(b"")
    before = sorted(p.name for p in tmp_path.iterdir())

    done = run_feedbook("init", "nested/newbook", "--feed", bad, cwd=tmp_path)

    assert done.returncode == 1
    assert bad in only_error_line(done.stderr)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_init_with_a_404_feed_url_leaves_no_folder(tmp_path: Path, server: LocalServer) -> None:
    url = server.url("/nothing.xml")

    done = run_feedbook("init", "webbook", "--feed", url, cwd=tmp_path)

    assert done.returncode == 1
    assert url in only_error_line(done.stderr)
    assert list(tmp_path.iterdir()) == []


def test_init_onto_a_file_is_an_error_not_a_traceback(tmp_path: Path, feed: Path) -> None:
    (tmp_path / "taken").write_bytes(b"my notes\n")

    done = run_feedbook("init", "taken", "--feed", feed.name, cwd=tmp_path)

    assert done.returncode == 1
    assert "taken" in only_error_line(done.stderr)
    assert (tmp_path / "taken").read_bytes() == b"my notes\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([feed.name, "taken"])


@pytest.mark.slow
def test_build_html(tmp_path: Path, book: Path) -> None:
    done = run_feedbook("build", "html", "--book", "mybook", "--out", "out", cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    html = tmp_path / "out" / "html"
    index = (html / "index.html").read_text(encoding="utf-8")
    assert "First light" in index
    assert "Second night" in index
    page = (html / "posts" / f"{SLUGS[0]}.html").read_text(encoding="utf-8")
    assert "The telescope saw its first light tonight." in page
    second = (html / "posts" / f"{SLUGS[1]}.html").read_text(encoding="utf-8")
    # The link between posts became an internal reference to the other chapter's label.
    assert f'href="{SLUGS[0]}.html#post-{SLUGS[0]}"' in second
    assert "the first night" in second


@pytest.mark.slow
def test_build_a_folder_that_is_not_a_book(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()

    done = run_feedbook("build", "html", "--book", "empty", "--out", "out", cwd=tmp_path)

    assert done.returncode == 1
    assert "empty" in only_error_line(done.stderr)
    assert not (tmp_path / "out").exists()


def test_a_warning_kind_can_be_silenced(tmp_path: Path) -> None:
    entry = FeedEntry("urn:test:img", "Pictures", content='<p>See <img src="https://example.org/a.png" alt="a"></p>')
    write_atom(tmp_path / "feed.xml", [entry])

    loud = run_feedbook("init", "loud", "--feed", "feed.xml", "--offline", cwd=tmp_path)
    quiet = run_feedbook(
        "init", "quiet", "--feed", "feed.xml", "--offline", "--suppress-warnings", "image_unavailable", cwd=tmp_path
    )
    wrong = run_feedbook("init", "wrong", "--feed", "feed.xml", "--suppress-warnings", "images", cwd=tmp_path)

    assert loud.returncode == 0 and "[feedbook.image_unavailable]" in loud.stderr
    assert quiet.returncode == 0 and "warning" not in quiet.stderr, quiet.stderr
    assert wrong.returncode == 1
    assert error_lines(wrong.stderr) == [
        "feedbook: error: --suppress-warnings 'images': not a warning kind (kinds: "
        + ", ".join(kind.value for kind in Kind)
        + ")"
    ]
    assert not (tmp_path / "wrong").exists()


def test_every_warning_kind_says_what_it_means() -> None:
    assert all(len(kind.description) > 20 for kind in Kind)


def test_an_error_about_a_fetched_feed_names_the_url_as_given(tmp_path: Path) -> None:
    """Not "feed.xml", a file the user never typed: the URL they gave."""
    with local_server() as server:
        url = server.add("/blog/atom", Response(200, atom_feed([]), {"Content-Type": "application/atom+xml"}))
        result = run_feedbook("init", "book", "--feed", url, "--offline", cwd=tmp_path)
    assert result.returncode == 1
    assert error_lines(result.stderr) == [f"feedbook: error: {url}: the feed has no entries to convert"]
    assert not (tmp_path / "book").exists()


@pytest.mark.slow
def test_a_failed_build_names_every_warning_with_its_chapter(tmp_path: Path, book: Path) -> None:
    chapter = book / "posts" / f"{SLUGS[0]}.md"
    broken = "".join(f"See {{ref}}`missing-{n}`.\n\n" for n in range(12))
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n" + broken, encoding="utf-8")

    done = run_feedbook("build", "html", "--book", "mybook", "--out", "out", cwd=tmp_path)

    assert done.returncode == 1 and "Traceback" not in done.stderr
    line = only_error_line(done.stderr)
    assert "the html build failed with 12 warnings (the first 10 below, all in out/html-warnings.log)" in line
    shown = [s.strip() for s in done.stderr.split(line, 1)[1].strip().splitlines()]
    assert len(shown) == 10 and all(s.startswith(f"posts/{SLUGS[0]}.md:") and "missing-" in s for s in shown)
    logged = (tmp_path / "out" / "html-warnings.log").read_text(encoding="utf-8").splitlines()
    assert len(logged) == 12 and "missing-11" in logged[-1]


@pytest.mark.slow
def test_sphinx_colours_never_reach_feedbook_lines_even_when_forced(tmp_path: Path, book: Path) -> None:
    """CI services set FORCE_COLOR: Sphinx's warnings and status lines must still read as plain text."""
    chapter = book / "posts" / f"{SLUGS[0]}.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n\nSee {ref}`missing-label`.\n", encoding="utf-8")

    done = run_feedbook("build", "html", "--book", "mybook", "--out", "out", cwd=tmp_path, env={"FORCE_COLOR": "1"})

    assert done.returncode == 1 and "\x1b" not in done.stderr
    assert done.stderr.splitlines()[-1].strip().startswith(f"posts/{SLUGS[0]}.md:")
    assert "\x1b" not in (tmp_path / "out" / "html-warnings.log").read_text(encoding="utf-8")
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("{ref}`missing-label`", "x"), encoding="utf-8")
    shown = run_on_terminal("build", "html", "--book", "mybook", "--out", "out", cwd=tmp_path, env={"FORCE_COLOR": "1"})
    assert "feedbook: html: reading sources" in shown and "feedbook: html: writing output" in shown, shown


@pytest.mark.slow
def test_build_all_builds_every_format_it_can(tmp_path: Path) -> None:
    feed = write_atom(tmp_path / "feed.xml", [FeedEntry("urn:1", "One", "https://b.example/t")])
    assert run_feedbook("init", "b", "--feed", feed, "--offline", "--no-history", cwd=tmp_path).returncode == 0
    with (tmp_path / "b" / "conf.py").open("a") as conf:
        conf.write('pdf_math_renderer = "bogus"\n')  # a setting only the PDF reads, and wrong

    done = run_feedbook("build", "all", "--book", "b", "--out", "out", cwd=tmp_path)

    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert (tmp_path / "out" / "epub").glob("*.epub") and (tmp_path / "out" / "html" / "index.html").is_file()
    line = only_error_line(done.stderr)
    assert line == "feedbook: error: b: Unknown math_renderer 'bogus' is given."
    assert done.stderr.index("built out/html/index.html") < done.stderr.index("feedbook: error:")


@pytest.mark.slow
def test_a_script_no_font_draws_is_a_warning_naming_the_post_and_the_package_not_a_failure(tmp_path: Path) -> None:
    """Noto covers Tamil (the set-up installs it); Toto, new in Unicode 14, has no installed font."""
    text = "<p>The word தமிழ் is Tamil; 𞊐𞊑 is Toto.</p>"
    feed = write_atom(tmp_path / "feed.xml", [FeedEntry("urn:1", "Scripts", "https://b.example/t", content=text)])
    assert run_feedbook("init", "b", "--feed", feed, "--offline", "--no-history", cwd=tmp_path).returncode == 0

    done = run_feedbook("build", "pdf", "--book", "b", "--out", "out", cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[0] == (
        "feedbook: warning: posts/2024-01-15-t: no installed font has 2 character(s) of Toto (𞊐 𞊑):"
        " install a font for it (on Debian or Ubuntu: apt-get install fonts-noto-core) [feedbook.missing_glyph]"
    )
    (pdf,) = (tmp_path / "out" / "pdf").glob("*.pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert "தமிழ்" in text  # drawn by Noto Sans Tamil


def test_init_with_two_feeds_makes_one_book_of_both(tmp_path: Path, feed: Path) -> None:
    other = FeedEntry("urn:test:cli-3", "Third day", "https://blog.example.com/third/", "2024-02-01T00:00:00Z")
    second = write_atom(tmp_path / "more.atom.xml", [other], title="Other title")

    done = run_feedbook("init", "both", "--feed", feed.name, "--feed", second.name, "--offline", cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    posts = sorted(p.stem for p in (tmp_path / "both" / "posts").glob("*.md"))
    assert posts == [*SLUGS, "2024-02-01-third"]
    assert sorted(p.name for p in (tmp_path / "both" / "feeds").iterdir()) == ["blog.atom.xml", "more.atom.xml"]
    assert (
        "project = 'Stargazing'" in (tmp_path / "both" / "conf.py").read_text()
        or "Stargazing" in (tmp_path / "both" / "conf.py").read_text()
    )


def test_init_without_a_feed_says_what_to_do_next(tmp_path: Path) -> None:
    done = run_feedbook("init", "empty-book", cwd=tmp_path)

    assert done.returncode == 0
    assert "feedbook convert --book empty-book FEED" in done.stderr
    assert (tmp_path / "empty-book" / "conf.py").is_file()


def test_offline_help_says_what_is_still_downloaded(tmp_path: Path) -> None:
    for command in ("init", "convert"):
        done = run_feedbook(command, "--help", cwd=tmp_path)
        text = " ".join(done.stdout.split())
        assert "--offline download no images: the chapters link them (feeds given as URLs, and the history, are" in text


@pytest.mark.parametrize("umask", [0o022, 0o002])
def test_book_files_follow_the_umask(tmp_path: Path, feed: Path, umask: int) -> None:
    import os
    import stat
    import subprocess
    import sys

    script = f"import os, sys; os.umask({umask}); from feedbook.cli import main; sys.exit(main(sys.argv[1:]))"
    done = subprocess.run(
        [sys.executable, "-c", script, "init", "b", "--feed", feed.name, "--offline"], cwd=tmp_path, check=False
    )
    assert done.returncode == 0
    book = tmp_path / "b"
    assert stat.S_IMODE(book.stat().st_mode) == 0o777 & ~umask
    for path in [*book.rglob("*")]:
        expected = (0o777 if path.is_dir() else 0o666) & ~umask
        assert stat.S_IMODE(path.stat().st_mode) == expected, path
    assert os.access(book / "feedbook.json", os.R_OK)


def test_a_summary_only_feed_is_said_once_and_each_chapter_leads_to_the_whole_post(tmp_path: Path) -> None:
    from fidelity import FEEDS

    feed = FEEDS / "lilianweng.github.io--hugo-summary-only.rss.xml"
    done = run_feedbook("init", "b", "--feed", feed, "--offline", "--no-history", cwd=tmp_path)

    assert done.returncode == 0
    (warning,) = [line for line in done.stderr.splitlines() if "[feedbook.summary_only]" in line]
    assert "chapter(s) hold only the summary the feed gives" in warning
    chapters = sorted((tmp_path / "b" / "posts").glob("*.md"))
    assert chapters
    for chapter in chapters:
        last = chapter.read_text(encoding="utf-8").rstrip().splitlines()[-1]
        assert last.startswith("The feed gave only this summary of the post; the whole post: [https://lilianweng")
    again = run_feedbook("convert", "--book", "b", "--offline", cwd=tmp_path)
    assert "[feedbook.summary_only]" not in again.stderr  # nothing new to say


BLOG_HOME = b"""<!DOCTYPE html><html><head><title>Stargazing</title>
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/rss+xml" title="RSS" href="/feed.xml">
</head><body><h1>Stargazing</h1></body></html>"""


def test_a_blogs_home_page_given_as_the_feed_finds_the_feed_it_names(tmp_path: Path, server: LocalServer) -> None:
    server.add("/", Response(200, BLOG_HOME, {"Content-Type": "text/html; charset=utf-8"}))

    done = run_feedbook("init", "b", "--feed", server.url("/"), "--offline", "--no-history", cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    assert f"is a web page; reading the feed it names: {server.url('/feed.xml')}" in done.stderr
    assert sorted(p.stem for p in (tmp_path / "b" / "posts").glob("*.md")) == SLUGS
    assert json.loads((tmp_path / "b" / "feedbook.json").read_text())["feeds"] == [server.url("/feed.xml")]


def test_a_web_page_that_names_no_feed_is_one_plain_error(tmp_path: Path, server: LocalServer) -> None:
    server.add("/about", Response(200, HTML_PAGE, {"Content-Type": "text/html"}))

    done = run_feedbook("init", "b", "--feed", server.url("/about"), "--offline", cwd=tmp_path)

    assert done.returncode == 1 and not (tmp_path / "b").exists()
    line = only_error_line(done.stderr)
    assert line == (
        f"feedbook: error: {server.url('/about')}: this is a web page, not a feed, and it names no feed"
        ' (no <link rel="alternate"> to Atom, RSS or JSON Feed): give the feed\'s address'
    )


def run_on_terminal(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    """``python -m feedbook ARGS`` with stdout and stderr on a pseudo-terminal (``env`` added); all it printed."""
    import os
    import pty
    import subprocess
    import sys

    primary, secondary = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "feedbook", *map(str, args)],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=secondary,
        stderr=secondary,
        env={**os.environ, "NO_PROXY": "*", "no_proxy": "*", **(env or {})},
    )
    os.close(secondary)
    output = read_terminal(primary)
    process.wait(timeout=300)
    os.close(primary)
    return output.decode("utf-8", "replace")


@pytest.mark.slow
def test_progress_shows_on_a_terminal_with_warnings_on_their_own_lines_and_nothing_in_a_log(tmp_path: Path) -> None:
    pictures = [
        FeedEntry(
            f"urn:p:{n}",
            f"Post {n}",
            f"https://b.example/{n}",
            f"2024-01-{n:02d}T00:00:00Z",
            f'<p>Picture <img src="https://b.example/{n}.png" alt="p{n}"></p>',
        )
        for n in range(1, 4)
    ]
    feed = write_atom(tmp_path / "feed.xml", pictures)
    shown = run_on_terminal("init", "b", "--feed", feed, "--offline", "--no-history", cwd=tmp_path)
    assert "\r\x1b[Kfeedbook: converted 1/3" in shown
    warnings = [m.start() for m in re.finditer("feedbook: warning:", shown)]
    assert len(warnings) == 3
    assert all(start == 0 or shown[:start].endswith(("\n", "\x1b[K")) for start in warnings)  # never glued on
    built = run_on_terminal("build", "all", "--book", "b", "--out", "out", cwd=tmp_path)
    for step in (
        "feedbook: epub: reading sources",
        "feedbook: pdf: laid out 3/3 posts",
        "feedbook: html: writing output",
    ):
        assert step in built, built
    logged = run_feedbook("build", "all", "--book", "b", "--out", "out2", cwd=tmp_path)
    assert logged.returncode == 0 and "\r" not in logged.stderr and "reading sources" not in logged.stderr


def test_a_home_page_gives_its_first_feed_in_its_own_order_and_never_a_json_api_link() -> None:
    from feedbook.sources.discovery import feed_link, looks_like_html

    page = b"""<!-- a --><!-- b --><!DOCTYPE html><html><head>
    <link rel="alternate" type="application/json" href="/wp-json/wp/v2/pages/2">
    <link rel="alternate" type="application/rss+xml" href="/feed/">
    <link rel="alternate" type="application/atom+xml" href="/comments/feed/"></head></html>"""
    assert looks_like_html(page)
    assert feed_link(page, "https://blog.example/") == "https://blog.example/feed/"
    many_comments = b'<?xml version="1.0"?>' + b"<!---->" * 60 + b"<feed>"
    assert not looks_like_html(many_comments)  # at once: the pattern cannot backtrack over the comments
