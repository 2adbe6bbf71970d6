# Two commands from a fresh clone: `make serve` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: serve test lint typecheck pytest schema clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=25.1"

# The API alone: no torch, no test tools.
$(VENV)/.base: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

# Everything the test suite needs: the local engine (torch, colpali-engine) and Modal too.
$(VENV)/.dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[local,modal]' --group dev
	touch $@ $(VENV)/.base

serve: $(VENV)/.base
	$(BIN)/paliapi serve --host $(HOST) --port $(PORT)

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.dev
	$(BIN)/mypy

pytest: $(VENV)/.dev
	$(BIN)/pytest --cov --cov-report=term

test: lint typecheck pytest

schema: $(VENV)/.base
	$(BIN)/paliapi schema > schema.graphql

clean:
	rm -rf $(VENV) .paliapi .coverage .coverage.* .mypy_cache .ruff_cache .pytest_cache
