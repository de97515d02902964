"""Untrusted feed HTML into a clean lxml tree: WordPress source rendered, allowlist applied, URLs absolute.

The allowlist is enforced by nh3 (Rust's ammonia), a maintained sanitizer, rather
than by code of ours. Tags outside it lose their markup but keep their text; script
and style lose both. The converter then only ever writes MyST for the tags it has
rules for, so no raw HTML from a feed reaches the book.
"""

from __future__ import annotations

import html
import re
import urllib.parse

import nh3
from lxml import etree

from ..markup import BLOCK_TAGS, SEPARATING_TAGS
from ..net.urls import is_http_url

# Tags the converter has a rule for, or whose text it keeps with no markup.
INLINE_TAGS = frozenset(
    [
        "a",
        "abbr",
        "acronym",
        "b",
        "bdi",
        "bdo",
        "big",
        "br",
        "cite",
        "code",
        "del",
        "dfn",
        "em",
        "font",
        "i",
        "img",
        "ins",
        "kbd",
        "mark",
        "q",
        "rp",
        "rt",
        "ruby",
        "s",
        "samp",
        "small",
        "span",
        "strike",
        "strong",
        "sub",
        "sup",
        "time",
        "tt",
        "u",
        "var",
        "wbr",
    ]
)
EMBED_TAGS = frozenset(["iframe", "video", "audio", "source", "embed", "object", "picture"])
MATH_TAGS = frozenset(
    ["math", "semantics", "annotation", "mrow", "mi", "mo", "mn", "msup", "msub", "mfrac", "msqrt", "mtext"]
)
ALLOWED_TAGS = BLOCK_TAGS | INLINE_TAGS | EMBED_TAGS | MATH_TAGS | {"colgroup", "col", "center"}
# Known and deliberately dropped with their content (nh3 removes what they hold).
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "title"})
# Known tags whose markup is dropped on purpose but whose text is kept: not worth a warning.
KNOWN_WITHOUT_RULE = frozenset(
    [
        "html",
        "head",
        "body",
        "meta",
        "link",
        "base",
        "form",
        "input",
        "button",
        "select",
        "option",
        "textarea",
        "label",
        "fieldset",
        "legend",
        "svg",
        "g",
        "path",
        "rect",
        "circle",
        "line",
        "polyline",
        "polygon",
        "text",
        "tspan",
        "defs",
        "use",
        "symbol",
        "clippath",
        "lineargradient",
        "stop",
        "desc",
        "object",
        "param",
        "map",
        "area",
        "canvas",
        "noembed",
        "frame",
        "frameset",
        "applet",
        "o:p",
        "radialgradient",
        "ellipse",
        "mask",
        "pattern",
        "filter",
        "marker",
        "foreignobject",
        "image",
        "mspace",
        "mstyle",
        "mtable",
        "mtr",
        "mtd",
        "mover",
        "munder",
        "munderover",
        "mroot",
        "mpadded",
        "mphantom",
        "menclose",
        "mfenced",
        "ms",
        "mglyph",
        "maligngroup",
        "malignmark",
        "merror",
        "mlabeledtr",
        "mprescripts",
        "mmultiscripts",
        "none",
        "annotation-xml",
    ]
)

_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"id", "class", "title", "lang", "dir", "role"},
    "a": {"href", "name", "rel", "rev", "data-fn"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height", "data-src", "data-lazy-src", "srcset"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "td": {"colspan", "rowspan", "align", "style"},
    "th": {"colspan", "rowspan", "align", "style"},
    "pre": {"data-lang", "data-language"},
    "code": {"data-lang", "data-language"},
    "sup": {"data-fn"},
    "iframe": {"src"},
    "video": {"src", "poster"},
    "audio": {"src"},
    "source": {"src", "type"},
    "embed": {"src"},
    "object": {"data"},
    "annotation": {"encoding"},
    "math": {"display"},
    "details": {"open"},
    "time": {"datetime"},
}

_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes=_ATTRIBUTES,
    url_schemes={"http", "https", "mailto", "data"},
    link_rel=None,
    strip_comments=True,
    filter_style_properties={"text-align"},
)

_TAG_NAME = re.compile(r"<([A-Za-z][A-Za-z0-9:-]*)")


def unknown_tags(source_html: str) -> set[str]:
    """Tag names in the source that the cleaner removes without meaning to: their text is kept, their markup lost.

    Tags the cleaner keeps but the converter has no rule for are reported by the converter's dispatcher.
    """
    names = {name.lower() for name in _TAG_NAME.findall(source_html)}
    return names - ALLOWED_TAGS - DROPPED_WITH_CONTENT - KNOWN_WITHOUT_RULE


def clean_html(source_html: str) -> str:
    return _CLEANER.clean(source_html)


MAX_DEPTH = 64
_VOID = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]
)
# nh3 writes well-formed HTML with double-quoted attributes, so a tag is this and nothing else.
_TAG = re.compile(r'<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"\'>/=]+(?:="[^"]*")?)*)\s*(/?)>')


# An element MAX_DEPTH levels below the fragment's root: found by libxml2 in C, in no time for real posts.
_TOO_DEEP = etree.XPath("*" + "/*" * MAX_DEPTH)


def too_deep(root: etree._Element) -> bool:
    return bool(_TOO_DEEP(root))


