"""Sphinx's EPUB 3 builder and translator with the fixes e-readers and epubcheck ask for.

Sphinx writes the OPF ``unique-identifier`` element id into the NCX's ``dtb:uid``
where the identifier's value belongs (epubcheck NCX-001 as soon as the book has a
real identifier, such as its feed's id).
"""

from __future__ import annotations

import html
from typing import Any

from docutils import nodes
from sphinx.builders.epub3 import Epub3Builder
from sphinx.writers.html5 import HTML5Translator


class FeedbookEpubBuilder(Epub3Builder):
    name = "epub"

    def toc_metadata(self, level: int, navpoints: list[Any]) -> dict[str, Any]:
        metadata = super().toc_metadata(level, navpoints)
        metadata["uid"] = html.escape(self.config.epub_identifier)
        return metadata


class FeedbookEpubTranslator(HTML5Translator):
    """EPUB 3 footnote semantics, so e-readers show notes as pop-ups.

    Calls get ``epub:type="noteref"`` and bodies ``epub:type="footnote"`` beside the
    ARIA roles docutils already writes.
    """

    def visit_footnote_reference(self, node: nodes.footnote_reference) -> None:
        start = len(self.body)
        super().visit_footnote_reference(node)
        self._mark(start, 'role="doc-noteref"', 'epub:type="noteref" role="doc-noteref"')

    def visit_footnote(self, node: nodes.footnote) -> None:
        start = len(self.body)
        super().visit_footnote(node)
        self._mark(start, 'role="doc-footnote"', 'epub:type="footnote" role="doc-footnote"')

    def _mark(self, start: int, role: str, marked: str) -> None:
        for index in range(start, len(self.body)):
            if role in self.body[index]:
                self.body[index] = self.body[index].replace(role, marked, 1)
                return
