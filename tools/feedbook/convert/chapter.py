"""One feed entry into one MyST chapter: front matter, one H1, the body, footnote definitions.

A pure function of the entry and its context (no file system, no network): the
archive passes in how image URLs map to files in the book and which post URLs
are chapters. The HTML walk has one ``visit_<tag>`` method per tag, dispatched
through a table built once; ``.tail`` text is handled by the walker, not by the
methods; context (inside pre, a link, a table cell, emphasis) is passed down in
an immutable `Context`.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable

from lxml import etree

from ..clean import sanitize
from ..clean.footnotes import CALL_TAG, Footnotes, extract_footnotes, remove_keep_tail
from ..clean.svg_image import inline_svgs_as_images
from ..diagnostics import Kind
from ..math.check import unset_formula
from ..names import first_free, label_part
from ..net.urls import is_http_url, url_scheme
from ..sources.records import Entry
from . import emphasis, escape
from .code import code_span, code_spans, code_text, find_code_cell, is_code_table, language_of
from .context import Chapter, ChapterContext, Context
from .embeds import embed_link
from .formulas import ANY_MATH, DISPLAY_ONLY, TEX_LIKE, TEX_SIGNS, math_markup, mathjax_scripts
from .front_matter import front_matter
from .labels import chapter_label, normalize_post_url
from .myst_text import Blocks, as_paragraph, delimit, indent_block, separate_lists, split_space, tidy_blocks
from .tables import table_blocks
from .tree import (
    CODE_KEEPS,
    NOT_TEXT,
    heading_anchors,
    holds_block,
    image_source,
    inline_text,
    is_block,
    is_emoji,
    list_number,
    merge_adjacent_inline,
)

SAFE_LINK_SCHEMES = ("http", "https", "mailto")
_LINKABLE_HEADING = re.compile(r"((?:\([^)\n]*\)=\n)?#{1,6} )([^\n]+)")
# A paragraph that MyST would read as something else once inside brackets: keep it as it is.
_BLOCK_START = re.compile(r"[#>|:`$!\[<*+-]|\d+[.)] |\s")
_HTML_SPACE = re.compile(r"[ \t\r\n\f]+")  # what HTML collapses (not NBSP)


def entry_title(entry: Entry) -> str:
    """The entry's title, or its first words when it has none."""
    if entry.title.strip():
        return entry.title.strip()
    words = " ".join(sanitize.text_of(sanitize.parse_fragment(sanitize.clean_html(entry.content))).split()).split(" ")
    if words and words[0]:
        return " ".join(words[:8]) + ("…" if len(words) > 8 else "")
    return "Untitled post"


def convert_entry(entry: Entry, context: ChapterContext) -> Chapter:
    """The MyST chapter for ``entry``."""
    converter = _Converter(entry, context)
    body = converter.body()
    title = entry_title(entry)
    parts = [
        front_matter(entry, title),
        f"({chapter_label(context.slug)})=\n# " + _heading_text(escape.escape_text(" ".join(title.split()))),
    ]
    if body:
        parts.append(body)
    if entry.summary_only and is_http_url(entry.link):
        # The feed gave only the post's opening: the chapter says so and leads to the rest.
        link = f"[{escape.escape_text(entry.link)}]({escape.link_destination(entry.link)})"
        parts.append(f"The feed gave only this summary of the post; the whole post: {link}")
    notes = converter.footnote_definitions()
    if notes:
        parts.append(notes)
    return Chapter(context.slug, "\n\n".join(parts) + "\n", converter.labels)


def _heading_text(text: str) -> str:
    # A heading's text may not end in #s (closing sequence) or be empty.
    text = text.strip() or "Untitled post"
    return re.sub(r"(#+)$", lambda m: "\\#" * len(m.group(1)), text)


# --- the walker ----------------------------------------------------------------------------------


def _drop_repeated_title(root: etree._Element, title: str) -> None:
    """A body that opens with the post's own title as a heading: the chapter already has it as its H1."""
    first = next((child for child in root if isinstance(child.tag, str)), None)
    if first is None or first.tag not in ("h1", "h2", "h3") or (root.text or "").strip():
        return
    if _comparable(inline_text(first)) == _comparable(title) != "":
        remove_keep_tail(first)


