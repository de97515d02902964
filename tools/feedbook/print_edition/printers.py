"""What each print-on-demand service asks of a paperback's two files, as numbers.

Sources (with the evidence for each figure) are in the project's print research: KDP's
paperback help pages, Lulu's book-creation and spine pages, IngramSpark's file requirements.
All lengths are inches, as the three services publish them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

BLEED = 0.125  # every service: on the cover's four outer edges, and on an interior page that bleeds
MIN_MARGIN = 0.5  # outside, top and bottom, folios and running heads included (IngramSpark's and Lulu's rule)
PPI_WANTED = 300  # every service asks for at least this at printed size


@dataclass(frozen=True)
class Trim:
    """A trimmed page: width and height in inches, and the name it was asked by."""

    name: str
    width: float
    height: float

    def __str__(self) -> str:
        return f"{_inches(self.width)} x {_inches(self.height)} in"

    def same_size(self, other: Trim) -> bool:
        return abs(self.width - other.width) < 0.011 and abs(self.height - other.height) < 0.011


NAMED_TRIMS = {
    "a5": Trim("a5", 5.83, 8.27),
    "digest": Trim("digest", 5.5, 8.5),
    "novella": Trim("novella", 5.0, 8.0),
    "trade": Trim("trade", 6.0, 9.0),
    "royal": Trim("royal", 6.14, 9.21),
    "executive": Trim("executive", 7.0, 10.0),
    "letter": Trim("letter", 8.5, 11.0),
}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*x\s*(\d+(?:\.\d+)?)\s*(in|mm)\s*$", re.IGNORECASE)


def parse_trim(text: str) -> Trim:
    """``6x9in``, ``148x210mm`` or a name (``a5``, ``trade``…) as a Trim; ValueError says what is accepted."""
    named = NAMED_TRIMS.get(text.strip().lower())
    if named is not None:
        return named
    match = _SIZE.match(text)
    if match is None:
        names = ", ".join(NAMED_TRIMS)
        raise ValueError(f"trim {text!r}: give WIDTHxHEIGHTin or WIDTHxHEIGHTmm (6x9in, 148x210mm) or one of {names}")
    scale = 1 / 25.4 if match.group(3).lower() == "mm" else 1.0
    width, height = float(match.group(1)) * scale, float(match.group(2)) * scale
    if not (2 <= width <= 20 and 2 <= height <= 20 and width < height):
        raise ValueError(f"trim {text!r}: a portrait page between 2 and 20 in on each side, narrower than tall")
    return Trim(text.strip().lower(), round(width, 3), round(height, 3))


def _inches(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Printer:
    """One service's rules for a black-and-white paperback (perfect bound)."""

    key: str
    name: str
    pages: tuple[int, int]  # the fewest and most interior pages it binds
    standard_trims: tuple[tuple[float, float], ...]
    custom_trims: tuple[float, float, float, float] | None  # width and height ranges, when it takes any size
    inside_margins: tuple[tuple[int, float], ...]  # (up to this many pages, at least this inside margin)
    inside_rule: str  # the rule as the service states it, for the report
    spine_per_page: Callable[[int, str], float]
    spine_text_pages: int  # below this, the spine is too thin for text
    papers: tuple[str, ...]
    barcode: tuple[float, float, float]  # width, height, distance from the spine and the bottom trim
    annotations: bool  # links and bookmarks allowed in the interior
    full_fonts: bool  # the service asks for fonts embedded whole, not as subsets
    max_ppi: int | None  # images above this are refused or resampled by the service
    pdf_x: bool = False  # the service asks for a PDF/X file

    def inside_margin(self, pages: int) -> float:
        """The inside margin this service asks for a book of ``pages`` pages."""
        for up_to, margin in self.inside_margins:
            if pages <= up_to:
                return margin
        return self.inside_margins[-1][1]

    def spine(self, pages: int, paper: str) -> float:
        """The spine's width in inches for ``pages`` interior pages on ``paper``."""
        return self.spine_per_page(pages, paper)

    def takes_trim(self, trim: Trim) -> bool:
        if any(abs(trim.width - w) < 0.011 and abs(trim.height - h) < 0.011 for w, h in self.standard_trims):
            return True
        if self.custom_trims is None:
            return False
        low_w, high_w, low_h, high_h = self.custom_trims
        return low_w <= trim.width <= high_w and low_h <= trim.height <= high_h

    def is_standard(self, trim: Trim) -> bool:
        return any(abs(trim.width - w) < 0.011 and abs(trim.height - h) < 0.011 for w, h in self.standard_trims)


# Spines in thousandths of an inch, as the services' calculators give them: Lulu's rounded up
# (6 x 9 in, 200 pages: 0.511 in, so 12.761 in across), KDP's and IngramSpark's to the nearest.
def _kdp_spine(pages: int, paper: str) -> float:
    return round(pages * (0.0025 if paper == "cream" else 0.002252), 3)


