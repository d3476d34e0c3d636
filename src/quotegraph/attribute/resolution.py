"""Who a speaker mention is: the article's entity a name, a pronoun, a role or an
organisation word refers to, and the kind of speaker it is.

One function, :func:`resolve_speaker`, over one attribution's speaker mention; the entities
and their lookups are :class:`people.People`'s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Token

from ..find.interview import in_turn
from ..lexicon import ANONYMOUS_NOUNS, FIRST_PERSON, ORGANIZATION_NOUNS, TITLE_WORDS, VENUE_WORDS
from ..people.names import gender_of_words, speaker_kind
from ..people.registry import EntityRec, People
from ..read.normalize import normalize_string
from .attribution import Candidate, How, ParaCtx, cue_phrase, is_cue, mention_span, source_phrase
from .records import Prepared, Resolved
from .referents import Ranker, anaphor_of

ORG_WORD_MENTION = re.compile(
    r"^the (company|firm|group|agency|department|ministry|bank|union|campaign|committee|council|club|team|university|"
    r"school|hospital|automaker|retailer|chain|carrier|airline|utility|network|organization|organisation|institution|"
    r"college|charity|board|authority|government|court|foundation|institute|party|association|federation|society)$", re.I)
INDEFINITE = ("a ", "an ", "one ", "two ", "three ", "some ", "several ", "many ")
THING_KINDS = frozenset({"document", "organization", "outlet"})  # sources an 'it' or a 'they' stands for
GENDERED_PRONOUNS = {"he": "m", "him": "m", "she": "f", "her": "f"}


@dataclass
class SpeakerRef:
    name: str | None
    entity: str | None
    kind: str


def resolve_speaker(c: Candidate, ctx: ParaCtx, people: People, mention: str, span: tuple[int, int],
                    content: tuple[tuple[int, int], ...], outer: SpeakerRef | None,
                    prev_ctx: ParaCtx | None = None, before: SpeakerRef | None = None,
                    ranker: Ranker | None = None) -> SpeakerRef:
    """The entity, name and kind of ``c``'s speaker mention (``mention`` at ``span``, in ``ctx``;
    ``prev_ctx`` is the paragraph before); ``outer`` is the speaker of the quotation the
    attribution is reported in (a nested quote's); ``before`` the speaker of the attribution
    just before it (in this paragraph or the one before); ``ranker`` chooses what a pronoun or
    a role refers to (else the nearest person of its gender)."""
    exclude = outer.entity if outer is not None else None
    refer = Referring(people, ranker, content, exclude, before.entity if before is not None else None)
    tok = c.speaker_token
    if tok is not None and tok.lower_ in ("who", "which", "that") and tok.head.dep_ == "relcl":
        # "Smith, who said ...": the relative pronoun is the mention, its noun says who
        noun = tok.head.head
        ns = mention_span(ctx.doc, noun)
        c.speaker_token = tok = noun
        mention = ctx.text[ns[0] : ns[1]]
    kind = speaker_kind(ctx.doc, tok, mention)
    hspan = (ctx.offset + tok.idx, ctx.offset + tok.idx + len(tok.text)) if tok is not None else span
    ent = people.at(hspan) if kind not in ("outlet", "document", "anonymous") else None
    propn = tok is not None and tok.pos_ == "PROPN"
    if ent is None and kind in ("person", "organization", "unknown") and propn:
        ent = people.by_name(mention)
        if ent is not None:
            people.add_mention(ent, span)
    low = mention.lower()
    if tok is not None and tok.lower_ in FIRST_PERSON and outer is not None and (ctx.in_quote(tok) or in_turn(c)):
        return outer  # 'I' inside someone's quotation (or interview answer) is that someone
    if tok is not None and tok.lower_ in ("it", "they") and before is not None and before.name and before.kind in THING_KINDS \
            and not ctx.in_quote(tok) and c.cue_token is not None and is_cue(c.cue_token):
        return before  # 'The report states: "...". It also adds that ...': the source just named
    if tok is not None and tok.pos_ == "NOUN" and kind in ("person", "unknown") and ent is None \
            and tok.left_edge.dep_ == "det" and tok.left_edge.lower_ in ("a", "an", "another"):
        described = ctx.text[tok.left_edge.idx : tok.idx + len(tok.text)]  # 'A second vice-chancellor'
        return SpeakerRef(normalize_string(described), None, "anonymous")
    if ent is None and tok is not None and tok.lower_ in GENDERED_PRONOUNS:
        ent, phrase = pronoun_referent(refer, ctx, prev_ctx, tok, span[0])
        if ent is None:
            return SpeakerRef(normalize_string(phrase), None, "anonymous") if phrase else SpeakerRef(None, None, "person")
        kind = "person"
    elif ent is None and (ORG_WORD_MENTION.match(mention) or org_description(tok)):
        org = people.last_org_before(span[0])
        if org is not None and qualifiers_fit(tok, org.name):
            ent, kind = org, "organization"
    elif ent is None and kind in ("unknown", "person", "anonymous") and not low.startswith(INDEFINITE):
        since = prev_ctx.offset if prev_ctx is not None else ctx.offset
        ent = people.by_role(mention) or definite_title(refer, tok, span[0], since)
        if ent is not None:
            kind = "person"
    if ent is None and kind == "person" and propn:
        ent = people.by_name(mention) or people.person(mention, span)
    if ent is not None:
        return SpeakerRef(ent.name, ent.id, "person" if ent.kind == "person" else ent.kind)
    if kind in ("organization", "outlet"):
        e2 = people.other(kind, mention)
        if span not in e2.mentions:
            e2.mentions.append(span)
        return SpeakerRef(e2.name, e2.id, kind)
    if kind in ("document", "anonymous", "person"):
        return SpeakerRef(normalize_string(mention), None, kind)
    return SpeakerRef(normalize_string(mention) if tok is not None and tok.pos_ != "PRON" else None, None, kind)


def org_description(tok: Token | None) -> bool:
    """'The Albert Quay spot', 'the Dublin-based firm': a definite description of a place or a
    firm, which stands for the organisation named before it."""
    if tok is None or tok.pos_ != "NOUN" or tok.tag_ != "NN":
        return False
    if not any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children):
        return False
    return tok.lemma_.lower() in ORGANIZATION_NOUNS or tok.lower_ in VENUE_WORDS or tok.lower_ in ("spot", "venue", "firm", "outfit", "chain", "brand")


def qualifiers_fit(tok: Token | None, name: str) -> bool:
    """'the transport board' after 'the Marlow Budget Institute': a description qualified by a
    common noun of its own ('transport') names another body, unless that name holds the word."""
    if tok is None:
        return True
    words = set(normalize_string(name).lower().split())
    return all(c.lower_ in words for c in tok.children if c.dep_ == "compound" and c.pos_ == "NOUN")


@dataclass
class Referring:
    """What resolving one speaker mention to a person needs: the article's people, the ranker (or
    none: the nearest person of the mention's gender), the attributed quotation (a name inside it
    is no antecedent), the speaker of the quotation the mention stands in (never its referent) and
    the speaker of the attribution just before."""

    people: People
    ranker: Ranker | None
    content: tuple[tuple[int, int], ...]
    exclude: str | None
    previous: str | None

    def antecedent(self, tok: Token, pos: int, gender: str | None) -> EntityRec | None:
        """The person ``tok`` refers to. A role is the ranker's choice; a pronoun is still the
        nearest person of its gender: the ranker, trained on named mentions, chose the speaker
        of the attribution before over a person just introduced (web gold direct speaker 151 →
        142 of 165), so it waits for labels of real pronouns."""
        if self.ranker is None or tok.pos_ == "PRON":
            return self.people.antecedent(pos, gender, self.exclude, self.content)
        return self.ranker.choose(anaphor_of(tok, pos, skip=self.content, exclude=self.exclude, previous=self.previous))


def pronoun_referent(refer: Referring, ctx: ParaCtx, prev_ctx: ParaCtx | None, tok: Token, pos: int) -> tuple[EntityRec | None, str | None]:
    """Who 'he'/'she' is: the person the ranker chooses, unless the sentence before is about an
    unnamed person of that gender ('A woman who ... said. She said ...')."""
    g = GENDERED_PRONOUNS[tok.lower_]
    ent = refer.antecedent(tok, pos, g)
    found = unnamed_subject_before(ctx, prev_ctx, tok, g)
    if found is not None:
        where, (a, b) = found
        last = max((s for s, _ in ent.mentions if s < pos), default=-1) if ent is not None else -1
        if last < where.offset + a:  # the unnamed person is the more recent
            return None, where.text[a:b]
    return ent, None


def unnamed_subject_before(ctx: ParaCtx, prev_ctx: ParaCtx | None, tok: Token, gender: str) -> tuple[ParaCtx, tuple[int, int]] | None:
    """The subject of the sentence before ``tok``'s (in its paragraph, or the last of the one
    before) when it is an unnamed person of ``gender``: its paragraph and phrase span."""
    sent = tok.sent
    if sent.start > 0:
        where, prev = ctx, ctx.doc[sent.start - 1].sent
    elif prev_ctx is not None and len(prev_ctx.doc) and tok.i == sent.start:
        where, prev = prev_ctx, prev_ctx.doc[len(prev_ctx.doc) - 1].sent
    else:
        return None
    subj = next((t for t in prev if t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ROOT"), None)
    if subj is None or subj.pos_ != "NOUN" or subj.ent_type_:
        return None
    words = [subj.lower_] + [t.lower_ for t in subj.children if t.dep_ in ("amod", "compound")]
    if gender_of_words(words) != gender and not (subj.lemma_.lower() in ANONYMOUS_NOUNS and gender_of_words(words)):
        return None
    a = subj.left_edge.idx
    rel = [t for t in subj.children if t.dep_ in ("relcl", "acl") and t.i > subj.i]
    end = (rel[-1].right_edge.idx + len(rel[-1].right_edge.text)) if rel else subj.idx + len(subj.text)
    return where, (a, end)


def definite_title(refer: Referring, tok: Token | None, pos: int, since: int) -> EntityRec | None:
    """'The Prime Minister said', 'the treasurer said': a definite title, or a role the article
    gave a person ('Maria Okafor, the city treasurer'), without a name is the person last named
    with it, else the referent the ranker chooses (from ``since``, the start of the paragraph
    before, on)."""
    people = refer.people
    if tok is None or tok.pos_ not in ("NOUN", "PROPN") or not any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children):
        return None
    if tok.tag_ in ("NNS", "NNPS"):
        return None
    titled = [e for e in people.entities if e.kind == "person" and any(tok.lower_ in r.lower().split() for r in e.roles)]
    title = tok.lower_.rstrip(".") in TITLE_WORDS or tok.lower_ in ("mp", "mep", "mla", "msp", "premier")
    if not title and (refer.ranker is None or not titled):
        return None
    if len(titled) == 1:
        return titled[0]
    g = gender_of_words([t.lower_ for t in tok.subtree])
    # a title of office is the nearest person of its gender (the ranker took 'the Prime
    # Minister' away from the one named); a role the article gave several people, the ranker's
    ent = refer.people.antecedent(pos, g, refer.exclude, refer.content) if title else refer.antecedent(tok, pos, g)
    if ent is None or max((s for s, _ in ent.mentions if s < pos), default=-1) < since:
        return None
    return ent


# ---------------------------------------------------------------------- the stage


def _g(ctx: ParaCtx, span: tuple[int, int] | None) -> tuple[int, int] | None:
    return None if span is None else _at(ctx, span)


def _at(ctx: ParaCtx, span: tuple[int, int]) -> tuple[int, int]:
    """A span of the paragraph ``ctx`` in article offsets."""
    return ctx.offset + span[0], ctx.offset + span[1]


def resolve(p: Prepared, cands: list[Candidate], people: People, ranker: Ranker | None = None) -> list[Resolved]:
    """The attributions ``cands`` with their offsets, speakers resolved to ``people`` (pronouns
    and roles by ``ranker``, else by the nearest person of their gender), addressees and vias."""
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
            pr = by_cand.get(id(c.parent)) if c.parent is not None else None
            outer = SpeakerRef(pr.speaker_name, pr.speaker_entity, pr.speaker_kind) if pr is not None and pr.speaker is not None else None
            last = out[-1] if out and out[-1].speaker is not None and out[-1].para >= c.para - 1 else None
            before = SpeakerRef(last.speaker_name, last.speaker_entity, last.speaker_kind) if last is not None else None
            ref = resolve_speaker(c, sp_ctx, people, text[speaker[0] : speaker[1]], speaker, tuple(spans), outer,
                                  ctxs.get(sp_ctx.index - 1), before, ranker)
            name, entity, kind = ref.name, ref.entity, ref.kind
        addressee = _g(ctx, c.addressee)
        a_rec = people.at(addressee) if addressee is not None else None
        a_ent = a_rec.id if a_rec is not None else None
        via = []
        for vspan, vtok in c.via:
            g = _at(ctx, vspan)
            vk = speaker_kind(ctx.doc, vtok, text[g[0] : g[1]]) if vtok is not None else "unknown"
            via.append((g, vk))
        para = p.layout.paragraphs[c.para]
        phrase = None
        relative = text[speaker[0] : speaker[1]].lower() in ("who", "which", "that") if speaker is not None else False
        # (``speaker`` is ``c.speaker``'s, unless inherited)
        if speaker is not None and c.speaker is not None and c.speaker_token is not None and c.inherit_from is None \
                and c.how != How.LABEL and not relative:
            ps = source_phrase(sp_ctx.doc, c.speaker_token, c.cue_token)
            lo = max(min(ps[0], c.speaker[0]), sp_ctx.dateline_end if min(ps[0], c.speaker[0]) < sp_ctx.dateline_end <= c.speaker[0] else 0)
            phrase = (sp_ctx.offset + lo, sp_ctx.offset + max(ps[1], c.speaker[1]))
        elif c.inherit_from is not None and id(c.inherit_from) in by_cand:
            phrase = by_cand[id(c.inherit_from)].speaker_phrase
        cphrase = _g(cue_ctx, cue_phrase(c.cue_token, times=False)) if c.cue_token is not None and c.how != How.ACCORDING else _g(cue_ctx, c.cue)
        if cphrase is not None and c.cue is not None:
            g = _at(cue_ctx, c.cue)
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
