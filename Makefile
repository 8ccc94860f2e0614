# Shequ: `make run` installs and starts with a demo district; `make test` runs every check and test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
# PostgreSQL for the second test run; empty skips it.
TEST_DATABASE_URL ?=

.PHONY: install system-deps run test lint security test-sqlite test-postgres demo worker clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

# Debian packages (Chromium, the CJK font, WeasyPrint's pango and harfbuzz): installed when missing.
system-deps:
	scripts/system-deps

var:
	mkdir -p var

run: install var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py demo
	@echo "Shequ: http://$(HOST):$(PORT)/ (residents: http://$(HOST):$(PORT)/p/)  Ctrl-C stops the server and the task worker"
	@scripts/serve $(BIN)/python $(HOST):$(PORT)

demo: install var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py demo

worker: install
	$(BIN)/python manage.py db_worker

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/mypy

# bandit: no medium or high findings (each "# nosec" says why in place); pip-audit: known vulnerabilities of the
# installed packages (says so and passes when the vulnerability data cannot be reached).
security: install
	$(BIN)/bandit -q -r shequ -x "*/tests/*,*/migrations/*" --severity-level medium
	$(BIN)/python scripts/pip-audit

test-sqlite: install var
	$(BIN)/pytest

test-postgres: install var
	@if [ -n "$(TEST_DATABASE_URL)" ]; then \
	  echo "== pytest on PostgreSQL ($(TEST_DATABASE_URL))"; \
	  DATABASE_URL="$(TEST_DATABASE_URL)" $(BIN)/pytest; \
	else echo "== TEST_DATABASE_URL not set: PostgreSQL run skipped"; fi

test: system-deps lint security test-sqlite test-postgres

clean:
	rm -rf $(VENV) var/test-artifacts
