# Two commands: `make run` (the app on http://localhost:8501) and `make test` (the whole suite).
# Each sets up the virtualenv from the pinned requirements.txt on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha1sum requirements.txt | cut -c1-12)

.PHONY: run test test-fast validate lint typecheck bench venv clean

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

venv: $(STAMP)

run: venv
	$(VENV)/bin/streamlit run streamlit_app.py --server.port 8501 --server.headless true --browser.gatherUsageStats false

validate: venv
	$(PY) -m geo.validate

lint: venv
	$(VENV)/bin/ruff check .

typecheck: venv
	$(VENV)/bin/mypy

test: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(PY) -m geo.validate
	$(PY) -m pytest -q -p no:cacheprovider

# Unit and data tests only (no AppTest, no browser): the quick check while working.
test-fast: venv
	$(PY) -m pytest -q -p no:cacheprovider -m "not browser and not apptest"

bench: venv
	$(PY) -m bench

clean:
	rm -rf $(VENV) artifacts .pytest_cache .ruff_cache
