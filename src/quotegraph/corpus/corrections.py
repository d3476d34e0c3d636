"""A user's corrections of the people in a store: merge, split, rename, set-gender, kept as a log
and re-applied after every later ingest, so that they survive re-runs and new articles.

Each correction names people by their ``people.key`` (``p:<name tokens>``, ``o:<organisation>``)
and articles by their content key: both are what the same articles give again in any store, where
row ids are not. Re-applying the log is idempotent (a correction already in force changes
nothing), and each op is written so that the articles arriving after it are corrected too:

- ``merge`` {into, name, others}: the others' everything becomes the first's; a later article
  naming one of the others makes that person again, and the replay merges it in. Should the first
  be missing (a fresh store holding only an other's articles), the first other found takes its
  key and name.
- ``split`` {from, into, name, articles, aliases}: what ``from`` is in the given articles, or
  wherever it is written as one of the aliases, moves to ``into`` (made when missing; a short name
  moved is linked there for good); the aliases leave ``from``. Without ``into``, only the aliases
  leave.
- ``rename`` {key, name}: the display name (the key stays: the articles still write the old
  name, and land on this person); the new name becomes an alias, so lookups find it.
- ``set-gender`` {key, gender}: ``people.gender`` with ``gender_evidence='correction'``, which an
  ingest does not overwrite (and the replay sets again in any case).
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import peopleops as ops
from . import textnorm as tn
from .persons import person_ids

if TYPE_CHECKING:
    from .store import Store

log = logging.getLogger(__name__)

OPS = ("merge", "split", "rename", "set-gender")
GENDERS = ("female", "male", "unknown")
MAX_NAME = 200


class CorrectionError(ValueError):
    """A correction that cannot be made (a name nobody has, one several people have, a bad
    argument): one line, naming the input."""


class NotFound(CorrectionError):
    """A correction names a person or an article the store does not have."""


# ------------------------------------------------------------------ names


def resolve(con: sqlite3.Connection, name: str) -> int:
    """The one person ``name`` is: a person id, a key (``p:grace okafor``), a full name, an alias,
    or a surname or first name only one person has. Several fits: an error listing them."""
    name = " ".join(str(name).split())
    if not name:
        raise CorrectionError("a person's name is empty")
    if name.isdigit():
        if con.execute("SELECT 1 FROM people WHERE id=?", (int(name),)).fetchone() is None:
            raise NotFound(f"no person with id {name}")
        return int(name)
    if name[:2] in ("p:", "o:"):
        row = con.execute("SELECT id FROM people WHERE key=?", (name,)).fetchone()
        if row is not None:
            return row[0]
    ids = person_ids(con, name)
    if not ids:
        raise NotFound(f"no person named {name!r} in the store")
    exact = [i for i in ids if key_of(con, i) in _keys_for(name)]
    if len(exact) == 1:
        return exact[0]
    if len(ids) == 1:
        return ids[0]
    shown = "; ".join(f"{i}: {name_of(con, i)}" for i in ids[:8]) + ("; ..." if len(ids) > 8 else "")
    raise CorrectionError(f"{name!r} fits {len(ids)} people ({shown}): give the full name or the id")


def _keys_for(name: str) -> tuple[str, str]:
    return "p:" + tn.name_key(name), "o:" + tn.org_key(name)


def new_key(name: str, kind: str) -> str:
    """The key a person (or organisation) of this name gets, as the ingest gives it."""
    if kind == "person":
        toks = tn.name_tokens(name)
        return "p:" + " ".join(toks) if toks else ""
    k = tn.org_key(name)
    return "o:" + k if k else ""


def key_of(con: sqlite3.Connection, pid: int) -> str:
    return con.execute("SELECT key FROM people WHERE id=?", (pid,)).fetchone()[0]


def name_of(con: sqlite3.Connection, pid: int) -> str:
    return con.execute("SELECT name FROM people WHERE id=?", (pid,)).fetchone()[0]


def id_of(con: sqlite3.Connection, key: str) -> int | None:
    row = con.execute("SELECT id FROM people WHERE key=?", (key,)).fetchone()
    return row[0] if row else None


def _article_ids(con: sqlite3.Connection, keys: Iterable[str]) -> list[int]:
    return [r[0] for k in keys for r in con.execute("SELECT id FROM articles WHERE key=?", (k,))]


def clean_name(name: str) -> str:
    """A new name as given, on one line; an error when it is empty or too long."""
    name = " ".join(str(name).split())
    if not name:
        raise CorrectionError("the new name is empty")
    if len(name) > MAX_NAME:
        raise CorrectionError(f"the new name is too long ({len(name)} characters; at most {MAX_NAME})")
    return name


# ------------------------------------------------------------------ applying (on keys, idempotent)


def apply(store: Store, op: str, args: dict[str, Any]) -> bool:
    """Apply one logged correction; whether it changed anything."""
    con = store.con
    if op == "merge":
        return _apply_merge(con, args)
    if op == "split":
        return _apply_split(store, args)
    if op == "rename":
        pid = id_of(con, args["key"])
        if pid is None:
            return False
        changed = con.execute("UPDATE people SET name=? WHERE id=? AND name IS NOT ?", (args["name"], pid, args["name"])).rowcount
        ops.add_alias(con, pid, args["name"])
        return bool(changed)
    if op == "set-gender":
        return bool(con.execute("UPDATE people SET gender=?, gender_evidence=? WHERE key=? AND"
                                " (gender IS NOT ? OR gender_evidence IS NOT ?)",
                                (args["gender"], ops.CORRECTED, args["key"], args["gender"], ops.CORRECTED)).rowcount)
    raise CorrectionError(f"unknown correction {op!r}")


def _apply_merge(con: sqlite3.Connection, args: dict[str, Any]) -> bool:
    target = id_of(con, args["into"])
    others = [i for i in (id_of(con, k) for k in args["others"]) if i is not None and i != target]
    if not others:
        return False
    if target is None:  # only the others' articles are in this store: the first of them becomes the one
        target = others.pop(0)
        con.execute("UPDATE people SET key=?, name=? WHERE id=?", (args["into"], args["name"], target))
    for other in others:
        ops.merge_person(con, target, other)
    return True


def _apply_split(store: Store, args: dict[str, Any]) -> bool:
    con = store.con
    source = id_of(con, args["from"])
    if source is None:
        return False
    entities = ops.entities_in(con, source, _article_ids(con, args.get("articles", [])))
    for alias in args.get("aliases", []):
        entities.extend(e for e in ops.entities_written(con, source, alias) if e not in entities)
    changed = 0
    target = id_of(con, args["into"]) if args.get("into") else None
    if args.get("into") and target is None and entities:
        target = _make_person(con, args["into"], args["name"], source)
    if target is not None and target != source:
        changed += ops.move_entities(store.relinker, source, target, entities)
        for alias in args.get("aliases", []):
            ops.add_alias(con, target, alias)
    for alias in args.get("aliases", []):
        changed += ops.drop_alias(con, source, alias)
    ops.drop_if_empty(store.relinker, source)
    return changed > 0


def _make_person(con: sqlite3.Connection, key: str, name: str, like: int) -> int:
    kind, first = con.execute("SELECT kind, first_article FROM people WHERE id=?", (like,)).fetchone()
    cur = con.execute("INSERT INTO people(key, name, kind, scope, first_article, n_named) VALUES(?,?,?,NULL,?,0)",
                      (key, name, kind, first))
    pid = cur.lastrowid
    assert pid is not None  # the INSERT just made sets it
    toks = key[2:].split() if key.startswith("p:") else []
    if len(toks) > 1:
        con.executemany("INSERT OR IGNORE INTO person_names VALUES(?,?,?)", [(toks[0], "first", pid), (toks[-1], "last", pid)])
    ops.add_alias(con, pid, name)
    return pid


# ------------------------------------------------------------------ the log


def check_args(op: str, args: object) -> dict[str, Any]:
    """A logged or imported correction's arguments, checked (a ``CorrectionError`` says what is wrong)."""
    if op not in OPS:
        raise CorrectionError(f"unknown correction {op!r} (known: {', '.join(OPS)})")
    if not isinstance(args, dict):
        raise CorrectionError(f"{op}: the arguments must be an object")
    need: dict[str, tuple[type, ...]] = {  # type: ignore[assignment]
        "merge": {"into": (str,), "name": (str,), "others": (list,)},
        "split": {"from": (str,), "into": (str, type(None)), "name": (str, type(None)), "articles": (list,), "aliases": (list,)},
        "rename": {"key": (str,), "name": (str,)},
        "set-gender": {"key": (str,), "gender": (str,)},
    }[op]
    for field, types in need.items():
        if not isinstance(args.get(field), types):
            raise CorrectionError(f"{op}: {field!r} is missing or not a {' or '.join(t.__name__ for t in types)}")
    for field in ("others", "articles", "aliases"):
        if field in args and not all(isinstance(x, str) and x for x in args[field]):
            raise CorrectionError(f"{op}: {field!r} must be a list of strings")
    keys = [args[f] for f in ("into", "key", "from") if isinstance(args.get(f), str)] + list(args.get("others", []))
    bad = [k for k in keys if k[:2] not in ("p:", "o:") or len(k) < 3]
    if bad:
        raise CorrectionError(f"{op}: {bad[0]!r} is not a person's key (p:NAME or o:NAME)")
    if op == "set-gender" and args["gender"] not in GENDERS:
        raise CorrectionError(f"set-gender: the gender must be one of {', '.join(GENDERS)}, not {args['gender']!r}")
    if op == "merge" and not args["others"]:
        raise CorrectionError("merge: 'others' is empty")
    return args


