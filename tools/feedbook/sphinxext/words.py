"""feedbook's own words in the book's language, as Sphinx extensions translate theirs.

The messages live in gettext catalogs, ``locale/<language>/LC_MESSAGES/feedbook.po`` (the
source) beside its compiled ``.mo``, loaded for the book's ``language`` with
``app.add_message_catalog``; a language with no catalog reads English. Months and dates come
from CLDR through Babel (``feedbook.dates``), never from the build machine's locale.
"""

from __future__ import annotations

from pathlib import Path

from sphinx import locale
from sphinx.application import Sphinx
from sphinx.locale import get_translation, get_translator

from ..pdf.front import Words
from .posts import UNDATED

CATALOG = "feedbook"
LOCALE_DIR = Path(__file__).parent / "locale"

_ = get_translation(CATALOG)


def setup_words(app: Sphinx) -> None:
    # Sphinx keeps a catalog's translator for the life of the process and only adds fallbacks to it:
    # a second build in one process (tests, tools that call Sphinx) would speak the first one's language.
    locale.translators.pop(("general", CATALOG), None)
    app.add_message_catalog(CATALOG, LOCALE_DIR)


def post_count(count: int) -> str:
    """ "1 post", "12 posts", in the book's language and its plural rules ("12 записей")."""
    return get_translator(CATALOG).ngettext("%(count)d post", "%(count)d posts", count) % {"count": count}


def year_name(year: str) -> str:
    """A year as a reader sees it: the posts without a date under "Undated", translated."""
    return _(UNDATED) if year == UNDATED else year


def book_words() -> Words:
    """The PDF's and the print edition's words, translated."""
    return Words(
        contents=_("Contents"),
        undated=_(UNDATED),
        links=_("Links"),
        first_published=_("First published at %(site)s."),
        made_by=_("Made into this book by feedbook from the blog's feed."),
        posts_from=_("Posts from %(dates)s."),
    )
