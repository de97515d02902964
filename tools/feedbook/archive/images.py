"""Image URLs into files in the book, fetched once, checked by decoding, named by content hash.

EPUB and PDF must embed their images, so the book holds its own copies. Only
http(s) URLs and inline ``data:image/...`` URLs are ever read; a file:// or local
path in a feed is never opened. An SVG image is kept only as its safe drawing
(``clean.svg_image``): opened directly from the site, the feed's own could run script.

An image enters the book only once it has been decoded whole (``image_check``);
one that fails keeps its alt text and link in the chapter, with one warning
naming the entry.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import urllib.parse
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from ..clean.svg_image import safe_svg
from ..diagnostics import Kind, Reporter
from ..net.addresses import host_port
from ..net.client import FetchError, HttpClient
from ..net.urls import url_scheme
from ..sources.fetch import IMAGE_SIZE_LIMIT, reason
from .image_check import checked_image
from .storage import write_atomically

IMAGE_DIR = "images"
# After this many fetches that found no answer (timeouts, refused connections), a host's
# other images are not tried: a slow image server must not hold a big convert for hours.
HOST_FAILURE_LIMIT = 3
# Images fetched for one entry at most; past that the chapter links them.
MAX_IMAGES_PER_ENTRY = 500
_DATA_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml"}


class ImageStore:
    """Resolves image URLs of one book; remembers what it fetched in ``known``."""

    def __init__(
        self,
        posts_dir: Path,
        known: dict[str, str],
        reporter: Reporter,
        *,
        client: HttpClient | None = None,
        offline: bool = False,
    ) -> None:
        self.posts_dir = posts_dir
        self.known = known
        self.reporter = reporter
        self.client = client
        self.offline = offline or client is None
        self.failed: set[str] = set()
        self.unreachable: Counter[tuple[str, int]] = Counter()
        self.per_entry: Counter[tuple[str, str]] = Counter()

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
            data, extension = self._load(url, feed, entry)
        except (FetchError, OSError, ValueError) as error:
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

    def _load(self, url: str, feed: str, entry: str) -> tuple[bytes, str]:
        scheme = url_scheme(url)
        if scheme == "data":
            return _checked(_data_url(url))
        if scheme not in ("http", "https"):
            raise ValueError(f"not fetched: {scheme or 'a local path'} is not http(s)")
        if self.offline or self.client is None:
            raise ValueError("offline")
        host = host_port(url)
        if host is not None and self.unreachable[host] >= HOST_FAILURE_LIMIT:
            raise ValueError(f"{host[0]} did not answer {HOST_FAILURE_LIMIT} earlier image requests")
        self.per_entry[(feed, entry)] += 1
        if self.per_entry[(feed, entry)] > MAX_IMAGES_PER_ENTRY:
            raise ValueError(f"the entry has more than {MAX_IMAGES_PER_ENTRY} images")
        try:
            fetched = self.client.get(url, limit=IMAGE_SIZE_LIMIT)
        except FetchError as error:
            if error.unanswered and host is not None:
                self.unreachable[host] += 1
            raise
        if host is not None:
            self.unreachable[host] = 0
        return _checked(fetched.data, fetched.content_type)


def _checked(data: bytes, content_type: str = "") -> tuple[bytes, str]:
    """A raster image decoded whole, or an SVG drawing with only what draws."""
    if "svg" in content_type.lower() or data.lstrip()[:5] in (b"<svg ", b"<svg>", b"<?xml") or b"<svg" in data[:512]:
        return safe_svg(data), ".svg"
    return checked_image(data, content_type)


def _data_url(url: str) -> bytes:
    header, _, payload = url.partition(",")
    media_type = header[5:].split(";")[0].lower()
    if media_type not in _DATA_TYPES:
        raise ValueError(f"inline {media_type or 'data'} image refused")
    try:
        data = (
            base64.b64decode(payload, validate=False) if ";base64" in header else urllib.parse.unquote_to_bytes(payload)
        )
    except (binascii.Error, ValueError) as error:
        raise ValueError(f"broken inline image ({error})") from None
    if len(data) > IMAGE_SIZE_LIMIT:
        raise ValueError("inline image too large")
    return data
