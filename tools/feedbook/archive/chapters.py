"""Chapters on disk: written only when changed, never over a hand edit, found again by entry id."""

from __future__ import annotations

import enum
from pathlib import Path

from ..convert.front_matter import read_front_matter
from .state import sha256
from .storage import write_if_changed


class Written(enum.Enum):
    WRITTEN = "written"
    UNCHANGED = "unchanged"
    HAND_EDITED = "hand_edited"  # left alone: what is on disk is not what feedbook last wrote


def write_chapter(path: Path, data: bytes, record: dict[str, str], *, force: bool) -> Written:
    """Write ``data`` to ``path`` unless a person edited the chapter since ``record``'s hash."""
    if path.is_file() and not force:
        current = path.read_bytes()
        if current != data and sha256(current) != record.get("sha256"):
            return Written.HAND_EDITED
    changed = write_if_changed(path, data)
    record["sha256"] = sha256(data)
    return Written.WRITTEN if changed else Written.UNCHANGED


def chapter_id(path: Path) -> str:
    """The entry id in a chapter's header ("" when it has none or cannot be read)."""
    try:
        value = read_front_matter(path).get("id", "")
    except (OSError, UnicodeDecodeError):
        return ""
    return value if isinstance(value, str) else ""
