"""Sources as a reporter means them: the type of every record's source, and a person's role and
organisation.

A source is a person or an organisation by name (``named_person``, ``named_organization``), a
document (report, poll, filing, statement: ``document``), a source the article keeps anonymous on
purpose (``anonymous``: "a person familiar with the talks", "officials speaking on condition of
anonymity", "two teachers, who asked not to be named"), or a person or group the article describes
without naming ("a teacher": ``unnamed_person``; "residents": ``unnamed_group``).

The type is read from what the earlier stages know: the speaker's kind and entity (``resolution``,
``people``), the parse of the mention (its head's part of speech, number, entity type) and the
anonymity cues around it: in the source phrase (its relative clauses and modifiers) and in the
reporting clause's own modifiers ("said on condition of anonymity"), never in the content.

The role is the one the mention gives (an apposition, "Maria Okafor, the city treasurer"; a title
before the name, "board chair Nora Quist"), else the first the article gives the person; for an
unnamed person, the description ("spokesperson"). The organisation is a name the source phrase
ties the source to: a modifier ("an Exxon spokesperson", "the Pentagon's press secretary") or a
prepositional object ("a spokeswoman for the agency", "a report by the Office of the City
Auditor").
"""

from __future__ import annotations

import bisect
import re

from spacy.tokens import Doc, Token

from ..lexicon import ANONYMITY_PHRASES, ANONYMOUS_HEADS, GROUP_DETERMINERS, HONORIFICS, ORGANIZATION_NOUNS, TITLE_WORDS
from ..people.names import is_role
from ..people.registry import People, appositive_roles
from ..read.normalize import normalize_string
from .attribution import ParaCtx
from .records import Prepared, Resolved

ANONYMITY = re.compile(r"\b(?:" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ANONYMITY_PHRASES) + r")\b", re.I)
ORG_ENTITY_TYPES = frozenset({"ORG", "GPE", "FAC"})
ORG_PREPOSITIONS = frozenset({"for", "at", "of", "with", "from", "by", "in"})
# the reporting clause's modifiers that may carry an anonymity cue ('said on condition of anonymity')
CUE_MODIFIERS = frozenset({"prep", "advcl", "advmod", "npadvmod", "xcomp", "conj"})
PLURAL_PRONOUNS = frozenset({"they", "them", "we", "us"})
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)


def describe_sources(p: Prepared, records: list[Resolved], people: People) -> None:
    """Set ``source_type``, ``source_role`` and ``source_org`` on every record with a source (and
    the kind ``anonymous`` on an unnamed source the article keeps anonymous)."""
    ctxs = sorted(p.ctxs, key=lambda c: c.offset)
    entities = {e.id: e for e in people.entities}
    for r in records:
        if r.speaker is None:
            continue
        ctx = _ctx_at(ctxs, r.speaker[0])
        head = _head_at(ctx, r.speaker) if ctx is not None else None
        cue = r.cand.cue_token if r.cand.cue_token is not None and ctx is not None and r.cand.cue_token.doc is ctx.doc else None
        content = [(s - ctx.offset, e - ctx.offset) for s, e in r.spans] if ctx is not None else []
        anonymous = head is not None and _anonymity_cue(head, cue, content)
        r.source_type = source_type(r, head, anonymous)
        if r.source_type == "anonymous" and r.speaker_kind in ("unknown", "person") and r.speaker_entity is None:
            r.speaker_kind = "anonymous"
        if head is None or r.source_type == "named_organization":
            continue
        r.source_org = organization(head, r.source_type)
        if r.source_type == "named_person":
            ent = entities.get(r.speaker_entity) if r.speaker_entity else None
            r.source_role = mention_role(head, r, ctx) or (first_role(ent.roles) if ent is not None else None)
        elif r.source_type in ("unnamed_person", "unnamed_group", "anonymous") and head.pos_ == "NOUN":
            r.source_role = description(head)


