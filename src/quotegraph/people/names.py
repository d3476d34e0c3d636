"""Names and kinds of mentions: where a name begins and ends, what kind of speaker a mention
is, which roles describe a person, and the gender a given name usually has.

Given names come from ``data/given_names.tsv.gz``, made by ``quotegraph train names`` from the
name data of the ``nomquamgender`` package (MIT; Van Buskirk et al., 2022: name-gender
probabilities from 36 sources): only names written at least 500 times whose gender is clear
(p ≤ 0.1 or ≥ 0.9). The article's own evidence (honorifics, "spokeswoman", the pronouns it
uses for a person) comes first; the name table only breaks the tie when the article is silent.
Nicknames ('Tom' for 'Thomas') come from the curated table of the ``nicknames`` package
(Apache-2.0).
"""

from __future__ import annotations

import re
from functools import lru_cache

from nicknames import NickNamer
from spacy.tokens import Doc, Token

from ..attribute.attribution import cue_after_name, is_outlet_text
from ..learned import store
from ..lexicon import (
    ANONYMOUS_NOUNS,
    DOCUMENT_NOUNS,
    FEMALE_WORDS,
    MALE_WORDS,
    NOT_ROLES,
    ORG_WORDS,
    ORGANIZATION_NOUNS,
    PARTICLES,
    PRONOUNS_PERSON,
    TITLE_CASE_LOWER,
    TITLE_WORDS,
    VENUE_WORDS,
)

GIVEN_NAMES_FILE = store.NAMES.packaged

# entity types of places and peoples: a name of two or three capitalised words with one of these
# is no person ('New Zealand', 'South Korean')
PLACE_TYPES = frozenset({"GPE", "NORP", "FAC", "LOC"})

# heads of phrases that describe a person: roles are only these, titles, and words of agency
ROLE_SUFFIXES = ("er", "or", "ist", "ian", "ant", "ent", "man", "woman", "person", "ee", "ive", "ary", "ess")


def _table(build_row):
    """The given-name table's rows (name, gender, share of women) made into a dict by ``build_row``; a
    missing or incompatible table raises ModelError."""
    def build(body: str, _meta: object) -> dict:
        rows = {}
        for line in body.split("\n"):
            cells = line.split("\t")
            if len(cells) == 3:
                rows[cells[0]] = build_row(cells)
        return rows

    return store.read_text(store.NAMES, None, build)


@lru_cache(maxsize=1)
def given_names() -> dict[str, str]:
    """Given name (lower case) → 'm' or 'f', read once per process."""
    return _table(lambda cells: cells[1])


@lru_cache(maxsize=1)
def _female_shares() -> dict[str, float]:
    return _table(lambda cells: float(cells[2]))


def female_share(name: str) -> float | None:
    """The share of a given name's bearers who are women (0.02 for 'david'), for the names the
    table holds (those whose gender is clear: at most 0.1 or at least 0.9)."""
    return _female_shares().get(name.lower().rstrip("."))


def gender_of_name(tokens: list[str]) -> str | None:
    """The usual gender of a full name's given name ('Sandra Haro' → 'f'), if clear."""
    if len(tokens) < 2:
        return None
    first = tokens[0].lower().rstrip(".")
    if len(first) < 2:
        return None
    return given_names().get(first)


def gender_of_words(words: list[str]) -> str | None:
    """'m' or 'f' from honorifics and gendered nouns among ``words`` ('Mrs.', 'spokeswoman')."""
    for w in words:
        w = w.lower().rstrip(".")
        if w in MALE_WORDS:
            return "m"
        if w in FEMALE_WORDS:
            return "f"
    return None


def name_bounds(doc: Doc, s: int, e: int) -> tuple[int, int]:
    """Token range of the name in the entity ``doc[s:e]``: without titles, a possessive, a
    reporting verb the recogniser took in ('Obama Says'), a leading adjective or preposition
    ('Derelict Obama', 'Beyond Trump'); with the particles before it ('von der Leyen')."""
    while e > s and (doc[e - 1].tag_ == "POS" or doc[e - 1].is_punct):
        e -= 1
    while e - 1 > s and doc[e - 1].is_alpha and (doc[e - 1].tag_ in ("VBZ", "VBD", "VBP") or cue_after_name(doc, e - 1)):
        e -= 1
    while s < e and (doc[s].lower_.rstrip(".") in TITLE_WORDS or doc[s].lower_ == "the" or doc[s].is_punct):
        s += 1
    while s + 1 < e and doc[s].pos_ in ("ADJ", "ADP", "ADV", "VERB") and doc[s].tag_ != "NNP":
        s += 1
    k = s  # 'Ursula von der Leyen': the particles before the name, and the given name before them
    while k >= 1 and doc[k - 1].is_lower and doc[k - 1].lower_ in PARTICLES:
        k -= 1
    if k < s and k >= 1 and doc[k - 1].pos_ == "PROPN" and doc[k - 1].text[:1].isupper():
        s = k - 1
    if s == k and e - s == 1 and s >= 1 and _given_name_before(doc[s - 1]):
        s -= 1  # 'Ana Gomez' where the recogniser tagged 'Gomez' alone
    return s, e


