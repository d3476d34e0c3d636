"""The shipped model files (``learned.store``): each carries its metadata, a missing or
incompatible one stops ``extract`` with a message that names it and how to rebuild it, and a
stage the options switch off never reads its file.

The package's own files are never touched: ``QUOTEGRAPH_MODEL_DIR`` points the loaders at a
temporary directory holding copies of them, less the one under test.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from quotegraph import Extractor, ModelError, Options, cli, lexicon
from quotegraph.attribute import referents, speakers
from quotegraph.find import boundaries
from quotegraph.learned import acts, confidence, store
from quotegraph.learned import attributions as learned
from quotegraph.people import names
from quotegraph.pipeline.nlp import load_model

TEXT = 'Inspector Hale said the bridge was safe. "We checked every bolt," she said.\n'
ROOT = Path(__file__).resolve().parent.parent
CACHED = (learned.load, boundaries.load, speakers.load, referents.load, confidence.load, acts.load, lexicon.learned_cues, lexicon.broad_cue_table,
          lexicon.frame_cue_table, names.given_names)


@pytest.fixture
def model_dir(tmp_path, monkeypatch):
    """A copy of every shipped model file, read in place of the package's (caches emptied
    before and after, so no other test sees these)."""
    d = tmp_path / "models"
    d.mkdir()
    for spec in store.MODELS:
        shutil.copy(spec.packaged, d / spec.name)
    monkeypatch.setenv(store.MODEL_DIR_ENV, str(d))
    for f in CACHED:
        f.cache_clear()
    yield d
    for f in CACHED:
        f.cache_clear()


def _extract_cli(monkeypatch, capsys, path: Path, *args: str) -> tuple[int, str]:
    monkeypatch.setattr(sys, "argv", ["quotegraph", "extract", str(path), *args])
    with pytest.raises(SystemExit) as e:
        cli.main()
    out = capsys.readouterr()
    return e.value.code or 0, out.out + out.err


def _rewrite_meta(path: Path, **changes: object) -> None:
    """The file with its metadata changed (weights as they are)."""
    if path.name.endswith(".json") or path.name.endswith(".json.gz"):
        raw = gzip.decompress(path.read_bytes()) if path.name.endswith(".gz") else path.read_bytes()
        d = json.loads(raw)
        d["meta"].update(changes)
        data = json.dumps(d).encode()
    else:
        raw = gzip.decompress(path.read_bytes()) if path.name.endswith(".gz") else path.read_bytes()
        head, _, body = raw.decode().partition("\n")
        meta = json.loads(head[len(store.META_LINE):])
        meta.update(changes)
        data = (store.META_LINE + json.dumps(meta) + "\n" + body).encode()
    path.write_bytes(gzip.compress(data) if path.name.endswith(".gz") else data)


def test_every_shipped_file_carries_metadata_the_code_accepts():
    for spec in store.MODELS:
        loaded = store.load_json(spec) if ".json" in spec.name else store.load_text(spec)
        meta = loaded[0]
        assert (meta.kind, meta.features) == (spec.kind, spec.features), spec.name
        assert meta.command.startswith(spec.train) and len(meta.inputs_sha256) == 64 and meta.data and meta.what
    # the PolNeAR-trained ones, on the whole train split
    for spec in (store.ATTRIBUTIONS, store.BOUNDARIES, store.SPEAKERS, store.REFERENTS, store.CUES, store.CONFIDENCE):
        meta = (store.load_json(spec) if ".json" in spec.name else store.load_text(spec))[0]
        assert meta.data == "PolNeAR train split, 840 articles" and meta.command.endswith("--split train"), spec.name


@pytest.mark.parametrize("spec", store.MODELS, ids=lambda s: s.kind)
def test_extract_without_a_model_file_fails_naming_it(spec, model_dir, monkeypatch, capsys, tmp_path):
    (model_dir / spec.name).unlink()
    article = tmp_path / "article.txt"
    article.write_text(TEXT, encoding="utf-8")
    code, out = _extract_cli(monkeypatch, capsys, article)
    assert code == 2, out
    assert str(model_dir / spec.name) in out and "missing" in out
    assert spec.train in out and "make retrain" in out  # how to rebuild it
    assert out.count("\n") == 1  # one line, no traceback
    with pytest.raises(ModelError, match=spec.name):
        Extractor(Options(), nlp=load_model()).extract(TEXT)


def test_the_copies_extract_as_the_package_does(model_dir):
    here = Extractor(Options(), nlp=load_model()).extract(TEXT)
    os.environ.pop(store.MODEL_DIR_ENV)
    for f in CACHED:
        f.cache_clear()
    assert here.model_dump_json() == Extractor(Options(), nlp=load_model()).extract(TEXT).model_dump_json()


def test_a_stage_switched_off_never_reads_its_file(model_dir):
    nlp = load_model()
    (model_dir / store.BOUNDARIES.name).unlink()
    assert Extractor(Options(boundaries=False), nlp=nlp).extract(TEXT).quotes
    with pytest.raises(ModelError, match=store.BOUNDARIES.name):
        Extractor(Options(), nlp=nlp).extract(TEXT)
    for spec in (store.ATTRIBUTIONS, store.SPEAKERS, store.CONFIDENCE):
        (model_dir / spec.name).unlink()
    assert Extractor(Options(learned=False), nlp=nlp).extract(TEXT).quotes  # the rules alone


@pytest.mark.parametrize("spec", store.MODELS, ids=lambda s: s.kind)
def test_another_feature_set_version_fails_with_a_clear_message(spec, model_dir):
    _rewrite_meta(model_dir / spec.name, features=spec.features + 1)
    with pytest.raises(ModelError) as e:
        Extractor(Options(), nlp=load_model()).load()
    msg = str(e.value)
    assert msg.startswith(str(model_dir / spec.name) + ":")
    assert f"feature set {spec.features + 1}" in msg and f"reads feature set {spec.features}" in msg
    assert spec.train in msg


def test_a_file_of_another_kind_or_without_metadata_is_refused(model_dir):
    shutil.copy(model_dir / store.SPEAKERS.name, model_dir / store.BOUNDARIES.name)
    with pytest.raises(ModelError, match="a speakers model where the boundaries model belongs"):
        boundaries.load()
    # the format before metadata: the bare table
    path = model_dir / store.ATTRIBUTIONS.name
    path.write_text(path.read_text(encoding="utf-8").split("\n", 1)[1], encoding="utf-8")
    with pytest.raises(ModelError, match="has no metadata"):
        learned.load()
    (model_dir / store.CUES.name).write_text('{"meta": {"kind": "cues"}}', encoding="utf-8")
    with pytest.raises(ModelError, match="metadata is incomplete"):
        lexicon.learned_cues()
    (model_dir / store.NAMES.name).write_bytes(b"not gzip")
    with pytest.raises(ModelError, match="damaged"):
        names.given_names()


def test_saving_needs_metadata_and_keeps_the_bytes_stable(tmp_path):
    m = boundaries.BoundaryModel({"w=on": 1.0}, {"nw=,": 2.0}, "about")
    with pytest.raises(ValueError, match="metadata"):
        boundaries.save(m, tmp_path / "b.json.gz")
    m.meta = store.BOUNDARIES.meta("a test", store.inputs_digest([("a.txt", b"x")]), split="train")
    a = boundaries.save(m, tmp_path / "a.json.gz").read_bytes()
    assert boundaries.save(m, tmp_path / "b.json.gz").read_bytes() == a  # no time stamp in the gzip
    loaded = boundaries.load(str(tmp_path / "a.json.gz"))
    assert loaded.meta == m.meta and loaded.start == m.start and loaded.end == m.end
    assert store.inputs_digest([("b", b"2"), ("a", b"1")]) == store.inputs_digest([("a", b"1"), ("b", b"2")])
    assert store.inputs_digest([("a", b"12")]) != store.inputs_digest([("a1", b"2")])


def test_the_command_line_fails_before_importing_a_missing_cue_table(tmp_path):
    """A whole process, as a user runs it: the cue table is read on first use, not on import."""
    d = tmp_path / "models"
    d.mkdir()
    for spec in store.MODELS:
        if spec is not store.CUES:
            shutil.copy(spec.packaged, d / spec.name)
    env = dict(os.environ, **{store.MODEL_DIR_ENV: str(d)})
    res = subprocess.run([sys.executable, "-m", "quotegraph.cli", "extract", str(ROOT / "examples" / "seed-article.txt")],
                         env=env, capture_output=True, text=True)
    assert res.returncode == 2 and res.stdout == ""
    assert res.stderr.startswith(f"quotegraph: {d / 'cues.json'}: the cues model file is missing")
    assert "quotegraph train cues PATH/TO/PolNeAR" in res.stderr
