# Two commands on a fresh machine: `make demo` and `make test`.
# Both install from the hash-checked locks in locks/ (see README "Locked dependencies").
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
SIZE   ?= S
LATEST ?= .venv-latest
PIP    := $(BIN)/python -m pip install --quiet --disable-pip-version-check
UV_ARGS := --generate-hashes --universal --python-version 3.11 --quiet

.PHONY: install install-test demo test test-fast test-latest lint bench docs lock clean

# The runtime only (what the demo and a server need).
$(VENV)/.runtime-stamp: locks/runtime.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) --require-hashes -r locks/runtime.txt
	$(PIP) --no-deps --no-build-isolation -e .
	touch $@

# The runtime, the test tools and Spark (the suite compares Spark's results with DuckDB's).
$(VENV)/.test-stamp: locks/test.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) --require-hashes -r locks/test.txt
	$(PIP) --no-deps --no-build-isolation -e .
	touch $@

install: $(VENV)/.runtime-stamp
install-test: $(VENV)/.test-stamp

## Build the demo company into ./b2bgrowth-data and serve it on http://127.0.0.1:$(PORT)
demo: $(VENV)/.runtime-stamp
	$(BIN)/b2bgrowth demo --size $(SIZE) --port $(PORT)

## The whole suite. With B2BGROWTH_TEST_POSTGRES_URL set, every store test also runs on PostgreSQL.
test: $(VENV)/.test-stamp
	$(BIN)/python -m pytest

## Everything but the headless-browser tests.
test-fast: $(VENV)/.test-stamp
	$(BIN)/python -m pytest -m "not browser"

## Guards: ruff (rules in pyproject.toml), the import-layer contracts, no import circle, mypy's ratchet.
lint: $(VENV)/.test-stamp
	$(BIN)/ruff check b2bgrowth tests bench scripts
	$(BIN)/lint-imports
	$(BIN)/python scripts/import_cycles.py
	$(BIN)/python scripts/mypy-ratchet

## The suite on the newest versions pyproject.toml allows (not the lock): shows drift early.
test-latest:
	rm -rf $(LATEST)
	$(PYTHON) -m venv $(LATEST)
	$(LATEST)/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(LATEST)/bin/python -m pip install --quiet --disable-pip-version-check --upgrade -e ".[test,lint]"
	$(LATEST)/bin/python -m pip freeze --exclude-editable > $(LATEST)/versions.txt
	$(LATEST)/bin/python -m pytest $(PYTEST_ARGS)

## Refresh the locks from pyproject.toml's ranges (newest allowed versions, every platform).
lock:
	test -x .venv-lock/bin/uv || ($(PYTHON) -m venv .venv-lock && .venv-lock/bin/python -m pip install --quiet uv)
	.venv-lock/bin/uv pip compile pyproject.toml locks/build.in --extra test --extra spark --extra lint $(UV_ARGS) $(LOCK_ARGS) -o locks/test.txt
	.venv-lock/bin/uv pip compile pyproject.toml locks/build.in $(UV_ARGS) -c locks/test.txt -o locks/runtime.txt
	.venv-lock/bin/uv pip compile pyproject.toml locks/build.in --extra spark $(UV_ARGS) -c locks/test.txt -o locks/spark.txt

bench: $(VENV)/.test-stamp
	$(BIN)/python -m bench

## Regenerate the command reference in docs/cli.md from the code.
docs: $(VENV)/.test-stamp
	$(BIN)/python -m b2bgrowth.cli.docs > docs/cli.md
	$(BIN)/python -m b2bgrowth.cli.docs --settings > docs/settings.md

clean:
	rm -rf $(VENV) $(LATEST) .venv-lock b2bgrowth-data test-artifacts .pytest_cache
