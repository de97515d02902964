"""Links to the whole book as EPUB and PDF on every page of the site.

The theme's own download button prints the current page only. A post whose own
PDF was built (``feedbook_pdf_per_post``) links that too. `feedbook build`
builds the EPUB and PDF before the HTML and names their folder in
``feedbook_downloads_dir``; the files are copied into the site and linked from
the sidebar of every page.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from .builds import builds_site, once_per_build
from .words import _

DOWNLOADS = "_downloads/book"
FORMATS = (("epub", "*.epub", "EPUB (e-readers)"), ("pdf", "*.pdf", "PDF (print)"))  # labels: msgids


@dataclass(frozen=True)
class Download:
    source: Path
    path: str
    label: str


def find_downloads(app: Sphinx) -> list[Download]:
    """The book's EPUB and PDF, looked up once per build (not once per page)."""
    return once_per_build(app, "downloads", _find_downloads)


def _find_downloads(app: Sphinx) -> list[Download]:
    folder = app.config.feedbook_downloads_dir
    if not folder:
        return []
    found = []
    for subfolder, pattern, label in FORMATS:
        for source in sorted((Path(app.confdir) / folder / subfolder).glob(pattern))[:1]:
            found.append(Download(source, f"{DOWNLOADS}/{source.name}", _(label)))
    return found


def post_pdfs(app: Sphinx) -> dict[str, Path]:
    """Each post's own PDF (the pdf builder's ``feedbook_pdf_per_post``), by docname; once per build."""
    return once_per_build(app, "post_pdfs", _post_pdfs)


def _post_pdfs(app: Sphinx) -> dict[str, Path]:
    folder = app.config.feedbook_downloads_dir
    if not folder:
        return {}
    root = Path(app.confdir) / folder / "pdf"
    posts = root / app.config.feedbook_posts_dir
    return {path.relative_to(root).with_suffix("").as_posix(): path for path in sorted(posts.glob("*.pdf"))}


def add_download_links(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if builds_site(app):
        context["feedbook_downloads"] = find_downloads(app)
        context["feedbook_words"] = {"book": _("Download the book"), "post": _("This post")}
        if pagename in post_pdfs(app):
            context["feedbook_post_pdf"] = f"{DOWNLOADS}/{pagename}.pdf"


def copy_downloads(app: Sphinx, exception: BaseException | None) -> None:
    if exception is not None or not builds_site(app):
        return
    copies = [(download.source, download.path) for download in find_downloads(app)]
    copies += [(source, f"{DOWNLOADS}/{docname}.pdf") for docname, source in post_pdfs(app).items()]
    for source, path in copies:
        target = Path(app.outdir) / path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
