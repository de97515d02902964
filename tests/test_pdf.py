"""The PDF book, read back from the file: pages, contents, bookmarks, footnotes, fonts, tags, confinement."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from pdf_reading import fonts, footnote_calls, internal_links, page_text, poppler_info, top_bookmarks
from pypdf import PdfReader

from feedbook.archive.skeleton import BookMetadata, write_book_skeleton
from feedbook.build import build_book
from feedbook.pdf.book import STYLESHEET
from feedbook.pdf.fetcher import BookFetcher
from feedbook.pdf.print_html import prepare_page
from feedbook.pdf.render import render_chunk
from feedbook.pdf.scheduler import Styles, render_posts

from fidelity import FEEDS
from helpers import Response, local_server, make_png, run_feedbook

pytestmark = pytest.mark.slow

ROOT = Path(__file__).parent.parent
SEED_POSTS = [  # oldest first, as the PDF prints them
    "Management: The Most Important Things",
    "Modeling the Business: Improving ML Infrastructure at Stripe",
    "Snapshot from Summer 2025",
]


@pytest.fixture(scope="module")
def seed_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seed-pdf")
    book = out / "book"
    shutil.copytree(ROOT / "book", book, ignore=shutil.ignore_patterns("_build", "tags.md", "years"))
    return build_book(book, out / "build", "pdf")


def label_of(reader: PdfReader, index: int) -> str:
    return reader.page_labels[index]


def contents_entries(pdf: Path, reader: PdfReader) -> dict[str, str]:
    """Title -> printed page number, read from the contents pages' text (roman-numbered pages)."""
    front = [index for index, label in enumerate(reader.page_labels) if not label.isdigit()]
    text = page_text(pdf, front[0] + 1, front[-1] + 1)
    entries = {}
    for line in text.splitlines():
        match = re.match(r"^\s*(\S.*?)\s*(?:\.\s*)+\s*(\d+)\s*$", line)
        if match:
            entries[match.group(1).strip()] = match.group(2)
    return entries


# --- the seed book -------------------------------------------------------------------------------


def test_seed_pdf_has_title_page_contents_and_a_bookmark_per_post(seed_pdf: Path) -> None:
    reader = PdfReader(seed_pdf)
    bookmarks = top_bookmarks(reader)
    assert [title for title, _ in bookmarks] == ["Contents", *SEED_POSTS]
    title_page = page_text(seed_pdf, 1, 1)
    assert "jgershen.dev" in title_page
    assert "Exploring the intersection of machine learning" in title_page
    assert "March 2021 – May 2025" in title_page
    # Front matter in roman numerals, then the posts from 1: the labels a viewer shows match the print.
    assert reader.page_labels[:3] == ["i", "ii", "1"]
    assert len(reader.pages) == int(poppler_info(seed_pdf)["Pages"])


def test_contents_page_numbers_are_where_each_post_starts(seed_pdf: Path) -> None:
    reader = PdfReader(seed_pdf)
    entries = contents_entries(seed_pdf, reader)
    starts = {title: label_of(reader, index) for title, index in top_bookmarks(reader)[1:]}
    assert entries == starts
    assert starts[SEED_POSTS[0]] == "1"
    for title, index in top_bookmarks(reader)[1:]:
        first_page = page_text(seed_pdf, index + 1, index + 1)
        # A new page for each post: its title at the top, then the date and the original link.
        assert first_page.split()[:3] == title.split()[:3]
        assert "Originally published at http://jgershen.dev/" in first_page


def test_headings_are_bookmarked_under_their_post(seed_pdf: Path) -> None:
    reader = PdfReader(seed_pdf)
    outline = reader.outline
    position = next(i for i, item in enumerate(outline) if not isinstance(item, list) and item.title == SEED_POSTS[1])
    children = outline[position + 1]
    assert isinstance(children, list)
    assert [item.title for item in children if not isinstance(item, list)][:2] == ["Motivation", "The Model"]


def test_running_headers_and_page_numbers(seed_pdf: Path) -> None:
    reader = PdfReader(seed_pdf)
    _, start = top_bookmarks(reader)[1]
    second_page = page_text(seed_pdf, start + 2, start + 2).strip().splitlines()
    # Header: the book's title (small caps) and the post's title; footer: the page number.
    assert "JGERSHEN.DEV" in second_page[0].upper() and "Management: The Most Important Things" in second_page[0]
    assert second_page[-1].strip() == label_of(reader, start + 1)


