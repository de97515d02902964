"""deep_xml: XML too deep for libxml2, rewritten with its deepest tags dropped and every word kept."""

from __future__ import annotations

import re

from lxml import etree

from feedbook.sources.deep_xml import flatten_deep_elements

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
    assert "".join(root.itertext()).split() == ["bottom"]


def test_dropped_blocks_keep_words_apart_and_scripts_go_whole() -> None:
    deep = (
        b"<a><b><ul><li>one</li><li>two</li></ul>three<br/>four<img alt='a picture' src='x.png'/>"
        b"<script>alert(1)</script><style>p{}</style>un<em>believ</em>able</b></a>"
    )

    result = flatten_deep_elements(deep, max_depth=2)

    assert result is not None
    text = "".join(etree.fromstring(result[0]).itertext())
    assert text.split() == ["one", "two", "three", "four", "a", "picture", "unbelievable"]


def test_html_entities_of_an_external_dtd_become_characters() -> None:
    rss = (
        b'<!DOCTYPE rss SYSTEM "http://my.netscape.com/publish/formats/rss-0.91.dtd">'
        b"<rss><p>caf&eacute; au&nbsp;lait</p></rss>"
    )

    result = flatten_deep_elements(rss)

    assert result is not None
    assert "".join(etree.fromstring(result[0]).itertext()) == "café au\u00a0lait"
    unknown = rss.replace(b"&eacute;", b"&madeup;")
    assert flatten_deep_elements(unknown) is None


def test_attribute_defaults_of_the_documents_own_dtd_are_not_written() -> None:
    defaults = b'<!DOCTYPE a [<!ATTLIST a xml:base CDATA "http://evil.example/">]><a>text</a>'

    result = flatten_deep_elements(defaults)

    assert result is not None
    assert result[0] == b"<a>text</a>"


def test_entity_declarations_are_left_to_libxml2() -> None:
    laughs = b'<!DOCTYPE a [<!ENTITY l "lol"><!ENTITY l2 "&l;&l;&l;">]><a>&l2;</a>'

    assert flatten_deep_elements(laughs) is None


def test_a_broken_document_is_left_to_libxml2s_recovery() -> None:
    assert flatten_deep_elements(b"<a><b></a>") is None


def test_html_too_deep_for_the_converter_keeps_words_apart_under_its_own_kind() -> None:
    """The converter's flattening (past 64 levels of HTML) leaves a space where a block's tags go,
    as deep_xml does for XML: "<p>alpha</p><p>beta</p>" never becomes "alphabeta"."""
    from feedbook.convert.chapter import ChapterContext, convert_entry
    from feedbook.diagnostics import Kind, Reporter
    from feedbook.sources.feed import Entry

    content = "<div>" * 100 + "<p>alpha</p><p>beta</p>gamma<br>delta" + "</div>" * 100
    entry = Entry("urn:deep", "Deep", "", "2024-01-01T00:00:00+00:00", "", (), (), content, "")
    reporter = Reporter()
    text = convert_entry(entry, ChapterContext(slug="deep", reporter=reporter)).text
    words = re.findall(r"[a-z]+", text.split("# Deep", 1)[1])
    assert words == ["alpha", "beta", "gamma", "delta"], text[-200:]
    assert [d.kind for d in reporter.diagnostics] == [Kind.DEEP_NESTING]
