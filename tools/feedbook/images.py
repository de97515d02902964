"""Image URLs into files in the book, fetched once and named by content hash.

EPUB and PDF must embed their images, so the book holds its own copies. Only
http(s) URLs and inline ``data:image/...`` URLs are ever read; a file:// or local
path in a feed is never opened. SVG is refused: opened directly from the site it
could run script.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import urllib.parse
from collections.abc import Callable
from pathlib import Path

from .diagnostics import Kind, Reporter
from .fetch import IMAGE_SIZE_LIMIT, fetch_url, reason, url_scheme
from .storage import write_atomically

IMAGE_DIR = "images"
_TYPES = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
}
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", ".png"),
    (b"\xff\xd8\xff", ".jpg"),
    (b"GIF87a", ".gif"),
    (b"GIF89a", ".gif"),
)

Fetcher = Callable[[str], tuple[bytes, str]]


def _http_fetch(url: str) -> tuple[bytes, str]:
    fetched = fetch_url(url, limit=IMAGE_SIZE_LIMIT)
    return fetched.data, fetched.content_type


class ImageStore:
    """Resolves image URLs of one book; remembers what it fetched in ``known``."""

    def __init__(
        self,
        posts_dir: Path,
        known: dict[str, str],
        reporter: Reporter,
        *,
        offline: bool = False,
        fetcher: Fetcher | None = None,
    ) -> None:
        self.posts_dir = posts_dir
        self.known = known
        self.reporter = reporter
        self.offline = offline
        self.fetcher = fetcher or _http_fetch
        self.failed: set[str] = set()

    def resolver(self, feed: str, entry: str) -> Callable[[str], str | None]:
        return lambda url: self.resolve(url, feed, entry)

    def resolve(self, url: str, feed: str = "", entry: str = "") -> str | None:
        """The chapter-relative path of the image, or None (the chapter then links to it)."""
        name = self.known.get(url) if not url.startswith("data:") else None
        if name and (self.posts_dir / IMAGE_DIR / name).is_file():
            return f"{IMAGE_DIR}/{name}"
        if url in self.failed:
            return None
        try:
            data, extension = self._load(url)
        except (OSError, ValueError) as error:
            self.failed.add(url)
            shown = url if not url.startswith("data:") else url[:40] + "…"
            self.reporter.warn(
                Kind.IMAGE_UNAVAILABLE, f"image {shown} not included: {reason(error)}", feed=feed, entry=entry
            )
            return None
        name = hashlib.sha256(data).hexdigest()[:20] + extension
        target = self.posts_dir / IMAGE_DIR / name
        if not target.is_file():
            write_atomically(target, data)
        if not url.startswith("data:"):
            self.known[url] = name
        return f"{IMAGE_DIR}/{name}"

    def _load(self, url: str) -> tuple[bytes, str]:
        scheme = url_scheme(url)
        if scheme == "data":
            return _data_url(url)
        if scheme not in ("http", "https"):
            raise ValueError(f"not fetched: {scheme or 'a local path'} is not http(s)")
        if self.offline:
            raise ValueError("offline")
        data, content_type = self.fetcher(url)
        return data, _extension(data, content_type)


def _data_url(url: str) -> tuple[bytes, str]:
    header, _, payload = url.partition(",")
    media_type = header[5:].split(";")[0].lower()
    if media_type not in _TYPES:
        raise ValueError(f"inline {media_type or 'data'} image refused")
    try:
        data = (
            base64.b64decode(payload, validate=False) if ";base64" in header else urllib.parse.unquote_to_bytes(payload)
        )
    except (binascii.Error, ValueError) as error:
        raise ValueError(f"broken inline image ({error})") from None
    if len(data) > IMAGE_SIZE_LIMIT:
        raise ValueError("inline image too large")
    return data, _extension(data, media_type)


def _extension(data: bytes, content_type: str) -> str:
    for magic, extension in _MAGIC:
        if data.startswith(magic):
            return extension
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ".webp"
    raise ValueError(f"not a PNG, JPEG, GIF or WebP image ({content_type or 'unknown type'})")
