"""Hand-written hard-case articles: each ``tests/articles/NN_name.{txt,html}`` has an
``NN_name.expected.json`` beside it describing what a careful annotator would report.

Expected file format::

    {"about": "the hard case",
     "title": "optional expected Article.title",
     "captions": ["optional: text of paragraphs that must have role 'caption'"],
     "quotes": [{
        "text": "content (direct: inside the marks; indirect: the clause without 'that')",
        "kind": "direct|indirect|mixed",
        "speaker": "canonical name (people, organisations, outlets) or the mention text
                    (documents, anonymous sources); a list means 'any of these'",
        "speaker_kind": "person|organization|outlet|document|anonymous|unknown",
        "speaker_mention": "optional: the speaker mention as written where the quote is reported",
        "cue": "the attribution cue as written (a list means 'any of these')",
        "addressee": "optional", "via": ["optional", "innermost first"] ([] = must have none),
        "via_kinds": ["optional, parallel to via"],
        "nested_in_text": "optional: text of the quote this one is reported inside",
        "pieces": 2,            # optional: number of discontinuous pieces (len(spans))
        "role": "body",         # optional: role of the paragraph holding the quote's span
        "also_at": [{"text": "...", "role": "caption"}]   # optional: other places it is reported;
                                # when absent, also_at may only point into non-body paragraphs
     }],
     "not_quotes": ["sentences that no predicted quote may match"],
     "not_statements": [{"text": "...", "act": "belief", "why": "a belief, intention or knowledge the
                         default output (acts='statements') does not report; no predicted quote may match it"}],
     "known_extra": [{"text": "...", "reason": "why it is not a quote"}],
     "entities": [{"name": "canonical name", "kind": "person",
                   "mentions": [{"text": "Okonkwo", "at": [700, 707]}]}]}

The expected quotes are the exact set: every predicted quote must match one of them or be listed in
``known_extra`` (a record produced today that a careful annotator would not report, with the reason).

Optional keys of an expected quote:

    "speaker_phrase": "the whole source phrase as written (Speaker.phrase)",
    "addressee_name": "canonical name of the addressee's entity (Addressee.entity)",
    "at": {"text": [s, e], "spans": [[s, e], ...], "cue": [s, e], "speaker": [s, e],
           "speaker_phrase": [s, e], "addressee": [s, e], "via": [[s, e], ...]},
           # exact offsets written by hand; each must give back the fixture's own string
           # (text, cue, speaker_mention, speaker_phrase, addressee, via) from the article file
    "known_wrong": {"<check>": "reason"}
           # checks that fail today ("found" when the quote is missing altogether). Such a quote is
           # an expected failure; when a listed check starts to pass the test fails until the
           # entry is removed, so the fix is then demanded. Unlisted checks must pass.

What is expected: a statement (speech, writing, testimony, a report, a finding, a promise, a
denial, a question, a request) with its source. Actions told about a person or body (voting,
rejecting or banning something, pleading guilty, calling a witness, considering a plan) are not
quotes, nor is advice given by the article itself.

Matching: texts are normalised (casefold, typographic quotes -> straight, whitespace collapsed),
split on whitespace, and each token stripped of punctuation at its ends; two texts match when the
token-F1 is >= 0.6. Every predicted quote is assigned to the expected quote(s) it matches best, so
an outer quote is not counted as a duplicate of the quote nested inside it (and vice versa).
"""

from __future__ import annotations

import html
import json
import re
import string
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

ARTICLES_DIR = Path(__file__).parent / "articles"
THRESHOLD = 0.6
KINDS = {"direct", "indirect", "mixed"}
SPEAKER_KINDS = {"person", "organization", "outlet", "document", "anonymous", "unknown"}
PARAGRAPH_ROLES = {"title", "subtitle", "highlight", "body", "caption", "source", "byline"}

# ----------------------------------------------------------------------------- normalisation

_QUOTE_MAP = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u2039": '"', "\u203a": '"',
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"',
        "\u00a0": " ", "\u202f": " ", "\u2009": " ",
    }
)
_PUNCT = string.punctuation + "\u2014\u2013\u2026"


def norm(s: str | None) -> str:
    """Casefold, straighten typographic quotes, collapse whitespace, strip end punctuation."""
    if s is None:
        return ""
    s = unicodedata.normalize("NFC", s).translate(_QUOTE_MAP).casefold()
    s = re.sub(r"\s+", " ", s).strip()
    return s.strip(_PUNCT + " ")


