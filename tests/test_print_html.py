"""A post's print page, prepared for WeasyPrint: footnotes at their calls, prefixed ids, links, math, alt text."""

from __future__ import annotations

from lxml import html

from feedbook.pdf.print_html import prepare_page

PAGE = """<!DOCTYPE html><html lang="en"><head><title>T</title></head><body><main>
<section id="post-a"><h1>Title</h1>
<p>Call<a class="footnote-reference brackets" href="#id3" id="id1"
 role="doc-noteref"><span class="fn-bracket">[</span>1<span class="fn-bracket">]</span></a> and again<a
 class="footnote-reference brackets" href="#id3" id="id2"
 role="doc-noteref"><span class="fn-bracket">[</span>1<span class="fn-bracket">]</span></a>.</p>
<p>See <a class="reference internal" href="#post-a">the top</a>,
<a class="reference internal" href="b.html#part">post B</a>,
<a class="reference internal" href="../tags.html#tag-x">a tag</a>
and <a class="reference external" href="https://x.example/">x</a>.
Math <span class="math notranslate nohighlight">\\(e^x\\)</span>. <img src="../_images/p.png" alt=""></p>
</section>
<hr class="footnotes docutils" />
<aside class="footnote-list brackets">
<aside class="footnote brackets" id="id3" role="doc-footnote">
<span class="label"><span class="fn-bracket">[</span><a role="doc-backlink"
 href="#id1">1</a><span class="fn-bracket">]</span></span>
<p>First paragraph of the note.</p>
<ul><li>an item</li></ul>
<p>Second paragraph.</p>
</aside></aside>
</main></body></html>"""


def prepared(anchor_pages: dict[str, int] | None = None) -> tuple[html.HtmlElement, set[str]]:
    page = prepare_page(PAGE, "posts/a", {"posts/a": "posts-a", "posts/b": "posts-b"}, anchor_pages)
    return html.document_fromstring(page.html), page.foreign


def test_footnote_body_moves_to_its_first_call_as_spans() -> None:
    tree, _ = prepared()
    note = tree.find(".//span[@class='feedbook-fn']")
    assert note is not None and note.get("id") == "posts-a--fn-id3" and note.get("data-label") == "1"
    assert note.getparent().getparent().tag == "p"  # still inside the calling paragraph
    assert [child.get("class").split()[0] for child in note] == ["fb-p", "fb-ul", "fb-p"]
    assert " ".join(note.text_content().split()) == "First paragraph of the note. an item Second paragraph."
    calls = tree.findall(".//a[@class='feedbook-fn-call']")
    assert [(a.text, a.get("href")) for a in calls] == [("1", "#posts-a--fn-id3")] * 2
    assert tree.find(".//aside") is None and tree.find(".//hr") is None


def test_links_are_prefixed_printed_with_pages_or_unwrapped() -> None:
    tree, foreign = prepared({"posts-b--part": 7})
    links = {a.text_content(): a for a in tree.iter("a")}
    assert links["the top"].get("href") == "#posts-a--post-a" and "feedbook-xref" in links["the top"].get("class")
    assert links["post B"].get("href") == "#posts-b--part" and links["post B"].get("data-page") == "7"
    assert "a tag" not in links and "a tag" in tree.text_content()  # the tags page is not in the PDF
    assert links["x"].get("href") == "https://x.example/"
    assert foreign == {"posts-b--part"}
    assert tree.find(".//*[@id='posts-b--part']") is not None  # a stand-in target; the merge keeps the real one


def test_math_loses_its_delimiters_and_images_get_a_description() -> None:
    tree, _ = prepared()
    assert tree.find(".//span[@class='math notranslate nohighlight']").text == "e^x"
    assert tree.find(".//img").get("alt") == "Image p.png"


def test_a_note_nobody_calls_stays_at_the_end_of_the_post() -> None:
    source = PAGE.replace('href="#id3" id="id1"', 'href="#nowhere" id="id1"').replace(
        'href="#id3" id="id2"', 'href="#nowhere" id="id2"'
    )
    tree = html.document_fromstring(prepare_page(source, "posts/a", {"posts/a": "posts-a"}).html)
    kept = tree.find(".//div[@class='feedbook-uncalled-notes']")
    assert kept is not None and "First paragraph of the note." in kept.text_content()


def test_link_targets_are_ascii_and_links_still_find_them() -> None:
    source = PAGE.replace('<section id="post-a">', '<section id="über_uns">').replace(
        'href="#post-a"', 'href="#%C3%BCber_uns"'
    )
    page = prepare_page(source, "posts/a", {"posts/a": "posts-a", "posts/b": "posts-b"}, {"posts-b--part": 7})
    tree = html.document_fromstring(page.html)

    ids = [element.get("id") for element in tree.iter() if element.get("id")]
    assert ids and all(name.isascii() for name in ids)
    assert "posts-a--_c3_bcber_5funs" in ids  # "_" is escaped too: no two ids can meet
    top = tree.find(".//a[@href='#posts-a--_c3_bcber_5funs']")
    assert top is not None and top.text == "the top"
