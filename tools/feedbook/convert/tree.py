"""What the walker asks of the cleaned HTML tree: block or inline, text, anchors, table grids, image sources."""

from __future__ import annotations

import re

from lxml import etree

from ..clean.footnotes import CALL_TAG
from ..markup import BLOCK_TAGS

BLOCKISH = BLOCK_TAGS | {"iframe", "video", "audio", "center"}


def is_block(element: etree._Element) -> bool:
    return element.tag in BLOCKISH


# Markup inside <code> that a code span would lose for good; any other markup gives way to the code's text.
CODE_KEEPS = frozenset({"a", "img", CALL_TAG})


# What a role's plain text cannot hold: these keep the inner markup and give up the role.
NOT_TEXT = frozenset({"a", "img", "br", "math", "iframe", "video", "audio", "embed", "sub", "sup", CALL_TAG})


MERGEABLE = frozenset({"em", "i", "strong", "b", "code", "del", "s", "ins", "u", "mark", "sub", "sup"})


def merge_adjacent_inline(root: etree._Element) -> None:
    """<em>c</em><em>onstant</em> (a common editor artifact) would write *c**onstant*: make it one element."""
    for element in list(root.iter(*MERGEABLE)):
        following = element.getnext()
        while (
            following is not None
            and following.tag == element.tag
            and not element.tail
            and following.attrib == element.attrib
            and element.getparent() is not None
        ):
            if len(element):
                last = element[-1]
                last.tail = (last.tail or "") + (following.text or "")
            else:
                element.text = (element.text or "") + (following.text or "")
            for child in list(following):
                element.append(child)
            element.tail = following.tail
            element.getparent().remove(following)  # type: ignore[union-attr]
            following = element.getnext()


def inline_text(element: etree._Element) -> str:
    """The text of an inline element as shown: a block inside it (even empty) breaks the line, <q> gets quotes."""
    parts: list[str] = []
    for event, node in etree.iterwalk(element, events=("start", "end")):
        block = isinstance(node.tag, str) and is_block(node)
        if event == "start":
            if block or node.tag == "br":
                parts.append(" ")
            if node.tag == "q":
                parts.append("“")
            if node.text and isinstance(node.tag, str):
                parts.append(node.text)
        else:
            if node.tag == "q":
                parts.append("”")
            if block:
                parts.append(" ")
            if node.tail and node is not element:
                parts.append(node.tail)
    return "".join(parts)


def heading_anchors(element: etree._Element) -> list[str]:
    """A heading's ids: its own and those of anchors inside it (<h2><a name="x">)."""
    ids = [element.get("id")] + [a.get("id") or a.get("name") for a in element.iter("a")]
    return [anchor for anchor in ids if anchor]


def holds_block(element: etree._Element) -> bool:
    """An inline element wrapping blocks (<a><h2>…</h2></a>): its blocks are rendered as blocks."""
    return element.tag != CALL_TAG and any(
        is_block(d) and (d.tag == "hr" or "".join(d.itertext()).strip() or d.find(".//img") is not None)
        for d in element.iterdescendants()
        if isinstance(d.tag, str)
    )


def list_number(value: str | None) -> int | None:
    """An item number CommonMark can write: 0 to 999,999,999."""
    number = parse_int(value)
    return None if number is None else min(max(number, 0), 999_999_999)


def parse_int(value: str | None) -> int | None:
    """An HTML integer attribute, or None when missing or malformed."""
    try:
        return int(value.strip()) if value is not None else None
    except ValueError:
        return None


def closest_table(element: etree._Element) -> etree._Element | None:
    for ancestor in element.iterancestors():
        if ancestor.tag == "table":
            return ancestor
    return None


def cell_grid(rows: list[etree._Element]) -> list[list[etree._Element | None]]:
    """Rows of cells with col/rowspans laid out as empty cells, so every cell keeps its place."""
    grid: list[list[etree._Element | None]] = []
    pending: dict[tuple[int, int], bool] = {}
    for r, row in enumerate(rows):
        cells: list[etree._Element | None] = []
        column = 0
        for cell in (c for c in row if isinstance(c.tag, str) and c.tag in ("td", "th")):
            while pending.pop((r, column), False):
                cells.append(None)
                column += 1
            cells.append(cell)
            span = min(max(parse_int(cell.get("colspan")) or 1, 1), 50)
            rows_spanned = min(max(parse_int(cell.get("rowspan")) or 1, 1), 500)
            for extra_row in range(1, rows_spanned):
                for extra_col in range(span):
                    pending[(r + extra_row, column + extra_col)] = True
            for _ in range(span - 1):
                cells.append(None)
            column += span
        while pending.pop((r, column), False):
            cells.append(None)
            column += 1
        grid.append(cells)
    return grid


def cell_alignment(cell: etree._Element | None) -> str:
    if cell is None:
        return "---"
    align = (cell.get("align") or "").lower()
    style = (cell.get("style") or "").lower()
    match = re.search(r"text-align\s*:\s*(\w+)", style)
    align = match.group(1) if match else align
    return {"left": ":---", "right": "---:", "center": ":---:"}.get(align, "---")


def is_emoji(element: etree._Element, alt: str) -> bool:
    """WordPress and others swap emoji for <img class="emoji" alt="🌧">: the character is the content."""
    classes = (element.get("class") or "").split()
    return bool(alt) and len(alt) <= 4 and ("emoji" in classes or "wp-smiley" in classes)


def image_source(element: etree._Element) -> str:
    source = element.get("src") or element.get("data-src") or element.get("data-lazy-src") or ""
    if (not source or source.startswith("data:image/gif")) and element.get("srcset"):
        # The last (largest) candidate; URLs may hold commas (w_300,h_200), descriptors follow a space.
        candidates = SRCSET.findall(element.get("srcset", ""))
        source = candidates[-1] if candidates else ""
    return source.strip()


SRCSET = re.compile(r"\s*(\S+?)(?:\s+[\d.]+[wx])?\s*(?:,(?=\s)|,?$)")
