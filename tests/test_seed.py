"""End to end: the seed article through `quotegraph extract --format json`, against its gold."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from quotegraph.read.normalize import normalize_string, token_f1

HERE = Path(__file__).parent / "seed"
GOLD = json.loads((HERE / "gold.json").read_text(encoding="utf-8"))
REQUIRED = [q for q in GOLD["quotes"] if q["required"]]


def norm(s: str | None) -> str:
    return normalize_string(s or "").casefold()


def norm_via(s: str) -> str:
    return re.sub(r"^the\s+", "", norm(s))


@pytest.fixture(scope="module")
def article() -> dict:
    proc = subprocess.run(
        [sys.executable, "-m", "quotegraph.cli", "extract", str(HERE / "article.txt"), "--format", "json"],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def matches(article: dict, text: str) -> list[dict]:
    """Top-level records matching a gold text (a nested record is checked with its outer one)."""
    return [q for q in article["quotes"] if q["nested_in"] is None and token_f1(q["text"], text) >= 0.6]


def test_text_is_the_input_exactly(article):
    assert article["text"] == (HERE / "article.txt").read_text(encoding="utf-8")
    assert article["publisher"] == GOLD["publisher"]
    assert norm(article["title"]) == norm(GOLD["title"])


@pytest.mark.parametrize("gold", REQUIRED, ids=[q["id"] for q in REQUIRED])
def test_required_attribution(article, gold):
    found = matches(article, gold["text"])
    assert found, f"{gold['id']} not found: {gold['text']!r}"
    assert len(found) == 1, f"{gold['id']} reported {len(found)} times: {[q['text'] for q in found]}"
    q = found[0]
    assert q["kind"] == gold["kind"], (gold["id"], q["kind"], q["text"])
    assert q["speaker"] is not None, gold["id"]
    assert norm(q["speaker"]["name"]) == norm(gold["speaker"]), (gold["id"], q["speaker"])
    assert q["speaker"]["kind"] == gold["speaker_kind"], (gold["id"], q["speaker"])
    if "speaker_mention" in gold:
        assert norm(q["speaker"]["text"]) == norm(gold["speaker_mention"]), (gold["id"], q["speaker"])
    assert q["cue"] is not None and norm(q["cue"]["text"]) == norm(gold["cue"]), (gold["id"], q["cue"])
    if "addressee" in gold:
        assert q["addressee"] is not None and norm(q["addressee"]["text"]) == norm(gold["addressee"]), (gold["id"], q["addressee"])
    if "via" in gold:
        assert [norm_via(v["text"]) for v in q["via"]] == [norm_via(v) for v in gold["via"]], (gold["id"], q["via"])
    if "nested" in gold:
        inner = [n for n in article["quotes"] if n["nested_in"] == q["id"]]
        assert len(inner) == 1, (gold["id"], inner)
        n = inner[0]
        assert token_f1(n["text"], gold["nested"]["text"]) >= 0.6, n["text"]
        assert norm(n["speaker"]["name"]) == norm(gold["nested"]["speaker"])
        assert norm(n["cue"]["text"]) == norm(gold["nested"]["cue"])


def test_repeats_are_reported_once_with_their_other_places(article):
    a1 = matches(article, "We need to take away children")
    assert len(a1) == 1
    # reported at its body sentence; the title, a highlight and two captions repeat it
    text = article["text"]
    body = text.index("on policy.\u00a0\n\n\u2018We need to take away children") + len("on policy.\u00a0\n\n\u2018")
    assert a1[0]["span"] == [body, body + len("We need to take away children,")]
    roles = {tuple(p["span"]): p["role"] for p in article["paragraphs"]}

    def role_at(pos):
        return next(r for (s, e), r in roles.items() if s <= pos < e)

    assert [role_at(s) for s, _ in a1[0]["also_at"]] == ["title", "highlight", "caption", "caption"]
    for s, e in a1[0]["also_at"]:
        assert normalize_string(text[s:e]).casefold().rstrip(",") == "we need to take away children"


@pytest.mark.parametrize("sentence", GOLD["not_quotes"])
def test_not_quotes_are_not_reported(article, sentence):
    for q in article["quotes"]:
        assert token_f1(q["text"], sentence) < 0.6, (sentence, q["text"])


def test_every_span_gives_back_its_text(article):
    text = article["text"]
    n = 0
    for q in article["quotes"]:
        assert text[q["span"][0] : q["span"][1]] == q["text"]
        assert q["spans"] and q["spans"][0][0] == q["span"][0] and q["spans"][-1][1] == q["span"][1]
        for key in ("cue", "speaker", "addressee"):
            if q[key] is not None:
                s, e = q[key]["span"]
                assert text[s:e] == q[key]["text"], (q["id"], key)
                n += 1
        for v in q["via"]:
            assert text[v["span"][0] : v["span"][1]] == v["text"]
            n += 1
        assert q["text"] and not q["text"][0].isspace() and not q["text"][-1].isspace()
        assert text[q["span"][0] - 1] not in "\u2018\u201c" or q["kind"] != "mixed"
    # every required attribution has a cue and a speaker, so at least that many spans were checked
    assert n >= 2 * len(REQUIRED)
    # and one record of each field at its hand-located place: A1 (direct) is the body sentence
    # "'We need to take away children,' Sessions told the group, according to participants' notes ..."
    start = text.index("on policy.\u00a0\n\n\u2018We need to take away children") + len("on policy.\u00a0\n\n")
    (a1,) = [q for q in article["quotes"] if q["span"][0] == start + 1]
    sess = text.index("Sessions", start)
    assert a1["speaker"]["span"] == [sess, sess + len("Sessions")]
    assert a1["cue"]["span"] == [sess + len("Sessions "), sess + len("Sessions told")]
    grp = text.index("the group", sess)
    assert a1["addressee"]["span"] == [grp, grp + len("the group")]


def test_people(article):
    ents = {norm(e["name"]): e for e in article["entities"]}
    for person in GOLD["people"]:
        e = ents.get(norm(person["name"]))
        assert e is not None, (person["name"], list(ents))
        aliases = {norm(a) for a in e["aliases"]}
        for a in person["aliases"]:
            assert norm(a) in aliases, (person["name"], a, e["aliases"])
        roles = {norm(r) for r in e["roles"]}
        for r in person["roles"]:
            assert norm(r) in roles, (person["name"], r, e["roles"])
        # every mention is the name or one of its aliases as written, and the name is mentioned
        names = {norm(person["name"]), *(norm(a) for a in e["aliases"])}
        assert e["mentions"], (person["name"], "no mentions")
        for s, t in e["mentions"]:
            assert norm(article["text"][s:t]) in names, (person["name"], article["text"][s:t])


def test_duplicate_paragraphs(article):
    text = article["text"]
    for sentence, count in GOLD["duplicate_paragraph_groups"]:
        key = norm(sentence)
        group = [i for i, p in enumerate(article["paragraphs"]) if norm(text[p["span"][0] : p["span"][1]]).startswith(key)]
        assert len(group) >= count, (sentence, group)
        # all but the first occurrence point back to an earlier paragraph
        assert all(article["paragraphs"][i]["duplicate_of"] is not None for i in group[1:]), group


def test_paragraph_roles(article):
    roles = [p["role"] for p in article["paragraphs"]]
    assert roles[0] == "title" and roles[1] == "subtitle"
    assert roles.count("highlight") == 4
    assert roles[-1] == "source"
    assert roles.count("caption") >= 6
