"""The book's state file (``feedbook.json``): its feeds, each entry's slug and link, the hash of
its chapter as written, the date and origin of the copy it was made from, the images already
fetched, and the validators (ETag, Last-Modified) of the history pages a walk read."""

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
    history: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, book: Path) -> BookState:
        path = book / STATE_FILE
        if not path.is_file():
            return cls()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise FeedbookError(f"{path}: unreadable book state ({error})") from None
        return cls(
            list(data.get("feeds", [])),
            dict(data.get("posts", {})),
            dict(data.get("images", {})),
            dict(data.get("history", {})),
        )

    def dumps(self) -> str:
        data: dict[str, object] = {"version": STATE_VERSION, "feeds": self.feeds, "posts": self.posts}
        data["images"] = self.images
        if self.history:
            data["history"] = self.history
        return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"

    def save(self, book: Path) -> None:
        book.mkdir(parents=True, exist_ok=True)
        write_if_changed(book / STATE_FILE, self.dumps().encode("utf-8"))