def _comparable(text: str) -> str:
    return " ".join(text.casefold().split()).strip(" .:")


class _Converter:
    def __init__(self, entry: Entry, context: ChapterContext) -> None:
        self.entry = entry
        self.context = context
        self.labels: set[str] = set()
        self.footnotes = Footnotes()
        self._heading_levels: dict[int, int] = {}
        self._last_heading = 1
        self._anchor_labels: dict[str, str] = {}
        self._math_dollars = False
        self._warned_tags: set[str] = set()

    # entry points

    def body(self) -> str:
        source = self.entry.content
        if self.entry.raw_wordpress:
            source = sanitize.render_wordpress(source)
        source = mathjax_scripts(source)
        for tag in sorted(sanitize.unknown_tags(source)):  # the sanitizer removes these before the walk
            self._warn_unknown(tag)
        source, refused = inline_svgs_as_images(source)  # a drawing becomes an image file of the book
        for why in refused:
            self._warn(Kind.IMAGE_UNAVAILABLE, f"an inline <svg> drawing was kept as its words: {why}")
        clean = sanitize.clean_html(source)
        root = sanitize.parse_fragment(clean)
        if sanitize.too_deep(root):  # rare: only then is the HTML read again with its nesting capped
            clean, _ = sanitize.limit_depth(clean)
            root = sanitize.parse_fragment(clean)
            message = f"HTML nested deeper than {sanitize.MAX_DEPTH} levels was flattened (text kept)"
            self._warn(Kind.DEEP_NESTING, message)
        self.footnotes = extract_footnotes(root, self.entry.link)
        sanitize.resolve_urls(root, self.entry.base_url)
        _drop_repeated_title(root, self.entry.title)
        self._prepare(root)
        blocks = self.blocks(root, Context())
        return "\n\n".join(tidy_blocks(blocks))

    def footnote_definitions(self) -> str:
        out = []
        for number, body in enumerate(self.footnotes.bodies, start=1):
            blocks = tidy_blocks(self.blocks(body, Context(nested=True)))
            text = "\n\n".join(blocks) or "\u00a0"
            out.append(f"[^{number}]: " + indent_block(text, "    ", first=""))
        return "\n\n".join(out)

    def _prepare(self, root: etree._Element) -> None:
        """One pass before the walk: heading levels, anchor labels, whether $…$ is math."""
        merge_adjacent_inline(root)
        levels = sorted({int(el.tag[1]) for el in root.iter("h1", "h2", "h3", "h4", "h5", "h6")})
        self._heading_levels = {level: rank + 2 for rank, level in enumerate(levels)}
        for element in root.iter("h1", "h2", "h3", "h4", "h5", "h6"):
            for anchor in heading_anchors(element):
                if anchor not in self._anchor_labels:
                    label = first_free(f"{label_part(self.context.slug)}--{label_part(anchor)}", self.labels)
                    self._anchor_labels[anchor] = label
                    self.labels.add(label)
        text = "".join(root.itertext())
        # Dollars are math only in a post that shows it uses TeX: prices stay prices.
        self._math_dollars = bool(TEX_SIGNS.search(text)) or any(
            "math" in (el.get("class") or "") for el in root.iter("span", "div")
        )

    def _warn(self, kind: Kind, message: str) -> None:
        self.context.reporter.warn(kind, message, feed=self.context.feed, entry=self.entry.id)

    def _no_rule(self, element: etree._Element) -> None:
        """The dispatchers' fallback: the element's text is walked on, its markup is lost unless it is a
        plain container or a part its parent's rule reads."""
        if element.tag not in NEEDS_NO_RULE:
            self._warn_unknown(element.tag)

    def _warn_unknown(self, tag: str) -> None:
        if tag not in self._warned_tags:
            self._warned_tags.add(tag)
            self._warn(Kind.UNKNOWN_TAG, f"<{tag}> has no rule: its text is kept, its markup dropped")

    # blocks

    def blocks(self, element: etree._Element, ctx: Context) -> Blocks:
        """Block-level MyST for the content of ``element`` (its text and children, not its tail)."""
        out: Blocks = []
        inline: list[str] = []
        self._walk_blocks(element, ctx, inline, out)
        self._flush(inline, out)
        return separate_lists(out)

    def _walk_blocks(self, element: etree._Element, ctx: Context, inline: list[str], out: Blocks) -> None:
        if element.text:
            inline.append(self.text(element.text, ctx))
        for child in element:
            if not isinstance(child.tag, str):
                pass
            elif is_block(child):
                self._flush(inline, out)
                out.extend(self.block(child, ctx))
            elif len(child) and holds_block(child):
                if child.tag == "a" and not ctx.link:
                    self._flush(inline, out)
                    out.extend(self._linked_blocks(child, ctx))
                else:
                    # An inline element wrapping blocks (<em>…<p>…</p></em>) is transparent, as a
                    # browser lays it out: its text runs on, its blocks stay blocks.
                    self._walk_blocks(child, ctx, inline, out)
            else:
                inline.append(self.inline(child, ctx))
            if child.tail:
                inline.append(self.text(child.tail, ctx))

    def _linked_blocks(self, link: etree._Element, ctx: Context) -> Blocks:
        """A link around blocks (a bookmark card: title, description, thumbnail; a linked heading)
        keeps its link: on its first paragraph or heading, else as the address after them."""
        blocks: Blocks = []
        inline: list[str] = []
        self._walk_blocks(link, ctx.with_(link=True), inline, blocks)
        self._flush(inline, blocks)
        blocks = separate_lists(blocks)
        href = (link.get("href") or "").strip()
        target = self._link_target(href) if href else None
        if target is None or not blocks:
            return blocks
        destination = escape.link_destination(target)
        first = blocks[0]
        heading = _LINKABLE_HEADING.fullmatch(first)
        if heading and "[" not in heading.group(2):
            blocks[0] = f"{heading.group(1)}[{heading.group(2)}]({destination})"
        elif "\n" not in first and "[" not in first and not _BLOCK_START.match(first):
            blocks[0] = f"[{first}]({destination})"
        else:
            shown = target if not target.startswith("#") else "this post"
            blocks.append(f"[{escape.escape_text(shown)}]({destination})")
        return blocks

    def _flush(self, inline: list[str], out: Blocks) -> None:
        paragraph = as_paragraph("".join(inline))
        inline.clear()
        if paragraph.startswith("$$") and DISPLAY_ONLY.match(paragraph):
            paragraph = "$$\n" + paragraph[2:-2].strip() + "\n$$"
        if paragraph:
            out.append(paragraph)

    def block(self, element: etree._Element, ctx: Context) -> Blocks:
        method = _BLOCK_RULES.get(element.tag)
        if method is None:
            self._no_rule(element)
            return self.blocks(element, ctx)
        if element.tag in ("ul", "ol"):
            return method(self, element, ctx.with_(nested=True))
        return method(self, element, ctx)

    def visit_p(self, element: etree._Element, ctx: Context) -> Blocks:
        return self.blocks(element, ctx)

    def visit_h(self, element: etree._Element, ctx: Context) -> Blocks:
        labels = [self._anchor_labels[a] for a in heading_anchors(element) if a in self._anchor_labels]
        if ctx.nested or ctx.cell:
            # A section cannot open inside a list or quote: a bold line (a link target if it had an id).
            inner = self.inline_children(element, ctx.with_(strong=True))
            if not inner.strip():
                return []
            line = as_paragraph(delimit(inner, strong=True)).replace("\n", " ").replace("\\ ", " ")
            return [f"[{line}]{{#{labels[0]}}}" if labels else line]
        text = as_paragraph(self.inline_children(element, ctx)).replace("\n", " ").replace("\\ ", " ")
        if not text.strip():
            return [f"({label})=" for label in labels[:1]]
        level = self._heading_levels.get(int(element.tag[1]), 2)
        level = max(2, min(level, self._last_heading + 1, 6))
        self._last_heading = level
        heading = "#" * level + " " + _heading_text(text.strip().lstrip("\\"))
        if text.strip().startswith("\\"):
            heading = "#" * level + " " + _heading_text(text.strip())
        return ["\n".join([f"({label})=" for label in labels[:1]] + [heading])]

    def visit_list(self, element: etree._Element, ctx: Context) -> Blocks:
        ordered = element.tag == "ol"
        items = [child for child in element if isinstance(child.tag, str)]
        start = list_number(element.get("start"))
        number = (1 if start is None else start) if ordered else 0
        rendered: list[tuple[str, Blocks]] = []
        bullet, delimiter = "-", "."  # a list right after another gets the other marker: see separate_lists
        for index, item in enumerate(items):
            if item.tag == "li":
                blocks = self.blocks(item, ctx)
            else:
                blocks = self.block(item, ctx) if is_block(item) else [as_paragraph(self.inline(item, ctx))]
            if ordered:
                value = list_number(item.get("value"))
                number = value if value is not None else (number if index == 0 else number + 1)
                marker = f"{number}{delimiter} "
            else:
                marker = f"{bullet} "
            rendered.append((marker, [b for b in blocks if b]))
        loose = any(len(blocks) > 1 for _, blocks in rendered)
        lines = []
        for marker, blocks in rendered:
            text = "\n\n".join(blocks)
            lines.append(marker + indent_block(text, " " * len(marker), first="") if text else marker.rstrip())
        return [("\n\n" if loose else "\n").join(lines)] if lines else []

    def visit_blockquote(self, element: etree._Element, ctx: Context) -> Blocks:
        text = "\n\n".join(tidy_blocks(self.blocks(element, ctx.with_(nested=True))))
        if not text:
            return []
        return ["\n".join(">" if not line else f"> {line}" for line in text.split("\n"))]

    def visit_pre(self, element: etree._Element, ctx: Context) -> Blocks:
        code = code_text(element).strip("\n")
        language = language_of(element, code)
        if not code.strip():
            return []
        fence = escape.fence_for(code)
        return [f"{fence}{language}\n{code}\n{fence}"]

    def visit_hr(self, element: etree._Element, ctx: Context) -> Blocks:
        return ["---"] if not ctx.nested else []

    def visit_table(self, element: etree._Element, ctx: Context) -> Blocks:
        if is_code_table(element):
            code_cell = find_code_cell(element)
            return self.visit_pre(code_cell, ctx) if code_cell is not None else []
        return table_blocks(element, ctx, self)

    def visit_figure(self, element: etree._Element, ctx: Context) -> Blocks:
        images = list(element.iter("img"))
        caption_element = element.find(".//figcaption")
        if len(images) != 1 or element.find(".//pre") is not None or element.find(".//table") is not None:
            return self.blocks(element, ctx)
        image = images[0]
        local = self._local_image(image)
        caption = as_paragraph(self.inline_children(caption_element, ctx)) if caption_element is not None else ""
        if caption_element is not None:
            remove_keep_tail(caption_element)
        others = "".join(element.itertext()).strip()
        if local is None or others:
            blocks = self.blocks(element, ctx)
            return blocks + ([caption] if caption else [])
        alt = " ".join((image.get("alt") or "").split())
        body = [f":alt: {alt}"] if alt else []
        fence = escape.fence_for(caption, ":")
        text = f"{fence}{{figure}} {local}\n" + "\n".join(body) + ("\n\n" + caption if caption else "") + f"\n{fence}"
        return [text.replace("\n\n\n", "\n\n")]

    def visit_dl(self, element: etree._Element, ctx: Context) -> Blocks:
        out: list[str] = []
        for child in element:
            if not isinstance(child.tag, str):
                continue
            if child.tag == "dt":
                term = as_paragraph(self.inline_children(child, ctx)).replace("\n", " ")
                # A blank line ends the previous definition; without it the term would continue its paragraph.
                if out:
                    out.append("")
                out.append(escape.escape_line_start(term) if term else "\u00a0")
            elif child.tag == "dd":
                text = "\n\n".join(tidy_blocks(self.blocks(child, ctx.with_(nested=True))))
                if not out:
                    out.append("\u00a0")
                out.append(": " + indent_block(text, "  ", first="") if text else ": \u00a0")
            else:
                out.extend(self.block(child, ctx))
        # Terms and their definitions form one block; a blank line before each ":" keeps them readable.
        return ["\n".join(out)] if out else []

    def visit_details(self, element: etree._Element, ctx: Context) -> Blocks:
        # Directives use colon fences: a backtick fence could not have a title holding inline code.
        summary = element.find("summary")
        title = as_paragraph(self.inline_children(summary, ctx)).replace("\n", " ") if summary is not None else ""
        if summary is not None:
            remove_keep_tail(summary)
        body = "\n\n".join(tidy_blocks(self.blocks(element, ctx.with_(nested=True))))
        fence = escape.fence_for(body, ":")
        title = title or "Details"
        return [f"{fence}{{admonition}} {title}\n:class: dropdown\n\n{body or chr(0xA0)}\n{fence}"]

    def visit_embed(self, element: etree._Element, ctx: Context) -> Blocks:
        link = embed_link(element, ctx, self)
        return [link] if link else self.blocks(element, ctx)

    # inline

    def inline(self, element: etree._Element, ctx: Context) -> str:
        method = _INLINE_RULES.get(element.tag)
        if method is None:
            self._no_rule(element)
            return self.inline_children(element, ctx)
        return method(self, element, ctx)

    def inline_children(self, element: etree._Element, ctx: Context) -> str:
        parts = [self.text(element.text, ctx)] if element.text else []
        for child in element:
            if isinstance(child.tag, str):
                if is_block(child) and child.tag not in _INLINE_RULES:
                    parts.append(" " + self.inline_children(child, ctx) + " ")
                else:
                    parts.append(self.inline(child, ctx))
            if child.tail:
                parts.append(self.text(child.tail, ctx))
        return "".join(parts)

    def text(self, value: str, ctx: Context) -> str:
        if "  " in value or not value.isprintable():  # most runs have nothing to collapse: skip the regex
            value = _HTML_SPACE.sub(" ", value)
        if not value:
            return ""
        if ctx.code:
            lead, core, trail = split_space(value)
            return lead + code_span(core) + trail if core else value
        if not self._math_dollars or ("$" not in value and "\\" not in value):
            return escape.escape_text(value)
        return self._text_with_math(value)

    def _text_with_math(self, value: str) -> str:
        out = []
        position = 0
        for match in ANY_MATH.finditer(value):
            tex = next(group for group in match.groups() if group is not None).strip()
            if match.group(0).startswith("$") and not TEX_LIKE.search(tex):
                continue  # "$5 and $10": not a formula
            out.append(escape.escape_text(value[position : match.start()]))
            out.append(self._formula(tex, match.group(0).startswith(("$$", "\\[")), match.group(0)))
            position = match.end()
        out.append(escape.escape_text(value[position:]))
        return "".join(out)

    def visit_em(self, element: etree._Element, ctx: Context) -> str:
        inner = self.inline_children(element, ctx.with_(emphasis=True))
        return inner if ctx.emphasis else delimit(inner, strong=False)

    def visit_strong(self, element: etree._Element, ctx: Context) -> str:
        inner = self.inline_children(element, ctx.with_(strong=True))
        return inner if ctx.strong else delimit(inner, strong=True)

    def visit_code(self, element: etree._Element, ctx: Context) -> str:
        if ctx.code or any(c.tag in CODE_KEEPS for c in element.iterdescendants()):
            # A link (or note call, or picture) inside code: each run of text is its own code span, the link stays.
            return self.inline_children(element, ctx.with_(code=True))
        text = inline_text(element)
        if not text.strip():
            return self.text(text, ctx)
        return code_span(text)

    def visit_a(self, element: etree._Element, ctx: Context) -> str:
        href = (element.get("href") or "").strip()
        inner = self.inline_children(element, ctx.with_(link=True))
        if ctx.link or not href:
            return inner
        target = self._link_target(href)
        if target is None:
            return inner
        if not inner.strip():
            return inner  # an empty link shows nothing on the page (often a bare anchor)
        lead, core, trail = split_space(inner)
        # CommonMark parses a link's text on its own, between its brackets.
        core = emphasis.resolve(code_spans(core), edges="[]", spans=False)
        title = element.get("title")
        suffix = f" {escape.link_title(title)}" if title and not target.startswith("#") else ""
        return f"{lead}[{core}]({escape.link_destination(target)}{suffix}){trail}"

    def _link_target(self, href: str) -> str | None:
        if href.startswith("#"):
            label = self._anchor_labels.get(urllib.parse.unquote(href[1:]))
            return f"#{label}" if label else None
        if is_http_url(href):  # nearly every link: no urlsplit needed
            post = self.context.post_labels.get(normalize_post_url(href)) if self.context.post_labels else None
            if post:
                fragment = href.partition("#")[2]
                anchor = self._anchor_labels.get(fragment) if post == chapter_label(self.context.slug) else None
                return f"#{anchor or post}"
            return href
        scheme = url_scheme(href)
        if scheme not in SAFE_LINK_SCHEMES:
            if scheme:
                self._warn(Kind.UNSAFE_URL, f"dropped a link to a {scheme}: URL, kept its text")
            return None
        return href

    def visit_img(self, element: etree._Element, ctx: Context) -> str:
        alt = " ".join((element.get("alt") or "").split())
        if is_emoji(element, alt):
            return self.text(alt, ctx)
        local = self._local_image(element)
        source = image_source(element)
        if local is not None:
            title = element.get("title")
            suffix = f" {escape.link_title(title)}" if title else ""
            return f"![{escape.escape_text(alt)}]({escape.link_destination(local)}{suffix})"
        label = escape.escape_text(alt or "image")
        # The trailing space keeps the label from running into the next word, as the image did not.
        if source and url_scheme(source) in ("http", "https") and not ctx.link:
            return f"[Image: {label}]({escape.link_destination(source)}) "
        # Inside a link (often to the full-size picture) the label keeps the link visible.
        return f"Image: {label} " if alt or ctx.link else ""

    def _local_image(self, element: etree._Element) -> str | None:
        source = image_source(element)
        if not source or self.context.resolve_image is None:
            return None
        return self.context.resolve_image(source)

    def visit_br(self, element: etree._Element, ctx: Context) -> str:
        return " " if ctx.cell or ctx.link else "\\\n"

    def visit_sub(self, element: etree._Element, ctx: Context) -> str:
        return self._role("sub", element, ctx)

    def visit_sup(self, element: etree._Element, ctx: Context) -> str:
        return self._role("sup", element, ctx)

    def visit_kbd(self, element: etree._Element, ctx: Context) -> str:
        return self._role("kbd", element, ctx)

    def visit_abbr(self, element: etree._Element, ctx: Context) -> str:
        text = " ".join(inline_text(element).split())
        title = " ".join((element.get("title") or "").split())
        content = f"{text} ({title})" if title and "(" not in text and ")" not in title else text
        return self._role("abbr", element, ctx, content)

    def _role(self, name: str, element: etree._Element, ctx: Context, content: str | None = None) -> str:
        # A role holds plain text: formatting inside (2<sup><i>l</i>+1</sup>) gives way to the role itself.
        simple = not ctx.link and not any(
            isinstance(c.tag, str) and c.tag in NOT_TEXT and (c.tag != "a" or "".join(c.itertext()).strip())
            for c in element.iterdescendants()
        )
        shown = inline_text(element)
        text = content if content is not None else shown
        rendered = escape.role(name, text) if simple else None
        if rendered is None:
            inner = self.inline_children(element, ctx)
            lead, core, trail = split_space(inner)
            # A span keeps nested markup and, styled by the extension, still looks like the role.
            return f"{lead}[{core}]{{.{name}}}{trail}" if core and not ctx.link and name != "abbr" else inner
        # Spaces at the role's edges belong outside it, where they still part words.
        lead = " " if shown[:1].isspace() else ""
        trail = " " if shown[-1:].isspace() else ""
        return lead + rendered + trail

    def visit_span_class(self, element: etree._Element, ctx: Context) -> str:
        classes = {"del": "del", "s": "del", "strike": "del", "ins": "ins", "u": "ins", "mark": "mark"}
        inner = self.inline_children(element, ctx)
        lead, core, trail = split_space(inner)
        if not core or ctx.link:
            return inner
        return f"{lead}[{core}]{{.{classes[element.tag]}}}{trail}"

    def visit_q(self, element: etree._Element, ctx: Context) -> str:
        return "“" + self.inline_children(element, ctx) + "”"

    def visit_fnref(self, element: etree._Element, ctx: Context) -> str:
        return f"[^{element.get('n')}]"

    def visit_span(self, element: etree._Element, ctx: Context) -> str:
        classes = (element.get("class") or "").split()
        if "math" in classes or "katex" in classes or "MathJax" in classes:
            return self._math_span(element, display="display" in classes)
        return self.inline_children(element, ctx)

    def visit_math(self, element: etree._Element, ctx: Context) -> str:
        return self._math_span(element, display=element.get("display") == "block")

    def _math_span(self, element: etree._Element, display: bool) -> str:
        annotation = next(
            (a for a in element.iter("annotation") if "tex" in (a.get("encoding") or "")),
            None,
        )
        tex = "".join(annotation.itertext()) if annotation is not None else "".join(element.itertext())
        tex = tex.strip()
        for opener, closer in (("\\(", "\\)"), ("\\[", "\\]"), ("$$", "$$"), ("$", "$")):
            if tex.startswith(opener) and tex.endswith(closer) and len(tex) >= len(opener) + len(closer):
                display = display or opener in ("\\[", "$$")
                tex = tex[len(opener) : len(tex) - len(closer)].strip()
                break
        return self._formula(tex, display, tex) if tex else ""

    def _formula(self, tex: str, display: bool, as_written: str) -> str:
        """MyST math, or the TeX as text where no renderer of the book could set it (every format
        then shows the same readable source, and the build has nothing to fail on)."""
        why = unset_formula(tex, display)
        if why is None:
            return math_markup(tex, display)
        self._warn(Kind.FORMULA_AS_TEXT, f"a formula stays TeX text ({why}): {as_written[:80]}")
        return escape.escape_text(as_written)

    def visit_inline_embed(self, element: etree._Element, ctx: Context) -> str:
        return embed_link(element, ctx, self) or self.inline_children(element, ctx)


