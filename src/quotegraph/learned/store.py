"""The shipped model files: where they are, what they carry, how they are written and read.

Every learned or derived table quotegraph ships lives in one directory (``quotegraph/data``,
or the directory named by the ``QUOTEGRAPH_MODEL_DIR`` environment variable) and is listed in
:data:`MODELS`. Each file carries its metadata (:class:`Meta`): what it is, the version of the
feature set the code reads it with, the training data and command, and a SHA-256 of the
training inputs. The metadata stays diff-friendly: a first ``# meta {...}`` line in a text
table, a ``"meta"`` key in a JSON one.

Reading checks that metadata: a missing file, a file without metadata, or one of another kind
or feature-set version raises :class:`~quotegraph.errors.ModelError`, which names the file and
says how to rebuild it. There is no silent fallback: a stage that is on has its model.

Writing is reproducible (sorted keys, gzip without a time stamp), so retraining on the same
data gives the same bytes (``make check-models``).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import _lru_cache_wrapper, cache
from pathlib import Path
from typing import Any, TypeVar

from ..errors import ModelError

#: where the package's model files are
DATA_DIR = Path(__file__).resolve().parent.parent / "data"
#: an environment variable naming another directory to read every model file from
MODEL_DIR_ENV = "QUOTEGRAPH_MODEL_DIR"
META_LINE = "# meta "
REBUILD_ALL = "make retrain"

T = TypeVar("T")
JsonValue = str | int | float | bool | None | list[Any] | dict[str, Any]


@dataclass(frozen=True)
class ModelFile:
    """One shipped model file: its kind (``quotegraph train KIND`` rebuilds it), its name in the
    model directory, the version of the feature set the code reads it with (bump it whenever the
    features change: the shipped file must then be retrained), and what it is."""

    kind: str
    name: str
    features: int
    what: str
    corpus: bool = True  # trained on PolNeAR (else built from a package's data)

    @property
    def train(self) -> str:
        """The command that rebuilds it (PATH/TO/PolNeAR where it takes the corpus)."""
        return f"quotegraph train {self.kind}" + (" PATH/TO/PolNeAR" if self.corpus else "")

    @property
    def packaged(self) -> Path:
        """The file in the package."""
        return DATA_DIR / self.name

    def path(self) -> Path:
        """The file read now: in ``$QUOTEGRAPH_MODEL_DIR`` when set, else in the package."""
        override = os.environ.get(MODEL_DIR_ENV)
        return (Path(override) if override else DATA_DIR) / self.name

    def command(self, split: str | None = None, limit: int | None = None) -> str:
        """The training command as it was (or is to be) run."""
        out = self.train
        if split is not None:
            out += f" --split {split}"
        if limit is not None:
            out += f" --limit {limit}"
        return out

    def rebuild_hint(self, path: Path) -> str:
        return f"rebuild it with `{self.train} --out {path}` (or `{REBUILD_ALL}` for every model)"

    def meta(self, data: str, inputs_sha256: str, *, split: str | None = None, limit: int | None = None) -> Meta:
        """The metadata of a file this code trains now."""
        return Meta(self.kind, self.features, self.what, data, self.command(split, limit), inputs_sha256)


@dataclass(frozen=True)
class Meta:
    """What a model file says about itself."""

    kind: str
    features: int  # the feature-set version it was trained with
    what: str
    data: str  # the training data ('PolNeAR train split, 840 articles')
    command: str  # how it was made
    inputs_sha256: str  # :func:`inputs_digest` of the training inputs

    def to_json(self) -> dict[str, JsonValue]:
        return {"kind": self.kind, "features": self.features, "what": self.what, "data": self.data,
                "command": self.command, "inputs_sha256": self.inputs_sha256}

    @classmethod
    def from_json(cls, d: object, where: Path, spec: ModelFile) -> Meta:
        if not isinstance(d, dict):
            raise ModelError(f"{where}: the {spec.kind} model has no metadata (made by an older quotegraph?); "
                             + spec.rebuild_hint(where))
        try:
            return cls(str(d["kind"]), int(d["features"]), str(d["what"]), str(d["data"]), str(d["command"]),
                       str(d["inputs_sha256"]))
        except (KeyError, TypeError, ValueError) as e:
            raise ModelError(f"{where}: the {spec.kind} model's metadata is incomplete ({e}); "
                             + spec.rebuild_hint(where)) from None


ATTRIBUTIONS = ModelFile("attributions", "attribution_model.tsv", 1, "learned attribution pairs and filter: logistic weights over lemmas and dependency labels (no text)")
BOUNDARIES = ModelFile("boundaries", "boundary_model.json.gz", 1, "content boundaries: conditional logistic weights over dependency labels, coarse tags and stop words (no text)")
SPEAKERS = ModelFile("speakers", "speaker_model.json.gz", 1, "speaker choice: logistic weights over dependency labels, tags and dictionary words (no text)")
REFERENTS = ModelFile("referents", "referent_model.json.gz", 1, "referents of pronouns and roles: conditional logit weights over agreement, syntactic role, salience and discourse features (no text)")
CUES = ModelFile("cues", "cues.json", 1, "cue lemmas learned from an annotated corpus: counts only, no text")
ACTS = ModelFile("acts", "act_model.json", 1, "what a source did (statement, belief, intention, knowledge): logistic weights over cue lemmas, verb classes and grammar (no text)")
NAMES = ModelFile("names", "given_names.tsv.gz", 2, "given names, their usual gender ('m' or 'f') and the share of their bearers who are women, from the nomquamgender package's name data",
                  corpus=False)
CONFIDENCE = ModelFile("confidence", "confidence_model.json", 1, "calibrated confidence that a record is right: logistic weights over record features and an isotonic map fitted out of fold (no text)")
#: every shipped model file, in the order ``make retrain`` builds them: a model is trained after the
#: ones its trainer runs (the referent model reads the given names and gold sources only; the
#: speaker and boundary models learn from the rules' candidates; the attribution filter learns
#: from what they and the referent model do; the confidence model from what all of them do; the
#: act model reads only the parse), so one pass rebuilds them all
MODELS: tuple[ModelFile, ...] = (CUES, NAMES, REFERENTS, SPEAKERS, BOUNDARIES, ATTRIBUTIONS, CONFIDENCE, ACTS)


def inputs_digest(items: Iterable[tuple[str, bytes]]) -> str:
    """SHA-256 over ``(name, content)`` pairs sorted by name, each name and content
    length-prefixed: the same inputs give the same digest in any order."""
    h = hashlib.sha256()
    for name, content in sorted(items):
        raw = name.encode("utf-8")
        h.update(len(raw).to_bytes(8, "big") + raw + len(content).to_bytes(8, "big"))
        h.update(content)
    return h.hexdigest()


# ---------------------------------------------------------------------- writing


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.name.endswith(".gz"):
        with open(path, "wb") as f:  # mtime 0, no name: the same content gives the same bytes
            with gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as gz:
                gz.write(data)
    else:
        path.write_bytes(data)
    return path


def _required(meta: Meta | None) -> Meta:
    if meta is None:
        raise ValueError("a model to write needs its metadata (the trainer sets it)")
    return meta


def save_json(meta: Meta | None, payload: Mapping[str, JsonValue], path: Path, *, indent: int | None = None) -> Path:
    """A JSON model: ``payload`` with a ``"meta"`` key. Compact with sorted keys by default; with
    ``indent``, indented in the payload's own key order (after ``meta``)."""
    meta = _required(meta)
    if "meta" in payload:
        raise ValueError("a model's payload cannot have a 'meta' key of its own")
    if indent is None:
        text = json.dumps({"meta": meta.to_json(), **payload}, separators=(",", ":"), sort_keys=True)
    else:
        text = json.dumps({"meta": meta.to_json(), **payload}, indent=indent)
    return _write(path, (text + "\n").encode("utf-8"))


