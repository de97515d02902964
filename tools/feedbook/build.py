"""A book source folder into output files, through Sphinx with warnings as errors."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from .diagnostics import FeedbookError

SPHINX_STRICT = ("-W", "--keep-going", "-n", "-q")


def sphinx_args(book: Path, out: Path, builder: str) -> list[str]:
    """The sphinx-build arguments for one format; doctrees live outside the output folder.

    The site links the EPUB and PDF built into the same output folder (built first by `build all`).
    """
    downloads = ["-D", f"feedbook_downloads_dir={out.resolve()}"] if builder == "html" else []
    doctrees = str(out / ".doctrees" / builder)
    return [*SPHINX_STRICT, *downloads, "-b", builder, "-d", doctrees, str(book), str(out / builder)]


def build_book(book: Path, out: Path, builder: str) -> Path:
    """Build one format; raise FeedbookError naming the book when Sphinx fails or warns."""
    from sphinx.cmd.build import build_main

    if not (book / "conf.py").is_file():
        raise FeedbookError(f"{book}: not a book folder (no conf.py)")
    errors = io.StringIO()
    with contextlib.redirect_stderr(errors):
        status = build_main(sphinx_args(book, out, builder))
    if status != 0:
        lines = [line for line in errors.getvalue().splitlines() if line.strip()]
        detail = lines[0] if lines else "see the Sphinx output above"
        more = f" (and {len(lines) - 1} more)" if len(lines) > 1 else ""
        raise FeedbookError(f"{book}: the {builder} build failed: {detail}{more}")
    if builder == "html":
        return out / "html" / "index.html"
    books = sorted((out / builder).glob(f"*.{builder}"))
    return books[0] if books else out / builder
