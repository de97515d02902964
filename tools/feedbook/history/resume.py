"""Pages of a history walk kept on disk until the book has them, so an interrupted walk resumes.

A walk's pages live in the user's cache folder (platformdirs: ``~/.cache/feedbook`` on Linux,
``$XDG_CACHE_HOME`` when set), in a folder named after the feed's URL. The walk reads a page
from here before asking the network, so a second run after an interruption goes straight to
where the first one stopped; once the book is saved the folder is removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import platformdirs

from ..net.client import Fetched


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


class PageStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def for_feed(cls, feed_url: str) -> PageStore:
        return cls(Path(platformdirs.user_cache_dir("feedbook")) / "history" / _key(feed_url))

    def get(self, url: str) -> Fetched | None:
        meta_path = self.folder / f"{_key(url)}.json"
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            data = (self.folder / f"{_key(url)}.body").read_bytes()
        except (OSError, ValueError):
            return None
        if not isinstance(meta, dict) or meta.get("url") != url:
            return None
        kept = meta.get("headers")
        headers = {str(k): str(v) for k, v in kept.items()} if isinstance(kept, dict) else {}
        return Fetched(data, str(meta.get("content_type", "")), str(meta.get("final_url", url)), 200, headers)

    def put(self, url: str, fetched: Fetched) -> None:
        """Kept body first, then its description: a page is found only once both are whole."""
        self.folder.mkdir(parents=True, exist_ok=True)
        key = _key(url)
        meta = {"url": url, "final_url": fetched.url, "content_type": fetched.content_type, "headers": fetched.headers}
        _write(self.folder / f"{key}.body", fetched.data)
        _write(self.folder / f"{key}.json", json.dumps(meta).encode("utf-8"))

    def count(self) -> int:
        return len(list(self.folder.glob("*.json"))) if self.folder.is_dir() else 0

    def clear(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _write(path: Path, data: bytes) -> None:
    partial = path.with_suffix(path.suffix + ".partial")
    partial.write_bytes(data)
    os.replace(partial, path)