# --- helpers -------------------------------------------------------------------------------------


# Tags the dispatchers meet without a rule of their own and lose nothing by: containers whose
# meaning a book does not show, presentational markup, and parts their parent's rule reads (a stray
# <li> or <td> outside its list or table keeps its text).
NEEDS_NO_RULE = frozenset(
    {"div", "section", "article", "main", "header", "footer", "aside", "nav", "address", "font", "big", "wbr"}
    | {"picture", "source", "object", "bdi", "li", "dt", "dd", "summary", "figcaption", "caption"}
    | {"thead", "tbody", "tfoot", "tr", "td", "th", "colgroup", "col"}
)

_BLOCK_RULES: dict[str, Callable[..., Blocks]] = {
    "p": _Converter.visit_p,
    **{f"h{n}": _Converter.visit_h for n in range(1, 7)},
    "ul": _Converter.visit_list,
    "ol": _Converter.visit_list,
    "blockquote": _Converter.visit_blockquote,
    "pre": _Converter.visit_pre,
    "hr": _Converter.visit_hr,
    "table": _Converter.visit_table,
    "figure": _Converter.visit_figure,
    "dl": _Converter.visit_dl,
    "details": _Converter.visit_details,
    "iframe": _Converter.visit_embed,
    "video": _Converter.visit_embed,
    "audio": _Converter.visit_embed,
}

