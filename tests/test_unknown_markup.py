"""Markup the converter has no rule for is reported, once per tag and entry, whichever way it is lost."""

from __future__ import annotations

from feedbook.convert.chapter import ChapterContext, convert_entry
from feedbook.diagnostics import Kind, Reporter
from feedbook.sources.feed import Entry


def warnings_for(content: str) -> tuple[list[str], str]:
    entry = Entry("urn:markup", "Markup", "", "2024-01-01T00:00:00+00:00", "", (), (), content, "")
    reporter = Reporter()
    text = convert_entry(entry, ChapterContext(slug="markup", reporter=reporter)).text
    return [d.message for d in reporter.of_kind(Kind.UNKNOWN_TAG)], text


def test_tags_the_cleaner_keeps_but_no_rule_converts_are_reported() -> None:
    """<ruby>, <time>, <small> and <center> pass the sanitizer, so no pre-scan sees them; the
    dispatcher's fallback does, and says their markup is lost while their text stays."""
    messages, text = warnings_for(
        "<center><p>Centred</p></center><p><ruby>漢<rt>kan</rt></ruby> at <time datetime='2024-01-01'>noon</time>"
        " and <small>fine print</small>, <small>twice</small>.</p>"
    )
    assert messages == [
        f"<{tag}> has no rule: its text is kept, its markup dropped"
        for tag in ("center", "ruby", "rt", "time", "small")
    ]
    for words in ("Centred", "漢", "kan", "noon", "fine print", "twice"):
        assert words in text


def test_tags_the_cleaner_removes_are_reported_once_and_containers_are_not() -> None:
    messages, text = warnings_for("<div><section><custom-widget>inside</custom-widget></section></div><blink>x</blink>")
    assert messages == [
        "<blink> has no rule: its text is kept, its markup dropped",
        "<custom-widget> has no rule: its text is kept, its markup dropped",
    ]
    assert "inside" in text


def test_parts_read_by_their_parents_rule_are_not_reported() -> None:
    messages, _ = warnings_for(
        "<ul><li>one</li></ul><dl><dt>term</dt><dd>meaning</dd></dl><details><summary>More</summary><p>x</p></details>"
        "<figure><img src='https://example.com/a.png' alt='a'><figcaption>Caption</figcaption></figure>"
        "<table><caption>T</caption><thead><tr><th>h</th></tr></thead><tbody><tr><td>c</td></tr></tbody></table>"
    )
    assert messages == []
