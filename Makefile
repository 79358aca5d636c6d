# Two commands for a fresh clone:  make run  (serve the site)  and  make test  (run every test).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip install --quiet --quiet --disable-pip-version-check --no-compile
PORT ?= 8000
DOCS_PORT ?= 8001
# One stamp per set of packages: serving needs the runtime only, tests the dev extra, docs theirs.
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
DOCS_STAMP := $(VENV)/.installed-docs

# First interpreter >= 3.12 found: the pyenv/uv choice from .python-version, then versioned names.
PYTHON ?= $(shell for p in python3 python3.13 python3.12 python3.14 python; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { command -v $$p; break; }; done)

.PHONY: run test venv lint format check-python admin prod prod-status docs docs-build screenshots \
	messages compile-messages

check-python:
	@if [ ! -x "$(PY)" ] && [ -z "$(PYTHON)" ]; then \
		echo "escape_events needs Python 3.12 or newer (Django 6.1), and none was found."; \
		echo "Install one, e.g.: 'pyenv install 3.13' (then this folder's .python-version selects it),"; \
		echo "'uv python install 3.13', or your system's python3.13 package (apt install python3.13 python3.13-venv)."; \
		exit 1; \
	fi

$(VENV)/bin/python: | check-python
	@echo "Creating $(VENV) with $(PYTHON)"
	@$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): pyproject.toml | $(VENV)/bin/python
	@$(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { \
		echo "$(VENV) uses Python < 3.12; remove it (rm -rf $(VENV)) and run make again."; exit 1; }
	@echo "Installing escape_events and what it needs to serve (pip, quiet)"
	@$(PIP) -e .
	@touch $@

$(DEV_STAMP): $(RUN_STAMP)
	@echo "Installing the test tools (pip, quiet)"
	@$(PIP) -e '.[dev]'
	@touch $@

$(DOCS_STAMP): $(RUN_STAMP)
	@$(PIP) -e '.[docs]'
	@touch $@

venv: $(DEV_STAMP)

# The languages' catalogues, escape_events/locale/<language>/LC_MESSAGES/django.po. `make messages`
# brings them up to date with the texts of the code and templates (new texts arrive untranslated,
# changed ones fuzzy: translators fill them, docs: Languages); tests/core/test_catalogues.py fails
# until every language is complete. English is the source language: its catalogue only rewords
# texts of the libraries, so makemessages leaves it alone.
MESSAGE_LANGUAGES := fr de it es
NOT_SOURCES := --ignore '.*' --ignore 'node_modules' --ignore 'var' --ignore 'media' --ignore 'staticfiles'
messages: $(RUN_STAMP)
	@$(PY) manage.py makemessages $(addprefix --locale ,$(MESSAGE_LANGUAGES)) --no-obsolete \
		--add-location file --no-wrap $(NOT_SOURCES) --ignore 'tests' --ignore 'benchmarks' \
		--ignore 'docs' --ignore 'scripts' --ignore 'seeds'

# The catalogues compiled for Django (.mo beside each .po, not in git); those up to date are skipped.
compile-messages: $(RUN_STAMP)
	@$(PY) manage.py compilemessages --verbosity 0 $(NOT_SOURCES)

# The site and what production runs beside it (Procfile.dev, honcho): the outbox worker printing
# every mail to this console, and reminders every five minutes; every process links to SITE_URL.
run: $(RUN_STAMP) compile-messages
	@# One process for both: each start of Django costs seconds on a busy machine.
	@$(PY) manage.py shell --no-imports -c 'from django.core.management import call_command; \
		call_command("migrate", interactive=False, verbosity=0); \
		call_command("sweep_scratch", verbosity=0); \
		call_command("load_seeds", demo_organiser=True)'
	@echo ""
	@echo "  escape_events is running: open http://127.0.0.1:$(PORT)/  (Ctrl+C to stop)"
	@echo "  Mails (the outbox worker) and reminders print here. Site admin: 'make admin'."
	@echo ""
	@SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}" MAIL_OUTBOX=1 PYTHONUNBUFFERED=1 \
		$(VENV)/bin/honcho start -f Procfile.dev -p $(PORT)

admin: $(RUN_STAMP)
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py create_admin

# The production stack under supervisord: HAProxy, two gunicorn app servers, the mail worker;
# a process that dies is restarted alone (docs: Operators). SITE_URL, or PROD_LOCAL_TRIAL=1.
prod: $(RUN_STAMP) compile-messages
	@bash scripts/prod

# What each process of `make prod` is doing (supervisorctl status).
prod-status:
	@bash scripts/prod status

test: $(DEV_STAMP) compile-messages
	@bash scripts/test.sh $(PYTEST_ARGS)

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(DEV_STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The documentation site (docs/, mkdocs.yml): served with live reload, or built as CI builds it.
docs: $(DOCS_STAMP)
	$(VENV)/bin/mkdocs serve --dev-addr 127.0.0.1:$(DOCS_PORT)

docs-build: $(DOCS_STAMP)
	$(VENV)/bin/mkdocs build --strict --site-dir var/docs-site

# The documentation's pictures (docs/img/), taken by the browser test of every page.
screenshots: $(DEV_STAMP)
	DOCS_SCREENSHOTS=docs/img CHROMIUM_PATH="$${CHROMIUM_PATH:-$$(command -v chromium)}" \
		$(PY) -m pytest -q tests/browser/test_every_page.py -m docs