def _lulu_spine(pages: int, paper: str) -> float:
    return _up(pages / 444 + 0.06)  # the same on every paper


def _ingram_spine(pages: int, paper: str) -> float:
    return round(pages / (444 if paper == "cream" else 512), 3)  # pages per inch of creme 50# and white 50#


def _up(inches: float) -> float:
    return math.ceil(round(inches * 1000, 6)) / 1000


PRINTERS = {
    "kdp": Printer(
        key="kdp",
        name="Amazon KDP",
        pages=(24, 828),
        standard_trims=(
            (5, 8),
            (5.06, 7.81),
            (5.25, 8),
            (5.5, 8.5),
            (6, 9),
            (6.14, 9.21),
            (6.69, 9.61),
            (7, 10),
            (7.44, 9.69),
            (7.5, 9.25),
            (8, 10),
            (8.25, 6),
            (8.25, 8.25),
            (8.27, 11.69),
            (8.5, 8.5),
            (8.5, 11),
        ),
        custom_trims=(4.0, 8.5, 6.0, 11.69),
        inside_margins=((150, 0.375), (300, 0.5), (500, 0.625), (700, 0.75), (828, 0.875)),
        inside_rule="0.375 in to 150 pages, 0.5 to 300, 0.625 to 500, 0.75 to 700, 0.875 to 828",
        spine_per_page=_kdp_spine,
        spine_text_pages=79,
        papers=("white", "cream"),
        barcode=(2.0, 1.2, 0.25),
        annotations=False,  # "no ... bookmarks, comments, annotations" in the interior
        full_fonts=True,  # "we recommend that fonts be fully embedded, rather than embedding as subsets"
        max_ppi=None,
    ),
    "lulu": Printer(
        key="lulu",
        name="Lulu",
        pages=(32, 800),
        standard_trims=(
            (4.25, 6.875),
            (5, 8),
            (5.5, 8.5),
            (5.83, 8.27),
            (6, 9),
            (6.14, 9.21),
            (6.63, 10.25),
            (7, 10),
            (7.44, 9.68),
            (7.5, 7.5),
            (8.27, 11.69),
            (8.5, 8.5),
            (8.5, 11),
        ),
        custom_trims=None,
        inside_margins=((60, 0.5), (150, 0.625), (400, 1.0), (600, 1.125), (800, 1.25)),
        inside_rule="recommended: 0.5 in below 60 pages, 0.625 to 150, 1 to 400, 1.125 to 600, 1.25 beyond",
        spine_per_page=_lulu_spine,
        spine_text_pages=81,
        papers=("white", "cream"),
        barcode=(3.625, 1.25, 0.375),
        annotations=True,
        full_fonts=False,
        max_ppi=600,
    ),
    "ingramspark": Printer(
        key="ingramspark",
        name="IngramSpark",
        pages=(18, 1200),
        standard_trims=(
            (5, 8),
            (5.06, 7.81),
            (5.25, 8),
            (5.5, 8.5),
            (5.83, 8.27),
            (6, 9),
            (6.14, 9.21),
            (6.69, 9.61),
            (7, 10),
            (7.44, 9.69),
            (7.5, 9.25),
            (8, 10),
            (8.25, 11),
            (8.5, 8.5),
            (8.5, 11),
        ),
        custom_trims=None,
        # Its rule is 0.5 in on every side; a thicker book still needs more in its fold, so the
        # inside margin grows with the page count as KDP's does, never below that 0.5.
        inside_margins=((300, 0.5), (500, 0.625), (700, 0.75), (1200, 0.875)),
        inside_rule="at least 0.5 in on every side",
        spine_per_page=_ingram_spine,
        spine_text_pages=48,
        papers=("white", "cream"),
        barcode=(2.0, 1.2, 0.25),
        annotations=True,
        full_fonts=True,  # "all fonts must be embedded"
        max_ppi=None,
        pdf_x=True,  # "files should be PDF/X-1a:2001 or PDF/X-3:2002 compliant"
    ),
}


def inside_minimum(printer: Printer, pages: int) -> float:
    """The least inside margin the service accepts (its rule, not feedbook's comfort)."""
    return MIN_MARGIN if printer.key == "ingramspark" else printer.inside_margin(pages)


def cover_size(trim: Trim, spine: float) -> tuple[float, float]:
    """The one-piece cover's width and height, bleed included: back, spine and front side by side."""
    return 2 * trim.width + spine + 2 * BLEED, trim.height + 2 * BLEED


def even(pages: int) -> int:
    """Pages as the services count them: a sheet has two sides."""
    return int(math.ceil(pages / 2) * 2)
