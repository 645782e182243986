# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 8000
SIZE   ?= S

.PHONY: install demo test test-fast bench docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

## Build the demo company into ./b2bgrowth-data and serve it on http://127.0.0.1:$(PORT)
demo: $(STAMP)
	$(BIN)/b2bgrowth demo --size $(SIZE) --port $(PORT)

## The whole suite. With B2BGROWTH_TEST_POSTGRES_URL set, every store test also runs on PostgreSQL.
test: $(STAMP)
	$(BIN)/python -m pytest

## Everything but the headless-browser tests.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not browser"

bench: $(STAMP)
	$(BIN)/python -m bench

## Regenerate the command reference in docs/cli.md from the code.
docs: $(STAMP)
	$(BIN)/python -m b2bgrowth.cli.docs > docs/cli.md
	$(BIN)/python -m b2bgrowth.cli.docs --settings > docs/settings.md

clean:
	rm -rf $(VENV) b2bgrowth-data test-artifacts .pytest_cache
