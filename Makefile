# Two commands from a fresh clone: `make serve` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: serve doctor test lint typecheck pytest schema clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=25.1"

# The API alone: no torch, no test tools (the image docker compose builds).
$(VENV)/.base: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

# The API with the default `local` embeddings backend: torch and colpali-engine (several GB,
# a few minutes, once). Model weights download at the first start, with progress in the log.
$(VENV)/.local: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[local]'
	touch $@ $(VENV)/.base

# Everything the test suite needs: the local engine (torch, colpali-engine) and Modal too.
$(VENV)/.dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[local,modal]' --group dev
	touch $@ $(VENV)/.base $(VENV)/.local

serve: $(VENV)/.local
	$(BIN)/paliapi serve --host $(HOST) --port $(PORT)

doctor: $(VENV)/.local
	$(BIN)/paliapi doctor

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.dev
	$(BIN)/mypy

pytest: $(VENV)/.dev
	$(BIN)/pytest --cov --cov-report=term

# The SDKs' TypeScript tests and the drift check run first: the docs' samples use the SDK build.
# The web build and the system packages come before pytest: tests/browser drives the app in
# Chromium, and the Office formats' tests convert with LibreOffice.
test: lint typecheck sdk-test sdk-drift docs web system-deps
	PALIAPI_REQUIRE_BROWSER=1 PALIAPI_REQUIRE_LIBREOFFICE=1 $(MAKE) pytest

schema: $(VENV)/.base
	$(BIN)/paliapi schema > schema.graphql

clean:
	rm -rf $(VENV) .paliapi .coverage .coverage.* .mypy_cache .ruff_cache .pytest_cache \
		web/dist web/node_modules test-artifacts

# SDKs and docs. `sdk-drift` needs sdk/typescript/node_modules (from sdk-test).
.PHONY: sdk-codegen sdk-drift sdk-test docs
sdk-codegen: $(VENV)/.dev
	cd sdk/typescript && npm ci --no-audit --no-fund
	scripts/sdk_codegen.sh

sdk-test: $(VENV)/.dev
	cd sdk/typescript && npm ci --no-audit --no-fund && npm test

sdk-drift: $(VENV)/.dev
	scripts/sdk_drift.sh
	$(BIN)/python scripts/graphql_reference.py --check

docs: $(VENV)/.dev
	$(BIN)/mkdocs build --strict -d site

# The web app and GraphiQL (web/dist, served by `paliapi serve` at / and GET /graphql). It
# links the TypeScript SDK from sdk/typescript, built first. The API itself never needs Node.
.PHONY: web system-deps chromium browser-test
web:
	cd sdk/typescript && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run build
	cd web && npm ci --no-audit --no-fund && npm run build

# Debian's packages the service and its tests run, where missing (a fresh CI machine):
# Chromium (the browser tests) and LibreOffice without its GUI (Office uploads become PDFs).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Without recommends (as in the Docker image): what those pull in is desktop integration.
SYSTEM_PACKAGES := $(if $(shell command -v chromium),,chromium fonts-liberation) \
	$(if $(shell command -v soffice),,libreoffice-writer-nogui libreoffice-calc-nogui \
		libreoffice-impress-nogui fonts-dejavu-core)
system-deps:
	@$(if $(strip $(SYSTEM_PACKAGES)),$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq \
		--no-install-recommends $(SYSTEM_PACKAGES),true)
chromium: system-deps

# The browser tests alone (screenshots in test-artifacts/browser/).
browser-test: $(VENV)/.dev web system-deps
	PALIAPI_REQUIRE_BROWSER=1 $(BIN)/pytest tests/browser -v
