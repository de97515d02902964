"""Compare each entry's source HTML with the page Sphinx built from its chapter.

The reference is what a reader of the blog saw: the entry's HTML with script and
style removed (WordPress export bodies rendered as WordPress would), and without
what is chrome rather than content (code line-number gutters, footnote backlink
arrows). It is computed from the source with lxml, independently of the converter.

Run as a script to print the per-feed table:  python tests/fidelity.py [FEED ...]
"""

from __future__ import annotations

import collections
import json
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from feedbook.clean.sanitize import render_wordpress
from feedbook.diagnostics import Reporter
from feedbook.sources.feed import Entry, parse_feed

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
# A CJK character is a word of its own: those scripts do not separate words with spaces.
WORD = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")
BLOCKS = frozenset(
    [
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "pre",
        "blockquote",
        "table",
        "tr",
        "td",
        "th",
        "dt",
        "dd",
        "dl",
        "figure",
        "figcaption",
        "br",
        "hr",
        "section",
        "article",
        "aside",
        "header",
        "footer",
        "details",
        "summary",
        "caption",
        "sup",
        "sub",
    ]
)
LEAKS = ("[^", "{.", "\\*", "<sup>", "&amp;", "](", "{sub}", "{sup}", "(post-")


@dataclass
class EntryReport:
    id: str
    slug: str
    words: int
    recall: float
    missing_words: list[str] = field(default_factory=list)
    footnotes_expected: int = 0
    footnotes_found: int = 0
    links_missing: list[str] = field(default_factory=list)
    images_missing: list[str] = field(default_factory=list)
    code_expected: int = 0
    code_found: int = 0
    tables_expected: int = 0
    tables_found: int = 0
    leaks: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            self.recall >= 0.995
            and self.footnotes_found >= self.footnotes_expected
            and not self.links_missing
            and not self.images_missing
            and self.code_found >= self.code_expected
            and self.tables_found >= self.tables_expected
            and not self.leaks
        )


def reference_tree(entry: Entry) -> lxml_html.HtmlElement:
    source = render_wordpress(entry.content) if entry.raw_wordpress else entry.content
    root = lxml_html.fragment_fromstring(source or "<p></p>", create_parent="div")
    for element in root.xpath(
        "//script|//style|//noscript|//template|//svg|//td[contains(@class,'gutter') or contains(@class,'linenos')]"
    ):
        element.drop_tree()
    _drop_headings_of_notes_alone(root)
    return formulas_as_tex(root)


def _drop_headings_of_notes_alone(root: lxml_html.HtmlElement) -> None:
    """A "Notes" heading over the notes list and nothing else: the book moves the notes, so the heading goes."""
    for heading in root.xpath("//h1|//h2|//h3|//h4|//h5|//h6"):
        section = []
        for sibling in heading.itersiblings():
            if not isinstance(sibling.tag, str):
                continue
            if sibling.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                break
            section.append(sibling)
        notes = [s for s in section if "footnote" in (s.get("class") or "") or s.get("role") == "doc-endnotes"]
        if notes and all(s.tag == "hr" or s in notes for s in section):
            heading.drop_tree()


