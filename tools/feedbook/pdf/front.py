"""The book's opening pages: a title page and the contents with page numbers and leaders.

They are rendered after the posts, when every post's first page is known; their
pages are numbered in roman numerals, so their length never moves a post's number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape

from ..dates import month_span
from ..languages import bcp47, direction

FRONT_KEY = "feedbook-front"


@dataclass(frozen=True)
class Words:
    """The printed book's own words, in the book's language (the Sphinx extension translates them)."""

    contents: str = "Contents"
    undated: str = "Undated"
    links: str = "Links"
    first_published: str = "First published at %(site)s."
    made_by: str = "Made into this book by feedbook from the blog's feed."
    posts_from: str = "Posts from %(dates)s."


@dataclass(frozen=True)
class BookInfo:
    """What the title page and the PDF's metadata say about the book."""

    title: str
    subtitle: str
    author: str
    language: str
    keywords: tuple[str, ...] = ()
    created: str = ""  # ISO dates: the first and the last post
    modified: str = ""
    site: str = ""  # the blog's address, as a reader would type it
    rights: str = ""  # "© 2019–2024 Jane Doe"
    words: Words = field(default_factory=Words)
    script_fonts: tuple[tuple[str, str], ...] = ()  # (script, font family): who draws what (script_fonts)


@dataclass(frozen=True)
class PostEntry:
    """A post as the contents list it: its key (link target), title and ISO date."""

    docname: str
    key: str
    title: str
    date: str

    @property
    def year(self) -> str:
        return self.date[:4] if self.date[:4].isdigit() else ""


def front_matter_html(book: BookInfo, posts: Sequence[PostEntry], starts: Mapping[str, int], by_year: bool) -> str:
    """Title page and contents; ``starts`` maps each post's key to its first page number."""
    sections = f'<section class="feedbook-title-page">{title_page_html(book, posts)}</section>'
    return front_document(book, posts, sections + contents_html(posts, starts, by_year, book.words))


def title_page_html(book: BookInfo, posts: Sequence[PostEntry]) -> str:
    """The title page's lines: title, subtitle, author and the months of the first and last post."""
    title_page = [f'<h1 class="feedbook-book-title">{escape(book.title)}</h1>']
    if book.subtitle:
        title_page.append(f'<p class="feedbook-book-subtitle">{escape(book.subtitle)}</p>')
    if book.author:
        title_page.append(f'<p class="feedbook-book-author">{escape(book.author)}</p>')
    span = month_span([post.date for post in posts], book.language)
    if span:
        title_page.append(f'<p class="feedbook-book-dates">{escape(span)}</p>')
    return "".join(title_page)


def contents_html(posts: Sequence[PostEntry], starts: Mapping[str, int], by_year: bool, words: Words) -> str:
    """The contents: each post's title, linked, with the page it starts on (grouped by year)."""
    title = escape(words.contents)
    contents = [f'<h1 id="{FRONT_KEY}--contents" class="feedbook-contents-title">{title}</h1>']
    year = None
    for post in posts:
        if by_year and post.year != year:
            if year is not None:
                contents.append("</ol>")
            year = post.year
            shown = escape(year or words.undated)
            contents.append(f'<h2 class="feedbook-contents-year">{shown}</h2><ol class="feedbook-contents">')
        elif year is None and not by_year:
            year = ""
            contents.append('<ol class="feedbook-contents">')
        page = starts.get(post.key, "")
        contents.append(f'<li><a href="#{post.key}" data-page="{page}">{escape(post.title)}</a></li>')
    if posts:
        contents.append("</ol>")
    return f'<nav class="feedbook-contents-page">{"".join(contents)}</nav>'


def front_document(book: BookInfo, posts: Sequence[PostEntry], sections: str) -> str:
    """The opening pages as one HTML document, with the book's metadata and the posts' link targets."""
    meta = [("author", book.author), ("description", book.subtitle), ("keywords", ", ".join(book.keywords))]
    meta += [("dcterms.created", book.created), ("dcterms.modified", book.modified)]
    head = "".join(f'<meta name="{name}" content="{escape(value)}">' for name, value in meta if value)
    # Link targets for the contents: the merge points them at each post's real first page.
    anchors = "".join(f'<span id="{post.key}"></span>' for post in posts)
    return (
        f'<!DOCTYPE html><html lang="{escape(bcp47(book.language))}" dir="{direction(book.language)}">'
        '<head><meta charset="utf-8">'
        f"<title>{escape(book.title)}</title>{head}</head><body>{sections}"
        f'<div class="feedbook-foreign-anchors">{anchors}</div></body></html>'
    )
