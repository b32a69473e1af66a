# Compact Portal. `make run` and `make test` do all the set-up they need on a fresh machine
# with Python 3.11, node/npm and git. See README.md.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help setup messages assets run web worker beat test test-fast lint format migrate seed system-deps clean bench bench-small bench-check-postgres load

help:
	@echo "make run    set everything up and start the portal (web, Celery worker and beat) on http://$(HOST):$(PORT)/"
	@echo "make test   set everything up and run the whole test suite"
	@echo "make lint   ruff, the layer contract (import-linter), Django's checks and the migrations check"
	@echo "make system-deps   install Debian's chromium and poppler-utils (browser and PDF tests; needs root)"
	@echo "make backup        dump the database and the uploaded files into var/backups/<time>/ (or BACKUP_DIR)"
	@echo "make restore BACKUP=var/backups/<time> [RESTORE_FORCE=1]   restore one (refuses a database that is not empty unless forced)"
	@echo "make bench  generate a national-scale dataset in PostgreSQL and measure pages, the PDF and the reminder sweep (several minutes)"
	@echo "make bench-small   the same benchmark on a 1% dataset (about a minute)"
	@echo "make load   Locust against gunicorn + Celery on the national dataset (under 15 minutes; LOAD_SCALE=small for a quick check)"

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/build/app.css: node_modules/.installed static/scss/app.scss scripts/build-assets.mjs
	node scripts/build-assets.mjs

# The translation catalogues, compiled with polib (scripts/compile_messages.py; no GNU gettext needed).
# Each .mo is a file target on its .po, so it is compiled again whenever the .po changes.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))

locale/%.mo: locale/%.po $(VENV)/.installed scripts/compile_messages.py
	$(PY) scripts/compile_messages.py $<

messages: $(MO_FILES)

setup: $(VENV)/.installed static/build/app.css $(MO_FILES)

assets: node_modules/.installed
	node scripts/build-assets.mjs

migrate: setup
	$(MANAGE) migrate --noinput

seed: migrate
	$(MANAGE) seed_demo

run: seed
	HOST=$(HOST) PORT=$(PORT) VENV=$(VENV) scripts/run-all.sh

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	DJANGO_SETTINGS_MODULE=compact_portal.settings.test $(MANAGE) check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=compact_portal.settings.test $(MANAGE) makemigrations --check --dry-run

# The suite runs a tiny load test too, so it installs Locust (requirements-load.txt) as make load does.
test: lint $(VENV)/.load-installed
	$(VENV)/bin/pytest

test-fast: setup
	$(VENV)/bin/pytest -m "not browser" -x -q

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Browser tests use Debian's chromium; the PDF tests read text with poppler's pdftotext.
system-deps:
	@if command -v chromium >/dev/null && command -v pdftotext >/dev/null; then \
		echo "chromium and pdftotext are installed"; \
	else \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils; \
	fi

clean:
	rm -rf var static/build .pytest_cache .ruff_cache

# Backups: pg_dump -Fc (or SQLite's online backup) plus MEDIA_ROOT, with a manifest of SHA-256s.
# See compact_portal/backup.py and README.md ("Backups").
.PHONY: backup restore
backup: $(VENV)/.installed
	scripts/backup.sh

restore: $(VENV)/.installed
	scripts/restore.sh $(BACKUP)

# The benchmark needs PostgreSQL. It uses the server DATABASE_URL names when that is a postgres URL
# (the database itself is always the benchmark's own, compact_portal_bench, dropped and made again).
BENCH_DATABASE_URL := $(if $(filter postgres%,$(DATABASE_URL)),$(DATABASE_URL),postgresql://postgres@127.0.0.1:5432/compact_portal_bench)
BENCH_ENV := DATABASE_URL=$(BENCH_DATABASE_URL) DJANGO_DEBUG=false

bench-check-postgres: setup
	@$(BENCH_ENV) $(PY) -c "import os, psycopg, dj_database_url as d; s = d.parse(os.environ['DATABASE_URL']); psycopg.connect(dbname='postgres', user=s['USER'] or None, password=s['PASSWORD'] or None, host=s['HOST'] or None, port=s['PORT'] or None).close()" \
		|| (echo "PostgreSQL is not reachable at $(BENCH_DATABASE_URL): start it, or set DATABASE_URL=postgresql://..." && exit 1)

bench: bench-check-postgres
	$(BENCH_ENV) $(MANAGE) bench --scale full --output var/bench

bench-small: bench-check-postgres
	$(BENCH_ENV) $(MANAGE) bench --scale small --compare-scale 0.005 --output var/bench-small

# The load test: Locust (requirements-load.txt, installed here) against gunicorn and a Celery worker
# run as docker-compose runs them, on PostgreSQL and Redis, on the dataset of make bench (in its own
# database, LOAD_DATABASE, made again each run). LOAD_SCALE=full (national, the default), small (1%)
# or a factor; LOAD_REDIS_URL is a Redis database of its own (flushed); LOAD_ARGS passes more options
# (python manage.py load --help), e.g. LOAD_ARGS='--beside "make bench"'. See README.md ("Load").
LOAD_SCALE ?= full
LOAD_REDIS_URL ?= redis://127.0.0.1:6379/10
LOAD_DATABASE ?= compact_portal_load_bench
LOAD_ARGS ?=

$(VENV)/.load-installed: requirements-load.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-load.txt
	touch $@

load: bench-check-postgres $(VENV)/.load-installed
	@$(PY) -c "import redis, sys; redis.Redis.from_url(sys.argv[1]).ping()" $(LOAD_REDIS_URL) \
		|| (echo "Redis is not reachable at $(LOAD_REDIS_URL): start it, or set LOAD_REDIS_URL=redis://..." && exit 1)
	$(BENCH_ENV) CELERY_BROKER_URL=$(LOAD_REDIS_URL) $(MANAGE) load --scale $(LOAD_SCALE) --database $(LOAD_DATABASE) --broker $(LOAD_REDIS_URL) --output var/load $(LOAD_ARGS)
