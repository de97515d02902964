"""nox sessions for the feedbook project and its book (outputs under build/)."""

from __future__ import annotations

import nox

nox.options.sessions = ["tests"]
nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
# A session whose interpreter is missing fails; it never reports success with nothing done.
nox.options.error_on_missing_interpreters = True

# Every session runs on the interpreter nox runs on (feedbook supports Python >= 3.11): a machine
# with 3.12 or 3.13 and no 3.11 builds the book instead of skipping it.
PYTHON = None


def _install(session: nox.Session, *extras: str) -> None:
    spec = f".[{','.join(extras)}]" if extras else "."
    session.install("-e", spec)


@nox.session(python=PYTHON)
def book(session: nox.Session) -> None:
    """Build the book in every format: build/epub, build/pdf, build/html (which links the other two)."""
    _install(session)
    session.run("feedbook", "build", "all", "--book", "book", "--out", "build", *session.posargs)


@nox.session(python=PYTHON)
def html(session: nox.Session) -> None:
    """Build the HTML site into build/html."""
    _install(session)
    session.run("feedbook", "build", "html", "--book", "book", "--out", "build", *session.posargs)


@nox.session(python=PYTHON)
def epub(session: nox.Session) -> None:
    """Build the EPUB into build/epub."""
    _install(session)
    session.run("feedbook", "build", "epub", "--book", "book", "--out", "build", *session.posargs)


@nox.session(python=PYTHON)
def pdf(session: nox.Session) -> None:
    """Build the PDF (WeasyPrint) into build/pdf."""
    _install(session)
    session.run("feedbook", "build", "pdf", "--book", "book", "--out", "build", *session.posargs)


@nox.session(python=PYTHON, name="print")
def print_edition(session: nox.Session) -> None:
    """The print edition into build/print: interior, cover and report (`nox -s print -- --printer lulu --trim a5`)."""
    _install(session)
    session.run("feedbook", "build", "print", "--book", "book", "--out", "build", *session.posargs)


@nox.session(python=PYTHON)
def convert(session: nox.Session) -> None:
    """Merge feeds (given after --, or those recorded in the book) into book/posts."""
    _install(session)
    session.run("feedbook", "convert", "--book", "book", *session.posargs)


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the whole test suite (what .ci/run calls)."""
    _install(session, "test")
    session.run("pytest", "-n", "auto", *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff check, ruff format --check, mypy on tools/, and the stages' import contract (import-linter)."""
    _install(session, "lint")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")
    session.run("lint-imports")


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Converter against markdownify and pandoc; PDF against sphinx-simplepdf (100, 500 posts); scale (100-2,000);
    the history walk of a 2,000-post WordPress blog (REST API against the paged feed); math in the EPUB and the PDF
    of four corpus books, typeset against TeX as text.

    About 50 minutes on 2 cores; `nox -s bench -- convert` (or pdf, scale, history, math) runs one of the five.
    """
    _install(session, "bench")
    chosen = set(session.posargs) or {"convert", "pdf", "scale", "history", "math"}
    for name in ("convert", "pdf", "scale", "history", "math"):
        if name in chosen:
            session.run("python", f"tests/bench/bench_{name}.py")