def formulas_as_tex(root: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    """A formula's words are its TeX, in the feed and in the book: not MathML's glyphs plus the annotation."""
    for math in root.xpath("//*[local-name()='math'][.//*[local-name()='annotation'][contains(@encoding,'tex')]]"):
        tex = math.xpath(".//*[local-name()='annotation'][contains(@encoding,'tex')]")[0].text_content()
        replacement = lxml_html.Element("span")
        replacement.text = tex
        replacement.tail = math.tail
        math.getparent().replace(math, replacement)
    return root


def words(text: str) -> collections.Counter[str]:
    return collections.Counter(WORD.findall(text))


def visible_text(root: lxml_html.HtmlElement, *, scripts_apart: bool = True) -> str:
    """Text as a browser lays it out: blocks and line breaks separate words.

    With ``scripts_apart``, a non-empty <sup>/<sub> outside code is a word of its own
    (a footnote call, an exponent), as the rendered page's footnote brackets make it.
    """
    parts: list[str] = []
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if not isinstance(element.tag, str):
            if event == "end" and element.tail:
                parts.append(element.tail)
            continue
        # A superscript is set apart from its word (a footnote call, an exponent); an empty one is nothing.
        boundary = element.tag in BLOCKS and (
            element.tag not in ("sup", "sub")
            or (scripts_apart and element.text_content() and next(element.iterancestors("pre"), None) is None)
        )
        if event == "start":
            if boundary:
                parts.append(" ")
            if element.tag == "q":  # browsers add the quotation marks
                parts.append("“")
            if element.text:
                parts.append(element.text)
        else:
            if element.tag == "q":
                parts.append("”")
            if boundary:
                parts.append(" ")
            if element.tail and element is not root:
                parts.append(element.tail)
    return "".join(parts)


def _page_main(page: Path) -> lxml_html.HtmlElement:
    tree = lxml_html.parse(str(page)).getroot()
    main = tree.xpath("//article") or tree.xpath("//*[@role='main']") or [tree]
    return main[0]


def _expected_footnotes(root: lxml_html.HtmlElement) -> int:
    """Notes linked from the text: targets of noteref-looking links that sit in a notes list or block."""
    ids = {el.get("id") or el.get("name"): el for el in root.iter() if el.get("id") or el.get("name")}
    bodies = set()
    for link in root.iter("a"):
        href = link.get("href") or ""
        if not href.startswith("#") or href[1:] not in ids:
            continue
        target = ids[href[1:]]
        text = link.text_content().strip()
        noteref = (
            "noteref" in (link.get("role") or "")
            or "footnote" in (link.get("class") or "")
            or "footnote" in (link.get("rel") or "")
            or (link.getparent() is not None and link.getparent().tag == "sup")
            or link.find("sup") is not None
        )
        if not noteref and not re.match(r"^#(fn|footnote|note)", href):
            continue
        if not text or re.search(r"[\u21a9\u21e1]", text):
            continue
        holder = target if target.tag == "li" else next((a for a in target.iterancestors("li")), None)
        if holder is None:
            holder = next(
                (a for a in [target, *target.iterancestors()] if "footnote" in (a.get("class") or "")),
                None,
            )
        if holder is not None and link not in set(holder.iter("a")):
            bodies.add(id(holder))
    return len(bodies)


def _external_links(root: lxml_html.HtmlElement) -> set[str]:
    links = set()
    for link in root.iter("a"):
        href = (link.get("href") or "").strip()
        if urllib.parse.urlsplit(href).scheme in ("http", "https") and "".join(link.itertext()).strip():
            links.add(href)
    return links


def check_entry(entry: Entry, slug: str, page: Path, post_links: dict[str, str]) -> EntryReport:
    reference = reference_tree(entry)
    source_text = visible_text(reference)
    rendered = formulas_as_tex(_page_main(page))
    rendered_text = visible_text(rendered)
    expected = words(source_text)
    found = words(rendered_text)
    total = sum(expected.values())
    missing = expected - found
    recall = 1.0 if total == 0 else 1 - sum(missing.values()) / total
    report = EntryReport(entry.id, slug, total, recall, sorted(missing)[:12])
    report.footnotes_expected = _expected_footnotes(reference)
    # A real footnote under the post, or a sidenote in the margin (one checkbox per note: the theme
    # may keep two copies of a note's text, one for wide and one for narrow screens).
    report.footnotes_found = len(rendered.xpath("//aside[contains(@class,'footnote') and @role='doc-footnote']")) + len(
        rendered.xpath("//input[contains(@class,'margin-toggle')][starts-with(@id,'sidenote-role-')]")
    )
    rendered_hrefs = {urllib.parse.unquote(a.get("href") or "").strip() for a in rendered.iter("a")}
    base = entry.base_url
    for href in _external_links(reference):
        absolute = urllib.parse.unquote(urllib.parse.urljoin(base, href) if base else href).strip()
        if absolute in rendered_hrefs or urllib.parse.unquote(href).strip() in rendered_hrefs:
            continue
        if _normalize(absolute) in post_links:  # a link to another post became an internal reference
            continue
        if absolute.split("#")[0] == entry.link:  # a link to the post itself
            continue
        report.links_missing.append(href)
    rendered_images = {Path(img.get("src", "")).name for img in rendered.iter("img")}
    for img in reference.iter("img"):
        src = (img.get("src") or img.get("data-src") or "").strip()
        if not src or src.startswith("data:") or re.search(r"emoji|wp-smiley", img.get("class") or ""):
            continue
        absolute = urllib.parse.unquote(urllib.parse.urljoin(base, src) if base else src)
        if absolute in rendered_hrefs or urllib.parse.urlsplit(absolute).scheme not in ("http", "https"):
            continue
        # An image inside a link: with the image not fetched, the link to the full picture remains.
        holder = next(img.iterancestors("a"), None)
        if holder is not None and _link_present(holder.get("href") or "", base, rendered_hrefs):
            continue
        if not rendered_images:
            report.images_missing.append(src)
    report.code_expected = sum(
        1
        for pre in reference.iter("pre")
        if pre.text_content().strip() and "line-numbers" not in (pre.get("class") or "")
    )
    report.code_found = len(rendered.xpath("//div[contains(@class,'highlight')]/pre"))
    report.tables_expected = sum(
        1
        for table in reference.iter("table")
        if not table.xpath(".//td[contains(@class,'code')]") and table.xpath(".//td|.//th")
    )
    report.tables_found = len(rendered.xpath("//table[not(ancestor::div[contains(@class,'highlight')])]"))
    for leak in LEAKS:
        if leak in rendered_text and leak not in source_text:
            report.leaks.append(leak)
    return report


def _link_present(href: str, base: str, rendered_hrefs: set[str]) -> bool:
    absolute = urllib.parse.unquote(urllib.parse.urljoin(base, href) if base else href).strip()
    return absolute in rendered_hrefs


def _normalize(url: str) -> str:
    from feedbook.convert.labels import normalize_post_url

    return normalize_post_url(url)


@dataclass
class FeedReport:
    feed: str
    entries: list[EntryReport]
    converted: bool = True
    error: str = ""

    @property
    def min_recall(self) -> float:
        return min((e.recall for e in self.entries), default=1.0)


def build_feed_book(feed_path: Path, workdir: Path) -> tuple[Path, Path, subprocess.CompletedProcess[str]]:
    """`feedbook init --offline` then a strict Sphinx HTML build; returns (book, html dir, build process)."""
    book = workdir / "book"
    out = workdir / "out"
    init = subprocess.run(
        [sys.executable, "-m", "feedbook", "init", str(book), "--feed", str(feed_path), "--offline"],
        capture_output=True,
        text=True,
    )
    if init.returncode != 0:
        return book, out, init
    build = subprocess.run(
        [sys.executable, "-m", "feedbook", "build", "html", "--book", str(book), "--out", str(out)],
        capture_output=True,
        text=True,
    )
    return book, out / "html", build


def check_feed(feed_path: Path, workdir: Path) -> FeedReport:
    book, html_dir, process = build_feed_book(feed_path, workdir)
    if process.returncode != 0:
        return FeedReport(feed_path.name, [], converted=False, error=process.stderr.strip())
    state = json.loads((book / "feedbook.json").read_text())
    post_links = {_normalize(r["link"]): r["slug"] for r in state["posts"].values() if r.get("link")}
    feed = parse_feed(feed_path.read_bytes(), feed_path.name, Reporter())
    reports = []
    for entry in feed.entries:
        slug = state["posts"][entry.id]["slug"]
        reports.append(check_entry(entry, slug, html_dir / "posts" / f"{slug}.html", post_links))
    return FeedReport(feed_path.name, reports)


def print_table(reports: list[FeedReport]) -> None:
    header = (
        f"{'feed':58} {'entries':>7} {'words':>8} {'min recall':>10} {'notes':>9} {'code':>9} {'tables':>9} {'ok':>3}"
    )
    print(header)
    for report in reports:
        if not report.converted:
            print(f"{report.feed[:58]:58} {'error: ' + report.error.splitlines()[-1][:80]}")
            continue
        entries = report.entries
        notes = f"{sum(e.footnotes_found for e in entries)}/{sum(e.footnotes_expected for e in entries)}"
        code = f"{sum(e.code_found for e in entries)}/{sum(e.code_expected for e in entries)}"
        tables = f"{sum(e.tables_found for e in entries)}/{sum(e.tables_expected for e in entries)}"
        ok = "yes" if all(e.ok for e in entries) else "NO"
        print(
            f"{report.feed[:58]:58} {len(entries):7} {sum(e.words for e in entries):8} "
            f"{report.min_recall:10.4f} {notes:>9} {code:>9} {tables:>9} {ok:>3}"
        )


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(FEEDS.glob("*.xml"))
    reports = []
    for path in paths:
        workdir = Path(tempfile.mkdtemp(prefix="feedbook-fidelity-"))
        try:
            reports.append(check_feed(path, workdir))
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    print_table(reports)
    for report in reports:
        for entry in report.entries:
            if not entry.ok:
                print(f"  {report.feed} {entry.slug}: {entry}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
