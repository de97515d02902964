"""Under each post's title: its date, author and tags, and a link to where it was first published."""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx

from ..convert.front_matter import tags_of
from ..dates import long_date
from ..net.urls import is_http_url
from .words import _


def add_post_header(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.docname
    if not docname.startswith(app.config.feedbook_posts_dir + "/"):
        return
    metadata = app.env.metadata.get(docname, {})
    title = next(iter(doctree.findall(nodes.title)), None)
    if title is None:
        return
    header = post_header(metadata, getattr(app, "feedbook_tag_labels", {}), docname, app.config.language)
    if header is not None:
        title.parent.insert(title.parent.index(title) + 1, header)


def post_header(
    metadata: dict[str, object], tag_labels: dict[str, str], docname: str, language: str
) -> nodes.container | None:
    """The header block for one post, or None when the front matter has nothing to show."""
    byline = nodes.paragraph(classes=["feedbook-byline"])
    date = long_date(str(metadata.get("date", "")), language)
    if date:
        byline += nodes.inline(text=date, classes=["feedbook-date"])
    author = str(metadata.get("author", ""))
    if author:
        if len(byline):
            byline += nodes.Text(" · ")
        byline += nodes.inline(text=author, classes=["feedbook-author"])
    tags = tags_of(metadata.get("tags"))
    if tags:
        if len(byline):
            byline += nodes.Text(" · ")
        tag_list = nodes.inline(classes=["feedbook-tags"])
        for index, tag in enumerate(tags):
            if index:
                tag_list += nodes.Text(", ")
            tag_list += _tag_link(tag, tag_labels.get(tag), docname)
        byline += tag_list
    container = nodes.container(classes=["feedbook-post-header"])
    if len(byline):
        container += byline
    link = str(metadata.get("link", ""))
    if is_http_url(link):
        origin = nodes.paragraph(classes=["feedbook-origin"])
        origin += nodes.Text(f"{_('Originally published at')} ")
        origin += nodes.reference(link, link, refuri=link)
        container += origin
    return container if len(container) else None


def _tag_link(tag: str, label: str | None, docname: str) -> nodes.Node:
    """A tag, linked to its place on the tags page."""
    if label is None:
        return nodes.Text(tag)
    reference = addnodes.pending_xref(
        "", refdomain="std", reftype="ref", reftarget=label, refexplicit=True, refwarn=True, refdoc=docname
    )
    reference += nodes.inline(text=tag)
    return reference
