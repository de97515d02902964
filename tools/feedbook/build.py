"""A book source folder into output files, through Sphinx with warnings as errors."""

from __future__ import annotations

import contextlib
import io
import os
import re
import sys
from pathlib import Path

from .diagnostics import NOTICES, STATUS, FeedbookError, print_to_stderr

# --no-color: feedbook parses and reprints Sphinx's lines, which FORCE_COLOR (set by CI services)
# would otherwise fill with escape codes.
SPHINX_STRICT = ("-W", "--keep-going", "-n", "-q", "--no-color")


def sphinx_args(book: Path, out: Path, builder: str, settings: dict[str, str] | None = None) -> list[str]:
    """The sphinx-build arguments for one format; doctrees live outside the output folder.

    The site links the EPUB and PDF built into the same output folder (built first by `build all`);
    ``settings`` override the book's conf.py values (the print edition's printer, trim and paper).
    """
    downloads = ["-D", f"feedbook_downloads_dir={out.resolve()}"] if builder == "html" else []
    for name, value in (settings or {}).items():
        downloads += ["-D", f"{name}={value}"]
    doctrees = str(out / ".doctrees" / builder)
    return [*SPHINX_STRICT, *downloads, "-b", builder, "-d", doctrees, str(book), str(out / builder)]


SHOWN_WARNINGS = 10


def build_book(book: Path, out: Path, builder: str, settings: dict[str, str] | None = None) -> Path:
    """Build one format; raise FeedbookError naming the book and its warnings when Sphinx fails or warns.

    The first ten warnings are in the message, each naming its chapter; all of them are in
    ``OUT/<format>-warnings.log``. Returns the output: the site's index, the EPUB or PDF, or the
    print edition's report.
    """
    from sphinx.cmd.build import build_main

    if not (book / "conf.py").is_file():
        raise FeedbookError(f"{book}: not a book folder (no conf.py)")
    errors = io.StringIO()
    arguments = sphinx_args(book, out, builder, settings)
    on_terminal = sys.stderr.isatty()
    if on_terminal:
        arguments.remove("-q")  # Sphinx's status lines become feedbook's one progress line
    try:
        with contextlib.redirect_stderr(errors), contextlib.redirect_stdout(_Progress(builder, on_terminal)):
            status = build_main(arguments)
    finally:
        STATUS.clear()
        for notice in NOTICES:
            print_to_stderr(notice)
        NOTICES.clear()
    log = out / f"{builder}-warnings.log"
    if status != 0 and "Interrupted!" in (line.strip() for line in errors.getvalue().splitlines()):
        raise KeyboardInterrupt  # Sphinx caught it and returned 2: stop here, as the user asked
    failure = _sphinx_error(errors.getvalue())
    if status != 0 and failure:
        raise FeedbookError(f"{book}: {failure}")
    if status != 0:
        lines = _warnings(errors.getvalue(), book)
        if not lines:
            raise FeedbookError(f"{book}: the {builder} build failed (see the Sphinx output above)")
        out.mkdir(parents=True, exist_ok=True)
        log.write_text("\n".join(lines) + "\n", encoding="utf-8")
        count = f"{len(lines)} warning{'s' if len(lines) > 1 else ''}"
        where = f"the first {SHOWN_WARNINGS} below, all in {log}" if len(lines) > SHOWN_WARNINGS else "below"
        shown = "".join(f"\n  {line}" for line in lines[:SHOWN_WARNINGS])
        raise FeedbookError(f"{book}: the {builder} build failed with {count} ({where}):{shown}")
    log.unlink(missing_ok=True)
    if builder == "html":
        return out / "html" / "index.html"
    if builder == "print":
        reports = sorted((out / "print").glob("*-report.txt"))
        return reports[0] if reports else out / "print"
    books = sorted((out / builder).glob(f"*.{builder}"))
    return books[0] if books else out / builder


class _Progress(io.TextIOBase):
    """Sphinx's status output read as it comes ("reading sources... [ 40%] posts/x"): the format,
    the step and how far it is, on feedbook's progress line; nothing is kept."""

    _STEP = re.compile(r"(reading sources|writing output|copying images)\.\.\. \[\s*(\d+)%\]\s*(\S*)")

    def __init__(self, builder: str, shown: bool) -> None:
        self.builder = builder
        self.shown = shown

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if self.shown:
            for step in self._STEP.finditer(text):
                STATUS.show(f"feedbook: {self.builder}: {step.group(1)} {step.group(2)}% {step.group(3)}"[:100])
        return len(text)


_SPHINX_ERROR = re.compile(r"^\s*(?:sphinx\.errors\.)?(?:ConfigError|ExtensionError|SphinxError): (.+)$", re.MULTILINE)


def _sphinx_error(stderr: str) -> str:
    """The message of an error Sphinx stopped on (a wrong conf.py value), without its report's traceback."""
    found = _SPHINX_ERROR.findall(stderr)
    return found[-1].strip() if found else ""


def _warnings(stderr: str, book: Path) -> list[str]:
    """Sphinx's warning lines, chapters named from the book folder (``posts/x.md:12: WARNING: …``)."""
    absolute = f"{book.resolve()}{os.sep}"
    relative = f"{book}{os.sep}"
    lines = []
    for line in stderr.splitlines():
        line = line.strip().replace(absolute, "")
        if line.startswith(relative):
            line = line[len(relative) :]
        if line:
            lines.append(line)
    return lines
