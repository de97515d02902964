"""The site's builder: Sphinx's HTML builder, minus re-indexing pages whose words did not change.

A new post changes the sidebar of every post of its year, which ``navigation`` has
rewritten, but not their words. Sphinx drops from the search index, then stems and
indexes again, every page it writes: for the pages rewritten for their sidebar alone
that was a quarter of an incremental build of 2,000 posts. They keep their entries.
And the index's last pruning gets the set of pages it can use quickly.
"""

from __future__ import annotations

from collections.abc import Set

from docutils import nodes
from sphinx.builders.html import StandaloneHTMLBuilder

from .direction import render_with_language

NAVIGATION_ONLY = "_feedbook_navigation_only"  # set on the builder by navigation.pages_sharing_navigation


class FeedbookHtmlBuilder(StandaloneHTMLBuilder):
    name = "html"

    def init(self) -> None:
        super().init()
        render_with_language(self)

    def load_indexer(self, docnames: Set[str]) -> None:
        if not (self.outdir / self.searchindex_filename).is_file():
            setattr(self, NAVIGATION_ONLY, set())  # no index to keep entries from: index every page written
        super().load_indexer(set(docnames) - self._navigation_only())

    def index_page(self, pagename: str, doctree: nodes.document, title: str) -> None:
        if pagename not in self._navigation_only():
            super().index_page(pagename, doctree, title)

    def dump_search_index(self) -> None:
        if self.indexer is not None:
            # Sphinx prunes every word's set of pages with ``env.all_docs``, a dict: intersecting a
            # set with a dict walks the whole dict each time (words x pages, 0.3 s at 2,000 posts);
            # with a set it costs the word's own pages.
            prune = self.indexer.prune
            self.indexer.prune = lambda docnames: prune(set(docnames))  # type: ignore[method-assign]
        super().dump_search_index()

    def _navigation_only(self) -> set[str]:
        return getattr(self, NAVIGATION_ONLY, set())
