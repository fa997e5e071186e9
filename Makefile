# make run   – set everything up and serve the portal with demo data on http://127.0.0.1:8000
# make test  – set everything up and run the whole suite (SQLite, then PostgreSQL if reachable)
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/ita_portal

.PHONY: setup run test test-sqlite test-postgres lint bench-pdf bench-scale mutation system-deps clean

setup: system-deps $(VENV)/.installed node_modules/.installed
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py load_catalogue

system-deps:
	@bash scripts/system-deps.sh

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: setup
	$(PY) manage.py seed_demo
	PY=$(PY) bash scripts/run.sh    # db_worker (background PDFs) beside runserver, stopped with it

test: setup
	$(PY) -m ruff check .
	$(MAKE) test-sqlite
	@if $(PY) scripts/pg_ready.py "$(PG_URL)"; then \
		$(MAKE) test-postgres; \
	else echo "PostgreSQL not reachable at $(PG_URL): skipping the PostgreSQL run"; fi

test-sqlite:
	$(PY) -m pytest

test-postgres:
	DATABASE_URL=$(PG_URL) $(PY) -m pytest -m "not browser"

lint:
	$(PY) -m ruff check . && $(PY) -m ruff format --check .

bench-pdf: setup
	$(PY) -m reports.bench

# The whole country (7,850 organisations × 3 years) on PostgreSQL under gunicorn, driven by wrk.
# SCALE=0.1 for a tenth; BENCH_PG picks the server (default postgres://postgres@127.0.0.1:5432).
SCALE ?= 1
bench-scale: setup
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } || \
		{ echo "Please install wrk: sudo apt-get install wrk" >&2; exit 1; }
	$(PY) -m reports.bench_scale --scale $(SCALE)

# Mutation testing of the rule modules (mutmut, scores per module; docs/mutation.md). Not part of
# `make test`: it takes hours on two cores. REPORT=1 summarises the last run.
mutation: setup
	$(PY) -m pip install -q mutmut==3.8.1
	$(PY) scripts/mutation.py $(if $(REPORT),--report-only)

clean:
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles artifacts mutants
