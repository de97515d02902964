"""Every real feed in the corpus converts and builds under `-W --keep-going -n`, and keeps its content.

The fidelity criteria (tests/fidelity.py): word recall of each entry's page against its
source HTML at least 99.5% (100% for the seed blog), every footnote, external link,
image, code block and table present, and no MyST or HTML syntax leaked into the text.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIDELITY_ROWS
from fidelity import FEEDS, FeedReport, check_feed

SEED = "jgershen.dev.atom.xml"
ILL_FORMED_WITHOUT_ENTRIES = {"feedparser--illformed-rss-incomplete-cdata.xml"}


def _write_row(report: FeedReport) -> None:
    entries = report.entries
    FIDELITY_ROWS.mkdir(parents=True, exist_ok=True)
    row = {
        "feed": report.feed,
        "entries": len(entries),
        "words": sum(e.words for e in entries),
        "min_recall": report.min_recall,
        "notes": f"{sum(e.footnotes_found for e in entries)}/{sum(e.footnotes_expected for e in entries)}",
        "links_missing": sum(len(e.links_missing) for e in entries),
        "code": f"{sum(e.code_found for e in entries)}/{sum(e.code_expected for e in entries)}",
        "tables": f"{sum(e.tables_found for e in entries)}/{sum(e.tables_expected for e in entries)}",
    }
    (FIDELITY_ROWS / f"{report.feed}.json").write_text(json.dumps(row))


@pytest.mark.slow
@pytest.mark.parametrize(
    "feed", sorted(p.name for p in FEEDS.glob("*.xml") if p.name not in ILL_FORMED_WITHOUT_ENTRIES)
)
def test_feed_converts_builds_and_keeps_everything(feed: str, tmp_path: Path) -> None:
    report = check_feed(FEEDS / feed, tmp_path)
    assert report.converted, report.error
    _write_row(report)
    assert report.entries, "every corpus feed has entries"
    failures = [entry for entry in report.entries if not entry.ok]
    assert not failures, "\n".join(f"{e.slug}: {e}" for e in failures)
    if feed == SEED:
        assert report.min_recall == 1.0
        modeling = next(e for e in report.entries if "modeling-the-business" in e.slug)
        assert modeling.footnotes_found == 2


@pytest.mark.parametrize("feed", sorted(ILL_FORMED_WITHOUT_ENTRIES))
def test_unrecoverable_feed_is_one_clear_error(feed: str, tmp_path: Path) -> None:
    process = subprocess.run(
        [sys.executable, "-m", "feedbook", "init", str(tmp_path / "book"), "--feed", str(FEEDS / feed)],
        capture_output=True,
        text=True,
    )
    assert process.returncode == 1
    lines = process.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"feedbook: error: {feed}: not a well-formed feed (line ")
    assert "Traceback" not in process.stderr
    assert not (tmp_path / "book").exists(), "no half-made book is left behind"
