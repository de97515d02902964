"""Reading a built PDF back: bookmarks, page labels, links and footnotes, with pypdf and poppler."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfReader

FOOTNOTE_TARGET = "--fn-"


@dataclass(frozen=True)
class Link:
    page: int  # 0-based index of the page the link sits on
    target: str  # the named destination
    target_page: int | None


def top_bookmarks(reader: PdfReader) -> list[tuple[str, int]]:
    """(title, page index) of each first-level bookmark."""
    return [
        (str(item.title), reader.get_destination_page_number(item))
        for item in reader.outline
        if not isinstance(item, list)
    ]


def internal_links(reader: PdfReader) -> list[Link]:
    pages = {name: reader.get_destination_page_number(dest) for name, dest in reader.named_destinations.items()}
    links = []
    for index, page in enumerate(reader.pages):
        for reference in page.get("/Annots", ()):
            annotation: Any = reference.get_object()
            target = annotation.get("/Dest")
            if isinstance(target, str):
                links.append(Link(index, str(target), pages.get(str(target))))
    return links


def footnote_calls(reader: PdfReader) -> list[Link]:
    """The first call of each footnote (later calls of the same note may sit on later pages)."""
    first: dict[str, Link] = {}
    for link in internal_links(reader):
        if FOOTNOTE_TARGET in link.target:
            first.setdefault(link.target, link)
    return list(first.values())


def page_text(pdf: Path, first: int, last: int) -> str:
    """Text of pages first..last (1-based) by poppler's pdftotext, in reading order."""
    command = ["pdftotext", "-layout", "-f", str(first), "-l", str(last), str(pdf), "-"]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def poppler_info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in out.splitlines())}


def fonts(pdf: Path) -> list[tuple[str, bool]]:
    """(font name, embedded) for every font pdffonts lists."""
    out = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        columns = line.split()
        # name type... encoding emb sub uni object-id gen: "emb" is the 5th column from the end.
        rows.append((columns[0], columns[-5] == "yes"))
    return rows
