"""TeX to MathML with latex2mathml, kept only when it is MathML and nothing else.

latex2mathml (pure Python, MIT) converts every formula of the corpus feeds. It is
lenient, and the TeX comes from a feed: an unknown command comes back as an
``<mi>\\foo</mi>``, ``\\text{<b>}`` as raw markup, ``\\href`` as a link attribute.
So its output is parsed as XML and checked against the MathML elements and
attributes a formula needs; anything else makes the formula stay TeX.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from latex2mathml.converter import convert
from lxml import etree

from .tex import Formula, prepare

MATHML_NS = "http://www.w3.org/1998/Math/MathML"
ELEMENTS = frozenset(
    "math semantics annotation mrow mi mo mn ms mtext mspace msup msub msubsup mfrac msqrt mroot mover munder"  # noqa: SIM905
    " munderover mtable mtr mtd mlabeledtr mstyle mpadded mphantom menclose merror mfenced mmultiscripts"
    " mprescripts none".split()
)
ATTRIBUTES = frozenset(
    "display mathvariant stretchy fence form separator separators lspace rspace largeop movablelimits accent"  # noqa: SIM905
    " accentunder linethickness columnalign rowalign columnspacing rowspacing columnlines rowlines frame"
    " framespacing displaystyle scriptlevel width height depth voffset notation linebreak mathcolor"
    " mathbackground mathsize minsize maxsize symmetric open close align columnspan rowspan equalrows"
    " equalcolumns side bevelled numalign denomalign encoding".split()
)
# Attribute values are words, numbers with units, or colours: never a URL, a quote or CSS.
_SAFE_VALUE = re.compile(r"[\w.#%+\- ]*")
_UNKNOWN_COMMAND = re.compile(r"\\[A-Za-z]+")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


class NotTypeset(ValueError):
    """A formula that stays TeX; the message says why."""


def to_mathml(tex: str, display: bool) -> str:
    """``<math>`` for ``tex``, its TeX kept as the annotation and the alt text; NotTypeset if it cannot be."""
    return _mathml(tex, display)


@lru_cache(maxsize=4096)
def _mathml(tex: str, display: bool) -> str:
    math = mathml_tree(prepare(tex), display)
    annotated = etree.Element(f"{{{MATHML_NS}}}math", nsmap={None: MATHML_NS})
    annotated.set("display", "block" if display else "inline")
    annotated.set("alttext", tex)
    semantics = etree.SubElement(annotated, f"{{{MATHML_NS}}}semantics")
    row = etree.SubElement(semantics, f"{{{MATHML_NS}}}mrow")
    row.extend(list(math))
    annotation = etree.SubElement(semantics, f"{{{MATHML_NS}}}annotation", encoding="application/x-tex")
    annotation.text = tex
    return etree.tostring(annotated, encoding="unicode")


def mathml_tree(formula: Formula, display: bool) -> etree._Element:
    """The checked ``<math>`` element of a prepared formula (no annotation)."""
    if not formula.tex:
        raise NotTypeset("the formula is empty")
    try:
        source = convert(formula.tex, display="block" if display else "inline")
    except Exception as error:  # latex2mathml raises its own and plain Python errors for bad TeX
        raise NotTypeset(f"latex2mathml cannot read it ({type(error).__name__}: {error})") from None
    try:
        math = etree.fromstring(source.encode("utf-8"), _PARSER)
    except etree.XMLSyntaxError:
        raise NotTypeset("latex2mathml wrote markup that is not MathML") from None
    _check(math)
    return math


def _check(math: etree._Element) -> None:
    for element in math.iter():
        if not isinstance(element.tag, str):
            raise NotTypeset("latex2mathml wrote markup that is not MathML")
        namespace, _, name = element.tag.rpartition("}")
        if namespace.lstrip("{") != MATHML_NS or name not in ELEMENTS:
            raise NotTypeset(f"latex2mathml wrote <{name}>, which is not MathML")
        for attribute, value in element.attrib.items():
            if attribute not in ATTRIBUTES or not _SAFE_VALUE.fullmatch(value):
                raise NotTypeset(f"latex2mathml wrote {attribute}={html.escape(value)!r}, not a formula's")
        if name in ("mi", "mo", "mtext") and element.text:
            command = _UNKNOWN_COMMAND.search(element.text)
            if command:
                raise NotTypeset(f"latex2mathml does not know {command.group()}")
