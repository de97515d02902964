"""The site's builder: Sphinx's HTML builder, minus re-indexing pages whose words did not change.

A new post changes the sidebar of every post of its year, which ``navigation`` has
rewritten, but not their words. Sphinx drops from the search index, then stems and
indexes again, every page it writes: for the pages rewritten for their sidebar alone
that was a quarter of an incremental build of 2,000 posts. They keep their entries.
"""

from __future__ import annotations

from collections.abc import Set

from docutils import nodes
from sphinx.builders.html import StandaloneHTMLBuilder

NAVIGATION_ONLY = "_feedbook_navigation_only"  # set on the builder by navigation.pages_sharing_navigation


class FeedbookHtmlBuilder(StandaloneHTMLBuilder):
    name = "html"

    def load_indexer(self, docnames: Set[str]) -> None:
        super().load_indexer(set(docnames) - self._navigation_only())

    def index_page(self, pagename: str, doctree: nodes.document, title: str) -> None:
        if pagename not in self._navigation_only():
            super().index_page(pagename, doctree, title)

    def _navigation_only(self) -> set[str]:
        return getattr(self, NAVIGATION_ONLY, set())
