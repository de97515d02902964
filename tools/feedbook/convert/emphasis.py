"""Emphasis delimiters placed once the neighbouring characters are known.

CommonMark only reads ``*`` as emphasis when it is "flanking": ``foo*"bar"*baz``
is not emphasis, because the closing star sits between punctuation and a letter.
A visitor cannot see its neighbours, so it writes private-use sentinels, and
`resolve` turns each pair into ``*``/``**`` where that parses, or else into an
inline span ``[…]{.em}`` (styled by the feedbook extension), which has no
flanking rules. Either way the words and their emphasis survive.
"""

from __future__ import annotations

import re
import unicodedata

EM_OPEN, EM_CLOSE, STRONG_OPEN, STRONG_CLOSE = "\ue000", "\ue001", "\ue002", "\ue003"
SENTINELS = frozenset((EM_OPEN, EM_CLOSE, STRONG_OPEN, STRONG_CLOSE))
_OPENERS = {EM_OPEN: (EM_CLOSE, "*", "em"), STRONG_OPEN: (STRONG_CLOSE, "**", "strong")}
_CLOSERS = frozenset((EM_CLOSE, STRONG_CLOSE))
_ANY_SENTINEL = re.compile("[\ue000-\ue003]")


def wrap(core: str, strong: bool) -> str:
    return f"{STRONG_OPEN}{core}{STRONG_CLOSE}" if strong else f"{EM_OPEN}{core}{EM_CLOSE}"


def resolve(text: str, *, edges: str = "  ", spans: bool = True) -> str:
    """Replace every sentinel pair in ``text`` by MyST emphasis that parses as emphasis.

    ``edges`` are the characters just outside ``text`` (spaces for a paragraph, the
    brackets for a link's text, which CommonMark parses on its own). Inside a link a
    span cannot nest, so with ``spans=False`` emphasis that cannot parse is dropped,
    its words kept.
    """
    if not _ANY_SENTINEL.search(text):
        return text
    # <em>a</em><i>b</i> is one emphasised run; "*a**b*" would not parse as that.
    text = text.replace(EM_CLOSE + EM_OPEN, "").replace(STRONG_CLOSE + STRONG_OPEN, "")
    pairs: list[tuple[int, int]] = []
    stack: list[int] = []
    positions = [match.start() for match in _ANY_SENTINEL.finditer(text)]  # only sentinels, not every char
    for index in positions:
        if text[index] in _OPENERS:
            stack.append(index)
        elif stack:
            pairs.append((stack.pop(), index))
    replacement: dict[int, str] = {}
    for start, end in pairs:
        _, marker, css_class = _OPENERS[text[start]]
        # A closer touching the next opener ("*a***b**") would make one run of stars: one becomes a span.
        touching = (start > 0 and text[start - 1] in _CLOSERS) or (end + 1 < len(text) and text[end + 1] in _OPENERS)
        if (
            not touching
            and _left_flanking(_at(text, start - 1, edges), _at(text, start + 1, edges))
            and _right_flanking(_at(text, end - 1, edges), _at(text, end + 1, edges))
        ):
            replacement[start], replacement[end] = marker, marker
        elif spans:
            replacement[start], replacement[end] = "[", f"]{{.{css_class}}}"
        else:
            replacement[start], replacement[end] = "", ""
    pieces, last = [], 0
    for index in positions:
        pieces.append(text[last:index])
        pieces.append(replacement.get(index, ""))
        last = index + 1
    pieces.append(text[last:])
    return "".join(pieces)


def _at(text: str, index: int, edges: str) -> str:
    """The character a delimiter would see there; a neighbouring delimiter is punctuation."""
    if index < 0:
        return edges[0]
    if index >= len(text):
        return edges[1]
    char = text[index]
    return "*" if char in SENTINELS else char


def _is_space(char: str) -> bool:
    return char.isspace()


def _is_punctuation(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"


def _left_flanking(before: str, after: str) -> bool:
    return not _is_space(after) and (not _is_punctuation(after) or _is_space(before) or _is_punctuation(before))


def _right_flanking(before: str, after: str) -> bool:
    return not _is_space(before) and (not _is_punctuation(before) or _is_space(after) or _is_punctuation(after))
