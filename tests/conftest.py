"""Shared pytest options: --regen-golden rewrites the expected MyST of the golden-file tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

FIDELITY_ROWS = Path(__file__).parent.parent / "build" / "test-reports" / "fidelity"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--regen-golden", action="store_true", help="rewrite tests/fixtures/convert/*.md")


@pytest.fixture
def regen_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--regen-golden"))


def pytest_sessionstart(session: pytest.Session) -> None:
    """Rows of an earlier run must not show up in this run's table (xdist workers leave them alone)."""
    if not hasattr(session.config, "workerinput") and FIDELITY_ROWS.is_dir():
        for row in FIDELITY_ROWS.glob("*.json"):
            row.unlink()


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # type: ignore[no-untyped-def]
    """The per-feed fidelity table, gathered from the rows the corpus tests wrote (works under xdist)."""
    rows = sorted(FIDELITY_ROWS.glob("*.json")) if FIDELITY_ROWS.is_dir() else []
    if not rows:
        return
    terminalreporter.section("fidelity: source entry HTML vs built page, per feed")
    terminalreporter.write_line(
        f"{'feed':60} {'entries':>7} {'words':>8} {'min recall':>10} "
        f"{'notes':>7} {'links':>6} {'code':>7} {'tables':>7}"
    )
    for path in rows:
        row = json.loads(path.read_text())
        terminalreporter.write_line(
            f"{row['feed'][:60]:60} {row['entries']:7} {row['words']:8} {row['min_recall']:10.4f} "
            f"{row['notes']:>7} {row['links_missing']:>6} {row['code']:>7} {row['tables']:>7}"
        )