def record(con: sqlite3.Connection, op: str, args: dict[str, Any], at: str | None = None) -> None:
    at = at or datetime.now(UTC).replace(microsecond=0).isoformat()
    con.execute("INSERT INTO corrections(at, op, args) VALUES(?,?,?)", (at, op, _dump(args)))


def _dump(args: dict[str, Any]) -> str:
    return json.dumps(args, ensure_ascii=False, sort_keys=True)


def entries(con: sqlite3.Connection) -> list[dict[str, Any]]:
    """The log, oldest first: {id, at, op, args}."""
    return [{"id": i, "at": at, "op": op, "args": json.loads(a)}
            for i, at, op, a in con.execute("SELECT id, at, op, args FROM corrections ORDER BY id")]


def replay(store: Store) -> int:
    """Apply the whole log again, in order (inside the caller's transaction); how many
    corrections changed something. A damaged entry is skipped (and logged), never fatal."""
    changed = 0
    for i, op, raw in store.con.execute("SELECT id, op, args FROM corrections ORDER BY id").fetchall():
        try:
            changed += apply(store, op, check_args(op, json.loads(raw)))
        except (CorrectionError, ValueError) as e:
            log.warning("correction %d (%s) skipped: %s", i, op, e)
    return changed


def replay_after_ingest(store: Store) -> int:
    """``replay`` in its own transaction (a savepoint inside an open one), for the ingest: a
    failure undoes the replay alone, never the articles just stored."""
    if store.con.execute("SELECT 1 FROM corrections LIMIT 1").fetchone() is None:
        return 0
    try:
        with store.transaction():
            return replay(store)
    except sqlite3.Error:
        raise
    except Exception:  # noqa: BLE001 - a bug in a correction must not cost the ingest its articles
        log.exception("re-applying the corrections failed (a bug); the articles are stored")
        return 0


