"""The real-web gold scored as the product reports (issue #23): sourced statements, source
type and name, speakers of direct quotes, confidence; and the fixed tuning/reporting split.

The default output of quotegraph is what a source *communicated*.  The gold attributions
that count here (the *targets*) are those with act ``statement``, factuality ``asserted``
and a source on the page (``GoldAttribution.sourced_statement``).  Per page:

* **Precision** – share of the system's records that match (lenient, 30% of the shorter, on
  any place of either) a target.  Every record the extractor outputs is scored: a record of
  a belief, an intention, a negated report or a sourceless one counts against precision
  unless the extractor leaves it out of its output.
* **Recall** – share of targets matched by some record.
* **Source type** – over matched records: the record's ``speaker.type`` equals the target's
  ``source_type``.  A record without a type is scored by its speaker kind
  (:data:`TYPE_OF_KIND`: person → named_person, organization/outlet → named_organization,
  document → document, anonymous → anonymous); no speaker is wrong.
* **Source name** – over matched records: the record's speaker name (``speaker.name``, else
  its text) or ``speaker.organization`` denotes the target's source name; for an unnamed
  source of an organisation ("an Exxon spokesperson") the organisation; for other unnamed
  sources ("officials") the speaker entity as the gold writes it.
* **Speaker of direct quotes** – over records matched to a direct target with a speaker
  entity (records nested inside another record of the same target aside, as in
  ``webgold``): the speaker denotes that entity.
* **Confidence** – records at ``confidence`` ≥ 0.9: their share of all records, and the share
  of them that are right (they match a target and their speaker denotes its entity).

The split (:func:`make_split`) puts each gold page in the tuning or the reporting half by a
hash of its page name, with the first seed that balances the halves.  The result is
committed as ``eval/webgold-split.json``; choose nothing on the reporting half.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quotegraph.evaluation.metrics import trim_pieces
from quotegraph.evaluation.webgold import Counts, GoldAttribution, GoldPage, Record, _lenient, same_speaker

CONFIDENT = 0.9
HALVES = ("tuning", "reporting")
TYPE_OF_KIND = {
    "person": "named_person",
    "organization": "named_organization",
    "outlet": "named_organization",
    "document": "document",
    "anonymous": "anonymous",
}
# the kind a gold source name is compared as (same_speaker's gold kind)
_NAME_KIND = {"named_person": "person", "named_organization": "organization", "document": "document"}


@dataclass
class RecordScore:
    """One record against the page's targets."""

    id: str
    target: int | None  # index (into the page's attributions) of the best-matching target
    type_ok: bool | None = None  # None: not matched
    name_ok: bool | None = None
    direct_speaker_ok: bool | None = None  # None: not scored
    confident: bool = False
    right: bool = False  # matched, and the speaker denotes the target's entity (when it has one)
    predicted_type: str | None = None


@dataclass
class SourcedPage:
    targets: list[int]  # indexes of the page's target attributions
    found: dict[int, bool]  # target index → matched by some record
    records: list[RecordScore]
    gold_types: dict[int, str] = field(default_factory=dict)


def predicted_type(r: Record) -> str | None:
    """The record's source type: ``speaker.type``, else one read off its speaker kind."""
    if r.source_type:
        return r.source_type
    if r.speaker is None:
        return None
    return TYPE_OF_KIND.get(r.speaker_kind or "")


def gold_name(g: GoldAttribution) -> tuple[str | None, str]:
    """The name a record must give for ``g``'s source, and the kind to compare it as."""
    if g.source_name:
        return g.source_name, _NAME_KIND.get(g.source_type or "", "anonymous")
    if g.source_org:
        return g.source_org, "organization"
    return g.entity, "anonymous"


def name_right(r: Record, g: GoldAttribution) -> bool:
    """Does the record's speaker name, or the organisation it gives, denote ``g``'s source?"""
    name, kind = gold_name(g)
    if not name:
        return False
    if r.speaker and same_speaker(r.speaker, r.speaker_kind, name, kind):
        return True
    return bool(r.organization) and same_speaker(r.organization, "organization", name, kind)


def score_sourced(text: str, gold: GoldPage, recs: Sequence[Record], nested: Iterable[str] = ()) -> SourcedPage:
    """Score one page's records against its sourced statements."""
    targets = [i for i, g in enumerate(gold.attributions) if g.sourced_statement]
    places = {i: [trim_pieces(text, p) for p in gold.attributions[i].places] for i in targets}
    page = SourcedPage(targets, {i: False for i in targets}, [], {i: str(gold.attributions[i].source_type) for i in targets})
    skip_speaker = set(nested)
    for r in recs:
        r_places = [trim_pieces(text, p) for p in r.places]
        best, best_ov = None, 0
        for i in targets:
            ov = max((_lenient(a, b) for a in r_places for b in places[i]), default=0)
            if ov:
                page.found[i] = True
            if ov > best_ov:
                best, best_ov = i, ov
        score = RecordScore(r.id, best, confident=r.confidence >= CONFIDENT, predicted_type=predicted_type(r))
        if best is not None:
            g = gold.attributions[best]
            score.type_ok = score.predicted_type == g.source_type
            score.name_ok = name_right(r, g)
            speaker_ok = same_speaker(r.speaker, r.speaker_kind, g.entity, g.speaker_kind) if g.entity else True
            score.right = speaker_ok or r.id in skip_speaker
            if g.kind == "direct" and g.entity and r.id not in skip_speaker:
                score.direct_speaker_ok = speaker_ok
        page.records.append(score)
    return page


