"""Hostile and broken feeds: safe output, clear errors, nothing lost.

One fixture feed per attack under fixtures/hostile/ (big inputs are generated here), run
through the command line as a user runs it. Each test states the outcome that is right: the
exit status and the ``feedbook:`` line, what the chapter holds and does not hold, for some the
built HTML, and that nothing was written outside the book.
"""

from __future__ import annotations

import ast
import json
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import html as lxml_html

from helpers import (
    FeedEntry,
    LocalServer,
    Response,
    error_lines,
    local_server,
    make_png,
    run_feedbook,
    run_feedbook_measured,
    write_atom,
)

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
SECRET = "SECRET-7c1e9d2b-never-in-the-book"
SLUG = re.compile(r"^[a-z0-9-]{1,100}$")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
PASSWD = Path("/etc/passwd").read_text(encoding="utf-8", errors="replace") if Path("/etc/passwd").is_file() else ""
# "root:" alone is in the theme's JavaScript; the first line of the real file is not.
PASSWD_LINE = PASSWD.splitlines()[0] if PASSWD else "root:x:0:0:root"


# --- helpers -------------------------------------------------------------------------------------


@pytest.fixture
def book(tmp_path: Path) -> Path:
    done = run_feedbook("init", "book", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return tmp_path / "book"


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with local_server() as running:
        yield running


def hostile_feed(tmp_path: Path, name: str, **fields: str) -> Path:
    """A copy of fixtures/hostile/NAME in tmp_path, ``{FIELD}`` placeholders filled in."""
    data = (HOSTILE / name).read_bytes()
    for key, value in fields.items():
        data = data.replace(f"{{{key}}}".encode(), value.encode())
    path = tmp_path / name
    path.write_bytes(data)
    return path


def convert(tmp_path: Path, *sources: str, offline: bool = True) -> subprocess.CompletedProcess[str]:
    return run_feedbook("convert", "--book", "book", *(["--offline"] if offline else []), *sources, cwd=tmp_path)


def assert_clean_exit(done: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr
    assert error_lines(done.stderr) == [], done.stderr


def assert_one_error_line(done: subprocess.CompletedProcess[str], name: str) -> str:
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1, done.stderr
    lines = error_lines(done.stderr)
    assert len(lines) == 1, done.stderr
    assert name in lines[0]
    return lines[0]


def warning_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("feedbook: warning:")]


def chapters(book: Path) -> dict[str, str]:
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted((book / "posts").glob("*.md"))}


def chapter_with(book: Path, word: str) -> str:
    """The one chapter whose text holds ``word`` as a whole word."""
    pattern = re.compile(rf"(?<![\w]){re.escape(word)}(?![\w])")
    found = [text for text in chapters(book).values() if pattern.search(text)]
    assert len(found) == 1, f"{word!r} is in {len(found)} chapters"
    return found[0]


def slug_of(book: Path, entry_id: str) -> str:
    state = json.loads((book / "feedbook.json").read_text(encoding="utf-8"))
    return str(state["posts"][entry_id]["slug"])


def tree(folder: Path) -> set[str]:
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*")}


def assert_only_written_under(tmp_path: Path, before: set[str], *folders: str) -> None:
    new = tree(tmp_path) - before
    outside = sorted(path for path in new if path.split("/")[0] not in folders)
    assert outside == [], outside


def files_holding(folder: Path, needle: bytes) -> list[str]:
    return sorted(
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.is_file() and needle in path.read_bytes()
    )


def assert_chapter_is_whole(text: str) -> None:
    assert text.startswith("---\n"), text[:200]
    assert "\n---\n" in text
    assert "\n# " in text
    assert text.endswith("\n")


def build_html(tmp_path: Path) -> Path:
    done = run_feedbook("build", "html", "--book", "book", "--out", "out", cwd=tmp_path)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr
    return tmp_path / "out" / "html"


def page(html_dir: Path, book: Path, entry_id: str) -> str:
    return (html_dir / "posts" / f"{slug_of(book, entry_id)}.html").read_text(encoding="utf-8")


def article(page_html: str) -> lxml_html.HtmlElement:
    document = lxml_html.document_fromstring(page_html)
    (found,) = document.xpath('//article[contains(@class, "bd-article")]')
    return found


