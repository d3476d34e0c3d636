"""Highlighting: marks cut the text at their boundaries, nest (a quote inside a quote), re-open
where they cross, escape every piece of text, and keep offsets into Article.text."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from quotegraph.models import Article, Cue, Paragraph, Quote, Speaker
from quotegraph.web.highlight import Mark, colours, paragraphs, render_span


class Segs(HTMLParser):
    """(data-start, data-end, text, [(quote, role) of the enclosing marks]) of every segment link."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, dict]] = []
        self.segs: list[tuple[int, int, str, list]] = []
        self.cur = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.stack.append((tag, a))
        if tag == "a" and "data-start" in a:
            marks = [(x["data-q"], x["data-role"]) for t, x in self.stack if t == "span"]
            self.cur = [int(a["data-start"]), int(a["data-end"]), "", marks]

    def handle_endtag(self, tag):
        t, _ = self.stack.pop()
        assert t == tag, (t, tag)
        if tag == "a" and self.cur is not None:
            self.segs.append(tuple(self.cur))
            self.cur = None

    def handle_data(self, data):
        if self.cur is not None:
            self.cur[2] += data


def segments(html: str):
    p = Segs()
    p.feed(html)
    assert not p.stack, "unbalanced markup"
    return p.segs


TEXT = 'Ann said "we <b>will</b> go, as Bo put it \'soon\' and fast" to us.'


def article() -> Article:
    outer = TEXT.index("we <b>")
    outer_end = TEXT.index('" to us')
    inner = TEXT.index("soon")
    bo = TEXT.index("Bo")
    return Article(id="a", text=TEXT, paragraphs=[Paragraph(span=(0, len(TEXT)))], quotes=[
        Quote(id="q1", kind="direct", text=TEXT[outer:outer_end], span=(outer, outer_end), spans=[(outer, outer_end)],
              speaker=Speaker(text="Ann", span=(0, 3), name="Ann Lee", kind="person"), cue=Cue(text="said", span=(4, 8))),
        Quote(id="q2", kind="direct", text="soon", span=(inner, inner + 4), spans=[(inner, inner + 4)],
              speaker=Speaker(text="Bo", span=(bo, bo + 2), name="Bo Ek", kind="person"), nested_in="q1"),
    ])


def test_segments_give_back_their_text_and_nest():
    art = article()
    html = "".join(p.html for p in paragraphs(art))
    assert "<b>" not in html and "&lt;b&gt;will&lt;/b&gt;" in html  # the article's markup is text
    segs = segments(html)
    for s, e, text, _ in segs:
        assert art.text[s:e] == text
    for q in art.quotes:
        covered = sorted((s, e) for s, e, _, marks in segs if (q.id, "content") in marks)
        assert covered[0][0] == q.span[0] and covered[-1][1] == q.span[1]
        assert all(a[1] == b[0] for a, b in zip(covered, covered[1:], strict=False))  # contiguous
    soon = next(seg for seg in segs if seg[2] == "soon")
    assert soon[3] == [("q1", "content"), ("q2", "content")]  # inside q1, innermost q2
    assert re.search(r'href="#d-q2"[^>]*>soon<', html)
    assert ("q1", "speaker") in next(seg for seg in segs if seg[2] == "Ann")[3]
    assert ("q2", "speaker") in next(seg for seg in segs if seg[2] == "Bo")[3]


def test_one_colour_per_speaker():
    art = article()
    c = colours(art)
    assert c["q1"] != c["q2"]
    art2 = art.model_copy(update={"quotes": [art.quotes[0], art.quotes[1].model_copy(update={"speaker": art.quotes[0].speaker})]})
    c2 = colours(art2)
    assert c2["q1"] == c2["q2"]


def test_crossing_marks_reopen():
    text = "abcdefghij"
    ms = [Mark(1, 6, "q1", "content", "sp-0"), Mark(4, 9, "q2", "content", "sp-1")]
    segs = segments(str(render_span(text, 0, len(text), ms, set())))
    assert [(s, e, t) for s, e, t, _ in segs] == [(1, 4, "bcd"), (4, 6, "ef"), (6, 9, "ghi")]
    assert segs[1][3] == [("q1", "content"), ("q2", "content")]
    assert segs[2][3] == [("q2", "content")]
