"""One rule for labels and one for keeping names unique, used by tags, slugs, anchors and entry ids."""

from __future__ import annotations

from feedbook.names import first_free, label_part
from feedbook.sphinxext.tags import tag_labels


def test_label_parts_are_lowercase_ascii_words() -> None:
    assert label_part("C++ & Rust, 2024") == "c-rust-2024"
    assert label_part("Straße") == "strasse"  # casefolded, as the tags page always did
    assert label_part("日本語") == "x"


def test_first_free_counts_from_two_and_skips_names_already_taken() -> None:
    assert first_free("a", set()) == "a"
    assert first_free("a", {"a", "a-2"}) == "a-3"
    assert first_free("Post", {"post"}, key=str.lower) == "Post-2"
    taken = {"urn:1", "urn:1#duplicate-2"}
    assert first_free("urn:1", taken, spell=lambda base, n: f"{base}#duplicate-{n}") == "urn:1#duplicate-3"


def test_tags_differing_only_in_case_or_punctuation_get_their_own_labels() -> None:
    assert tag_labels(["C++", "c", "C"]) == {"C": "tag-c", "c": "tag-c-2", "C++": "tag-c-3"}