def source_type(r: Resolved, head: Token | None, anonymous: bool) -> str:
    """The type of ``r``'s source, from its kind, its entity and the head of its mention."""
    kind = r.speaker_kind
    propn = head is not None and head.pos_ == "PROPN"
    if anonymous and not (kind == "person" and r.speaker_entity is not None and propn):
        return "anonymous"
    if kind == "document":
        return "document"
    if kind in ("organization", "outlet"):
        if head is not None and head.ent_type_ == "NORP":
            return _unnamed(head)  # 'Democrats said': members of a party or a people
        named = (r.speaker_name or "")[:1].isupper()  # 'the department' resolved to the Justice Department
        if named or propn or (head is not None and head.ent_type_ in ORG_ENTITY_TYPES):
            return "named_organization"
        return _unnamed(head)
    if kind == "person" and (r.speaker_entity is not None or propn):
        return "named_person"
    if head is not None and head.pos_ == "NOUN" and head.lemma_.lower() in ANONYMOUS_HEADS:
        return "anonymous"  # 'a source said', 'sources close to the talks'
    if kind == "unknown" and propn and head is not None and head.ent_type_ not in ("NORP",):
        return "named_organization" if head.ent_type_ in ORG_ENTITY_TYPES else "named_person"
    return _unnamed(head)


def _unnamed(head: Token | None) -> str:
    """An unnamed source: a group when its head is plural ('residents', 'two teachers', 'they',
    'Democrats'), a person otherwise."""
    if head is None:
        return "unnamed_person"
    if head.tag_ in ("NNS", "NNPS") or head.lower_ in PLURAL_PRONOUNS or head.ent_type_ == "NORP":
        return "unnamed_group"
    if head.pos_ == "NOUN" and head.lemma_.lower() in ORGANIZATION_NOUNS:
        return "unnamed_group"  # 'the company', 'a committee' the article does not name
    for c in head.children:
        if c.dep_ == "nummod" and c.lower_ not in ("one", "1"):
            return "unnamed_group"
        if c.dep_ == "det" and c.lower_ in GROUP_DETERMINERS:
            return "unnamed_group"
    return "unnamed_person"


def _anonymity_cue(head: Token, cue: Token | None, content: list[tuple[int, int]]) -> bool:
    """Whether the source phrase (the head's subtree, its apposition) or the reporting clause's own
    modifiers say the source is kept anonymous; never the content."""
    doc = head.doc
    pieces = [list(head.subtree)]
    if head.dep_ == "appos":
        pieces.append(list(head.head.subtree))
    if cue is not None:
        pieces += [list(c.subtree) for c in cue.children if c.dep_ in CUE_MODIFIERS and c.i != head.i and not c.is_ancestor(head)]
    for toks in pieces:
        toks = [t for t in toks if not any(s <= t.idx < e for s, e in content)]
        if toks and ANONYMITY.search(_text(doc, toks)):
            return True
    return False


def _text(doc: Doc, toks: list[Token]) -> str:
    return " ".join(t.text for t in sorted(toks, key=lambda t: t.i))


def organization(head: Token, stype: str) -> str | None:
    """The organisation the source phrase ties the source to: a proper-noun modifier of the head
    or of its apposition ('an Exxon spokesperson'), else the object of 'for', 'at', 'of', 'by' ...
    naming an organisation ('a spokeswoman for the agency', 'a report by the City Auditor')."""
    heads = [head] + [c for c in head.children if c.dep_ == "appos" and c.pos_ == "NOUN"]
    if head.dep_ == "appos" and head.head.pos_ == "NOUN":
        heads.append(head.head)  # 'the company's spokesman, Tom Reyes'
    for h in heads:
        for c in h.children:
            if c.i < h.i and c.dep_ in ("compound", "poss", "nmod", "npadvmod") and (c.pos_ == "PROPN" or c.ent_type_ in ORG_ENTITY_TYPES):
                if c.ent_type_ == "PERSON" or c.lower_.rstrip(".") in TITLE_WORDS:
                    continue  # a part of the name, or a title ('Mayor Ann Cole')
                return _name_of(c)
    for h in heads:
        for prep in h.children:
            if prep.dep_ != "prep" or prep.lower_ not in ORG_PREPOSITIONS or prep.i < h.i:
                continue
            obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if obj is None or obj.ent_type_ == "PERSON":
                continue
            if obj.pos_ == "PROPN" or obj.ent_type_ in ORG_ENTITY_TYPES or obj.lemma_.lower() in ORGANIZATION_NOUNS:
                return _name_of(obj)
    return None


