"""Text into MyST that renders back to the same text.

CommonMark lets a backslash escape any ASCII punctuation, so escaping is always
safe; we escape only what MyST (with the extensions feedbook enables: dollarmath,
deflist, colon_fence, attrs_inline) could read as syntax, to keep chapters readable.
"""

from __future__ import annotations

import re

# Characters that are syntax wherever they appear in a line.
# Private-use characters the converter uses as placeholders are dropped: never taken from a feed.
_ALWAYS = re.compile("[\\\\`*\\[\\]<$|{}\ue000-\ue005]")


def _escape_one(match: re.Match[str]) -> str:
    char = match.group()
    return "" if "\ue000" <= char <= "\ue005" else "\\" + char


_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# `_` opens emphasis only at a word boundary: snake_case stays readable.
_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_TILDES = re.compile(r"~~")

# What a line may not begin with (block syntax); checked after inline escaping.
_LINE_START = re.compile(
    r"""^(?:
        [#>+\-=%:~|]          # heading, quote, list, setext/thematic, comment, fence, table
      | \(.*\)=               # MyST target (label)=
      | [0-9]{1,9}[.)](?=\s|$) # ordered list item
    )""",
    re.VERBOSE,
)
_ORDERED = re.compile(r"^([0-9]{1,9})([.)])")


_NEEDS_ANGLE = re.compile(r"[\s()<>]")


def escape_text(text: str) -> str:
    """Escape inline syntax in a run of plain text (not at a line start)."""
    if _ALWAYS.search(text):  # most runs of text hold no syntax character at all
        text = _ALWAYS.sub(_escape_one, text)
    if "_" in text:
        text = _UNDERSCORE.sub(r"\\_", text)
    if "&" in text:
        text = _ENTITY.sub(r"\\&", text)
    if "~~" in text:
        text = _TILDES.sub(r"\\~\\~", text)
    return text


def escape_line_start(line: str) -> str:
    """Make sure a line of inline MyST cannot start a block construct."""
    match = _LINE_START.match(line)
    if not match:
        return line
    ordered = _ORDERED.match(line)
    if ordered:
        return f"{ordered.group(1)}\\{line[len(ordered.group(1)) :]}"
    return "\\" + line


def code_span(text: str) -> str:
    """An inline code span holding ``text`` exactly (newlines become spaces, as HTML shows them)."""
    text = text.replace("\n", " ")
    if not text:
        return ""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.endswith(" ") and text.strip()):
        text = f" {text} "
    return f"{fence}{text}{fence}"


def fence_for(body: str, char: str = "`") -> str:
    """A code fence longer than any run of the fence character at a line start in ``body``."""
    longest = max((len(run) for run in re.findall(rf"^\s*({re.escape(char)}{{3,}})", body, re.M)), default=0)
    return char * max(3, longest + 1)


def link_destination(url: str) -> str:
    """A URL as a link destination: angle brackets when it holds spaces or brackets."""
    if not url:
        return "<>"
    if _NEEDS_ANGLE.search(url) or url.startswith("<"):
        return "<" + url.replace("<", "%3C").replace(">", "%3E").replace("\n", "%0A") + ">"
    return url.replace("\\", "%5C")


def link_title(title: str) -> str:
    return '"' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'


def role(name: str, text: str) -> str | None:
    """``{name}`text``` when a role can hold the text; None if it cannot (a backtick at either end)."""
    text = " ".join(text.split())
    if not text or text.startswith("`") or text.endswith("`"):
        return None
    # Like a code span, a role's content may hold backticks when its own run is longer.
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    return f"{{{name}}}{fence}{text}{fence}"
