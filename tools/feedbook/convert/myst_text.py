"""MyST text shaping: paragraphs, emphasis delimiters, indentation, list markers, the blocks tidied."""

from __future__ import annotations

import re

from . import emphasis, escape
from .code import code_spans

AROUND_BREAK = re.compile(r"[ \t]*\\\n[ \t]*")


EDGE_BREAKS = re.compile(r"^(?:\s|\\\n)+|(?:\s|\\\n)+$")


SPACES = re.compile(r" {2,}")


Blocks = list[str]


def as_paragraph(text: str) -> str:
    """Inline MyST into a paragraph: spaces collapsed, no breaks at the ends, line starts escaped."""
    if "\n" in text:
        text = AROUND_BREAK.sub("\\\n", text)
        text = EDGE_BREAKS.sub("", text)
    if "  " in text:
        text = SPACES.sub(" ", text)
    text = emphasis.resolve(code_spans(text.strip()))
    if "\n" not in text:
        return escape.escape_line_start(text)
    return "\n".join(escape.escape_line_start(line.strip()) for line in text.split("\n") if line.strip())


def delimit(inner: str, strong: bool) -> str:
    lead, core, trail = split_space(inner)
    if not core:
        return inner
    return lead + emphasis.wrap(core, strong) + trail


def split_space(text: str) -> tuple[str, str, str]:
    core = text.strip(" ")
    if not core:
        return text, "", ""
    lead = " " if text.startswith(" ") else ""
    trail = " " if text.endswith(" ") else ""
    return lead, core, trail


def indent_block(text: str, prefix: str, first: str) -> str:
    lines = text.split("\n")
    return "\n".join([first + lines[0]] + [prefix + line if line else "" for line in lines[1:]])


# A top-level item's marker: the bullet, or the delimiter after the number (lines at column 0 only).
ITEM_MARKER = re.compile(r"^(?:\d{1,9})?([-*.)]) ", re.M)


OTHER_MARKER = {"-": "*", "*": "-", ".": ")", ")": "."}


def separate_lists(blocks: Blocks) -> Blocks:
    """Two lists in a row with the same marker would read as one list: the second takes the other marker."""
    for index in range(1, len(blocks)):
        before, now = ITEM_MARKER.match(blocks[index - 1]), ITEM_MARKER.match(blocks[index])
        if before and now and before.group(1) == now.group(1):
            blocks[index] = ITEM_MARKER.sub(swap_marker, blocks[index])
    return blocks


def swap_marker(match: re.Match[str]) -> str:
    text = match.group(0)
    return text[: match.start(1) - match.start()] + OTHER_MARKER[match.group(1)] + " "


def tidy_blocks(blocks: Blocks) -> Blocks:
    """Drop empty blocks, and transitions that docutils refuses (at the ends, doubled, by a heading)."""
    blocks = [b for b in blocks if b and b.strip()]
    out: Blocks = []
    for block in blocks:
        if block == "---" and (not out or out[-1] == "---" or out[-1].lstrip().startswith("#")):
            continue
        is_heading = block.lstrip("(").startswith("#") or re.match(r"^\(.*\)=\n#", block)
        if is_heading and out and out[-1] == "---":
            out.pop()
        out.append(block)
    while out and out[-1] == "---":
        out.pop()
    return out
