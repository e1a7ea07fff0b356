# peopleplan: one command runs the app, one command passes the tests.
#   make run    the demo council on http://127.0.0.1:8000 (embedded SQLite under var/)
#   make test   ruff, the layering contract and the whole test suite
# PEOPLEPLAN_TEST_DATABASE_URL=postgresql://... make test   runs the suite on PostgreSQL.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PP := $(BIN)/peopleplan
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test install install-test frontend browser-test benchmark clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed frontend

node_modules/.installed: package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

build/static/peopleplan.css: node_modules/.installed src/peopleplan/core/static_src/peopleplan.scss scripts/build-frontend.mjs
	npm run --silent build

frontend: build/static/peopleplan.css

run: install
	mkdir -p var
	DEBUG=true $(PP) migrate --no-input
	DEBUG=true $(PP) demo --if-empty
	DEBUG=true $(PP) demo_logins
	@# The background worker (large imports) runs beside the server and stops with it.
	DEBUG=true $(PP) db_worker --queue-name '*' --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=true $(PP) runserver 127.0.0.1:8000

test: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/pytest -p no:cacheprovider

browser-test: install
	$(BIN)/pytest -m browser -p no:cacheprovider

benchmark: install
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) node_modules build var
