"""Helpers of the web tests: a store built from the example article, the hand-written test
articles and hostile articles (markup in text, titles, names, links), an app over it, a live
server on 127.0.0.1 and (for the browser tests) Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from quotegraph.corpus import Store
from quotegraph.corpus.store import ItemMeta
from quotegraph.models import Addressee, Article, Cue, Entity, Paragraph, Quote, Speaker, Via

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
SEED = ROOT / "examples" / "seed-article.txt"
CHROMIUM = os.environ.get("QUOTEGRAPH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(os.environ.get("QUOTEGRAPH_TEST_ARTIFACTS", ROOT / "test-artifacts"))

HOSTILE_KEY = "hostile00000000000000000000000001"
EVIL = "window.__pwned = 'stored'"


def hostile_article() -> Article:
    """An article whose every rendered field carries markup: title, text, speaker names, entity
    names and roles, addressee, via, and (in its metadata) a javascript: URL and outlet."""
    title = f'<script>{EVIL}</script> Budget <img src=x onerror="{EVIL}"> row'
    quote = f'We will <script>{EVIL}</script> win <a href="javascript:{EVIL}">here</a>'
    speaker = f'Jo <img src=x onerror="{EVIL}"> Vex'
    text = (f"{title}\n\n\u201c{quote},\u201d {speaker} told <b onclick=\"{EVIL}\">the board</b>, "
            f"according to <svg onload=\"{EVIL}\">the memo</svg>.\n")
    q0 = text.index(quote)
    s0 = text.index(speaker)
    c0 = text.index("told")
    a = '<b onclick="' + EVIL + '">the board</b>'
    a0 = text.index(a)
    v = '<svg onload="' + EVIL + '">the memo</svg>'
    v0 = text.index(v)
    ent = Entity(id="e1", name=f'<script>{EVIL}</script>Jo Vex', kind="person",
                 aliases=[speaker], roles=[f'<img src=x onerror="{EVIL}">Treasurer'], mentions=[(s0, s0 + len(speaker))])
    q = Quote(id="q1", kind="direct", text=quote, span=(q0, q0 + len(quote)), spans=[(q0, q0 + len(quote))],
              cue=Cue(text="told", span=(c0, c0 + 4)),
              speaker=Speaker(text=speaker, span=(s0, s0 + len(speaker)), name=ent.name, entity="e1", kind="person"),
              addressee=Addressee(text=a, span=(a0, a0 + len(a))),
              via=[Via(text=v, span=(v0, v0 + len(v)), kind="document")], confidence=0.9)
    t_end = text.index("\n")
    return Article(id=HOSTILE_KEY, text=text, title=title, format="text",
                   paragraphs=[Paragraph(span=(0, t_end), role="title"), Paragraph(span=(t_end + 2, len(text) - 1))],
                   quotes=[q], entities=[ent])


def build_store(db: Path) -> Path:
    """The demo store (each article given an outlet and a date) and the hostile articles."""
    from quotegraph.web.server import build_demo, demo_inputs

    extra = sorted((HERE / "fixtures").glob("*.txt")) + sorted((HERE / "fixtures").glob("*.html"))
    build_demo(db, inputs=demo_inputs(ROOT) + extra, quiet=True)
    with Store(db) as st:
        st.add_article(ItemMeta(key=HOSTILE_KEY, source="hostile-stored", url=f"javascript:{EVIL}",
                                outlet=f'<img src=x onerror="{EVIL}">Evil Times', published="2019-05-01"),
                       hostile_article())
    return db


# Who gets quoted: an invented corpus whose counts per gender, type, outlet and month are known by hand
# Each article: (key, outlet, date, text, records). A record: (quote, speaker as written, entity
# name or None, speaker kind, source type, act).
DIVERSITY = [
    ("a1", "Valley Post", "2024-03-05",
     '"The levee will hold through spring," Maria Delgado said. "We have sandbags for every street," Delgado added. '
     '"The pumps are old," Tom Reyes said. "The budget was cut in secret," a senior official said.',
     [("The levee will hold through spring,", "Maria Delgado", "Maria Delgado", "person", "named_person", "statement"),
      ("We have sandbags for every street,", "Delgado", "Maria Delgado", "person", "named_person", "statement"),
      ("The pumps are old,", "Tom Reyes", "Tom Reyes", "person", "named_person", "statement"),
      ("The budget was cut in secret,", "a senior official", None, "unknown", "anonymous", "statement")]),
    ("a2", "Valley Post", "2024-04-10",
     '"Repairs start in May," Maria Delgado said. "Families were not warned," Ana Cruz said. '
     '"The pipeline is safe," Exxon said in a statement.',
     [("Repairs start in May,", "Maria Delgado", "Maria Delgado", "person", "named_person", "statement"),
      ("Families were not warned,", "Ana Cruz", "Ana Cruz", "person", "named_person", "statement"),
      ("The pipeline is safe,", "Exxon", "Exxon", "organization", "named_organization", "statement")]),
    ("a3", "Harbor Times", "2024-03-20",
     '"The harbour needs dredging," Tom Reyes said. "Ferries will run late," Lee Park said. '
     'Tom Reyes believes the council will delay the vote.',
     [("The harbour needs dredging,", "Tom Reyes", "Tom Reyes", "person", "named_person", "statement"),
      ("Ferries will run late,", "Lee Park", "Lee Park", "person", "named_person", "statement"),
      ("the council will delay the vote", "Tom Reyes", "Tom Reyes", "person", "named_person", "belief")]),
    ("a4", "Harbor Times", None,
     '"Nobody asked the fishermen," Ana Cruz said.',
     [("Nobody asked the fishermen,", "Ana Cruz", "Ana Cruz", "person", "named_person", "statement")]),
]
GENDERS = {"Maria Delgado": "female", "Ana Cruz": "female", "Tom Reyes": "male"}  # Lee Park stays unknown


def _article(text: str, records: list[tuple]) -> Article:
    names = list(dict.fromkeys(r[2] for r in records if r[2]))
    kinds = {r[2]: r[3] for r in records if r[2]}
    ents = [Entity(id=f"e{i}", name=n, kind=kinds[n]) for i, n in enumerate(names, 1)]
    ids = {n: f"e{i}" for i, n in enumerate(names, 1)}
    quotes = []
    for i, (content, said, name, kind, stype, act) in enumerate(records, 1):
        s = text.index(content)
        m = text.index(said, s + len(content)) if act == "statement" else text.index(said)
        sp = Speaker(text=said, span=(m, m + len(said)), name=name, entity=ids.get(name), kind=kind, type=stype)
        quotes.append(Quote(id=f"q{i}", kind="direct" if act == "statement" else "indirect", text=content,
                            span=(s, s + len(content)), spans=[(s, s + len(content))], speaker=sp, act=act,
                            confidence=0.9))
    return Article(id="x", text=text, quotes=quotes, entities=ents)


def build_diversity_store(db: Path) -> Path:
    """A store of ``DIVERSITY`` with the genders of ``GENDERS`` set (as a later ingest would)."""
    with Store(db) as st:
        for key, outlet, date, text, records in DIVERSITY:
            st.add_article(ItemMeta(key=key, source=f"{key}.txt", outlet=outlet, published=date),
                           _article(text, records))
    con = sqlite3.connect(db)
    with con:
        for name, gender in GENDERS.items():
            con.execute("UPDATE people SET gender=? WHERE name=?", (gender, name))
    con.close()
    return db


def quiet_app(store: Path):
    """The web app over ``store`` with its rate limit off (test_web_limits tests it)."""
    from quotegraph.web import Settings, create_app

    return create_app(store, settings=Settings(rate_limit=0))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    def __init__(self, app):
        import uvicorn

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)


def chromium_or_skip() -> str:
    """Debian's Chromium; in CI (CI=true) its absence is a failure, elsewhere a skip."""
    path = shutil.which(CHROMIUM) or (CHROMIUM if os.access(CHROMIUM, os.X_OK) else None)
    try:
        import playwright  # noqa: F401
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("the Python playwright package is missing in CI (pip install -e '.[test]')")
        pytest.skip("the Python playwright package is not installed (pip install -e '.[test]')")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"no Chromium at {CHROMIUM} in CI (make browser installs Debian's chromium)")
        pytest.skip(f"no Chromium at {CHROMIUM}: run `make browser` (apt-get install chromium) to run the browser tests")
    return path
