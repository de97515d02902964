"""Names made from text and kept unique: labels, slugs and ids all follow these two rules."""

from __future__ import annotations

import re
from collections.abc import Callable, Container


def file_name(title: str) -> str:
    """A book's title as a readable file name: lower case, hyphenated, transliterated to ASCII
    ("jgershen.dev" -> "jgershen-dev", "Sébastien Brisard's blog" -> "sebastien-brisards-blog",
    a Japanese title in its Latin transliteration), "book" when nothing is left."""
    from slugify import slugify  # Unidecode's transliteration, for any script

    return slugify(title, max_length=80, word_boundary=True, replacements=[["'", ""], ["\u2019", ""]]) or "book"


def label_part(value: str) -> str:
    """``value`` as a label's part: lowercase ASCII letters and digits joined by "-" ("x" when none is left)."""
    return re.sub(r"[^a-z0-9]+", "-", value.casefold()).strip("-") or "x"


def numbered(base: str, number: int) -> str:
    return f"{base}-{number}"


def first_free(
    base: str,
    taken: Container[str],
    *,
    spell: Callable[[str, int], str] = numbered,
    key: Callable[[str], str] = str,
) -> str:
    """``base``, or the first of ``spell(base, 2)``, ``spell(base, 3)``… whose ``key`` is not in ``taken``."""
    candidate, number = base, 2
    while key(candidate) in taken:
        candidate, number = spell(base, number), number + 1
    return candidate
