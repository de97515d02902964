"""What a new book's folder needs to be hosted on Read the Docs: its build recipe, its requirements, its .gitignore.

A book made by ``feedbook init`` is a folder of its own, usually its own Git repository,
so these files sit beside its ``conf.py``. The requirement names feedbook as it was
installed here (PEP 610's ``direct_url.json``): a Git URL and commit, a PyPI version,
or a local folder, which Read the Docs cannot reach, said so in a comment.
"""

from __future__ import annotations

import json
from importlib import metadata

from .. import __version__

BUILD_FOLDER = "_readthedocs_build"
# WeasyPrint's libraries and the PDF's fonts: text, code, CJK, symbols and emoji (as .ci/run installs them).
APT_PACKAGES = (
    "libpango-1.0-0",
    "libpangoft2-1.0-0",
    "libharfbuzz-subset0",
    "fonts-linuxlibertine",
    "fonts-dejavu-core",
    "fonts-wqy-microhei",
    "fonts-symbola",
    "fonts-noto-core",
)
READTHEDOCS_YAML = """\
# Read the Docs: the book's site, with its EPUB and PDF as the version's downloads.
# Written by feedbook init; see https://docs.readthedocs.io/en/stable/config-file/v2.html
version: 2

build:
  os: ubuntu-24.04
  tools:
    python: "3.11"
  apt_packages:
{packages}
  commands:
    - python -m pip install -r requirements.txt
    - python -m feedbook build all --book . --out {out}
    - mkdir -p $READTHEDOCS_OUTPUT/epub $READTHEDOCS_OUTPUT/pdf
    # Exactly one file with a single dot in its name per download folder.
    - cp {out}/epub/*.epub $READTHEDOCS_OUTPUT/epub/
    - cp {out}/pdf/*.pdf $READTHEDOCS_OUTPUT/pdf/
    - cp -r {out}/html $READTHEDOCS_OUTPUT/html
"""
GITIGNORE = f"""\
# Written on every build: outputs, not sources to keep.
tags.md
years/
_build/
build/
{BUILD_FOLDER}/
"""


def hosting_files() -> dict[str, str]:
    """The files, by name, that a new book's folder gets for Read the Docs and Git."""
    packages = "\n".join(f"    - {package}" for package in APT_PACKAGES)
    return {
        ".readthedocs.yaml": READTHEDOCS_YAML.format(packages=packages, out=BUILD_FOLDER),
        "requirements.txt": requirements(),
        ".gitignore": GITIGNORE,
    }


def requirements() -> str:
    """requirements.txt naming feedbook where this copy of it came from."""
    origin = _direct_url()
    found = origin.get("vcs_info")
    vcs: dict[str, str] = found if isinstance(found, dict) else {}
    url = str(origin.get("url", ""))
    if vcs and url:
        commit = vcs.get("commit_id", "")
        line = f"feedbook @ {vcs.get('vcs', 'git')}+{url}{'@' + commit if commit else ''}"
        return f"# The feedbook this book was made with (its repository and commit).\n{line}\n"
    if url.startswith("file:"):
        return (
            "# feedbook was installed from a folder on the machine that made this book, which a\n"
            "# hosting service cannot reach: name where feedbook comes from instead (a Git URL,\n"
            "# feedbook @ git+https://..., or a version on a package index).\n"
            f"feedbook @ {url}\n"
        )
    return f"# The feedbook this book was made with.\nfeedbook=={__version__}\n"


def _direct_url() -> dict[str, object]:
    try:
        text = metadata.distribution("feedbook").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return {}
    try:
        found = json.loads(text or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}