def save_text(meta: Meta | None, body: str, path: Path) -> Path:
    """A text table: the ``# meta {...}`` line, then ``body``."""
    head = META_LINE + json.dumps(_required(meta).to_json(), sort_keys=True, ensure_ascii=False) + "\n"
    return _write(path, (head + body).encode("utf-8"))


# ---------------------------------------------------------------------- reading


def _read(spec: ModelFile, path: Path | None) -> tuple[Path, str]:
    where = path if path is not None else spec.path()
    try:
        raw = where.read_bytes()
    except FileNotFoundError:
        raise ModelError(f"{where}: the {spec.kind} model file is missing; {spec.rebuild_hint(where)}") from None
    except OSError as e:
        raise ModelError(f"{where}: the {spec.kind} model file cannot be read ({e.strerror or e})") from None
    try:
        return where, (gzip.decompress(raw) if where.name.endswith(".gz") else raw).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as e:
        raise ModelError(f"{where}: the {spec.kind} model file is damaged ({e}); {spec.rebuild_hint(where)}") from None


def _checked(spec: ModelFile, meta: Meta, where: Path) -> Meta:
    if meta.kind != spec.kind:
        raise ModelError(f"{where}: a {meta.kind} model where the {spec.kind} model belongs; {spec.rebuild_hint(where)}")
    if meta.features != spec.features:
        raise ModelError(f"{where}: the {spec.kind} model was trained on feature set {meta.features}, and this "
                         f"quotegraph reads feature set {spec.features}; {spec.rebuild_hint(where)}")
    return meta


