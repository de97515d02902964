"""The sidebar's navigation, made from the book's own toctrees in time proportional to one year.

sphinx-book-theme resolves the whole toctree for every page (pydata-sphinx-theme
#381, #855): at 2,000 posts that is most of the HTML build. A blog's navigation is
simple (years, the current year's posts, the tags page), so feedbook writes the same
markup from ``env.toctree_includes`` directly, read once per build.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from sphinx.application import Sphinx


@dataclass(frozen=True)
class NavEntry:
    docname: str
    title: str
    children: tuple[NavEntry, ...] = ()


def navigation(app: Sphinx) -> tuple[NavEntry, ...]:
    """The root's toctree entries, each with its own toctree's entries (once per build)."""
    cached: tuple[NavEntry, ...] | None = getattr(app.builder, "_feedbook_navigation", None)
    if cached is None:
        env = app.env
        includes = env.toctree_includes

        def entry(docname: str, depth: int) -> NavEntry:
            title = env.titles[docname].astext() if docname in env.titles else docname
            kids = includes.get(docname, []) if depth < 2 else []
            return NavEntry(docname, title, tuple(entry(kid, depth + 1) for kid in kids if kid in env.titles))

        root = app.config.root_doc
        cached = tuple(entry(docname, 1) for docname in includes.get(root, []) if docname in env.titles)
        app.builder._feedbook_navigation = cached  # type: ignore[attr-defined]
    return cached


def navigation_html(app: Sphinx, pagename: str) -> str:
    """The theme's sidebar markup: every top entry, the children of the one holding this page."""
    entries = navigation(app)
    holding = {top.docname for top in entries if _holds(top, pagename)}
    lines = [f'<ul class="{"current " if holding else ""}nav bd-sidenav">']
    for top in entries:
        here = top.docname in holding
        # As the theme does: a collapsed entry shows no children and is not marked as having any.
        classes = "toctree-l1" + (" current active has-children" if here and top.children else "")
        classes += " current active" if here and not top.children else ""
        lines.append(f'<li class="{classes}">{_link(app, pagename, top)}')
        if top.children and here:
            inner = ' class="current"' if top.docname != pagename else ""
            lines.append(
                '<details open="open"><summary><span class="toctree-toggle" role="presentation">'
                f'<i class="fa-solid fa-chevron-down"></i></span></summary><ul{inner}>'
            )
            for kid in top.children:
                current = " current active" if kid.docname == pagename else ""
                lines.append(f'<li class="toctree-l2{current}">{_link(app, pagename, kid)}</li>')
            lines.append("</ul></details>")
        lines.append("</li>")
    lines.append("</ul>")
    return "\n".join(lines)


def _holds(entry: NavEntry, pagename: str) -> bool:
    return entry.docname == pagename or any(kid.docname == pagename for kid in entry.children)


def _link(app: Sphinx, pagename: str, entry: NavEntry) -> str:
    if entry.docname == pagename:
        return f'<a class="current reference internal" href="#">{escape(entry.title)}</a>'
    href = app.builder.get_relative_uri(pagename, entry.docname)
    return f'<a class="reference internal" href="{escape(href)}">{escape(entry.title)}</a>'


def add_navigation(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if app.builder.name in ("html", "dirhtml") and app.config.html_theme == "sphinx_book_theme":
        context["feedbook_navigation"] = navigation_html(app, pagename)
