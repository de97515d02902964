"""A new book source folder for any blog: conf.py, index.md, posts/, built like this repository's book."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import FeedbookError
from ..languages import DEFAULT as DEFAULT_LANGUAGE
from ..languages import sphinx_language
from ..sources.records import Feed
from .hosting import hosting_files
from .storage import write_atomically

CONF_TEMPLATE = '''"""Sphinx configuration of this book, made by feedbook init; the feedbook extension does the rest."""

project = {title_literal}
author = {author_literal}
language = {language_literal}
copyright = {copyright_literal}
feedbook_subtitle = {subtitle_literal}
feedbook_id = {id_literal}
feedbook_pdf_per_post = True  # each post's own PDF, linked from its page

extensions = ["feedbook.sphinxext"]
'''

INDEX_TEMPLATE = """# {title}

{subtitle}

```{{feedbook-posts}}
```
"""


@dataclass(frozen=True)
class BookMetadata:
    title: str
    author: str = ""
    language: str = "en"
    subtitle: str = ""
    id: str = ""

    @classmethod
    def from_feed(cls, feed: Feed | None, *, title: str = "", author: str = "", language: str = "") -> BookMetadata:
        """Command-line values win over the feed's own."""
        book_title = title or (feed.title if feed else "") or "My Blog"
        subtitle = feed.subtitle if feed else ""
        if _same_words(subtitle, book_title):
            subtitle = ""  # many feeds repeat their title as the description: the front page would show it twice
        return cls(
            title=book_title,
            author=author or (feed.author if feed else ""),
            language=_language(language, named=True) if language else _language(feed.language if feed else "en"),
            subtitle=subtitle,
            id=(feed.id or feed.link) if feed else "",
        )


def _same_words(one: str, other: str) -> bool:
    return " ".join(one.casefold().split()).strip(" .") == " ".join(other.casefold().split()).strip(" .")


def _language(value: str, *, named: bool = False) -> str:
    """Sphinx's form ("en", "en_US") of a language tag ("en-US", "zh-cn"); a feed's value that names
    no language CLDR knows becomes "en" (templates print it into lang="..." and the EPUB's OPF)."""
    language = sphinx_language(value)
    if language is None:
        if named:
            raise FeedbookError(f"--language {value.strip()!r}: not a language code such as en, de, pt-BR or zh-CN")
        return DEFAULT_LANGUAGE
    return language


def write_book_skeleton(book: Path, metadata: BookMetadata) -> None:
    """conf.py and index.md for a new book; refuses to overwrite an existing book."""
    if (book / "conf.py").exists():
        raise FeedbookError(f"{book}: already holds a book (conf.py exists)")
    (book / "posts").mkdir(parents=True, exist_ok=True)
    conf = CONF_TEMPLATE.format(
        title_literal=json.dumps(metadata.title, ensure_ascii=False),
        author_literal=json.dumps(metadata.author, ensure_ascii=False),
        language_literal=json.dumps(metadata.language),
        copyright_literal=json.dumps(metadata.author.strip(), ensure_ascii=False),
        subtitle_literal=json.dumps(metadata.subtitle, ensure_ascii=False),
        id_literal=json.dumps(metadata.id, ensure_ascii=False),
    )
    index = INDEX_TEMPLATE.format(title=_markdown_line(metadata.title), subtitle=_markdown_line(metadata.subtitle))
    write_atomically(book / "conf.py", conf.encode("utf-8"))
    # Read the Docs' recipe and requirements, and a .gitignore for what every build writes.
    for name, text in hosting_files().items():
        write_atomically(book / name, text.encode("utf-8"))
    write_atomically(book / "index.md", re.sub(r"\n{3,}", "\n\n", index).encode("utf-8"))


def _markdown_line(text: str) -> str:
    from ..convert.escape import escape_line_start, escape_text

    return escape_line_start(escape_text(" ".join(text.split())))
