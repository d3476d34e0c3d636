"""Scoring the gender of people (``people.gender``) against the hand-checked set in ``eval/gender``.

The gold holds, per article (a real-web page's file name, or ``polnear:<split>/<name>``), the
SHA-1 of each listed person's normalised name (``corpus.textnorm.name_key``) with a hand label:
``female``, ``male``, ``unknown`` (the article does not tell) or ``not_person`` (an organisation,
place or thing the extractor listed as a person). No article text is kept.

Figures, on the people the gold can tell (female or male) that the extractor lists:

- accuracy: right / labelled (the people the tool gives a gender);
- coverage: labelled / the people the gold can tell;
- women's share by the tool (of those it labels) against by hand (of all the gold can tell).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..corpus.textnorm import name_key
from ..models import Article, Gender
from ..people.gender import NAME_THRESHOLD, assign_genders

GOLD_DIR = Path(__file__).resolve().parents[3] / "eval" / "gender"
HALVES = ("tuning", "reporting", "all")
TOLD = {"female": Gender.FEMALE, "male": Gender.MALE}


def name_sha1(name: str) -> str:
    return hashlib.sha1(name_key(name).encode("utf-8")).hexdigest()[:16]


def load_gold(path: str | Path = GOLD_DIR / "gold.json", half: str = "all") -> dict[str, dict[str, str]]:
    """doc -> {name sha1 -> label} of ``half``."""
    if half not in HALVES:
        raise ValueError(f"--half must be one of {', '.join(HALVES)}, not {half!r}")
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    out: dict[str, dict[str, str]] = {}
    for p in raw["people"]:
        if half in ("all", p["half"]):
            out.setdefault(p["doc"], {})[p["name_sha1"]] = p["label"]
    return out


@dataclass
class GenderScore:
    """Counts over the people the gold can tell, and what the tool did with the others."""

    told: int = 0  # gold female or male, listed by the tool
    labelled: int = 0
    right: int = 0
    women_by_hand: int = 0
    women_by_tool: int = 0
    labelled_unknown: int = 0  # gold 'unknown' that the tool labels (not scored)
    labelled_not_person: int = 0  # gold 'not_person' that the tool labels (a defect)
    missing: int = 0  # gold people the tool no longer lists under that name
    by_evidence: dict[str, list[int]] = field(default_factory=dict)  # evidence -> [labelled, right]

    @property
    def accuracy(self) -> float:
        return self.right / self.labelled if self.labelled else 0.0

    @property
    def coverage(self) -> float:
        return self.labelled / self.told if self.told else 0.0

    @property
    def share_by_hand(self) -> float:
        return self.women_by_hand / self.told if self.told else 0.0

    @property
    def share_by_tool(self) -> float:
        return self.women_by_tool / self.labelled if self.labelled else 0.0

    def add(self, article: Article, gold: dict[str, str]) -> None:
        found: set[str] = set()
        for e in article.entities:
            label = gold.get(name_sha1(e.name))
            if label is None or e.kind != "person":
                continue
            found.add(name_sha1(e.name))
            known = e.gender != Gender.UNKNOWN
            if label == "unknown":
                self.labelled_unknown += known
            elif label == "not_person":
                self.labelled_not_person += known
            else:
                self.told += 1
                self.women_by_hand += label == "female"
                if known:
                    self.labelled += 1
                    self.right += e.gender == TOLD[label]
                    self.women_by_tool += e.gender == Gender.FEMALE
                    tally = self.by_evidence.setdefault(e.gender_evidence, [0, 0])
                    tally[0] += 1
                    tally[1] += e.gender == TOLD[label]
        self.missing += len(set(gold) - found)

    def to_json(self) -> dict:
        return {"people_told": self.told, "labelled": self.labelled, "right": self.right,
                "accuracy": round(self.accuracy, 4), "coverage": round(self.coverage, 4),
                "women_share_by_hand": round(self.share_by_hand, 4), "women_share_by_tool": round(self.share_by_tool, 4),
                "labelled_gold_unknown": self.labelled_unknown, "labelled_not_person": self.labelled_not_person,
                "gold_people_not_listed": self.missing,
                "by_evidence": {k: {"labelled": v[0], "right": v[1]} for k, v in sorted(self.by_evidence.items())}}


def source_of(doc: str, roots: Sequence[Path]) -> Path | None:
    """The file of a gold article under ``roots``: a page by its file name (in a root, or its
    ``html`` folder), a PolNeAR document under ``data/<split>/text``."""
    if doc.startswith("polnear:"):
        split, _, name = doc[len("polnear:"):].partition("/")
        rel = [Path("data") / split / "text" / f"{name}.txt", Path(split) / "text" / f"{name}.txt"]
    else:
        rel = [Path(doc), Path("html") / doc]
    for root in roots:
        for r in rel:
            if (root / r).is_file():
                return root / r
    return None


def extract_all(gold: dict[str, dict[str, str]], roots: Sequence[str | Path], extractor=None,
                on_done: Callable[[str], None] | None = None) -> tuple[list[tuple[str, Article]], list[str]]:
    """The extractor's article for every gold document found under ``roots``, and those not found."""
    from .webgold_convert import read_page

    dirs = [Path(r) for r in roots]
    for d in dirs:
        if not d.is_dir():
            raise FileNotFoundError(f"{d}: no such directory")
    if extractor is None:
        from quotegraph import Extractor

        extractor = Extractor()
    done, absent = [], []
    for doc in sorted(gold):
        path = source_of(doc, dirs)
        if path is None:
            absent.append(doc)
            continue
        if path.suffix == ".gz":
            art = extractor.extract_source(read_page(path))
        elif path.suffix == ".txt":
            art = extractor.extract(path.read_text(encoding="utf-8"), path=path.stem)
        else:
            art = extractor.extract_path(str(path))
        done.append((doc, art))
        if on_done:
            on_done(doc)
    return done, absent


def score(articles: Iterable[tuple[str, Article]], gold: dict[str, dict[str, str]],
          name_threshold: float | None = None) -> GenderScore:
    """The score of the extracted ``articles``; with ``name_threshold``, their genders are
    assigned again with that threshold for given names (to choose it on the tuning half)."""
    s = GenderScore()
    for doc, art in articles:
        if name_threshold is not None and name_threshold != NAME_THRESHOLD:
            art = art.model_copy(deep=True)
            for e in art.entities:
                e.gender, e.gender_evidence = Gender.UNKNOWN, "none"
            assign_genders(art, name_threshold)
        s.add(art, gold.get(doc, {}))
    return s
