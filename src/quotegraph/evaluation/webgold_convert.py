"""Scratch real-web gold (text strings) → committed gold (offsets and short hashes only).

The scratch files (``/work/goldwork/<page-stem>.json``, outside every repository) hold
exact substrings of quotegraph's extracted text of a page; the committed files
(``eval/webgold/<page-stem>.json``) hold only ``[start, end)`` offsets into that text and
the first 12 hex digits of the sha1 of each span's text, never the text itself.
A scratch string may elide its middle as ``"first words@@last words"``.  The
format is described in ``docs/accuracy.md`` ("Real-web dev gold").

Usage::

    python -m quotegraph.evaluation.webgold_convert SCRATCH_DIR PAGES_DIR OUT_DIR [STEM ...]

Resolution: ``content[0]`` is its ``occurrence``-th copy (default 1) at/after the
previous attribution's ``content[0]``; each later fragment the first copy after the one
before (at most ``MAX_GAP`` characters on); the cue the whole-word copy nearest the
content and outside it and the speaker the one nearest the cue, chosen together
(smallest distance cue-content plus speaker-cue, a line break in between costing
``PARAGRAPH_COST``; of two equally near, the earlier); the entity its first whole-word
copy.  Every string must be found: a missing
one, an ``occurrence`` beyond the copies, a fragment implausibly far from the previous
one, or attributions out of text order stop the conversion with an error naming the
page, the attribution and the field.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

Span = tuple[int, int]

KINDS = ("direct", "indirect", "mixed")
SPEAKER_KINDS = ("person", "organization", "outlet", "document", "anonymous", "unknown")
ACTS = ("statement", "belief", "intention", "knowledge")
FACTUALITIES = ("asserted", "negated", "hypothetical")
SOURCE_TYPES = ("named_person", "named_organization", "document", "anonymous", "unnamed_person", "unnamed_group")
NAMED_TYPES = ("named_person", "named_organization", "document")


class GoldError(ValueError):
    """A scratch gold file that cannot be converted (message names page, item and field)."""


def sha1_12(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_page(html_path: Path):
    """A page as a ``Source``; a gzipped page (``*.html.gz``, as in ``article-bodies/html``) is unpacked."""
    import gzip

    from quotegraph.read.readers import read_bytes, read_path

    if html_path.suffix != ".gz":
        return read_path(str(html_path))
    try:
        data = gzip.decompress(html_path.read_bytes())
    except (OSError, EOFError) as exc:
        raise GoldError(f"{html_path}: cannot unpack: {exc}") from exc
    return read_bytes(data, str(html_path), format="html")


def page_text(html_path: Path) -> str:
    """quotegraph's extracted text of a page (the same text ``extract`` returns), without parsing."""
    from quotegraph.pipeline import Extractor

    return Extractor().prepare(read_page(html_path)).layout.text


def gold_stem(page: str) -> str:
    """The gold file's name for a page: ``x.html`` and ``x.html.gz`` both give ``x``."""
    name = page[:-3] if page.endswith(".gz") else page
    return Path(name).stem


def occurrences(text: str, needle: str, start: int = 0, whole_word: bool = False) -> list[int]:
    """Start offsets of ``needle`` in ``text`` at or after ``start`` (overlapping ones too)."""
    if not needle:
        return []
    pat = re.escape(needle)
    if whole_word:
        if needle[0].isalnum():
            pat = r"(?<!\w)" + pat
        if needle[-1].isalnum():
            pat = pat + r"(?!\w)"
    return [m.start() for m in re.compile(f"(?=({pat}))").finditer(text, start)]


ELIDE = "@@"
MAX_GAP = 1000  # characters allowed between two fragments of one content
QUOTE_OPENERS = frozenset("\"'\u201c\u2018\u00ab\u201e")


def locate(text: str, frag: str, start: int = 0) -> list[Span]:
    """Spans of ``frag`` at/after ``start``; ``"head@@tail"`` stands for head, anything, tail
    (the first ``tail`` after each ``head``, within 5000 characters)."""
    if ELIDE not in frag:
        return [(s, s + len(frag)) for s in occurrences(text, frag, start)]
    head, tail = frag.split(ELIDE, 1)
    out = []
    for s in occurrences(text, head, start):
        t = text.find(tail, s + len(head))
        if t >= 0 and t - s < 5000:
            out.append((s, t + len(tail)))
    return out