def test_seed_footnotes_sit_on_the_page_of_their_call(seed_pdf: Path) -> None:
    reader = PdfReader(seed_pdf)
    calls = footnote_calls(reader)
    assert len(calls) == 2  # "Modeling the Business" has two notes
    assert all(call.page == call.target_page for call in calls)
    text = page_text(seed_pdf, calls[0].page + 1, calls[0].page + 1)
    assert "1. By experiments here I meant all forms of data exploration" in " ".join(text.split())


def test_seed_pdf_is_tagged_with_metadata_and_embedded_fonts(seed_pdf: Path) -> None:
    info = poppler_info(seed_pdf)
    assert info["Tagged"] == "yes"
    assert info["Title"] == "jgershen.dev"
    assert info["Keywords"] == "engineering-management, product-development, startups"
    assert info["CreationDate"].endswith("2021 UTC") and info["ModDate"].endswith("2025 UTC")
    listed = fonts(seed_pdf)
    assert listed and all(embedded for _, embedded in listed)
    assert any("Linux-Libertine" in name for name, _ in listed)
    reader = PdfReader(seed_pdf)
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en" and catalog["/MarkInfo"]["/Marked"]
    assert b"pdfuaid:part" in catalog["/Metadata"].get_object().get_data()


def test_structure_tree_is_one_article_per_post_on_the_books_own_pages(seed_pdf: Path) -> None:
    reader = PdfReader(seed_pdf)
    pages = {page.indirect_reference.idnum for page in reader.pages}
    document = reader.trailer["/Root"]["/StructTreeRoot"]["/K"].get_object()
    assert document["/S"] == "/Document"
    roles = [kid.get_object()["/S"] for kid in document["/K"]]
    assert roles == ["/Sect", "/Art", "/Art", "/Art"]
    seen, stack = 0, list(document["/K"])
    while stack:
        element = stack.pop().get_object()
        if not isinstance(element, dict) or "/S" not in element:
            continue
        if "/Pg" in element:
            seen += 1
            assert element.raw_get("/Pg").idnum in pages
        kids = element.get("/K", [])
        stack.extend(kids if isinstance(kids, list) else [kids])
    assert seen > 100
    # Every page and link annotation is tied into the parent tree, keys unique across the merged parts.
    keys = [reader.pages[i]["/StructParents"] for i in range(len(reader.pages))]
    assert len(set(keys)) == len(keys)


def test_streamed_book_passes_qpdfs_check_and_every_link_finds_its_target(seed_pdf: Path) -> None:
    with pikepdf.open(seed_pdf) as pdf:
        assert pdf.check_pdf_syntax() == []
        assert pdf.trailer.Root.Names.Dests.Kids  # one leaf per part under the book's name tree
    links = internal_links(PdfReader(seed_pdf))
    assert len(links) > 10
    assert [link for link in links if link.target_page is None] == []


def test_contents_links_lead_to_the_posts(seed_pdf: Path) -> None:
    reader = PdfReader(seed_pdf)
    starts = {index for _, index in top_bookmarks(reader)[1:]}
    from_contents = {link.target_page for link in internal_links(reader) if link.page == 1}
    assert from_contents == starts


def test_per_post_pdfs_are_numbered_as_in_the_book(seed_pdf: Path) -> None:
    reader = PdfReader(seed_pdf)
    folder = seed_pdf.parent / "posts"
    singles = sorted(folder.glob("*.pdf"))
    assert len(singles) == 3
    assert sum(len(PdfReader(path).pages) for path in singles) == len(reader.pages) - 2
    first = PdfReader(singles[0])
    assert [str(item.title) for item in first.outline if not isinstance(item, list)] == [SEED_POSTS[0]]
    assert poppler_info(singles[0])["Tagged"] == "yes"


# --- footnotes under pressure: WeasyPrint #1564 and #2502 ----------------------------------------


