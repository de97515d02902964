"""The print edition as a recipe: images for the press, the interior, the cover from its page count,
then every printer rule checked on the files and written down."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..dates import month_span
from ..pdf.front import BookInfo, PostEntry
from .cover import cover_layout, write_cover
from .greyscale import ImageWidths, greyscale_images
from .interior import Interior, write_interior
from .report import Check, check_edition, report_text
from .settings import PrintSettings


@dataclass(frozen=True)
class PrintEdition:
    interior: Interior
    cover: Path
    report: Path
    checks: list[Check]

    @property
    def failures(self) -> list[Check]:
        return [check for check in self.checks if check.status == "FAILS"]


def write_print_edition(
    book: BookInfo,
    posts: Sequence[PostEntry],
    pages_dir: Path,
    name: str,
    settings: PrintSettings,
    by_year: bool,
    warn: Callable[[str], None],
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> PrintEdition:
    """``pages_dir/<name>-interior.pdf``, ``-cover.pdf`` and ``-report.txt`` from the print pages there."""
    images = pages_dir / "_images"
    if images.is_dir():
        greyscale_images(images)  # the print build's own copies
    interior_path = pages_dir / f"{name}-interior.pdf"
    interior = write_interior(
        book, posts, pages_dir, interior_path, settings, by_year, warn, ImageWidths(images), workers, progress
    )
    layout = cover_layout(settings.printer, settings.trim, settings.paper, interior.pages)
    cover = pages_dir / f"{name}-cover.pdf"
    dates = month_span([post.date for post in posts], book.language)
    for message in write_cover(book, layout, dates, pages_dir, cover):
        warn(f"cover: {message}")
    checks = check_edition(settings, interior, cover, layout)
    report = pages_dir / f"{name}-report.txt"
    report.write_text(report_text(book.title, settings, interior, cover, checks), encoding="utf-8")
    return PrintEdition(interior, cover, report, checks)