_INLINE_RULES: dict[str, Callable[..., str]] = {
    "em": _Converter.visit_em,
    "i": _Converter.visit_em,
    "cite": _Converter.visit_em,
    "dfn": _Converter.visit_em,
    "var": _Converter.visit_em,
    "strong": _Converter.visit_strong,
    "b": _Converter.visit_strong,
    "code": _Converter.visit_code,
    "tt": _Converter.visit_code,
    "samp": _Converter.visit_code,
    "a": _Converter.visit_a,
    "img": _Converter.visit_img,
    "br": _Converter.visit_br,
    "sub": _Converter.visit_sub,
    "sup": _Converter.visit_sup,
    "kbd": _Converter.visit_kbd,
    "abbr": _Converter.visit_abbr,
    "acronym": _Converter.visit_abbr,
    "del": _Converter.visit_span_class,
    "s": _Converter.visit_span_class,
    "strike": _Converter.visit_span_class,
    "ins": _Converter.visit_span_class,
    "u": _Converter.visit_span_class,
    "mark": _Converter.visit_span_class,
    "q": _Converter.visit_q,
    "span": _Converter.visit_span,
    "math": _Converter.visit_math,
    "embed": _Converter.visit_inline_embed,
    "iframe": _Converter.visit_inline_embed,
    "video": _Converter.visit_inline_embed,
    "audio": _Converter.visit_inline_embed,
    CALL_TAG: _Converter.visit_fnref,
}
