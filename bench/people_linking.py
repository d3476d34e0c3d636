"""People across the corpus, measured on PolNeAR dev (issue 8): does every occurrence whose
speaker is written as one of the campaign's five principals end up on that person's one entry?

    .venv/bin/python bench/people_linking.py ../shared/datasets/polnear [--db STORE] [--reorder SEED]

Without ``--db`` the dev split is written as JSON Lines to a temporary folder (deleted at the
end; no corpus text is ever written inside the project), ingested with today's extractor into a
temporary store, and measured.  With ``--db STORE`` an existing store of that split is measured
(e.g. one rebuilt by ``bench/relink.py`` after a change to linking).  Only aggregates are printed.

Who a written form denotes (the measurement's own reading, independent of the extractor):
the full name (with middle names/initials, any case), the surname, a title + surname, or the
first name, of Donald Trump, Hillary Clinton, Barack Obama, Mike Pence or Tim Kaine; pronouns are
not counted.  A bare surname denotes the principal unless the nearest of the principal and the
surname's other bearers in that news (``OTHER_BEARERS``: Bill Clinton, Michelle Obama, Ivanka
Trump, Donald Trump Jr. ...) named in full before it is another bearer ("Bill Clinton ...
Clinton said"), or its title says so ("Mrs. Obama", "Mr. Clinton", "President Clinton" in 2016);
a bare first name unless the nearest full name with it is somebody else's (Donald Tusk).  The principal's entry is the person entry holding most of these occurrences.

A miss is counted as the article's own (in-article) when the extraction put the speaker on no
person entity, or on an entity whose full name is somebody else's (a headline word such as
"Derelict Obama", another bearer of the surname); otherwise it is cross-article linking's.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sqlite3
import sys
import tempfile
import zlib
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from quotegraph.corpus import Corpus, ingest  # noqa: E402
from quotegraph.corpus import textnorm as tn  # noqa: E402
from quotegraph.corpus.store import ItemMeta, Store  # noqa: E402
from quotegraph.evaluation.polnear import load_split  # noqa: E402
from quotegraph.models import Article  # noqa: E402

PRINCIPALS = {
    "Donald Trump": ("donald", "trump", {"donald trump", "donald j trump", "donald john trump"}),
    "Hillary Clinton": ("hillary", "clinton", {"hillary clinton", "hillary rodham clinton"}),
    "Barack Obama": ("barack", "obama", {"barack obama", "barack hussein obama"}),
    "Mike Pence": ("mike", "pence", {"mike pence", "michael pence", "michael richard pence"}),
    "Tim Kaine": ("tim", "kaine", {"tim kaine", "timothy kaine", "timothy michael kaine"}),
}
# the other people of these surnames in the 2016 news (a bare surname after one of them named in
# full is theirs): the measurement's own knowledge, not the store's
OTHER_BEARERS = {
    "clinton": ("bill", "chelsea"),
    "obama": ("michelle", "malia", "sasha"),
    "trump": ("melania", "ivanka", "eric", "ivana", "tiffany", "barron", "fred", "lara", "donald"),
    "pence": ("karen",),
    "kaine": ("anne",),
}
# titles that, before a bare surname, name another bearer (the 2016 campaign's)
OTHER_BY_TITLE = {
    "obama": {"mrs", "ms", "first lady"},
    "clinton": {"mr", "president", "former president"},
    "trump": {"mrs", "ms", "melania"},
}
# the principals' relatives, real people who share their names
LEGIT_OTHER = frozenset({"bill clinton", "chelsea clinton", "michelle obama", "ivanka trump", "melania trump",
                         "eric trump", "donald trump jr", "donald jr", "ivana trump", "tiffany trump", "barron trump",
                         "fred trump", "karen pence", "anne holton", "malia obama", "sasha obama"})
# and titles that name the principal ("Mrs. Clinton", "Mr. Obama", "Sen. Kaine")
SAME_BY_TITLE = {
    "clinton": {"mrs", "ms", "secretary"},
    "obama": {"mr", "president"},
    "trump": {"mr"},
    "pence": {"mr", "gov", "governor"},
    "kaine": {"mr", "sen", "senator"},
}
PRONOUNS = frozenset("i me my we us our he him his she her they them their it its you your".split())
_TITLE_BEFORE = re.compile(r"((?:former |first )?(?:[A-Z][a-z]+|Mrs|Mr|Ms))\.?\s+$")
_CAP = r"[A-Z][A-Za-z'\-]+"


def written_principal(text: str, span: tuple[int, int], written: str) -> str | None:
    """The principal a speaker mention as written denotes, or None."""
    toks = tn.name_tokens(written.replace("’s", "").replace("'s", ""))
    if not toks or (len(toks) == 1 and toks[0] in PRONOUNS):
        return None
    key = " ".join(toks)
    for name, (first, last, fulls) in PRINCIPALS.items():
        if key in fulls:
            return name
        if len(toks) != 1 or toks[0] not in (first, last):
            continue
        tok = toks[0]
        before = text[max(0, span[0] - 30) : span[0]]
        m = _TITLE_BEFORE.search(before)
        title = m.group(1).lower().rstrip(".") if m else None
        if title and tok == last and title in OTHER_BY_TITLE.get(last, ()):
            return None
        if title and tok == last and title in SAME_BY_TITLE.get(last, ()):
            return name
        if tok == last:
            # the nearest of the principal and the other bearers of the surname named in full before it
            firsts = [first, *OTHER_BEARERS.get(last, ())]
            pat = rf"\b({'|'.join(f.capitalize() for f in firsts)})(?:\s+[A-Z]\.|\s+{_CAP})??\s+{last.capitalize()}(\s+Jr\b)?"
            nearest = None
            for fm in re.finditer(pat, text[: span[0]]):
                nearest = fm
            if nearest is not None and (nearest.group(1).lower() != first or nearest.group(2)):
                return None
        else:
            # a first name: the nearest full name with that first name written before it
            nearest = None
            for fm in re.finditer(rf"\b{first.capitalize()}(?:\s+[A-Z]\.)?\s+({_CAP})\b", text[: span[0]]):
                nearest = fm
            if nearest is not None and nearest.group(1).lower() != last:
                return None
        return name
    return None


def build_store(polnear: str, db: Path, jobs: int) -> None:
    arts = load_split(polnear, "dev")
    with tempfile.TemporaryDirectory(prefix="qg-people-") as d:
        src = Path(d) / "dev.jsonl"
        with src.open("w", encoding="utf-8") as fh:
            for a in arts:
                fh.write(json.dumps({"id": a.name, "text": a.text}, ensure_ascii=False) + "\n")
        ingest([str(src)], str(db), jobs=jobs)


def reorder(src: Path, dst: Path, seed: int) -> None:
    """Rebuild a store from another one's stored extractions in another order (-1: reversed)."""
    old = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
    rows = old.execute("SELECT key, given_id, source, url, outlet, published, crawled, doc FROM articles"
                       " ORDER BY id").fetchall()
    old.close()
    if seed < 0:
        rows.reverse()
    else:
        random.Random(seed).shuffle(rows)
    with Store(dst) as st:
        for key, gid, src_, url, outlet, pub, crawled, doc in rows:
            st.add_article(ItemMeta(key=key, source=src_, given_id=gid, url=url, outlet=outlet, published=pub,
                                    crawled=crawled), Article.model_validate_json(zlib.decompress(doc)))


