"""TeX to an SVG image with ziamath, for the PDF: WeasyPrint has no MathML (Kozea/WeasyPrint#59).

ziamath (pure Python, MIT) lays out the checked MathML with an OpenType math font
and draws the glyphs as paths, so the PDF embeds no math font and needs no TeX.
The image is sized in ``em`` and lowered by its depth, so it sits on the text's
baseline at the text's size.
"""

from __future__ import annotations

import base64
import copy
import html
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

from .mathml import MATHML_NS, NotTypeset, mathml_tree
from .tex import prepare

# ziamath's unit: the font size in its own pixels; every length below is divided by it.
_SIZE = 20.0
_MARGIN = 0.5
_WIDE_OPERATORS = frozenset("×÷·∗")
_INTEGRALS = frozenset("∫∬∭∮∯∰")
_POSTFIX = frozenset("!′″")


@dataclass(frozen=True)
class SvgFormula:
    """An SVG drawing of a formula and where it sits, in ``em`` of the surrounding text."""

    svg: str
    width: float
    height: float
    depth: float

    def img(self, alt: str) -> str:
        """An ``<img>`` carrying the drawing as a data URI, sized and lowered to the text's baseline."""
        data = base64.b64encode(self.svg.encode("utf-8")).decode("ascii")
        style = f"width:{self.width:.3f}em;height:{self.height:.3f}em;vertical-align:{-self.depth:.3f}em"
        return (
            f'<img class="math-image" src="data:image/svg+xml;base64,{data}" alt="{html.escape(alt)}" style="{style}"/>'
        )


def to_svg(tex: str, display: bool, font: str = "") -> SvgFormula:
    """The drawing of ``tex`` in ``font`` (an OpenType math font's file; ziamath's STIX Two Math
    when empty); NotTypeset where latex2mathml or ziamath cannot take it."""
    return _svg(tex, display, font)


@lru_cache(maxsize=4096)
def _svg(tex: str, display: bool, font: str) -> SvgFormula:
    import ziamath  # 0.3 s to import: only when a book has a formula

    math = _spaced_for_print(mathml_tree(prepare(tex), display), display)
    source = etree.tostring(_without_namespace(math), encoding="unicode")
    try:
        drawing = ziamath.Math(source, size=_SIZE, font=font or None, margin=_MARGIN)
        svg = drawing.svg()
        box = drawing.node.bbox
    except Exception as error:  # ziamath's layout raises plain Python errors on MathML it cannot set
        raise NotTypeset(f"ziamath cannot draw it ({type(error).__name__}: {error})") from None
    width = (box.xmax - box.xmin + 2 * _MARGIN) / _SIZE
    height = (box.ymax - box.ymin + 2 * _MARGIN) / _SIZE
    depth = (_MARGIN - box.ymin) / _SIZE
    return SvgFormula(svg, width, height, depth)


def _spaced_for_print(math: etree._Element, display: bool) -> etree._Element:
    """ziamath's spacing corrected where it differs from MathML Core's: × gets 0.2222 em a
    side (ziamath gives it 1/18 em), a factorial's ! none, and an integral in running text
    keeps its text size instead of stretching to its limits as in display."""
    math = copy.deepcopy(math)
    for operator in math.iter(f"{{{MATHML_NS}}}mo"):
        text = (operator.text or "").strip()
        if text in _WIDE_OPERATORS:
            operator.set("lspace", "0.2222em")
            operator.set("rspace", "0.2222em")
        elif text in _POSTFIX:
            operator.set("lspace", "0em")
            operator.set("rspace", "0em")
        elif text in _INTEGRALS and not display:
            operator.set("stretchy", "false")
    return math


def _without_namespace(math: etree._Element) -> etree._Element:
    for element in math.iter():
        if isinstance(element.tag, str):
            element.tag = etree.QName(element).localname
    etree.cleanup_namespaces(math)
    return math