def dense_post(notes_per_paragraph: int) -> str:
    lines = ["---", 'title: "Dense notes"', 'date: "2024-02-02T00:00:00+00:00"', "---", "", "# Dense notes", ""]
    notes = []
    for paragraph in range(40):
        calls = "".join(f"[^n{paragraph}x{k}]" for k in range(notes_per_paragraph))
        words = " ".join(f"word{paragraph}w{w}" for w in range(45))
        lines += [f"{words}{calls} and the paragraph goes on after its calls.", ""]
        for k in range(notes_per_paragraph):
            body = f"Note {paragraph}.{k} first paragraph."
            if paragraph % 5 == 0 and k == 0:
                # A note of several paragraphs and a list.
                body += f"\n\n    Note {paragraph}.{k} second paragraph.\n\n    - item one\n    - item two"
            notes.append(f"[^n{paragraph}x{k}]: {body}")
    return "\n".join([*lines, "", *notes]) + "\n"


def test_many_and_multi_paragraph_footnotes_stay_with_their_calls(tmp_path: Path) -> None:
    book = tmp_path / "book"
    write_book_skeleton(book, BookMetadata(title="Dense", author="Ada", id="urn:dense"))
    (book / "posts" / "2024-02-02-dense.md").write_text(dense_post(2), encoding="utf-8")
    pdf = build_book(book, tmp_path / "build", "pdf")
    reader = PdfReader(pdf)
    calls = footnote_calls(reader)
    assert len(calls) == 80
    assert [call for call in calls if call.page != call.target_page] == []
    per_page: dict[int, int] = {}
    for call in calls:
        per_page[call.page] = per_page.get(call.page, 0) + 1
    assert max(per_page.values()) >= 4  # several notes on one page (#2502)
    text = " ".join(page_text(pdf, calls[0].page + 1, calls[0].page + 1).split())
    assert "Note 0.0 first paragraph. Note 0.0 second paragraph." in text
    assert "item one" in text and "item two" in text


# --- corpus feeds with many footnotes ------------------------------------------------------------


