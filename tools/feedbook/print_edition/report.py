"""Each printer rule, checked on the files as written: page boxes, fonts, links, images, inks, the cover.

The files are read back with pikepdf, not trusted from what the build meant to write.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from ..pdf.book_fonts import SUBSET_TAG
from .cover import CoverLayout
from .interior import Interior
from .printers import BLEED, MIN_MARGIN, PPI_WANTED, inside_minimum
from .settings import PrintSettings

POINTS = 72  # to the inch


@dataclass(frozen=True)
class Check:
    rule: str
    found: str
    status: str  # "ok", "FAILS", or "note" (advice; the file is still accepted)

    def line(self) -> str:
        return f"  {self.status:<6} {self.rule}: {self.found}"


def check_edition(settings: PrintSettings, interior: Interior, cover: Path, layout: CoverLayout) -> list[Check]:
    printer, trim = settings.printer, settings.trim
    checks = []
    if printer.is_standard(trim):
        checks.append(Check("trim", f"{trim}, one of {printer.name}'s standard sizes", "ok"))
    elif printer.takes_trim(trim):
        checks.append(Check("trim", f"{trim}, a custom size {printer.name} prints (not for bookstores)", "note"))
    else:
        checks.append(Check("trim", f"{trim} is not a size {printer.name} prints", "FAILS"))
    paper_ok = settings.paper in printer.papers
    checks.append(Check("paper", f"{settings.paper}", "ok" if paper_ok else "FAILS"))
    with pikepdf.open(interior.path) as pdf:
        checks += _interior_checks(settings, interior, pdf)
    with pikepdf.open(cover) as pdf:
        checks += _cover_checks(settings, layout, pdf)
    return checks


def _interior_checks(settings: PrintSettings, interior: Interior, pdf: pikepdf.Pdf) -> list[Check]:
    printer, trim = settings.printer, settings.trim
    pages = len(pdf.pages)
    low, high = printer.pages
    checks = []
    wrong = [index + 1 for index, page in enumerate(pdf.pages) if not _boxes_are(page, trim.width, trim.height, 0)]
    found = f"{trim} with its TrimBox on all {pages} pages" if not wrong else f"pages {_few(wrong)} are not {trim}"
    checks.append(Check("page size", found, "ok" if not wrong else "FAILS"))
    if low <= pages <= high:
        checks.append(Check("page count", f"{pages} ({printer.name} binds {low} to {high})", "ok"))
    else:
        short = f"{low - pages} pages short of" if pages < low else f"{pages - high} pages over"
        found = f"{pages}, {short} the {low} to {high} {printer.name} binds"
        checks.append(Check("page count", found, "FAILS"))
    least = inside_minimum(printer, pages)
    inside = interior.margins.inside
    found = f"{inside:g} in for {pages} pages (at least {least:g}: {printer.inside_rule})"
    checks.append(Check("inside margin", found, "ok" if inside >= least else "FAILS"))
    edge = interior.margins.smallest_edge()
    found = f"text, running heads and folios at least {edge:.2f} in from the outside, top and bottom edges"
    checks.append(Check("other margins", found, "ok" if edge >= MIN_MARGIN else "FAILS"))
    left_openings = sorted(docname for docname, (first, _) in interior.post_pages.items() if first % 2 == 0)
    found = "page 1 and every post's first page" if not left_openings else f"{_few(left_openings)} open on the left"
    checks.append(Check("right-hand pages", found, "ok" if not left_openings else "FAILS"))
    checks.append(_fonts_check(pdf, printer.full_fonts))
    if not printer.annotations:
        links = sum(len(page.obj.get("/Annots", ())) for page in pdf.pages)
        outline = "/Outlines" in pdf.Root
        found = f"{links} link annotations, {'a' if outline else 'no'} bookmark outline"
        checks.append(Check("no links or bookmarks", found, "ok" if not links and not outline else "FAILS"))
    checks += _image_checks(interior, pdf, printer.max_ppi)
    if printer.pdf_x:
        found = "asked for; this is a plain PDF in black ink with whole fonts: run the service's preflight"
        checks.append(Check("PDF/X", found, "note"))
    rgb = sum(_rgb_operators(pdf))
    found = "text and rules in black ink only" if not rgb else f"{rgb} colours set in RGB"
    checks.append(Check("ink", found, "ok" if not rgb else "FAILS"))
    return checks


def _cover_checks(settings: PrintSettings, layout: CoverLayout, pdf: pikepdf.Pdf) -> list[Check]:
    width, height = layout.size
    page = pdf.pages[0]
    found = f"{width:.3f} x {height:.3f} in: spine {layout.spine:.3f} in"
    found += f" for {layout.pages} pages on {settings.paper} paper"
    ok = len(pdf.pages) == 1 and _boxes_are(page, width - 2 * BLEED, height - 2 * BLEED, BLEED)
    checks = [Check("cover size", found + ", 0.125 in bleed", "ok" if ok else "FAILS")]
    minimum = settings.printer.spine_text_pages
    if layout.spine_text:
        checks.append(Check("spine", f"title and author ({layout.pages} pages, {minimum} needed)", "ok"))
    else:
        checks.append(Check("spine", f"left blank: {layout.pages} pages, text from {minimum}", "note"))
    checks.append(_fonts_check(pdf, True, "cover fonts"))
    return checks


def _boxes_are(page: pikepdf.Page, width: float, height: float, bleed: float) -> bool:
    """The TrimBox is width x height inches, and the MediaBox that plus ``bleed`` on every side."""
    trim = page.obj.get("/TrimBox")
    if trim is None:
        return False
    media = [float(value) for value in page.mediabox]
    trimmed = [float(value) for value in trim]
    near = lambda a, b: abs(a - b) < 0.5  # noqa: E731  (half a point)
    return (
        near(trimmed[2] - trimmed[0], width * POINTS)
        and near(trimmed[3] - trimmed[1], height * POINTS)
        and near(media[2] - media[0], (width + 2 * bleed) * POINTS)
        and near(media[3] - media[1], (height + 2 * bleed) * POINTS)
    )


def _fonts_check(pdf: pikepdf.Pdf, whole: bool, rule: str = "fonts") -> Check:
    missing, subsets, count = [], [], 0
    for descriptor in _font_descriptors(pdf):
        count += 1
        name = str(descriptor.get("/FontName", "?"))
        if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
            missing.append(name)
        elif SUBSET_TAG.match(name):
            subsets.append(name)
    if missing:
        return Check(rule, f"{len(missing)} of {count} not embedded: {_few(missing)}", "FAILS")
    if whole and subsets:
        return Check(rule, f"{len(subsets)} of {count} embedded as subsets, not whole", "FAILS")
    return Check(rule, f"all {count} embedded{' whole' if whole else ''}", "ok")


def _font_descriptors(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    seen: set[tuple[int, int]] = set()
    for item in pdf.objects:
        if isinstance(item, pikepdf.Dictionary) and item.get("/Type") == "/FontDescriptor" and item.objgen not in seen:
            seen.add(item.objgen)
            yield item


def _image_checks(interior: Interior, pdf: pikepdf.Pdf, max_ppi: int | None) -> list[Check]:
    spaces = [_colour_space(item) for item in pdf.objects if isinstance(item, pikepdf.Stream) and _is_image(item)]
    colour = [space for space in spaces if space != "grey"]
    found = f"all {len(spaces)} in greyscale" if not colour else f"{len(colour)} of {len(spaces)} in colour"
    checks = [Check("images", found, "ok" if not colour else "FAILS")]
    low = sorted({name for name, ppi in interior.images if ppi < PPI_WANTED - 0.5})
    if low:
        worst = min(ppi for _, ppi in interior.images)
        checks.append(Check("image resolution", f"{len(low)} below {PPI_WANTED} ppi (lowest {worst:.0f}): "
                            f"{_few(low)}; the blog's own copies are no larger", "note"))  # fmt: skip
    else:
        checks.append(Check("image resolution", f"every image at {PPI_WANTED} ppi or more as printed", "ok"))
    if max_ppi is not None:
        checks.append(Check("image resolution limit", f"images resampled to at most {max_ppi} ppi", "ok"))
    return checks


def _is_image(item: object) -> bool:
    return isinstance(item, pikepdf.Stream) and item.stream_dict.get("/Subtype") == "/Image"


def _colour_space(image: pikepdf.Stream) -> str:
    space = image.stream_dict.get("/ColorSpace")
    if image.stream_dict.get("/ImageMask", False):
        return "grey"  # a stencil: painted in the current (black) colour
    if isinstance(space, pikepdf.Array) and len(space) and space[0] == "/Indexed":
        space = space[1]
    if isinstance(space, pikepdf.Array) and len(space) > 1 and space[0] == "/ICCBased":
        return "grey" if int(space[1].stream_dict.get("/N", 3)) == 1 else "colour"
    return "grey" if space == "/DeviceGray" else "colour"


def _rgb_operators(pdf: pikepdf.Pdf) -> Iterator[int]:
    """How many colours each content stream (pages and forms) sets as RGB."""
    streams = [page.obj for page in pdf.pages] + [
        item for item in pdf.objects if isinstance(item, pikepdf.Stream) and item.stream_dict.get("/Subtype") == "/Form"
    ]
    for holder in streams:
        try:
            instructions = pikepdf.parse_content_stream(holder)
        except pikepdf.PdfError:
            continue
        yield sum(1 for instruction in instructions if str(instruction.operator) in ("rg", "RG"))


def _few(items: list[str] | list[int]) -> str:
    shown = ", ".join(str(item) for item in items[:5])
    return shown + (f" and {len(items) - 5} more" if len(items) > 5 else "")


def report_text(title: str, settings: PrintSettings, interior: Interior, cover: Path, checks: list[Check]) -> str:
    head = (
        f"feedbook print edition of {title!r} for {settings.printer.name}: {settings.trim}, {settings.paper} paper\n"
        f"  interior: {interior.path.name} ({interior.pages} pages, inside margin {interior.margins.inside:g} in,"
        f" laid out {interior.passes} time{'s' if interior.passes > 1 else ''})\n"
        f"  cover:    {cover.name}\n"
    )
    return head + "\n".join(check.line() for check in checks) + "\n"
