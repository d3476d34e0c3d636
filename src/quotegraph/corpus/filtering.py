"""Which records a list shows: the one filter of the CLI's ``search``, ``person`` and ``export``,
the web pages and the JSON API (issue 25, "filters everywhere").

    from quotegraph.corpus.filtering import QuoteFilter
    f = QuoteFilter.parse(kind="direct", gender="female", type="named_person", since="2024-01-01")
    with Corpus("quotegraph.db") as c:
        hits = c.search("levee", where=f)

Every value is read as typed (a string, or None for "not asked"): ``parse`` checks it and raises a
``FilterError`` (a ``ValueError``) of one line that names the input and says what is allowed.
Several values of ``kind``, ``gender``, ``type`` and act names are given comma-separated
(``kind=direct,mixed``).  ``conditions`` gives the SQL on occurrences (``o``), every value bound;
``passes`` asks the same of a record of an article that is not in a store (the article page).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any, get_args

from ..models import Act, Acts, Quote, QuoteKind, SourceType, is_reported_statement
from .persons import person_ids
from .query import STATEMENTS_SQL, check_confidence, date_bound, like_pattern, search_key

KINDS: tuple[str, ...] = get_args(QuoteKind)
ACT_NAMES: tuple[str, ...] = get_args(Act)
ACT_CHOICES: tuple[str, ...] = (*tuple(Acts), *ACT_NAMES)


def list_pattern(allowed: tuple[str, ...]) -> str:
    """A regular expression of a comma-separated list of ``allowed`` (or nothing): the API's schema
    says what a parameter takes, so a value outside it is refused by its validation."""
    one = r"\s*(?:" + "|".join(allowed) + r")\s*"
    return f"^(?:{one}(?:,{one})*)?$"


# the acts a filter takes: statements or all alone, or act names
ACTS_PATTERN = (r"^\s*(?:" + "|".join(tuple(Acts)) + r")\s*$|" + list_pattern(ACT_NAMES))
GENDERS: tuple[str, ...] = ("female", "male", "unknown")
SOURCE_TYPES: tuple[str, ...] = get_args(SourceType)
MAX_TEXT = 200  # characters of a speaker or outlet asked for


class FilterError(ValueError):
    """A filter value that cannot be read; the message is one line naming the input."""


def _choices(name: str, raw: str | None, allowed: tuple[str, ...]) -> tuple[str, ...]:
    """The comma-separated values of ``raw``, each one of ``allowed`` (else a FilterError)."""
    if raw is None or not str(raw).strip():
        return ()
    values = tuple(dict.fromkeys(v.strip().lower() for v in str(raw).split(",") if v.strip()))
    bad = [v for v in values if v not in allowed]
    if bad:
        raise FilterError(f"{name} must be one of {', '.join(allowed)} (several: comma-separated; got {bad[0]!r})")
    return values


def _text(name: str, raw: str | None) -> str | None:
    if raw is None or not str(raw).strip():
        return None
    value = str(raw).strip()
    if len(value) > MAX_TEXT:
        raise FilterError(f"{name} is too long ({len(value):,} characters; at most {MAX_TEXT})")
    return value


def _date(name: str, raw: str | None, upper: bool = False) -> str | None:
    try:
        return date_bound(_text(name, raw), upper=upper)
    except ValueError:
        raise FilterError(f"{name}: cannot read the date {raw!r} (use YYYY-MM-DD)") from None


def _confidence(raw: str | float | None) -> float | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = float(raw) if isinstance(raw, str) else raw
        return check_confidence(value)
    except ValueError:
        raise FilterError(f"min_confidence must be a number from 0 to 1 (got {raw!r})") from None


@dataclass(frozen=True)
class QuoteFilter:
    """What a list of records shows: the speaker (name, alias or surname), the outlet (part of its
    name), the date range (``since``/``until`` as typed; ``lo``/``hi`` the bounds compared), the
    kinds, the acts (``statements``, ``all``, or act names), the speaker's gender, the source types
    and the lowest confidence.  Empty means "any"."""

    speaker: str | None = None
    outlet: str | None = None
    since: str | None = None
    until: str | None = None
    kinds: tuple[str, ...] = ()
    acts: str = "statements"
    genders: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    min_confidence: float | None = None
    lo: str | None = field(default=None, compare=False, repr=False)
    hi: str | None = field(default=None, compare=False, repr=False)

    @classmethod
    def parse(cls, *, speaker: str | None = None, outlet: str | None = None, since: str | None = None,
              until: str | None = None, kind: str | None = None, acts: str | None = None, gender: str | None = None,
              type: str | None = None, min_confidence: str | float | None = None,
              default_acts: str = "statements", empty_range: bool = False) -> QuoteFilter:
        """The filter for these values as typed (None or '': not asked); a FilterError for the first
        value that cannot be read, and for ``since`` after ``until`` unless ``empty_range`` (the
        API's: a range that holds no day is a question whose answer is nothing)."""
        act_values = _choices("acts", acts, ACT_CHOICES) or (default_acts,)
        if len(act_values) > 1 and set(act_values) & set(Acts):
            raise FilterError(f"acts must be one of {', '.join(ACT_CHOICES)}: statements or all alone, "
                              f"or act names (got {acts!r})")
        lo, hi = _date("since", since), _date("until", until, upper=True)
        if lo and hi and lo > hi and not empty_range:
            raise FilterError(f"since ({since}) is after until ({until})")
        speaker_text, outlet_text = _text("speaker", speaker), _text("outlet", outlet)
        return cls(speaker=search_key(speaker_text) if speaker_text else None,
                   outlet=search_key(outlet_text) if outlet_text else None,
                   since=(since or "").strip() or None, until=(until or "").strip() or None,
                   kinds=_choices("kind", kind, KINDS), acts=",".join(act_values),
                   genders=_choices("gender", gender, GENDERS), types=_choices("type", type, SOURCE_TYPES),
                   min_confidence=_confidence(min_confidence), lo=lo, hi=hi)

    # ------------------------------------------------------------------ in a store

    def conditions(self, con: sqlite3.Connection | None = None) -> tuple[list[str], list[Any], list[int]]:
        """SQL conditions on occurrences (``o``), their arguments, and the ids of the people the
        speaker filter found (a speaker nobody is called: the speaker as written, ``LIKE``)."""
        where: list[str] = []
        args: list[Any] = []
        speaker_ids: list[int] = []
        if self.speaker:
            speaker_ids = person_ids(con, self.speaker) if con is not None else []
            if speaker_ids:
                where.append(f"o.speaker_id IN ({','.join('?' * len(speaker_ids))})")
                args.extend(speaker_ids)
            else:
                where.append("o.speaker_name LIKE ? ESCAPE '\\'")
                args.append(like_pattern(self.speaker))
        if self.outlet:
            where.append("o.outlet LIKE ? ESCAPE '\\'")
            args.append(like_pattern(self.outlet))
        if self.lo:
            where.append("o.published >= ?")
            args.append(self.lo)
        if self.hi:
            where.append("o.published <= ?")
            args.append(self.hi)
        for column, values in (("o.kind", self.kinds), ("o.source_type", self.types)):
            if values:
                where.append(f"{column} IN ({','.join('?' * len(values))})")
                args.extend(values)
        if self.acts == Acts.STATEMENTS:
            where.append(STATEMENTS_SQL)
        elif self.acts != Acts.ALL:
            names = self.acts.split(",")
            where.append(f"o.act IN ({','.join('?' * len(names))})")
            args.extend(names)
        if self.genders:  # the gender of the person the record's speaker is linked to
            where.append("o.speaker_id IN (SELECT id FROM people WHERE kind='person' AND gender IN"
                         f" ({','.join('?' * len(self.genders))}))")
            args.extend(self.genders)
        if self.min_confidence is not None:
            where.append("o.confidence >= ?")
            args.append(self.min_confidence)
        return where, args, speaker_ids

    # ------------------------------------------------------------------ in one article

    def passes(self, quote: Quote) -> bool:
        """Whether a record of an article passes the filters that a record alone can answer: kind,
        acts, source type and lowest confidence (speaker, outlet, dates and gender need a store)."""
        if self.kinds and quote.kind not in self.kinds:
            return False
        if self.types and (quote.speaker is None or quote.speaker.type not in self.types):
            return False
        if self.acts == Acts.STATEMENTS and not is_reported_statement(quote.act, quote.factuality,
                                                                      quote.speaker is not None):
            return False
        if self.acts not in (Acts.STATEMENTS, Acts.ALL) and quote.act not in self.acts.split(","):
            return False
        return self.min_confidence is None or quote.confidence >= self.min_confidence

    # ------------------------------------------------------------------ as asked

    def params(self) -> dict[str, str]:
        """The filter as query parameters (``kind, acts, speaker, outlet, since, until, gender,
        type, min_confidence``), the asked ones only: for links to the same list."""
        out = {"speaker": self.speaker, "outlet": self.outlet, "since": self.since, "until": self.until,
               "kind": ",".join(self.kinds), "acts": self.acts if self.acts != Acts.STATEMENTS else None,
               "gender": ",".join(self.genders), "type": ",".join(self.types),
               "min_confidence": None if self.min_confidence is None else f"{self.min_confidence:g}"}
        return {k: v for k, v in out.items() if v}

    def describe(self, default_acts: str = "statements") -> str:
        """The filter in words, for a heading ("kind direct · gender female"); '' when nothing is asked."""
        p = self.params()
        if self.acts == default_acts:
            p.pop("acts", None)
        elif self.acts == Acts.STATEMENTS:
            p["acts"] = "statements"
        return " · ".join(f"{k.replace('_', ' ')} {v}" for k, v in p.items())

    @property
    def asked(self) -> bool:
        return self != QuoteFilter(acts=self.acts) or self.acts != Acts.STATEMENTS



FILTER_PARAMS: tuple[str, ...] = ("kind", "acts", "speaker", "outlet", "since", "until", "gender", "type",
                                  "min_confidence")
