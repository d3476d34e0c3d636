"""The act stage: what each record's source did, whether it happened, and which records the
output keeps (issue #23).

* :func:`assign_acts` sets every record's ``act`` (by the act model, ``learned.acts``) and its
  ``factuality`` (by :func:`factuality`: grammar, no word lists tuned to a corpus).
* :func:`keep_acts` keeps, with ``Options(acts="statements")`` (the default), the records a
  reader of "who said what" wants: a statement, asserted, from a source named in the text.
  ``acts="all"`` keeps PARC's full set (beliefs, intentions, knowledge; negated and
  hypothetical reports), as PolNeAR counts them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Token

from ..attribute.attribution import How
from ..attribute.records import detach_orphans
from ..learned.acts import ActModel, subject_of, verb_chain
from ..lexicon import MODAL_WORDS, NEGATIVE_SUBJECTS, REFUSAL_VERBS
from ..models import Acts, Kind
from ..models import is_reported_statement as reported_statement

if TYPE_CHECKING:  # the record types only
    from ..attribute.records import Prepared, Resolved

ACT_MODES: tuple[str, ...] = tuple(Acts)
# modals that leave a negated act in doubt ("might not say"); with the others a negation stands
# ("would not say" is a refusal, "will not support" a refusal to come)
DOUBTING_MODALS = frozenset("might may could can should must".split())
CONDITIONAL_MARKS = frozenset("if unless whether".split())


def _is_negation(k: Token) -> bool:
    """'not', 'n't', 'never' on a verb, but not the 'not' of 'not only said'."""
    if k.dep_ != "neg" and k.lower_ != "never":
        return False
    return not (k.i + 1 < len(k.doc) and k.doc[k.i + 1].lower_ == "only")


def _negated(cue: Token) -> bool:
    chain = verb_chain(cue)
    if any(_is_negation(k) for t in chain for k in t.children):
        return True
    if any(t.lemma_.lower() in REFUSAL_VERBS for t in chain[1:]):  # "declined to comment": the cue is "comment"
        return True
    if cue.lemma_.lower() in REFUSAL_VERBS and any(k.dep_ == "xcomp" for k in cue.children):  # ... or "declined"
        return True
    s = subject_of(cue)
    return s is not None and (s.lower_ in NEGATIVE_SUBJECTS
                              or any(k.dep_ in ("det", "preconj") and k.lower_ in ("no", "neither") for k in s.children))


def _modals(cue: Token) -> list[str]:
    """The modals of the cue's verb group, but for the two uses of "would" that report what
    happened: "would like" (a wish) and "would only say" (all that was said)."""
    out = []
    for t in verb_chain(cue):
        kids = list(t.children)
        for k in kids:
            if k.dep_ == "aux" and (k.tag_ == "MD" or k.lower_ in MODAL_WORDS):
                if k.lower_ in ("would", "'d") and (t.lemma_.lower() in ("like", "love")
                                                    or any(g.lower_ == "only" and g.dep_ == "advmod" for g in kids)):
                    continue
                out.append(k.lower_)
    return out


def _conditional(cue: Token) -> bool:
    """The cue's clause is a condition ("if asked, she would say", "unless he says")."""
    for t in verb_chain(cue):
        if t.dep_ in ("advcl", "csubj") and any(k.dep_ == "mark" and k.lower_ in CONDITIONAL_MARKS for k in t.children):
            return True
    return False


def factuality(cue: Token | None) -> str:
    """``negated`` ("did not say", "declined to comment", "nobody asked"), ``hypothetical``
    ("would say", "may think", "if she says"), else ``asserted``."""
    if cue is None:
        return "asserted"
    modals = _modals(cue)
    if _negated(cue):
        return "hypothetical" if any(m in DOUBTING_MODALS for m in modals) else "negated"
    if modals or _conditional(cue):
        return "hypothetical"
    return "asserted"


def assign_acts(p: Prepared, items: list[Resolved], model: ActModel) -> None:
    """Set each record's ``act`` and ``factuality`` from its cue (a record with no cue, a
    quotation on its own, is an asserted statement). A direct quotation gives its source's own
    words: it is a statement whatever verb frames it ('but he resents it: "We ..."'); whether
    it was said stays the cue's (``factuality``)."""
    del p  # the records carry their cue tokens
    for r in items:
        cue = r.cand.cue_token
        words = r.cand.kind == Kind.DIRECT and r.cand.how != How.NESTED
        r.act = model.act(cue) if cue is not None and not words else "statement"
        r.factuality = factuality(cue)


def is_reported_statement(r: Resolved) -> bool:
    """A statement, asserted, from a source named in the text: what the default output keeps."""
    return reported_statement(r.act, r.factuality, r.speaker is not None)


def keep_acts(items: list[Resolved], mode: str) -> list[Resolved]:
    """The records ``mode`` keeps (``statements``: :func:`is_reported_statement`; ``all``:
    every one); a kept record whose parent is dropped loses its parent."""
    if mode not in ACT_MODES:
        raise ValueError(f"acts must be one of {', '.join(ACT_MODES)}, not {mode!r}")
    if mode == Acts.ALL:
        return items
    return detach_orphans([r for r in items if is_reported_statement(r)])
