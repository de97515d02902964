"""Footnotes in feed HTML into call markers and detached bodies, whatever tool wrote them.

Every generator links a call to its note by fragment: kramdown (``#fn:1``,
``role="doc-noteref"``, ``div.footnotes``), Python-Markdown and goldmark
(``footnote-ref``), pandoc and markdown-it (``#fn1``, ``section.footnotes``),
MultiMarkdown (``rel="footnote"``), WordPress core (``sup[data-fn]``,
``ol.wp-block-footnotes``), Substack (``footnote-anchor`` / ``div.footnote``),
Ghost, Daring Fireball's ``#fn1-2017-06-13`` and hand-made ``<a name="fn1">``.
So one rule serves all: a link to an element of the same entry that sits in a
notes container, or is marked as a note, is a call; the list item (or block)
holding that element is its body. Backlinks inside bodies are dropped.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass, field

from lxml import etree

CALL_TAG = "feedbook-fnref"
"""The element that replaces a footnote call; its ``n`` attribute is the note's number."""

# fn1, fn:1, fn:preview, footnote-1, note23, fn1-2017-06-13; not "notes", "notebook" or "fnord".
_NOTE_ID = re.compile(r"^(?:fn|footnote|note|endnote|ftn)(?:[-:_.]?\d|[-:_.])[\w:.-]*$", re.I)
_CALL_TEXT = re.compile(r"^[\[(]?\s*(?:\d{1,4}(?::\d{1,3})?|[*†‡§¶#]{1,3}|[a-z]|[ivx]{1,5})\s*[\])]?$", re.I)
_BACKLINK_TEXT = re.compile(r"^[\s()\[\]\u21a9\u21aa\u2191\u21e1\u21d1\u2934\u23ce\ufe0e\ufe0f^]*$")
_CALL_MARKERS = ("footnote", "fn", "noteref", "footnote-ref", "footnote-anchor")
_BACKLINK_MARKERS = (
    "back",
    "reversefootnote",
    "footnote-back",
    "footnote-backref",
    "footnotebacklink",
    "footnote-number",
)
_CONTAINER_MARKERS = ("footnotes", "footnote", "wp-block-footnotes", "footnotes-list", "endnotes", "notes")


@dataclass
class Footnotes:
    """Bodies in order of first call: ``bodies[n - 1]`` is note ``n``."""

    bodies: list[etree._Element] = field(default_factory=list)


def extract_footnotes(root: etree._Element, entry_link: str = "") -> Footnotes:
    """Replace calls in ``root`` by ``<feedbook-fnref n=…>`` and detach their bodies."""
    links = [link for link in root.iter("a") if "#" in (link.get("href") or "")]
    if not links:  # most posts: no fragment link, no footnote
        return Footnotes()
    by_id: dict[str, etree._Element] = {}
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for key in (element.get("id"), element.get("name") if element.tag == "a" else None):
            if key and key not in by_id:
                by_id[key] = element
    if not by_id:
        return Footnotes()
    notes = Footnotes()
    # The ids of the calls (and of their <sup>): a backlink in a body points at one of them.
    call_ids = {key for link in links for key in (link.get("id"), _parent_id(link)) if key}
    number_of: dict[int, int] = {}  # id(body) -> note number
    containers: list[etree._Element] = []
    for link in links:
        target_id = _fragment(link.get("href", ""), entry_link)
        if not target_id or target_id not in by_id:
            continue
        target = by_id[target_id]
        if _is_ancestor(target, link) or not _is_call(link, target, target_id):
            continue
        body = _body_of(target)
        if body is None or _is_ancestor(body, link):
            continue
        key = id(body)
        if key not in number_of:
            notes.bodies.append(body)
            number_of[key] = len(notes.bodies)
            for container in (body.getparent(), _container_of(body)):
                if container is not None and all(c is not container for c in containers):
                    containers.append(container)
        _replace_call(link, number_of[key])
    headings = [h for h in (_heading_before(c, root) for c in containers or notes.bodies) if h is not None]
    for body in notes.bodies:
        parent = body.getparent()
        if parent is not None:
            remove_keep_tail(body)
        _drop_backlinks(body, call_ids)
    for container in containers:
        _remove_if_empty(container)
    for heading in headings:
        _remove_if_section_empty(heading)
    return notes


_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def _heading_before(element: etree._Element, root: etree._Element) -> etree._Element | None:
    """The heading right before the notes ("Notes", "Footnotes"), across a rule and up the tree."""
    node = element
    while node is not root and node.getparent() is not None:
        previous = node.getprevious()
        while previous is not None and previous.tag == "hr" and not (previous.tail or "").strip():
            previous = previous.getprevious()
        if previous is not None:
            return previous if previous.tag in _HEADINGS and not (previous.tail or "").strip() else None
        if (node.getparent().text or "").strip():
            return None
        node = node.getparent()
    return None


def _remove_if_section_empty(heading: etree._Element) -> None:
    """A heading that only introduced the notes goes once they have moved: its section holds nothing else."""
    if heading.getparent() is None:
        return
    level = int(heading.tag[1])
    following = []
    for sibling in heading.itersiblings():
        if not isinstance(sibling.tag, str):
            continue
        if sibling.tag in _HEADINGS and int(sibling.tag[1]) <= level:
            break
        if "".join(sibling.itertext()).strip() or (sibling.tail or "").strip() or _shows_something(sibling):
            return
        following.append(sibling)
    if following and any(sibling.tag != "hr" for sibling in following):
        return
    for sibling in following:
        remove_keep_tail(sibling)
    remove_keep_tail(heading)


