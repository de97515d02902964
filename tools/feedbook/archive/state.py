"""The book's state file (``feedbook.json``): its feeds, each entry's slug and link and the hash
of its chapter as written, and the images already fetched."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import FeedbookError
from .storage import write_if_changed

STATE_FILE = "feedbook.json"
POSTS_DIR = "posts"
STATE_VERSION = 1


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class BookState:
    feeds: list[str] = field(default_factory=list)
    posts: dict[str, dict[str, str]] = field(default_factory=dict)
    images: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, book: Path) -> BookState:
        path = book / STATE_FILE
        if not path.is_file():
            return cls()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise FeedbookError(f"{path}: unreadable book state ({error})") from None
        return cls(list(data.get("feeds", [])), dict(data.get("posts", {})), dict(data.get("images", {})))

    def dumps(self) -> str:
        data = {"version": STATE_VERSION, "feeds": self.feeds, "posts": self.posts, "images": self.images}
        return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"

    def save(self, book: Path) -> None:
        book.mkdir(parents=True, exist_ok=True)
        write_if_changed(book / STATE_FILE, self.dumps().encode("utf-8"))