def _given_name_before(t: Token) -> bool:
    return t.pos_ == "PROPN" and t.is_title and t.is_alpha and not t.ent_type_ and len(t.text) >= 3 \
        and t.lower_ not in TITLE_WORDS and t.lower_ in given_names()


def is_person_name(doc: Doc, s: int, e: int) -> bool:
    """Whether the name ``doc[s:e]`` (a PERSON entity) is a person's: not a place or a firm the
    recogniser took for one ('The Rathcormac Inn', 'the Briar in Douglas', 'the Louvre')."""
    if e - s >= 2 and (doc[e - 1].lower_ in VENUE_WORDS or doc[e - 1].lower_ in ORG_WORDS):
        return False
    if e - s >= 2 and slogan(doc, [t.text for t in doc[s:e]]):
        return False
    k = s
    while k > 0 and doc[k - 1].pos_ == "PROPN":
        k -= 1
    if k > 0 and doc[k - 1].lower_ == "the" and gender_of_name([t.text for t in doc[s:e]]) is None:
        return False  # a person's name takes no article
    return True


def slogan(doc: Doc, words: list[str]) -> bool:
    """A slogan or a movement named like a person: a function word before a name ('Never Trump',
    'Not Hillary'), which is no given name or title."""
    first = words[0].lower() if len(words) >= 2 else ""
    return bool(first) and doc.vocab[first].is_stop and first not in given_names() and first.rstrip(".") not in TITLE_WORDS


def is_role(words: list[Token]) -> bool:
    """Whether a phrase describes a person ('the deputy attorney general', 'a spokeswoman for
    the agency'): not a time, a date, a section label or a common noun of things."""
    alpha = [t for t in words if t.is_alpha or (t.text.endswith(".") and t.text[:-1].isalpha())]  # 'Gov.', 'Sen.'
    if not alpha:
        return False
    if any(t.ent_type_ in ("DATE", "TIME", "CARDINAL", "PERCENT", "MONEY", "QUANTITY", "ORDINAL") for t in words):
        return False
    if all(t.is_upper for t in alpha):
        return False  # 'EDT', 'UPDATE'
    nouns = [t for t in alpha if t.pos_ in ("NOUN", "PROPN")]
    if not nouns:
        return False
    head = next((t for t in words if t.head.i == t.i or not any(w.i == t.head.i for w in words)), nouns[-1])
    if head.pos_ not in ("NOUN", "PROPN"):
        head = nouns[-1]
    low = head.lower_
    if low in NOT_ROLES or (head.tag_ in ("NNS", "NNPS") and low not in ANONYMOUS_NOUNS):
        return False
    if any(t.lower_.rstrip(".") in TITLE_WORDS for t in alpha) or head.lemma_.lower() in ANONYMOUS_NOUNS:
        return True
    return low.endswith(ROLE_SUFFIXES) or head.pos_ == "PROPN"