def tokens(s: str | None) -> list[str]:
    out = []
    for t in norm(s).split():
        t = t.strip(_PUNCT)
        if t:
            out.append(t)
    return out


def f1(a: str | None, b: str | None) -> float:
    ta, tb = Counter(tokens(a)), Counter(tokens(b))
    if not ta or not tb:
        return 0.0
    common = sum((ta & tb).values())
    if common == 0:
        return 0.0
    p, r = common / sum(ta.values()), common / sum(tb.values())
    return 2 * p * r / (p + r)


def norm_name(s: str | None) -> str:
    """Names and mentions: straight quotes, casefold, collapse spaces; drop a leading 'the'."""
    if s is None:
        return ""
    s = unicodedata.normalize("NFC", s).translate(_QUOTE_MAP).casefold()
    s = re.sub(r"\s+", " ", s).strip()
    return re.sub(r"^the ", "", s)


def norm_cue(s: str | None) -> str:
    if s is None:
        return ""
    s = unicodedata.normalize("NFC", s).translate(_QUOTE_MAP).casefold()
    return re.sub(r"\s+", " ", s).strip()


def _alts(v) -> list:
    return list(v) if isinstance(v, list) else [v]


# ----------------------------------------------------------------------------- the corpus


def _article_files() -> list[Path]:
    return sorted(
        p for p in ARTICLES_DIR.iterdir()
        if p.suffix in {".txt", ".html"} and (p.parent / (p.stem + ".expected.json")).exists()
    )


def _expected_path(article: Path) -> Path:
    return article.parent / (article.stem + ".expected.json")


ARTICLES = _article_files()
EXPECTED = {p.name: json.loads(_expected_path(p).read_text(encoding="utf-8")) for p in ARTICLES}
QUOTE_CASES = [
    pytest.param(p.name, i, id=f"{p.stem}-q{i + 1}")
    for p in ARTICLES
    for i in range(len(EXPECTED[p.name]["quotes"]))
]
ARTICLE_CASES = [pytest.param(p.name, id=p.stem) for p in ARTICLES]
CAPTION_CASES = [pytest.param(p.name, id=p.stem) for p in ARTICLES if EXPECTED[p.name].get("captions")]


