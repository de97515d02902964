"""Which build this is, and values worked out once per build rather than once per page."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sphinx.application import Sphinx

T = TypeVar("T")
NOT_THE_SITE = ("epub", "pdf", "print")  # HTML-format builders whose pages are not the published site


def builds_site(app: Sphinx) -> bool:
    """Pages of the web site: not the EPUB's chapters, not the PDF's print pages."""
    return app.builder.format == "html" and app.builder.name not in NOT_THE_SITE


def once_per_build(app: Sphinx, name: str, compute: Callable[[Sphinx], T]) -> T:
    """``compute(app)`` on first use in this build, kept on the builder (a new one each build)."""
    attribute = f"_feedbook_{name}"
    if not hasattr(app.builder, attribute):
        setattr(app.builder, attribute, compute(app))
    value: T = getattr(app.builder, attribute)
    return value
