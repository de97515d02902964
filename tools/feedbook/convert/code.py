"""Code blocks: their text, their language (read from highlighter markup, checked against Pygments), and code spans."""

from __future__ import annotations

import functools
import re

from lxml import etree
from pygments.lexer import Lexer
from pygments.lexers import find_lexer_class_by_name
from pygments.token import Error
from pygments.util import ClassNotFound

from . import escape

# Code spans are marked with private-use characters while a paragraph is built, resolved last.
CODE_OPEN, CODE_CLOSE = "\ue004", "\ue005"

# language-python, lang-go, highlight-ruby, hljs-js, brush:php; a separator is required ("highlighter-rouge" is none).
LANGUAGE_CLASS = re.compile(r"^(?:language|lang|highlight|hljs|brush|source)[-:]([\w+#.-]+)$|^sourceCode$", re.I)


HIGHLIGHTER_WORDS = {
    "highlight",
    "highlighter-rouge",
    "hljs",
    "sourcecode",
    "code",
    "prettyprint",
    "linenums",
    "chroma",
    "crayon-plain-tag",
    "notranslate",
    "line-numbers",
    "plaintext",
    "text",
    "nohighlight",
    "no-highlight",
}


CODE_RUN = re.compile("\ue004([^\ue004\ue005]*)\ue005")


def code_span(text: str) -> str:
    """Inline code, written as a code span once the paragraph is known (see `code_spans`)."""
    return f"{CODE_OPEN}{text.replace(CODE_OPEN, '').replace(CODE_CLOSE, '')}{CODE_CLOSE}"


def code_spans(text: str) -> str:
    """Adjacent code (<code>a</code><span><code>b</code></span>) is one span: "`a``b`" would not parse as two."""
    if CODE_OPEN not in text:
        return text
    text = text.replace(CODE_CLOSE + CODE_OPEN, "")
    return CODE_RUN.sub(lambda match: escape.code_span(match.group(1)), text)


def code_text(element: etree._Element) -> str:
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.tag == "br":
            parts.append("\n")
        elif node.tag == "img":  # emoji pictures inside code: their character
            parts.append(node.get("alt") or "")
        else:
            if node.tag == "q":  # browsers draw a <q>'s quotation marks, in code too
                parts.append("“")
            if node.text:
                parts.append(node.text)
        for child in node:
            if isinstance(child.tag, str):
                walk(child)
            if child.tag == "q":
                parts.append("”")
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return "".join(parts).replace("\r\n", "\n").replace("\u00a0", " ").expandtabs(4)


def language_of(element: etree._Element, code: str) -> str:
    """The code's language from the highlighter's markup (rouge, pygments, chroma, prism, highlight.js)."""
    candidates: list[str] = []
    nodes = [element, *element.iter("code")]
    nodes += list(element.iterancestors())[:4]
    for node in nodes:
        for attribute in ("data-lang", "data-language"):
            if node.get(attribute):
                candidates.append(node.get(attribute, ""))
        classes = (node.get("class") or "").split()
        for index, cls in enumerate(classes):
            match = LANGUAGE_CLASS.match(cls)
            if match and match.group(1):
                candidates.append(match.group(1))
            elif cls.lower() == "brush:" and index + 1 < len(classes):  # SyntaxHighlighter: "brush: php;"
                candidates.append(classes[index + 1])
            elif node.tag == "code" and cls.lower() not in HIGHLIGHTER_WORDS:
                candidates.append(cls)
    for candidate in candidates:
        name = candidate.strip().lower().rstrip(";")
        if name in ("plaintext", "text", "plain", "none", "nohighlight", "txt"):
            return ""
        if lexer_for(name) is None:
            continue  # a class that names no language ("foo"): the next one may
        return name if lexes_cleanly(name, code) else ""
    return ""


@functools.lru_cache(maxsize=256)
def lexer_for(name: str) -> Lexer | None:
    try:
        return find_lexer_class_by_name(name)(stripnl=False)
    except ClassNotFound:
        return None


def lexes_cleanly(name: str, code: str) -> bool:
    """Sphinx warns when the named lexer fails on the code; then the block is better left plain."""
    lexer = lexer_for(name)
    if lexer is None:
        return False
    # What Sphinx's raiseonerror filter looks for, without the filter and preprocessing layers.
    return all(token is not Error for _, token, _ in lexer.get_tokens_unprocessed(code))


def is_code_table(table: etree._Element) -> bool:
    classes = (table.get("class") or "") + " " + " ".join((td.get("class") or "") for td in table.iter("td"))
    return ("gutter" in classes or "linenos" in classes or "highlighttable" in classes) and find_code_cell(
        table
    ) is not None


def find_code_cell(table: etree._Element) -> etree._Element | None:
    for cell in table.iter("td"):
        if "code" in (cell.get("class") or "").split():
            return cell.find(".//pre") if cell.find(".//pre") is not None else cell
    cells = list(table.iter("td"))
    return cells[-1] if cells else None
