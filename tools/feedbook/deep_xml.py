"""XML nested deeper than libxml2 will read, made readable without losing a word.

libxml2 refuses documents nested deeper than 2,048 levels, even with
``huge_tree``, and its recover mode then drops the rest of the feed. Only an
Atom ``type="xhtml"`` body can nest like that, and the converter flattens HTML
deeper than 64 levels anyway, so this rewrites the document with expat (which
has no depth limit and reads it as a stream) with the tags below ``max_depth``
dropped and their text kept; libxml2 then reads the rewritten bytes as usual.
"""

from __future__ import annotations

from xml.parsers import expat
from xml.sax.saxutils import escape, quoteattr

MAX_XML_DEPTH = 1_024
# Whitespace in attribute values would be normalised away when read again.
_ATTRIBUTE_ENTITIES = {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}
_TEXT_ENTITIES = {"\r": "&#13;"}


class _Refused(Exception):
    """The document declares entities: not rewritten (its expansion is libxml2's to bound)."""


def is_depth_error(message: str | None) -> bool:
    return "excessive depth" in (message or "").lower()


def flatten_deep_elements(data: bytes, max_depth: int = MAX_XML_DEPTH) -> tuple[bytes, int] | None:
    """The document as UTF-8 with elements below ``max_depth`` untagged, and how many were.

    None when expat cannot read it either (not well-formed, or it declares
    entities): the caller falls back to libxml2's recovery.
    """
    out: list[str] = []
    depth = 0
    flattened = 0

    def start(name: str, attributes: list[str]) -> None:
        nonlocal depth, flattened
        depth += 1
        if depth > max_depth:
            flattened += 1
            return
        pairs = zip(attributes[::2], attributes[1::2], strict=True)
        written = "".join(f" {key}={quoteattr(value, _ATTRIBUTE_ENTITIES)}" for key, value in pairs)
        out.append(f"<{name}{written}>")

    def end(name: str) -> None:
        nonlocal depth
        if depth <= max_depth:
            out.append(f"</{name}>")
        depth -= 1

    def text(value: str) -> None:
        out.append(escape(value, _TEXT_ENTITIES))

    def refuse(*_: object) -> int:
        raise _Refused

    # No namespace processing: names and xmlns attributes are written back as they were.
    parser = expat.ParserCreate()
    parser.ordered_attributes = True
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    try:
        parser.Parse(data, True)
    except (expat.ExpatError, _Refused):
        return None
    return "".join(out).encode("utf-8"), flattened
