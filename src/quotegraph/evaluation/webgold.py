"""Score quotegraph on the hand-annotated real-web dev gold (``eval/webgold/*.json``).

The gold holds offsets and 12-hex sha1 prefixes into quotegraph's extracted text of each
page, never text (see ``webgold_convert`` and ``docs/accuracy.md``).  Scoring, per page:

* **Re-alignment** – when the extracted text's sha256 differs from the gold's (the HTML
  stage changed), each gold span is re-found as the substring of the same length with the
  same sha1 nearest to its old offset; an attribution whose content cannot be re-found is
  dropped and reported as *lost*.
* **Records** – every predicted quote is one record (its content pieces, plus the places
  listed in ``also_at``).  Content is trimmed of whitespace, quotation marks and trailing
  ``,.;:`` (``metrics.trim_pieces``) before comparing.
* **Lenient match** – a record and a gold attribution match when their content overlaps by
  at least 30% of the shorter of the two (on any of the gold's places: a repeated
  paragraph gives ``also_at``).  **Exact** – equal trimmed extents.
* **Precision** – share of records that match some gold attribution (kind-agnostic), also
  by the record's predicted kind; **recall** – share of gold attributions matched by some
  record, by gold kind.  A record that matches no gold and overlaps a gold ``not_quotes``
  span (a title, scare quote, headline) is counted as a *not-quote false positive*.
* **Speaker accuracy** – over matched records whose gold has a ``speaker_entity``: the
  record's resolved name (``speaker.name``, else ``speaker.text``) must denote that entity
  (:func:`same_speaker`); a missing speaker or one of an incompatible kind is wrong.
  Reported for gold-direct attributions and for all.  A record lying inside another record
  matched to the same gold attribution (an attribution reported inside that quotation) is
  not scored for its speaker: the gold holds the outer attribution's only.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quotegraph.evaluation.metrics import Span, length, overlap, trim_pieces
from quotegraph.evaluation.metrics import exact_key as trimmed_extent

KINDS: tuple[str, ...] = ("direct", "mixed", "indirect")
LENIENT = 0.3


def sha1_12(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- gold


@dataclass
class GoldAttribution:
    id: str
    kind: str
    places: list[list[Span]]  # the content's pieces, then each repeat (also_at)
    entity: str | None  # the speaker_entity's text in the current extracted text
    speaker_kind: str = "unknown"
    act: str = "statement"  # statement | belief | intention | knowledge (issue #23 labels)
    factuality: str = "asserted"  # asserted | negated | hypothetical
    source_type: str | None = None  # named_person ... unnamed_group; None: no source on the page, or unlabelled
    source_name: str | None = None  # text of the mention naming the source
    source_org: str | None = None  # text of the organisation an unnamed source speaks for

    @property
    def sourced_statement(self) -> bool:
        """What the product reports by default: a statement, asserted, from a source."""
        return self.act == "statement" and self.factuality == "asserted" and self.source_type is not None


@dataclass
class GoldPage:
    page: str
    attributions: list[GoldAttribution]
    not_quotes: list[Span]
    realigned: bool = False
    lost: list[str] = field(default_factory=list)  # ids of attributions that could not be re-found


def refind(text: str, span: Sequence[int], digest: str) -> Span | None:
    """The substring of ``text`` with ``span``'s length and sha1 prefix nearest its old start."""
    s, e = int(span[0]), int(span[1])
    n = e - s
    if 0 <= s and e <= len(text) and sha1_12(text[s:e]) == digest:
        return (s, e)
    last = len(text) - n
    for d in range(1, max(s, last - s) + 2):
        for i in (s - d, s + d):
            if 0 <= i <= last and sha1_12(text[i : i + n]) == digest:
                return (i, i + n)
    return None