def text_of(element: lxml_html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def script_tags(page_html: str) -> list[str]:
    """Every <script> element of a page, with the page's own name taken out."""
    tags = re.findall(r"<script\b[^>]*>.*?</script>", page_html, re.S | re.I)
    return [re.sub(r"pagename = '[^']*'", "pagename = ''", tag) for tag in tags]


def handler_attributes(page_html: str) -> set[str]:
    return set(re.findall(r"""\son[a-z]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""", page_html, re.I))


def atom_document(entries: list[str], title: str = "Generated") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{title}</title><id>urn:generated</id><updated>2024-01-01T00:00:00Z</updated>"
        "<author><name>Generator</name></author>" + "".join(entries) + "</feed>"
    ).encode()


# --- 1. XXE ----------------------------------------------------------------------------------------


def test_xxe_file_entities_are_never_read(tmp_path: Path, book: Path) -> None:
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    feed = hostile_feed(tmp_path, "xxe-file.xml")
    before = tree(tmp_path)

    done = convert(tmp_path, feed.name)

    if done.returncode:
        assert_one_error_line(done, feed.name)
    else:
        assert_clean_exit(done)
        text = chapter_with(book, "Opening")
        assert "Before" in text
        assert "after" in text
        assert "Closing" in text
        assert "passwd;" in text  # the reference is left as it was written, unexpanded
    assert files_holding(book, b"root:") == []
    assert files_holding(book, SECRET.encode()) == []
    assert_only_written_under(tmp_path, before, "book")


def test_unexpanded_entity_keeps_the_html_of_the_content(tmp_path: Path, book: Path) -> None:
    feed = hostile_feed(tmp_path, "xxe-file.xml")

    done = convert(tmp_path, feed.name)

    assert_clean_exit(done)
    text = chapter_with(book, "Opening")
    assert "Opening *words* & more." in text
    assert "\\<p>" not in text
    assert "\\<em>" not in text


def test_xxe_over_the_network_makes_no_request(tmp_path: Path, book: Path, server: LocalServer) -> None:
    injected = b'<!ENTITY general "INJECTED-FROM-NETWORK">'
    for path in ("/external.dtd", "/parameter.dtd", "/general.txt", "/xinclude.xml", "/style.xsl"):
        server.add(path, Response(200, injected, {"Content-Type": "application/xml-dtd"}))
    feed = hostile_feed(tmp_path, "xxe-network.xml", SERVER=server.base)
    before = tree(tmp_path)

    done = convert(tmp_path, feed.name, offline=False)
    init = run_feedbook("init", "other", "--feed", feed.name, "--offline", cwd=tmp_path)

    assert server.total_requests == 0, dict(server.requests)
    assert_clean_exit(done)
    assert_clean_exit(init)
    assert "Words before the include." in chapter_with(book, "include")
    assert files_holding(tmp_path, b"INJECTED-FROM-NETWORK") == []
    assert_only_written_under(tmp_path, before, "book", "other")


# --- 2. Entity expansion bombs ---------------------------------------------------------------------