@dataclass
class SourcedFigures:
    """The issue-#23 figures over some pages."""

    precision: Counts = field(default_factory=Counts)
    recall: Counts = field(default_factory=Counts)
    source_type: Counts = field(default_factory=Counts)
    source_name: Counts = field(default_factory=Counts)
    direct_speaker: Counts = field(default_factory=Counts)
    confident_share: Counts = field(default_factory=Counts)  # records at confidence >= 0.9, of all records
    confident_right: Counts = field(default_factory=Counts)  # of those, right (speaker included)
    type_confusions: Counter = field(default_factory=Counter)  # (gold type, predicted type) of wrong types
    pages: int = 0

    def add(self, page: SourcedPage) -> None:
        self.pages += 1
        for found in page.found.values():
            self.recall.add(found)
        for s in page.records:
            matched = s.target is not None
            self.precision.add(matched)
            self.confident_share.add(s.confident)
            if s.confident:
                self.confident_right.add(matched and s.right)
            if not matched:
                continue
            self.source_type.add(bool(s.type_ok))
            self.source_name.add(bool(s.name_ok))
            if not s.type_ok and s.target is not None:
                self.type_confusions[(page.gold_types[s.target], s.predicted_type or "none")] += 1
            if s.direct_speaker_ok is not None:
                self.direct_speaker.add(s.direct_speaker_ok)

    def to_dict(self) -> dict:
        p, r = self.precision.value, self.recall.value
        return {
            "pages": self.pages,
            "precision": self.precision.to_dict(),
            "recall": self.recall.to_dict(),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "source_type": self.source_type.to_dict(),
            "source_name": self.source_name.to_dict(),
            "direct_speaker": self.direct_speaker.to_dict(),
            "confident_share": self.confident_share.to_dict(),
            "confident_right": self.confident_right.to_dict(),
            "type_confusions": {f"{g} as {p}": n for (g, p), n in sorted(self.type_confusions.items())},
        }


def figures(pages: Iterable) -> SourcedFigures:
    """The figures over ``webgold.PageResult``s (pages that failed are left out)."""
    out = SourcedFigures()
    for p in pages:
        if p.error is None and p.sourced is not None:
            out.add(p.sourced)
    return out


# --------------------------------------------------------------------------- split


def _targets(raw: dict) -> int:
    return sum(
        a.get("act", "statement") == "statement" and a.get("factuality", "asserted") == "asserted" and a.get("source_type") is not None
        for a in raw["attributions"]
    )


BALANCE = 0.03  # the halves' target counts may differ by at most this share of all targets


def half_of(page: str, seed: int) -> str:
    """``reporting`` when the first hex digit of ``sha1("<seed>:<page>")`` is odd, else ``tuning``."""
    digit = int(hashlib.sha1(f"{seed}:{page}".encode()).hexdigest()[0], 16)
    return "reporting" if digit % 2 else "tuning"


def make_split(raws: Sequence[dict], seed: int | None = None) -> dict[str, Any]:
    """Each gold page to ``tuning`` or ``reporting`` by :func:`half_of`.  Without ``seed``, the
    first seed 0, 1, 2 ... whose halves differ by at most ``BALANCE`` of the target
    attributions and by at most two pages; the committed split keeps its seed, so a page
    added later goes to the half its own hash gives and no page changes half."""
    total = sum(_targets(r) for r in raws)
    for s in [seed] if seed is not None else range(10_000):
        halves: dict[str, list[str]] = {h: [] for h in HALVES}
        load = dict.fromkeys(HALVES, 0)
        for raw in raws:
            half = half_of(raw["page"], s)
            halves[half].append(raw["page"])
            load[half] += _targets(raw)
        balanced = abs(load["tuning"] - load["reporting"]) <= BALANCE * total and abs(len(halves["tuning"]) - len(halves["reporting"])) <= 2
        if balanced or seed is not None:
            return {"seed": s, **{h: sorted(v) for h, v in halves.items()}}
    raise ValueError("no seed below 10000 balances the halves")


def load_split(path: str | Path) -> dict[str, list[str]]:
    """The committed split: ``{"tuning": [...], "reporting": [...]}`` (page names)."""
    p = Path(path)
    try:
        raw = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(f"{p}: no such split file") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"{p}: not valid JSON: {exc}") from exc
    if not isinstance(raw, dict) or not all(isinstance(raw.get(h), list) for h in HALVES):
        raise ValueError(f"{p}: a split file needs the lists 'tuning' and 'reporting'")
    return {h: list(raw[h]) for h in HALVES}


def load_seed(path: str | Path) -> int:
    """The seed a committed split was made with."""
    return int(json.loads(Path(path).read_text(encoding="utf-8"))["seed"])


def pages_of(split: dict[str, list[str]], half: str) -> list[str] | None:
    """The page names of ``half`` (``None`` for ``all``)."""
    if half == "all":
        return None
    if half not in HALVES:
        raise ValueError(f"half {half!r}: not one of tuning, reporting, all")
    return split[half]


def dump_split(split: dict[str, Any]) -> str:
    """The committed layout of a split (``make_split``'s result, with how it was made)."""
    method = (
        "a page is in the reporting half when the first hex digit of sha1('<seed>:<page>') is odd; the seed is the first "
        f"that balances the halves (target attributions within {BALANCE:.0%} of all, pages within two); "
        "quotegraph.evaluation.webgold_sourced.make_split"
    )
    body = {"method": method, "seed": split["seed"], **{h: split[h] for h in HALVES}}
    return json.dumps(body, indent=1) + "\n"
