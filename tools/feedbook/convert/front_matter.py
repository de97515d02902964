"""A chapter's header: the one writer and the one reader of its YAML front matter.

The writer puts each value as a JSON string (valid YAML, and trivially safe: no
YAML feature can be smuggled in through a feed's title). The reader is libyaml's
safe loader, reading up to the closing ``---`` only. The archive, the listings and
the post header all read chapters through ``read_front_matter`` and ``tags_of``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from ..sources.records import Entry

# libyaml's safe loader where PyYAML has it: ten times the pure-Python one, for 2,000 front matters a build.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# JSON leaves these raw, YAML refuses them (C1 controls from a mislabelled cp1252 feed, separators, BOM).
_YAML_REFUSES = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")


def _yaml_safe(json_text: str) -> str:
    return _YAML_REFUSES.sub(lambda match: f"\\u{ord(match.group()):04x}", json_text)


def front_matter(entry: Entry, title: str) -> str:
    """The header of ``entry``'s chapter, titled ``title``."""
    fields: list[tuple[str, object]] = [
        ("title", title),
        ("id", entry.id),
        ("link", entry.link),
        ("date", entry.published),
        ("updated", entry.updated),
        # docutils splits an "authors" field on its own: one string keeps names whole.
        ("author", ", ".join(entry.authors)),
        ("tags", list(entry.tags)),
    ]
    if entry.related:
        fields.append(("related", entry.related))
    if entry.summary_only:
        fields.append(("summary_only", True))
    lines = ["---"]
    for key, value in fields:
        if value in ("", []):
            continue
        lines.append(f"{key}: {_yaml_safe(json.dumps(value, ensure_ascii=False))}")
    lines.append("---")
    return "\n".join(lines)


def read_front_matter(path: Path) -> dict[str, Any]:
    """The YAML front matter of a chapter (read up to its closing ``---`` only)."""
    lines: list[str] = []
    with path.open(encoding="utf-8") as handle:
        if handle.readline().strip() != "---":
            return {}
        for line in handle:
            if line.strip() == "---":
                break
            lines.append(line)
    try:
        data = yaml.load("".join(lines), Loader=YAML_LOADER)  # a safe loader, C or Python
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def tags_of(value: object) -> tuple[str, ...]:
    """The tags of a header's ``tags`` value: a list as written, or the JSON text of one
    (docutils hands the front matter's fields to Sphinx as strings)."""
    if isinstance(value, str) and value.startswith("["):
        try:
            value = json.loads(value)
        except ValueError:
            return ()
    if isinstance(value, list):
        return tuple(str(item) for item in value)
    return (value,) if isinstance(value, str) and value else ()
