"""Which installed font draws each character of the EPUB cover's text.

Pillow draws with the one font it is given: a Chinese, Arabic or emoji title in Linux Libertine
comes out as boxes. The PDF gets its fallback from Pango and fontconfig; the cover gets the same
from fontconfig here: the book's typeface for what it has, and for anything else the font
fontconfig names for that character (``fc-match :charset=``), as the PDF's title page would draw it.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import unicodedata
from pathlib import Path

BOOK_FACE = "Linux Libertine O"


@functools.lru_cache(maxsize=16)
def book_font(style: str) -> str:
    """The book's typeface in ``style`` (regular, bold, italic), else fontconfig's serif: a file path, or ""."""
    return fc_match(f"{BOOK_FACE}:{style}") or fc_match(f"serif:{style}")


def fc_match(pattern: str) -> str:
    if not shutil.which("fc-match"):
        return ""
    done = subprocess.run(
        ["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True, check=False, timeout=30
    )
    found = done.stdout.strip()
    return found if done.returncode == 0 and Path(found).is_file() else ""


@functools.lru_cache(maxsize=64)
def characters_of(path: str) -> frozenset[int]:
    """The code points a font file has glyphs for."""
    from fontTools.ttLib import TTFont  # WeasyPrint's dependency: reads the font's cmap

    try:
        with TTFont(path, fontNumber=0, lazy=True) as font:
            table = font.getBestCmap() or {}
    except Exception:  # a font fontTools cannot read: treat it as covering nothing
        return frozenset()
    return frozenset(table)


@functools.lru_cache(maxsize=1024)
def font_for(character: str, style: str) -> str:
    """The font that draws ``character``: the book's when it has it, else fontconfig's choice for it."""
    primary = book_font(style)
    code = ord(character)
    if not primary or code in characters_of(primary) or _invisible(character):
        return primary
    found = fc_match(f":charset={code:x}:{style}") or fc_match(f":charset={code:x}")
    return found if found and code in characters_of(found) else primary


def font_for_all(text: str, style: str) -> str:
    """One font that draws every character of ``text`` (what a right-to-left line needs, so that its
    words are ordered and joined as one run), or "" when there is none."""
    codes = {ord(character) for character in text if not _invisible(character)}
    primary = book_font(style)
    if primary and codes <= characters_of(primary):
        return primary
    found = fc_match(f":charset={' '.join(f'{code:x}' for code in sorted(codes))}:{style}")
    return found if found and codes <= characters_of(found) else ""


def runs(text: str, style: str) -> list[tuple[str, str]]:
    """``text`` cut where the font that draws it changes: (piece, font file) in reading order."""
    pieces: list[tuple[str, str]] = []
    for character in text:
        path = font_for(character, style)
        if pieces and (pieces[-1][1] == path or _invisible(character)):
            pieces[-1] = (pieces[-1][0] + character, pieces[-1][1])
        else:
            pieces.append((character, path))
    return pieces


def _invisible(character: str) -> bool:
    return character.isspace() or unicodedata.category(character) in ("Cf", "Zs")
