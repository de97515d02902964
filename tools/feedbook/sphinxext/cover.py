"""The EPUB's cover: a picture drawn from the book's title, subtitle, author and years.

E-readers show a cover in the library; a feed has none, so feedbook draws one
(Pillow, which WeasyPrint already depends on) in the book's own typeface.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from sphinx.application import Sphinx

from ..dates import month_span
from .posts import read_posts

COVER = "_static/feedbook-cover.png"
SIZE = (1600, 2560)  # the 1:1.6 portrait most e-reader stores ask for
INK, PAPER, ACCENT = (250, 247, 240), (32, 45, 66), (201, 162, 92)


def font(style: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """The book's serif (Linux Libertine, else whatever fontconfig picks) at ``size`` pixels."""
    for pattern in (f"Linux Libertine O:{style}", f"serif:{style}"):
        path = _fc_match(pattern)
        if path:
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def _fc_match(pattern: str) -> str:
    if not shutil.which("fc-match"):
        return ""
    done = subprocess.run(["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True, check=False)
    return done.stdout.strip() if done.returncode == 0 and Path(done.stdout.strip()).is_file() else ""


def draw_cover(path: Path, title: str, subtitle: str, author: str, years: str) -> None:
    image = Image.new("RGB", SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    width = SIZE[0] - 2 * 160
    y = 620
    for text, face, size, gap in (
        (title, "bold", 150, 40),
        (subtitle, "italic", 64, 30),
    ):
        if not text:
            continue
        typeface = font(face, size)
        for line in _wrap(draw, text, typeface, width):
            draw.text((SIZE[0] // 2, y), line, font=typeface, fill=INK, anchor="ma")
            y += int(size * 1.2)
        y += gap
        if face == "bold":
            draw.line([(SIZE[0] // 2 - 200, y + 30), (SIZE[0] // 2 + 200, y + 30)], fill=ACCENT, width=6)
            y += 120
    bottom = SIZE[1] - 420
    for text, size in ((author, 80), (years, 56)):
        if text:
            draw.text((SIZE[0] // 2, bottom), text, font=font("regular", size), fill=INK, anchor="ma")
            bottom += int(size * 1.6)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, optimize=True)


def _wrap(
    draw: ImageDraw.ImageDraw, text: str, typeface: ImageFont.FreeTypeFont | ImageFont.ImageFont, width: int
) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=typeface) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines[:6]


def add_cover(app: Sphinx) -> None:
    """Draw the cover into the EPUB's output, where ``epub_cover`` (set by configure_book) points."""
    if app.builder.name != "epub" or tuple(app.config.epub_cover)[:1] != (COVER,):
        return
    posts = read_posts(Path(app.srcdir), app.config.feedbook_posts_dir)
    years = month_span([post.date for post in posts], app.config.language)
    config = app.config
    draw_cover(Path(app.outdir) / COVER, config.project, config.feedbook_subtitle, config.author, years)