def quadratic_blowup() -> bytes:
    """One 20 kB entity used 20,000 times: 400 MB if expanded."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<!DOCTYPE feed [<!ENTITY big "{"x" * 20_000}">]>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Blowup</title><id>urn:blowup</id>'
        "<updated>2024-01-01T00:00:00Z</updated>"
        "<entry><id>urn:blowup:1</id><title>Quadratic</title><updated>2024-01-01T00:00:00Z</updated>"
        f'<content type="html">&lt;p&gt;Words before. {"&big;" * 20_000} Words after.&lt;/p&gt;</content>'
        "</entry></feed>"
    ).encode()


def bomb(tmp_path: Path, kind: str) -> Path:
    if kind == "billion-laughs":
        return hostile_feed(tmp_path, "billion-laughs.xml")
    path = tmp_path / "quadratic.xml"
    path.write_bytes(quadratic_blowup())
    return path


@pytest.mark.parametrize("kind", ["billion-laughs", "quadratic"])
def test_entity_bomb_is_defused_quickly(tmp_path: Path, book: Path, kind: str) -> None:
    feed = bomb(tmp_path, kind)
    before = tree(tmp_path)

    started = time.monotonic()
    done = convert(tmp_path, feed.name)
    elapsed = time.monotonic() - started

    assert elapsed < 10
    assert "Traceback" not in done.stderr
    if done.returncode:
        assert_one_error_line(done, feed.name)
        assert chapters(book) == {}
    else:
        assert_clean_exit(done)
    assert sum(path.stat().st_size for path in book.rglob("*") if path.is_file()) < 1_000_000
    assert_only_written_under(tmp_path, before, "book")


@pytest.mark.parametrize(
    "kind",
    [
        "billion-laughs",
        "quadratic",
    ],
)
def test_entity_bomb_loses_no_words_silently(tmp_path: Path, book: Path, kind: str) -> None:
    feed = bomb(tmp_path, kind)

    done = convert(tmp_path, feed.name)

    if done.returncode:
        assert_one_error_line(done, feed.name)
        assert chapters(book) == {}
    else:
        text = chapter_with(book, "before")
        assert "Words before." in text
        assert "Words after." in text


# --- 3. Script and event handlers ------------------------------------------------------------------

ATTACK = "urn:hostile:script:attack"
BENIGN = "urn:hostile:script:benign"
SURROUNDING_WORDS = [
    "alpha",
    "bravo",
    "charlie",
    "delta",
    "echo",
    "foxtrot",
    "golf",
    "hotel",
    "india",
    "juliet",
    "kilo",
    "lima",
    "mike",
    "quebec",
    "uniform",
    "victor",
    "whiskey",
    "xray",
    "yankee",
    "zulu",
    "summary",
    "dropdown",
    "datalink",
    "colon",
    "control",
    "ending",
]
DANGEROUS_URL = re.compile(r"^(?:javascript|vbscript|data:text|data:application)", re.I)


@pytest.mark.slow
def test_script_never_reaches_the_built_html(tmp_path: Path, book: Path) -> None:
    feed = hostile_feed(tmp_path, "script.xml")
    before = tree(tmp_path)

    done = convert(tmp_path, feed.name)

    assert_clean_exit(done)
    text = chapter_with(book, "alpha")
    for needle in ("alert", "javascript", "vbscript", "data:text", "<script", "onerror", "onclick", "srcdoc"):
        assert needle not in text.lower(), needle
    html_dir = build_html(tmp_path)
    attack, benign = page(html_dir, book, ATTACK), page(html_dir, book, BENIGN)
    body = article(attack)
    assert body.xpath(".//script | .//iframe | .//object | .//embed | .//form | .//meta | .//svg | .//frame") == []
    for element in body.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name)
            cleaned = re.sub(r"[\x00-\x20]", "", value)
            assert not DANGEROUS_URL.match(cleaned), (element.tag, name, value)
            assert not (name == "style" and "url(" in value), value
    assert "alert(" not in attack
    assert not re.search(r"(?:java|vb)script\s*:", attack, re.I)
    assert all(tag in script_tags(benign) for tag in script_tags(attack)), set(script_tags(attack))
    assert handler_attributes(attack) <= handler_attributes(benign)
    words = text_of(body)
    missing = [word for word in SURROUNDING_WORDS if word not in words]
    assert missing == []
    assert_only_written_under(tmp_path, before, "book", "out")


# --- 4. Directive and role injection ---------------------------------------------------------------

LITERALS = {
    "urn:hostile:injection:paragraphs": [
        "```{raw} html",
        '<script id="inj1">alert(1)</script>',
        "```{eval-rst} .. raw:: html",
        '<b id="inj2">two</b>',
        "```{include} /etc/passwd```",
        ':::{raw} html <b id="inj3">three</b> :::',
        '{raw}`<b id="inj4">x</b>`',
        "(label)=",
        "[^1]: fake note",
        r"\input{/etc/passwd}",
        ".. include:: /etc/passwd",
        "{include}`/etc/passwd` {literalinclude}`/etc/passwd` {download}`/etc/passwd`",
        '<div id="inj5">raw block</div>',
    ],
    "urn:hostile:injection:code": [
        '```{raw} html <script id="inj6">alert(6)</script> ```',
        ':::{raw} html <b id="inj7">seven</b> :::',
        "```{include} /etc/passwd ```",
        "{eval-rst} .. include:: /etc/passwd (label)= [^1]: fake note",
        '{raw}`<b id="inj8">x</b>`',
        "```{include} /etc/passwd```",
        r"$$\input{/etc/passwd}$$",
    ],
}


@pytest.mark.slow
def test_directives_and_roles_in_text_stay_text(tmp_path: Path, book: Path) -> None:
    feed = hostile_feed(tmp_path, "injection.xml")
    before = tree(tmp_path)

    done = convert(tmp_path, feed.name)

    assert_clean_exit(done)
    assert files_holding(book, b"root:") == []
    html_dir = build_html(tmp_path)
    for entry_id, literals in LITERALS.items():
        built = page(html_dir, book, entry_id)
        body = article(built)
        shown = text_of(body)
        missing = [literal for literal in literals if literal not in shown]
        assert missing == [], (entry_id, shown)
        assert body.xpath('.//script | .//b | .//*[starts-with(@id, "inj")] | .//*[@id="label"]') == []
        assert body.xpath('.//*[contains(@class, "footnote")]') == []
    assert files_holding(tmp_path / "out", PASSWD_LINE.encode()) == []
    assert_only_written_under(tmp_path, before, "book", "out")


# --- 5. Images from local files --------------------------------------------------------------------


@pytest.mark.slow
def test_local_images_are_never_read(tmp_path: Path, book: Path, server: LocalServer) -> None:
    secret_png = make_png(3, 2, (1, 2, 3, 255))
    (tmp_path / "secret.png").write_bytes(secret_png)
    feed = hostile_feed(tmp_path, "images.xml", TMP=tmp_path.as_posix(), SERVER=server.base)
    before = tree(tmp_path)

    done = convert(tmp_path, feed.name, offline=False)

    assert_clean_exit(done)
    assert any("/etc/passwd" in line and "image_unavailable" in line for line in warning_lines(done.stderr))
    images = book / "posts" / "images"
    assert not images.exists() or list(images.iterdir()) == []
    for number in [
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ]:
        chapter_with(book, number)
    html_dir = build_html(tmp_path)
    for folder in (book, html_dir.parent):
        assert files_holding(folder, PASSWD_LINE.encode()) == []
        assert files_holding(folder, secret_png) == []
    assert files_holding(book, b"root:") == []
    assert not (html_dir / "_images").exists() or list((html_dir / "_images").iterdir()) == []
    assert_only_written_under(tmp_path, before, "book", "out")


# --- 6. File names ---------------------------------------------------------------------------------

OUTSIDE = [Path("/etc/cron.d/x.md"), Path("/evil.md"), Path("/evil"), Path("/etc/cron.d/x")]


def test_hostile_names_stay_inside_posts(tmp_path: Path, book: Path) -> None:
    feed = hostile_feed(tmp_path, "names.xml", LONG_TITLE="Long " * 1000, LONG_SEGMENT="p" * 5000)
    before = tree(tmp_path)
    outside_before = {path: path.exists() for path in [*OUTSIDE, tmp_path.parent / "evil.md"]}

    done = convert(tmp_path, feed.name)

    assert_clean_exit(done)
    new = tree(tmp_path) - before
    assert new == {"book/feedbook.json"} | {f"book/posts/{slug}.md" for slug in chapters(book)}
    for slug in chapters(book):
        assert SLUG.match(slug), slug
        assert slug.lower() not in {"con", "prn", "aux", "nul", "lpt1"}
    assert len(chapters(book)) == 24
    for number in range(1, 25):
        chapter_with(book, f"word{number}")
    assert {path: path.exists() for path in outside_before} == outside_before


def test_feed_title_cannot_break_conf_py(tmp_path: Path) -> None:
    feed = hostile_feed(tmp_path, "feed-title-backslash.xml")

    done = run_feedbook("init", "book", "--feed", feed.name, "--offline", cwd=tmp_path)

    assert_clean_exit(done)
    module = ast.parse((tmp_path / "book" / "conf.py").read_text(encoding="utf-8"))
    values = {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in module.body
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
    }
    assert values["project"] == "C:\\xampp\\htdocs \\N{bell} \"\"\" ''' \\"
    assert values["author"] == "Mallory \\u0041"


# --- 7. Big and deep input -------------------------------------------------------------------------


def one_entry_feed(tmp_path: Path, content: str) -> Path:
    entry = FeedEntry("urn:big:1", "Big", "https://blog.example.com/big/", "2024-01-01T00:00:00Z", content)
    return write_atom(tmp_path / "big.xml", [entry])


def test_five_megabyte_entry_is_converted_whole(tmp_path: Path, book: Path) -> None:
    paragraphs = 90_000
    content = "".join(f"<p>Paragraph {n} says w{n}x with filler.</p>\n" for n in range(paragraphs))
    assert len(content) > 3_000_000
    feed = one_entry_feed(tmp_path, content)
    assert feed.stat().st_size > 5_000_000

    done = convert(tmp_path, feed.name)

    assert_clean_exit(done)
    (text,) = chapters(book).values()
    assert set(re.findall(r"\bw(\d+)x\b", text)) == {str(n) for n in range(paragraphs)}


def test_hundred_thousand_character_word_is_kept(tmp_path: Path, book: Path) -> None:
    word = "w" * 100_000
    feed = one_entry_feed(tmp_path, f"<p>start {word} end</p>")

    done = convert(tmp_path, feed.name)

    assert_clean_exit(done)
    (text,) = chapters(book).values()
    assert f"start {word} end" in text


def deep_feed(kind: str) -> bytes:
    neighbour = (
        "<entry><id>urn:deep:2</id><title>Neighbour</title><updated>2024-01-02T00:00:00Z</updated>"
        '<content type="html">&lt;p&gt;neighbourword&lt;/p&gt;</content></entry>'
    )
    if kind.startswith("xhtml-"):
        depth = int(kind.split("-")[1])
        body = "<div>" * depth + "<p>bottomword</p>" + "</div>" * depth
        content = f'<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">topword {body}</div></content>'
    else:
        tag = {"5000-divs": "div", "5000-ems": "em"}[kind]
        body = f"<{tag}>" * 5000 + "<p>bottomword</p>" + f"</{tag}>" * 5000
        escaped = body.replace("<", "&lt;").replace(">", "&gt;")
        content = f'<content type="html">&lt;p&gt;topword&lt;/p&gt;{escaped}</content>'
    deep = f"<entry><id>urn:deep:1</id><title>Deep</title><updated>2024-01-01T00:00:00Z</updated>{content}</entry>"
    return atom_document([deep, neighbour])


# libxml2 stops at XML depth 2,048 even with huge_tree: 3,000 and 10,000 go through deep_xml.
DEEP_KINDS = ["5000-divs", "5000-ems", "xhtml-300-divs", "xhtml-2000-divs", "xhtml-3000-divs", "xhtml-10000-divs"]


@pytest.mark.parametrize("kind", DEEP_KINDS)
def test_deep_nesting_is_converted_with_one_warning_naming_the_entry(tmp_path: Path, book: Path, kind: str) -> None:
    (tmp_path / "deep.xml").write_bytes(deep_feed(kind))

    done = convert(tmp_path, "deep.xml")

    assert_clean_exit(done)
    texts = chapters(book).values()
    assert any("topword" in text for text in texts) and any("neighbourword" in text for text in texts)
    deep = [line for line in warning_lines(done.stderr) if "[feedbook.deep_nesting]" in line]
    assert [line for line in deep if "urn:deep:1" in line] != [], done.stderr
    assert not any("urn:deep:2" in line for line in deep), done.stderr


@pytest.mark.parametrize("kind", DEEP_KINDS)
def test_deep_nesting_keeps_every_word(tmp_path: Path, book: Path, kind: str) -> None:
    (tmp_path / "deep.xml").write_bytes(deep_feed(kind))

    done = convert(tmp_path, "deep.xml")

    assert_clean_exit(done)
    deep = chapter_with(book, "topword")
    assert "bottomword" in deep
    chapter_with(book, "neighbourword")


def filler(n: int) -> str:
    """About 10 KB of HTML: ten paragraphs of 110 words, different for each entry."""
    return "".join(
        "<p>" + " ".join(f"fill{(n * 7 + p * 13 + k) % 9973}" for k in range(110)) + "</p>" for p in range(10)
    )


def test_a_100_mb_feed_of_ten_thousand_entries(tmp_path: Path, book: Path) -> None:
    count = 10_000
    entries = [
        FeedEntry(
            f"urn:many:{n}",
            f"Entry {n}",
            f"https://blog.example.com/many/{n}/entry-{n}/",
            f"2024-01-{n % 28 + 1:02d}T00:00:00Z",
            f"<p>Entry {n} holds the word w{n}x.</p>{filler(n)}",
        )
        for n in range(count)
    ]
    feed = write_atom(tmp_path / "many.xml", entries)
    assert 100_000_000 < feed.stat().st_size < 130_000_000

    done = run_feedbook_measured("convert", "--book", "book", "--offline", feed.name, cwd=tmp_path)
    peak_mb = int(done.stderr.rsplit("peak-kb=", 1)[1].split()[0]) / 1024

    assert_clean_exit(done)
    # Bounded: the parsed feed and one entry at a time, not a copy per chapter.
    assert 50 < peak_mb < 1_000, f"convert peaked at {peak_mb:.0f} MB"
    texts = chapters(book)
    assert len(texts) == count
    found = [re.findall(r"\bw(\d+)x\b", text) for text in texts.values()]
    assert sorted(int(n) for words in found for n in words) == list(range(count))


# --- 8. Encodings and bad characters ---------------------------------------------------------------

ENCODING_TEXT = "Le café était très animé ; à côté, un garçon naïf lisait « Les Misérables » près de la fenêtre."
NEIGHBOUR = "The neighbour has *emphasis* & an ampersand."


def encoded(declaration: str, codec: str, bom: bytes = b"") -> bytes:
    text = (HOSTILE / "encoding.xml").read_text(encoding="utf-8")
    text = text.replace('encoding="utf-8"', f'encoding="{declaration}"', 1)
    return bom + text.encode(codec)


BROKEN = {
    "control-chars": lambda: (HOSTILE / "control-chars.xml").read_bytes(),
    "char-ref-nul": lambda: (HOSTILE / "char-ref-nul.xml").read_bytes(),
    "char-ref-surrogate": lambda: (HOSTILE / "char-ref-surrogate.xml").read_bytes(),
    "char-ref-out-of-range": lambda: (HOSTILE / "char-ref-out-of-range.xml").read_bytes(),
    "declared-utf8-is-cp1252": lambda: encoded("utf-8", "cp1252"),
    "declared-latin1-is-utf8": lambda: encoded("iso-8859-1", "utf-8"),
    "declared-unknown-is-utf8": lambda: encoded("x-no-such-charset", "utf-8"),
    "bom-utf8": lambda: encoded("utf-8", "utf-8", b"\xef\xbb\xbf"),
    "bom-utf8-declared-latin1": lambda: encoded("iso-8859-1", "utf-8", b"\xef\xbb\xbf"),
    "utf16-bom": lambda: encoded("utf-16", "utf-16"),
    "utf16be-no-bom": lambda: encoded("utf-16", "utf-16-be"),
    "utf16-declared-utf8": lambda: encoded("utf-8", "utf-16"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_characters_give_one_error_line_or_a_clean_book(tmp_path: Path, book: Path, case: str) -> None:
    (tmp_path / f"{case}.xml").write_bytes(BROKEN[case]())

    done = convert(tmp_path, f"{case}.xml")

    if done.returncode:
        assert_one_error_line(done, f"{case}.xml")
        assert chapters(book) == {}
        return
    assert_clean_exit(done)
    assert len(chapters(book)) == 2
    for slug, text in chapters(book).items():
        assert not CONTROL.search(text), (slug, CONTROL.findall(text))
        assert_chapter_is_whole(text)


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_characters_keep_the_text(tmp_path: Path, book: Path, case: str) -> None:
    (tmp_path / f"{case}.xml").write_bytes(BROKEN[case]())

    done = convert(tmp_path, f"{case}.xml")

    assert_clean_exit(done)
    assert NEIGHBOUR in chapter_with(book, "neighbour")
    if case.startswith(("control", "char-ref")):
        text = chapter_with(book, "delta")
        assert re.search(r"\n\nalpha\W{0,3}bravo\W{0,3}charlie delta\n", text), text
    else:
        text = chapter_with(book, "Misérables")
        assert "# Café crème brûlée\n" in text
        assert ENCODING_TEXT in text


# --- 9. Duplicates and missing fields --------------------------------------------------------------


def test_duplicates_and_missing_fields_each_get_their_own_chapter(tmp_path: Path, book: Path) -> None:
    feed = hostile_feed(tmp_path, "duplicates.xml")

    done = convert(tmp_path, feed.name)

    assert_clean_exit(done)
    words = ["wordA", "wordB", "wordC", "wordD", "wordE", "wordF", "wordG", "wordH", "wordI"]
    for word in words:
        chapter_with(book, word)
    assert len(chapters(book)) == len(words) + 1  # and the entry with a link but no content
    assert "# Link only" in chapter_with(book, "urn:link-only")
    warnings = warning_lines(done.stderr)
    for skipped in ("urn:no-content", "urn:blank-content"):
        assert any(skipped in line and "entry_skipped" in line for line in warnings), warnings
    assert sum("duplicate_id" in line for line in warnings) >= 2

    again = convert(tmp_path, feed.name)

    assert_clean_exit(again)
    assert "0 chapter(s) written, 10 unchanged" in again.stderr
    assert "hand_edited" not in again.stderr


def test_repeated_id_never_swallows_another_entry(tmp_path: Path, book: Path) -> None:
    feed = hostile_feed(tmp_path, "duplicate-id-collision.xml")

    done = convert(tmp_path, feed.name)

    assert_clean_exit(done)
    for word in ("wordA", "wordB", "wordC"):
        chapter_with(book, word)
    assert len(chapters(book)) == 3


# --- 10. A convert killed midway -------------------------------------------------------------------


def many_entries(count: int) -> list[FeedEntry]:
    return [
        FeedEntry(
            f"urn:kill:{n}",
            f"Entry {n}",
            f"https://blog.example.com/kill/entry-{n}/",
            f"2024-02-{n % 28 + 1:02d}T00:00:00Z",
            f"<p>Entry {n} holds w{n}x.</p>",
        )
        for n in range(count)
    ]


def test_killed_convert_leaves_whole_chapters_and_a_rerun_completes(tmp_path: Path, book: Path) -> None:
    count = 3000
    write_atom(tmp_path / "feed.xml", many_entries(count))
    posts = book / "posts"
    command = [sys.executable, "-m", "feedbook", "convert", "--offline", "--book", "book", "feed.xml"]
    process = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while len(list(posts.glob("*.md"))) < 300 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        assert process.poll() is None, "convert finished before it could be killed"
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)

    # Observed: no leftover at all in most runs; a kill inside write_atomically leaves one.
    leftovers = [path.name for path in book.rglob("*.tmp")]
    assert len(leftovers) <= 1, leftovers
    written = chapters(book)
    assert 300 <= len(written) < count
    for text in written.values():
        assert_chapter_is_whole(text)
    assert (book / "conf.py").is_file()

    done = convert(tmp_path, "feed.xml")

    assert_clean_exit(done)
    assert "hand_edited" not in done.stderr
    found = {int(n) for text in chapters(book).values() for n in re.findall(r"\bw(\d+)x\b", text)}
    assert found == set(range(count))
    for text in chapters(book).values():
        assert_chapter_is_whole(text)


def test_rerun_after_a_kill_writes_each_entry_once(tmp_path: Path, book: Path) -> None:
    write_atom(tmp_path / "feed.xml", many_entries(3))
    assert_clean_exit(convert(tmp_path, "feed.xml"))
    # What a kill before the state is saved leaves: some chapters, no feedbook.json.
    (book / "feedbook.json").unlink()
    (book / "posts" / f"{sorted(chapters(book))[-1]}.md").unlink()

    done = convert(tmp_path, "feed.xml")

    assert_clean_exit(done)
    assert len(chapters(book)) == 3
    for n in range(3):
        chapter_with(book, f"w{n}x")
