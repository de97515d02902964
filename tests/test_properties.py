"""Property tests (hypothesis): whatever the text or HTML, the MyST written renders back to the same words.

Rendering uses MyST-Parser's own markdown-it configuration with the extensions a
feedbook book enables, so this checks the MyST syntax itself, quickly, without Sphinx.
"""

from __future__ import annotations

import collections
import html
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from feedbook.archive.skeleton import BookMetadata, write_book_skeleton
from feedbook.build import build_book
from feedbook.convert.chapter import ChapterContext, convert_entry
from feedbook.convert.formulas import TEX_SIGNS
from feedbook.sources.feed import Entry
from feedbook.sphinxext import MYST_EXTENSIONS

from fidelity import visible_text

MYST = create_md_parser(MdParserConfig(enable_extensions=set(MYST_EXTENSIONS), dmath_double_inline=True), RendererHTML)
_DEFAULT_FENCE = MYST.renderer.rules["fence"]


def _render_directive(self, tokens, index, options, env) -> str:  # type: ignore[no-untyped-def]
    """markdown-it leaves directives unparsed: render a directive's argument and its MyST body, as Sphinx does."""
    token = tokens[index]
    if not token.info.startswith("{"):
        return _DEFAULT_FENCE(tokens, index, options, env) if token.type == "fence" else ""
    argument = html.escape(token.info.split("}", 1)[1])
    body = re.sub(r"^(?::[\w-]+:.*\n)+", "", token.content)
    return f"<div><p>{argument}</p>{MYST.render(body)}</div>"


MYST.add_render_rule("fence", _render_directive)
MYST.add_render_rule("colon_fence", _render_directive)


# A role renders its content (Sphinx's sub, sup, abbr, kbd roles do), not "{name}[content]".
def _render_role(self, tokens, index, options, env) -> str:  # type: ignore[no-untyped-def]
    name = tokens[index].meta.get("name", "")
    tag = name if name in ("sub", "sup") else "span"  # as Sphinx renders them
    return f"<{tag}>{html.escape(tokens[index].content)}</{tag}>"


MYST.add_render_rule("myst_role", _render_role)
WORD = re.compile(r"\w+")
# Every character MyST could read as syntax, plus letters, spaces and a few non-ASCII ones.
SYNTAX = "\\`*_[]<>{}()#+-=!|~$%:.&;^\"'/@ \t\n"
TEXT = st.text(alphabet=st.sampled_from(list(SYNTAX) + list("abcxyz019 é中—")), min_size=1, max_size=60)


def body_of(chapter: str) -> str:
    """The chapter without front matter, target and title: what the entry's HTML became."""
    return chapter.split("\n# ", 1)[1].split("\n", 1)[1] if "\n# " in chapter else ""


def convert(html_text: str) -> str:
    entry = Entry("id", "Title", "", "", "", (), (), html_text, "")
    return body_of(convert_entry(entry, ChapterContext(slug="p")).text)


def rendered_text(myst: str) -> str:
    root = lxml_html.fragment_fromstring(MYST.render(myst) or "<p></p>", create_parent="div")
    return visible_text(root, scripts_apart=False)


def squash(text: str) -> str:
    return " ".join(text.split())


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT.filter(lambda text: not TEX_SIGNS.search(text)))
def test_plain_text_renders_back_to_itself(text: str) -> None:
    """Text without TeX delimiters: a post that writes \\(x\\) or $$x$$ is taken to use MathJax."""
    myst = convert(f"<p>{html.escape(text)}</p>")
    assert squash(rendered_text(myst)) == squash(text)
    # And no markup was made of it.
    assert not re.search(r"<(em|strong|a|img|h\d|li|blockquote|code|hr|table|span)\b", MYST.render(myst))


INLINE_TAGS = ["em", "strong", "code", "del", "sub", "sup", "span", "a", "abbr", "kbd", "mark", "q", "b", "i"]
BLOCK_TAGS = ["p", "blockquote", "ul", "ol", "h2", "h3", "pre", "div", "table", "dl", "details"]
WORDS = st.text(alphabet=st.sampled_from(list("abcde xyz*_[]`#<>&$|{}-1.")), min_size=0, max_size=12).map(html.escape)


def _wrap(tag: str, inner: str) -> str:
    if tag == "a":
        return f'<a href="https://example.com/x">{inner}</a>'
    if tag in ("ul", "ol"):
        return f"<{tag}><li>{inner}</li></{tag}>"
    if tag == "table":
        return f"<table><tr><th>h</th></tr><tr><td>{inner}</td></tr></table>"
    if tag == "dl":
        return f"<dl><dt>t</dt><dd>{inner}</dd></dl>"
    if tag == "details":
        return f"<details><summary>s</summary>{inner}</details>"
    return f"<{tag}>{inner}</{tag}>"


