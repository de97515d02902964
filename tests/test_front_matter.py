"""A chapter's header: what the one writer writes, the one reader reads back, value for value."""

from __future__ import annotations

from pathlib import Path

from feedbook.archive.chapters import chapter_id
from feedbook.convert.front_matter import front_matter, read_front_matter, tags_of
from feedbook.sources.feed import Entry

AWKWARD = [
    'Say "hi" --- and # not a comment: {yes} [no] *star* & <b>',
    "C1 \x85 and \x9f controls, a \u2028 separator, a \ufeff BOM",
    "---",
    "null",
    "1.0",
    "- a list item? no",
]


def test_every_value_reads_back_as_written(tmp_path: Path) -> None:
    for index, text in enumerate(AWKWARD):
        entry = Entry(
            f"urn:id:{text}",
            text,
            "https://x.example/p?q=1#f",
            "2024-01-01T00:00:00+00:00",
            "",
            (text, "Ann"),
            (text, "plain"),
            "",
            "",
            related="r",
            summary_only=True,
        )
        path = tmp_path / f"{index}.md"
        path.write_text(front_matter(entry, text) + "\n\n# Title\n\nbody: not: front matter\n", encoding="utf-8")
        meta = read_front_matter(path)
        assert meta["title"] == text
        assert meta["id"] == f"urn:id:{text}"
        assert meta["author"] == f"{text}, Ann"
        assert tags_of(meta["tags"]) == (text, "plain")
        assert meta["summary_only"] is True
        assert chapter_id(path) == f"urn:id:{text}"


def test_tags_as_docutils_hands_them_to_sphinx() -> None:
    assert tags_of('["a", "b"]') == ("a", "b")
    assert tags_of("single") == ("single",)
    assert tags_of("[broken") == ()
    assert tags_of(None) == ()
