"""WeasyPrint's URL fetcher, confined to the book's own built files.

Images were fetched at convert time. At PDF time nothing may come from the
network, and no local file outside the print pages' folder may be read: a page
that names ``file:///etc/passwd`` or ``../../secret.png`` gets nothing.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse


class RefusedResource(ValueError):
    """A resource outside the book: WeasyPrint reports it and renders without it."""


class BookFetcher(URLFetcher):
    """Serves ``file:`` URLs under ``root`` (and ``data:`` URLs) and refuses everything else."""

    def __init__(self, root: Path) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.root = root.resolve()
        self.refused: list[str] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        if url.startswith("data:"):  # self-contained: reads nothing
            return super().fetch(url)
        path = self.local_path(url)
        if path is None:
            self.refused.append(url)
            raise RefusedResource(f"outside the book, not read: {url}")
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": _content_type(path)})

    def local_path(self, url: str) -> Path | None:
        """The file under the root that ``url`` names, or None (network, other schemes, elsewhere)."""
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return None
        path = Path(url2pathname(parts.path)).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            return None
        return path


def _content_type(path: Path) -> str:
    import mimetypes

    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"