def _phrasing(depth: int) -> st.SearchStrategy[str]:
    """Inline content as HTML allows it: inline elements hold only inline elements."""
    if depth == 0:
        return WORDS
    children = st.lists(st.one_of(WORDS, _phrasing(depth - 1)), max_size=3).map("".join)
    return st.tuples(st.sampled_from(INLINE_TAGS), children).map(lambda pair: _wrap(*pair))


PHRASING_BLOCKS = ["p", "h2", "h3", "pre"]  # blocks that HTML lets hold inline content only


def _flow(depth: int) -> st.SearchStrategy[str]:
    """Block content as HTML allows it: containers hold blocks or inline content, paragraphs inline only."""
    inline_children = st.lists(_phrasing(2), max_size=3).map("".join)
    paragraph = st.tuples(st.sampled_from(PHRASING_BLOCKS), inline_children).map(lambda pair: _wrap(*pair))
    if depth == 0:
        return paragraph
    children = st.lists(st.one_of(_phrasing(2), _flow(depth - 1)), max_size=3).map("".join)
    containers = [tag for tag in BLOCK_TAGS if tag not in PHRASING_BLOCKS]
    return st.one_of(paragraph, st.tuples(st.sampled_from(containers), children).map(lambda pair: _wrap(*pair)))


def _any_nesting(depth: int) -> st.SearchStrategy[str]:
    """Any tag inside any tag, as broken feeds have it."""
    if depth == 0:
        return WORDS
    children = st.lists(st.one_of(WORDS, _any_nesting(depth - 1)), max_size=3).map("".join)
    return st.tuples(st.sampled_from(INLINE_TAGS + BLOCK_TAGS), children).map(lambda pair: _wrap(*pair))


def _words(root: lxml_html.HtmlElement) -> collections.Counter[str]:
    return collections.Counter(WORD.findall(visible_text(root, scripts_apart=False)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_flow(3), _phrasing(3)), min_size=1, max_size=4))
def test_random_html_keeps_every_word(fragments: list[str]) -> None:
    source = "".join(fragments)
    myst = convert(source)
    expected = _words(lxml_html.fragment_fromstring(source, create_parent="div"))
    found = collections.Counter(WORD.findall(rendered_text(myst)))
    assert not expected - found, myst


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_any_nesting(4), min_size=1, max_size=4))
def test_badly_nested_html_never_crashes_and_keeps_its_letters(fragments: list[str]) -> None:
    source = "".join(fragments)
    myst = convert(source)
    # Words may join or split where blocks sit inside inline elements, but no letter is lost.
    shown = visible_text(lxml_html.fragment_fromstring(source, create_parent="div"), scripts_apart=False)
    letters = collections.Counter(c for c in shown if c.isalnum())
    assert not letters - collections.Counter(c for c in rendered_text(myst) if c.isalnum()), myst


@pytest.mark.slow
@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.lists(_any_nesting(3), min_size=1, max_size=3).map("".join), min_size=3, max_size=3))
def test_random_html_builds_with_sphinx_without_warnings(
    tmp_path_factory: pytest.TempPathFactory, posts: list[str]
) -> None:
    """What markdown-it accepts, Sphinx must too: random posts make a book that builds under -W -n."""
    root = tmp_path_factory.mktemp("random-book")
    book = root / "book"
    write_book_skeleton(book, BookMetadata(title="Random"))
    for number, html_text in enumerate(posts):
        entry = Entry(f"id{number}", f"Post {number}", "", "2024-01-01T00:00:00+00:00", "", (), (), html_text, "")
        chapter = convert_entry(entry, ChapterContext(slug=f"p{number}")).text
        (book / "posts" / f"p{number}.md").write_text(chapter, encoding="utf-8")
    build_book(book, root / "out", "html")  # raises FeedbookError on any warning
    for number, html_text in enumerate(posts):
        page = lxml_html.parse(str(root / "out" / "html" / "posts" / f"p{number}.html")).getroot().xpath("//article")[0]
        source = visible_text(
            lxml_html.fragment_fromstring(html_text or "<p></p>", create_parent="div"), scripts_apart=False
        )
        letters = collections.Counter(c for c in source if c.isalnum())
        assert not letters - collections.Counter(c for c in page.text_content() if c.isalnum())
