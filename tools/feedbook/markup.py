"""Facts about HTML that several stages share (readers, the cleaner, the converter)."""

from __future__ import annotations

# Elements that start a block of their own: where their tags are dropped, words must stay apart.
BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "caption",
    ]
)

# Where these lose their tags (nesting too deep to keep), a space keeps the words on each side apart.
SEPARATING_TAGS = BLOCK_TAGS | {"br"}