def align(raw: dict, text: str) -> GoldPage:
    """Gold spans valid for ``text`` (re-found by hash when the text changed)."""
    same = raw.get("text_sha256") == sha256(text)

    def place(span, digest) -> Span | None:
        if same:
            return (int(span[0]), int(span[1]))
        return refind(text, span, digest)

    def text_of(a: dict, key: str) -> str | None:
        """The text of one of ``a``'s optional spans (``speaker_entity``, ``source_name`` ...)."""
        if not a.get(key):
            return None
        sp = place(a[key], a[f"{key}_sha1"])
        return text[sp[0] : sp[1]] if sp else None

    page = GoldPage(page=raw["page"], attributions=[], not_quotes=[], realigned=not same)
    for a in raw["attributions"]:
        pieces = [place(sp, h) for sp, h in zip(a["content"], a["content_sha1"], strict=False)]
        if any(p is None for p in pieces) or not pieces:
            page.lost.append(a["id"])
            continue
        places: list[list[Span]] = [sorted(p for p in pieces if p is not None)]
        for sp in a.get("also_at", []):
            # a repeat has the text of the (single-piece) content
            p = place(sp, a["content_sha1"][0])
            if p is not None:
                places.append([p])
        page.attributions.append(
            GoldAttribution(
                a["id"], a["kind"], places, text_of(a, "speaker_entity"), a.get("speaker_kind", "unknown"),
                act=a.get("act", "statement"), factuality=a.get("factuality", "asserted"), source_type=a.get("source_type"),
                source_name=text_of(a, "source_name"), source_org=text_of(a, "source_org"),
            )
        )
    for sp, h in zip(raw.get("not_quotes", []), raw.get("not_quotes_sha1", []), strict=False):
        p = place(sp, h)
        if p is not None:
            page.not_quotes.append(p)
    return page


