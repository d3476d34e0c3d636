"""Two kinds of body error on hand-written pages (none cut from real ones): boilerplate inside the
article's container (teaser headings of related articles: ``read.boilerplate``) and an article
split into sibling chunks (``read.body.chunk_lines``). Offsets stay sacred."""

from __future__ import annotations

import lxml.html
import trafilatura
from test_html_bodies import PARAS, assert_complete, body_paragraphs, page

from quotegraph.read.body import chunk_lines
from quotegraph.read.boilerplate import LINK_SHARE, page_view
from quotegraph.read.html import html_to_layout

TEASERS = [("Mill town votes on new bridge", "The council meets again next week"),
           ("Ferry service returns for summer", "Boats will run twice a day"),
           ("Market square repaving delayed", "Work now starts in June")]


def teaser_page() -> str:
    cards = "".join(f"<div class='card'><h3><a href='/n/{i}'>{t}</a></h3><p>{d}</p></div>" for i, (t, d) in enumerate(TEASERS))
    story = "".join(f"<p>{p}</p>" for p in PARAS[:2]) + "<h2>Who pays</h2>" + "".join(f"<p>{p}</p>" for p in PARAS[2:])
    return page(f"<article><h1>Flood gates open on the river</h1>{story}"
                f"<div class='stack'><h2>More from the valley</h2>{cards}</div></article>")


def test_teaser_headings_in_the_article_container_go_and_a_subheading_stays():
    html = teaser_page()
    alone = (trafilatura.extract(html, include_comments=False, include_tables=True) or "").split("\n")
    assert TEASERS[0][0] in alone and "More from the valley" in alone  # trafilatura alone keeps them
    layout = html_to_layout(html, "teasers.html")
    got = body_paragraphs(layout)
    assert_complete(layout)
    assert "Who pays" in got  # a heading trafilatura's precision mode keeps is the article's
    for title, _ in TEASERS:
        assert title not in got and title not in layout.text
    assert "More from the valley" not in got


def test_link_text_and_headings_are_read_from_the_element_holding_the_line():
    tree = lxml.html.fromstring("<div><p>Read <a href='/x'>the council's report</a> on the gates and the"
                                " costs they bring.</p><p><a href='/y'>Ferry service returns</a></p>"
                                "<h4>Costs</h4></div>")
    view = page_view(tree)
    assert not view.marked("Read the council's report on the gates and the costs they bring.")
    assert view.marked("Ferry service returns") and view.link_share["ferry service returns"] >= LINK_SHARE
    assert view.marked("Costs") and not view.marked("A line the page does not have")


MORE = ["The authority said the gates would be tested each autumn, with the valley's schools invited to watch the"
        " engineers close them against a rising tide of river water.",
        "A second set of gates, further upstream near the mill town, is planned for the year after next if the"
        " national fund approves the region's request this winter."]
LINKS = "".join(f"<p><a href='/n/{i}'>Other story number {i} about the town and its river</a></p>" for i in range(4))


def chunked(*chunks: str) -> str:
    return f"<html><body><article><div class='chunks'>{''.join(chunks)}</div></article></body></html>"


def chunk(paras: list[str], cls: str = "body__chunk") -> str:
    return f"<div class='{cls}'>" + "".join(f"<p>{p}</p>" for p in paras) + "</div>"


def test_the_chunks_of_a_split_article_are_read_in_order():
    html = chunked(chunk(PARAS[:2]), f"<div class='body__chunk'>{LINKS}</div>", chunk(PARAS[2:]), chunk(MORE))
    tree = lxml.html.fromstring(html)
    # read from the chunk that holds the body so far; its siblings of the same class follow, the
    # sibling that is link text is no chunk of the article
    assert chunk_lines(tree, PARAS[:2]) == PARAS + MORE
    layout = html_to_layout(html, "chunks.html")
    assert_complete(layout, PARAS + MORE)


def test_siblings_of_another_class_are_no_chunks():
    tree = lxml.html.fromstring(chunked(chunk(PARAS[:2]), chunk(PARAS[2:], "aside-box")))
    assert chunk_lines(tree, PARAS[:2]) == []
    assert chunk_lines(tree, ["A line the page does not have"]) == []
