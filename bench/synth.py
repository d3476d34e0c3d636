"""A synthetic news corpus for corpus tests and benchmarks (invented text, from templates).

Articles quote many speakers (people with roles, anonymous officials, documents) across many
outlets; about a fifth of the quotes re-report an earlier statement, abridged with an ellipsis,
with a bracketed edit, re-cased and re-punctuated, or cut to a partial quote, so matching quotes
across articles is exercised as it would be on real news.

    python bench/synth.py OUT_DIR --articles 20000 [--format jsonl|txt] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import os
import random
from dataclasses import dataclass
from datetime import date, timedelta

FIRST = """Anna Robert Maria Tom Lena David Sofia James Priya Omar Grace Daniel Elena Marcus Aisha Peter Hannah
Victor Chloe Samuel Nadia George Laura Ibrahim Julia Kevin Rosa Martin Yuki Oliver Fatima Henry Clara Leo Mei
Arthur Zara Felix Irene Noah Alice Hugo Tessa Ravi Ingrid Carlos Naomi Simon Lucia Ethan Mira Paul Greta""".split()
LAST = """Smith Delgado Reyes Okafor Lindqvist Moreau Novak Patel Haddad Brennan Kowalski Tanaka Ferreira Walsh
Osei Schmidt Rossi Nguyen Ivanova Kaplan Mendes Byrne Sato Larsen Dubois Mwangi Costa Fischer Quinn Ahmed Petrov
Hughes Santos Lund Keller Farrell Yilmaz Bauer Castillo Nakamura Whitfield Abara Holm Marsh Varga Ortega Sinclair
Duarte Engel Pryor Solberg Achebe Rinaldi Morrow Takahashi Vance Oduya Hartmann Lowe Calder""".split()
ROLES = """Senator Governor Mayor Minister Coach Professor Director Chairwoman Chairman Commissioner Judge Sheriff
Ambassador Treasurer""".split()
ORGS = """the Transport Authority|the Riverton Council|the Ministry of Health|the Port Union|the Farmers' League|
the Central Bank|the Rovers Football Club|the State Water Board|the Teachers' Federation|the Harbour Trust""".split("|")
OUTLETS = [f"{a} {b}" for a in ("Riverton", "Valley", "Capital", "Northern", "Harbour", "Lakeside", "Eastern",
                                 "Midland") for b in ("Herald", "Post", "Wire", "Times", "Courier")]
SUBJ = """we I this government our party the council my team the committee our city this club the union every family
the board our administration""".split("  ")
SUBJ = ["we", "I", "this government", "our party", "the council", "my team", "the committee", "our city", "this club",
        "the union", "every family", "the board", "our administration", "the people of this region", "nobody here"]
MODAL = ["will", "will not", "must", "cannot", "should", "are going to", "have to", "never intended to", "would rather",
         "are ready to", "refuse to", "promise to", "need to", "want to"]
VERB = """protect rebuild fund cut defend replace reform abandon support review delay approve reject expand close
finish challenge restore investigate explain raise lower protect deliver welcome oppose reconsider improve
question secure guarantee announce""".split()
ADJ = """every new old public rural local national vital broken costly fair unfair safe dangerous modern crowded
empty ambitious modest urgent popular controversial""".split()
NOUN = """levee school hospital bus route bridge budget pension contract stadium harbour railway clinic library
tax road tunnel reservoir market factory park court prison station airport festival programme inquiry""".split()
TAIL = ["whatever it costs", "before the winter", "this year", "by the end of the season", "for the next generation",
        "without further delay", "as long as it takes", "no matter what the critics say", "in every district",
        "once the audit is complete", "with or without federal help", "after the election", "for every taxpayer",
        "within two years", "despite the warnings", "if the courts allow it"]
EXTRA = ["That is a promise.", "People are tired of excuses.", "The numbers simply do not add up.",
         "Nobody will be left behind.", "We have heard the concerns.", "This is about trust.",
         "The evidence is overwhelming.", "I have said this many times.", "It is not complicated.",
         "Everyone in this room knows it.", "History will judge us.", "The work starts tomorrow."]
CUES = ["said", "told reporters", "said on Monday", "added", "said in a statement", "told the Herald", "insisted",
        "warned", "said at a news conference"]
DOCS = ["the report", "an internal memo", "the audit", "a leaked email", "the court filing", "the council's minutes"]
ANON = ["a senior official", "one adviser", "a person familiar with the talks", "two officials", "a spokesperson"]
FILLER = ["The decision follows months of debate in the regional assembly.",
          "Residents have waited years for the project to begin.",
          "Critics say the plan has been poorly explained to the public.",
          "The proposal will be debated again next week.",
          "Officials did not give a timetable for the vote.",
          "Local businesses have raised concerns about the cost.",
          "The issue has divided opinion across the region."]


@dataclass
class Person:
    first: str
    last: str
    role: str

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"


