"""The stages of one article, in order: written once, here.

After the read and parse stages (``Extractor.prepare`` and ``Extractor.parse``) have made the
``Prepared`` document, an article walks through:

 1. find        the rules' candidates per paragraph (``find.finders``)
 2. find        the learned pair finder's candidates (``learned.attributions``)
 3. find        quotations whose cue is in another paragraph (``find.across``)
 4. find        interview answers (``find.interview``)
 5. find        content boundaries, by the boundary model (``find.boundaries``; moves ``Candidate.content``)
 6. attribute   the speaker model's second look at each source (``attribute.speakers``; moves ``Candidate.speaker``)
 7. people      the article's entities (``people.registry.People``)
 8. attribute   resolution: offsets, speakers to people (pronouns and roles by the referent ranker,
                ``attribute.referents``), vias (``attribute.resolution``) -> ``Resolved``
 9. decide      dedup: one record per attribution (``decide.dedup``)
10. attribute   source types, roles and organisations (``attribute.source_types``)
11. decide      acts: what each source did and whether it happened, by the act model (``decide.acts``)
12. decide      kinds that are no attribution, and by default no statement from a source (``decide.filters``)
13. decide      the learned filter: its probability, and the low ones dropped (``decide.confidence``)
14. decide      the calibrated confidence that a record is right (``decide.confidence.calibrate``)
15. decide      the acts the output keeps: asserted statements from a source, or all (``Options.acts``)
16. serialise   the one schema (``pipeline.serialise``) -> ``models.Article``, with each person's
                gender as the article tells it (``people.gender``)

Steps 1-3 are ``find_candidates`` and 1-10 ``attributions`` (the trainers call them); ``finish``
runs them all.
"""

from __future__ import annotations

from ..attribute import referents, speakers
from ..attribute.attribution import Candidate
from ..attribute.records import Prepared, Resolved
from ..attribute.resolution import resolve
from ..attribute.source_types import describe_sources
from ..decide import filters
from ..decide.acts import assign_acts, keep_acts
from ..decide.confidence import calibrate, keep_likely
from ..decide.dedup import dedup
from ..find import boundaries, interview
from ..find.across import link_across_paragraphs
from ..find.finders import find_in_paragraph
from ..learned import acts, confidence
from ..learned import attributions as learned
from ..lexicon import learned_cues
from ..models import Acts, Article
from ..people.names import given_names
from ..people.registry import People
from .options import Options
from .serialise import serialise


def load_models(options: Options) -> None:
    """Read (once per process) every shipped model file the options use: the cue table, the
    given names and the act model always, the learned finder, filter, speaker, referent and
    confidence models with ``learned``, the boundary model with ``boundaries`` too. A missing or incompatible file raises ModelError;
    a stage the options switch off never reads its file."""
    learned_cues()
    given_names()
    acts.load()
    if options.learned:
        learned.load()
        speakers.load()
        referents.load()
        confidence.load()
        if options.boundaries:
            boundaries.load()


def finish(p: Prepared, id: str | None, options: Options) -> Article:
    """Steps 1-16: a parsed article to its records."""
    quotes, people = attributions(p, options)                                                    # 1-10
    assign_acts(p, quotes, acts.load())                                                          # 11
    quotes = filters.drop_non_attributions(quotes, p.ctxs, p.layout.text, options.acts == Acts.STATEMENTS)  # 12
    quotes = keep_likely(p, quotes, learned.load() if options.learned else None, options.filter_threshold)  # 13
    quotes = calibrate(p, quotes, confidence.load() if options.learned else None, options.min_confidence)  # 14
    quotes = keep_acts(quotes, options.acts)                                                     # 15
    return serialise(p, quotes, people, id)                                                      # 16


def attributions(p: Prepared, options: Options, model: learned.Model | None = None) -> tuple[list[Resolved], People]:
    """Steps 1-10: every attribution the rules and the learned finder (``model``, default: the
    packaged one) propose, resolved, deduplicated and its source described."""
    cands = interview.answers(p.ctxs, find_candidates(p, options, model))                        # 1-4
    if options.learned and options.boundaries:
        boundaries.refine_all(p.ctxs, cands, boundaries.load())                                  # 5
    if options.learned:
        choose_speakers(p, cands, speakers.load())                                               # 6
    people = People(p.ctxs)                                                                      # 7
    ranker = referents.Ranker(people, referents.Discourse(p.ctxs), referents.load()) if options.learned else None
    resolved = resolve(p, cands, people, ranker)                                                 # 8
    records = dedup(p, resolved, options.dedup_threshold)                                        # 9
    describe_sources(p, records, people)                                                         # 10
    return records, people


def find_candidates(p: Prepared, options: Options, model: learned.Model | None = None) -> list[Candidate]:
    """Steps 1-3: the attributions the rules and the learned finder propose, linked across paragraphs."""
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
    return link_across_paragraphs(p.ctxs, cands, options.min_unattributed_words)


def choose_speakers(p: Prepared, cands: list[Candidate], model: speakers.SpeakerModel) -> None:
    """The speaker model's second look at each attribution's source mention."""
    ctxs = {c.index: c for c in p.ctxs}
    for c in cands:
        speakers.rescore(ctxs[c.para], c, model)
