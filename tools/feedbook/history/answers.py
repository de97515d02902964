"""What the JSON APIs of the platforms answer, read without trusting a single type."""

from __future__ import annotations

import json
from typing import Any


def json_answer(data: bytes) -> Any:
    """The JSON document in ``data``, or None when it is not one."""
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeError, ValueError):
        return None


def text(value: Any) -> str:
    """``value`` when it is a string, else ""."""
    return value if isinstance(value, str) else ""
