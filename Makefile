# Two commands: `make run` (the app on http://localhost:8501) and `make test` (the whole suite).
# `make run` sets up the virtualenv from the pinned requirements.txt (runtime); the test, lint, type-check and bench
# targets add requirements-dev.txt (pytest, Playwright, ruff, mypy, osmium ...). Each installs on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-run-$(shell cat requirements.txt | sha1sum | cut -c1-12)
DEV_STAMP := $(VENV)/.installed-dev-$(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)

.PHONY: run test test-fast validate lint typecheck bench venv venv-dev clean

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	rm -f $(VENV)/.installed-run-*
	touch $(STAMP)

$(DEV_STAMP): $(STAMP) requirements-dev.txt
	$(PY) -m pip install -q -r requirements-dev.txt
	rm -f $(VENV)/.installed-dev-*
	touch $(DEV_STAMP)

venv: $(STAMP)

venv-dev: $(DEV_STAMP)

run: venv
	$(VENV)/bin/streamlit run streamlit_app.py --server.port 8501 --server.headless true --browser.gatherUsageStats false

validate: venv
	$(PY) -m geo.validate

lint: venv-dev
	$(VENV)/bin/ruff check .

typecheck: venv-dev
	$(VENV)/bin/mypy

test: venv-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(PY) -m geo.validate
	$(PY) -m pytest -q -p no:cacheprovider

# The quick unit and data tests while working: no AppTest, no browser, nothing marked slow (markers: pyproject.toml).
# Bytecode is written (PYTHONDONTWRITEBYTECODE cleared): pytest then keeps its rewritten test modules in
# __pycache__ instead of rewriting all of them on every run (~10 s).
test-fast: venv-dev
	PYTHONDONTWRITEBYTECODE= $(PY) -m pytest -q -p no:cacheprovider -m "not browser and not apptest and not slow"

bench: venv-dev
	$(PY) -m bench

clean:
	rm -rf $(VENV) artifacts .pytest_cache .ruff_cache
