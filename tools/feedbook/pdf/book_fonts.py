"""One program per font for the whole book, instead of one subset of each font in every post.

WeasyPrint embeds in each post's part a subset of every font it used, keeping the font's own
glyph numbers (HarfBuzz's ``retain-gids``), so the parts of a 500-post book carry 500 subsets
of Linux Libertine. The renderer keeps each original font file once (``keep_fonts``, named by
WeasyPrint's tag for the font); the merge reads which glyphs every part draws from its fonts'
width arrays, subsets each original once to all of them (fontTools, glyph numbers kept, so no
page changes a byte), and points every part's font at that one program. Variable, colour and
bitmap fonts, which WeasyPrint transforms, keep their parts' own subsets.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf

_TAG = re.compile(r"^/?([A-Z]{6})\+")
_TRANSFORMED = ("fvar", "CBDT", "sbix", "COLR", "SVG ", "EBDT")


def keep_fonts(document: Any, store: Path) -> None:
    """Keep each original font file ``document`` (a WeasyPrint document, written) drew with, once."""
    from weasyprint.text.fonts import get_hb_object_data

    store.mkdir(parents=True, exist_ok=True)
    for font in document.fonts.values():
        if font.bitmap or font.png or font.svg or any(table in font.tables for table in _TRANSFORMED):
            continue
        target = store / f"{font.hash}.{font.index}.font"
        if target.exists():
            continue
        with tempfile.NamedTemporaryFile(dir=store, delete=False, suffix=".part") as partial:
            partial.write(get_hb_object_data(font.hb_face))
        os.replace(partial.name, target)  # another worker may write the same font: both are whole


@dataclass
class _Face:
    original: Path
    index: int
    key: str  # /FontFile2 (TrueType) or /FontFile3 (OpenType CFF)
    glyphs: set[int] = field(default_factory=set)


class BookFonts:
    """The book's fonts: gathered from every part, then written once each by the merge."""

    def __init__(self, store: Path) -> None:
        self.store = store
        self.faces: dict[str, _Face] = {}
        self.numbers: dict[str, int] = {}  # tag -> the book's object number of its one program

    def gather(self, source: pikepdf.Pdf) -> None:
        """Note the glyphs each font of this part draws."""
        for descriptor, widths in _cid_fonts(source):
            tag, key = _tag(descriptor), _program_key(descriptor)
            if tag is None or key is None:
                continue
            face = self.faces.get(tag)
            if face is None:
                found = sorted(self.store.glob(f"{tag}.*.font"))
                if not found:
                    continue
                face = self.faces[tag] = _Face(found[0], int(found[0].name.split(".")[1]), key)
            face.glyphs |= set(_cids(widths))

    def program_for(self, descriptor: pikepdf.Dictionary) -> tuple[str, str] | None:
        """(key, tag) when this font descriptor's program is the book's one program."""
        tag, key = _tag(descriptor), _program_key(descriptor)
        if tag is None or key is None or tag not in self.faces or self.faces[tag].key != key:
            return None
        return key, tag

    def subset(self, tag: str) -> tuple[bytes, bytes] | None:
        """The stream dictionary (without /Length) and the compressed data of ``tag``'s one program;
        None when fontTools cannot subset the font (the parts then keep their own subsets of it)."""
        import zlib

        face = self.faces[tag]
        try:
            data = _subset(face.original, face.index, frozenset(face.glyphs))
        except Exception:  # any font fontTools cannot take: the book stays whole with the parts' subsets
            del self.faces[tag]
            return None
        extra = b"/Subtype /OpenType" if face.key == "/FontFile3" else b"/Length1 %d" % len(data)
        return b"<< /Filter /FlateDecode %s >>" % extra, zlib.compress(data)


def _cid_fonts(source: pikepdf.Pdf) -> Iterator[tuple[pikepdf.Dictionary, pikepdf.Array]]:
    for item in source.objects:
        if not isinstance(item, pikepdf.Dictionary) or item.get("/Type") != "/Font":
            continue
        if item.get("/Subtype") not in ("/CIDFontType0", "/CIDFontType2"):
            continue
        descriptor, widths = item.get("/FontDescriptor"), item.get("/W")
        if isinstance(descriptor, pikepdf.Dictionary) and isinstance(widths, pikepdf.Array):
            yield descriptor, widths


def _tag(descriptor: pikepdf.Dictionary) -> str | None:
    found = _TAG.match(str(descriptor.get("/FontName", "")))
    return found.group(1) if found else None


def _program_key(descriptor: pikepdf.Dictionary) -> str | None:
    keys = [key for key in ("/FontFile2", "/FontFile3") if key in descriptor]
    return keys[0] if len(keys) == 1 else None


def _cids(widths: pikepdf.Array) -> Iterator[int]:
    """The CIDs (WeasyPrint's are glyph numbers) a /W array gives widths for: ``c [w…]`` or ``first last w``."""
    items = list(widths)
    position = 0
    while position < len(items):
        first = int(items[position])
        following = items[position + 1]
        if isinstance(following, pikepdf.Array):
            yield from range(first, first + len(following))
            position += 2
        else:
            yield from range(first, int(following) + 1)
            position += 3


@contextlib.contextmanager
def _quiet(name: str) -> Iterator[None]:
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


_CACHE: dict[tuple[str, int, str], bytes] = {}


def _subset(original: Path, index: int, glyphs: frozenset[int]) -> bytes:
    """The original font with only ``glyphs`` (and .notdef) drawn, every glyph keeping its number."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    digest = hashlib.sha256(",".join(map(str, sorted(glyphs))).encode()).hexdigest()
    key = (str(original), index, digest)
    if key in _CACHE:
        return _CACHE[key]
    options = subset.Options()
    options.retain_gids = True
    options.notdef_outline = True
    options.hinting = False
    options.desubroutinize = True
    options.layout_features = []
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "JSTF", "DSIG", "MATH", "kern"]
    font = TTFont(original, fontNumber=index, recalcTimestamp=False, recalcBBoxes=False)
    # WeasyPrint numbers a character the font lacks past the font's last glyph: a .notdef box either way.
    drawn = sorted(glyph for glyph in glyphs | {0} if glyph < font["maxp"].numGlyphs)
    subsetter = subset.Subsetter(options)
    with _quiet("fontTools"):  # "FFTM NOT subset; dropped" and the like: tables a PDF does not read
        subsetter.populate(gids=drawn)
        subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    _CACHE[key] = out.getvalue()
    return _CACHE[key]
