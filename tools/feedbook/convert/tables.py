"""HTML tables as MyST: pipe tables where they can hold the cells, list-tables where they cannot."""

from __future__ import annotations

import re

from lxml import etree

from . import escape
from .context import Context, Walker
from .myst_text import Blocks, as_paragraph, indent_block, tidy_blocks
from .tree import cell_alignment, cell_grid, closest_table, is_block


def table_blocks(element: etree._Element, ctx: Context, walker: Walker) -> Blocks:
    """A pipe table when every cell is one line of inline text under a header row, else a list-table."""
    rows = [row for row in element.iter("tr") if closest_table(row) is element]
    if not rows:
        return walker.blocks(element, ctx)
    caption_element = element.find("caption")
    caption = (
        as_paragraph(walker.inline_children(caption_element, ctx)).replace("\n", " ")
        if caption_element is not None
        else ""
    )
    grid = cell_grid(rows)
    header = (rows[0].getparent() is not None and rows[0].getparent().tag == "thead") or all(  # type: ignore[union-attr]
        cell is None or cell.tag == "th" for cell in grid[0]
    )
    width = max(len(row) for row in grid)
    simple = (
        not caption
        and header
        and all(
            cell is None or not any(is_block(d) or d.tag in ("br", "img") for d in cell.iter() if d is not cell)
            for row in grid
            for cell in row
        )
    )
    cell_ctx = ctx.with_(cell=True, nested=True)
    if simple:
        lines = []
        for index, row in enumerate(grid):
            cells = [_pipe_cell(cell, cell_ctx, walker) for cell in row] + [""] * (width - len(row))
            lines.append("| " + " | ".join(cells) + " |")
            if index == 0:
                lines.append(
                    "|" + "|".join(cell_alignment(cell) for cell in grid[0] + [None] * (width - len(row))) + "|"
                )
        return ["\n".join(lines)]
    items = []
    for row in grid:
        cells = [_block_cell(cell, cell_ctx, walker) for cell in row] + [""] * (width - len(row))
        first = True
        for text in cells:
            prefix = "* - " if first else "  - "
            first = False
            items.append(prefix + indent_block(text, "    ", first="") if text else prefix.rstrip())
    body = "\n".join(items)
    fence = escape.fence_for(body, ":")
    options = f":header-rows: {1 if header else 0}\n"
    return [f"{fence}{{list-table}} {caption}".rstrip() + f"\n{options}\n{body}\n{fence}"]


def _pipe_cell(cell: etree._Element | None, ctx: Context, walker: Walker) -> str:
    if cell is None:
        return ""
    text = as_paragraph(walker.inline_children(cell, ctx)).replace("\n", " ")
    # Inside a table row a pipe splits cells even in code spans: escape it everywhere.
    return re.sub(r"(?<!\\)\|", r"\\|", text)


def _block_cell(cell: etree._Element | None, ctx: Context, walker: Walker) -> str:
    if cell is None:
        return ""
    return "\n\n".join(tidy_blocks(walker.blocks(cell, ctx)))
