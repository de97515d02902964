"""Whether a formula can be set in every format: as MathML (site, EPUB) and as an SVG image (PDF)."""

from __future__ import annotations

from .mathml import NotTypeset, to_mathml
from .svg import to_svg
from .tex import display_tex


def unset_formula(tex: str, display: bool) -> str | None:
    """Why ``tex`` cannot be set by one of the book's renderers, or None when both take it.

    The display form is the one the build draws (equations split at blank lines, lines
    broken by ``\\\\`` as a table), so what passes here passes there.
    """
    drawn = display_tex(tex) if display else tex
    try:
        to_mathml(drawn, display)
        to_svg(drawn, display)
    except NotTypeset as why:
        return str(why)
    return None
