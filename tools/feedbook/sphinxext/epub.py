"""Sphinx's EPUB 3 builder with the fixes epubcheck asks for.

Sphinx writes the OPF ``unique-identifier`` element id into the NCX's ``dtb:uid``
where the identifier's value belongs (epubcheck NCX-001 as soon as the book has a
real identifier, such as its feed's id).
"""

from __future__ import annotations

import html
from typing import Any

from sphinx.builders.epub3 import Epub3Builder


class FeedbookEpubBuilder(Epub3Builder):
    name = "epub"

    def toc_metadata(self, level: int, navpoints: list[Any]) -> dict[str, Any]:
        metadata = super().toc_metadata(level, navpoints)
        metadata["uid"] = html.escape(self.config.epub_identifier)
        return metadata