def _read(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


# ----------------------------------------------------------------------------- extraction (cached)


@pytest.fixture(scope="module")
def extracted():
    """``get(name) -> Article``; the extractor runs at most once per article per module."""
    cache: dict[str, object] = {}

    def get(name: str):
        if name not in cache:
            try:
                from quotegraph import extract

                path = ARTICLES_DIR / name
                cache[name] = extract(_read(path), path=str(path))
            except Exception as exc:  # noqa: BLE001 - reported to every test of this article
                cache[name] = exc
        res = cache[name]
        if isinstance(res, Exception):
            pytest.fail(f"{name}: extraction failed: {type(res).__name__}: {res}", pytrace=False)
        return res

    return get


def _assign(expected_quotes: list[dict], predicted) -> dict[int, list]:
    """Map expected index -> predicted quotes whose best-matching expected quote it is (F1 >= 0.6)."""
    out: dict[int, list] = {i: [] for i in range(len(expected_quotes))}
    for q in predicted:
        scores = [f1(e["text"], q.text) for e in expected_quotes]
        best = max(scores, default=0.0)
        if best < THRESHOLD:
            continue
        for i, s in enumerate(scores):
            if s == best:
                out[i].append(q)
    return out


def _qdesc(q) -> str:
    sp = q.speaker
    return (
        f"{q.id} {q.kind} {q.text!r} span={list(q.span)} spans={[list(s) for s in q.spans]} "
        f"speaker={(sp.text, sp.name, sp.kind) if sp else None} cue={q.cue.text if q.cue else None!r} "
        f"addressee={q.addressee.text if q.addressee else None!r} via={[(v.text, v.kind) for v in q.via]} "
        f"nested_in={q.nested_in} also_at={[list(s) for s in q.also_at]}"
    )


def _paragraph_role_at(article, pos: int) -> str | None:
    for p in article.paragraphs:
        if p.span[0] <= pos < p.span[1]:
            return p.role
    return None


# ----------------------------------------------------------------------------- the checks


@pytest.mark.parametrize("name", ARTICLE_CASES)
def test_expected_file_is_well_formed(name):
    """Sanity of the hand-written expectations themselves (no extractor needed)."""
    exp = EXPECTED[name]
    src = _read(ARTICLES_DIR / name)
    if name.endswith(".html"):
        src = html.unescape(re.sub(r"<[^>]+>", " ", src))
    nsrc = " ".join(tokens(src))
    assert exp.get("about"), f"{name}: 'about' missing"
    assert exp["quotes"], f"{name}: no expected quotes"
    assert exp.get("not_quotes"), f"{name}: at least one not_quotes sentence is required"
    for i, e in enumerate(exp["quotes"]):
        where = f"{name} q{i + 1} {e.get('text')!r}"
        assert e["kind"] in KINDS, f"{where}: bad kind {e['kind']!r}"
        assert e["speaker_kind"] in SPEAKER_KINDS, f"{where}: bad speaker_kind {e['speaker_kind']!r}"
        assert e.get("speaker") and e.get("cue"), f"{where}: speaker and cue are required"
        if e["kind"] == "direct":
            # Direct content is verbatim (modulo re-opening marks of multi-paragraph quotes
            # and the gap of an interrupted quote), so each piece must occur in the source.
            assert all(t in nsrc.split() for t in tokens(e["text"])), f"{where}: text tokens not in article"
        for key in ("speaker_mention", "addressee"):
            if key in e:
                assert norm_cue(e[key]) in norm_cue(src), f"{where}: {key} {e[key]!r} not in article"
        for v in e.get("via", []):
            assert norm_cue(v) in norm_cue(src), f"{where}: via {v!r} not in article"
        if "via_kinds" in e:
            assert len(e["via_kinds"]) == len(e["via"]), f"{where}: via_kinds length differs from via"
        for c in _alts(e["cue"]):
            assert norm_cue(c) in norm_cue(src), f"{where}: cue {c!r} not in article"
    for i, a in enumerate(exp["quotes"]):
        for j, b in enumerate(exp["quotes"]):
            if i < j and "nested_in_text" not in a and "nested_in_text" not in b:
                assert f1(a["text"], b["text"]) < THRESHOLD, f"{name}: q{i + 1} and q{j + 1} are too similar to tell apart"
    for s in exp["not_quotes"]:
        assert norm_cue(s) in norm_cue(src), f"{name}: not_quote {s!r} not in article"
        for e in exp["quotes"]:
            assert f1(s, e["text"]) < THRESHOLD, f"{name}: not_quote {s!r} collides with expected {e['text']!r}"
    for k in exp.get("known_extra", []):
        assert k.get("text") and k.get("reason"), f"{name}: known_extra needs text and reason: {k!r}"
        for e in exp["quotes"]:
            assert f1(k["text"], e["text"]) < THRESHOLD, f"{name}: known_extra {k['text']!r} collides with expected {e['text']!r}"
    raw = _read(ARTICLES_DIR / name)
    for i, e in enumerate(exp["quotes"]):
        where = f"{name} q{i + 1} {e.get('text')!r}"
        known = e.get("known_wrong", {})
        assert isinstance(known, dict) and set(known) <= CHECKS, f"{where}: known_wrong keys must be among {sorted(CHECKS)}"
        assert all(isinstance(r, str) and r for r in known.values()), f"{where}: every known_wrong needs a reason"
        at = e.get("at", {})
        assert set(at) <= AT_KEYS, f"{where}: unknown 'at' keys {set(at) - AT_KEYS}"
        if at:
            assert name.endswith(".txt"), f"{where}: offsets are pinned in plain-text articles only"

        def gives(key, span, want, fold=False):
            assert isinstance(span, list) and len(span) == 2 and 0 <= span[0] < span[1] <= len(raw), f"{where}: bad at.{key} {span!r}"  # noqa: B023 - called within this iteration
            got = raw[span[0]:span[1]]
            ok = norm_cue(got) in [norm_cue(w) for w in want] if fold else got in want
            assert ok, f"{where}: at.{key} {span} is {got!r}, not {want!r}"  # noqa: B023 - called within this iteration

        if "spans" in at:  # discontinuous content: the pieces, joined, give the expected text
            pieces = at["spans"]
            assert pieces[0][0] == at["text"][0] and pieces[-1][1] == at["text"][1], f"{where}: at.spans must cover at.text"
            assert all(a[1] <= b[0] for a, b in zip(pieces, pieces[1:], strict=False)), f"{where}: at.spans out of order"
            joined = " ".join(raw[a:b] for a, b in pieces)
            assert tokens(joined) == tokens(e["text"]), f"{where}: at.spans give {joined!r}"
        elif "text" in at:
            gives("text", at["text"], [e["text"]])
        if "cue" in at:
            gives("cue", at["cue"], _alts(e["cue"]), fold=True)
        for key, field in (("speaker", "speaker_mention"), ("speaker_phrase", "speaker_phrase"), ("addressee", "addressee")):
            if key in at:
                assert field in e, f"{where}: at.{key} needs {field}"
                gives(key, at[key], [e[field]])
        if "via" in at:
            assert len(at["via"]) == len(e["via"]), f"{where}: at.via length differs from via"
            for span, v in zip(at["via"], e["via"], strict=False):
                gives("via", span, [v])
    for ent in exp.get("entities", []):
        assert ent.get("name") and ent.get("kind") in SPEAKER_KINDS and ent.get("mentions"), f"{name}: bad entity {ent!r}"
        for m in ent["mentions"]:
            s0, e0 = m["at"]
            assert raw[s0:e0] == m["text"], f"{name}: entity mention at {m['at']} is {raw[s0:e0]!r}, not {m['text']!r}"


CHECKS = {
    "found", "once", "kind", "speaker", "speaker_kind", "speaker_mention", "speaker_phrase", "cue", "addressee",
    "addressee_name", "via", "via_kinds", "nested_in", "pieces", "role", "also_at",
    "at.text", "at.spans", "at.cue", "at.speaker", "at.speaker_phrase", "at.addressee", "at.via",
}
AT_KEYS = {"text", "spans", "cue", "speaker", "speaker_phrase", "addressee", "via"}


def _span(m) -> list[int] | None:
    return None if m is None else list(m.span)


def _judge(where: str, predicted: str, errors: dict[str, str], known: dict[str, str]) -> None:
    """Fail on any check that fails and is not a known failure, and on a known failure that now
    passes (its entry must go, so the test demands the fix); else an expected failure."""
    unexpected = {k: v for k, v in errors.items() if k not in known}
    fixed = sorted(k for k in known if k not in errors)
    if unexpected or fixed:
        lines = [f"{k}: {v}" for k, v in unexpected.items()]
        lines += [f"{k}: listed in known_wrong ({known[k]!r}) but passes now: remove it from the fixture" for k in fixed]
        pytest.fail(f"{where}\n  predicted: {predicted}\n  - " + "\n  - ".join(lines), pytrace=False)
    if known:
        pytest.xfail("; ".join(f"{k}: {v}" for k, v in known.items()))


def _quote_check(art, name: str, idx: int) -> tuple[str, str, dict[str, str], dict[str, str]]:
    """(where, predicted, failed checks, known failures) of expected quote ``idx`` of ``name``."""
    exp_all = EXPECTED[name]["quotes"]
    exp = exp_all[idx]
    known = exp.get("known_wrong", {})
    assigned = _assign(exp_all, art.quotes)[idx]
    where = f"{name} q{idx + 1} ({exp['kind']}: {exp['text']!r})"

    if not assigned:
        near = sorted(art.quotes, key=lambda q: -f1(exp["text"], q.text))[:3]
        near_s = "\n  ".join(f"F1={f1(exp['text'], q.text):.2f} {_qdesc(q)}" for q in near) or "(no quotes at all)"
        return where, "(none)", {"found": f"NOT FOUND (no predicted quote with token-F1 >= {THRESHOLD}); nearest:\n  {near_s}"}, known

    assigned.sort(key=lambda q: -f1(exp["text"], q.text))
    q = assigned[0]
    errors: dict[str, str] = {}
    if len(assigned) > 1:
        errors["once"] = f"reported {len(assigned)} times, expected once:\n    " + "\n    ".join(_qdesc(x) for x in assigned)

    def check(label, expected, got, ok):
        if not ok:
            errors[label] = f"expected {expected!r}, got {got!r}"

    check("kind", exp["kind"], q.kind, q.kind == exp["kind"])

    sp = q.speaker
    want_names = [norm_name(x) for x in _alts(exp["speaker"])]
    got_names = []
    if sp is not None:
        got_names = [norm_name(sp.name)] if sp.name else []
        if exp["speaker_kind"] != "person" or not sp.name:
            got_names.append(norm_name(sp.text))  # documents/anonymous: the mention is the identity
    check("speaker", exp["speaker"], (sp.name, sp.text) if sp else None,
          any(g in want_names for g in got_names if g))
    check("speaker_kind", exp["speaker_kind"], sp.kind if sp else None, sp is not None and sp.kind == exp["speaker_kind"])
    if "speaker_mention" in exp:
        check("speaker_mention", exp["speaker_mention"], sp.text if sp else None,
              sp is not None and norm_cue(sp.text) == norm_cue(exp["speaker_mention"]))
    if "speaker_phrase" in exp:
        got = sp.phrase.text if sp is not None and sp.phrase is not None else None
        check("speaker_phrase", exp["speaker_phrase"], got, got is not None and norm_cue(got) == norm_cue(exp["speaker_phrase"]))

    cue_alts = [norm_cue(c) for c in _alts(exp["cue"])]
    check("cue", exp["cue"], q.cue.text if q.cue else None, q.cue is not None and norm_cue(q.cue.text) in cue_alts)

    if "addressee" in exp:
        check("addressee", exp["addressee"], q.addressee.text if q.addressee else None,
              q.addressee is not None and norm_cue(q.addressee.text) == norm_cue(exp["addressee"]))
    if "addressee_name" in exp:
        ent = None
        if q.addressee is not None and q.addressee.entity is not None:
            try:
                ent = art.entity(q.addressee.entity)
            except KeyError:
                ent = None
        check("addressee_name", exp["addressee_name"],
              (q.addressee.entity, ent.name if ent else None) if q.addressee else None,
              ent is not None and norm_name(ent.name) == norm_name(exp["addressee_name"]))

    if "via" in exp:
        got_via = [v.text for v in q.via]
        check("via", exp["via"], got_via,
              [norm_name(v) for v in got_via] == [norm_name(v) for v in exp["via"]])
        if "via_kinds" in exp:
            got_kinds = [v.kind for v in q.via]
            check("via_kinds", exp["via_kinds"], got_kinds, got_kinds == exp["via_kinds"])

    if "nested_in_text" in exp:
        outer = None
        if q.nested_in is not None:
            try:
                outer = art.quote(q.nested_in)
            except KeyError:
                outer = None
        check("nested_in", exp["nested_in_text"], (q.nested_in, outer.text if outer else None),
              outer is not None and f1(outer.text, exp["nested_in_text"]) >= THRESHOLD)

    if "pieces" in exp:
        check("pieces", exp["pieces"], [list(s) for s in q.spans], len(q.spans) == exp["pieces"])

    if "role" in exp:
        role = _paragraph_role_at(art, q.span[0])
        check("role", exp["role"], role, role == exp["role"])

    if "also_at" not in exp:
        # Nothing in these articles repeats a body quote elsewhere in the body; a repeat may
        # only live in a title, subtitle, highlight or caption paragraph.
        stray = [s for s in q.also_at if _paragraph_role_at(art, s[0]) in (None, "body")]
        check("also_at", "no repeated occurrence in the body",
              [(art.text[s[0]:s[1]], _paragraph_role_at(art, s[0])) for s in stray], not stray)
    for other in exp.get("also_at", []):
        hits = [s for s in q.also_at if f1(art.text[s[0]:s[1]], other["text"]) >= THRESHOLD]
        if "role" in other:
            hits = [s for s in hits if _paragraph_role_at(art, s[0]) == other["role"]]
        check("also_at", f"{other['text']!r} ({other.get('role', 'any')})",
              [(art.text[s[0]:s[1]], _paragraph_role_at(art, s[0])) for s in q.also_at], bool(hits))

    # exact offsets, written in the fixture
    at = exp.get("at", {})
    if "text" in at:
        check("at.text", at["text"], list(q.span), list(q.span) == at["text"])
    if "spans" in at:
        check("at.spans", at["spans"], [list(x) for x in q.spans], [list(x) for x in q.spans] == at["spans"])
    if "cue" in at:
        check("at.cue", at["cue"], _span(q.cue), _span(q.cue) == at["cue"])
    if "speaker" in at:
        check("at.speaker", at["speaker"], _span(sp), _span(sp) == at["speaker"])
    if "speaker_phrase" in at:
        got = _span(sp.phrase) if sp is not None else None
        check("at.speaker_phrase", at["speaker_phrase"], got, got == at["speaker_phrase"])
    if "addressee" in at:
        check("at.addressee", at["addressee"], _span(q.addressee), _span(q.addressee) == at["addressee"])
    if "via" in at:
        got = [list(v.span) for v in q.via]
        check("at.via", at["via"], got, got == at["via"])

    return where, _qdesc(q), errors, known


@pytest.mark.parametrize("name,idx", QUOTE_CASES)
def test_expected_quote(extracted, name, idx):
    _judge(*_quote_check(extracted(name), name, idx))


def _unexpected(name: str, art) -> tuple[list, dict[int, list]]:
    """Predicted quotes that match no expected quote: (not listed in known_extra, known_extra index -> quotes)."""
    exp = EXPECTED[name]
    assigned = {id(q) for qs in _assign(exp["quotes"], art.quotes).values() for q in qs}
    known = exp.get("known_extra", [])
    stray, listed = [], {i: [] for i in range(len(known))}
    for q in art.quotes:
        if id(q) in assigned:
            continue
        scores = [f1(k["text"], q.text) for k in known]
        best = max(scores, default=0.0)
        if best >= THRESHOLD:
            listed[scores.index(best)].append(q)
        else:
            stray.append(q)
    return stray, listed


@pytest.mark.parametrize("name", ARTICLE_CASES)
def test_no_unexpected_records(extracted, name):
    """The expected quotes are the exact set: nothing else may be reported."""
    art = extracted(name)
    stray, _ = _unexpected(name, art)
    assert not stray, f"{name}: records that match no expected quote:\n  " + "\n  ".join(_qdesc(q) for q in stray)


KNOWN_EXTRA_CASES = [
    pytest.param(p.name, i, id=f"{p.stem}-x{i + 1}")
    for p in ARTICLES
    for i in range(len(EXPECTED[p.name].get("known_extra", [])))
]


@pytest.mark.parametrize("name,idx", KNOWN_EXTRA_CASES)
def test_known_extra(extracted, name, idx):
    """A record reported today that should not be: an expected failure until it goes, then the
    entry must be removed (a strict xfail)."""
    k = EXPECTED[name]["known_extra"][idx]
    art = extracted(name)
    _, listed = _unexpected(name, art)
    if listed[idx]:
        pytest.xfail(f"{k['text']!r}: {k['reason']}")
    pytest.fail(f"{name}: known_extra {k['text']!r} is no longer reported: remove it from the fixture", pytrace=False)


ENTITY_CASES = [pytest.param(p.name, id=p.stem) for p in ARTICLES if EXPECTED[p.name].get("entities")]


@pytest.mark.parametrize("name", ENTITY_CASES)
def test_entities(extracted, name):
    """Each listed entity exists with its kind, and its mentions include the hand-pinned ones."""
    art = extracted(name)
    bad = []
    for want in EXPECTED[name]["entities"]:
        hits = [e for e in art.entities if norm_name(e.name) == norm_name(want["name"])]
        if len(hits) != 1:
            bad.append(f"{want['name']!r}: {len(hits)} entities of that name in {[(e.id, e.name) for e in art.entities]}")
            continue
        e = hits[0]
        if e.kind != want["kind"]:
            bad.append(f"{want['name']!r}: kind {e.kind!r}, expected {want['kind']!r}")
        got = {tuple(m) for m in e.mentions}
        for m in want["mentions"]:
            if tuple(m["at"]) not in got:
                bad.append(f"{want['name']!r}: mention {m['text']!r} at {m['at']} missing from {sorted(got)}")
    assert not bad, f"{name}:\n  " + "\n  ".join(bad)


@pytest.mark.parametrize("name", ARTICLE_CASES)
def test_not_quotes(extracted, name):
    art = extracted(name)
    bad = []
    for s in EXPECTED[name]["not_quotes"] + [x["text"] for x in EXPECTED[name].get("not_statements", [])]:
        for q in art.quotes:
            score = f1(s, q.text)
            if score >= THRESHOLD:
                bad.append(f"not a quote: {s!r}\n    but predicted (F1={score:.2f}): {_qdesc(q)}")
    assert not bad, f"{name}: sentences reported as quotes:\n  " + "\n  ".join(bad)


@pytest.mark.parametrize("name", ARTICLE_CASES)
def test_spans_are_exact(extracted, name):
    bad = _span_errors(extracted(name))
    assert not bad, f"{name}: span errors:\n  " + "\n  ".join(bad)


def _span_errors(art) -> list[str]:
    n = len(art.text)
    bad = []

    def span_ok(label, text, span):
        s, e = span
        if not (0 <= s <= e <= n):
            bad.append(f"{label}: span {list(span)} outside [0, {n}]")
        elif text is not None and art.text[s:e] != text:
            bad.append(f"{label}: text {text!r} != article.text[{s}:{e}] {art.text[s:e]!r}")

    for q in art.quotes:
        span_ok(f"{q.id}.text", q.text, q.span)
        for sp in q.spans:
            span_ok(f"{q.id}.spans", None, sp)
        for sp in q.also_at:
            span_ok(f"{q.id}.also_at", None, sp)
        for label, m in (("cue", q.cue), ("speaker", q.speaker), ("addressee", q.addressee)):
            if m is not None:
                span_ok(f"{q.id}.{label}", m.text, m.span)
        for v in q.via:
            span_ok(f"{q.id}.via", v.text, v.span)
        if q.nested_in is not None and q.nested_in not in {x.id for x in art.quotes}:
            bad.append(f"{q.id}.nested_in: unknown quote id {q.nested_in!r}")
    for i, p in enumerate(art.paragraphs):
        span_ok(f"paragraph[{i}]", None, p.span)
    return bad


@pytest.mark.parametrize("name", ARTICLE_CASES)
def test_plain_text_is_kept_verbatim(extracted, name):
    if not name.endswith(".txt"):
        pytest.skip("HTML input: text is derived")
    art = extracted(name)
    assert art.text == _read(ARTICLES_DIR / name), f"{name}: for plain-text input Article.text must be exactly the input"


@pytest.mark.parametrize("name", CAPTION_CASES)
def test_captions(extracted, name):
    art = extracted(name)
    exp = EXPECTED[name]
    paras = [(art.text[p.span[0]:p.span[1]], p.role) for p in art.paragraphs]
    for cap in exp["captions"]:
        hits = [(t, r) for t, r in paras if f1(t, cap) >= 0.8]
        assert hits, f"{name}: caption {cap!r} is not a paragraph; paragraphs: {paras}"
        assert any(r == "caption" for _, r in hits), (
            f"{name}: caption {cap!r} should have role 'caption', got {[r for _, r in hits]}"
        )
    if exp.get("title"):
        assert norm(art.title) == norm(exp["title"]), f"{name}: title expected {exp['title']!r}, got {art.title!r}"


@pytest.mark.parametrize("name", ARTICLE_CASES)
def test_whole_article(name):
    """Every check of one article in one test, on its own fresh extraction (so a tool that runs
    only the tests which executed a function, like mutmut, runs one that checks its output): no
    unexpected failure, no known failure that now passes, no stray record, the listed entities."""
    from quotegraph import extract

    path = ARTICLES_DIR / name
    art = extract(_read(path), path=str(path))
    problems = []
    for idx in range(len(EXPECTED[name]["quotes"])):
        where, _, errors, known = _quote_check(art, name, idx)
        problems += [f"{where}: {k}: {v}" for k, v in errors.items() if k not in known]
        problems += [f"{where}: known_wrong {k!r} passes now" for k in known if k not in errors]
    stray, listed = _unexpected(name, art)
    problems += [f"stray record {_qdesc(q)}" for q in stray]
    problems += [f"known_extra {EXPECTED[name]['known_extra'][i]['text']!r} no longer reported" for i, v in listed.items() if not v]
    for want in EXPECTED[name].get("entities", []):
        hits = [e for e in art.entities if norm_name(e.name) == norm_name(want["name"])]
        got = {tuple(m) for e in hits for m in e.mentions}
        problems += [f"entity {want['name']!r}: mention {m['at']} missing" for m in want["mentions"] if len(hits) != 1 or tuple(m["at"]) not in got]
        problems += [f"entity {want['name']!r}: kind {e.kind!r}" for e in hits if e.kind != want["kind"]]
    problems += _span_errors(art)
    paras = [(art.text[p.span[0]:p.span[1]], p.role) for p in art.paragraphs]
    problems += [f"caption {cap!r} has no paragraph of role 'caption'" for cap in EXPECTED[name].get("captions", [])
                 if not any(r == "caption" and f1(t, cap) >= 0.8 for t, r in paras)]
    if EXPECTED[name].get("title") and norm(art.title) != norm(EXPECTED[name]["title"]):
        problems.append(f"title {art.title!r}")
    assert not problems, f"{name}:\n  " + "\n  ".join(problems)