def corpus_book(tmp_path: Path, feed: str) -> Path:
    """A book made by ``feedbook init --offline`` from a corpus feed."""
    made = run_feedbook("init", "book", "--feed", FEEDS / feed, "--offline", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    return tmp_path / "book"


@pytest.mark.parametrize(
    ("feed", "notes"),
    [
        ("daringfireball.net--netnewswire-fixture-footnotes.atom.xml", 4),
        ("leancrew.com-allthis--netnewswire-fixture-multimarkdown-footnotes.rss.xml", 8),
        ("yakubin.com--netnewswire-fixture-pandoc-footnotes-large.atom.xml", 2),
    ],
)
def test_corpus_footnotes_sit_on_the_page_of_their_call(tmp_path: Path, feed: str, notes: int) -> None:
    book = corpus_book(tmp_path, feed)
    pdf = build_book(book, tmp_path / "build", "pdf")
    reader = PdfReader(pdf)
    calls = footnote_calls(reader)
    assert len(calls) == notes
    assert [call for call in calls if call.page != call.target_page] == []
    posts = len(list((book / "posts").glob("*.md")))
    assert len(top_bookmarks(reader)) == posts + 1  # and "Contents"
    assert all(embedded for _, embedded in fonts(pdf))


# --- rendering in several processes ---------------------------------------------------------------


def test_posts_rendered_by_two_processes_give_the_same_bytes_as_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    book = corpus_book(tmp_path, "daringfireball.net--netnewswire-fixture-footnotes.atom.xml")
    # A post that links to an earlier one prints that post's page: the pipeline must know it in time.
    first = sorted((book / "posts").glob("*.md"))[0]
    (book / "posts" / "2099-01-01-links-back.md").write_text(
        f'---\ntitle: "Links back"\ndate: "2099-01-01T00:00:00+00:00"\n---\n\n# Links back\n\n'
        f"As I wrote in [the first post]({first.name}), it holds.\n",
        encoding="utf-8",
    )
    # And one that links forward, to the last post: rendered again once that post's page is known.
    (book / "posts" / "1999-01-01-links-ahead.md").write_text(
        '---\ntitle: "Links ahead"\ndate: "1999-01-01T00:00:00+00:00"\n---\n\n# Links ahead\n\n'
        "Later I wrote [the last post](2099-01-01-links-back.md).\n",
        encoding="utf-8",
    )
    # One between them links to both: a link's placeholder in one post never passes for its target's page.
    (book / "posts" / "2098-01-01-links-both.md").write_text(
        '---\ntitle: "Links both"\ndate: "2098-01-01T00:00:00+00:00"\n---\n\n# Links both\n\n'
        f"Back to [the first post]({first.name}) and on to [the last post](2099-01-01-links-back.md).\n",
        encoding="utf-8",
    )
    conf = book / "conf.py"
    settings = conf.read_text(encoding="utf-8")
    built = {}
    for workers in (1, 2):
        conf.write_text(f"{settings}\nfeedbook_pdf_workers = {workers}\n", encoding="utf-8")
        pdf = build_book(book, tmp_path / "build", "pdf")  # the same folder: image names come from paths
        parts = sorted((pdf.parent / "posts").glob("*.pdf"))
        built[workers] = [pdf.read_bytes(), *(part.read_bytes() for part in parts)]
    assert len(built[1]) == len(list((book / "posts").glob("*.md"))) + 1
    assert built[2] == built[1]
    reader = PdfReader(pdf)
    text = " ".join(page_text(pdf, 1, len(reader.pages)).split())
    starts = {title: reader.page_labels[index] for title, index in top_bookmarks(reader)}
    first_title = next(line.split('"')[1] for line in first.read_text().splitlines() if line.startswith("title:"))
    assert re.findall(r"the first post \(p\. (\w+)\)", text) == [starts[first_title]] * 2
    assert re.findall(r"the last post \(p\. (\w+)\)", text) == [starts["Links back"]] * 2


@pytest.mark.parametrize("workers", [1, 2])
def test_a_post_that_cannot_be_written_stops_the_pdf_with_its_error(tmp_path: Path, workers: int) -> None:
    page = "<!DOCTYPE html><html><body><main><h1>Post {0}</h1><p>Text {0}.</p></main></body></html>"
    pages = [page.format(n) for n in range(4)]
    (tmp_path / "taken").write_text("a file where a folder should be")

    def out(index: int) -> Path:
        return tmp_path / ("taken" if index == 2 else "parts") / f"{index}.pdf"

    rendered = render_posts(
        len(pages),
        lambda index, anchors: prepare_page(pages[index], f"posts/p{index}", {}, anchors),
        lambda index: (tmp_path / f"p{index}.html").as_uri(),
        out,
        Styles(tmp_path, STYLESHEET, ()),
        workers,
    )
    with pytest.raises((FileExistsError, NotADirectoryError), match="taken"):
        list(rendered)


# --- WeasyPrint reads the book's files only ------------------------------------------------------


def test_fetcher_serves_book_files_and_refuses_everything_else(tmp_path: Path) -> None:
    root = tmp_path / "pdf"
    (root / "_images").mkdir(parents=True)
    (root / "_images" / "a.png").write_bytes(make_png())
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    fetcher = BookFetcher(root)
    assert fetcher.fetch((root / "_images" / "a.png").as_uri()).read().startswith(b"\x89PNG")
    for url in [
        "file:///etc/passwd",
        (tmp_path / "secret.txt").as_uri(),
        (root / ".." / "secret.txt").as_uri(),
        "http://127.0.0.1:9/a.png",
        "https://example.com/a.png",
        "ftp://example.com/a.png",
    ]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_pdf_never_reads_local_files_or_the_network(tmp_path: Path) -> None:
    root = tmp_path / "pdf"
    root.mkdir()
    with local_server() as server:
        remote = server.add("/tracker.png", Response(body=make_png(), headers={"Content-Type": "image/png"}))
        style = server.add("/style.css", Response(body=b"body { color: red }", headers={"Content-Type": "text/css"}))
        page = (
            '<!DOCTYPE html><html lang="en"><head><title>t</title>'
            f'<link rel="stylesheet" href="{style}"></head><body><main><h1>Hostile</h1>'
            '<p>before <img alt="p" src="file:///etc/passwd"> <img alt="r" src="' + remote + '">'
            '<img alt="up" src="../../../../etc/passwd">'
            '<span style="background: url(file:///etc/passwd)">styled</span> after</p></main></body></html>'
        )
        fetcher = BookFetcher(root)
        chunk = render_chunk(page, (root / "page.html").as_uri(), root / "out.pdf", 1, [], fetcher)
        assert server.total_requests == 0
    data = chunk.path.read_bytes()
    assert b"root:x:0:0" not in data
    assert "before" in page_text(chunk.path, 1, 1) and "after" in page_text(chunk.path, 1, 1)
    assert "file:///etc/passwd" in fetcher.refused and remote in fetcher.refused and style in fetcher.refused
    images = subprocess.run(["pdfimages", "-list", str(chunk.path)], capture_output=True, text=True, check=True)
    assert len(images.stdout.strip().splitlines()) == 2  # the header lines only: no image got in


def test_pdf_is_reproducible(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    book = tmp_path / "book"
    shutil.copytree(ROOT / "book", book, ignore=shutil.ignore_patterns("_build", "tags.md", "years"))
    first = build_book(book, tmp_path / "one", "pdf").read_bytes()
    second = build_book(book, tmp_path / "two", "pdf").read_bytes()
    assert first == second


@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGTERM"])
def test_an_interrupt_during_the_pdf_ends_every_worker_and_leaves_the_last_pdf(
    tmp_path: Path, signal_name: str
) -> None:
    import os
    import signal
    import sys
    import time

    from helpers import FeedEntry, write_atom

    words = " ".join(f"word{n}" for n in range(300))
    entries = [
        FeedEntry(
            f"urn:{n}",
            f"Post {n}",
            f"https://b.example/{n}",
            f"2024-01-{n % 28 + 1:02d}T{n % 24:02d}:00:00Z",
            "".join(f"<p>{words}</p>" for _ in range(8)),
        )
        for n in range(40)
    ]
    feed = write_atom(tmp_path / "feed.xml", entries)
    assert run_feedbook("init", "b", "--feed", feed, "--offline", "--no-history", cwd=tmp_path).returncode == 0
    with (tmp_path / "b" / "conf.py").open("a") as conf:
        conf.write("feedbook_pdf_workers = 2\n")
    assert run_feedbook("build", "pdf", "--book", "b", "--out", "out", cwd=tmp_path).returncode == 0
    (book_pdf,) = (tmp_path / "out" / "pdf").glob("*.pdf")
    before = book_pdf.read_bytes()
    for chapter in (tmp_path / "b" / "posts").glob("*.md"):
        chapter.write_text(chapter.read_text() + "\nOne more line.\n")

    env = {**os.environ, "NO_PROXY": "*", "no_proxy": "*"}
    process = subprocess.Popen(
        [sys.executable, "-m", "feedbook", "build", "pdf", "--book", "b", "--out", "out"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    parts = tmp_path / "out" / "pdf" / ".parts"
    deadline = time.monotonic() + 120
    while not (parts.is_dir() and any(parts.iterdir())) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert parts.is_dir(), "the PDF step never began"
    workers = _children(process.pid)
    assert len(workers) >= 2
    sent = time.monotonic()
    process.send_signal(getattr(signal, signal_name))
    _, stderr = process.communicate(timeout=30)
    assert time.monotonic() - sent < 10
    assert process.returncode == 1
    assert "feedbook: error: interrupted" in stderr and "Traceback" not in stderr
    time.sleep(0.5)
    assert [pid for pid in workers if _alive(pid)] == []
    assert book_pdf.read_bytes() == before


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _pdf_build_log(book: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """Build the PDF through Sphinx in this process, its status lines kept ("N parts kept from the last build")."""
    from sphinx.cmd.build import build_main

    from feedbook.build import sphinx_args

    capsys.readouterr()
    arguments = [a for a in sphinx_args(book, out, "pdf") if a != "-q"]
    assert build_main(arguments) == 0
    return capsys.readouterr().out


def test_a_rebuild_reuses_every_unchanged_part_and_matches_a_fresh_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from helpers import FeedEntry, write_atom

    entries = [
        FeedEntry(
            f"urn:{n}",
            f"Post {n}",
            f"https://b.example/{n}",
            f"2024-01-{n + 1:02d}T00:00:00Z",
            f"<p>Text of post {n}, with a link to <a href='https://b.example/{max(n - 1, 0)}'>the one before</a>.</p>",
        )
        for n in range(12)
    ]
    feed = write_atom(tmp_path / "feed.xml", entries)
    assert run_feedbook("init", "b", "--feed", feed, "--offline", "--no-history", cwd=tmp_path).returncode == 0
    book, out = tmp_path / "b", tmp_path / "out"
    first = _pdf_build_log(book, out, capsys)
    assert "0 parts kept from the last build" in first
    (pdf,) = (out / "pdf").glob("*.pdf")
    made = pdf.stat().st_mtime_ns

    again = _pdf_build_log(book, out, capsys)
    assert "13 parts kept from the last build" in again  # twelve posts and the front matter
    assert pdf.stat().st_mtime_ns == made  # nothing changed: the book is not even merged again

    # A post changed in the middle: it and the front matter are rendered again, and the posts after it
    # only if their first page moved; the book is the one a fresh build makes.
    middle = sorted((book / "posts").glob("*.md"))[5]
    middle.write_text(middle.read_text() + "\n" + "More words. " * 400 + "\n")
    changed = _pdf_build_log(book, out, capsys)
    kept = int(re.search(r"(\d+) parts kept from the last build", changed).group(1))
    assert 5 <= kept < 13
    fresh = _pdf_build_log(book, tmp_path / "fresh", capsys)
    assert "0 parts kept" in fresh
    assert pdf.read_bytes() == next((tmp_path / "fresh" / "pdf").glob("*.pdf")).read_bytes()


def test_each_font_is_embedded_once_for_the_whole_book_and_draws_the_same_pages(tmp_path: Path) -> None:
    """Each post's part carries its own subset of every font; the book carries one program per font,
    subset to every glyph of every post, and its pages are drawn pixel for pixel as the parts'."""
    from PIL import Image, ImageChops

    from helpers import FeedEntry, write_atom

    words = "Every post draws its own letters: ſome ligatures, ﬁne ﬂourishes, *italic* and **bold** words."
    entries = [
        FeedEntry(f"urn:{n}", f"Post {n} — “{chr(65 + n)}”", f"https://b.example/{n}", f"2024-01-{n + 1:02d}T00:00:00Z",
                  f"<p>{words} {chr(0x391 + n)} <em>{n * 'x'}</em> <strong>{n}</strong> <code>f({n})</code></p>")
        for n in range(12)
    ]  # fmt: skip
    feed = write_atom(tmp_path / "feed.xml", entries)
    assert run_feedbook("init", "b", "--feed", feed, "--offline", "--no-history", cwd=tmp_path).returncode == 0
    pdf = build_book(tmp_path / "b", tmp_path / "out", "pdf")
    with pikepdf.open(pdf) as book:
        assert book.check_pdf_syntax() == []
        descriptors = [
            o for o in book.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/FontDescriptor"
        ]
        programs = {d.get("/FontFile2", d.get("/FontFile3")).objgen for d in descriptors}
        faces = {str(d.FontName).split("+")[0] for d in descriptors}
        assert len(descriptors) > len(faces)  # every part describes its fonts...
        assert len(programs) == len(faces)  # ...and all of them use the book's one program of each
    parts = sorted((tmp_path / "out" / "pdf" / "posts").glob("*.pdf"))
    assert len(parts) == 12
    assert pdf.stat().st_size < 0.5 * sum(part.stat().st_size for part in parts)
    # The book's pages, drawn with the merged fonts, are the parts' pages, drawn with their own.
    book_pages = page_text(pdf, 1, len(PdfReader(pdf).pages)).split("\f")
    for part in (parts[0], parts[-1]):
        index = book_pages.index(page_text(part, 1, 1).split("\f")[0])  # the part's first page in the book
        drawn = []
        for source, page in ((pdf, index + 1), (part, 1)):
            out = tmp_path / f"{source.stem}-{page}"
            subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page), "-singlefile",
                            str(source), str(out)], check=True)  # fmt: skip
            drawn.append(Image.open(f"{out}.png").convert("L"))
        assert ImageChops.difference(*drawn).getbbox() is None
