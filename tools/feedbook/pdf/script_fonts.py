"""Which font draws which script in the PDF, when a book says so (``feedbook_script_fonts``).

Without it, fontconfig picks a font for each character the book's typeface lacks. A book can
name its own: ``{"Arabic": "Noto Naskh Arabic", "Han": "Noto Serif CJK SC"}``. Each becomes an
``@font-face`` limited to the script's Unicode blocks, listed before the book's typeface, so it
draws that script and nothing else (a script the typeface covers, Cyrillic or Greek, included).
"""

from __future__ import annotations

import functools
import subprocess
from collections.abc import Mapping

from .css_text import BODY_FONTS, css_string

SCRIPT_RANGES = {
    "Arabic": "U+0600-06FF, U+0750-077F, U+08A0-08FF, U+FB50-FDFF, U+FE70-FEFF",
    "Armenian": "U+0530-058F, U+FB13-FB17",
    "Bengali": "U+0980-09FF",
    "Cyrillic": "U+0400-052F, U+1C80-1C8F, U+2DE0-2DFF, U+A640-A69F",
    "Devanagari": "U+0900-097F, U+A8E0-A8FF",
    "Ethiopic": "U+1200-139F, U+2D80-2DDF, U+AB00-AB2F",
    "Georgian": "U+10A0-10FF, U+2D00-2D2F",
    "Greek": "U+0370-03FF, U+1F00-1FFF",
    "Gujarati": "U+0A80-0AFF",
    "Gurmukhi": "U+0A00-0A7F",
    "Han": "U+2E80-2FDF, U+3000-303F, U+3400-4DBF, U+4E00-9FFF, U+F900-FAFF, U+FF00-FFEF",
    "Hangul": "U+1100-11FF, U+3130-318F, U+A960-A97F, U+AC00-D7AF, U+D7B0-D7FF",
    "Hebrew": "U+0590-05FF, U+FB1D-FB4F",
    "Kana": "U+3040-30FF, U+31F0-31FF",
    "Kannada": "U+0C80-0CFF",
    "Khmer": "U+1780-17FF, U+19E0-19FF",
    "Lao": "U+0E80-0EFF",
    "Malayalam": "U+0D00-0D7F",
    "Myanmar": "U+1000-109F",
    "Sinhala": "U+0D80-0DFF",
    "Tamil": "U+0B80-0BFF",
    "Telugu": "U+0C00-0C7F",
    "Thai": "U+0E00-0E7F",
    "Tibetan": "U+0F00-0FFF",
}


def unknown_scripts(fonts: Mapping[str, str]) -> list[str]:
    return sorted(script for script in fonts if script not in SCRIPT_RANGES)


def missing_families(fonts: Mapping[str, str]) -> list[str]:
    """The font families named that fontconfig does not have."""
    return sorted({family for family in fonts.values() if _installed_face(family) is None})


@functools.lru_cache(maxsize=64)
def _installed_face(family: str) -> str | None:
    """The full name of ``family``'s regular face, which ``@font-face``'s ``local()`` wants (WeasyPrint
    matches full and PostScript names only); None when fontconfig has no such family."""
    try:
        found = subprocess.run(
            ["fc-match", "--format", "%{family[0]}|%{fullname[0]}", f"{family}:style=Regular"],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    matched, _, full_name = found.partition("|")
    return full_name if matched.casefold() == family.casefold() and full_name else None


def script_fonts_css(fonts: Mapping[str, str]) -> str:
    """``@font-face`` rules for the scripts named, and the body's font list that puts them first."""
    faces, families = [], []
    for script, family in sorted(fonts.items()):
        face = _installed_face(family)
        if script not in SCRIPT_RANGES or face is None:
            continue
        name = f"feedbook {script}"
        faces.append(
            f"@font-face {{ font-family: {css_string(name)}; src: local({css_string(face)});"
            f" unicode-range: {SCRIPT_RANGES[script]}; }}"
        )
        families.append(css_string(name))
    if not faces:
        return ""
    return " ".join(faces) + f" html {{ font-family: {', '.join(families)}, {BODY_FONTS}; }}"
