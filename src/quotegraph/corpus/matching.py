"""Where else the same words appeared: the stored quote a new one repeats, found by shared rare
word shingles (or the exact wording) and confirmed by aligning the word sequences.

A repeat is the same statement when enough of the shorter one's words are found in order in the
other; with changed words it is a *variant* only when long enough and not said by someone else.
"""

from __future__ import annotations

import math
import sqlite3
from collections import Counter

from . import textnorm as tn

# Matching parameters (see docs/benchmarks.md, "Corpus").
CONTAINMENT = 0.8  # share of the shorter quote's words that must be found, in order, in the other
VARIANT_CONTAINMENT = 0.85  # and a variant with changed words shares at least this much
MAX_CHANGED = 0.1  # share of the shorter quote's words that may differ (at least 1) in a variant
MIN_FUZZY_WORDS = 5  # shorter quotes only merge when contained and said by the same person
MIN_VARIANT_WORDS = 12  # shorter quotes with changed words are other statements, not variants
MAX_POSTINGS = 32  # a shingle in more quotes than this is a stock phrase: not used to find candidates
MIN_SHARED = 0.4  # a candidate shares at least this share of the new quote's informative shingles
MAX_CANDIDATES = 8


class QuoteMatcher:
    """Finds the stored quote a new one repeats, over one store's connection."""

    def __init__(self, con: sqlite3.Connection):
        self.con = con
        self._stock: set[int] = set()  # shingles seen in too many quotes to say which one this is

    def forget(self) -> None:
        """Drop what was learnt from the store (after a rollback undid some of it)."""
        self._stock.clear()

    def find(self, toks: list[str], sh: set[int], speaker_id: int | None, speaker_name: str | None, aid: int):
        """The stored quote this one repeats: (quote_id, Comparison) or None.

        Candidates share rare shingles (or the exact wording); each is confirmed by aligning the
        word sequences (``textnorm.compare``) against its wordings."""
        c = self.con
        wl = tn.words(toks)
        if not wl:
            return None
        counts: dict[int, int] = {}
        look = [h for h in sh if h not in self._stock]
        postings: dict[int, list[int]] = {}
        for i in range(0, len(look), 500):
            part = look[i : i + 500]
            for h, qid in c.execute(
                    f"SELECT h, quote_id FROM shingles WHERE h IN ({','.join('?' * len(part))})", part):
                postings.setdefault(h, []).append(qid)
        informative = len(look)
        for h, qids in postings.items():
            if len(qids) >= MAX_POSTINGS:
                # a stock phrase says nothing about which statement this is (a memo of the store's
                # content: postings only grow, so it does not depend on this process's history)
                self._stock.add(h)
                informative -= 1
                continue
            for qid in qids:
                counts[qid] = counts.get(qid, 0) + 1
        need = max(1, math.ceil(MIN_SHARED * informative))
        cands = [q for q, n in counts.items() if n >= need]
        exact = [q for (q,) in c.execute("SELECT id FROM quotes WHERE exact=? ORDER BY id LIMIT 20", (tn.exact_hash(toks),))]
        if not cands and not exact:
            return None
        top = sorted(set(cands), key=lambda q: (-counts[q], q))[:MAX_CANDIDATES]
        top = exact + [q for q in top if q not in exact]
        rows = {r[0]: r for r in c.execute(
            f"SELECT id, tokens, speaker_id, speaker_name, EXISTS(SELECT 1 FROM occurrences o WHERE o.quote_id=quotes.id AND o.article_id=?)"
            f" FROM quotes WHERE id IN ({','.join('?' * len(top))})", (aid, *top))}
        bag = Counter(wl)
        best = None
        for qid in top:
            _, canon, cand_speaker, cand_name, same_article = rows[qid]
            if same_article:
                continue  # this article already reports that statement: this is another one (or a part)
            forms = [canon]
            i = 0
            while i < len(forms):  # the first wording, then the others this statement was reported in
                other = forms[i].split(" ")
                i += 1
                ow = tn.words(other)
                shorter = min(len(wl), len(ow))
                if sum((bag & Counter(ow)).values()) < CONTAINMENT * shorter:
                    cmp = None  # not enough words in common for any alignment to pass
                else:
                    cmp = tn.compare(toks, other)
                    if cmp.shorter >= MIN_FUZZY_WORDS:
                        # changed words make a variant only when the speaker is not another one too
                        ok = cmp.containment >= CONTAINMENT and (cmp.changed_words == 0 or (
                            cmp.shorter >= MIN_VARIANT_WORDS and cmp.containment >= VARIANT_CONTAINMENT
                            and cmp.changed_words <= max(1, MAX_CHANGED * cmp.shorter)
                            and same_speaker(speaker_id, speaker_name, cand_speaker, cand_name) is not False))
                    else:  # short: identical or contained, and from the same (known) speaker
                        ok = (cmp.containment >= 1.0 and speaker_id is not None and speaker_id == cand_speaker
                              and cmp.shorter >= 2)
                    if ok:
                        if best is None or (cmp.containment, -cmp.changed_words, cmp.matched) > (
                                best[1].containment, -best[1].changed_words, best[1].matched):
                            best = (qid, cmp)
                        break
                if i == 1:
                    forms += [t for (t,) in c.execute(
                        "SELECT tokens FROM forms WHERE quote_id=? AND tokens!=? ORDER BY id LIMIT 6", (qid, canon))]
            if best is not None and best[1].containment >= 1.0 and not best[1].changed:
                break
        return best


def same_speaker(a_id, a_name, b_id, b_name) -> bool | None:
    """Whether two attributions name the same speaker; None when one of them names nobody.

    A bare surname (a person known only within its article) is the same as a full name ending
    with it: not a variant."""
    if a_id is not None and a_id == b_id:
        return True
    if not a_name or not b_name:
        return None if (a_id is None or b_id is None) else False
    ta, tb = tn.name_tokens(a_name), tn.name_tokens(b_name)
    if not ta or not tb:
        return None
    if len(ta) == 1 or len(tb) == 1:
        return ta[-1] == tb[-1]
    if a_id is not None and b_id is not None:
        return False
    return ta == tb
