"""Build the given-name table (``quotegraph.people.names``) from the ``nomquamgender`` package's data.

    quotegraph train names

The package is read where it is installed, without importing it (its module loads pandas and the
whole table at import). Only names written at least 500 times with a clear gender are kept.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
from pathlib import Path

from ..learned import store
from ..people.names import GIVEN_NAMES_FILE, given_name_table


def source_file() -> Path:
    spec = importlib.util.find_spec("nomquamgender")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the nomquamgender package is not installed: pip install 'quotegraph[train]'")
    return Path(list(spec.submodule_search_locations)[0]) / "name_data.json"


def build(out: Path = GIVEN_NAMES_FILE, min_count: int = 500) -> tuple[Path, int]:
    source = source_file()
    raw = source.read_bytes()
    rows = given_name_table(json.loads(raw.decode("utf-8")), min_count=min_count)
    body = "".join(f"{n}\t{g}\t{p:.3f}\n" for n, g, p in rows)
    version = importlib.metadata.version("nomquamgender")
    meta = store.NAMES.meta(f"nomquamgender {version} name_data.json: names written at least {min_count} times with a clear gender",
                            store.inputs_digest([(source.name, raw)]))
    return store.save_text(meta, body, out), len(rows)