def statement(rnd: random.Random) -> str:
    def clause() -> str:
        return (f"{rnd.choice(SUBJ)} {rnd.choice(MODAL)} {rnd.choice(VERB)} the {rnd.choice(ADJ)} "
                f"{rnd.choice(NOUN)} {rnd.choice(TAIL)}")
    parts = [clause().capitalize() + "."]
    for _ in range(rnd.choice((0, 1, 1, 2, 2, 3))):
        parts.append(rnd.choice(EXTRA) if rnd.random() < 0.4 else clause().capitalize() + ".")
    return " ".join(parts)


def rereport(rnd: random.Random, text: str) -> str:
    """The same statement as another outlet reports it."""
    words = text.split()
    how = rnd.random()
    if how < 0.25 and len(words) > 10:  # an ellipsis
        i = rnd.randrange(3, len(words) - 5)
        return " ".join(words[:i]) + " ... " + " ".join(words[i + 3:])
    if how < 0.45 and len(words) > 6:  # a bracketed edit
        return "[They] " + " ".join(words[1:])
    if how < 0.65:  # case and punctuation
        return text.replace(".", " --", 1).upper() if len(text) < 80 else text.replace(",", "").replace(".", "!")
    if how < 0.8 and len(words) > 12:  # a partial quote
        return " ".join(words[: rnd.randrange(8, len(words))]).rstrip(".,") + ","
    return text


def make_people(rnd: random.Random, n: int) -> list[Person]:
    seen: set[tuple[str, str]] = set()
    out = []
    while len(out) < n:
        f, l = rnd.choice(FIRST), rnd.choice(LAST)
        if (f, l) not in seen:
            seen.add((f, l))
            out.append(Person(f, l, rnd.choice(ROLES)))
    return out


def article(rnd: random.Random, people: list[Person], said: list[tuple[str, Person]], day: date) -> tuple[str, int]:
    """(text, number of quotations in it)."""
    cast = rnd.sample(people, rnd.choice((1, 2, 2, 3)))
    lead = cast[0]
    paras = [f"{lead.role} {lead.full} {rnd.choice(['defends', 'questions', 'unveils', 'rejects'])} "
             f"{rnd.choice(ADJ)} {rnd.choice(NOUN)} plan"]
    n = 0
    introduced: set[str] = set()
    for _ in range(rnd.randint(3, 7)):
        r = rnd.random()
        if r < 0.2 and said:  # re-report an earlier statement
            text, p = rnd.choice(said)
            text = rereport(rnd, text)
        else:
            p = rnd.choice(cast)
            text = statement(rnd)
            said.append((text, p))
        if r > 0.9:
            who = rnd.choice(ANON)
            paras.append(f'"{text.rstrip(".")}," {who} said, according to {rnd.choice(DOCS)}.')
        elif r > 0.85:
            paras.append(f'{rnd.choice(DOCS).capitalize()} found that {statement(rnd)[0].lower()}{statement(rnd)[1:]}')
        else:
            name = p.last if p.full in introduced else f"{p.role} {p.full}"
            introduced.add(p.full)
            if rnd.random() < 0.5:
                paras.append(f'"{text.rstrip(".")}," {name} {rnd.choice(CUES)}.')
            else:
                paras.append(f'{name} {rnd.choice(["said", "told reporters", "wrote"])}: "{text}"')
        n += 1
        if rnd.random() < 0.5:
            paras.append(rnd.choice(FILLER) + " " + rnd.choice(FILLER))
    if rnd.random() < 0.3:
        org = rnd.choice(ORGS)
        paras.append(f"A spokesperson for {org} said the organisation would study the plan carefully.")
        n += 1
    return "\n\n".join(paras) + "\n", n


def generate(out_dir: str, articles: int, *, fmt: str = "jsonl", seed: int = 1, shard: int = 1000,
             speakers: int = 2000) -> dict:
    """Write ``articles`` articles into ``out_dir``; returns counts."""
    rnd = random.Random(seed)
    os.makedirs(out_dir, exist_ok=True)
    people = make_people(rnd, min(speakers, len(FIRST) * len(LAST)))
    said: list[tuple[str, Person]] = []
    start = date(2023, 1, 1)
    quotes = chars = 0
    fh = None
    for i in range(articles):
        day = start + timedelta(days=i * 730 // max(articles, 1))
        text, n = article(rnd, people, said, day)
        quotes += n
        chars += len(text)
        outlet = OUTLETS[rnd.randrange(len(OUTLETS))]
        if fmt == "txt":
            with open(os.path.join(out_dir, f"{i:06d}.txt"), "w", encoding="utf-8") as f:
                f.write(text)
        else:
            if i % shard == 0:
                if fh:
                    fh.close()
                fh = open(os.path.join(out_dir, f"part-{i // shard:04d}.jsonl"), "w", encoding="utf-8")
            slug = outlet.lower().replace(" ", "")
            fh.write(json.dumps({"id": f"{slug}-{i}", "text": text, "outlet": outlet, "published": day.isoformat(),
                                 "url": f"https://{slug}.example/{day.isoformat()}/{i}"}) + "\n")
    if fh:
        fh.close()
    return {"articles": articles, "quotations": quotes, "chars": chars, "speakers": len(people)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--format", choices=("jsonl", "txt"), default="jsonl")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    print(json.dumps(generate(a.out, a.articles, fmt=a.format, seed=a.seed)))


if __name__ == "__main__":
    main()
