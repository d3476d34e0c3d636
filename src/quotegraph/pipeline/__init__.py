"""The pipeline: read → clean → parse → find quotes → resolve speakers → link sources → dedup → serialise.

``Extractor`` holds the options and the spaCy pipeline (loaded once per process); each stage is a
small function over one document model whose offsets point into the article text.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
import re
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Optional, Union

from ..attribute.attribution import ABBREVIATION, Candidate, ParaCtx, cue_phrase, source_phrase, is_cue, mention_span, name_in, subject_of
from ..find.finders import find_in_paragraph
from ..find.quote_finders import DASH_LINE, dash_candidate
from ..find import boundaries, interview
from ..decide import filters
from ..learned import attributions as learned
from ..attribute import speakers
from ..errors import QuotegraphError
from ..read.html import html_to_layout
from ..read.layout import Layout, layout_plain_text
from ..lexicon import TITLE_WORDS, learned_cues
from ..models import Addressee, Article, Cue, Entity, Mention, Paragraph, Quote, Speaker, Via
from .nlp import load_model, pipe
from ..read.normalize import TextView, bag_f1, words
from ..people.names import given_names, speaker_kind
from ..people.registry import People
from ..attribute.resolution import SpeakerRef, resolve_speaker
from ..find.quotemarks import find_quotes
from ..read.readers import MAX_BYTES_DEFAULT, Source, read_path, read_string

log = logging.getLogger(__name__)

ROLE_PRIORITY = {"body": 0, "subtitle": 2, "highlight": 2, "title": 3, "caption": 4, "byline": 5, "source": 6}


@dataclass
class Options:
    """Everything that changes what ``extract`` does, in one place."""

    model: Optional[str] = None  # spaCy pipeline name; default: en_core_web_sm, else the pinned re-upload
    max_bytes: int = MAX_BYTES_DEFAULT
    min_unattributed_words: int = 8  # report quotations with no speaker found from this length (0: never)
    dedup_threshold: float = 0.8  # token F1 at or above which two attributions of one speaker are the same
    batch_size: int = 64  # paragraphs per spaCy batch
    learned: bool = True  # add the learned attribution finder's pairs to the rules' (quotegraph.learned.attributions)
    learned_threshold: Optional[float] = None  # its probability threshold (default: the model's own)
    min_confidence: Optional[float] = None  # drop attributions the learned filter scores below this (None: the model's own; 0: keep all)
    boundaries: bool = True  # with ``learned``: the boundary model moves content edges (quotegraph.find.boundaries)
    strict: bool = False  # also drop the writer's own voice, intentions, perceptions, things as sources (quotegraph.decide.filters.STRICT_RULES)


@dataclass
class _Prepared:
    source: Source
    layout: Layout
    view: TextView
    ctxs: list[ParaCtx] = field(default_factory=list)


class Extractor:
    """Extract attributed quotes from articles. Load once, call many times."""

    def __init__(self, options: Optional[Options] = None, nlp=None, n_process: int = 1):
        self.options = options or Options()
        self._nlp = nlp
        # n_process > 1: extract_many runs in that many processes, each loading the model once
        self.n_process = max(1, n_process)
        self._procs = None

    @property
    def nlp(self):
        if self._nlp is None:
            self._nlp = load_model(self.options.model)
        return self._nlp

    def load(self) -> None:
        """Load the spaCy pipeline and the shipped models the options use now, rather than on the
        first article: a missing or incompatible one is then one clear ModelError up front."""
        self.nlp  # noqa: B018 - loads it
        load_models(self.options)

    # ------------------------------------------------------------------ public API

    def extract(self, source: str, path: Optional[str] = None, id: Optional[str] = None, format: Optional[str] = None) -> Article:
        """Extract from a string of plain text or HTML (sniffed, or by ``path``'s extension)."""
        src = read_string(source, name=path or "<string>", format=format)
        return self._run([src], [id])[0]

    def extract_path(self, path: str) -> Article:
        src = read_path(path, max_bytes=self.options.max_bytes)
        art = self._run([src], [None])[0]
        return art

    def extract_many(self, items: Iterable[Union[str, tuple[str, Optional[str]], Source]], batch_articles: Optional[int] = None) -> Iterator[Union[Article, Exception]]:
        """Extract many articles (a text, a ``(text, name)`` pair or a read ``Source`` each),
        parsing them in batches; yields an Article, or the exception raised for that item, in
        input order (one bad input never stops the others).  With ``n_process`` > 1 the batches
        (of 8 articles unless told) go to that many processes; the output is the same."""
        if self.n_process > 1:
            if self._procs is None:
                from .parallel import ProcessExtractor

                self._procs = ProcessExtractor(self.options, self.n_process)
            yield from self._procs.map(items, batch_articles or 8)
            return
        batch_articles = batch_articles or 32
        batch: list[Union[tuple[str, Optional[str]], Source]] = []
        for it in items:
            batch.append(it if isinstance(it, (tuple, Source)) else (it, None))
            if len(batch) >= batch_articles:
                yield from self._run_safe(batch)
                batch = []
        if batch:
            yield from self._run_safe(batch)

    def close(self) -> None:
        """Stop the extraction processes (``n_process`` > 1), if any were started."""
        if self._procs is not None:
            self._procs.close()
            self._procs = None

    def _run_safe(self, batch: list[Union[tuple[str, Optional[str]], Source]]) -> Iterator[Union[Article, Exception]]:
        srcs: list[Optional[Source]] = []
        errs: list[Optional[Exception]] = []
        for item in batch:
            if isinstance(item, Source):
                srcs.append(item)
                errs.append(None)
                continue
            text, path = item
            try:
                srcs.append(read_string(text, name=path or "<string>"))
                errs.append(None)
            except QuotegraphError as e:  # bad input: reported for this item
                srcs.append(None)
                errs.append(e)
        good = [s for s in srcs if s is not None]
        try:
            arts = iter(self._run(good, [None] * len(good)))
            results: list[Union[Article, Exception]] = []
            for s, e in zip(srcs, errs):
                results.append(next(arts) if s is not None else e)  # type: ignore[arg-type]
        except Exception:  # noqa: BLE001 - not reported: the items are redone one by one, where it is
            results = [e if s is None else self._run_one(s) for s, e in zip(srcs, errs)]  # type: ignore[misc]
        yield from results

    def _run_one(self, src: Source) -> Union[Article, Exception]:
        """One article, or its exception: bad input as raised, anything else logged as a bug."""
        try:
            return self._run([src], [None])[0]
        except QuotegraphError as e:
            return e
        except Exception as e:  # noqa: BLE001 - a bug in quotegraph: logged with its traceback, the batch goes on
            log.exception("quotegraph bug while extracting %s", src.name)
            return e

    def extract_source(self, src: Source, id: Optional[str] = None) -> Article:
        return self._run([src], [id])[0]

    # ------------------------------------------------------------------ stages

    def _run(self, srcs: list[Source], ids: list[Optional[str]]) -> list[Article]:
        load_models(self.options)
        prepared = [self.prepare(s) for s in srcs]
        self.parse(prepared)
        return [self.finish(p, i) for p, i in zip(prepared, ids)]

    def prepare(self, src: Source) -> _Prepared:
        """read → clean: the layout (paragraphs, roles, repeats) and the normalised view."""
        if src.format == "html":
            layout = html_to_layout(src.content, src.name)
        else:
            layout = layout_plain_text(src.content)
        return _Prepared(source=src, layout=layout, view=TextView.of(layout.text))

    def parse(self, prepared: list[_Prepared]) -> None:
        """Parse every distinct paragraph once (repeats share the parse)."""
        texts: dict[str, int] = {}
        order: list[str] = []
        for p in prepared:
            for para in p.layout.paragraphs:
                t = p.view.text[para.start : para.end]
                if t not in texts:
                    texts[t] = len(order)
                    order.append(t)
        docs = list(pipe(self.nlp, order, batch_size=self.options.batch_size)) if order else []
        for p in prepared:
            paras = p.layout.paragraphs
            raw_quotes = [find_quotes(p.layout.text[pa.start : pa.end]) for pa in paras]
            for i, para in enumerate(paras):
                quotes = raw_quotes[i]
                # an unclosed quotation only stands if the next paragraph re-opens one
                nxt_opens = False
                if i + 1 < len(paras):
                    nq = raw_quotes[i + 1]
                    nxt_opens = bool(nq) and nq[0].depth == 0 and not p.layout.text[paras[i + 1].start : paras[i + 1].start + nq[0].open_pos].strip()
                quotes = [q for q in quotes if q.close_pos is not None or (nxt_opens and q.depth == 0)]
                doc = docs[texts[p.view.text[para.start : para.end]]]
                p.ctxs.append(ParaCtx(index=i, offset=para.start, text=p.layout.text[para.start : para.end], role=para.role, doc=doc, quotes=quotes))

    def finish(self, p: _Prepared, id: Optional[str]) -> Article:
        return finish_prepared(p, id, self.options)


def load_models(options: Options) -> None:
    """Read (once per process) every shipped model file the options use: the cue table and the
    given names always, the learned finder, filter and speaker model with ``learned``, the
    boundary model with ``boundaries`` too. A missing or incompatible file raises ModelError;
    a stage the options switch off never reads its file."""
    learned_cues()
    given_names()
    if options.learned:
        learned.load()
        speakers.load()
        if options.boundaries:
            boundaries.load()


def finish_prepared(p: _Prepared, id: Optional[str], options: Options) -> Article:
    """find quotes → link across paragraphs → resolve speakers → dedup → filter → serialise."""
    quotes, people = attributions(p, options)
    quotes = filters.drop_non_attributions(quotes, p.ctxs, p.layout.text, options.strict)  # kinds that are no attribution
    quotes = keep_likely(p, quotes, options)
    return serialise(p, quotes, people, id)


def attributions(p: _Prepared, options: Options, model: Optional[learned.Model] = None) -> tuple[list[Resolved], People]:
    """Every attribution the rules and the learned finder (``model``, default: the packaged one)
    propose, resolved and deduplicated."""
    cands = interview.answers(p.ctxs, find_candidates(p, options, model))
    if options.learned and options.boundaries:
        boundaries.refine_all(p.ctxs, cands, boundaries.load())
    if options.learned:
        choose_speakers(p, cands, speakers.load())
    people = People(p.ctxs)
    resolved = resolve(p, cands, people)
    return dedup(p, resolved, options), people


def choose_speakers(p: _Prepared, cands: list[Candidate], model: speakers.SpeakerModel) -> None:
    """The speaker model's second look at each attribution's source mention."""
    ctxs = {c.index: c for c in p.ctxs}
    for c in cands:
        speakers.rescore(ctxs[c.para], c, model)


def find_candidates(p: _Prepared, options: Options, model: Optional[learned.Model] = None) -> list[Candidate]:
    """The attributions the rules and the learned finder propose, linked across paragraphs."""
    cands: list[Candidate] = []
    if model is None and options.learned:
        model = learned.load()
    if model is not None and options.learned_threshold is not None:
        model = model.with_threshold(options.learned_threshold)
    for ctx in p.ctxs:
        if ctx.role == "source":
            continue
        found = find_in_paragraph(ctx)
        if model is not None:
            found += learned.learned_candidates(ctx, found, model)
            found.sort(key=lambda c: c.start)
        cands.extend(found)
    return link_across_paragraphs(p.ctxs, cands, options)


def keep_likely(p: _Prepared, items: list[Resolved], options: Options) -> list[Resolved]:
    """Score each attribution with the learned filter (the probability that an annotator would
    mark it: its ``confidence``) and drop those below ``options.min_confidence``."""
    if not options.learned:
        return items
    model = learned.load()
    if not model.filter:
        return items
    floor = model.min_confidence if options.min_confidence is None else options.min_confidence
    ctxs = {c.index: c for c in p.ctxs}
    kept: list[Resolved] = []
    dropped: set[int] = set()
    for r in items:
        pr = model.keep_prob(learned.quote_features(r, ctxs[r.para], p.layout.text))
        if pr < floor:
            dropped.add(id(r))
            continue
        r.confidence = pr
        kept.append(r)
    for r in kept:
        if r.parent is not None and id(r.parent) in dropped:
            r.parent = None
    return kept


# ---------------------------------------------------------------------- linking


def link_across_paragraphs(ctxs: list[ParaCtx], cands: list[Candidate], options: Options) -> list[Candidate]:
    """Quotations with no cue in their own paragraph: continued quotes, colon and dash lines,
    a speaker carried over from the previous quotation, or no speaker at all."""
    by_para: dict[int, list[Candidate]] = {}  # ``out`` by paragraph, in its order (lookups stay local)
    for c in cands:
        by_para.setdefault(c.para, []).append(c)
    out = list(cands)
    # which record holds each quotation, also as a later paragraph of a multi-paragraph quote
    owner: dict[int, Candidate] = {id(q): c for c in cands for q in c.quotes}
    in_out = {id(c) for c in out}
    pending_chain: list[tuple[ParaCtx, object]] = []  # unattributed pieces of a multi-paragraph quote
    prev_ctx: Optional[ParaCtx] = None
    for k, ctx in enumerate(ctxs):
        if ctx.role == "source":
            continue
        for q in ctx.top:
            at_start = not ctx.text[: q.open_pos].strip()
            mine = owner.get(id(q)) if owner.get(id(q)) is not None and owner[id(q)].para == ctx.index else None
            continuing = None
            if at_start and prev_ctx is not None and prev_ctx.top and prev_ctx.top[-1].close_pos is None:
                continuing = owner.get(id(prev_ctx.top[-1]))
            if mine is not None:
                if continuing is None and at_start and prev_ctx is not None and prev_ctx.top and prev_ctx.top[-1].close_pos is None:
                    pending_chain.append((prev_ctx, prev_ctx.top[-1]))  # the piece just before this one
                if pending_chain:  # earlier pieces of this quote had no cue: they join it
                    mine.pre_spans = [(pc.offset + pq.start, pc.offset + pq.end) for pc, pq in pending_chain]
                    pending_chain = []
                continue
            if continuing is not None:
                # one record for the whole multi-paragraph quote: spans in article coordinates
                continuing.extra_spans.append((ctx.offset + q.start, ctx.offset + q.end))
                owner[id(q)] = continuing
                continue
            if at_start and prev_ctx is not None and prev_ctx.top and prev_ctx.top[-1].close_pos is None:
                pending_chain.append((prev_ctx, prev_ctx.top[-1]))
            near = by_para.get(prev_ctx.index, []) + by_para.get(ctx.index, []) if prev_ctx is not None else by_para.get(ctx.index, [])
            cand = (_colon_intro(ctx, q, prev_ctx, at_start) or _dash_next(ctx, q, ctxs, k) or _joins_report(ctx, q, near)
                    or _inherit(ctx, q, near, prev_ctx, at_start)
                    or _after_subject(ctx, q, prev_ctx, at_start))
            if cand is None and q.close_pos is not None:
                n = len(words(ctx.text[q.start : q.end]))
                if options.min_unattributed_words and n >= options.min_unattributed_words:
                    cand = Candidate(para=ctx.index, kind="direct", content=[(q.start, q.end)], cue=None, cue_token=None,
                                     speaker=None, speaker_token=None, quotes=[q], how="unattributed", confidence=0.3)
            if cand is not None and id(cand) in in_out:
                owner[id(q)] = cand
                continue
            if cand is not None:
                if pending_chain:
                    cand.pre_spans = [(pc.offset + pq.start, pc.offset + pq.end) for pc, pq in pending_chain]
                    pending_chain = []
                out.append(cand)
                owner[id(q)] = cand
                in_out.add(id(cand))
                by_para.setdefault(cand.para, []).append(cand)
        prev_ctx = ctx
    out.sort(key=lambda c: (c.para, c.start))
    return out


def _colon_intro(ctx: ParaCtx, q, prev_ctx: Optional[ParaCtx], at_start: bool) -> Optional[Candidate]:
    if not at_start or prev_ctx is None or not prev_ctx.text.rstrip().endswith(":"):
        return None
    doc = prev_ctx.doc
    cue = None
    for t in doc:
        if is_cue(t) and subject_of(t) is not None and not prev_ctx.in_quote(t):
            cue = t
    if cue is not None:
        subj = subject_of(cue)
        c = Candidate(para=ctx.index, kind="direct", content=[(q.start, q.end)], cue=(cue.idx, cue.idx + len(cue.text)), cue_token=cue,
                      speaker=mention_span(doc, subj), speaker_token=subj, quotes=[q], how="colon", confidence=0.85)
    else:
        head = name_in(doc, 0, len(prev_ctx.text))
        if head is None:
            return None
        colon = len(prev_ctx.text.rstrip()) - 1
        c = Candidate(para=ctx.index, kind="direct", content=[(q.start, q.end)], cue=(colon, colon + 1), cue_token=None,
                      speaker=mention_span(doc, head), speaker_token=head, quotes=[q], how="colon", confidence=0.75)
    c.speaker_para = prev_ctx.index
    c.cue_para = prev_ctx.index
    return c


def _dash_next(ctx: ParaCtx, q, ctxs: list[ParaCtx], k: int) -> Optional[Candidate]:
    if q.close_pos is None or ctx.text[q.close_pos + 1 :].strip():
        return None
    if k + 1 >= len(ctxs):
        return None
    nxt = ctxs[k + 1]
    m = DASH_LINE.match(nxt.text)
    if not m or not re.match(r"\s*[\u2014\u2013-]", nxt.text):
        return None
    c = dash_candidate(ctx, q, m.start(1), m.end(1), nxt)
    if c is not None:
        c.cue_para = nxt.index
    return c


# reporting verbs of speech after which a quotation in the next paragraph goes on with the speaker
SPEECH_CUES = frozenset("say add tell explain continue note state argue insist warn reply respond answer stress".split())
_ABBREV = re.compile(ABBREVIATION.pattern + r"|\([^()]{1,12}\)")


def _after_subject(ctx: ParaCtx, q, prev_ctx: Optional[ParaCtx], at_start: bool) -> Optional[Candidate]:
    """'Lena Ruiz, a nurse, moved back to Porto in May. She has no plans to leave again. "The
    city feels ..."': a quotation with no cue of its own, right after a sentence about a
    person, is that person's (the subject of the sentence before, a name or he/she)."""
    if q.close_pos is None:
        return None
    where, before = (prev_ctx, None) if at_start else (ctx, ctx.text[: q.open_pos])
    if where is None or (before is not None and not before.rstrip().endswith((".", "!", "?"))):
        return None
    doc = where.doc
    end = len(where.text) if before is None else len(before.rstrip())
    toks = [t for t in doc if t.idx < end and not t.is_space]
    if not toks or where.quote_at(toks[-1].idx) is not None:
        return None  # the sentence before is itself a quotation
    sent = toks[-1].sent
    subj = next((t for t in sent if t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ROOT"), None)
    titled = subj is not None and subj.pos_ == "NOUN" and subj.lower_ in TITLE_WORDS and any(
        c.dep_ == "det" and c.lower_ == "the" for c in subj.children)  # 'the governor also indicated ...'
    if subj is None or where.in_quote(subj) or not (subj.ent_type_ == "PERSON" or subj.lower_ in ("he", "she") or titled):
        return None
    c = Candidate(para=ctx.index, kind="direct", content=[(q.start, q.end)], cue=None, cue_token=None,
                  speaker=mention_span(doc, subj), speaker_token=subj, quotes=[q], how="adjacent", confidence=0.5)
    if where is not ctx:
        c.speaker_para = where.index
    return c


def _joins_report(ctx: ParaCtx, q, cands: list[Candidate]) -> Optional[Candidate]:
    """'X said the unveiling reminded her of a winter, and of "every crew that ..."', 'Most crews were
    tired, she said, and "we kept going anyway."': a quotation closing the sentence of an indirect
    report, joined to it by a conjunction, goes on with the report (one mixed attribution in two
    pieces)."""
    if q.close_pos is None:
        return None
    for c in cands:
        if c.para != ctx.index or c.kind != "indirect" or c.speaker is None or c.cue is None or c.quotes:
            continue
        if not (c.end <= q.open_pos and c.cue[1] <= q.open_pos and c.speaker[1] <= q.open_pos):
            continue
        between = ctx.text[max(c.end, c.cue[1], c.speaker[1]) : q.open_pos]
        if len(between) > 30 or not re.fullmatch(r"[,;]?\s*(and|but)\s+(\w+\s+)?", between):
            continue
        if not re.match(r"[\"'\u201d\u2019]*\s*([.!?]|$)", ctx.text[q.end :]):
            continue  # the quotation ends the sentence
        close = q.close_pos + (2 if ctx.text.startswith("''", q.close_pos) else 1)
        c.content.append((q.open_pos, close))  # the quotation with its marks, as in a mixed content
        c.quotes.append(q)
        c.kind = "mixed"
        return c
    return None


def _inherit(ctx: ParaCtx, q, cands: list[Candidate], prev_ctx: Optional[ParaCtx], at_start: bool) -> Optional[Candidate]:
    """'"...," Rosenstein said. "..."': the second quotation has the first one's speaker."""
    before = [c for c in cands if c.para == ctx.index and c.kind in ("direct", "mixed") and c.end <= q.open_pos and c.speaker is not None]
    src = None
    if before:
        last = max(before, key=lambda c: c.end)
        between = ctx.text[last.end : q.open_pos]
        # only the attribution clause between them: no other sentence
        n_sent = len(re.findall(r"[.!?][\"'\u201d\u2019]?\s", _ABBREV.sub("", between)))
        if n_sent == 0 and between.rstrip().endswith(",") and last.cue is not None and last.end <= last.cue[0] < q.open_pos:
            # "A," said X, "and B.": one quotation interrupted by its attribution
            last.content.append((q.start, q.end))
            last.quotes.append(q)
            return last
        own_clause = last.cue is not None and last.end <= last.cue[0] < q.open_pos  # '"A," said X, ... "B."'
        if n_sent <= 1 and (len(between) < 120 or (own_clause and len(between) < 400)):
            src = last
    elif at_start and prev_ctx is not None:
        # a quotation opening the paragraph after a speaker's words ('"...," she said.' or
        # 'Inspector Hale said it was likely.') goes on with that speaker
        prev = [c for c in cands if c.para == prev_ctx.index and c.speaker is not None and c.how != "nested"]
        if prev:
            last = max(prev, key=lambda c: c.end)
            tail = prev_ctx.text[last.end :]
            if len(tail) < 100 and (last.kind != "indirect" or last.cue_token is not None and last.cue_token.lemma_.lower() in SPEECH_CUES):
                src = last
    if src is None:
        return None
    c = Candidate(para=ctx.index, kind="direct", content=[(q.start, q.end)], cue=src.cue, cue_token=src.cue_token,
                  speaker=src.speaker, speaker_token=src.speaker_token, quotes=[q], how="inherit",
                  confidence=0.75, inherit_from=src)
    c.speaker_para = src.speaker_para if src.speaker_para is not None else src.para
    c.cue_para = src.cue_para if src.cue_para is not None else src.para
    return c


# ---------------------------------------------------------------------- resolution


@dataclass
class Resolved:
    cand: Candidate
    kind: str
    spans: list[tuple[int, int]]  # global content pieces
    cue: Optional[tuple[int, int]]
    speaker: Optional[tuple[int, int]]
    speaker_phrase: Optional[tuple[int, int]]
    cue_phrase: Optional[tuple[int, int]]
    speaker_name: Optional[str]
    speaker_entity: Optional[str]
    speaker_kind: str
    addressee: Optional[tuple[int, int]]
    addressee_entity: Optional[str]
    via: list[tuple[tuple[int, int], str]]
    role: str
    para: int
    confidence: float
    duplicate_para: bool
    also_at: list[tuple[int, int]] = field(default_factory=list)
    parent: Optional["Resolved"] = None


def _g(ctx: ParaCtx, span: Optional[tuple[int, int]]) -> Optional[tuple[int, int]]:
    return None if span is None else (ctx.offset + span[0], ctx.offset + span[1])


def resolve(p: _Prepared, cands: list[Candidate], people: People) -> list[Resolved]:
    ctxs = {c.index: c for c in p.ctxs}
    text = p.layout.text
    out: list[Resolved] = []
    by_cand: dict[int, Resolved] = {}
    for c in sorted(cands, key=lambda c: (c.para, c.start)):
        ctx = ctxs[c.para]
        sp_ctx = ctxs[c.speaker_para if c.speaker_para is not None else c.para]
        cue_ctx = ctxs[c.cue_para if c.cue_para is not None else c.para]
        spans = [(ctx.offset + s, ctx.offset + e) for s, e in c.content]
        spans = sorted(c.pre_spans + spans + c.extra_spans)
        speaker = _g(sp_ctx, c.speaker)
        name = entity = None
        kind = "unknown"
        if c.inherit_from is not None and id(c.inherit_from) in by_cand:
            r0 = by_cand[id(c.inherit_from)]
            name, entity, kind, speaker = r0.speaker_name, r0.speaker_entity, r0.speaker_kind, r0.speaker
        elif speaker is not None:
            r0 = by_cand.get(id(c.parent)) if c.parent is not None else None
            outer = SpeakerRef(r0.speaker_name, r0.speaker_entity, r0.speaker_kind) if r0 is not None and r0.speaker is not None else None
            last = out[-1] if out and out[-1].speaker is not None and out[-1].para >= c.para - 1 else None
            before = SpeakerRef(last.speaker_name, last.speaker_entity, last.speaker_kind) if last is not None else None
            ref = resolve_speaker(c, sp_ctx, people, text[speaker[0] : speaker[1]], speaker, tuple(spans), outer,
                                  ctxs.get(sp_ctx.index - 1), before)
            name, entity, kind = ref.name, ref.entity, ref.kind
        addressee = _g(ctx, c.addressee)
        a_ent = people.at(addressee).id if addressee is not None and people.at(addressee) is not None else None
        via = []
        for vspan, vtok in c.via:
            g = _g(ctx, vspan)
            vk = speaker_kind(ctx.doc, vtok, text[g[0] : g[1]]) if vtok is not None else "unknown"
            via.append((g, vk))
        para = p.layout.paragraphs[c.para]
        phrase = None
        relative = text[speaker[0] : speaker[1]].lower() in ("who", "which", "that") if speaker is not None else False
        if speaker is not None and c.speaker_token is not None and c.inherit_from is None and c.how != "label" and not relative:
            ps = source_phrase(sp_ctx.doc, c.speaker_token, c.cue_token)
            lo = max(min(ps[0], c.speaker[0]), sp_ctx.dateline_end if min(ps[0], c.speaker[0]) < sp_ctx.dateline_end <= c.speaker[0] else 0)
            phrase = (sp_ctx.offset + lo, sp_ctx.offset + max(ps[1], c.speaker[1]))
        elif c.inherit_from is not None and id(c.inherit_from) in by_cand:
            phrase = by_cand[id(c.inherit_from)].speaker_phrase
        cphrase = _g(cue_ctx, cue_phrase(c.cue_token, times=False)) if c.cue_token is not None and c.how != "according" else _g(cue_ctx, c.cue)
        if cphrase is not None and c.cue is not None:
            g = _g(cue_ctx, c.cue)
            cphrase = (min(cphrase[0], g[0]), max(cphrase[1], g[1]))
        r = Resolved(
            cand=c, kind=c.kind, spans=spans, cue=_g(cue_ctx, c.cue), speaker=speaker, speaker_phrase=phrase, cue_phrase=cphrase, speaker_name=name,
            speaker_entity=entity, speaker_kind=kind, addressee=addressee, addressee_entity=a_ent, via=via,
            role=para.role, para=c.para, confidence=c.confidence if speaker is not None else min(c.confidence, 0.3),
            duplicate_para=para.duplicate_of is not None,
        )
        by_cand[id(c)] = r
        out.append(r)
    for r in out:
        if r.cand.parent is not None:
            r.parent = by_cand.get(id(r.cand.parent))
    return out


# ---------------------------------------------------------------------- dedup


def _content_text(text: str, spans: list[tuple[int, int]]) -> str:
    return " ".join(text[s:e] for s, e in spans)


def _same_speaker(a: Resolved, b: Resolved) -> bool:
    if a.speaker_entity and b.speaker_entity:
        return a.speaker_entity == b.speaker_entity
    if a.speaker_name and b.speaker_name:
        return a.speaker_name.lower() == b.speaker_name.lower()
    return True


def _repeats(p: _Prepared, a: Resolved, b: Resolved) -> bool:
    """Two attributions from paragraphs that repeat one another."""
    pa, pb = p.layout.paragraphs[a.para], p.layout.paragraphs[b.para]
    if a.para == b.para:
        return False
    root_a = pa.duplicate_of if pa.duplicate_of is not None else a.para
    root_b = pb.duplicate_of if pb.duplicate_of is not None else b.para
    return root_a == root_b or pa.duplicate_of == b.para or pb.duplicate_of == a.para


_SUMMARY_ROLES = ("title", "subtitle", "highlight")


class _KeptIndex:
    """The kept records a new one may be a repeat of, in the order they were kept: the same
    answer as trying every kept record, without trying every one (the cost of ``dedup`` grows
    with the article, not with its square).

    A match needs a word F1 of at least ``threshold``: then the words of the new record that the
    kept one lacks weigh at most ``1 - t/(2-t)`` of it, so the kept one holds one of its rarest
    words making up more than that share (a prefix filter). Or a match is a containment between
    repeated paragraphs, or with a title, subtitle or highlight: those are looked up directly."""

    def __init__(self, p: _Prepared, threshold: float, counts: list[Counter]):
        self.p = p
        self.threshold = threshold
        self.df: Counter = Counter()
        for c in counts:
            self.df.update(c.keys())
        self.postings: dict[str, list[int]] = {}
        self.by_root: dict[int, list[int]] = {}
        self.by_para: dict[int, list[int]] = {}
        self.by_dup_of: dict[int, list[int]] = {}
        self.summary: list[int] = []  # kept records in summary roles, with a speaker entity
        self.with_entity: list[int] = []

    def _root(self, para: int) -> int:
        pa = self.p.layout.paragraphs[para]
        return pa.duplicate_of if pa.duplicate_of is not None else para

    def add(self, r: Resolved, rc: Counter, i: int) -> None:
        for w in rc:
            self.postings.setdefault(w, []).append(i)
        self.by_root.setdefault(self._root(r.para), []).append(i)
        self.by_para.setdefault(r.para, []).append(i)
        dup = self.p.layout.paragraphs[r.para].duplicate_of
        if dup is not None:
            self.by_dup_of.setdefault(dup, []).append(i)
        if r.speaker_entity is not None:
            self.with_entity.append(i)
            if r.role in _SUMMARY_ROLES:
                self.summary.append(i)

    def candidates(self, r: Resolved, rc: Counter, kept: list[Resolved]) -> list[Resolved]:
        t = self.threshold
        if t <= 0:
            return kept
        found: set[int] = set()
        n = sum(rc.values())
        if n and t <= 1:
            allowed = n - t / (2 - t) * n  # the most of r's word mass a match may lack
            mass = 0
            for w in sorted(rc, key=lambda w: (self.df[w], w)):  # rarest first
                found.update(self.postings.get(w, ()))
                mass += rc[w]
                if mass > allowed + 1e-9:
                    break
        found.update(self.by_root.get(self._root(r.para), ()))
        dup = self.p.layout.paragraphs[r.para].duplicate_of
        if dup is not None:
            found.update(self.by_para.get(dup, ()))
        found.update(self.by_dup_of.get(r.para, ()))
        found.update(self.with_entity if r.role in _SUMMARY_ROLES else self.summary)
        return [kept[i] for i in sorted(found)]


def dedup(p: _Prepared, items: list[Resolved], options: Options) -> list[Resolved]:
    """One record per attribution: repeats (captions, highlights, title) go to ``also_at``."""
    text = p.layout.text
    order = sorted(items, key=lambda r: (ROLE_PRIORITY.get(r.role, 9), r.duplicate_para, r.spans[0][0]))
    kept: list[Resolved] = []
    replaced: dict[int, Resolved] = {}
    bags: dict[int, Counter] = {}  # word counts of each kept record, computed once
    counts = [Counter(words(_content_text(text, r.spans))) for r in order]
    index = _KeptIndex(p, options.dedup_threshold, counts)
    for r, rc in zip(order, counts):
        rw = set(rc)
        match = None
        for k in index.candidates(r, rc, kept):
            if not _same_speaker(k, r):
                continue
            kc = bags[id(k)]
            f1 = bag_f1(kc, rc)
            kw = set(kc)
            small, big = (rw, kw) if len(rw) <= len(kw) else (kw, rw)
            contained = len(small) >= 4 and len(small & big) / max(1, len(small)) >= 0.9
            summary = {k.role, r.role} & {"title", "subtitle", "highlight"} and k.speaker_entity is not None
            if f1 >= options.dedup_threshold or (contained and (_repeats(p, k, r) or summary)):
                match = k
                break
        if match is None:
            index.add(r, rc, len(kept))
            kept.append(r)
            bags[id(r)] = rc
        else:
            match.also_at.append((r.spans[0][0], r.spans[-1][1]))
            replaced[id(r)] = match
            if match.speaker is None and r.speaker is not None:
                match.speaker, match.speaker_name, match.speaker_entity, match.speaker_kind = r.speaker, r.speaker_name, r.speaker_entity, r.speaker_kind
    for r in kept:
        if r.parent is not None and id(r.parent) in replaced:
            r.parent = replaced[id(r.parent)]
        r.also_at.sort()
    kept.sort(key=lambda r: r.spans[0][0])
    return kept


# ---------------------------------------------------------------------- serialise


def _m(text: str, span: tuple[int, int]) -> Mention:
    return Mention(text=text[span[0] : span[1]], span=span)


def serialise(p: _Prepared, items: list[Resolved], people: People, article_id: Optional[str]) -> Article:
    text = p.layout.text
    quotes: list[Quote] = []
    used_entities: set[str] = set()
    rid = {id(r): f"q{i + 1}" for i, r in enumerate(items)}  # the one place quote ids are given
    for r in items:
        s, e = r.spans[0][0], r.spans[-1][1]
        speaker = None
        if r.speaker is not None:
            speaker = Speaker(text=text[r.speaker[0] : r.speaker[1]], span=r.speaker, name=r.speaker_name,
                              entity=r.speaker_entity, kind=r.speaker_kind,  # type: ignore[arg-type]
                              phrase=_m(text, r.speaker_phrase) if r.speaker_phrase and r.speaker_phrase != r.speaker else None)
            if r.speaker_entity:
                used_entities.add(r.speaker_entity)
        quotes.append(Quote(
            id=rid[id(r)], kind=r.kind, text=text[s:e], span=(s, e), spans=r.spans,  # type: ignore[arg-type]
            cue=Cue(text=text[r.cue[0] : r.cue[1]], span=r.cue,
                    phrase=_m(text, r.cue_phrase) if r.cue_phrase and r.cue_phrase != r.cue else None) if r.cue else None,
            speaker=speaker,
            addressee=Addressee(text=text[r.addressee[0] : r.addressee[1]], span=r.addressee, entity=r.addressee_entity) if r.addressee else None,
            via=[Via(text=text[v[0] : v[1]], span=v, kind=k) for v, k in r.via],  # type: ignore[arg-type]
            nested_in=rid.get(id(r.parent)) if r.parent is not None and r.parent is not r else None,
            also_at=r.also_at,
            confidence=round(r.confidence, 3),
        ))
    entities = [
        Entity(id=e.id, name=e.name, kind=e.kind, aliases=e.aliases, roles=e.roles, mentions=sorted(e.mentions))  # type: ignore[arg-type]
        for e in people.entities if e.kind == "person" or e.id in used_entities
    ]
    paragraphs = [Paragraph(span=(pa.start, pa.end), role=pa.role, duplicate_of=pa.duplicate_of) for pa in p.layout.paragraphs]  # type: ignore[arg-type]
    aid = article_id or hashlib.sha256(p.source.content.encode("utf-8")).hexdigest()[:16]
    return Article(
        id=aid, path=None if p.source.name in ("<string>",) else p.source.name, text=text, title=p.layout.title,
        publisher=p.layout.publisher, authors=p.layout.authors, date=p.layout.date, url=p.layout.url,
        format=p.layout.format, paragraphs=paragraphs, quotes=quotes, entities=entities,  # type: ignore[arg-type]
    )


_default: Optional[Extractor] = None


def extract(source: str, path: Optional[str] = None, id: Optional[str] = None, options: Optional[Options] = None) -> Article:
    """Extract the attributed quotes of one article given as a string of text or HTML."""
    global _default
    if options is not None:
        return Extractor(options).extract(source, path=path, id=id)
    if _default is None:
        _default = Extractor()
    return _default.extract(source, path=path, id=id)
