"""A book's language: one tag, written as each reader of it wants it.

Feeds write a language as ``en-US``, ``en_US`` or ``zh-cn``. Sphinx wants a gettext locale name
(``en_US``, ``zh_CN``), for its translations; the EPUB's ``dc:language`` and ``xml:lang`` want
BCP 47 (``en-US``), or epubcheck fails the book; HTML's ``lang`` wants BCP 47 too, and ``dir``
whether the script runs right to left. CLDR, through Babel, knows which tags are languages.
"""

from __future__ import annotations

import functools

import babel

DEFAULT = "en"


@functools.lru_cache(maxsize=64)
def _locale(value: str) -> babel.Locale | None:
    text = value.strip().replace("-", "_")
    if not text or not all(part.isalnum() and part.isascii() for part in text.split("_")):
        return None
    try:
        return babel.Locale.parse(text)
    except (ValueError, TypeError, babel.UnknownLocaleError):
        return None


def sphinx_language(value: str) -> str | None:
    """``value`` as Sphinx's ``language`` ("en-us" -> "en_US", "zh-Hans-CN" -> "zh_CN"); None when
    CLDR knows no such language ("english", "xx")."""
    locale = _locale(value)
    if locale is None:
        return None
    return f"{locale.language}_{locale.territory}" if locale.territory else locale.language


def bcp47(language: str) -> str:
    """A language (Sphinx's form or any other) as a BCP 47 tag: "en_US" -> "en-US"."""
    locale = _locale(language) or _locale(DEFAULT)
    assert locale is not None
    parts = [locale.language, locale.script, locale.territory]
    return "-".join(part for part in parts if part)


def is_right_to_left(language: str) -> bool:
    """Whether the language's script runs right to left (Hebrew, Arabic, Urdu, Persian…)."""
    locale = _locale(language)
    return locale is not None and locale.character_order == "right-to-left"


def direction(language: str) -> str:
    """HTML's and CSS's word for it: "rtl" or "ltr"."""
    return "rtl" if is_right_to_left(language) else "ltr"
