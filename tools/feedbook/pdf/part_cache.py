"""Rendered parts kept from one PDF build to the next: a post whose print page and first page
number are unchanged is not rendered again.

A part is WeasyPrint's output for one print page, which depends only on the page's HTML
(page numbers of the targets it links to included; images have content-hashed names),
its base URL, its first page number and numbering, the style sheets, the fonts installed,
and the code that drew it (WeasyPrint's version, feedbook's PDF modules). Those, hashed, name the
cached file; its page count, targets and warnings sit beside it, so a cached post reports
the same warnings as a rendered one (a build with -W fails the same way every time).
Entries no build used are removed at the end of each build.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from importlib import metadata
from pathlib import Path

from .. import __version__
from .render import PartOptions, RenderedChunk


class PartCache:
    def __init__(self, folder: Path, styles_salt: str) -> None:
        self.folder = folder
        drawn_by = metadata.version("weasyprint")  # not an import: that alone takes most of a second
        self.salt = f"{styles_salt}|weasyprint {drawn_by}|{_own_code()}|{_installed_fonts()}"
        self.used: set[str] = set()
        self.hits = 0

    def key(self, html: str, base_url: str, first_page: int, numbering: str = "decimal") -> str:
        digest = hashlib.sha256()
        for value in (self.salt, base_url, str(first_page), numbering, html):
            digest.update(value.encode("utf-8"))
            digest.update(b"\0")
        return digest.hexdigest()[:32]

    def lookup(self, key: str, out: Path) -> RenderedChunk | None:
        """The cached part for ``key``, copied to ``out``; None when there is none (or it is broken)."""
        pdf, facts = self.folder / f"{key}.pdf", self.folder / f"{key}.json"
        try:
            known = json.loads(facts.read_text(encoding="utf-8"))
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(pdf, out)
            chunk = RenderedChunk(
                out,
                int(known["first_page"]),
                int(known["pages"]),
                dict(known["anchors"]),
                tuple(known["warnings"]),
                tuple((str(name), float(ppi)) for name, ppi in known.get("images", ())),
                tuple((str(tag), tuple(int(g) for g in glyphs)) for tag, glyphs in known.get("fonts", ())),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None
        self.used.add(key)
        self.hits += 1
        return chunk

    def store(self, key: str, chunk: RenderedChunk) -> None:
        """Keep a freshly rendered part (a copy: the part itself moves on into the book)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = self.folder / f".{key}.pdf.part"
        shutil.copyfile(chunk.path, partial)
        partial.replace(self.folder / f"{key}.pdf")  # the facts are written last: no entry without its part
        facts = {
            "first_page": chunk.first_page,
            "pages": chunk.pages,
            "anchors": chunk.anchors,
            "warnings": list(chunk.warnings),
            "images": [list(image) for image in chunk.images],
            "fonts": [[tag, list(glyphs)] for tag, glyphs in chunk.fonts],
        }
        (self.folder / f"{key}.json").write_text(json.dumps(facts), encoding="utf-8")
        self.used.add(key)

    def fingerprint(self, parts: list[Path], language: str) -> str:
        """What the merged book is made of: every part's bytes, in order, and the book's language."""
        digest = hashlib.sha256(f"{self.salt}|{language}".encode())
        for part in parts:
            digest.update(part.name.encode("utf-8") + b"\0" + hashlib.sha256(part.read_bytes()).digest())
        return digest.hexdigest()

    def unchanged_book(self, fingerprint: str, out: Path, per_post: list[Path]) -> int | None:
        """The book's page count when the last build merged these very parts into the files still on
        disk (sizes and times as it left them); None when the merge must run."""
        self.used.add(_BOOK)
        try:
            known = json.loads((self.folder / f"{_BOOK}.json").read_text(encoding="utf-8"))
            if known["fingerprint"] != fingerprint or known["files"] != _stamps([out, *per_post]):
                return None
            return int(known["pages"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def remember_book(self, fingerprint: str, out: Path, per_post: list[Path], pages: int) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        facts = {"fingerprint": fingerprint, "pages": pages, "files": _stamps([out, *per_post])}
        (self.folder / f"{_BOOK}.json").write_text(json.dumps(facts), encoding="utf-8")
        self.used.add(_BOOK)

    def prune(self) -> None:
        """Entries this build did not use go: the cache holds one book's parts, not every version's."""
        if not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if path.stem not in self.used:
                path.unlink(missing_ok=True)


_BOOK = "book"  # the merged book's own entry: what it was made of


def _own_code() -> str:
    """feedbook's PDF code itself (a new commit installed under the same version must not reuse parts)."""
    digest = hashlib.sha256(__version__.encode())
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.read_bytes())
    return digest.hexdigest()[:16]


def _installed_fonts() -> str:
    """The fonts fontconfig knows: one installed for a missing script must render the posts again."""
    import subprocess

    try:
        listed = subprocess.run(
            ["fc-list", "--format", "%{file}|%{family}|%{style}\n"], capture_output=True, check=False, timeout=30
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return "no fc-list"
    return hashlib.sha256(b"\n".join(sorted(listed.splitlines()))).hexdigest()[:16]


def _stamps(paths: list[Path]) -> list[list[object]]:
    stamps: list[list[object]] = []
    for path in paths:
        stat = path.stat()
        stamps.append([path.name, stat.st_size, stat.st_mtime_ns])
    return stamps


def styles_salt(stylesheet: Path, extra_css: tuple[str, ...], options: PartOptions) -> str:
    """What the parts' looks depend on: the style sheets and how WeasyPrint writes them."""
    digest = hashlib.sha256(stylesheet.read_bytes())
    digest.update(repr(options).encode("utf-8"))
    for css in extra_css:
        digest.update(css.encode("utf-8"))
    return digest.hexdigest()
