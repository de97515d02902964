"""Links to the whole book as EPUB and PDF on every page of the site.

The theme's own download button prints the current page only. `feedbook build`
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

DOWNLOADS = "_downloads/book"
FORMATS = (("epub", "*.epub", "EPUB (e-readers)"), ("pdf", "*.pdf", "PDF (print)"))


@dataclass(frozen=True)
class Download:
    source: Path
    path: str
    label: str


def find_downloads(app: Sphinx) -> list[Download]:
    folder = app.config.feedbook_downloads_dir
    if not folder:
        return []
    found = []
    for subfolder, pattern, label in FORMATS:
        for source in sorted((Path(app.confdir) / folder / subfolder).glob(pattern))[:1]:
            found.append(Download(source, f"{DOWNLOADS}/{source.name}", label))
    return found


def add_download_links(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if app.builder.format == "html" and app.builder.name not in ("epub", "pdf"):
        context["feedbook_downloads"] = find_downloads(app)


def copy_downloads(app: Sphinx, exception: BaseException | None) -> None:
    if exception is not None or app.builder.format != "html" or app.builder.name in ("epub", "pdf"):
        return
    for download in find_downloads(app):
        target = Path(app.outdir) / download.path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(download.source, target)
