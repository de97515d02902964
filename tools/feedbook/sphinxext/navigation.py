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
from sphinx.environment import BuildEnvironment

from .builds import builds_site, once_per_build
from .listing import YEARS_DIR
from .site_builder import NAVIGATION_ONLY


@dataclass(frozen=True)
class NavEntry:
    docname: str
    title: str
    children: tuple[NavEntry, ...] = ()


def navigation(app: Sphinx) -> tuple[NavEntry, ...]:
    """The root's toctree entries, each with its own toctree's entries (once per build)."""
    return once_per_build(app, "navigation", _read_navigation)


def _read_navigation(app: Sphinx) -> tuple[NavEntry, ...]:
    env = app.env
    includes = env.toctree_includes

    def entry(docname: str, depth: int) -> NavEntry:
        title = env.titles[docname].astext() if docname in env.titles else docname
        kids = includes.get(docname, []) if depth < 2 else []
        return NavEntry(docname, title, tuple(entry(kid, depth + 1) for kid in kids if kid in env.titles))

    entries = [entry(docname, 1) for docname in includes.get(app.config.root_doc, []) if docname in env.titles]
    return _newest_first(entries, app.config.feedbook_posts_dir)


def _newest_first(entries: list[NavEntry], posts_dir: str) -> tuple[NavEntry, ...]:
    """The sidebar lists the blog newest first, as its front page does; the toctree runs as the book
    reads (oldest first). Pages that are not posts or years (the tags page) stay after them."""
    dated = (f"{posts_dir}/", f"{YEARS_DIR}/")
    chronological = [e for e in entries if e.docname.startswith(dated)]
    others = [e for e in entries if not e.docname.startswith(dated)]
    flipped = [NavEntry(e.docname, e.title, tuple(reversed(e.children))) for e in reversed(chronological)]
    return (*flipped, *others)


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
    if builds_site(app) and app.config.html_theme == "sphinx_book_theme":
        context["feedbook_navigation"] = navigation_html(app, pagename)


def remember_changed_posts(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Note what this build reads again, for ``pages_sharing_navigation``; asks for nothing more itself."""
    app.builder._feedbook_touched = (set(added), set(changed), set(removed))  # type: ignore[attr-defined]
    return []


def remember_read_docs(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Every page this build reads again (Sphinx's, listings' and other extensions' reasons alike)."""
    app.builder._feedbook_read = set(docnames)  # type: ignore[attr-defined]


def pages_sharing_navigation(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages whose sidebar or previous/next links show a post that was added, changed or removed.

    Sphinx rewrites only the pages it read again; but every post of a year lists that year's
    posts in its sidebar, and a post's neighbours link to it. A new year changes every page.
    """
    added, changed, removed = getattr(app.builder, "_feedbook_touched", (set(), set(), set()))
    prefix = app.config.feedbook_posts_dir + "/"
    posts = {docname for docname in added | changed if docname.startswith(prefix)}
    if not posts and not any(docname.startswith(prefix) for docname in removed):
        return []
    root = app.config.root_doc
    pages: set[str] = set()
    if any(docname in env.toctree_includes.get(root, []) for docname in added) or removed:
        pages = set(env.found_docs)  # a new entry at the top level (a new year): every sidebar changes
    else:
        parents = {child: parent for parent, kids in env.toctree_includes.items() for child in kids}
        relations = env.collect_relations()
        for docname in posts:
            pages.update(env.toctree_includes.get(parents.get(docname, root), []))
            pages.update(related for related in relations.get(docname, [])[1:] if related)
        pages &= env.found_docs
    # Not read again, so their words are unchanged: the site builder keeps their search entries.
    setattr(app.builder, NAVIGATION_ONLY, pages - getattr(app.builder, "_feedbook_read", set()))
    return sorted(pages)
