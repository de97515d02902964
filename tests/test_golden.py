"""Golden files: tests/fixtures/convert/<case>.html converts to exactly <case>.md.

Regenerate after a deliberate change with ``pytest tests/test_golden.py --regen-golden``
and read the diff before committing it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from feedbook.convert.chapter import ChapterContext, convert_entry
from feedbook.diagnostics import Kind, Reporter
from feedbook.sources.feed import Entry

CASES = Path(__file__).parent / "fixtures" / "convert"


def case_entry(name: str, html: str) -> Entry:
    return Entry(
        id=f"https://example.com/posts/{name}",
        title=name.replace("-", " ").capitalize(),
        link=f"https://example.com/posts/{name}.html",
        published="2024-01-02T00:00:00+00:00",
        updated="2024-01-02T00:00:00+00:00",
        authors=("Ada",),
        tags=("testing",),
        content=html,
        base_url=f"https://example.com/posts/{name}.html",
    )


def convert_case(name: str) -> tuple[str, Reporter]:
    reporter = Reporter()
    entry = case_entry(name, (CASES / f"{name}.html").read_text(encoding="utf-8"))
    return convert_entry(entry, ChapterContext(slug=name, reporter=reporter)).text, reporter


@pytest.mark.parametrize("name", sorted(p.stem for p in CASES.glob("*.html")))
def test_golden(name: str, regen_golden: bool) -> None:
    text, reporter = convert_case(name)
    expected = CASES / f"{name}.md"
    if regen_golden:
        expected.write_text(text, encoding="utf-8")
    assert expected.exists(), f"{expected.name} is missing: write it with --regen-golden and read it"
    assert text == expected.read_text(encoding="utf-8")
    # Golden cases use only tags with rules: nothing may be reported as dropped.
    assert not reporter.of_kind(Kind.UNKNOWN_TAG)


@pytest.mark.parametrize("name", sorted(p.stem for p in CASES.glob("footnotes-*.html")))
def test_every_footnote_style_gives_real_footnotes(name: str) -> None:
    text, _ = convert_case(name)
    body, _, notes = text.partition("\n[^1]: ")
    assert "[^1]" in body, "the call became a MyST footnote reference"
    assert notes, "the body became a MyST footnote definition"
    for arrow in ("↩", "\u21a9", "fnref"):
        assert arrow not in text, "backlinks are dropped"
