"""Feed bytes into an lxml tree: the encoding found, forbidden characters dropped, broken XML recovered.

The XML parser never loads a DTD, never expands external entities and never
touches the network.
"""

from __future__ import annotations

import re

import charset_normalizer
from lxml import etree

from ..diagnostics import FeedbookError
from .deep_xml import MAX_XML_DEPTH, flatten_deep_elements, is_depth_error

_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*\?>", re.ASCII)


def _parser(recover: bool) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        # XML nesting up to 2,048 levels (256 without): a deep Atom xhtml body keeps its words.
        # The limits it relaxes guard entity expansion, and entities are never expanded here
        # (no DTD, no network; the billion-laughs and quadratic-blowup tests hold).
        huge_tree=True,
        recover=recover,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(data: bytes, source: str, url: str) -> tuple[etree._Element, str, str]:
    """The document's root, what had to be mended to read it, and the syntax error recovered from ("" if none)."""
    base = url or None
    data = _undeclared_utf8(data)
    try:
        return (*_parse_strictly(data, base), "")
    except etree.XMLSyntaxError as first_error:
        error = first_error
    if _is_entity_bomb(error):
        raise FeedbookError(f"{source}: entity expansion beyond the parser's limits (a 'billion laughs' feed?)")
    # The commonest breakages are an encoding that is missing or lies, and characters XML forbids
    # (control characters, &#0;): transcode to UTF-8, drop those characters, and parse strictly again,
    # because libxml2's recover mode silently loses every entity after the first error.
    text = _decode(data)
    if text is not None:
        cleaned, dropped = _drop_forbidden_characters(text)
        utf8 = _DECLARATION.sub(b"", cleaned.encode("utf-8"), count=1)
        try:
            root, flattened = _parse_strictly(utf8, base)
        except etree.XMLSyntaxError:
            data = utf8
        else:
            removed = f"removed {dropped} character(s) that XML does not allow" if dropped else ""
            return root, "; ".join(note for note in (removed, flattened) if note), ""
    root = None
    try:
        root = etree.fromstring(data, _parser(True), base_url=base)
    except etree.XMLSyntaxError:
        root = None
    where = f"line {error.lineno}: " if getattr(error, "lineno", None) else ""
    if root is None or not isinstance(root.tag, str):
        raise FeedbookError(f"{source}: not a well-formed feed ({where}{_first_line(error.msg)})")
    syntax_error = f"{where}{_first_line(error.msg)}"
    return root, f"not well-formed XML ({syntax_error}); read what could be recovered", syntax_error


def _parse_strictly(data: bytes, base: str | None) -> tuple[etree._Element, str]:
    """The root; a document nested too deep for libxml2 is read again with its deepest tags dropped."""
    try:
        return etree.fromstring(data, _parser(False), base_url=base), ""
    except etree.XMLSyntaxError as error:
        flat = flatten_deep_elements(data) if is_depth_error(error.msg) else None
        if flat is None:
            raise
    flattened, count = flat
    note = f"{count} element(s) nested deeper than {MAX_XML_DEPTH:,} levels lost their tags (text kept)"
    return etree.fromstring(flattened, _parser(False), base_url=base), note


_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


_CHARACTER_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")


def _drop_forbidden_characters(text: str) -> tuple[str, int]:
    """XML 1.0 forbids most control characters, as raw text or as references (&#0;, &#xD800;)."""
    dropped = 0

    def reference(match: re.Match[str]) -> str:
        nonlocal dropped
        code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
        allowed = code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
        allowed = allowed or 0x10000 <= code <= 0x10FFFF
        if allowed:
            return match.group(0)
        dropped += 1
        return ""

    text = _CHARACTER_REFERENCE.sub(reference, text)
    text, count = _FORBIDDEN.subn("", text)
    return text, dropped + count


def _is_entity_bomb(error: etree.XMLSyntaxError) -> bool:
    message = (error.msg or "").lower()
    return "amplification" in message or "entity reference loop" in message or "entity loop" in message


def _undeclared_utf8(data: bytes) -> bytes:
    """A feed that declares Latin-1 but whose bytes are valid UTF-8 is UTF-8 (the reverse lie is rare)."""
    declared = re.match(
        rb'^\s*<\?xml[^>]*encoding=["\']((?:iso-?8859-1|latin-?1|windows-1252|cp1252))["\']', data, re.I
    )
    if declared is None or data.isascii():
        return data
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    return data[: declared.start(1)] + b"utf-8" + data[declared.end(1) :]


def _first_line(message: str | None) -> str:
    return (message or "syntax error").splitlines()[0].strip()


def _decode(data: bytes) -> str | None:
    """Best-effort text of a feed whose bytes are not what they claim to be."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                break
    declared = re.search(rb'^\s*<\?xml[^>]*encoding=["\']([A-Za-z0-9._-]+)', data)
    if declared:
        try:
            return data.decode(_codec(declared.group(1).decode("ascii")))
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        return None
    # Between the single-byte Western code pages the bytes of a few accented letters cannot
    # decide; the web's answer (WHATWG) is windows-1252, by far the commonest mislabelled one.
    if best.encoding.startswith(_SINGLE_BYTE_LATIN):
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    return str(best)


_SINGLE_BYTE_LATIN = ("cp125", "iso8859", "latin", "mac_", "cp437", "cp850", "cp858")


def _codec(name: str) -> str:
    # GB2312 feeds routinely contain GBK characters; GB18030 is a superset of both.
    return "gb18030" if name.lower() in ("gb2312", "gbk") else name
