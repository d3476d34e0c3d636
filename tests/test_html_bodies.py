"""The body of an HTML page is never less complete than trafilatura's: each kind of text loss of the
layer on top of trafilatura, on hand-written pages (none cut from real ones).

Kinds: an element matched as furniture that holds the article (a page-wide form, a "share"
wrapper); paragraphs an HTML page repeats (a list given twice); an article laid out in a table;
a body only in JSON-LD ``articleBody``; the merge of two readings in order. Every paragraph span
indexes the article text (offsets are sacred)."""

from __future__ import annotations

import json

from quotegraph.read.body import line_key, merge
from quotegraph.read.html import html_to_layout

PARAS = [
    "The river authority opened the new flood gates on Monday, two years after the spring floods that reached the"
    " market square and closed the old bridge for a month.",
    '"These gates will hold back a flood twice the size of the last one," said the authority\'s engineer, Tomas'
    " Varga, standing on the embankment beside the control house.",
    "The gates cost 14 million crowns, paid for by the region and the national flood fund, and were built by a"
    " local firm that employed forty workers from the valley.",
    "Residents of the lower town, who lost cellars and shops in the floods, said they would believe in the gates"
    " when the next spring came and went without water in the streets.",
]


def article_html(paras: list[str] = PARAS) -> str:
    return "".join(f"<p>{p}</p>" for p in paras)


def page(body: str, head: str = "", title: str = "Flood gates open on the river") -> str:
    return (f"<!DOCTYPE html><html lang='en'><head><title>{title}</title>{head}</head>"
            f"<body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>{body}</body></html>")


def body_paragraphs(layout) -> list[str]:
    return [layout.text[p.start:p.end] for p in layout.paragraphs if p.role == "body"]


def assert_offsets(layout) -> None:
    for p in layout.paragraphs:
        assert 0 <= p.start < p.end <= len(layout.text)
        assert layout.text[p.start:p.end] == layout.text[p.start:p.end].strip()


def assert_complete(layout, paras: list[str] = PARAS) -> None:
    got = body_paragraphs(layout)
    for p in paras:
        assert p in got, f"lost: {p[:60]}"
    assert_offsets(layout)


def test_a_page_wide_form_is_not_pruned_as_furniture():
    # ASP.NET-style pages wrap the whole page in one <form>: pruning forms must not prune the article
    html = page(f"<form id='aspnetForm' method='post'><div class='content'><h1>Flood gates open</h1>"
                f"{article_html()}</div></form>")
    assert_complete(html_to_layout(html, "form.html"))


def test_a_share_wrapper_around_the_story_is_not_pruned():
    html = page(f"<div class='share'><article>{article_html()}</article>"
                "<a href='https://twitter.com/x'>Tweet</a></div>")
    assert_complete(html_to_layout(html, "share.html"))


def test_small_furniture_is_still_pruned():
    html = page(f"<article>{article_html()}<div class='share'><p>Share this story on every network today</p></div>"
                "<div class='post-views'>Views: 1,024</div></article>")
    layout = html_to_layout(html, "furniture.html")
    assert_complete(layout)
    assert not any("Share this story" in p or "Views" in p for p in body_paragraphs(layout))


def test_paragraphs_an_html_page_repeats_stay_body():
    # a recipe page gives the same step under two plans: both are the article's text, not captions
    step = "Soak the beans overnight in cold water, then simmer them for an hour with a bay leaf and salt."
    paras = PARAS[:2] + [step] + PARAS[2:] + [step]
    layout = html_to_layout(page(f"<article>{article_html(paras)}</article>"), "repeat.html")
    got = body_paragraphs(layout)
    assert got.count(step) == 2
    second = [p for p in layout.paragraphs if layout.text[p.start:p.end] == step][1]
    assert second.role == "body" and second.duplicate_of is not None  # marked as a repeat, still body
    assert_complete(layout, paras)


def test_an_article_laid_out_in_a_table_is_kept():
    cells = "".join(f"<tr><td><p>{p}</p></td></tr>" for p in PARAS)
    html = page(f"<table width='100%'><tr><td><h1>Flood gates open</h1></td></tr>{cells}</table>")
    layout = html_to_layout(html, "table.html")
    got = "\n".join(body_paragraphs(layout))
    for p in PARAS:
        assert p in got
    assert_offsets(layout)


def test_a_body_only_in_json_ld_article_body_is_read():
    # the page shows a teaser; the whole story is in the JSON-LD
    teaser = "The river authority opened the new flood gates on Monday. Read the full story in our app."
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Flood gates open on the river",
          "articleBody": "\n".join(PARAS)}
    head = f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    layout = html_to_layout(page(f"<article><h1>Flood gates open</h1><p>{teaser}</p></article>", head), "ld.html")
    assert_complete(layout)


def test_merge_puts_missing_lines_at_their_place_and_repeats_nothing():
    first = ["alpha one", "gamma three", "delta four"]
    other = ["Alpha one", "beta two", "gamma three", "epsilon five"]
    assert merge(first, other) == ["alpha one", "beta two", "gamma three", "delta four", "epsilon five"]
    assert merge(first, other, keep=lambda ln: "beta" not in ln) == ["alpha one", "gamma three", "delta four",
                                                                    "epsilon five"]
    assert line_key("“Alpha,” one!") == line_key("alpha one")


def test_the_headline_repeated_atop_the_body_is_the_title_paragraph_only():
    title = "Flood gates open on the river"
    layout = html_to_layout(page(f"<article><h1>{title}</h1>{article_html()}</article>", title=title), "title.html")
    assert layout.title == title
    assert title not in body_paragraphs(layout)
    assert [layout.text[p.start:p.end] for p in layout.paragraphs if p.role == "title"] == [title]
    assert_complete(layout)


def test_lines_of_page_data_are_not_body_but_a_cited_address_is():
    data = ["https://cdn.example.org/images/flood-gates-1200x600.jpg", "newsdesk@example.org", "2024-03-05T09:30:00+01:00"]
    cited = "https://example.org/reports/flood-gates-2024"
    paras = PARAS[:2] + data + [cited] + PARAS[2:]
    layout = html_to_layout(page(f"<article>{article_html(paras)}</article>"), "data.html")
    got = body_paragraphs(layout)
    assert not any(d in got for d in data)
    assert cited in got
    assert_complete(layout)


def test_every_line_trafilatura_alone_reads_is_in_the_article_text():
    # the guarantee itself, on the project's hand-written pages and those of this file
    import copy
    from pathlib import Path

    from quotegraph.read.body import trafilatura_lines
    from quotegraph.read.html import _is_furniture, parse_html

    root = Path(__file__).parent
    pages = [p.read_text(encoding="utf-8") for p in (root / "articles").glob("*.html")]
    pages += [p.read_text(encoding="utf-8") for p in (root / "fixtures").rglob("*.html")]
    pages += [page(f"<form id='f'><div>{article_html()}</div></form>"),
              page("<table>" + "".join(f"<tr><td><p>{p}</p></td></tr>" for p in PARAS) + "</table>")]
    assert len(pages) >= 4
    for html in pages:
        layout = html_to_layout(html, "page.html")
        text_key = line_key(layout.text)
        alone, _ = trafilatura_lines(copy.deepcopy(parse_html(html)), None)
        assert alone
        for line in alone:
            assert _is_furniture(line) or line_key(line) in text_key, f"lost: {line[:60]}"