def _distance(a: Span, b: Span) -> int:
    if a[1] <= b[0]:
        return b[0] - a[1]
    if b[1] <= a[0]:
        return a[0] - b[1]
    return 0


PARAGRAPH_COST = 1000  # a cue or speaker across a line break from what it goes with comes last


def _cost(text: str, a: Span, b: Span) -> int:
    """Distance between two spans, plus ``PARAGRAPH_COST`` when a line break lies between."""
    lo, hi = (a[1], b[0]) if a[1] <= b[0] else (b[1], a[0])
    return _distance(a, b) + (PARAGRAPH_COST if lo < hi and "\n" in text[lo:hi] else 0)


def nearest(text: str, needle: str, anchor: Span, avoid: Sequence[Span], where: str) -> Span:
    """The whole-word occurrence of ``needle`` nearest to ``anchor`` outside ``avoid`` (ties: the earlier)."""
    cands = candidates(text, needle, avoid, where)
    # nearest first; of two equally near, the earlier (the annotators' validator shows that one)
    cands.sort(key=lambda c: (_cost(text, c, anchor), c[0]))
    return cands[0]


def candidates(text: str, needle: str, avoid: Sequence[Span], where: str) -> list[Span]:
    """Whole-word copies of ``needle`` outside ``avoid`` (any copies when none is whole-word or outside)."""
    cands = [(s, s + len(needle)) for s in occurrences(text, needle, 0, whole_word=True)]
    if not cands:
        cands = [(s, s + len(needle)) for s in occurrences(text, needle, 0)]
    outside = [c for c in cands if not any(c[0] < b and a < c[1] for a, b in avoid)]
    if not (outside or cands):
        raise GoldError(f"{where}: {needle!r} not found in the text")
    return outside or cands


def cue_and_speaker(text: str, cue: str, speaker: str, ext: Span, content: Sequence[Span], where: str) -> tuple[Span, Span]:
    """The cue and speaker copies that lie nearest together and to the content: the pair
    minimising distance(cue, content) + distance(speaker, cue); ties go to the earlier."""
    cues = candidates(text, cue, content, f"{where} cue")
    speakers = candidates(text, speaker, content, f"{where} speaker")
    best = None
    for c in cues:
        for sp in speakers:
            key = (_cost(text, c, ext) + _cost(text, sp, c), c[0], sp[0])
            if best is None or key < best[0]:
                best = (key, c, sp)
    assert best is not None
    return best[1], best[2]


def _require(cond: object, msg: str) -> None:
    if not cond:
        raise GoldError(msg)


def convert_page(scratch: dict[str, Any], text: str, where: str) -> dict[str, Any]:
    """One scratch page → committed gold (offsets + sha1 prefixes)."""
    _require(isinstance(scratch.get("attributions"), list), f"{where}: 'attributions' must be a list")
    declared = scratch.get("text_sha256")
    actual = sha256(text)
    _require(declared == actual, f"{where}: text_sha256 {str(declared)[:12]}… differs from the page's extracted text {actual[:12]}… (re-annotate or re-extract)")
    out_attrs: list[dict[str, Any]] = []
    pos = 0
    for n, a in enumerate(scratch["attributions"], 1):
        rec, pos = _attribution(a, n, text, pos, f"{where} attribution {n}")
        out_attrs.append(rec)
    nq_spans = _not_quote_spans(scratch.get("not_quotes", []) or [], text, where)
    return {
        "page": scratch.get("page"),
        **({"dataset": scratch["dataset"]} if scratch.get("dataset") else {}),
        "text_sha256": actual,
        "attributions": out_attrs,
        "not_quotes": nq_spans,
        "not_quotes_sha1": [sha1_12(text[s:e]) for s, e in nq_spans],
    }