def measure(db: Path) -> dict:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    docs = {aid: Article.model_validate_json(zlib.decompress(doc))
            for aid, doc in con.execute("SELECT id, doc FROM articles")}
    people = {pid: (key, name, kind, scope) for pid, key, name, kind, scope in
              con.execute("SELECT id, key, name, kind, scope FROM people")}
    occ = con.execute("SELECT article_id, qid, speaker_text, start, speaker_id FROM occurrences").fetchall()
    rows = []  # (principal, article id, qid, speaker_id)
    for aid, qid, sp_text, _, sp_id in occ:
        art = docs[aid]
        q = next((x for x in art.quotes if x.id == qid), None)
        if q is None or q.speaker is None or not sp_text:
            continue
        who = written_principal(art.text, tuple(q.speaker.span), q.speaker.text)
        if who:
            rows.append((who, aid, q, sp_id))
    entry: dict[str, int] = {}
    for who in PRINCIPALS:
        fulls = PRINCIPALS[who][2]
        cnt = Counter(sp for w, _, _, sp in rows if w == who and sp is not None
                      and tn.name_key(people[sp][1]) in fulls)
        if cnt:
            entry[who] = cnt.most_common(1)[0][0]
        else:  # quoted by no written form: the entry of the full name, if any
            keyed = [pid for pid, (key, _, kind, _) in people.items() if kind == "person" and key[2:] in fulls]
            if keyed:
                entry[who] = min(keyed)
    per = {}
    misses = Counter()
    rescued = Counter()  # on the entry although the article put the speaker on no person entity
    for who in PRINCIPALS:
        mine = [r for r in rows if r[0] == who]
        ok = sum(1 for r in mine if entry.get(who) is not None and r[3] == entry[who])
        per[who] = (ok, len(mine))
        first, last, fulls = PRINCIPALS[who]
        for _, aid, q, sp in mine:
            art = docs[aid]
            ent = next((e for e in art.entities if e.id == q.speaker.entity), None) if q.speaker.entity else None
            if entry.get(who) is not None and sp == entry[who]:
                if ent is None or ent.kind != "person":
                    rescued[ent.kind if ent else q.speaker.kind] += 1
                continue
            if ent is None or ent.kind != "person":
                misses["article: speaker on no person entity (kind %s)" % (ent.kind if ent else q.speaker.kind)] += 1
            elif len(tn.name_tokens(ent.name)) > 1 and tn.name_key(ent.name) not in fulls:
                if tn.name_key(ent.name) in LEGIT_OTHER:
                    misses["article: speaker on another person's entity"] += 1
                else:
                    misses["article: speaker on an entity made of headline words"] += 1
            else:
                misses["linking: entity %s, stored on another entry" % (
                    "full name" if len(tn.name_tokens(ent.name)) > 1 else "short name")] += 1
    # person entries that are headline words or stray surnames of the principals
    stray = []
    legit_other = LEGIT_OTHER
    tokens = {t for f, l, _ in PRINCIPALS.values() for t in (f, l)}
    n_occ = Counter(sp for (sp,) in con.execute("SELECT speaker_id FROM occurrences WHERE speaker_id IS NOT NULL"))
    for pid, (_key, name, kind, _scope) in people.items():
        if kind != "person" or pid in entry.values():
            continue
        toks = tn.name_tokens(name)
        if not set(toks) & tokens:
            continue
        k = " ".join(toks)
        surnames = {l for _, l, _ in PRINCIPALS.values()}
        firsts = {f for f, _, _ in PRINCIPALS.values()}
        if any(k in f for _, _, f in PRINCIPALS.values()):
            stray.append((name, n_occ[pid], "duplicate of a principal"))
        elif len(toks) == 1:
            stray.append((name, n_occ[pid], "stray surname/first name"))
        elif k not in legit_other and (toks[-1] in surnames or toks[0] in surnames
                                       or toks[-1] in firsts or (len(toks) > 2 and toks[0] in firsts)):
            stray.append((name, n_occ[pid], "headline words"))
        # else: another person who shares a first name (Donald Tusk)
    single_global = con.execute(
        "SELECT count(*) FROM people p WHERE p.kind='person' AND instr(p.key, ' ')=0 AND EXISTS ("
        " SELECT 1 FROM people f WHERE f.kind='person' AND f.scope IS NULL AND f.key LIKE '% ' ||"
        " replace(replace(p.key, 'p:', ''), substr(p.key, instr(p.key, '@')), ''))").fetchone()[0]
    answers = {}
    with Corpus(db) as c:
        for q in ("Trump", "Hillary", "Obama", "Clinton", "Pence", "Kaine", "Donald Trump", "Mr. Trump"):
            try:
                p = c.person(q)
                answers[q] = (p["name"], p["quotes"], [o["name"] for o in p.get("others", [])][:3])
            except LookupError as e:
                answers[q] = (None, 0, [str(e)[:60]])
    con.close()
    total_ok = sum(a for a, _ in per.values())
    total = sum(b for _, b in per.values())
    return {"per": per, "ok": total_ok, "total": total, "misses": misses, "rescued": rescued, "stray": stray,
            "single_token_people_sharing_a_full_names_surname": single_global, "answers": answers,
            "entries": {w: people[e][1] for w, e in entry.items()}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("polnear")
    ap.add_argument("--db", help="an existing store of the dev split (default: build one)")
    ap.add_argument("--jobs", type=int, default=0)
    ap.add_argument("--json", help="write the aggregates here")
    ap.add_argument("--names", action="store_true", help="also print the names of the stray entries")
    ap.add_argument("--reorder", type=int, metavar="SEED",
                    help="measure the store rebuilt with its articles shuffled by SEED (-1: reversed)")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="qg-people-db-") as d:
        db = Path(a.db) if a.db else Path(d) / "dev.db"
        if not a.db:
            build_store(a.polnear, db, a.jobs)
        if a.reorder is not None:
            reordered = Path(d) / "reordered.db"
            reorder(db, reordered, a.reorder)
            db = reordered
        r = measure(db)
    print(f"principal occurrences on the principal's one entry: {r['ok']}/{r['total']}"
          f" = {100 * r['ok'] / max(1, r['total']):.1f}%")
    for who, (ok, n) in r["per"].items():
        print(f"  {who:16} {ok:4}/{n:<4} {100 * ok / max(1, n):5.1f}%   entry: {r['entries'].get(who)}")
    print(f"misses: {sum(r['misses'].values())}")
    for k, v in sorted(r["misses"].items(), key=lambda kv: -kv[1]):
        print(f"  {v:4}  {k}")
    print("hits the article's entities put on no person (the store linked them):",
          ", ".join(f"{n} {k}" for k, n in sorted(r["rescued"].items())) or "none")
    print(f"person entries that are headline words or stray surnames of the principals: {len(r['stray'])}")
    by = defaultdict(int)
    for _, _, why in r["stray"]:
        by[why] += 1
    for why, n in sorted(by.items()):
        print(f"  {n:4}  {why}")
    if a.names:
        for name, n, why in sorted(r["stray"]):
            print(f"        {name} ({why}, {n} quotes)")
    print("single-token person entries whose token is a full-name person's surname (any name):",
          r["single_token_people_sharing_a_full_names_surname"])
    for q, (name, n, others) in r["answers"].items():
        print(f"  person {q!r:16} -> {name} ({n} quotes)" + (f"; others: {', '.join(others)}" if others else ""))
    if a.json:
        Path(a.json).write_text(json.dumps({k: (dict(v) if isinstance(v, Counter) else v) for k, v in r.items()},
                                           indent=1, default=list))


if __name__ == "__main__":
    main()