def export_log(con: sqlite3.Connection, path: str | Path) -> int:
    """The log as JSON Lines ({at, op, args}); how many lines."""
    rows = entries(con)
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps({"at": r["at"], "op": r["op"], "args": r["args"]}, ensure_ascii=False, sort_keys=True) + "\n")
    return len(rows)


@dataclass
class Imported:
    added: int = 0
    already: int = 0
    changed: int = 0


def import_log(store: Store, path: str | Path) -> Imported:
    """Add a JSON Lines log (``export_log``'s) to the store's, leaving out entries it already
    has, and re-apply the whole log; all or nothing (a bad line: an error naming it)."""
    lines = _read_lines(path)
    res = Imported()
    with store.transaction():
        have = {(op, a) for op, a in store.con.execute("SELECT op, args FROM corrections")}
        for at, op, args in lines:
            if (op, _dump(args)) in have:
                res.already += 1
                continue
            record(store.con, op, args, at)
            have.add((op, _dump(args)))
            res.added += 1
        res.changed = replay(store)
    return res


def _read_lines(path: str | Path) -> list[tuple[str | None, str, dict[str, Any]]]:
    out = []
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise CorrectionError(f"{path}: not UTF-8 text") from None
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
        except json.JSONDecodeError as e:
            raise CorrectionError(f"{path}:{n}: not JSON ({e.msg})") from None
        if not isinstance(d, dict):
            raise CorrectionError(f"{path}:{n}: a line must be an object with 'op' and 'args'")
        try:
            args = check_args(str(d.get("op")), d.get("args"))
        except CorrectionError as e:
            raise CorrectionError(f"{path}:{n}: {e}") from None
        at = d.get("at") if isinstance(d.get("at"), str) else None
        out.append((at, str(d["op"]), args))
    return out