def limit_depth(clean: str, max_depth: int = MAX_DEPTH) -> tuple[str, bool]:
    """Elements nested deeper than ``max_depth`` lose their tags, never their text.

    lxml's HTML parser silently drops what lies deeper than 255 levels (text
    included) and a recursive walk would exhaust Python's stack: real posts never
    nest that deep, hostile ones do. Returns the HTML and whether anything was flattened.
    """
    if clean.count("<") <= max_depth:  # too few tags to be that deep
        return clean, False
    out: list[str] = []
    stack: list[tuple[str, bool]] = []
    depth = 0
    position = 0
    flattened = False
    for match in _TAG.finditer(clean):
        out.append(clean[position : match.start()])
        position = match.end()
        closing, name = match.group(1), match.group(2).lower()
        if name in _VOID or match.group(4):
            out.append(match.group(0))
        elif not closing:
            keep = depth < max_depth
            stack.append((name, keep))
            if keep:
                depth += 1
                out.append(match.group(0))
            else:
                flattened = True
                if name in SEPARATING_TAGS:
                    out.append(" ")
        elif stack and stack[-1][0] == name:
            _, keep = stack.pop()
            if keep:
                depth -= 1
                out.append(match.group(0))
            elif name in SEPARATING_TAGS:
                out.append(" ")
        else:
            out.append(match.group(0))
    out.append(clean[position:])
    return "".join(out), flattened


# lxml's plain HTML parser: lxml.html's element classes cost a lookup on every node access.
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, huge_tree=True)


def parse_fragment(clean: str) -> etree._Element:
    """The cleaned HTML as children of one <div>."""
    document = etree.fromstring(f"<html><body><div>{clean}</div></body></html>", _PARSER)
    return document[0][0]


def text_of(element: etree._Element) -> str:
    return "".join(element.itertext())


def resolve_urls(root: etree._Element, base: str) -> None:
    """Make href/src/srcset absolute against the entry's base; fragments stay as they are."""
    web_base = base if is_http_url(base) else ""
    for element in root.iter("a", "img", "iframe", "video", "audio", "source", "embed"):
        for attribute in ("href", "src", "poster", "data-src", "data-lazy-src"):
            value = element.get(attribute)
            if value is None:
                continue
            value = value.strip()
            if value.startswith(("#", "http://", "https://", "data:")) or not web_base:
                element.set(attribute, value)
                continue
            try:
                element.set(attribute, urllib.parse.urljoin(web_base, value))
            except ValueError:
                continue
        if web_base and element.get("srcset"):
            element.set("srcset", _resolved_srcset(element.get("srcset", ""), web_base))


def _resolved_srcset(srcset: str, base: str) -> str:
    """Each candidate's URL made absolute; candidates part at a comma and a space (a URL may hold commas)."""
    candidates = []
    for candidate in re.split(r",\s+", srcset.strip()):
        url, _, descriptor = candidate.strip().partition(" ")
        if url and not url.startswith(("http://", "https://", "data:")):
            try:
                url = urllib.parse.urljoin(base, url)
            except ValueError:
                continue
        candidates.append(f"{url} {descriptor.strip()}".strip())
    return ", ".join(candidates)


# --- WordPress export (WXR) bodies: raw post source, as the editor saved it ----------------------

_BLOCK_START = re.compile(
    r"^\s*</?(?:p|div|ul|ol|li|h[1-6]|pre|blockquote|table|thead|tbody|tr|td|th|figure|hr|dl|dt|dd|"
    r"section|address|form|iframe|object|embed|video|audio)\b",
    re.I,
)
_SHORTCODE_CODE = re.compile(
    r"\[(code|sourcecode|source)(?:\s+(?:lang(?:uage)?)=[\"']?([\w+#-]+)[\"']?)?[^\]]*\](.*?)\[/\1\]",
    re.S | re.I,
)
_SHORTCODE_CAPTION = re.compile(r"\[caption[^\]]*\](.*?)\[/caption\]", re.S | re.I)
_WP_LATEX = re.compile(r"\$latex\s(.*?)(?:&(?:amp;)?[sb]g?=[^$]*)?\$", re.S)
_PRE_BLOCK = re.compile(r"<pre\b.*?</pre>", re.S | re.I)


def render_wordpress(source: str) -> str:
    """What WordPress makes of post source: [code] shortcodes, $latex$, wpautop paragraphs."""
    protected: list[str] = []

    def protect(block: str) -> str:
        protected.append(block)
        return f"\n\n\x00{len(protected) - 1}\x00\n\n"

    def code(match: re.Match[str]) -> str:
        language = match.group(2) or ""
        # Shortcode bodies are source text that WordPress shows verbatim, entities included.
        body = html.escape(html.unescape(match.group(3)).strip("\n"), quote=False)
        return protect(f'<pre><code class="language-{language}">{body}</code></pre>')

    source = _SHORTCODE_CODE.sub(code, source)
    source = _PRE_BLOCK.sub(lambda m: protect(m.group(0)), source)
    source = _SHORTCODE_CAPTION.sub(lambda m: f"<figure>{_caption(m.group(1))}</figure>", source)

    def latex(match: re.Match[str]) -> str:
        tex = html.escape(html.unescape(match.group(1)).strip(), quote=False)  # "a &lt; b" stays text
        return f'<span class="math">\\({tex}\\)</span>'

    source = _WP_LATEX.sub(latex, source)
    paragraphs = []
    for chunk in re.split(r"\n\s*\n", source.replace("\r\n", "\n")):
        chunk = chunk.strip()
        if not chunk:
            continue
        if chunk.startswith("\x00") or _BLOCK_START.match(chunk):
            paragraphs.append(chunk)
        else:
            paragraphs.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    text = "\n".join(paragraphs)
    return re.sub(r"\x00(\d+)\x00", lambda m: protected[int(m.group(1))], text)


def _caption(body: str) -> str:
    match = re.match(r"\s*(<a\b[^>]*>\s*<img\b[^>]*>\s*</a>|<img\b[^>]*>)(.*)", body, re.S)
    if not match:
        return body
    return f"{match.group(1)}<figcaption>{match.group(2).strip()}</figcaption>"