def _name_of(t: Token) -> str:
    """The name a token stands in: its named entity, else its phrase (without a possessive, a
    relative clause or a trailing preposition)."""
    doc = t.doc
    for ent in doc.ents:
        if ent.start <= t.i < ent.end and ent.label_ in ORG_ENTITY_TYPES | {"NORP", "WORK_OF_ART"}:
            if not any(w.i > t.i and w.dep_ == "prep" for w in t.subtree):
                return normalize_string(_LEADING_ARTICLE.sub("", ent.text))
    toks = [x for x in t.subtree if x.dep_ not in ("relcl", "acl", "case", "punct", "appos") and not any(a.dep_ in ("relcl", "acl", "appos") and a.i != t.i and a.is_ancestor(x) for a in t.subtree)]
    toks = [x for x in toks if x.tag_ != "POS"]
    a, b = min(x.i for x in toks), max(x.i for x in toks) + 1
    return _LEADING_ARTICLE.sub("", normalize_string(doc[a:b].text))


def mention_role(head: Token, r: Resolved, ctx: ParaCtx | None) -> str | None:
    """The role the mention itself gives a named person: an apposition ('Maria Okafor, the city
    treasurer'; 'Her deputy, Tom Reyes') or a title before the name ('board chair Nora Quist')."""
    if head.pos_ != "PROPN":
        return None
    doc = head.doc
    roles = appositive_roles(doc, head, doc[head.i : head.i + 1])
    if roles:
        return _clean_role(roles[0])
    if ctx is None or r.speaker_phrase is None or r.speaker is None or r.speaker_phrase[0] >= r.speaker[0]:
        return None
    a, b = r.speaker_phrase[0] - ctx.offset, r.speaker[0] - ctx.offset
    before = [t for t in _tokens_starting_in(doc, a, b) if not t.is_punct]
    if before and is_role(before) and not all(t.lower_.rstrip(".") in HONORIFICS for t in before):
        return _clean_role(ctx.text[before[0].idx : before[-1].idx + len(before[-1].text)])
    return None


def first_role(roles: list[str]) -> str | None:
    """The first of an entity's roles that is more than an honorific ('Mr.')."""
    for role in roles:
        if not all(w.lower().rstrip(".") in HONORIFICS for w in role.split()):
            return _clean_role(role)
    return None


def description(head: Token) -> str:
    """What an unnamed source is, without its determiner, number and organisation ('spokesperson'
    in 'an Exxon spokesperson', 'senior administration official')."""
    mods = [c for c in head.children if c.i < head.i and c.dep_ in ("amod", "compound") and c.pos_ != "PROPN" and not c.ent_type_]
    a = min([c.left_edge.i for c in mods] + [head.i])
    toks = [t for t in head.doc[a : head.i + 1] if t.pos_ != "PROPN" and not t.ent_type_ and t.tag_ != "POS" and not t.is_punct]
    return normalize_string(" ".join(t.text for t in toks)) or head.text


def _clean_role(role: str) -> str:
    return _LEADING_ARTICLE.sub("", normalize_string(role).strip(" ,;:"))


def _ctx_at(ctxs: list[ParaCtx], pos: int) -> ParaCtx | None:
    """The paragraph (of ``ctxs``, in text order) holding the article offset ``pos``."""
    i = bisect.bisect_right(ctxs, pos, key=lambda c: c.offset) - 1
    return ctxs[i] if i >= 0 and pos < ctxs[i].offset + len(ctxs[i].text) else None


def _head_at(ctx: ParaCtx, span: tuple[int, int]) -> Token | None:
    """The head of the mention at ``span`` (article offsets): its token whose head lies outside it."""
    s, e = span[0] - ctx.offset, span[1] - ctx.offset
    toks = _tokens_starting_in(ctx.doc, s, e)
    if not toks:
        return None
    ids = {t.i for t in toks}
    heads = [t for t in toks if t.head.i not in ids or t.head.i == t.i]
    return heads[0] if len(heads) == 1 else toks[-1]


def _tokens_starting_in(doc: Doc, s: int, e: int) -> list[Token]:
    """The tokens of ``doc`` that start in local characters [s, e), found by spaCy's own alignment
    (``Doc.char_span``) instead of a scan of every token."""
    if e <= s:
        return []
    span = doc.char_span(s, e, alignment_mode="expand")
    if span is None:
        return [t for t in doc if s <= t.idx < e]
    return [t for t in span if s <= t.idx < e]
