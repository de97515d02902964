"""SVG drawings made safe to keep as image files: shapes, text and paint only.

A post's inline ``<svg>`` (a logo, a diagram) and an SVG image are kept in the book
as files, which a reader may open straight from the site: so nothing in them may run
or reach out. What survives is an allowlist of SVG 1.1's static elements and
presentation attributes; no script, no event handler, no ``foreignObject``, no
``<style>`` sheet or ``style`` attribute (CSS has too many ways to load a URL), no
reference outside the file (``href`` and ``url()`` only to ``#id``), and no ``<use>``
of something that itself holds a ``<use>`` (nested, ten copies a level make a 1 KB
drawing that takes hours to draw). A drawing with nothing left to draw is refused.
"""

from __future__ import annotations

import base64
import html
import re

from lxml import etree

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
MAX_BYTES = 2_000_000
MAX_ELEMENTS = 50_000
DRAWING = frozenset("path rect circle ellipse line polyline polygon text use".split())  # noqa: SIM905
ELEMENTS = DRAWING | frozenset(
    "svg g defs desc title symbol tspan textPath linearGradient radialGradient stop clipPath mask pattern"  # noqa: SIM905
    " marker".split()
)
ATTRIBUTES = frozenset(
    "id class transform d x y x1 y1 x2 y2 cx cy r rx ry width height viewBox preserveAspectRatio points fill"  # noqa: SIM905
    " fill-opacity fill-rule stroke stroke-width stroke-opacity stroke-linecap stroke-linejoin stroke-dasharray"
    " stroke-dashoffset stroke-miterlimit opacity font-family font-size font-weight font-style font-variant"
    " text-anchor dominant-baseline alignment-baseline baseline-shift letter-spacing word-spacing"
    " text-decoration dx dy rotate textLength lengthAdjust offset stop-color stop-opacity gradientUnits"
    " gradientTransform spreadMethod fx fy clip-path clip-rule clipPathUnits mask maskUnits maskContentUnits"
    " patternUnits patternContentUnits patternTransform markerWidth markerHeight refX refY orient markerUnits"
    " marker-start marker-mid marker-end visibility display color vector-effect paint-order shape-rendering"
    " text-rendering version href".split()
)
# Whatever these hold goes with them: they run, load or embed something other than a drawing.
DROPPED_WITH_CONTENT = frozenset(
    "script style foreignObject image iframe video audio animate animateMotion animateTransform set"  # noqa: SIM905
    " handler listener feImage metadata".split()
)
_LOCAL_URL = re.compile(r"url\(\s*['\"]?#[\w.:-]+['\"]?\s*\)")
_LOCAL_TARGET = re.compile(r"(?:^\s*|url\(\s*['\"]?)#([\w.:-]+)")
_SVG_ELEMENT = re.compile(r"<(/?)svg\b[^>]*?(/?)>", re.I)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True)


def safe_svg(data: bytes) -> bytes:
    """``data`` as an SVG file with only what draws; ValueError saying why it cannot be kept."""
    if len(data) > MAX_BYTES:
        raise ValueError(f"an SVG drawing of more than {MAX_BYTES:,} bytes")
    try:
        root = etree.fromstring(_declared(data), _PARSER)
    except etree.XMLSyntaxError as error:
        raise ValueError(f"the SVG drawing is not well-formed XML ({error.msg})") from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise ValueError("not an SVG drawing")
    if sum(1 for _ in root.iter()) > MAX_ELEMENTS:
        raise ValueError(f"an SVG drawing of more than {MAX_ELEMENTS:,} elements")
    _strip(root)
    if not any(etree.QName(element).localname in DRAWING for element in root.iter() if isinstance(element.tag, str)):
        raise ValueError("the SVG drawing has nothing left to draw once made safe")
    etree.cleanup_namespaces(root)
    return etree.tostring(root, encoding="utf-8", xml_declaration=False)


def inline_svgs_as_images(source: str) -> tuple[str, list[str]]:
    """Each inline ``<svg>`` of an entry's HTML as an ``<img>`` of its safe drawing (a data URL),
    or as its words where it cannot be kept; returns the HTML and why each one could not."""
    if "<svg" not in source.lower():
        return source, []
    out: list[str] = []
    refused: list[str] = []
    position = 0
    for start, end in _outermost_svgs(_masked(source)):
        out.append(source[position:start])
        drawing = source[start:end]
        try:
            data = safe_svg(drawing.encode("utf-8"))
        except ValueError as error:
            refused.append(str(error))
            out.append(f"<span>{html.escape(_words(drawing))}</span>")
        else:
            url = "data:image/svg+xml;base64," + base64.b64encode(data).decode("ascii")
            out.append(f'<img src="{url}" alt="{html.escape(_label(data))}">')
        position = end
    out.append(source[position:])
    return "".join(out), refused


