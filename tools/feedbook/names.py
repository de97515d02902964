"""Names made from text and kept unique: labels, slugs and ids all follow these two rules."""

from __future__ import annotations

import re
from collections.abc import Callable, Container


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
