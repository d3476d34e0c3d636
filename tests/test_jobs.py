"""Extraction in several processes: the same output as one process, in input order."""

from __future__ import annotations

import subprocess
import sys

from quotegraph import Extractor, InputError

ARTICLES = [
    "\u201cWe will rebuild the bridge by spring,\u201d Mayor Ana Ruiz told reporters on Monday.\n\n"
    "Ruiz said the council had found the money. \u201cNobody will be left waiting,\u201d she added.\n",
    "The harbour authority said on Tuesday that ferry fares would rise by a tenth next year.\n\n"
    "According to a spokesman, the increase pays for two new boats.\n",
    "Coach Tom Reyes was blunt after the match. \u201cWe were not good enough,\u201d he said.\n",
    "Nurses at the city hospital will strike on Friday, their union announced.\n\n"
    "\u201cThe wards are short of staff every single night,\u201d said Maria Chen, a union official.\n",
    "Rain is expected over the weekend, with sunshine returning on Monday.\n",
]


def dump(results) -> list:
    return [r.model_dump() if not isinstance(r, Exception) else (type(r).__name__, str(r)) for r in results]


def test_processes_give_the_one_process_output_in_order():
    items = [(t, f"a{i}.txt") for i, t in enumerate(ARTICLES)]
    items.insert(2, ("   \n", "blank.txt"))  # a bad item in the middle stays in its place
    one = list(Extractor().extract_many(items))
    ex = Extractor(n_process=2)
    try:
        many = list(ex.extract_many(items, batch_articles=2))  # several batches, both processes busy
    finally:
        ex.close()
    assert len(many) == len(items)
    assert isinstance(many[2], InputError) and many[2].name == "blank.txt" and "empty" in many[2].reason
    assert dump(many) == dump(one)
    assert sum(len(r.quotes) for r in many if not isinstance(r, Exception)) >= 5
    assert many[0].quotes[0].speaker.name == "Ana Ruiz"
    assert "Maria Chen" in {q.speaker.name for q in many[4].quotes if q.speaker}


def test_cli_jobs_same_output_and_errors(tmp_path):
    paths = []
    for i, t in enumerate(ARTICLES):
        p = tmp_path / f"{i}.txt"
        p.write_text(t, encoding="utf-8")
        paths.append(str(p))
    bad = tmp_path / "photo.txt"
    bad.write_bytes(b"\x00\x01PK\x03\x04" * 50)
    paths.insert(1, str(bad))

    def run(*extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "quotegraph.cli", "extract", *paths, "--format", "jsonl", *extra],
                              capture_output=True, text=True, timeout=600)

    one, two = run(), run("--jobs", "2")
    assert one.returncode == two.returncode == 1
    assert two.stdout == one.stdout and len(two.stdout.splitlines()) == len(ARTICLES)
    assert str(bad) in two.stderr and "binary" in two.stderr