_NOT_MARKUP = re.compile(r"<!--.*?(?:-->|$)|<(script|style|textarea)\b.*?(?:</\1\s*>|$)", re.S | re.I)


def _masked(source: str) -> str:
    """``source`` with comments and script, style and textarea bodies blanked (same length): an
    "<svg" inside them is no drawing, and must not throw the count of open drawings off."""
    return _NOT_MARKUP.sub(lambda match: " " * len(match.group(0)), source)


def _outermost_svgs(source: str) -> list[tuple[int, int]]:
    spans, depth, start = [], 0, 0
    for tag in _SVG_ELEMENT.finditer(source):
        closing, empty = tag.group(1), tag.group(2)
        if not closing:
            if depth == 0:
                start = tag.start()
            if empty:
                if depth == 0:
                    spans.append((start, tag.end()))
                continue
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                spans.append((start, tag.end()))
    return spans


def _declared(data: bytes) -> bytes:
    """HTML lets an inline drawing leave out its namespaces; as a file it needs them. The <svg> start
    tag is looked at itself (a file may open with an XML declaration, a comment or a DOCTYPE)."""
    opening = re.search(rb"<svg\b[^>]*>", data, re.I)
    if opening is None:
        return data
    tag = opening.group(0)
    missing = b""
    if not re.search(rb"\sxmlns\s*=", tag):
        missing += f' xmlns="{SVG_NS}"'.encode()
    if b"xlink:" in data and not re.search(rb"\sxmlns:xlink\s*=", tag):
        missing += f' xmlns:xlink="{XLINK_NS}"'.encode()
    if not missing:
        return data
    at = opening.start() + 4
    return data[:at] + missing + data[at:]


def _strip(root: etree._Element) -> None:
    """Unsafe elements go with what they hold; unknown containers (``<a>``, ``<switch>``) give up
    their markup and keep their drawing; attributes outside the allowlist go."""
    for element in list(root.iter()):
        if element is root or element.getparent() is None:
            continue  # the root, or inside an element already removed
        if not isinstance(element.tag, str):
            _remove_keeping_tail(element)
            continue
        namespace, _, name = element.tag.rpartition("}")
        if namespace.lstrip("{") != SVG_NS or name in DROPPED_WITH_CONTENT:
            _remove_keeping_tail(element)
            continue
        if name not in ELEMENTS:
            _unwrap(element)
    _drop_nested_uses(root)
    ids = {element.get("id") for element in root.iter() if isinstance(element.tag, str) and element.get("id")}
    for element in root.iter():
        for name, value in list(element.attrib.items()):
            if not _safe_attribute(name, value) or not set(_LOCAL_TARGET.findall(value)) <= ids:
                del element.attrib[name]  # unsafe, or a reference to nothing in the drawing


def _drop_nested_uses(root: etree._Element) -> None:
    """A <use> may copy shapes, never another <use>: copies of copies multiply without bound."""
    by_id = {
        element.get("id"): element for element in root.iter() if isinstance(element.tag, str) and element.get("id")
    }
    use = f"{{{SVG_NS}}}use"
    for element in list(root.iter(use)):
        href = element.get("href") or element.get(f"{{{XLINK_NS}}}href") or ""
        target = by_id.get(href.strip().lstrip("#"))
        if target is None or target.tag == use or next(target.iter(use), None) is not None:
            _remove_keeping_tail(element)


def _safe_attribute(name: str, value: str) -> bool:
    local = name.rpartition("}")[2]
    if name.startswith("{") and not name.startswith(f"{{{XLINK_NS}}}"):
        return False
    if local not in ATTRIBUTES:
        return False
    if local == "href":
        return value.strip().startswith("#")
    lowered = value.lower()
    if "url(" in lowered and _LOCAL_URL.sub("", lowered).count("url(") > 0:
        return False
    return not any(word in lowered for word in ("javascript:", "expression(", "@import", "\\"))


def _remove_keeping_tail(element: etree._Element) -> None:
    parent, tail, previous = element.getparent(), element.tail, element.getprevious()
    if parent is None:
        return
    parent.remove(element)
    if tail and tail.strip():
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail


def _unwrap(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    index = parent.index(element)
    for offset, child in enumerate(list(element)):
        parent.insert(index + 1 + offset, child)
    _remove_keeping_tail(element)


def _label(data: bytes) -> str:
    """The drawing's own title or words, for the image's alt text."""
    root = etree.fromstring(data, _PARSER)
    title = root.find(f"{{{SVG_NS}}}title")
    text = title.text if title is not None and title.text else " ".join("".join(root.itertext()).split())
    return text[:200] or "drawing"


def _words(drawing: str) -> str:
    """The drawing's text, without what a script or a style sheet held."""
    drawing = re.sub(r"<(script|style)\b.*?</\1\s*>", " ", drawing, flags=re.S | re.I)
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", drawing)).split())
