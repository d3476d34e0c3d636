"""The word-level difference between reports of a quote, and the SVG charts."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from quotegraph.web import charts
from quotegraph.web.diff import render, summary, word_diff

FIRST = "We will not back down. We will protect every family in this state, whatever it costs."


def test_an_ellipsis_cut_is_told_from_a_change_and_an_addition():
    ops = word_diff(FIRST, "We will not back down. We will protect every family ... whatever it costs.")
    assert summary(ops)["ellipsis"] == 3  # "in this state," cut at the ellipsis
    assert summary(ops)["changed"] == summary(ops)["added"] == 0
    ops = word_diff(FIRST, "[They] will not back down. We will protect every family in this state, whatever it takes.")
    s = summary(ops)
    assert s["changed"] == 2 and s["cut"] == 0  # "We" → "[They]", "costs." → "takes."
    html = str(render(ops))
    assert '<del class="changed" title="replaced">costs.</del> <ins class="changed" title="instead">takes.</ins>' in html


def test_case_and_punctuation_are_not_changes():
    ops = word_diff(FIRST, FIRST.upper().replace(",", ""))
    assert all(op.tag == "equal" for op in ops)
    assert str(render(ops)) == FIRST.upper().replace(",", "")  # the report's own words are shown


def test_diff_escapes_words():
    html = str(render(word_diff("a b c", "a <script>x</script> c")))
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_timeline_fills_the_months_between_and_escapes():
    svg = str(charts.timeline([("2020-01", 2), ("2020-04", 5)], label="quotes of <b>X</b>"))
    root = ET.fromstring(svg)  # well-formed
    bars = [e for e in root.iter("rect") if e.get("class") == "bar"]
    assert len(bars) == 2
    heights = sorted(float(b.get("height")) for b in bars)
    assert abs(heights[1] / heights[0] - 2.5) < 0.01
    xs = sorted(float(b.get("x")) for b in bars)
    assert xs[1] - xs[0] > 2.5 * float(bars[0].get("width"))  # three months apart, empty ones kept
    assert "<b>" not in svg and "&lt;b&gt;" in svg


def test_source_shares_split_each_bar_by_class():
    rows = [{"outlet": "A <i>", "quotes": 10, "named": 5, "anonymous": 3, "document": 2, "unknown": 0, "second_hand": 4}]
    svg = str(charts.source_shares(rows, width=680))
    ET.fromstring(svg)
    widths = {m[0]: float(m[1]) for m in re.findall(r'<rect class="src-(\w+(?:-\w+)?)" x="[\d.]+" y="30" width="([\d.]+)"', svg)}
    assert abs(widths["named"] / widths["document"] - 2.5) < 0.01
    assert abs(sum(widths[k] for k in ("named", "anonymous", "document")) - (680 - 180 - 60)) < 0.5
    assert "<i>" not in svg
