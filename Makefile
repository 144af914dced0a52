# hubops: `make run` starts the demo hub, `make test` runs the whole suite. Both set up what
# they need first (system packages from apt when root, the virtualenv, axe-core for tests).

SHELL := /bin/bash
.NOTPARALLEL:
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.hubops-installed
AXE := node_modules/axe-core/axe.min.js
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in mail, calendar files and PDFs are built on SITE_URL: by default the address `make run`
# serves on. Set it to the public https:// address in production.
SITE_URL ?= http://$(HOST):$(PORT)
export SITE_URL
PYTEST_ARGS ?=

.PHONY: help run test setup venv system-deps test-deps migrate demo lint format lock bench clean distclean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

run: setup migrate ## Set up, migrate, load the demo hub, start web + worker + beat
	@case "$${DEBUG:-true}" in \
	  [Ff]alse|0|[Nn]o|[Oo]ff) echo "DEBUG is off: not loading the demo hub." ;; \
	  *) $(BIN)/python manage.py load_demo ;; \
	esac
	@$(BIN)/python scripts/runhub.py --host $(HOST) --port $(PORT)

test: setup test-deps ## Install what the tests need and run the whole suite
	$(BIN)/pytest $(PYTEST_ARGS)

setup: $(STAMP) ## Create .venv and install the locked dependencies (fast when done)
venv: setup

system-deps:
	@scripts/ensure-system-deps.sh run

$(STAMP): requirements.lock
	@scripts/ensure-system-deps.sh run
	@test -x $(BIN)/pip || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $@

test-deps: ## System packages for the tests (Chromium, PDF tools) and axe-core
	@scripts/ensure-system-deps.sh test
	@$(MAKE) --no-print-directory $(AXE)

$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

migrate: setup ## Apply the database migrations
	$(BIN)/python manage.py migrate --noinput

demo: setup ## Load the fictional demo hub (idempotent; DEBUG must be on)
	$(BIN)/python manage.py load_demo

lint: setup ## lint-imports (layers), ruff check, ruff format --check, mypy, makemigrations --check
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python manage.py makemigrations --check --dry-run

format: setup ## Format the code and apply ruff's safe fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

lock: ## Re-resolve pyproject.toml's ranges into requirements.lock
	@scripts/lock.sh $(PYTHON)

bench: setup ## Benchmarks against the large demo on PostgreSQL (see bench/README.md)
	@case "$${DATABASE_URL:-}" in postgres*) ;; *) echo "Set DATABASE_URL=postgres://... and run manage.py load_demo --size large first (bench/README.md)."; exit 1;; esac
	@shopt -s nullglob; scripts=(bench/bench_*.py); \
	if [ $${#scripts[@]} -eq 0 ]; then echo "No benchmark scripts in bench/."; fi; \
	for script in "$${scripts[@]}"; do echo "== $$script"; $(BIN)/python "$$script" || exit 1; done

clean: ## Remove the embedded data (var/: database, mail, broker), static and caches
	rm -rf var staticfiles .pytest_cache .ruff_cache .mypy_cache .hypothesis test-results
	find . -path ./$(VENV) -prune -o -path ./node_modules -prune -o -name __pycache__ -type d -exec rm -rf {} +

distclean: clean ## clean, and remove .venv and node_modules too
	rm -rf $(VENV) node_modules
