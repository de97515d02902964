"""A formula's TeX as the converters can take it: what only labels or numbers it set apart, the rest mapped.

latex2mathml knows the common commands but not every one: ``\\label`` and friends only
name an equation, ``\\tag`` numbers it (Sphinx prints the number beside the formula), and
``aligned`` would come out as a bare ``&`` (invalid XML) where ``align*`` gives a table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NAMING_ONLY = re.compile(r"\\label\{[^{}]*\}|\\nonumber\b|\\notag\b")
_TAG = re.compile(r"\\tag\*?\{([^{}]*)\}")
_SAME_MEANING = {r"\hdots": r"\ldots", r"\begin{aligned}": r"\begin{align*}", r"\end{aligned}": r"\end{align*}"}
# A number alone, as a table of timings writes it: 4\,204, -0.031{,}250, 1.5.
_PLAIN_NUMBER = re.compile(r"[-+]?\d+(?:(?:\\,|\{,\}|,)\d+)*(?:\.\d+(?:\\,\d+)*)?")


@dataclass(frozen=True)
class Formula:
    """The TeX to convert and the number ``\\tag`` gave it (empty without one)."""

    tex: str
    tag: str = ""


def prepare(tex: str) -> Formula:
    """``tex`` without what only names the equation, its ``\\tag`` taken out, synonyms mapped."""
    tag = ""
    found = _TAG.search(tex)
    if found:
        tag = found.group(1).strip()
        tex = _TAG.sub("", tex)
    tex = _NAMING_ONLY.sub("", tex)
    for name, same in _SAME_MEANING.items():
        tex = tex.replace(name, same)
    return Formula(tex.strip(), tag)


def display_tex(tex: str) -> str:
    """A display block's TeX as one formula: MyST splits equations at blank lines, and lines broken
    by ``\\`` outside any environment become a table (``align*`` when they align at ``&``)."""
    parts = [part.strip() for part in tex.split("\n\n") if part.strip()]
    if len(parts) > 1 or ("\\\\" in tex and "\\begin" not in tex):
        rows = " \\\\ ".join(parts)
        return f"\\begin{{align*}}{rows}\\end{{align*}}" if "&" in rows else f"\\begin{{matrix}}{rows}\\end{{matrix}}"
    return tex.strip()


def plain_number(tex: str) -> str | None:
    """A formula that is only a number, as text (thin spaces and a true minus sign); None otherwise."""
    tex = tex.strip()
    if not _PLAIN_NUMBER.fullmatch(tex):
        return None
    return tex.replace("\\,", "\u202f").replace("{,}", ",").replace("-", "\u2212")