def _content_spans(text: str, frags: Any, occ: Any, pos: int, w: str) -> list[Span]:
    """Where an attribution's content fragments are: the first at or after ``pos`` (its
    ``occ``-th occurrence there), each next one shortly after the one before."""
    _require(isinstance(frags, list) and frags and all(isinstance(f, str) and f for f in frags), f"{w}: content must be a non-empty list of strings")
    found = locate(text, frags[0], pos)
    if not found:
        earlier = locate(text, frags[0], 0)
        hint = f" (it occurs earlier, at {earlier[0][0]}: attributions out of text order?)" if earlier else ""
        raise GoldError(f"{w}: content[0] {frags[0][:60]!r} not found at/after offset {pos}{hint}")
    k = 1 if occ is None else occ
    _require(isinstance(k, int) and 1 <= k <= len(found), f"{w}: occurrence {occ!r} but content[0] occurs {len(found)} time(s) at/after offset {pos}")
    content: list[Span] = [found[k - 1]]
    for i, f in enumerate(frags[1:], 2):
        nxt = locate(text, f, content[-1][1])
        _require(bool(nxt), f"{w}: content[{i - 1}] {f[:60]!r} not found after content[{i - 2}]")
        _require(nxt[0][0] - content[-1][1] <= MAX_GAP, f"{w}: content[{i - 1}] {f[:60]!r} is {nxt[0][0] - content[-1][1]} characters after content[{i - 2}] (a wrong copy?)")
        content.append(nxt[0])
    return content


def _attribution(a: dict[str, Any], n: int, text: str, pos: int, w: str) -> tuple[dict[str, Any], int]:
    """One scratch attribution → its gold record, and where the next one's content is looked for."""
    kind = a.get("kind")
    _require(kind in KINDS, f"{w}: kind {kind!r} not one of {KINDS}")
    sk = a.get("speaker_kind", "unknown")
    _require(sk in SPEAKER_KINDS, f"{w}: speaker_kind {sk!r} not one of {SPEAKER_KINDS}")
    content = _content_spans(text, a.get("content"), a.get("occurrence"), pos, w)
    s0 = content[0][0]
    ext = (content[0][0], content[-1][1])
    cue = speaker = None
    if a.get("cue") and a.get("speaker"):
        cue, speaker = cue_and_speaker(text, a["cue"], a["speaker"], ext, content, w)
    elif a.get("cue"):
        cue = nearest(text, a["cue"], ext, content, f"{w} cue")
    elif a.get("speaker"):
        speaker = nearest(text, a["speaker"], ext, content, f"{w} speaker")
    entity = None
    if a.get("speaker_entity"):
        ent = a["speaker_entity"]
        hits = occurrences(text, ent, 0, whole_word=True) or occurrences(text, ent, 0)
        _require(bool(hits), f"{w}: speaker_entity {ent!r} not found in the text")
        entity = (hits[0], hits[0] + len(ent))
    _require(a.get("speaker") is None or entity is not None or sk in ("unknown",), f"{w}: a speaker without speaker_entity needs speaker_kind 'unknown'")
    rec: dict[str, Any] = {
        "id": f"a{n}",
        "kind": kind,
        "content": [list(c) for c in content],
        "content_sha1": [sha1_12(text[s:e]) for s, e in content],
    }
    for name, span in (("cue", cue), ("speaker", speaker), ("speaker_entity", entity)):
        rec[name] = list(span) if span else None
        rec[f"{name}_sha1"] = sha1_12(text[span[0] : span[1]]) if span else None
    rec["speaker_kind"] = sk
    if any(k in a for k in ("act", "factuality", "source_type")):
        rec.update(_labels(a, text, (cue or speaker or ext), w))
    # other places where the same content is repeated word for word (a repeated paragraph)
    also = []
    if len(content) == 1 and content[0][1] - content[0][0] >= 20:
        also = [list(sp) for sp in locate(text, text[content[0][0] : content[0][1]], 0) if sp[0] != s0]
    if also:
        rec["also_at"] = also
    return rec, s0


