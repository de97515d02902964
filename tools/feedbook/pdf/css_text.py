"""Text written into the PDF's style sheets: always as a CSS string, whatever it holds."""

from __future__ import annotations

# The book's typeface and its fallbacks, as print.css lists them for the body.
BODY_FONTS = '"Linux Libertine O", "Linux Libertine", "DejaVu Serif", serif'


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string: quotes, backslashes and control characters as CSS escapes,
    runs of white space as one space (a feed's title cannot end the string or the rule)."""
    quoted = "".join(
        f"\\{ord(char):x} " if char in '"\\' or ord(char) < 0x20 or char == "\x7f" else char
        for char in " ".join(text.split())
    )
    return f'"{quoted}"'
