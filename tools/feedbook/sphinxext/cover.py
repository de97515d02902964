"""The EPUB's cover: a picture drawn from the book's title, subtitle, author and years.

E-readers show a cover in the library; a feed has none, so feedbook draws one
(Pillow, which WeasyPrint already depends on) in the book's own typeface, each character the
typeface lacks in the font fontconfig names for it (``cover_fonts``), as the PDF draws them. A
long title wraps (between any two CJK characters too), then shrinks, and never leaves the cover.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from sphinx.application import Sphinx

from ..dates import month_span
from .cover_fonts import font_for_all, runs
from .posts import read_posts

COVER = "_static/feedbook-cover.png"
SIZE = (1600, 2560)  # the 1:1.6 portrait most e-reader stores ask for
INK, PAPER, ACCENT = (250, 247, 240), (32, 45, 66), (201, 162, 92)


# Blocks of the cover: (style, largest size, smallest size, most lines), from the top.
TITLE = ("bold", 150, 72, 4)
SUBTITLE = ("italic", 64, 40, 4)
AUTHOR = ("regular", 80, 48, 2)
YEARS = ("regular", 56, 40, 1)
MARGIN = 160
# Characters between which a line may break without a space: Chinese, Japanese and Korean.
_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")


def draw_cover(path: Path, title: str, subtitle: str, author: str, years: str) -> None:
    image = Image.new("RGB", SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    width = SIZE[0] - 2 * MARGIN
    y = 620
    for text, block, gap in ((title, TITLE, 40), (subtitle, SUBTITLE, 30)):
        if not text:
            continue
        size, lines = _fit(text, block, width)
        for line in lines:
            _draw_line(draw, line, block[0], size, y)
            y += int(size * 1.25)
        y += gap
        if block is TITLE:
            draw.line([(SIZE[0] // 2 - 200, y + 30), (SIZE[0] // 2 + 200, y + 30)], fill=ACCENT, width=6)
            y += 120
    bottom = SIZE[1] - 420
    for text, block in ((author, AUTHOR), (years, YEARS)):
        if text:
            size, lines = _fit(text, block, width)
            for line in lines:
                _draw_line(draw, line, block[0], size, bottom)
                bottom += int(size * 1.3)
            bottom += int(size * 0.3)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, optimize=True)


def _fit(text: str, block: tuple[str, int, int, int], width: int) -> tuple[int, list[str]]:
    """Wrap, then shrink: the largest size (down to the block's smallest) whose lines fit the width in
    at most the block's lines; at the smallest size, the lines that fit, the last one cut short."""
    style, largest, smallest, most = block
    size = largest
    while True:
        lines = _wrap(text, style, size, width)
        if len(lines) <= most or size <= smallest:
            break
        size = max(smallest, int(size * 0.9))
    if len(lines) > most:
        lines = [*lines[: most - 1], _shortened(lines[most - 1], style, size, width)]
    return size, lines


def _wrap(text: str, style: str, size: int, width: int) -> list[str]:
    """Lines no wider than ``width``: broken at spaces, and between CJK characters; a word wider than
    the line is cut where it must be."""
    lines: list[str] = []
    for token in _tokens(text):
        if lines and _width(lines[-1] + token, style, size) <= width:
            lines[-1] += token
        elif not token.isspace():
            lines.append(token)
        while lines and _width(lines[-1], style, size) > width and len(lines[-1]) > 1:
            head = lines[-1]
            cut = len(head) - 1
            while cut > 1 and _width(head[:cut], style, size) > width:
                cut -= 1
            lines[-1:] = [head[:cut], head[cut:]]
    return [line.strip() for line in lines if line.strip()]


def _tokens(text: str) -> list[str]:
    tokens: list[str] = []
    for piece in re.split(r"(\s+)", " ".join(text.split())):
        tokens += _cjk_tokens(piece) if _CJK.search(piece) else [piece]
    return tokens


def _cjk_tokens(piece: str) -> list[str]:
    tokens: list[str] = []
    for character in piece:
        if _CJK.match(character) or not tokens or _CJK.match(tokens[-1][-1]):
            tokens.append(character)
        else:
            tokens[-1] += character
    return tokens


def _shortened(line: str, style: str, size: int, width: int) -> str:
    while len(line) > 1 and _width(line + "…", style, size) > width:
        line = line[:-1]
    return line.rstrip() + "…"


def _pieces(line: str, style: str) -> list[tuple[str, str]]:
    """The line in runs of one font; a right-to-left line in one font that has it all, so that its
    words are ordered and joined as one run (raqm's bidi and shaping)."""
    if any(unicodedata.bidirectional(character) in ("R", "AL") for character in line):
        whole = font_for_all(line, style)
        if whole:
            return [(line, whole)]
    return runs(line, style)


@functools.lru_cache(maxsize=64)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.truetype(path, size) if path else ImageFont.load_default(size)


def _width(line: str, style: str, size: int) -> float:
    return sum(_font(path, size).getlength(piece) for piece, path in _pieces(line, style))


def _draw_line(draw: ImageDraw.ImageDraw, line: str, style: str, size: int, y: int) -> None:
    """One line centred on the cover, each run in the font that has its characters."""
    x = (SIZE[0] - _width(line, style, size)) / 2
    for piece, path in _pieces(line, style):
        typeface = _font(path, size)
        draw.text((x, y), piece, font=typeface, fill=INK, anchor="la")
        x += typeface.getlength(piece)


def add_cover(app: Sphinx) -> None:
    """Draw the cover into the EPUB's output, where ``epub_cover`` (set by configure_book) points."""
    if app.builder.name != "epub" or tuple(app.config.epub_cover)[:1] != (COVER,):
        return
    posts = read_posts(Path(app.srcdir), app.config.feedbook_posts_dir)
    years = month_span([post.date for post in posts], app.config.language)
    config = app.config
    draw_cover(Path(app.outdir) / COVER, config.project, config.feedbook_subtitle, config.author, years)
