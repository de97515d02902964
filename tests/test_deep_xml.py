"""deep_xml: XML too deep for libxml2, rewritten with its deepest tags dropped and every word kept."""

from __future__ import annotations

from lxml import etree

from feedbook.deep_xml import flatten_deep_elements

ROUND_TRIP = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:x="urn:x">'
    '<e a="one&#10;two&#9;three" b=\'say "hi"\' x:c="&lt;&amp;&gt;">'
    "t &amp; &lt; ]]&gt; café<![CDATA[<raw> & ]]><x:empty/>\r\nend</e></feed>"
).encode()


def canonical(data: bytes) -> bytes:
    return etree.tostring(etree.fromstring(data), method="c14n")


def test_a_document_within_the_limit_reads_back_the_same() -> None:
    result = flatten_deep_elements(ROUND_TRIP)

    assert result is not None
    flattened, count = result
    assert count == 0
    assert canonical(flattened) == canonical(ROUND_TRIP)


def test_elements_below_the_limit_lose_their_tags_and_keep_their_text() -> None:
    deep = b"<a><b>one <c x='1'>two <d>three</d></c> four</b><e>five</e></a>"

    result = flatten_deep_elements(deep, max_depth=2)

    assert result is not None
    flattened, count = result
    assert count == 2
    assert flattened == b"<a><b>one two three four</b><e>five</e></a>"


def test_ten_thousand_levels_are_read_without_recursion() -> None:
    depth = 10_000
    deep = ("<a>" + "<div>" * depth + "bottom" + "</div>" * depth + "</a>").encode()

    result = flatten_deep_elements(deep, max_depth=100)

    assert result is not None
    flattened, count = result
    assert count == depth + 1 - 100
    root = etree.fromstring(flattened)
    assert "".join(root.itertext()) == "bottom"


def test_entity_declarations_are_left_to_libxml2() -> None:
    laughs = b'<!DOCTYPE a [<!ENTITY l "lol"><!ENTITY l2 "&l;&l;&l;">]><a>&l2;</a>'

    assert flatten_deep_elements(laughs) is None


def test_a_broken_document_is_left_to_libxml2s_recovery() -> None:
    assert flatten_deep_elements(b"<a><b></a>") is None
