"""Sphinx's EPUB 3 builder and translator with the fixes e-readers and epubcheck ask for.

Sphinx writes the OPF ``unique-identifier`` element id into the NCX's ``dtb:uid``
where the identifier's value belongs (epubcheck NCX-001 as soon as the book has a
real identifier, such as its feed's id).
"""

from __future__ import annotations

import html
import os
import re
import time
import zipfile
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.builders import _epub_base
from sphinx.builders.epub3 import Epub3Builder
from sphinx.writers.html5 import HTML5Translator

from ..languages import DEFAULT as DEFAULT_LANGUAGE
from ..languages import is_right_to_left
from .direction import mark_language, render_with_language
from .posts import all_tags, post_dates, read_posts, rights_with_years, year_span

_ITEM = re.compile(r'<item id="[^"]*" href="(?P<href>[^"]*)" media-type="(?P<type>[^"]*)"[^>]*>')


class FeedbookEpubBuilder(Epub3Builder):
    name = "epub"

    def init(self) -> None:
        super().init()
        render_with_language(self, xhtml=True)

    def build_navigation_doc(self) -> None:
        """nav.xhtml, which Sphinx writes from a template of its own, with the book's direction."""
        super().build_navigation_doc()
        nav = Path(self.outdir) / "nav.xhtml"
        text = nav.read_text(encoding="utf-8")
        nav.write_text(mark_language(text, self.config.language or DEFAULT_LANGUAGE, xhtml=True), encoding="utf-8")

    def content_metadata(self) -> dict[str, Any]:
        """A right-to-left book's pages turn from right to left (Sphinx ties that to vertical writing)."""
        metadata = super().content_metadata()
        if is_right_to_left(self.config.language or ""):
            metadata["page_progression_direction"] = "rtl"
        return metadata

    def build_epub(self) -> None:
        """The EPUB zip, byte for byte the same for the same sources under SOURCE_DATE_EPOCH.

        Sphinx's zip takes each file's mtime; here every entry carries the epoch's time
        (or 1980-01-01 without it) and a fixed mode, in a fixed order.
        """
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        stamp = time.gmtime(int(epoch)) if epoch and epoch.isdigit() else time.gmtime(315532800)
        date_time = stamp[:6] if stamp.tm_year >= 1980 else (1980, 1, 1, 0, 0, 0)
        outname = self.config.epub_basename + ".epub"
        names = ["META-INF/container.xml", "content.opf", "toc.ncx", *self.files]
        with zipfile.ZipFile(self.outdir / outname, "w") as epub:
            for name, method in [("mimetype", zipfile.ZIP_STORED)] + [(n, zipfile.ZIP_DEFLATED) for n in names]:
                info = zipfile.ZipInfo(name, date_time=date_time)
                info.compress_type = method
                info.external_attr = 0o644 << 16
                epub.writestr(info, (self.outdir / name).read_bytes())

    def build_content(self) -> None:
        """content.opf, with what Sphinx leaves out: the EPUB 3 mark on the cover image (Sphinx
        writes only EPUB 2's <meta name="cover">), the tags as subjects, the chapters that hold MathML,
        and the newest post's date as the publication date (Sphinx writes the build's time there).

        The cover page an earlier build left in the output is removed first: Sphinx would list it
        once as a file found there and again as the cover (epubcheck RSC-005, OPF-096); the
        build writes it anew.
        """
        if self.config.epub_cover and self.config.epub_cover[1]:
            (Path(self.outdir) / self.coverpage_name).unlink(missing_ok=True)
        _trim_static(Path(self.outdir) / "_static")
        super().build_content()
        opf = self.outdir / "content.opf"
        text = opf.read_text(encoding="utf-8")
        if self.config.epub_cover:
            image = html.escape(self.config.epub_cover[0].replace(os.sep, "/"))
            item = f'href="{image}" media-type='
            text = text.replace(item, f'properties="cover-image" {item}', 1)
        posts = read_posts(Path(self.srcdir), self.config.feedbook_posts_dir)
        dates = post_dates(posts)
        if dates:
            newest = html.escape(dates[-1][:10])
            text = re.sub(r"<dc:date>[^<]*</dc:date>", f"<dc:date>{newest}</dc:date>", text, count=1)
        text = _ITEM.sub(self._with_content_properties, text)
        text = _said_once(text, dates)
        subjects = "".join(f"\n    <dc:subject>{html.escape(tag)}</dc:subject>" for tag in all_tags(posts))
        text = text.replace("</dc:language>", f"</dc:language>{subjects}", 1)
        opf.write_text(text, encoding="utf-8")

    def _with_content_properties(self, item: re.Match[str]) -> str:
        """A chapter's manifest item says it holds MathML (epubcheck OPF-014 otherwise)."""
        tag, href = item.group(0), html.unescape(item.group("href"))
        if item.group("type") != "application/xhtml+xml" or "properties=" in tag:
            return tag
        page = Path(self.outdir, href)
        if not page.is_file() or b"<math" not in page.read_bytes():
            return tag
        return tag.replace(" media-type=", ' properties="mathml" media-type=', 1)

    def get_toc(self) -> None:
        """The navigation's labels as the titles read: Sphinx runs smartypants on them even with
        ``smartquotes = False``, which turns a title's quotes curly and its "--" into a dash."""
        if self.config.smartquotes:
            super().get_toc()
            return
        educate = _epub_base.ssp
        _epub_base.ssp = _as_written
        try:
            super().get_toc()
        finally:
            _epub_base.ssp = educate

    def toc_metadata(self, level: int, navpoints: list[Any]) -> dict[str, Any]:
        metadata = super().toc_metadata(level, navpoints)
        metadata["uid"] = html.escape(self.config.epub_identifier)
        return metadata


