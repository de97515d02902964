"""The print edition a book asks for: ``feedbook_print_*`` in conf.py, or ``feedbook build print``'s flags."""

from __future__ import annotations

from dataclasses import dataclass

from .printers import Printer, Trim

LINK_MODES = ("footnotes", "list")  # an external link's URL: a note at the page's foot, or a list after the post
PART_MODES = ("post", "year")  # what opens on a right-hand page: every post, or every year's part


@dataclass(frozen=True)
class PrintSettings:
    printer: Printer
    trim: Trim
    paper: str
    links: str = "footnotes"
    parts: str = "post"
