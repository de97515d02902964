"""Math in an entry: TeX found in text and in MathJax's scripts, written as MyST dollar math."""

from __future__ import annotations

import html
import re

from . import escape

MATH_DISPLAY = re.compile(r"\$\$(.+?)\$\$|\\\[(.+?)\\\]", re.S)


MATH_INLINE = re.compile(r"\\\((.+?)\\\)", re.S)


# One character is enough ($E$, $x$): TEX_LIKE then decides whether it reads as TeX.
MATH_DOLLAR = re.compile(r"(?<![\\$\w])\$(?=\S)([^$\n]{0,200}?[^\s\\$])\$(?![\w$])")


ANY_MATH = re.compile(f"{MATH_DISPLAY.pattern}|{MATH_INLINE.pattern}|{MATH_DOLLAR.pattern}", re.S)


TEX_SIGNS = re.compile(r"\$\$[^$]*[\\^_{}][^$]*\$\$|\\\(.+?\\\)|\\\[.+?\\\]", re.S)


TEX_LIKE = re.compile(r"[\\^_{}=]|^[A-Za-z]$")


DISPLAY_ONLY = re.compile(r"^\$\$(?:(?!\$\$).)+\$\$$", re.S)


def math_markup(tex: str, display: bool) -> str:
    tex = tex.strip()
    if display:
        # One line: inside a paragraph every line start would otherwise be escaped, corrupting the TeX.
        return f"$${' '.join(tex.split())}$$" if "$$" not in tex else escape.escape_text(tex)
    if "$" in tex:
        return escape.code_span(tex)
    return f"${tex}$"


def mathjax_scripts(source: str) -> str:
    """MathJax's <script type="math/tex"> holds the only copy of the formula: keep it before sanitizing."""
    if "math/tex" not in source:
        return source
    return re.sub(
        r"<script[^>]*type=[\"']math/tex(; *mode=display)?[\"'][^>]*>(.*?)</script>",
        lambda m: f'<span class="math{" display" if m.group(1) else ""}">{html.escape(m.group(2))}</span>',
        source,
        flags=re.S | re.I,
    )
