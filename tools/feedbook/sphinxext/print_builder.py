"""The ``print`` builder: the PDF builder's print pages, made into a print-on-demand edition.

It writes ``<name>-interior.pdf``, ``<name>-cover.pdf`` and ``<name>-report.txt`` into its
output folder for the printer, trim and paper the book's ``feedbook_print_*`` values name. A
printer rule the files do not meet is a warning (``feedbook.print``), so a build with ``-W``
fails and says which; the files stay, for a proof.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ConfigError
from sphinx.util import logging

from ..names import file_name
from ..print_edition.printers import PRINTERS, parse_trim
from ..print_edition.settings import LINK_MODES, PART_MODES, PrintSettings
from .listing import grouped
from .pdf import FeedbookPdfBuilder, warn_or_notice

logger = logging.getLogger(__name__)


class FeedbookPrintBuilder(FeedbookPdfBuilder):
    name = "print"
    epilog = "The print edition is in %(outdir)s."

    def init(self) -> None:
        super().init()
        self.settings = print_settings(
            self.config.feedbook_print_printer,
            self.config.feedbook_print_trim,
            self.config.feedbook_print_paper,
            self.config.feedbook_print_links,
            self.config.feedbook_print_parts,
        )

    def write_pdf(self) -> None:
        from ..print_edition.edition import write_print_edition

        book, entries, posts = self.book_contents()
        name = file_name(self.config.project)
        logger.info("writing the print edition %s-interior.pdf (%d posts)", name, len(entries))
        edition = write_print_edition(
            book,
            entries,
            Path(self.outdir),
            name,
            self.settings,
            grouped(self.config, posts),
            _warn,
            self.config.feedbook_pdf_workers or None,
        )
        for check in edition.failures:
            _warn(f"{self.settings.printer.name} would refuse this: {check.rule}: {check.found}")
        logger.info("%s: %d pages; %s", edition.interior.path.name, edition.interior.pages, edition.report.name)


def print_settings(printer: str, trim: str, paper: str, links: str = "footnotes", parts: str = "post") -> PrintSettings:
    """The settings named, checked: ConfigError says which value is wrong and what is accepted."""
    if printer not in PRINTERS:
        raise ConfigError(f"feedbook_print_printer {printer!r}: one of {', '.join(PRINTERS)}")
    chosen = PRINTERS[printer]
    try:
        size = parse_trim(trim)
    except ValueError as error:
        raise ConfigError(f"feedbook_print_trim: {error}") from None
    if not chosen.takes_trim(size):
        raise ConfigError(f"feedbook_print_trim: {size} is not a size {chosen.name} prints")
    if paper not in chosen.papers:
        raise ConfigError(f"feedbook_print_paper {paper!r}: {chosen.name} prints on {', '.join(chosen.papers)}")
    if links not in LINK_MODES:
        raise ConfigError(f"feedbook_print_links {links!r}: one of {', '.join(LINK_MODES)}")
    if parts not in PART_MODES:
        raise ConfigError(f"feedbook_print_parts {parts!r}: one of {', '.join(PART_MODES)}")
    return PrintSettings(chosen, size, paper, links, parts)


def _warn(message: str) -> None:
    warn_or_notice(message, "print")


def setup_print(app: Sphinx) -> None:
    app.add_config_value("feedbook_print_printer", "kdp", "", types=frozenset({str}))
    app.add_config_value("feedbook_print_trim", "6x9in", "", types=frozenset({str}))
    app.add_config_value("feedbook_print_paper", "white", "", types=frozenset({str}))
    app.add_config_value("feedbook_print_links", "footnotes", "", types=frozenset({str}))
    app.add_config_value("feedbook_print_parts", "post", "", types=frozenset({str}))
    app.add_builder(FeedbookPrintBuilder)
