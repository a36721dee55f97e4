# renkei — the two commands most people need:
#   make demo   install into .venv and run the demo on http://127.0.0.1:8000
#   make test   install with the test tools and run the whole suite (SQLite, or RENKEI_DATABASE_URL)
# Installs are pinned by constraints.txt and redone only when pyproject.toml or constraints.txt
# change (stamp files in .venv). `make help` lists every target.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
export PIP_DISABLE_PIP_VERSION_CHECK := 1

# Pytest workers (pytest-xdist); `make test PYTEST_WORKERS=0` runs serially, PYTEST_ARGS adds options.
PYTEST_WORKERS ?= 2
PYTEST_ARGS ?=
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/renkei_ci
DEMO_ARGS ?=

STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test
LOCK_VENV := $(or $(TMPDIR),/tmp)/renkei-lock-venv

.PHONY: help demo install install-test test test-postgres lint format messages lock clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP_RUN): pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) install --quiet -c constraints.txt -e .
	touch $@

# The test install is a superset of the run install, so it satisfies both stamps.
$(STAMP_TEST): pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) install --quiet -c constraints.txt -e '.[test]'
	touch $@ $(STAMP_RUN)

install: $(STAMP_RUN)  ## install renkei into .venv (pinned by constraints.txt)

install-test: $(STAMP_TEST)  ## install renkei with the test tools into .venv

demo: $(STAMP_RUN)  ## install, load the demo and serve it on http://127.0.0.1:8000
	$(BIN)/renkei demo $(DEMO_ARGS)

test: $(STAMP_TEST)  ## lint, checks, migrations check and pytest (SQLite unless RENKEI_DATABASE_URL)
	@echo "==> ruff check"
	$(BIN)/ruff check .
	@echo "==> renkei check"
	$(BIN)/renkei check
	@echo "==> renkei makemigrations --check"
	$(BIN)/renkei makemigrations --check --dry-run
	@echo "==> pytest on $$([ -n "$${RENKEI_DATABASE_URL:-}" ] && echo "RENKEI_DATABASE_URL ($${RENKEI_DATABASE_URL%%:*})" || echo SQLite)"
	$(BIN)/pytest $(if $(filter-out 0,$(PYTEST_WORKERS)),-n $(PYTEST_WORKERS)) $(PYTEST_ARGS)

test-postgres: $(STAMP_TEST)  ## the same suite on PostgreSQL (POSTGRES_URL, created if missing)
	RENKEI_DATABASE_URL='$(POSTGRES_URL)' $(BIN)/python -c "$$CREATE_DATABASE"
	$(MAKE) test RENKEI_DATABASE_URL='$(POSTGRES_URL)'

lint: $(STAMP_TEST)  ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP_TEST)  ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: $(STAMP_TEST)  ## update the Japanese catalogue from the code and compile it (needs GNU gettext)
	cd src/renkei && RENKEI_DATA_DIR="$(CURDIR)/data" ../../$(BIN)/renkei makemessages -l ja --no-obsolete --ignore 'data/*'
	cd src/renkei && RENKEI_DATA_DIR="$(CURDIR)/data" ../../$(BIN)/renkei compilemessages -l ja

lock:  ## regenerate constraints.txt from a fresh venv with the newest allowed versions
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet -e '.[test]'
	{ \
	  echo "# The exact version of every package renkei installs, for reproducible installs:"; \
	  echo "#   pip install -c constraints.txt -e '.[test]'   (the Makefile does this)"; \
	  echo "# Regenerate with \`make lock\` after changing dependencies in pyproject.toml: it installs"; \
	  echo "# -e '.[test]' into a fresh temporary venv and records \`pip freeze --exclude-editable\`."; \
	  echo "# Python $$($(LOCK_VENV)/bin/python -c 'import platform; print(platform.python_version())'), generated $$(date -u +%Y-%m-%d)."; \
	  $(LOCK_VENV)/bin/python -m pip freeze --exclude-editable; \
	} > constraints.txt.new
	mv constraints.txt.new constraints.txt
	rm -rf $(LOCK_VENV)
	@echo "constraints.txt updated; review with git diff constraints.txt"

clean:  ## remove the venv, caches and build output (keeps the data directory)
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .hypothesis build dist src/*.egg-info
	find src tests -name __pycache__ -type d -prune -exec rm -rf {} +

# Creates the database named in RENKEI_DATABASE_URL if the server does not have it yet.
define CREATE_DATABASE
import os, dj_database_url, psycopg
from psycopg import sql
db = dj_database_url.parse(os.environ["RENKEI_DATABASE_URL"])
params = dict(host=db["HOST"] or None, port=db["PORT"] or None, user=db["USER"] or None,
              password=db["PASSWORD"] or None, dbname="postgres", autocommit=True)
with psycopg.connect(**params) as conn:
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone():
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
        print(f"created database {db['NAME']}")
endef
export CREATE_DATABASE