def _shows_something(element: etree._Element) -> bool:
    return any(el.tag in ("img", "iframe", "video", "audio", "object", "embed") for el in element.iter())


def _parent_id(link: etree._Element) -> str | None:
    parent = link.getparent()
    return parent.get("id") if parent is not None else None


def _fragment(href: str, entry_link: str) -> str:
    href = href.strip()
    if href.startswith("#"):
        return urllib.parse.unquote(href[1:])
    # Some feeds write calls as the post's own URL plus a fragment.
    if entry_link and "#" in href:
        page, _, fragment = href.partition("#")
        if page and page.rstrip("/") == entry_link.split("#")[0].rstrip("/"):
            return urllib.parse.unquote(fragment)
    return ""


def _classes(element: etree._Element) -> list[str]:
    return (element.get("class") or "").lower().split()


def _marked(element: etree._Element | None, markers: tuple[str, ...]) -> bool:
    if element is None or not isinstance(element.tag, str):
        return False
    values = _classes(element) + (element.get("rel") or "").lower().split() + (element.get("rev") or "").lower().split()
    return any(v in markers for v in values)


def _is_call(link: etree._Element, target: etree._Element, target_id: str) -> bool:
    parent = link.getparent()
    marked = (
        _marked(link, _CALL_MARKERS)
        or (link.get("role") or "").lower() == "doc-noteref"
        or (parent is not None and (parent.tag == "sup" or parent.get("data-fn") is not None))
        or link.find("sup") is not None
    )
    note_like = bool(_NOTE_ID.match(target_id)) or _container_of(target) is not None
    if not note_like:
        return False
    short = bool(_CALL_TEXT.match(" ".join("".join(link.itertext()).split())))
    return marked or short or bool(_NOTE_ID.match(target_id))


def _body_of(target: etree._Element) -> etree._Element | None:
    element: etree._Element | None = target
    while element is not None:
        if element.tag == "li" or (element.tag in ("div", "aside", "section", "p") and _is_note_block(element)):
            return element
        if element.tag in ("ol", "ul", "body") or element.getparent() is None:
            break
        element = element.getparent()
    # A bare block with a note id (<p id="fn1">, <div id="footnote-1">) is its own body.
    if target.tag in ("p", "div", "aside", "section", "dd"):
        return target
    return None


def _is_note_block(element: etree._Element) -> bool:
    classes = _classes(element)
    return (
        "footnote" in classes
        or "footnote-item" in classes
        or (element.get("role") or "") in ("doc-footnote", "doc-endnote")
    )


def _container_of(element: etree._Element) -> etree._Element | None:
    for ancestor in element.iterancestors():
        marked = any(c in _CONTAINER_MARKERS for c in _classes(ancestor)) or ancestor.get("role") == "doc-endnotes"
        if marked and ancestor.tag in ("div", "section", "ol", "ul", "aside", "footer"):
            return ancestor
    return None


def _is_ancestor(candidate: etree._Element, element: etree._Element) -> bool:
    return any(a is candidate for a in element.iterancestors()) or candidate is element


def _replace_call(link: etree._Element, number: int) -> None:
    """The <sup> or <a> of the call becomes one marker; citation-style text calls keep their text."""
    marker = etree.Element(CALL_TAG, n=str(number))
    text = " ".join("".join(link.itertext()).split())
    parent = link.getparent()
    replaced = link
    if parent is not None and parent.tag == "sup" and len(parent) == 1 and not (parent.text or "").strip():
        replaced = parent
    if text and not _CALL_TEXT.match(text):
        # "(Fick, 1855)" linking to a note: keep the words, add the call after them.
        link.tag = "span"
        for attribute in list(link.attrib):
            del link.attrib[attribute]
        marker.tail = link.tail
        link.tail = None
        link.addnext(marker)
        return
    marker.tail = replaced.tail
    replaced.getparent().replace(replaced, marker)  # type: ignore[union-attr]


def _drop_backlinks(body: etree._Element, call_ids: set[str]) -> None:
    for link in list(body.iter("a")):
        target = _fragment(link.get("href", ""), "")
        text = "".join(link.itertext())
        if (
            _marked(link, _BACKLINK_MARKERS)
            or (link.get("role") or "") == "doc-backlink"
            or (target and target in call_ids and _BACKLINK_TEXT.match(text) is not None)
            or (target and _BACKLINK_TEXT.match(text) and text.strip())
        ):
            remove_keep_tail(link)
    # Trailing arrows or non-breaking spaces left by the backlink.
    last = _last_text_holder(body)
    if last is not None:
        element, attribute = last
        value = getattr(element, attribute) or ""
        setattr(element, attribute, value.rstrip(" \u00a0\t\n\u21a9\ufe0e\ufe0f"))


def _last_text_holder(body: etree._Element) -> tuple[etree._Element, str] | None:
    holder: tuple[etree._Element, str] | None = (body, "text") if body.text else None
    for element in body.iter():
        if element is body:
            continue
        if element.text:
            holder = (element, "text")
        if element.tail:
            holder = (element, "tail")
    return holder


def remove_keep_tail(element: etree._Element) -> None:
    """Remove an element; its tail text stays where it was."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail or ""
    previous = element.getprevious()
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    element.tail = None
    parent.remove(element)


def _remove_if_empty(container: etree._Element) -> None:
    """Drop a notes container that its bodies have left empty (an <hr>, an empty <ol>)."""
    if "".join(container.itertext()).strip():
        return
    if any(el.tag in ("img", "iframe", "video") for el in container.iter()):
        return
    previous = container.getprevious()
    if previous is not None and previous.tag == "hr" and not (previous.tail or "").strip():
        remove_keep_tail(previous)
    remove_keep_tail(container)
