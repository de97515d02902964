"""OpenGraph tags, so a shared link to a post shows its title, summary and date."""

from __future__ import annotations

import html
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from .builds import builds_site

DESCRIPTION_LENGTH = 200


def add_opengraph(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    if doctree is None or not builds_site(app):
        return  # the site only: an EPUB page is not shared by link
    metadata = app.env.metadata.get(pagename, {})
    is_post = pagename.startswith(app.config.feedbook_posts_dir + "/")
    tags = {
        "og:site_name": app.config.project,
        "og:title": app.env.titles[pagename].astext() if pagename in app.env.titles else app.config.project,
        "og:type": "article" if is_post else "website",
        "og:description": summary(doctree),
    }
    if app.config.html_baseurl:
        tags["og:url"] = app.config.html_baseurl.rstrip("/") + "/" + app.builder.get_target_uri(pagename)
    if is_post and metadata.get("date"):
        tags["article:published_time"] = str(metadata["date"])
    lines = [
        f'<meta property="{key}" content="{html.escape(value, quote=True)}" />' for key, value in tags.items() if value
    ]
    context["metatags"] = context.get("metatags", "") + "\n".join(lines) + "\n"


def summary(doctree: nodes.document) -> str:
    """The first words of the page's paragraphs (the post header left out)."""
    words: list[str] = []
    for paragraph in doctree.findall(nodes.paragraph):
        if isinstance(paragraph.parent, nodes.list_item) or any(
            "feedbook-" in " ".join(p.get("classes", [])) for p in [paragraph, paragraph.parent]
        ):
            continue  # the post header and the lists of posts are not what a page is about
        words.extend(paragraph.astext().split())
        if sum(len(word) + 1 for word in words) > DESCRIPTION_LENGTH:
            break
    text = " ".join(words)
    return text if len(text) <= DESCRIPTION_LENGTH else text[: DESCRIPTION_LENGTH - 1].rsplit(" ", 1)[0] + "…"
