"""People (and other speakers) of one article: names, aliases, roles, mentions, resolution.

Names come from the parser's PERSON entities. Full names are clustered first; a bare surname
joins the one full name it ends; roles come from the words before a name (``Former Attorney
General Jeff Sessions``) and from appositions (``Rod J Rosenstein, then the deputy attorney
general,``). Speakers are resolved to these entities by name, by role (``the deputy attorney
general``) or, for pronouns, by the most recent person who spoke or was named.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ..attribute.attribution import ParaCtx, is_cue, is_outlet_text
from ..lexicon import HONORIFICS, ROLE_PREPOSITIONS, TITLE_WORDS
from ..read.normalize import normalize_string
from .names import epithet_before_name, first_names_alike, gender_of_name, gender_of_words, is_person_name, is_role, name_bounds, nickname_of, title_cased_line

HEADLINE_ROLES = frozenset({"title", "subtitle", "byline"})
_ROLE_STRIP = re.compile(r"^(?:(?:then|now|former|the|a|an|its|his|her|their|current|longtime|acting)\s+)+", re.I)


@dataclass
class EntityRec:
    id: str
    kind: str
    tokens: list[str]  # of the canonical name
    name: str
    variants: list[str] = field(default_factory=list)  # names as written, first seen first
    aliases: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    mentions: list[tuple[int, int]] = field(default_factory=list)
    # 'Mr.', 'Mrs.', 'a youthful Mr.': what the article calls the person, evidence of gender and of
    # which namesake a 'Mr. Smith' is, but no role (the output's roles leave them out)
    honorifics: list[str] = field(default_factory=list)

    def add_variant(self, s: str) -> None:
        if s and s not in self.variants:
            self.variants.append(s)

    def add_role(self, s: str) -> None:
        s = normalize_string(s).strip(" ,;:")
        into = self.honorifics if honorific_role(s) else self.roles
        if s and s.lower() not in (r.lower() for r in into):
            into.append(s)

    def title_words(self) -> set[str]:
        """The words of its roles and honorifics, lower case, without a final full stop."""
        return {w.lower().rstrip(".") for r in self.roles + self.honorifics for w in r.split()}

    def add_alias(self, s: str) -> None:
        s = normalize_string(s)
        if s and s != self.name and s not in self.aliases:
            self.aliases.append(s)


@dataclass
class PersonMention:
    span: tuple[int, int]  # global
    tokens: list[str]
    text: str
    roles: list[str]
    titled: str | None  # "President Trump"
    in_title: bool = False  # in a headline or byline: never a person by itself



def honorific_role(role: str) -> bool:
    """A 'role' whose head is an honorific ('Mr.', 'Mrs.', 'the youthful Mr.'): no role."""
    words = role.split()
    return bool(words) and words[-1].lower().rstrip(".") in HONORIFICS


def whole_words(doc: Doc, a: int, b: int) -> tuple[int, int] | None:
    """The tokens ``doc[a:b]`` of a role widened to whole words ('front-runner', not 'runner' of
    'front-runner Ana Ruiz'), or None when they stand in a bracket or a tag glued to one ('I-Vt' or
    'Vt' of 'Sen. Ann Ruiz (I-Vt.)': a party and state, no role)."""
    while a > 0 and not doc[a - 1].whitespace_ and not doc[a - 1].is_space:
        if doc[a - 1].is_bracket:
            return None
        if doc[a - 1].is_quote:
            break
        a -= 1
    while b < len(doc) and not doc[b - 1].whitespace_ and (doc[b].text == "-" or (doc[b].is_alpha and doc[b - 1].text == "-")):
        b += 1  # 'vice' of 'vice-chancellor'
    if b < len(doc) and not doc[b - 1].whitespace_ and doc[b].is_bracket:
        return None
    return a, b


def role_heads(roles: list[str]) -> list[str]:
    """The head word of each role: 'Mrs.', 'his brother', 'a spokeswoman for the port' (the word
    before the first preposition, not the role's last word)."""
    heads = []
    for r in roles:
        words = r.split()
        cut = next((i for i, w in enumerate(words) if i and w.lower() in ROLE_PREPOSITIONS), len(words))
        if cut:
            heads.append(words[cut - 1])
    return heads


def role_gender(roles: list[str]) -> str | None:
    """'m' or 'f' from the head words of roles (``role_heads``)."""
    return gender_of_words(role_heads(roles))


def _premodifier_role(doc: Doc, s: int, root: Token) -> str | None:
    """'Former Attorney General' in 'Former Attorney General Jeff Sessions'."""
    sub = {t.i for t in root.subtree}
    a = s
    while a - 1 >= 0 and (a - 1) in sub and doc[a - 1].dep_ in ("compound", "amod", "nmod", "poss", "case", "det", "nummod") and not doc[a - 1].is_space and doc[a - 1].text not in ",;:":
        a -= 1
    while a < s and doc[a].dep_ == "det":
        a += 1
    if a >= s:
        return None
    bounds = whole_words(doc, a, s)
    if bounds is None or bounds[1] > s or not is_role(list(doc[bounds[0]:s])):
        return None
    return doc[bounds[0]:s].text


def appositive_roles(doc: Doc, root: Token, ent: Span) -> list[str]:
    """The roles appositions give the name ``ent`` headed by ``root``: 'Rod Rosenstein, the deputy
    attorney general', 'the deputy attorney general, Rod Rosenstein'."""
    roles = []
    for c in root.children:
        if c.dep_ == "appos" and not (ent.start <= c.i < ent.end) and c.ent_type_ not in ("PERSON", "DATE", "TIME", "CARDINAL", "GPE", "MONEY", "PERCENT"):
            toks = [t for t in c.subtree if t.dep_ != "relcl"]
            rel = [t for t in c.subtree if t.dep_ == "relcl"]
            if rel:
                cut = min(t.left_edge.i for t in rel)
                toks = [t for t in toks if t.i < cut]
            if not toks:
                continue
            a, b = min(t.i for t in toks), max(t.i for t in toks) + 1
            while a < b and doc[a].is_punct:
                a += 1
            while b > a and doc[b - 1].is_punct:
                b -= 1
            bounds = whole_words(doc, a, b) if a < b else None
            if bounds is not None and bounds[1] - bounds[0] <= 15 and is_role(list(doc[bounds[0]:bounds[1]])):
                roles.append(doc[bounds[0]:bounds[1]].text)
    # reverse apposition: "the deputy attorney general, Rod Rosenstein,"
    if root.dep_ == "appos" and root.head.pos_ == "NOUN" and not root.head.ent_type_:
        h = root.head
        toks = [t for t in h.subtree if t.i < root.left_edge.i and not t.is_punct]
        if toks:
            a, b = min(t.i for t in toks), max(t.i for t in toks) + 1
            if b - a <= 12 and is_role(list(doc[a:b])):
                roles.append(doc[a:b].text)
    return roles


def headline_like(ctx: ParaCtx, n_paragraphs: int) -> bool:
    """A headline or byline, or a short first paragraph before others (a headline the layout
    kept as body, as in texts whose title ends in a full stop)."""
    if ctx.role in HEADLINE_ROLES:
        return True
    return ctx.index == 0 and n_paragraphs > 2 and ctx.role == "body" and len(ctx.text.split()) <= 25


def collect_people(ctxs: list[ParaCtx]) -> list[PersonMention]:
    out: list[PersonMention] = []
    for ctx in ctxs:
        doc = ctx.doc
        for ent in doc.ents:
            if ent.label_ != "PERSON" or is_outlet_text(ent.text):
                continue  # "Riverton Herald, 12 March 2024": a masthead the recogniser took for a name
            s, e = name_bounds(doc, ent.start, ent.end)
            if s >= e:
                continue
            toks = [t.text for t in doc[s:e]]
            if not any(t[:1].isupper() for t in toks) or not is_person_name(doc, s, e):
                continue
            span = doc[s:e]
            roles: list[str] = []
            titled = None
            if s > ent.start and all(t.lower_.rstrip(".") in TITLE_WORDS or t.is_punct for t in doc[ent.start:s]):
                roles.append(doc[ent.start:s].text)  # NER kept a title: "President Trump"
                titled = doc[ent.start:e].text
            if s == ent.start and s > 0 and gender_of_words([doc[s - 1].text]) is not None:
                roles.append(doc[s - 1].text)  # 'Mr.' just before the name the recogniser found
            pre = _premodifier_role(doc, min(s, ent.start), ent.root)
            if pre:
                roles.append(pre)
                if all(w[:1].isupper() for w in pre.split()) and len(pre.split()) <= 4 \
                        and not all(w.lower().rstrip(".") in HONORIFICS for w in pre.split()):  # 'Mr. Reed' is no title
                    titled = pre + " " + span.text
            roles += appositive_roles(doc, ent.root, ent)
            gs = ctx.offset + span.start_char
            headline = headline_like(ctx, len(ctxs)) or title_cased_line([t.text for t in ent.sent])
            out.append(PersonMention((gs, gs + len(span.text)), toks, ctx.text[span.start_char:span.end_char], roles, titled,
                                     headline))
    out.sort(key=lambda m: m.span)
    return out


class _Spans:
    """Character spans, for 'does this span overlap any of them' in logarithmic time."""

    def __init__(self, spans):
        self.spans = sorted(spans)
        self.longest = max((e - s for s, e in self.spans), default=0)

    def overlaps(self, g: tuple[int, int]) -> bool:
        i = bisect.bisect_right(self.spans, (g[0] - self.longest, float("inf")))
        for s, e in self.spans[i : bisect.bisect_left(self.spans, (g[1], -1))]:
            if s < g[1] and g[0] < e:
                return True
        return False

    def add(self, g: tuple[int, int]) -> None:
        bisect.insort(self.spans, g)
        self.longest = max(self.longest, g[1] - g[0])


def _key(tokens: list[str]) -> list[str]:
    return [normalize_string(t).lower().rstrip(".") for t in tokens]


def _same_person(a: list[str], b: list[str]) -> bool:
    ka, kb = _key(a), _key(b)
    if ka == kb:
        return True
    if len(ka) >= 2 and len(kb) >= 2 and ka[-1] == kb[-1]:
        if ka[0][:1] == kb[0][:1] and (len(ka[0]) == 1 or len(kb[0]) == 1 or first_names_alike(ka[0], kb[0])):
            return True
        return nickname_of(ka[0], kb[0])  # 'Tom Alder' and 'Thomas Alder', 'Bill Reed' and 'William Reed'
    return False


class People:
    """The entities of one article and the resolution of speaker mentions to them."""

    def __init__(self, ctxs: list[ParaCtx]):
        self.ctxs = {c.index: c for c in ctxs}
        self.entities: list[EntityRec] = []
        # persons by the key of their last and of their first name token, in creation order
        self._by_last: dict[str, list[EntityRec]] = {}
        self._by_first: dict[str, list[EntityRec]] = {}
        self._by_mention: list[tuple[tuple[int, int], EntityRec]] = []
        self.gender: dict[str, str] = {}
        self._orgs: list[tuple[tuple[int, int], str]] = []
        for ctx in ctxs:
            for ent in ctx.doc.ents:
                if ent.label_ == "ORG" and not is_outlet_text(ent.text):
                    self._orgs.append(((ctx.offset + ent.start_char, ctx.offset + ent.end_char), ent.text))
        self._orgs.sort()
        _Clustering(self).run(ctxs)
        for e in self.entities:
            for v in e.variants:
                e.add_alias(v)
        self._by_mention.sort(key=lambda x: x[0])
        self._starts = [sp[0] for sp, _ in self._by_mention]
        self._longest = max((sp[1] - sp[0] for sp, _ in self._by_mention), default=0)
        self._org_starts = [sp[0] for sp, _ in self._orgs]

    # -------------------------------------------------------------- registry

    def _new(self, kind: str, tokens: list[str], text: str) -> EntityRec:
        ent = EntityRec(id=f"e{len(self.entities) + 1}", kind=kind, tokens=tokens, name=normalize_string(text))
        self.entities.append(ent)
        if kind == "person" and tokens:
            keys = _key(tokens)
            self._by_last.setdefault(keys[-1], []).append(ent)
            self._by_first.setdefault(keys[0], []).append(ent)
        return ent

    def _attach(self, ent: EntityRec, m: PersonMention, alias: bool = True) -> None:
        if alias:
            ent.add_variant(normalize_string(m.text))
        g = role_gender(m.roles)
        if g is not None:
            self.gender[ent.id] = g  # the article's word ('Mrs.', 'spokeswoman') over the name table
        if m.span not in ent.mentions:
            ent.mentions.append(m.span)
        for r in m.roles:
            ent.add_role(r)
        if m.titled:
            ent.add_alias(m.titled)
        self._by_mention.append((m.span, ent))

    # -------------------------------------------------------------- lookups

    def at(self, span: tuple[int, int]) -> EntityRec | None:
        """The entity of the first mention (in text order) overlapping ``span``."""
        s, e = span
        # a mention overlapping [s, e) starts before e and after s - (the longest mention)
        i = bisect.bisect_right(self._starts, s - self._longest)
        hi = bisect.bisect_left(self._starts, e)
        for (ms, me), ent in self._by_mention[i:hi]:
            if ms < e and s < me:
                return ent
        return None

    def by_role(self, text: str) -> EntityRec | None:
        core = _ROLE_STRIP.sub("", normalize_string(text).lower()).strip()
        if not core or len(core) < 4:
            return None
        hits = []
        for ent in self.entities:
            for r in ent.roles:
                rc = _ROLE_STRIP.sub("", r.lower()).strip()
                if rc == core or (rc.endswith(" " + core) and len(core.split()) >= 2):
                    hits.append(ent)
                    break
        return hits[0] if len(hits) == 1 else None

    def by_name(self, text: str) -> EntityRec | None:
        """The person a name denotes: the one it names in full or by surname, else, for one
        word, the one person with that first name ('Sandra' after 'Sandra Haro', where the
        recogniser took the lone word for an organisation)."""
        toks = normalize_string(text).split()
        for ent in self.entities:
            if ent.kind == "person" and (_same_person(ent.tokens, toks) or (len(toks) == 1 and _key(ent.tokens)[-1] == _key(toks)[0])):
                return ent
        return self.only_first_name(_key(toks)[0]) if len(toks) == 1 else None

    def only_first_name(self, key: str) -> EntityRec | None:
        """The one person named in full with the first name ``key`` (a key of ``_key``), if only one is."""
        firsts = [e for e in self._by_first.get(key, ()) if len(e.tokens) >= 2]
        return firsts[0] if len(firsts) == 1 else None

    def other(self, kind: str, name: str) -> EntityRec:
        """An organisation or outlet entity, one per normalised name."""
        key = re.sub(r"^the\s+", "", normalize_string(name), flags=re.I)
        for ent in self.entities:
            if ent.kind == kind and ent.name.lower() == key.lower():
                return ent
        return self._new(kind, key.split(), key)

    def person(self, text: str, span: tuple[int, int]) -> EntityRec:
        """A person the recogniser missed, named as a speaker."""
        ent = self.by_name(text)
        if ent is None:
            ent = self._new("person", normalize_string(text).split(), text)
        self.add_mention(ent, span)
        return ent

    def add_mention(self, ent: EntityRec, span: tuple[int, int]) -> None:
        """``span`` (global) is a mention of ``ent``, found after the clustering."""
        if span not in ent.mentions:
            ent.mentions.append(span)
            i = bisect.bisect_right(self._by_mention, span, key=lambda x: x[0])
            self._by_mention.insert(i, (span, ent))
            self._starts.insert(i, span[0])
            self._longest = max(self._longest, span[1] - span[0])

    def gender_of(self, ent: EntityRec) -> str | None:
        """'m' or 'f': from the article (honorifics, gendered nouns, resolved pronouns), else
        from the given name."""
        return self.gender.get(ent.id) or gender_of_name(ent.tokens)

    def antecedent(self, pos: int, gender: str | None, exclude: str | None = None,
                   skip: tuple[tuple[int, int], ...] = ()) -> EntityRec | None:
        """The person a he/she at ``pos`` refers to: the most recently mentioned person of a
        compatible gender, not ``exclude`` (the other side of the exchange) and not named inside
        ``skip`` (the quotation the pronoun attributes: '"Smith was right," he said')."""
        for k in range(bisect.bisect_left(self._starts, pos) - 1, -1, -1):  # the nearest before first
            (s, e), ent = self._by_mention[k]
            if ent.kind != "person" or ent.id == exclude:
                continue
            if any(a <= s and e <= b for a, b in skip):
                continue
            g = self.gender_of(ent)
            if gender and g and g != gender:
                continue
            if gender and g is None:
                self.gender[ent.id] = gender
            return ent
        return None

    def last_org_before(self, pos: int) -> EntityRec | None:
        i = bisect.bisect_left(self._org_starts, pos)
        if i == 0:
            return None
        best = self._orgs[i - 1][1]
        ent = self.other("organization", best)
        return ent


def _noun_looking(t: Token) -> bool:
    """A surname the tagger read as a common noun ('"We will not stop," Sessions said', 'Waters
    told', '"It is solid," Reyes said', where the recogniser may also call it an organisation):
    capitalised inside its sentence, or at its start as the subject of a reporting verb ('Waters
    rose overnight' is water)."""
    if t.tag_ not in ("NN", "NNS") or t.ent_type_ not in ("", "ORG"):
        return False
    return not t.is_sent_start or (t.dep_ == "nsubj" and is_cue(t.head))


class _Clustering:
    """Puts one article's name mentions on entities of ``People``: full names first, then names
    after an epithet, one-word names, headline and byline names, and bare surnames the
    recogniser missed."""

    def __init__(self, people: People):
        self.people = people
        self._by_last = people._by_last
        self._by_first = people._by_first
        self._new = people._new
        self._attach = people._attach
        self.gender_of = people.gender_of

    def run(self, ctxs: list[ParaCtx]) -> None:
        mentions = collect_people(ctxs)
        body = [m for m in mentions if not m.in_title]
        later = []  # 'Crooked Hillary (Clinton)': the article's Hillary Clinton if it has one
        for m in body:
            if len(m.tokens) >= 2:
                if epithet_before_name(m.tokens) and not m.roles:  # 'Sen. Rand Paul' is a name
                    later.append(m)
                else:
                    self._full_name(m)
        for m in later:
            ent = self._epithet_of(m)
            if ent is not None:
                self._attach(ent, m, alias=False)
            else:
                self._full_name(m)
        for m in body:
            if len(m.tokens) < 2:
                self._attach(self._single(m) or self._new("person", m.tokens, m.text), m)
        for m in mentions:  # a headline or byline name is one of the article's people, or no one
            if m.in_title:
                ent = self._known(m)
                if ent is not None:
                    self._attach(ent, m)
        self._surname_mentions(ctxs)

    def _full_name(self, m: PersonMention) -> EntityRec:
        # namesakes share the key of their last name token (as _same_person asks): each mention is
        # compared with those only, not every entity
        last = _key(m.tokens)[-1]
        ent = next((e for e in self._by_last.get(last, ()) if _same_person(e.tokens, m.tokens)), None)
        if ent is None:
            ent = self._new("person", m.tokens, m.text)
        elif len(m.tokens) > len(ent.tokens) or (len(m.tokens) == len(ent.tokens) and gender_of_name(m.tokens) and not gender_of_name(ent.tokens)):
            ent.tokens, ent.name = m.tokens, normalize_string(m.text)  # the fuller name, or the one not misspelt
        self._attach(ent, m)
        return ent

    def _epithet_of(self, m: PersonMention) -> EntityRec | None:
        """The person a name after an epithet is: the one full name the rest of it is, or the one
        person with that first name."""
        rest = m.tokens[1:]
        if len(rest) >= 2:
            hits = [e for e in self._by_last.get(_key(rest)[-1], ()) if _same_person(e.tokens, rest)]
        else:
            hits = [e for e in self._by_first.get(_key(rest)[0], ()) if len(e.tokens) >= 2]
        return hits[0] if len(hits) == 1 else None

    def _single(self, m: PersonMention) -> EntityRec | None:
        """The person a one-word name denotes: the bearer of that surname (the one named most
        recently before, when two share it), else of that first name when only one has it."""
        k = _key(m.tokens)[0]
        cands = [e for e in self._by_last.get(k, ()) if len(e.tokens) >= 2]
        g = role_gender(m.roles)
        if g is not None:  # 'Mrs. Clinton' is not Bill Clinton, 'Mr. Obama' not Michelle Obama
            cands = [e for e in cands if self.gender_of(e) in (g, None)]
        titles = {w.lower().rstrip(".") for r in m.roles for w in r.split()}
        if cands and titles:  # 'President Obama': the one with that title
            titled = [e for e in cands if titles & e.title_words()]
            alone = next((e for e in self._by_last.get(k, ()) if _key(e.tokens) == [k]), None)
            office = titles - HONORIFICS
            if not titled and office and alone is not None:
                return alone  # no namesake named in full holds the title: the one already known by surname alone
            if not titled and office and all(min(s for s, _ in e.mentions) > m.span[0] for e in cands if e.mentions):
                return None  # nor is any named before it: 'President Obama' is not Michelle Obama named later
            if not titled and office and len(cands) > 1:
                return None  # nor does the title tell namesakes apart: 'President Clinton' beside Bill and Hillary Clinton
            cands = titled or cands
        if len(cands) > 1:  # the one named most recently before
            last = [(max((s for s, _ in e.mentions if s < m.span[0]), default=-1), -i) for i, e in enumerate(cands)]
            cands = [cands[-max(last)[1]]]
        if cands:
            return cands[0]
        first = self.people.only_first_name(k) if not titles else None  # 'Sen. Paul' is a surname
        if first is not None:
            return first  # 'Sandra' after 'Sandra Haro'
        return next((e for e in self._by_last.get(k, ()) if _key(e.tokens) == [k]), None)

    def _known(self, m: PersonMention) -> EntityRec | None:
        """The article's person a headline name stands for ('Obama Seeks ...' → Barack Obama)."""
        keys = _key(m.tokens)
        hits = [e for e in self.people.entities
                if e.kind == "person" and (_same_person(e.tokens, m.tokens) or (len(keys) == 1 and _key(e.tokens)[-1] == keys[0]))]
        return max(hits, key=lambda e: len(e.mentions)) if hits else None  # of namesakes, the most mentioned

    def _surname_mentions(self, ctxs: list[ParaCtx]) -> None:
        """Bare surnames the recogniser missed ("Sessions told ..."): mentions of the one
        person with that surname."""
        known = _Spans(m for m, _ in self.people._by_mention)
        by_last: dict[str, list[EntityRec]] = {}
        for e in self.people.entities:
            if e.kind == "person" and len(e.tokens) >= 2:
                by_last.setdefault(_key(e.tokens)[-1], []).append(e)
        for ctx in ctxs:
            for t in ctx.doc:
                if not t.text[:1].isupper() or t.ent_type_ == "PERSON" or not (t.pos_ == "PROPN" or _noun_looking(t)):
                    continue
                ents = by_last.get(t.lower_)
                if not ents or len(ents) != 1:
                    continue
                if t.i > 0 and t.doc[t.i - 1].pos_ == "PROPN" and t.doc[t.i - 1].ent_type_ != "PERSON" and t.doc[t.i - 1].lower_.rstrip(".") not in TITLE_WORDS:
                    continue  # part of another name
                g = (ctx.offset + t.idx, ctx.offset + t.idx + len(t.text))
                if known.overlaps(g):
                    continue
                ent = ents[0]
                for r in appositive_roles(t.doc, t, t.doc[t.i : t.i + 1]):
                    ent.add_role(r)
                ent.mentions.append(g)
                ent.add_variant(t.text)
                self.people._by_mention.append((g, ent))
                known.add(g)
