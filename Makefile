# Two commands for a new user: `make demo` and `make test`. Needs only Python 3.11+, make, git.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
PYTEST_ARGS ?=
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: demo test install install-dev lint typecheck migrations-check browser-deps messages bench clean serve

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## make demo: install, migrate, load reference and demo data, print the accounts, serve on $(HOST)
demo: install
	YUFANG_DEMO=1 $(BIN)/yufang migrate --noinput -v0
	YUFANG_DEMO=1 $(BIN)/yufang seed-demo --if-empty
	YUFANG_DEMO=1 $(BIN)/yufang demo_accounts
	@echo "Serving on http://$(HOST)/  (Ctrl-C to stop)"
	YUFANG_DEMO=1 $(BIN)/yufang runserver $(HOST) --noreload

## make test: install dev dependencies and run the whole suite (SQLite, or DATABASE_URL)
test: install-dev
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: install-dev
	$(BIN)/mypy src

migrations-check: install-dev
	$(BIN)/yufang makemigrations --check --dry-run

## Debian's chromium and CJK fonts for the browser tests (root, Debian/Ubuntu)
browser-deps:
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk)

## Recompile translations after editing the .po files (needs no gettext: polib compiles them)
messages: install-dev
	$(BIN)/python -m yufang.lib.messages

bench: install-dev
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var