# Sphinx's epub.css brackets a footnote call that docutils already writes as "[1]" (so "[[1]]"),
# and its search-page rule is the only use of the icons Sphinx copies into every EPUB.
_DOUBLE_BRACKETS = ("a.footnote-reference.brackets:before,\n", "a.footnote-reference.brackets:after,\n")
_SEARCH_ICON = "    background-image: url(file.png);\n"
_UNUSED_ICONS = ("file.png", "minus.png", "plus.png")


def _said_once(opf: str, dates: list[str]) -> str:
    """The metadata says nothing it does not know and nothing twice: no "unknown" description or
    contributor, no contributor who is the creator, and rights with the posts' years."""
    creator = re.search(r"<dc:creator>([^<]*)</dc:creator>", opf)
    opf = re.sub(r"\n\s*<dc:description>unknown</dc:description>", "", opf)
    contributor = re.search(r"\n\s*<dc:contributor>([^<]*)</dc:contributor>", opf)
    if contributor and (contributor.group(1) == "unknown" or (creator and contributor.group(1) == creator.group(1))):
        opf = opf.replace(contributor.group(0), "", 1)
    rights = re.search(r"<dc:rights>([^<]*)</dc:rights>", opf)
    dated = rights_with_years(rights.group(1), year_span(dates)) if rights else ""
    if rights and dated:
        opf = opf.replace(rights.group(0), f"<dc:rights>{dated}</dc:rights>", 1)
    return opf


def _trim_static(static: Path) -> None:
    css = static / "epub.css"
    if css.is_file():
        text = css.read_text(encoding="utf-8")
        for rule in (*_DOUBLE_BRACKETS, _SEARCH_ICON):
            text = text.replace(rule, "")
        css.write_text(text, encoding="utf-8")
    styles = "".join(p.read_text(encoding="utf-8") for p in static.glob("*.css"))
    for icon in _UNUSED_ICONS:
        if icon not in styles:
            (static / icon).unlink(missing_ok=True)


def _as_written(t: str, language: str = "en") -> str:
    return t


class FeedbookEpubTranslator(HTML5Translator):
    """EPUB 3 footnote semantics, so e-readers show notes as pop-ups.

    Calls get ``epub:type="noteref"`` and bodies ``epub:type="footnote"`` beside the
    ARIA roles docutils already writes.
    """

    def visit_footnote_reference(self, node: nodes.footnote_reference) -> None:
        start = len(self.body)
        super().visit_footnote_reference(node)
        self._mark(start, 'role="doc-noteref"', 'epub:type="noteref" role="doc-noteref"')

    def visit_footnote(self, node: nodes.footnote) -> None:
        start = len(self.body)
        super().visit_footnote(node)
        self._mark(start, 'role="doc-footnote"', 'epub:type="footnote" role="doc-footnote"')

    def _mark(self, start: int, role: str, marked: str) -> None:
        for index in range(start, len(self.body)):
            if role in self.body[index]:
                self.body[index] = self.body[index].replace(role, marked, 1)
                return
