"""Locust users for bench/load_web.py: readers of the web app and API, and one client that posts
extractions throughout (POST /paste and /api/extract in turn, about one a second: under the
server's default rate limit of 60 a minute per client; every 20th post comes after a pause of
12 s, longer than the 10 s after which an idle worker thread retires, which used to take the
extraction worker with it: issue 21).

The URLs to visit come from the JSON file in $QG_LOAD_TARGETS (written by load_web.py from the
store); the run stops after $QG_LOAD_MAX_REQUESTS requests if the time limit has not come first.
"""

from __future__ import annotations

import json
import os
import random

from locust import HttpUser, between, events, task

TARGETS = json.load(open(os.environ["QG_LOAD_TARGETS"], encoding="utf-8"))
MAX_REQUESTS = int(os.environ.get("QG_LOAD_MAX_REQUESTS", "100000"))
PASTE = ("Council approves harbour plan\n\n"
         "\u201cWe will start work on the new quay in the spring,\u201d harbour master Ines Calder told the council "
         "on Tuesday, according to the minutes.\n\nCouncillor Olu Adeyemi said the cost had not been explained.\n")
_count = 0
_env = None


@events.init.add_listener
def _init(environment, **kw) -> None:
    global _env
    _env = environment


_reads: list[float] = []  # ms of every GET, written to $QG_LOAD_READS at the end (p99 of the reads alone)


@events.request.add_listener
def _bound(request_type: str = "", response_time: float = 0.0, **kw) -> None:
    """Stop the run at MAX_REQUESTS (the time limit, -t, bounds it too)."""
    global _count
    _count += 1
    if request_type == "GET":
        _reads.append(response_time)
    if _count == MAX_REQUESTS and _env is not None and _env.runner is not None:
        _env.runner.quit()


@events.quitting.add_listener
def _write_reads(**kw) -> None:
    if os.environ.get("QG_LOAD_READS"):
        with open(os.environ["QG_LOAD_READS"], "w", encoding="utf-8") as fh:
            json.dump(_reads, fh)


class Reader(HttpUser):
    wait_time = between(0.2, 1.0)

    @task(10)
    def article(self) -> None:
        self.client.get(random.choice(TARGETS["articles"]), name="article page")

    @task(6)
    def search(self) -> None:
        self.client.get(random.choice(TARGETS["searches"]), name="search page")

    @task(4)
    def person(self) -> None:
        self.client.get(random.choice(TARGETS["people"]), name="person page")

    @task(2)
    def quote(self) -> None:
        self.client.get(random.choice(TARGETS["quotes"]), name="quote page")

    @task(2)
    def sources(self) -> None:
        self.client.get("/sources", name="sources page")

    @task(4)
    def api(self) -> None:
        self.client.get(random.choice(TARGETS["api"]), name="API (articles, search, people)")


class Paster(HttpUser):
    fixed_count = 1  # one client, whatever --users says

    def wait_time(self) -> float:
        self._posts = getattr(self, "_posts", 0) + 1
        return 12.0 if self._posts % 20 == 0 else random.uniform(0.5, 1.5)

    @task
    def paste(self) -> None:
        if getattr(self, "_posts", 0) % 2:
            self.client.post("/paste", data={"text": PASTE, "action": "show"}, name="paste page (POST)")
        else:
            self.client.post("/api/extract", json={"text": PASTE}, name="API extract (POST)")
