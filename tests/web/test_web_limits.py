"""Issue 21, the server's part: the extraction worker outlives the thread that started it and
dies with the server; an extraction has a time limit and stops when its client goes away;
SIGTERM stops the server promptly; validation errors, oversized chunked bodies, the rate limit
and the API token. Each repro at a small size."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import anyio
import httpx
import pytest
from fastapi.testclient import TestClient
from web_support import ROOT, LiveServer, free_port

from quotegraph.web import Settings, create_app
from quotegraph.web.limits import MAX_ERROR_BYTES, RateLimiter
from quotegraph.web.server import check_exposure, is_loopback
from quotegraph.web.state import ExtractService

QUOTEGRAPH = str(Path(sys.executable).parent / "quotegraph")
TEXT = "\u201cWe will rebuild the bridge,\u201d Mayor Ana Ruiz said on Monday.\n"


def wait_until(cond, seconds: float = 30.0, what: str = "condition") -> None:
    deadline = time.monotonic() + seconds
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {seconds} s")
        time.sleep(0.05)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead too
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


# -- item 3: the worker's life ----------------------------------------------------------------

def test_worker_outlives_the_thread_that_started_it():
    """PR_SET_PDEATHSIG kills a child when the *thread* that started it exits; the server starts
    its worker from pool threads that retire when idle, so the worker must not depend on one."""
    svc = ExtractService(Settings())
    started = []

    def first_request() -> None:  # as an anyio worker thread does: start the worker, extract, retire
        w = svc.worker()
        w.call(TEXT, "first", None)
        started.append(w)

    t = threading.Thread(target=first_request)
    t.start()
    t.join(180)
    worker = started[0]
    try:
        time.sleep(1.5)  # a worker tied to the thread dies at once when it exits
        assert worker.alive()
        # in a thread of its own: the browser tests' Playwright keeps an event loop in this one
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            art = pool.submit(anyio.run, svc.extract, TEXT).result(300)
        assert art.quotes[0].speaker.name.endswith("Ana Ruiz")
        assert svc.worker() is worker and worker.alive()  # the same process did it
    finally:
        svc.shutdown()
    assert not worker.alive()


def test_the_worker_extracts_at_a_lower_cpu_priority_than_the_server():
    from quotegraph.web.extract_worker import NICENESS, WorkerProcess

    w = WorkerProcess()
    try:
        assert w.call(TEXT, "x", None).quotes  # started and extracted
        assert os.getpriority(os.PRIO_PROCESS, w.pid) == min(19, os.getpriority(os.PRIO_PROCESS, 0) + NICENESS)
    finally:
        w.reap()


def test_worker_dies_with_the_server_even_on_sigkill(tmp_path):
    code = ("import os, sys\n"
            "from quotegraph.web.extract_worker import WorkerProcess\n"
            "w = WorkerProcess()\n"
            f"w.call({TEXT!r}, 'x', None)\n"
            "print(w.pid, flush=True)\n"
            "os._exit(0)\n")  # no atexit, no cleanup: as if killed
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=180,
                         env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)))
    pid = int(out.stdout.split()[0])
    wait_until(lambda: not pid_alive(pid), 15, "the orphaned worker exits")


def test_extraction_past_the_time_limit_gets_503_and_a_new_worker(store):
    settings = Settings(extract_timeout=0.01)  # less than the worker takes to start
    app = create_app(store, settings=settings)
    svc = app.state.extract
    with TestClient(app) as c:
        r = c.post("/api/extract", json={"text": TEXT})
        assert r.status_code == 503
        assert "more than 0.01 s" in r.json()["detail"] and "limit" in r.json()["detail"]
        assert svc._worker is None and svc.waiting == 0
        r = c.post("/paste", data={"text": TEXT})
        assert r.status_code == 503 and "more than 0.01 s" in r.text
        settings.extract_timeout = 120
        first = svc.worker()
        first.kill()  # a worker that died while idle is replaced, not reported as busy
        wait_until(lambda: not first.alive(), 10, "the killed worker exits")
        r = c.post("/api/extract", json={"text": TEXT})
        assert r.status_code == 200, r.text
        assert svc._worker is not first and svc._worker.alive()


def test_an_app_stopped_and_served_again_extracts_again(store):
    app = create_app(store)
    svc = app.state.extract
    with TestClient(app):
        pass
    with pytest.raises(Exception, match="stopping"):
        svc.worker()  # stopped: no new worker
    with TestClient(app) as c:
        assert c.post("/api/extract", json={"text": TEXT}).status_code == 200


def _raw_post(port: int, body: bytes) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"POST /api/extract HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
              b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    return s


def test_a_client_that_goes_away_leaves_the_queue_and_frees_the_worker(store):
    app = create_app(store)
    svc = app.state.extract
    body = json.dumps({"text": TEXT}).encode()
    with LiveServer(app) as srv:
        socks = [_raw_post(srv.port, body) for _ in range(4)]
        wait_until(lambda: svc.waiting == 4, 30, "4 extractions waiting")
        worker = svc._worker
        assert worker is not None  # the first one is running (its worker is loading the model)
        for s in socks:
            s.close()
        wait_until(lambda: svc.waiting == 0, 30, "the queue empties")
        wait_until(lambda: not worker.alive(), 10, "the worker of the abandoned extraction stops")
        with httpx.Client(base_url=srv.url, timeout=120) as c:
            r = c.post("/api/extract", json={"text": TEXT})
        assert r.status_code == 200 and r.json()["quotes"]


def test_sigterm_stops_the_server_while_extractions_wait(store):
    port = free_port()
    proc = subprocess.Popen([QUOTEGRAPH, "serve", "--db", str(store), "--port", str(port)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    codes: list = []
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until(lambda: _up(url), 60, "the server starts")

        def post() -> None:
            try:
                codes.append(httpx.post(url + "/api/extract", json={"text": TEXT * 40}, timeout=120).status_code)
            except httpx.HTTPError as e:
                codes.append(type(e).__name__)

        clients = [threading.Thread(target=post) for _ in range(6)]
        for t in clients:
            t.start()
        time.sleep(1.0)  # all six sent; the first waits for the model, the others for it
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)  # the bound; the grace before cancelling is 5 s
        for t in clients:
            t.join(30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
    assert len(codes) == 6 and 503 in codes and codes.count(200) < 6, codes


def _up(url: str) -> bool:
    try:
        return httpx.get(url + "/api/stats", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


# -- item 4: validation errors ------------------------------------------------------------------

def test_a_body_of_many_unknown_keys_gets_a_short_422(client):
    sizes = {}
    for n in (500, 4000):
        body = {"text": TEXT, **{f"k{i}": i for i in range(n)}}
        r = client.post("/api/extract", json=body)
        assert r.status_code == 422
        out = r.json()
        assert len(out["detail"]) == 20  # reading stops at the 20th unknown key
        assert out["detail"][0]["loc"] == ["body", "k0"] and out["detail"][0]["type"] == "extra_forbidden"
        sizes[n] = len(r.content)
    assert sizes[4000] <= sizes[500] + 20  # the same errors listed, whatever the count


def test_long_names_in_errors_are_cut_to_the_byte_limit(client):
    body = {f"{i}" + "x" * 50_000: 1 for i in range(10)}
    r = client.post("/api/extract", json=body)
    assert r.status_code == 422 and len(r.content) < MAX_ERROR_BYTES
    assert r.json()["errors"] == 10 and all(len(e["loc"][1]) <= 200 for e in r.json()["detail"])


def test_invalid_bodies_still_get_their_422(client):
    for raw in (b"", b"{", b"[1, 2]", b"[" * 100_000, b'{"text": ' + b"[" * 100_000, b'{"x": ' + b"[" * 100_000,
                json.dumps({"text": "   "}).encode(), json.dumps({"text": TEXT, "format": "pdf"}).encode(),
                json.dumps({"text": TEXT, "format": 3}).encode(), b'{"text": "a" "b"}', b'{"text": "a"} []',
                json.dumps({"text": TEXT, "n": 1e999, "m": "\ud800"}).encode(), b'{"text": "\x01"}'):
        r = client.post("/api/extract", content=raw, headers={"content-type": "application/json"})
        assert r.status_code == 422, raw[:20]
        assert r.json()["detail"] and r.json()["detail"][0]["loc"][0] == "body"


def test_valid_bodies_read_as_json_reads_them(client):
    from quotegraph.web.schemas import parse_extract_request

    for body in ({"text": TEXT}, {"format": "html", "text": "<p>\u201cYes,\u201d she said.</p>"},
                 {"text": 'A "quoted" word \\ and \u00e9\u2014\U0001F600', "format": None}):
        for raw in (json.dumps(body).encode(), json.dumps(body, indent=3, ensure_ascii=False).encode("utf-8"),
                    json.dumps(body).encode("utf-16")):
            got = parse_extract_request(raw)
            assert (got.text, got.format) == (body["text"], body.get("format"))


def test_parsing_and_sniffing_run_off_the_event_loop(client, monkeypatch):
    """The JSON body, its validation, the paste form and the readers' sniffing and decoding of
    the text run in a worker thread, not on the loop that serves every other request."""
    from quotegraph.read import readers
    from quotegraph.web import schemas

    seen: dict[str, bool] = {}

    def off_loop() -> bool:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return True
        return False

    def spy(name, real):
        def wrapped(*a, **k):
            seen[name] = off_loop()
            return real(*a, **k)
        return wrapped

    monkeypatch.setattr(schemas, "parse_extract_request", spy("parse", schemas.parse_extract_request))
    monkeypatch.setattr(readers, "read_string", spy("sniff", readers.read_string))
    from quotegraph.web.routes import paste

    monkeypatch.setattr(paste, "decode", spy("decode", paste.decode))
    monkeypatch.setattr(paste, "read_form", spy("form", paste.read_form))
    assert client.post("/api/extract", json={"text": TEXT}).status_code == 200
    assert client.post("/paste", files={"file": ("a.txt", TEXT.encode(), "text/plain")}).status_code == 200
    assert seen == {"parse": True, "sniff": True, "decode": True, "form": True}


# -- item 5: oversized bodies -----------------------------------------------------------------

def _chunks(total: int, size: int = 4096):
    sent = 0
    while sent < total:
        yield b"x" * min(size, total - sent)
        sent += size


def test_an_oversized_chunked_body_gets_413_not_400(store):
    settings = Settings(max_paste_bytes=2000)
    app = create_app(store, settings=settings)
    limit_kb = f"{settings.max_request_bytes / 1024:,.0f} kB"
    with TestClient(app) as c:
        r = c.post("/api/extract", content=_chunks(200_000), headers={"content-type": "application/json"})
        assert r.status_code == 413, r.text
        assert r.json()["detail"].startswith(f"the request is more than {limit_kb}; the limit is {limit_kb}")
        r = c.post("/paste", content=_chunks(200_000), headers={"content-type": "application/x-www-form-urlencoded"})
        assert r.status_code == 413 and f"more than {limit_kb}" in r.text and "cannot read the form" not in r.text
        r = c.post("/api/extract", content=_chunks(1000), headers={"content-type": "application/json"})
        assert r.status_code == 422  # under the limit: read, and refused for what it is


def test_a_live_server_answers_413_to_a_chunked_body_instead_of_a_reset(store):
    app = create_app(store, settings=Settings(max_paste_bytes=2000))
    with LiveServer(app) as srv:
        s = socket.create_connection(("127.0.0.1", srv.port), timeout=30)
        s.sendall(b"POST /api/extract HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Transfer-Encoding: chunked\r\n\r\n")
        for _ in range(500):  # 2 MB, past the limit of 68 kB: what is not read is skipped, not reset
            s.sendall(b"1000\r\n" + b"x" * 4096 + b"\r\n")
        s.sendall(b"0\r\n\r\n")
        data = b""
        while b"more than" not in data and len(data) < 65536:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        s.close()
        head = data.decode("latin-1")
    assert head.startswith("HTTP/1.1 413"), head[:200]
    assert "more than" in head


def test_an_upload_over_the_limit_says_more_than(store):
    app = create_app(store, settings=Settings(max_paste_bytes=2000))
    with TestClient(app) as c:
        for size in (2001, 2048, 5000):
            r = c.post("/paste", files={"file": ("big.txt", b"w" * size, "text/plain")})
            assert r.status_code == 413
            assert "the input is more than 2 kB; the limit is 2 kB" in r.text, size
        r = c.post("/paste", data={"text": "word " * 1000})  # 5,000 bytes, measured whole
        assert r.status_code == 413 and "the input is 5 kB; the limit is 2 kB" in r.text


# -- item 12: rate limit and token --------------------------------------------------------------

def test_rate_limiter_refills_per_client():
    now = [0.0]
    rl = RateLimiter(per_minute=60, burst=2, clock=lambda: now[0], max_clients=3)
    assert rl.take("a") == 0 and rl.take("a") == 0
    assert rl.take("a") == pytest.approx(1.0)
    assert rl.take("b") == 0  # another client has its own bucket
    now[0] = 0.5
    assert rl.take("a") == pytest.approx(0.5)
    now[0] = 1.0
    assert rl.take("a") == 0
    for c in "cdefgh":
        rl.take(c)
    assert len(rl._buckets) <= 4
    assert RateLimiter(per_minute=0, burst=1).take("a") == 0  # 0: no limit


def test_extractions_past_the_rate_get_429_with_retry_after(store):
    app = create_app(store, settings=Settings(rate_limit=6, rate_burst=2))
    with TestClient(app) as c:
        assert c.post("/api/extract", json={}).status_code == 422
        assert c.post("/paste", data={"text": " "}).status_code == 400
        r = c.post("/api/extract", json={"text": TEXT})
        assert r.status_code == 429 and r.headers["retry-after"] == "10"
        assert "too many extractions" in r.json()["detail"]
        r = c.post("/paste", data={"text": TEXT})
        assert r.status_code == 429 and "too many extractions" in r.text
        assert c.get("/api/stats").status_code == 200 and c.get("/paste").status_code == 200  # reads are not limited


def test_a_request_past_the_rate_waits_before_its_429(store):
    app = create_app(store, settings=Settings(rate_limit=6, rate_burst=1, refusal_delay=0.5))
    with TestClient(app) as c:
        assert c.post("/api/extract", json={}).status_code == 422  # the one token
        t0 = time.monotonic()
        r = c.post("/api/extract", json={"text": TEXT})
        assert r.status_code == 429 and r.headers["connection"] == "close"
        assert time.monotonic() - t0 >= 0.5  # the client waited: a loop posting as fast as it is answered is slowed
        assert c.get("/api/stats").status_code == 200  # reads are not delayed


def test_the_api_token_guards_extractions_and_writes(store):
    app = create_app(store, settings=Settings(api_token="s3cret-token"))
    with TestClient(app) as c:
        r = c.post("/api/extract", json={"text": TEXT})
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
        assert "API token" in r.json()["detail"]
        r = c.post("/api/extract", json={}, headers={"Authorization": "Bearer wrong"})
        assert r.status_code == 401
        r = c.post("/api/extract", json={}, headers={"Authorization": "Bearer s3cret-token"})
        assert r.status_code == 422  # past the guard
        r = c.post("/paste", data={"text": " "})
        assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Basic")
        r = c.post("/paste", data={"text": " "}, auth=("anyone", "s3cret-token"))
        assert r.status_code == 400 and "Nothing to extract" in r.text
        assert c.put("/api/stats").status_code == 401  # every write, whatever the route
        assert c.get("/api/stats").status_code == 200 and c.get("/").status_code == 200


def test_listening_beyond_loopback_needs_a_token():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost") and is_loopback("127.1.2.3")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4") and not is_loopback("example.org")
    check_exposure("127.0.0.1", None)
    check_exposure("0.0.0.0", "tok")
    with pytest.raises(RuntimeError, match="QUOTEGRAPH_API_TOKEN"):
        check_exposure("0.0.0.0", None)
    env = {k: v for k, v in os.environ.items() if k != "QUOTEGRAPH_API_TOKEN"}
    r = subprocess.run([QUOTEGRAPH, "serve", "--host", "0.0.0.0", "--port", str(free_port())], capture_output=True,
                       text=True, timeout=60, env=env)
    assert r.returncode == 2 and "QUOTEGRAPH_API_TOKEN" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
