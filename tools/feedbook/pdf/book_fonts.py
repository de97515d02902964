"""One program per font for the whole book, instead of one subset of each font in every post.

WeasyPrint embeds in each post's part a subset of every font it used, keeping the font's own
glyph numbers (HarfBuzz's ``retain-gids``), so the parts of a 500-post book carry 500 subsets
of Linux Libertine. The renderer keeps each original font file once and reports the glyphs the
part drew with it (``keep_fonts``, by WeasyPrint's tag for the font; the part cache keeps that
report with the part); the merge subsets each original once to the glyphs of every part
(fontTools, glyph numbers kept, so no page changes a byte) and points every part's font at that
one program. A subset is kept on disk until the glyphs change. Variable, colour and bitmap
fonts, which WeasyPrint transforms, keep their parts' own subsets.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import re
import tempfile
import zlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pikepdf

SUBSET_TAG = re.compile(r"^/?([A-Z]{6})\+")  # WeasyPrint's "ABCDEF+" before a font's name
_TRANSFORMED = ("fvar", "CBDT", "sbix", "COLR", "SVG ", "EBDT")

Glyphs = tuple[tuple[str, tuple[int, ...]], ...]  # (font tag, glyph numbers drawn), per part


def keep_fonts(document: Any, store: Path) -> Glyphs:
    """Keep each original font file ``document`` (a WeasyPrint document, written) drew with, once, and
    return the glyphs it drew with each: the numbers its fonts' width arrays give."""
    from weasyprint.text.fonts import get_hb_object_data

    store.mkdir(parents=True, exist_ok=True)
    drawn: dict[str, set[int]] = {}
    for font in document.fonts.values():
        if font.bitmap or font.png or font.svg or any(table in font.tables for table in _TRANSFORMED):
            continue
        drawn.setdefault(font.hash, set()).update(font.widths)
        target = store / f"{font.hash}.{font.index}.font"
        if not target.exists():
            with tempfile.NamedTemporaryFile(dir=store, delete=False, suffix=".part") as partial:
                partial.write(get_hb_object_data(font.hb_face))
            os.replace(partial.name, target)  # another worker may write the same font: both are whole
    return tuple((tag, tuple(sorted(glyphs))) for tag, glyphs in sorted(drawn.items()))


def all_glyphs(reports: Iterable[Glyphs]) -> dict[str, set[int]]:
    """Every part's report, as the glyphs each font draws anywhere in the book."""
    union: dict[str, set[int]] = {}
    for report in reports:
        for tag, glyphs in report:
            union.setdefault(tag, set()).update(glyphs)
    return union


class BookFonts:
    """The book's one program of each font, written by the merge when a part first uses it."""

    def __init__(self, store: Path, glyphs: Mapping[str, set[int]]) -> None:
        self.store = store
        # The original file of each font a part drew with ("MIHKDJ.0.font": tag, face index).
        self.originals = {path.name.split(".")[0]: path for path in sorted(store.glob("*.font"))}
        self.glyphs = {tag: frozenset(found) for tag, found in glyphs.items() if tag in self.originals}
        self.numbers: dict[tuple[str, str], int] = {}  # (tag, program key) -> the book's object number
        self.failed: set[str] = set()

    def program_for(self, descriptor: pikepdf.Dictionary) -> tuple[str, str] | None:
        """(program key, tag) when this font descriptor's program can be the book's one program."""
        found = SUBSET_TAG.match(str(descriptor.get("/FontName", "")))
        keys = [key for key in ("/FontFile2", "/FontFile3") if key in descriptor]
        if found is None or len(keys) != 1 or found.group(1) not in self.glyphs or found.group(1) in self.failed:
            return None
        return keys[0], found.group(1)

    def program(self, tag: str, key: str) -> tuple[bytes, bytes] | None:
        """The stream dictionary (without /Length) and the compressed data of ``tag``'s one program;
        None when fontTools cannot subset the font (the parts then keep their own subsets of it)."""
        try:
            data = self._subset(tag, self.originals[tag])
        except Exception:  # any font fontTools cannot take: the book stays whole with the parts' subsets
            self.failed.add(tag)
            return None
        extra = b"/Subtype /OpenType" if key == "/FontFile3" else b"/Length1 %d" % len(data)
        return b"<< /Filter /FlateDecode %s >>" % extra, zlib.compress(data)

    def _subset(self, tag: str, original: Path) -> bytes:
        """The subset, from the disk when the glyphs are the ones it was made for (a rebuild after a
        new post draws no new letter); older subsets of the font are removed."""
        glyphs = self.glyphs[tag]
        digest = hashlib.sha256(",".join(map(str, sorted(glyphs))).encode()).hexdigest()[:20]
        kept = self.store / f"{tag}.{digest}.subset"
        if kept.is_file():
            return kept.read_bytes()
        data = _subset(original, int(original.name.split(".")[1]), glyphs)
        for old in self.store.glob(f"{tag}.*.subset"):
            old.unlink(missing_ok=True)
        with tempfile.NamedTemporaryFile(dir=self.store, delete=False, suffix=".part") as partial:
            partial.write(data)
        os.replace(partial.name, kept)
        return data


def _subset(original: Path, index: int, glyphs: frozenset[int]) -> bytes:
    """The original font with only ``glyphs`` (and .notdef) drawn, every glyph keeping its number."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

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
    return out.getvalue()


@contextlib.contextmanager
def _quiet(name: str) -> Iterator[None]:
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)