def load_json(spec: ModelFile, path: Path | None = None) -> tuple[Meta, dict[str, Any]]:
    """The checked metadata and the payload (without ``meta``) of a JSON model file."""
    where, text = _read(spec, path)
    try:
        data = json.loads(text)
    except ValueError as e:
        raise ModelError(f"{where}: the {spec.kind} model is not JSON ({e}); {spec.rebuild_hint(where)}") from None
    if not isinstance(data, dict):
        raise ModelError(f"{where}: the {spec.kind} model is not a JSON object; {spec.rebuild_hint(where)}")
    meta = _checked(spec, Meta.from_json(data.pop("meta", None), where, spec), where)
    return meta, data


def load_text(spec: ModelFile, path: Path | None = None) -> tuple[Meta, str]:
    """The checked metadata and the body (after the ``# meta`` line) of a text table."""
    where, text = _read(spec, path)
    head, _, body = text.partition("\n")
    found: object = None
    if head.startswith(META_LINE):
        try:
            found = json.loads(head[len(META_LINE):])
        except ValueError:
            found = None
    meta = _checked(spec, Meta.from_json(found, where, spec), where)
    return meta, body


def read_json(spec: ModelFile, path: str | Path | None, build: Callable[[dict[str, Any], Meta], T]) -> T:
    """The model ``build`` makes of a JSON file's checked payload and metadata."""
    meta, payload = load_json(spec, Path(path) if path else None)
    return _parsed(spec, path, lambda: build(payload, meta))


def read_text(spec: ModelFile, path: str | Path | None, build: Callable[[str, Meta], T]) -> T:
    """The model ``build`` makes of a text table's checked body and metadata."""
    meta, body = load_text(spec, Path(path) if path else None)
    return _parsed(spec, path, lambda: build(body, meta))


def json_loader(spec: ModelFile, build: Callable[[dict[str, Any], Meta], T]) -> _lru_cache_wrapper[T]:
    """``load(path=None)`` for a JSON model: the model at ``path`` (default: the shipped one, or
    ``$QUOTEGRAPH_MODEL_DIR``'s), read once per process; a missing or incompatible file raises
    ModelError."""

    @cache
    def load(path: str | None = None) -> T:
        return read_json(spec, path, build)

    return load


def text_loader(spec: ModelFile, build: Callable[[str, Meta], T]) -> _lru_cache_wrapper[T]:
    """``load(path=None)`` for a text-table model, as :func:`json_loader`."""

    @cache
    def load(path: str | None = None) -> T:
        return read_text(spec, path, build)

    return load


def _parsed(spec: ModelFile, path: str | Path | None, build: Callable[[], T]) -> T:
    """``build()``; content it cannot read becomes a ModelError that names the file."""
    try:
        return build()
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        where = Path(path) if path else spec.path()
        raise ModelError(f"{where}: the {spec.kind} model is damaged ({type(e).__name__}: {e}); "
                         + spec.rebuild_hint(where)) from None