def load_gold_dir(gold_dir: str | Path) -> list[dict]:
    """Every ``*.json`` gold file of ``gold_dir``, sorted by page name."""
    d = Path(gold_dir)
    if not d.is_dir():
        raise FileNotFoundError(f"{d}: no such gold directory")
    out = []
    for f in sorted(d.glob("*.json")):
        try:
            raw = json.loads(f.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{f}: not valid JSON: {exc}") from exc
        if not isinstance(raw, dict) or "page" not in raw or "attributions" not in raw:
            raise ValueError(f"{f}: not a webgold file (needs 'page' and 'attributions')")
        out.append(raw)
    return out


# --------------------------------------------------------------------------- speakers

PRONOUNS = frozenset("i me my we us our you your he him his she her they them their it its who whom this that".split())
TITLES = frozenset(
    """mr mrs ms miss mx dr prof professor sir dame lord lady rev reverend fr father sen senator rep
    representative gov governor pres president vice minister prime secretary judge justice mayor
    chief ceo executive chairman chairwoman chair director gen general col colonel capt captain lt
    sgt officer detective hon honourable honorable the taoiseach tanaiste tánaiste pm mp st saint
    king queen prince princess pope cardinal bishop rabbi imam sheikh ambassador commissioner
    superintendent supt inspector insp constable sergeant assistant deputy acting commander cmdr
    chancellor premier dean principal coach councillor councilman councilwoman councilmember
    alderman assemblyman assemblywoman congressman congresswoman delegate speaker leader sheriff
    marshal attorney solicitor magistrate baroness baron earl duke rt right mister madam madame
    pastor admiral adm major maj brigadier brig lieutenant corporal cpl private pvt""".split()
)
SUFFIXES = frozenset("jr sr ii iii iv phd ph d md esq".split())
STOP = frozenset("a an the of for and in on at to by from with this that these those our their its his her some many several other others all".split())


def name_tokens(name: str) -> list[str]:
    """Lower-cased, accent-free word tokens of a name, possessives dropped."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    s = re.sub(r"['\u2019]s\b", "", s)
    return [t for t in re.findall(r"[a-z0-9]+(?:[-'][a-z0-9]+)*", s)]


def person_core(tokens: list[str]) -> list[str]:
    """A person's name without leading titles and trailing suffixes."""
    t = list(tokens)
    while t and t[0] in TITLES:
        t.pop(0)
    while t and t[-1] in SUFFIXES:
        t.pop()
    return t


def _compatible_first(p: str, g: str) -> bool:
    return p == g or (p[0] == g[0] and (len(p) == 1 or len(g) == 1 or p.startswith(g) or g.startswith(p)))


def same_person(pred: str, gold: str) -> bool:
    """Same surname and compatible first names ("Lee" / "Mr. Lee" / "T. Lee" = "Tim Lee")."""
    p = person_core(name_tokens(pred))
    g = person_core(name_tokens(gold))
    if not p or not g or all(t in PRONOUNS for t in p):
        return False
    if len(g) == 1:
        return g[0] in p
    if p[-1] != g[-1]:
        return False
    return all(any(_compatible_first(pt, gt) for gt in g[:-1]) for pt in p[:-1])


def same_group(pred: str, gold: str) -> bool:
    """Lenient token overlap for organisations, outlets, documents and unnamed sources:
    half the content words of the shorter name shared, or the predicted name is the
    gold's acronym ("NPHET")."""
    p = [t for t in name_tokens(pred) if t not in STOP]
    g = [t for t in name_tokens(gold) if t not in STOP]
    if not p or not g or all(t in PRONOUNS for t in p):
        return False
    shared = len(set(p) & set(g))
    if shared and shared >= 0.5 * min(len(set(p)), len(set(g))):
        return True
    initials = "".join(t[0] for t in g)
    return len(p) == 1 and len(p[0]) >= 2 and p[0] == initials


def kinds_compatible(pred_kind: str | None, gold_kind: str) -> bool:
    """A person is never an organisation, outlet or document (nor the reverse); unnamed
    sources ("officials", "recovery teams") and unknown kinds go with any kind."""
    if not pred_kind or "unknown" in (pred_kind, gold_kind) or "anonymous" in (pred_kind, gold_kind):
        return True
    return (pred_kind == "person") == (gold_kind == "person")


def same_speaker(pred_name: str | None, pred_kind: str | None, gold_entity: str, gold_kind: str) -> bool:
    """Does a predicted speaker (resolved name, kind) denote the gold speaker entity?"""
    if not pred_name or not kinds_compatible(pred_kind, gold_kind):
        return False
    if gold_kind == "person":
        return same_person(pred_name, gold_entity)
    return same_group(pred_name, gold_entity) or same_person(pred_name, gold_entity)


def speaker_error(pred_name: str | None, pred_kind: str | None, gold_entity: str, gold_kind: str) -> str | None:
    """Why a predicted speaker is wrong (``None`` when it is right): ``missing``,
    ``pronoun`` (left unresolved), ``wrong kind`` or ``other name``."""
    if same_speaker(pred_name, pred_kind, gold_entity, gold_kind):
        return None
    if not pred_name:
        return "missing"
    toks = name_tokens(pred_name)
    if toks and all(t in PRONOUNS for t in toks):
        return "pronoun"
    if not kinds_compatible(pred_kind, gold_kind):
        return "wrong kind"
    return "other name"


# --------------------------------------------------------------------------- records


@dataclass
class Record:
    id: str
    kind: str
    places: list[list[Span]]
    speaker: str | None
    speaker_kind: str | None
    act: str = "statement"
    factuality: str = "asserted"
    source_type: str | None = None  # Speaker.type
    organization: str | None = None  # Speaker.organization
    confidence: float = 0.5


def records(article) -> list[Record]:
    """One record per predicted quote (its pieces, then each ``also_at`` place)."""
    out = []
    for q in article.quotes:
        pieces = [(int(a), int(b)) for a, b in (q.spans or [q.span])]
        places = [pieces] + [[(int(a), int(b))] for a, b in q.also_at]
        sp = q.speaker
        name = (sp.name or sp.text) if sp is not None else None
        out.append(
            Record(
                q.id, q.kind, places, name, sp.kind if sp is not None else None, act=q.act, factuality=q.factuality,
                source_type=sp.type if sp is not None else None, organization=sp.organization if sp is not None else None,
                confidence=q.confidence,
            )
        )
    return out


_THAT = re.compile(r"that\s+", re.IGNORECASE)


def exact_key(text: str, pieces: Sequence[Span]) -> Span | None:
    """Trimmed extent (``metrics.exact_key``) without a leading complementizer *that*
    (the gold leaves it out, PolNeAR and quotegraph keep it in)."""
    key = trimmed_extent(text, pieces)
    if key is None:
        return None
    m = _THAT.match(text, key[0], key[1])
    return (m.end(), key[1]) if m and m.end() < key[1] else key


def _lenient(a: list[Span], b: list[Span]) -> int:
    """Overlap of two trimmed piece lists when it reaches 30% of the shorter, else 0."""
    ov = overlap(a, b)
    short = min(length(a), length(b))
    return ov if short > 0 and ov >= LENIENT * short else 0


@dataclass
class PageResult:
    page: str
    gold: list[GoldAttribution]
    records: list[Record]
    best: dict[str, int | None]  # record id → index of its best-matching gold (lenient)
    exact: dict[str, bool]  # record id → matches a gold exactly
    gold_found: list[bool]
    gold_found_exact: list[bool]
    not_quote_fp: list[str]
    speaker_ok: dict[str, bool | None]  # record id → speaker right (None: not scored)
    lost: list[str] = field(default_factory=list)
    realigned: bool = False
    error: str | None = None
    speaker_errors: dict[str, str] = field(default_factory=dict)  # record id → speaker_error()
    nested: list[str] = field(default_factory=list)  # records inside another record of the same gold: speaker not scored
    sourced: Any = None  # webgold_sourced.SourcedPage: the issue-#23 figures of this page


def score_page(text: str, gold: GoldPage, recs: Sequence[Record]) -> PageResult:
    g_places = [[trim_pieces(text, p) for p in g.places] for g in gold.attributions]
    g_keys = [{exact_key(text, p) for p in g.places} - {None} for g in gold.attributions]
    nq = [trim_pieces(text, [s]) for s in gold.not_quotes]
    res = PageResult(gold.page, gold.attributions, list(recs), {}, {}, [False] * len(gold.attributions), [False] * len(gold.attributions), [], {}, list(gold.lost), gold.realigned)
    for r in recs:
        r_places = [trim_pieces(text, p) for p in r.places]
        r_keys = {exact_key(text, p) for p in r.places} - {None}
        best, best_ov = None, 0
        for gi, gp in enumerate(g_places):
            ov = max((_lenient(a, b) for a in r_places for b in gp), default=0)
            if ov > best_ov:
                best, best_ov = gi, ov
            if ov:
                res.gold_found[gi] = True
            if r_keys & g_keys[gi]:
                res.gold_found_exact[gi] = True
                res.exact[r.id] = True
        res.best[r.id] = best
        res.exact.setdefault(r.id, False)
        if best is None:
            if any(_lenient(a, b) for a in r_places for b in nq):
                res.not_quote_fp.append(r.id)
            continue
        g = gold.attributions[best]
        if g.entity:
            why = speaker_error(r.speaker, r.speaker_kind, g.entity, g.speaker_kind)
            res.speaker_ok[r.id] = why is None
            if why:
                res.speaker_errors[r.id] = why
        else:
            res.speaker_ok[r.id] = None
    _skip_nested(text, res)
    return res


NESTED = 0.9  # share of a record inside another record for it to be reported inside that one


def _skip_nested(text: str, res: PageResult) -> None:
    """A record lying inside another record matched to the same gold attribution reports an
    attribution *inside* that quotation ('"The new figures show ...," the minister said'):
    its speaker is the inner source, which the gold (annotating the outer attribution only)
    does not hold. Its speaker is not scored against the outer one's; the outer record is."""
    pieces = {r.id: trim_pieces(text, r.places[0]) for r in res.records}
    for r in res.records:
        gi = res.best.get(r.id)
        if gi is None or res.speaker_ok.get(r.id) is None:
            continue
        inner = pieces[r.id]
        n = length(inner)
        for o in res.records:
            if o.id == r.id or res.best.get(o.id) != gi or length(pieces[o.id]) <= n:
                continue
            if n and overlap(inner, pieces[o.id]) >= NESTED * n:
                res.speaker_ok[r.id] = None
                res.speaker_errors.pop(r.id, None)
                res.nested.append(r.id)
                break


# --------------------------------------------------------------------------- totals


@dataclass
class Counts:
    n: int = 0
    hit: int = 0

    @property
    def value(self) -> float:
        return self.hit / self.n if self.n else 0.0

    def add(self, ok: bool) -> None:
        self.n += 1
        self.hit += bool(ok)

    def to_dict(self) -> dict:
        return {"n": self.n, "hit": self.hit, "value": round(self.value, 4)}


@dataclass
class WebEvaluation:
    pages: list[PageResult]
    seconds: float = 0.0
    skipped: list[str] = field(default_factory=list)  # gold pages whose HTML is in none of the given folders

    def _ok(self) -> list[PageResult]:
        return [p for p in self.pages if p.error is None]

    def precision(self, kind: str | None = None, exact: bool = False) -> Counts:
        c = Counts()
        for p in self._ok():
            for r in p.records:
                if kind is None or r.kind == kind:
                    c.add(p.exact[r.id] if exact else p.best[r.id] is not None)
        return c

    def recall(self, kind: str | None = None, exact: bool = False) -> Counts:
        c = Counts()
        for p in self._ok():
            for g, found, fe in zip(p.gold, p.gold_found, p.gold_found_exact, strict=False):
                if kind is None or g.kind == kind:
                    c.add(fe if exact else found)
        return c

    def speaker(self, kind: str | None = None) -> Counts:
        """Speaker accuracy over matched records (``kind``: of the matched gold)."""
        c = Counts()
        for p in self._ok():
            for r in p.records:
                ok = p.speaker_ok.get(r.id)
                gi = p.best[r.id]
                if ok is None or gi is None:
                    continue
                if kind is None or p.gold[gi].kind == kind:
                    c.add(ok)
        return c

    def not_quote_fp(self) -> int:
        return sum(len(p.not_quote_fp) for p in self._ok())

    def to_dict(self) -> dict:
        """All figures, counts only (no page text)."""

        def f1(p: Counts, r: Counts) -> float:
            return round(2 * p.value * r.value / (p.value + r.value), 4) if p.value + r.value else 0.0

        out: dict = {
            "pages": len(self.pages), "pages_failed": [p.page for p in self.pages if p.error],
            "pages_skipped": list(self.skipped), "seconds": round(self.seconds, 2),
        }
        for mode, ex in (("lenient30", False), ("exact", True)):
            m = {}
            for k in (None, *KINDS):
                P, R = self.precision(k, ex), self.recall(k, ex)
                m[k or "all"] = {"precision": P.to_dict(), "recall": R.to_dict(), "f1": f1(P, R)}
            out[mode] = m
        out["speaker_accuracy"] = {"direct": self.speaker("direct").to_dict(), "all": self.speaker().to_dict()}
        out["speaker_errors"] = dict(sorted(Counter(w for p in self._ok() for w in p.speaker_errors.values()).items()))
        out["speaker_nested_not_scored"] = sum(len(p.nested) for p in self._ok())
        out["not_quote_false_positives"] = self.not_quote_fp()
        out["per_page"] = [page_row(p) for p in self.pages]
        return out


def page_row(p: PageResult) -> dict:
    spk = [v for v in p.speaker_ok.values() if v is not None]
    return {
        "page": p.page,
        "gold": len(p.gold),
        "gold_direct": sum(g.kind == "direct" for g in p.gold),
        "predicted": len(p.records),
        "records_matched": sum(v is not None for v in p.best.values()),
        "gold_found": sum(p.gold_found),
        "speaker_ok": sum(spk),
        "speaker_scored": len(spk),
        "not_quote_fp": len(p.not_quote_fp),
        "lost": len(p.lost),
        "realigned": p.realigned,
        "error": p.error,
    }


def find_page(name: str, pages_dirs: Sequence[Path]) -> Path | None:
    """The first of ``pages_dirs`` holding the page ``name``."""
    for d in pages_dirs:
        if (d / name).is_file():
            return d / name
    return None


def evaluate(
    pages_dirs: str | Path | Sequence[str | Path],
    gold_dir: str | Path,
    extractor=None,
    on_start: Callable[[int], None] | None = None,
    on_done: Callable[[str], None] | None = None,
    only: Iterable[str] | None = None,
) -> WebEvaluation:
    """Extract every gold page (of ``only``, page names, when given) found in ``pages_dirs``
    and score it.  A gold page in none of the folders is skipped and listed (its dataset is
    absent); a folder that does not exist, or no page found at all, is an error."""
    import time

    from quotegraph.evaluation.webgold_convert import read_page
    from quotegraph.evaluation.webgold_sourced import score_sourced

    raws = load_gold_dir(gold_dir)
    if only is not None:
        keep = set(only)
        raws = [r for r in raws if r["page"] in keep]
    dirs = [Path(pages_dirs)] if isinstance(pages_dirs, (str, Path)) else [Path(d) for d in pages_dirs]
    for d in dirs:
        if not d.is_dir():
            raise FileNotFoundError(f"{d}: no such pages directory")
    found = [(raw, find_page(raw["page"], dirs)) for raw in raws]
    skipped = [raw["page"] for raw, path in found if path is None]
    todo = [(raw, path) for raw, path in found if path is not None]
    if raws and not todo:
        raise FileNotFoundError(f"none of the {len(raws)} gold pages is in {', '.join(map(str, dirs))}")
    if extractor is None:
        from quotegraph import Extractor

        extractor = Extractor()
    if on_start:
        on_start(len(todo))
    t0 = time.perf_counter()
    results = []
    for raw, path in todo:
        try:
            # a gzipped page (article-bodies) is unpacked here; a plain one is read as ``extract`` reads it
            article = extractor.extract_source(read_page(path)) if path.suffix == ".gz" else extractor.extract_path(str(path))
            gold = align(raw, article.text)
            recs = records(article)
            res = score_page(article.text, gold, recs)
            res.sourced = score_sourced(article.text, gold, recs, set(res.nested))
            results.append(res)
        except Exception as exc:  # noqa: BLE001 - one bad page never stops the others
            results.append(PageResult(raw["page"], [], [], {}, {}, [], [], [], {}, error=f"{type(exc).__name__}: {exc}"))
        if on_done:
            on_done(raw["page"])
    return WebEvaluation(results, time.perf_counter() - t0, skipped)


def error_lines(ev: WebEvaluation, text_of: Callable[[str], str], width: int = 70) -> Iterable[str]:
    """Per-record errors for the terminal (they quote page text: never write them to the repo)."""

    def cut(text: str, pieces: list[Span]) -> str:
        s = " … ".join(text[a:b] for a, b in pieces).replace("\n", " ")
        return s if len(s) <= width else s[: width - 1] + "…"

    for p in ev.pages:
        if p.error:
            yield f"{p.page}: error: {p.error}"
            continue
        text = text_of(p.page)
        for r in p.records:
            gi = p.best[r.id]
            if gi is None:
                tag = "NOT-QUOTE" if r.id in p.not_quote_fp else "FALSE-POS"
                yield f"{p.page} {r.id} {tag} [{r.kind}] {cut(text, r.places[0])!r} ← {r.speaker}"
            elif p.speaker_ok.get(r.id) is False:
                g = p.gold[gi]
                yield f"{p.page} {r.id} SPEAKER ({p.speaker_errors.get(r.id)}) {r.speaker!r} ({r.speaker_kind}) ≠ {g.entity!r} ({g.speaker_kind}): {cut(text, r.places[0])!r}"
        for g, found in zip(p.gold, p.gold_found, strict=False):
            if not found:
                yield f"{p.page} {g.id} MISSED [{g.kind}] {cut(text, g.places[0])!r} ← {g.entity}"


# --------------------------------------------------------------------------- agreement


@dataclass
class Agreement:
    """Two annotators' gold on the same pages: attributions found by both, and on those
    pairs the same kind and the same speaker."""

    a: int = 0
    b: int = 0
    a_in_b: int = 0  # attributions of A matched (lenient) by some attribution of B
    b_in_a: int = 0
    exact: int = 0  # attributions of A with an exactly equal content in B
    pairs: int = 0
    same_kind: int = 0
    speaker_pairs: int = 0  # pairs where both give a speaker entity
    same_speaker: int = 0

    def to_dict(self) -> dict:
        p = self.a_in_b / self.a if self.a else 0.0
        r = self.b_in_a / self.b if self.b else 0.0
        return {
            **self.__dict__,
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "kind_agreement": round(self.same_kind / self.pairs, 4) if self.pairs else 0.0,
            "speaker_agreement": round(self.same_speaker / self.speaker_pairs, 4) if self.speaker_pairs else 0.0,
        }


def agree_page(text: str, ga: GoldPage, gb: GoldPage, acc: Agreement | None = None) -> Agreement:
    """Add one page's agreement between gold ``ga`` and gold ``gb`` to ``acc``."""
    acc = acc or Agreement()
    pa = [[trim_pieces(text, p) for p in g.places] for g in ga.attributions]
    pb = [[trim_pieces(text, p) for p in g.places] for g in gb.attributions]
    kb = [{exact_key(text, p) for p in g.places} - {None} for g in gb.attributions]
    acc.a += len(pa)
    acc.b += len(pb)
    found_b = [False] * len(pb)
    for i, x in enumerate(pa):
        best, best_ov = None, 0
        for j, y in enumerate(pb):
            ov = max((_lenient(s, t) for s in x for t in y), default=0)
            if ov:
                found_b[j] = True
            if ov > best_ov:
                best, best_ov = j, ov
        ka = {exact_key(text, p) for p in ga.attributions[i].places} - {None}
        acc.exact += any(ka & k for k in kb)
        if best is None:
            continue
        acc.a_in_b += 1
        acc.pairs += 1
        x_g, y_g = ga.attributions[i], gb.attributions[best]
        acc.same_kind += x_g.kind == y_g.kind
        if x_g.entity and y_g.entity:
            acc.speaker_pairs += 1
            acc.same_speaker += same_speaker(x_g.entity, x_g.speaker_kind, y_g.entity, y_g.speaker_kind)
    acc.b_in_a += sum(found_b)
    return acc


def agreement(pages_dir: str | Path, gold_a: str | Path, gold_b: str | Path) -> Agreement:
    """Agreement of two gold folders on the pages both annotated (text from the HTML stage only)."""
    from quotegraph.evaluation.webgold_convert import page_text

    a = {r["page"]: r for r in load_gold_dir(gold_a)}
    b = {r["page"]: r for r in load_gold_dir(gold_b)}
    acc = Agreement()
    for page in sorted(set(a) & set(b)):
        text = page_text(Path(pages_dir) / page)
        agree_page(text, align(a[page], text), align(b[page], text), acc)
    return acc


if __name__ == "__main__":  # python -m quotegraph.evaluation.webgold PAGES_DIR GOLD_A GOLD_B
    import sys

    if len(sys.argv) != 4:
        print("usage: python -m quotegraph.evaluation.webgold PAGES_DIR GOLD_A GOLD_B", file=sys.stderr)
        raise SystemExit(2)
    print(json.dumps(agreement(*sys.argv[1:4]).to_dict(), indent=1))
