"""XML nested deeper than libxml2 will read, made readable with its text kept.

libxml2 refuses documents nested deeper than 2,048 levels, even with
``huge_tree``, and its recover mode then drops the rest of the feed. Only an
Atom ``type="xhtml"`` body can nest like that, and the converter flattens HTML
deeper than 64 levels anyway, so this rewrites the document with expat (which
has no depth limit) with the tags below ``max_depth`` dropped and their text
kept: a block's or a line break's place becomes a space so that words stay
apart, an image leaves its alt text, and what the sanitizer would drop whole
(scripts, styles) goes whole. libxml2 then reads the rewritten bytes as usual.
"""

from __future__ import annotations

import io
from html.entities import html5
from xml.parsers import expat
from xml.sax.saxutils import escape, quoteattr

from ..markup import SEPARATING_TAGS

MAX_XML_DEPTH = 1_024
# Whitespace in attribute values would be normalised away when read again.
_ATTRIBUTE_ENTITIES = {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}
_TEXT_ENTITIES = {"\r": "&#13;"}
# Elements whose place, once their tags are dropped, must still part the words around them:
# the converter's blocks, and line breaks.
_DROPPED_WHOLE = frozenset(["script", "style", "template"])


class _Refused(Exception):
    """The document declares entities: not rewritten (its expansion is libxml2's to bound)."""


def is_depth_error(message: str | None) -> bool:
    return "excessive depth" in (message or "").lower()


def flatten_deep_elements(data: bytes, max_depth: int = MAX_XML_DEPTH) -> tuple[bytes, int] | None:
    """The document as UTF-8 with elements below ``max_depth`` untagged, and how many were.

    None when expat cannot read it either (not well-formed, or it declares
    entities): the caller falls back to libxml2's recovery.
    """
    out = io.StringIO()
    depth = 0
    flattened = 0
    dropping = 0  # > 0 inside a script or style below the limit: nothing of it is written

    def start(name: str, attributes: list[str]) -> None:
        nonlocal depth, flattened, dropping
        depth += 1
        if depth <= max_depth:
            pairs = zip(attributes[::2], attributes[1::2], strict=True)
            written = "".join(f" {key}={quoteattr(value, _ATTRIBUTE_ENTITIES)}" for key, value in pairs)
            out.write(f"<{name}{written}>")
            return
        flattened += 1
        local = name.rpartition(":")[2].lower()
        if dropping or local in _DROPPED_WHOLE:
            dropping += 1
        elif local in SEPARATING_TAGS:
            out.write(" ")
        elif local == "img":
            values = dict(zip(attributes[::2], attributes[1::2], strict=True))
            out.write(f" {escape(values.get('alt', ''), _TEXT_ENTITIES)} ")

    def end(name: str) -> None:
        nonlocal depth, dropping
        if depth <= max_depth:
            out.write(f"</{name}>")
        elif dropping:
            dropping -= 1
        elif name.rpartition(":")[2].lower() in SEPARATING_TAGS:
            out.write(" ")
        depth -= 1

    def text(value: str) -> None:
        if not dropping:
            out.write(escape(value, _TEXT_ENTITIES))

    def skipped(name: str, is_parameter_entity: bool) -> None:
        """An entity the document does not declare (it names an external DTD): an HTML one is its character."""
        character = html5.get(f"{name};")
        if is_parameter_entity or character is None:
            raise _Refused
        text(character)

    def refuse(*_: object) -> int:
        raise _Refused

    # No namespace processing: names and xmlns attributes are written back as they were.
    parser = expat.ParserCreate()
    parser.ordered_attributes = True
    parser.specified_attributes = True  # no defaults from an <!ATTLIST> in the document's own DTD
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.SkippedEntityHandler = skipped
    try:
        parser.Parse(data, True)
    except (expat.ExpatError, _Refused):
        return None
    return out.getvalue().encode("utf-8"), flattened
