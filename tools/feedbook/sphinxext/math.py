"""Math renderers: MathML for the site and the EPUB, SVG images for the PDF; none needs a script.

Sphinx picks a builder's renderer by ``<builder>_math_renderer`` (``html_math_renderer``
for the site). A formula a renderer cannot take stays its TeX, with a warning of its
own kind (``feedbook.math``) that a book can list in ``suppress_warnings``.
"""

from __future__ import annotations

import html

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.math import get_node_equation_number
from sphinx.writers.html5 import HTML5Translator

from ..math.mathml import NotTypeset, to_mathml
from ..math.svg import to_svg
from ..math.tex import display_tex, plain_number, prepare

logger = logging.getLogger(__name__)
INLINE = "math notranslate nohighlight"


def visit_mathml_inline(self: HTML5Translator, node: nodes.math) -> None:
    self.body.append(self.starttag(node, "span", "", CLASS=INLINE) + _mathml(node, False) + "</span>")
    raise nodes.SkipNode


def visit_mathml_block(self: HTML5Translator, node: nodes.math_block) -> None:
    self.body.append(self.starttag(node, "div", CLASS=INLINE))
    self.body.append(_number(self, node) + _mathml(node, True) + "</div>\n")
    raise nodes.SkipNode


def visit_svg_inline(self: HTML5Translator, node: nodes.math) -> None:
    number = plain_number(node.astext())
    if number is not None:  # a number stays text: an image cannot break, and wide tables of them would
        self.body.append(self.starttag(node, "span", "", CLASS="math math-number") + html.escape(number) + "</span>")
    else:
        self.body.append(self.starttag(node, "span", "", CLASS=INLINE) + _svg(self, node, False) + "</span>")
    raise nodes.SkipNode


def visit_svg_block(self: HTML5Translator, node: nodes.math_block) -> None:
    self.body.append(self.starttag(node, "div", CLASS=INLINE))
    self.body.append(_number(self, node) + _svg(self, node, True) + "</div>\n")
    raise nodes.SkipNode


def _mathml(node: nodes.Element, display: bool) -> str:
    tex = _tex(node, display)
    try:
        return to_mathml(tex, display)
    except NotTypeset as why:
        return _kept_as_tex(node, tex, why)


def _svg(self: HTML5Translator, node: nodes.Element, display: bool) -> str:
    tex = _tex(node, display)
    try:
        return to_svg(tex, display, self.builder.config.feedbook_math_font).img(tex)
    except NotTypeset as why:
        return _kept_as_tex(node, tex, why)


def _tex(node: nodes.Element, display: bool) -> str:
    return display_tex(node.astext()) if display else node.astext()


def _number(self: HTML5Translator, node: nodes.math_block) -> str:
    """The equation's number: Sphinx's own (a labelled block) or the formula's ``\\tag``."""
    own = node["number"]
    number = get_node_equation_number(self, node) if own else html.escape(prepare(node.astext()).tag)
    return f'<span class="eqno">({number})</span>' if number else ""


def _kept_as_tex(node: nodes.Element, tex: str, why: NotTypeset) -> str:
    logger.warning("formula kept as TeX: %s: %s", why, tex, type="feedbook", subtype="math", location=node)
    return f'<span class="math-tex">{html.escape(tex)}</span>'


def add_math_renderers(app: Sphinx) -> None:
    app.add_html_math_renderer("mathml", (visit_mathml_inline, None), (visit_mathml_block, None))
    app.add_html_math_renderer("svg", (visit_svg_inline, None), (visit_svg_block, None))
    # The EPUB and the PDF by default; the site's html_math_renderer is set in configure_book.
    app.add_config_value("epub_math_renderer", "mathml", "env", types=frozenset({str}))
    app.add_config_value("pdf_math_renderer", "svg", "env", types=frozenset({str}))
    app.add_config_value("print_math_renderer", "svg", "env", types=frozenset({str}))
    # An OpenType math font for the PDF's formulas (a file path); empty: STIX Two Math, shipped with ziamath.
    app.add_config_value("feedbook_math_font", "", "env", types=frozenset({str}))
