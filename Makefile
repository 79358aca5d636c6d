# Two commands for a fresh clone:  make run  (serve the site)  and  make test  (run every test).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

# First interpreter >= 3.12 found: the pyenv/uv choice from .python-version, then versioned names.
PYTHON ?= $(shell for p in python3 python3.13 python3.12 python3.14 python; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { command -v $$p; break; }; done)

.PHONY: run test venv lint format check-python admin prod

check-python:
	@if [ ! -x "$(PY)" ] && [ -z "$(PYTHON)" ]; then \
		echo "escape_events needs Python 3.12 or newer (Django 6.1), and none was found."; \
		echo "Install one, e.g.: 'pyenv install 3.13' (then this folder's .python-version selects it),"; \
		echo "'uv python install 3.13', or your system's python3.13 package (apt install python3.13 python3.13-venv)."; \
		exit 1; \
	fi

$(STAMP): pyproject.toml | check-python
	@test -x $(PY) || { echo "Creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); }
	@$(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { \
		echo "$(VENV) uses Python < 3.12; remove it (rm -rf $(VENV)) and run make again."; exit 1; }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py load_seeds --demo-organiser
	@echo ""
	@echo "  escape_events is running: open http://127.0.0.1:$(PORT)/  (Ctrl+C to stop)"
	@echo "  Site admin (/admin/): the demo organiser is not one. Make an admin account with"
	@echo "  'make admin' (in another terminal), sign in with it, then open /admin/."
	@echo ""
	SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}" $(PY) manage.py runserver 127.0.0.1:$(PORT)

admin: $(STAMP)
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py create_admin

# The production stack: HAProxy, two gunicorn app servers, the mail worker (README: Production).
prod: $(STAMP)
	@bash scripts/prod

test: $(STAMP)
	@bash scripts/test.sh $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
