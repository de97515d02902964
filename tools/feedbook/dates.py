"""Dates written as readers of the book's language write them, from CLDR's data through Babel.

Not ``strftime("%B")``, which follows the build machine's locale, and not Sphinx's ``format_date``,
which maps strftime tokens one by one and so keeps an English word order ("13 十二月 2022"):
CLDR's long date pattern gives each language its own ("13. Dezember 2022", "2022年12月13日").
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable

import babel
import babel.dates

FALLBACK_LANGUAGE = "en"


@functools.lru_cache(maxsize=64)
def book_locale(language: str) -> babel.Locale:
    """The locale of a BCP 47 tag ("de", "pt-BR", "zh-Hans"); English when CLDR does not know it."""
    try:
        return babel.Locale.parse(language.replace("-", "_") or FALLBACK_LANGUAGE)
    except (ValueError, TypeError, babel.UnknownLocaleError):
        return babel.Locale.parse(FALLBACK_LANGUAGE)


def _parse(value: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        return None


def long_date(value: str, language: str) -> str:
    """ "2022-12-13T00:00:00+00:00" as "December 13, 2022" in English, "13. Dezember 2022" in German
    ("" when it is not a date). The day is the one the post was written on, in its own time zone."""
    parsed = _parse(value)
    if parsed is None:
        return ""
    return babel.dates.format_date(parsed.date(), "long", locale=book_locale(language))


def month_span(values: Iterable[str], language: str) -> str:
    """ "March 2021 – May 2025" from ISO dates, months named in the book's language ("" when none parses)."""
    parsed = [date for date in map(_parse, values) if date is not None]
    if not parsed:
        return ""
    locale = book_locale(language)
    # The stand-alone month ("декабрь 2022"), not the one inside a full date ("13 декабря").
    first, last = (babel.dates.format_skeleton("yMMMM", d.date(), locale=locale) for d in (min(parsed), max(parsed)))
    return first if first == last else f"{first} – {last}"