def _labels(a: dict[str, Any], text: str, anchor: Span, w: str) -> dict[str, Any]:
    """The issue-#23 labels of one attribution: act, factuality, source type, and the source's name
    and organisation as the whole-word copies nearest ``anchor`` (the cue, else the speaker)."""
    act, fact, st = a.get("act", "statement"), a.get("factuality", "asserted"), a.get("source_type")
    _require(act in ACTS, f"{w}: act {act!r} not one of {ACTS}")
    _require(fact in FACTUALITIES, f"{w}: factuality {fact!r} not one of {FACTUALITIES}")
    _require(st is None or st in SOURCE_TYPES, f"{w}: source_type {st!r} not one of {SOURCE_TYPES}")
    _require(st not in NAMED_TYPES or bool(a.get("source_name")), f"{w}: source_type {st} needs a source_name")
    rec: dict[str, Any] = {"act": act, "factuality": fact, "source_type": st}
    for field in ("source_name", "source_org"):
        span = nearest(text, a[field], anchor, [], f"{w} {field}") if a.get(field) else None
        rec[field] = list(span) if span else None
        rec[f"{field}_sha1"] = sha1_12(text[span[0] : span[1]]) if span else None
    return rec


def _not_quote_spans(not_quotes: list[Any], text: str, where: str) -> list[list[int]]:
    """Where the page's listed not-quotes are (a quoted string: the occurrences right after a
    quotation mark, if any), sorted."""
    nq_spans: list[list[int]] = []
    for i, nq in enumerate(not_quotes, 1):
        _require(isinstance(nq, str) and nq, f"{where} not_quotes[{i}]: must be a non-empty string")
        hits = locate(text, nq, 0)
        _require(bool(hits), f"{where} not_quotes[{i}]: {nq[:60]!r} not found in the text")
        marked = [h for h in hits if h[0] > 0 and text[h[0] - 1] in QUOTE_OPENERS]
        hits = marked or hits
        for h in hits:
            if list(h) not in nq_spans:
                nq_spans.append(list(h))
    nq_spans.sort()
    return nq_spans


def dumps(gold: dict[str, Any]) -> str:
    """The committed layout: one attribution per line (readable diffs)."""
    head = {k: v for k, v in gold.items() if k != "attributions"}
    lines = [json.dumps(a, ensure_ascii=False) for a in gold["attributions"]]
    body = ",\n  ".join(lines)
    first = {k: head[k] for k in ("page", "dataset", "text_sha256") if k in head}
    top = json.dumps(first, ensure_ascii=False)[:-1]
    rest = json.dumps({"not_quotes": head["not_quotes"], "not_quotes_sha1": head["not_quotes_sha1"]}, ensure_ascii=False)[1:]
    return f"{top},\n \"attributions\": [\n  {body}\n ],\n {rest}\n" if lines else f"{top},\n \"attributions\": [],\n {rest}\n"


def convert_file(scratch_path: Path, pages_dir: Path, out_dir: Path, text: str | None = None) -> Path:
    try:
        scratch = json.loads(scratch_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise GoldError(f"{scratch_path}: cannot read: {exc}") from exc
    page = scratch.get("page") or f"{scratch_path.stem}.html"
    html = pages_dir / page
    if text is None:
        _require(html.exists(), f"{scratch_path}: page {html} not found")
        text = page_text(html)
    gold = convert_page(scratch, text, scratch_path.name)
    gold["page"] = page
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"{gold_stem(page)}.json"
    out.write_text(dumps(gold), encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Convert scratch real-web gold files into offset-only gold files.")
    ap.add_argument("scratch_dir", type=Path)
    ap.add_argument("pages_dir", type=Path)
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("stems", nargs="*", help="only these page stems (default: every scratch file)")
    args = ap.parse_args(argv)
    files = sorted(args.scratch_dir.glob("*.json"))
    if args.stems:
        files = [f for f in files if f.stem in set(args.stems)]
    bad = 0
    for f in files:
        try:
            out = convert_file(f, args.pages_dir, args.out_dir)
            n = len(json.loads(out.read_text(encoding="utf-8"))["attributions"])
            print(f"{f.name}: {n} attributions → {out}")
        except GoldError as exc:
            bad += 1
            print(f"error: {exc}", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
