"""Sidenotes where the theme can make them, footnotes where it cannot.

sphinx-book-theme's ``use_sidenotes`` moves a note into the margin next to its call
(inline just below it on narrow screens), but it takes only the note's first
paragraph (the rest would be lost) and only its first call (a second call would
point at a note it removed). It also runs for every HTML-format builder, the EPUB
and the PDF's print pages included. So before it runs, feedbook hides from it every
note it cannot carry whole, and on other builders every note; after it, those notes
get their back-links again and stay ordinary footnotes under the post.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from .builds import builds_site

STASH = "feedbook_backrefs"


def fits_a_sidenote(footnote: nodes.footnote) -> bool:
    """One call and one plain paragraph: what the theme's sidenote can show whole."""
    body = [child for child in footnote.children if not isinstance(child, nodes.label)]
    return len(footnote["backrefs"]) == 1 and len(body) == 1 and isinstance(body[0], nodes.paragraph)


class HideNotesFromSidenotes(SphinxPostTransform):
    """Runs before the theme's HandleFootnoteTransform (priority 1)."""

    default_priority = 0
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        on_site = builds_site(self.app)
        for footnote in self.document.findall(nodes.footnote):
            if on_site and fits_a_sidenote(footnote):
                continue
            # The theme matches a note to its call by the note's first back-reference.
            footnote[STASH] = list(footnote["backrefs"])
            footnote["backrefs"] = []


class RestoreNoteBackrefs(SphinxPostTransform):
    """Runs after the theme's transform: the notes it left alone link back to their calls again."""

    default_priority = 2
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for footnote in self.document.findall(nodes.footnote):
            if STASH in footnote:
                footnote["backrefs"] = footnote[STASH]
                del footnote[STASH]
