"""The nox sessions the README names run on the interpreter at hand, and a missing one is an error."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SESSIONS = ["book", "html", "epub", "pdf", "print", "convert", "tests", "lint", "bench"]


def test_no_session_is_pinned_to_one_python_version() -> None:
    """A session pinned to 3.11 is skipped, exit status 0, on a machine with only 3.12 or 3.13."""
    nox = shutil.which("nox")
    assert nox, "nox is needed on PATH (.ci/run installs it)"
    listed = subprocess.run(
        [nox, "--list", "--json", "-s", *SESSIONS], cwd=ROOT, capture_output=True, text=True, check=True
    )
    sessions = {session["name"]: session for session in json.loads(listed.stdout)}
    assert sorted(sessions) == sorted(SESSIONS)
    assert {name: session["python"] for name, session in sessions.items()} == dict.fromkeys(SESSIONS)


def test_a_missing_interpreter_fails_the_run() -> None:
    """Asked for an interpreter this machine lacks, nox exits non-zero instead of 'skipped'."""
    nox = shutil.which("nox")
    assert nox
    run = subprocess.run(
        [nox, "-s", "convert", "--force-python", "3.4", "--", "--help"], cwd=ROOT, capture_output=True, text=True
    )
    assert run.returncode != 0, run.stdout + run.stderr
    assert "skipped" not in (run.stdout + run.stderr).lower().replace("not skipped", "")
