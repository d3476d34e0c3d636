"""Rebuild a corpus store from the extractions another store kept (no model, no re-extraction):
after a change to linking or matching, or to time the writer alone.

    .venv/bin/python bench/relink.py OLD.db NEW.db [--limit N]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from quotegraph.corpus.store import ItemMeta, Store  # noqa: E402
from quotegraph.models import Article  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--commit-every", type=int, default=16)
    a = ap.parse_args()
    for suffix in ("", "-wal", "-shm"):
        Path(a.new + suffix).unlink(missing_ok=True)
    old = sqlite3.connect(f"file:{a.old}?mode=ro", uri=True)
    rows = old.execute("SELECT key, given_id, source, url, outlet, published, crawled, doc FROM articles ORDER BY id"
                       + (f" LIMIT {int(a.limit)}" if a.limit else ""))
    st = Store(a.new)
    n = parse = 0.0
    t0 = time.perf_counter()
    st.begin()
    for key, gid, src, url, outlet, pub, crawled, doc in rows:
        t = time.perf_counter()
        art = Article.model_validate_json(zlib.decompress(doc))
        parse += time.perf_counter() - t
        st.add_article(ItemMeta(key=key, source=src, given_id=gid, url=url, outlet=outlet, published=pub,
                                crawled=crawled), art)
        n += 1
        if n % a.commit_every == 0:
            st.commit()
            st.begin()
        if n % 2000 == 0:
            el = time.perf_counter() - t0
            print(f"{int(n)} articles, {1000 * (el - parse) / n:.2f} ms/article storing", flush=True)
    st.commit()
    el = time.perf_counter() - t0
    t = st.totals()
    st.close()
    print(f"{int(n)} articles in {el:.1f} s ({1000 * (el - parse) / max(n, 1):.2f} ms/article storing, "
          f"{1000 * parse / max(n, 1):.2f} ms/article parsing the kept JSON); "
          f"{t.quotes} quotes, {t.occurrences} occurrences, {t.people} people")


if __name__ == "__main__":
    main()
