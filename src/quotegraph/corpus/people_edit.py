"""The corrections a user makes (``quotegraph people ...`` and the web app's person page): names
checked and turned into stable keys, the correction logged and applied, in one transaction (a
correction that cannot be made changes nothing). See ``corrections.py`` for what each does."""

from __future__ import annotations

from typing import Any

from . import corrections as cx
from . import peopleops as ops
from . import textnorm as tn
from .store import Store


class PeopleEditor:
    """Corrections of the people of one store (its single writer)."""

    def __init__(self, store: Store):
        self.store = store
        self.con = store.con

    def _do(self, op: str, args: dict[str, Any], person: str) -> dict:
        cx.check_args(op, args)
        cx.record(self.con, op, args)
        cx.apply(self.store, op, args)
        pid = cx.id_of(self.con, person)
        name = cx.name_of(self.con, pid) if pid is not None else None
        return {"op": op, "args": args, "id": pid, "key": person, "name": name}

    def _key(self, pid: int) -> str:
        return cx.key_of(self.con, pid)

    def merge(self, name: str, others: list[str]) -> dict:
        """``others`` merged into ``name``."""
        with self.store.transaction():
            if not others:
                raise cx.CorrectionError("merge: name at least one other person to merge into the first")
            target = cx.resolve(self.con, name)
            ids: list[int] = []
            for o in others:
                pid = cx.resolve(self.con, o)
                if pid == target:
                    raise cx.CorrectionError(f"{o!r} is {cx.name_of(self.con, target)!r} already (the person merged into)")
                if pid not in ids:
                    ids.append(pid)
            into = self._key(target)
            args = {"into": into, "name": cx.name_of(self.con, target), "others": [self._key(i) for i in ids]}
            return self._do("merge", args, into)

    def split(self, name: str, into: str | None = None, articles: list[str] | None = None,
              aliases: list[str] | None = None) -> dict:
        """What ``name`` is in ``articles`` (content keys or given ids), or wherever it is written as
        one of ``aliases``, moves to ``into`` (another person, or a new one of that name); without
        ``into``, the aliases only leave the person."""
        articles, aliases = list(articles or []), [" ".join(a.split()) for a in aliases or [] if a.strip()]
        with self.store.transaction():
            source = cx.resolve(self.con, name)
            who = cx.name_of(self.con, source)
            if not articles and not aliases:
                raise cx.CorrectionError("split: give the articles (--article) or the names (--alias) to move")
            if articles and not into:
                raise cx.CorrectionError("split: say who the articles' mentions are (--into NAME)")
            keys = []
            for a in articles:
                row = self.con.execute("SELECT id, key FROM articles WHERE key=? OR given_id=?", (a, a)).fetchone()
                if row is None:
                    raise cx.NotFound(f"no article {a!r} in the store")
                if not ops.entities_in(self.con, source, [row[0]]):
                    raise cx.CorrectionError(f"{who!r} is not in article {a!r}")
                keys.append(row[1])
            known = {r[0] for r in self.con.execute("SELECT akey FROM person_aliases WHERE person_id=?", (source,))}
            for a in aliases:
                if tn.name_key(a) not in known and not ops.entities_written(self.con, source, a):
                    raise cx.CorrectionError(f"{a!r} is not a name of {who!r}")
            into_key, into_name = self._into(into, source) if into else (None, None)
            args = {"from": self._key(source), "into": into_key, "name": into_name, "articles": keys, "aliases": aliases}
            return self._do("split", args, into_key or self._key(source))

    def _into(self, into: str, source: int) -> tuple[str, str]:
        """The key and name of the person a split moves to: an id or key given, a person of that
        exact name, else a new one of that name."""
        into = cx.clean_name(into)
        kind = self.con.execute("SELECT kind FROM people WHERE id=?", (source,)).fetchone()[0]
        if into.isdigit() or into[:2] in ("p:", "o:"):
            pid = cx.resolve(self.con, into)
        else:
            key = cx.new_key(into, kind)
            if not key:
                raise cx.CorrectionError(f"{into!r} is not a name a person can have")
            found = cx.id_of(self.con, key)
            if found is None:
                return key, into
            pid = found
        if pid == source:
            raise cx.CorrectionError(f"{into!r} is the person split ({cx.name_of(self.con, source)!r})")
        return self._key(pid), cx.name_of(self.con, pid)

    def rename(self, name: str, new: str) -> dict:
        with self.store.transaction():
            pid = cx.resolve(self.con, name)
            new = cx.clean_name(new)
            kind = self.con.execute("SELECT kind FROM people WHERE id=?", (pid,)).fetchone()[0]
            other = cx.id_of(self.con, cx.new_key(new, kind))
            if other is not None and other != pid:
                raise cx.CorrectionError(f"{new!r} is the name of another person (id {other}): merge the two with"
                                         " `quotegraph people merge` instead")
            return self._do("rename", {"key": self._key(pid), "name": new}, self._key(pid))

    def set_gender(self, name: str, gender: str) -> dict:
        with self.store.transaction():
            if gender not in cx.GENDERS:
                raise cx.CorrectionError(f"the gender must be one of {', '.join(cx.GENDERS)}, not {gender!r}")
            pid = cx.resolve(self.con, name)
            return self._do("set-gender", {"key": self._key(pid), "gender": gender}, self._key(pid))