def speaker_kind(doc: Doc, head: Token | None, text: str) -> str:
    """person, organization, outlet, document, anonymous or unknown, from the mention alone."""
    if head is None:
        return "unknown"
    low = head.lower_
    if low in PRONOUNS_PERSON or low in ("i",):
        return "person"
    if is_outlet_text(text):
        return "outlet"
    words = text.split()
    if head.pos_ == "PROPN" and slogan(doc, words):
        return "organization"  # 'Never Trump said in a statement': a movement
    last = words[-1].lower().strip(".,") if words else ""
    if head.pos_ == "PROPN" and head.lower_.rstrip(".") not in TITLE_WORDS and (
            last in VENUE_WORDS or (text[:4].lower() == "the " and head.ent_type_ != "PERSON")):
        return "organization"  # 'The Rathcormac Inn', 'the Louvre'
    if head.pos_ == "PROPN" and len(words) >= 2 and not any(w.lower().strip(".,") in ORG_WORDS | VENUE_WORDS for w in words) and (
            gender_of_name([w for w in words if w[:1].isupper()]) is not None
            or (len(words) >= 3 and words[0][:1].isupper() and words[-1][:1].isupper() and all(w in PARTICLES for w in words[1:-1]))):
        return "person"  # a given name or a surname particle: 'Laurence des Cars', even where the recogniser says ORG
    if head.ent_type_ == "PERSON":
        return "person"
    lemma = head.lemma_.lower()
    if head.pos_ in ("NOUN",) and (lemma in DOCUMENT_NOUNS or low in DOCUMENT_NOUNS):
        return "document"
    if head.pos_ in ("NOUN", "PRON", "NUM") and (lemma in ANONYMOUS_NOUNS or low in ANONYMOUS_NOUNS):
        if not any(t.ent_type_ == "PERSON" and not _behind_preposition(t, head) for t in head.subtree):
            return "anonymous"  # 'a spokeswoman for Hillary Clinton' is not Hillary Clinton
    if head.ent_type_ not in PLACE_TYPES and head.pos_ == "PROPN" and 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words):
        if not any(w.lower().strip(".,") in ORG_WORDS for w in words) and not text.isupper():
            # the recogniser often takes an unfamiliar full name ('Bo Lind', a given name the
            # table does not hold) for an organisation or a work of art
            return "person"
    if head.ent_type_ in ("ORG", "GPE", "NORP", "FAC"):
        return "organization"
    if head.pos_ == "NOUN" and lemma in ORGANIZATION_NOUNS:
        return "organization"
    if head.pos_ == "NOUN" and head.tag_ == "NN" and low in TITLE_WORDS:
        return "person"  # 'the governor
    if head.pos_ == "PROPN":
        return "person" if head.ent_type_ in ("", "PERSON") and text[:1].isupper() and len(words) <= 4 else "organization"
    return "unknown"


def _behind_preposition(t: Token, head: Token) -> bool:
    """Whether ``t`` hangs from ``head`` through a preposition ('a spokeswoman *for* X')."""
    while t.i != head.i and t.head.i != t.i:
        if t.dep_ == "pobj":
            return True
        t = t.head
    return False


def title_cased_line(words: list[str]) -> bool:
    """A headline-like run of words ('FULL SPEECH: Governor Lindqvist Remarks at Harbour Trust
    Gala'): at least four longer words, nearly all capitalised."""
    long = [w for w in words if len(w) >= 4 and w[:1].isalpha()]
    # every longer word capitalised but the function words a title case leaves low ('spoke' is not one)
    return len(long) >= 4 and all(w[0].isupper() or w.lower() in TITLE_CASE_LOWER for w in long)



def first_names_alike(a: str, b: str) -> bool:
    """Two spellings of one given name, one a slip of the other ('Donand' for 'Donald'): one
    edit apart, five letters or more, and not two different names of the given-name table."""
    if a == b:
        return True
    if min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 1:
        return False
    table = given_names()
    if a in table and b in table:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=False)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


@lru_cache(maxsize=1)
def _nicknamer() -> NickNamer:
    return NickNamer()


def nickname_of(a: str, b: str) -> bool:
    """Whether one of two given names is a nickname of the other ('tom' and 'thomas', 'bill'
    and 'william'), by the curated table of the ``nicknames`` package, and the two are not
    names of different genders ('sam' and 'samantha' may be a husband and a wife)."""
    a, b = a.lower(), b.lower()
    if a == b or min(len(a), len(b)) < 2:
        return False
    nn = _nicknamer()
    if b not in nn.nicknames_of(a) and a not in nn.nicknames_of(b):
        return False
    table = given_names()
    ga, gb = table.get(a), table.get(b)
    return not (ga and gb and ga != gb)


def epithet_before_name(tokens: list[str]) -> bool:
    """'Crooked Hillary', 'Crooked Hillary Clinton': a first word that is no given name before one
    that is (the name may be the article's person, the first word an epithet)."""
    table = given_names()
    first = tokens[0] if tokens else ""
    return len(tokens) >= 2 and len(first) >= 3 and first.isalpha() and first[:1].isupper() \
        and first.lower() not in table and tokens[1].lower() in table  # not an initial ('T. Reed')


_WORD = re.compile(r"[a-z][a-z'\-]{1,20}")


def given_name_table(data: dict, min_count: int = 500, clear: float = 0.1) -> list[tuple[str, str, float]]:
    """(name, 'm'|'f', p(woman)) rows from nomquamgender's ``name_data`` ({name: [sources, count,
    p(gf), ...]})."""
    rows = []
    for name, v in data.items():
        if not _WORD.fullmatch(name) or len(v) < 3 or v[1] < min_count:
            continue
        p = float(v[2])
        if p <= clear:
            rows.append((name, "m", round(p, 3)))
        elif p >= 1 - clear:
            rows.append((name, "f", round(p, 3)))
    rows.sort()
    return rows
