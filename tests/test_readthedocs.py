"""The build commands of .readthedocs.yaml, run here in a fresh virtual environment, make the site, EPUB and PDF."""

from __future__ import annotations

import os
import shutil
import subprocess
import venv
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parent.parent


def run_in_fresh_environment(commands: list[str], cwd: Path, tmp_path: Path) -> Path:
    """Read the Docs' build commands, each checked, in a new virtual environment (they install
    everything from PyPI themselves); the folder they published into ($READTHEDOCS_OUTPUT)."""
    environment = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(environment)
    output = tmp_path / "rtd-output"
    env = {
        **os.environ,
        "READTHEDOCS_OUTPUT": str(output),
        "PATH": f"{environment / 'bin'}{os.pathsep}{os.environ['PATH']}",
    }
    env.pop("PYTHONPATH", None)
    for command in commands:
        done = subprocess.run(command, shell=True, cwd=cwd, env=env, capture_output=True, text=True)
        assert done.returncode == 0, f"{command}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    return output


@pytest.mark.slow
def test_readthedocs_commands_publish_html_epub_and_pdf(tmp_path: Path) -> None:
    config = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text(encoding="utf-8"))
    commands = config["build"]["commands"]
    checkout = tmp_path / "checkout"
    shutil.copytree(
        ROOT, checkout, ignore=shutil.ignore_patterns("build", ".nox", ".git", "_readthedocs_build", "*.egg-info")
    )
    output = run_in_fresh_environment(commands, checkout, tmp_path)
    assert (output / "html" / "index.html").is_file()
    assert (output / "html" / "posts").is_dir()
    epubs = list((output / "epub").iterdir())
    assert len(epubs) == 1 and epubs[0].name.count(".") == 1 and epubs[0].suffix == ".epub"
    assert (output / "html" / "_downloads" / "book" / epubs[0].name).is_file()
    pdfs = list((output / "pdf").iterdir())
    assert len(pdfs) == 1 and pdfs[0].name.count(".") == 1 and pdfs[0].suffix == ".pdf"
    assert pdfs[0].read_bytes().startswith(b"%PDF-")
    assert (output / "html" / "_downloads" / "book" / pdfs[0].name).is_file()
    # Per-post PDFs live inside the site, linked from their posts.
    post_pdfs = sorted((output / "html" / "_downloads" / "book" / "posts").glob("*.pdf"))
    assert len(post_pdfs) == len(list((checkout / "book" / "posts").glob("*.md")))


@pytest.mark.slow
def test_a_book_made_by_init_publishes_on_read_the_docs_from_its_own_files(tmp_path: Path) -> None:
    from helpers import FeedEntry, run_feedbook, write_atom

    feed = write_atom(tmp_path / "feed.xml", [FeedEntry("urn:1", "Hello", "https://b.example/hello")])
    assert run_feedbook("init", "mybook", "--feed", feed, "--offline", "--no-history", cwd=tmp_path).returncode == 0
    book = tmp_path / "mybook"
    assert {".readthedocs.yaml", "requirements.txt", ".gitignore"} <= {p.name for p in book.iterdir()}
    assert "_readthedocs_build/" in (book / ".gitignore").read_text().splitlines()
    requirement = [line for line in (book / "requirements.txt").read_text().splitlines() if line[:1] not in "#"]
    assert requirement and requirement[0].startswith("feedbook")
    config = yaml.safe_load((book / ".readthedocs.yaml").read_text(encoding="utf-8"))
    assert config["version"] == 2 and "fonts-linuxlibertine" in config["build"]["apt_packages"]
    output = run_in_fresh_environment(config["build"]["commands"], book, tmp_path)
    assert "Hello" in (output / "html" / "index.html").read_text(encoding="utf-8")
    assert [p.suffix for p in (output / "epub").iterdir()] == [".epub"]
    assert [p.suffix for p in (output / "pdf").iterdir()] == [".pdf"]


def test_the_requirement_names_feedbook_where_it_came_from(monkeypatch: pytest.MonkeyPatch) -> None:
    from feedbook.archive import hosting

    git = {"url": "https://github.com/someone/feedbook", "vcs_info": {"vcs": "git", "commit_id": "abc123"}}
    monkeypatch.setattr(hosting, "_direct_url", lambda: git)
    assert "feedbook @ git+https://github.com/someone/feedbook@abc123\n" in hosting.requirements()
    monkeypatch.setattr(hosting, "_direct_url", lambda: {"url": "file:///home/me/feedbook", "dir_info": {}})
    text = hosting.requirements()
    assert "cannot reach" in text and "feedbook @ file:///home/me/feedbook" in text
    monkeypatch.setattr(hosting, "_direct_url", dict)
    assert hosting.requirements().endswith("feedbook==0.1.0\n")
