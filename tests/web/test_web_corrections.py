"""The person page's corrections and their JSON API (issue 25): merge, split, rename, gender;
POST only, behind the API token when the server has one, refused from another site."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from quotegraph.corpus import Corpus, Store, snapshot
from quotegraph.corpus.store import ItemMeta
from quotegraph.models import Article, Entity, Quote, Speaker
from quotegraph.web import Settings, create_app

SAID = [  # (article key, text, quote, the speaker's name as written, roles)
    ("w1", 'Ines Varga opened the bridge. "It carries four lanes," said Ines Varga.', "It carries four lanes,",
     "Ines Varga", ["engineer"]),
    ("w2", '"The cables were tested twice," Agnes Varga told the council.', "The cables were tested twice,",
     "Agnes Varga", []),
    ("w3", 'Tomas Reed, the mayor, was there. "A fine day," said Tomas Reed.', "A fine day,", "Tomas Reed", ["mayor"]),
]


def article(text: str, quote: str, name: str, roles: list[str]) -> Article:
    q0 = text.index(quote)
    n0 = text.index(name, q0)
    ent = Entity(id="e1", name=name, kind="person", roles=roles, mentions=[(n0, n0 + len(name))])
    sp = Speaker(text=name, span=(n0, n0 + len(name)), name=name, entity="e1", kind="person")
    return Article(id="x", text=text, entities=[ent], quotes=[
        Quote(id="q1", kind="direct", text=quote, span=(q0, q0 + len(quote)), spans=[(q0, q0 + len(quote))],
              speaker=sp, confidence=0.9)])


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "c.db"
    with Store(path) as s:
        for key, text, quote, name, roles in SAID:
            s.add_article(ItemMeta(key=key, source=f"{key}.txt"), article(text, quote, name, roles))
    return path


def pid(db: Path, name: str) -> int:
    with Corpus(db) as c:
        return c.person(name)["id"]


def client(db: Path, token: str | None = None) -> TestClient:
    return TestClient(create_app(db, settings=Settings(rate_limit=0, api_token=token)))


def test_the_person_page_merges_renames_sets_gender_and_splits(db):
    ines, agnes = pid(db, "Ines Varga"), pid(db, "Agnes Varga")
    with client(db) as c:
        page = c.get(f"/people/{ines}").text
        for action in ("merge", "rename", "gender", "split"):
            assert f'action="/people/{ines}/{action}" method="post"' in page
        r = c.post(f"/people/{agnes}/merge", data={"other": "Ines Varga", "direction": "into"}, follow_redirects=False)
        assert (r.status_code, r.headers["location"]) == (303, f"/people/{ines}")
        page = c.get(f"/people/{ines}").text
        assert "The cables were tested twice" in page and "It carries four lanes" in page
        assert c.get(f"/people/{agnes}").status_code == 404
        r = c.post(f"/people/{ines}/rename", data={"name": "Ines Agnes Varga"})
        assert r.status_code == 200 and "<h1>Ines Agnes Varga" in r.text  # followed to the page
        r = c.post(f"/people/{ines}/gender", data={"gender": "female"})
        assert "now: female (by correction)" in r.text
        r = c.post(f"/people/{ines}/split", data={"alias": "Agnes Varga", "into": "Agnes Varga"}, follow_redirects=False)
        assert r.status_code == 303
        back = int(r.headers["location"].rsplit("/", 1)[1])
        assert back != ines and "The cables were tested twice" in c.get(f"/people/{back}").text
        log = c.get("/api/corrections").json()
    assert [x["op"] for x in log] == ["merge", "rename", "set-gender", "split"]
    assert log[0]["args"] == {"into": "p:ines varga", "name": "Ines Varga", "others": ["p:agnes varga"]}


def test_a_correction_that_cannot_be_made_says_why_and_changes_nothing(db):
    ines = pid(db, "Ines Varga")
    before = snapshot(db)
    with client(db) as c:
        r = c.post(f"/people/{ines}/rename", data={"name": "Tomas Reed"})
        assert r.status_code == 400 and "is the name of another person" in r.text
        r = c.post(f"/people/{ines}/merge", data={"other": "Varga"})
        assert r.status_code == 400 and "&#39;Varga&#39; fits 2 people" in r.text
        r = c.post(f"/people/{ines}/merge", data={"other": "Nobody Known"})
        assert r.status_code == 404 and "no person named" in r.text
        r = c.post(f"/people/{ines}/gender", data={"gender": "robot"})
        assert r.status_code == 400 and "female, male, unknown" in r.text
        assert c.get("/api/corrections").json() == []
    assert snapshot(db) == before


def test_the_json_api(db):
    ines, reed = pid(db, "Ines Varga"), pid(db, "Tomas Reed")
    with client(db) as c:
        r = c.post(f"/api/people/{reed}/gender", json={"gender": "male"})
        assert r.status_code == 200 and r.json()["key"] == "p:tomas reed" and r.json()["op"] == "set-gender"
        r = c.post(f"/api/people/{ines}/merge", json={"others": ["Agnes Varga"]})
        assert r.status_code == 200 and r.json()["id"] == ines
        assert c.get(f"/api/people/{ines}/quotes").json()["total"] == 2
        r = c.post(f"/api/people/{ines}/rename", json={"name": "Tomas Reed"})
        assert r.status_code == 400 and "another person" in r.json()["detail"]
        assert c.post("/api/people/99999/rename", json={"name": "X Y"}).status_code == 404
        r = c.post(f"/api/people/{ines}/rename", data={"name": "X Y"})  # a form, not JSON
        assert r.status_code == 415
        r = c.post(f"/api/people/{ines}/split", json={"articles": ["w1"]})
        assert r.status_code == 400 and "--into" in r.json()["detail"]
        assert [x["op"] for x in c.get("/api/corrections").json()] == ["set-gender", "merge"]


def test_corrections_need_the_token_when_the_server_has_one(db):
    """A server listening beyond loopback must have an API token (server.check_exposure): every
    correction, form or API, is refused without it."""
    from quotegraph.web.server import check_exposure

    with pytest.raises(RuntimeError, match="API token"):
        check_exposure("0.0.0.0", None)
    ines = pid(db, "Ines Varga")
    before = snapshot(db)
    with client(db, token="s3cret") as c:
        assert c.get(f"/people/{ines}").status_code == 200  # reading needs no token
        r = c.post(f"/people/{ines}/rename", data={"name": "Someone Else"})
        assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Basic")
        r = c.post(f"/api/people/{ines}/gender", json={"gender": "female"})
        assert r.status_code == 401
        r = c.post(f"/api/people/{ines}/gender", json={"gender": "female"}, headers={"Authorization": "Bearer wrong"})
        assert r.status_code == 401
        assert snapshot(db) == before and c.get("/api/corrections").json() == []
        r = c.post(f"/people/{ines}/rename", data={"name": "Someone Else"}, auth=("me", "s3cret"))
        assert r.status_code == 200 and "<h1>Someone Else" in r.text


def test_a_form_posted_from_another_site_is_refused(db):
    ines = pid(db, "Ines Varga")
    before = snapshot(db)
    with client(db) as c:
        for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}, {"Origin": "null"}):
            r = c.post(f"/people/{ines}/rename", data={"name": "Pwned Name"}, headers=headers)
            assert r.status_code == 403 and "own pages" in r.text
            r = c.post(f"/api/people/{ines}/rename", json={"name": "Pwned Name"}, headers=headers)
            assert r.status_code == 403
        assert c.get(f"/people/{ines}/rename").status_code in (404, 405)  # POST only
        r = c.post(f"/people/{ines}/rename", data={"name": "Ines V. Varga"},
                   headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"})
        assert r.status_code == 200
    assert snapshot(db) != before
