"""WeasyPrint's ".notdef glyph" warnings, one per character, as one line per script saying what to install."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_NOTDEF = re.compile(r'\.notdef glyph rendered for Unicode string unsupported by fonts: "(.+)" \(U\+[0-9A-F]+\)', re.S)
# Debian's packages: Noto covers every living script but CJK (its own package) and emoji.
_EAST_ASIAN = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL")
_SYMBOLS = "fonts-symbola"
_ANY_SCRIPT = "fonts-noto-core"


MISSING = "no installed font has"  # how the lines about such characters begin


def grouped(messages: Iterable[str]) -> list[str]:
    """The messages, those about characters no font has merged into one per script."""
    missing: dict[str, list[str]] = {}
    others: list[str] = []
    for message in messages:
        found = _NOTDEF.search(message)
        if found is None:
            others.append(message)
            continue
        for character in found.group(1):
            characters = missing.setdefault(_script(character), [])
            if character not in characters:
                characters.append(character)
    for script, characters in missing.items():
        shown = " ".join(characters[:8]) + (" …" if len(characters) > 8 else "")
        others.append(
            f"{MISSING} {len(characters)} character(s) of {script.title()} ({shown}): "
            f"install a font for it (on Debian or Ubuntu: apt-get install {_package(script)})"
        )
    return others


def _script(character: str) -> str:
    name = unicodedata.name(character, "")
    if not name:
        return "UNKNOWN"
    first = name.split()[0]
    if first in _EAST_ASIAN:
        return first
    if unicodedata.category(character).startswith("S"):
        return "SYMBOLS"
    return first


def _package(script: str) -> str:
    if script == "SYMBOLS":
        return _SYMBOLS
    return "fonts-noto-cjk" if script in _EAST_ASIAN else _ANY_SCRIPT
