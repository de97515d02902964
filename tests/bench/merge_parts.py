"""Merge a folder of per-post PDFs into one, for the PDF benchmark's memory comparison.

    python merge_parts.py streamed OUT.pdf PARTS_DIR   feedbook's streaming merge (pdf/merge.py)
    python merge_parts.py qpdf OUT.pdf PARTS_DIR       pikepdf's plain merge: every page into one Pdf, then save

The second is what a merge with qpdf's own writer looks like (no tags, bookmarks or link targets
carried, so it does less work): its memory holds every part's objects until the book is saved.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pikepdf

from feedbook.pdf.merge import Part, merge_parts


def main(argv: list[str]) -> int:
    how, out, folder = argv[0], Path(argv[1]), Path(argv[2])
    parts = sorted(folder.glob("*.pdf"))
    if how == "streamed":
        merge_parts([Part(path, f"posts-{path.stem}") for path in parts], out, "en")
        return 0
    with pikepdf.Pdf.new() as book:
        opened = [pikepdf.Pdf.open(path) for path in parts]  # qpdf reads streams from them at save time
        for source in opened:
            book.pages.extend(source.pages)
        book.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
