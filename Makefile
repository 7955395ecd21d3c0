# Fanshelf: `make run` serves the demo archive, `make test` runs every test.
# Both set up what they need from nothing on Debian with Python 3.11, as root,
# and are quick to re-run: each step leaves a stamp and is skipped when done.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMPS := $(VENV)/stamps
HOST ?= 127.0.0.1
PORT ?= 8000
APT_GET := DEBIAN_FRONTEND=noninteractive apt-get
PG_BIN := /usr/lib/postgresql/15/bin
# Extra pytest arguments, e.g. `make test-postgres PYTEST_ARGS="tests/tags -x"`.
PYTEST_ARGS ?=

export FANSHELF_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test test-sqlite test-postgres bench lint format migrate clean help

help:
	@echo "make run   - set up and serve the demo archive on http://$(HOST):$(PORT)/"
	@echo "make test  - set up and run the whole test suite, on SQLite and on PostgreSQL"
	@echo "make test-sqlite / make test-postgres - the suite on one database only"
	@echo "make bench - run the benchmarks in bench/ and print their figures"

$(STAMPS)/venv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	mkdir -p $(STAMPS) && touch $@

$(STAMPS)/app: $(STAMPS)/venv pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(STAMPS)/dev: $(STAMPS)/app
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# psycopg, for the test run on PostgreSQL.
$(STAMPS)/postgres: $(STAMPS)/app
	$(BIN)/pip install --quiet -e '.[postgres]'
	touch $@

# Debian packages PDF downloads need, for `make run` as for the tests: Pango (WeasyPrint
# lays text out with it) and fonts that cover Latin, Greek, Cyrillic, Hebrew and Arabic
# (DejaVu) and Chinese, Japanese and Korean (WenQuanYi Micro Hei, 5 MB installed).
$(STAMPS)/pdf: Makefile | $(STAMPS)/venv
	@missing=""; \
	  ldconfig -p | grep -q 'libpango-1.0.so.0 ' || missing="$$missing libpango-1.0-0"; \
	  ldconfig -p | grep -q 'libpangoft2-1.0.so.0 ' || missing="$$missing libpangoft2-1.0-0"; \
	  fc-list 2>/dev/null | grep -qi 'DejaVu Sans' || missing="$$missing fonts-dejavu-core"; \
	  fc-list 2>/dev/null | grep -qi 'WenQuanYi Micro Hei' || missing="$$missing fonts-wqy-microhei"; \
	  if [ -n "$$missing" ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    $(APT_GET) update -qq && $(APT_GET) install -y -qq $$missing; \
	  fi
	touch $@

# Debian packages the tests need: Chromium (never a downloaded browser), Node.js/npm
# to fetch axe-core from the npm registry, the PostgreSQL 15 server, Redis, and epubcheck
# (Java; the EPUB tests run it on every file they write). Checked
# again whenever this Makefile changes (cheap when nothing is missing).
$(STAMPS)/debian: Makefile | $(STAMPS)/venv $(STAMPS)/pdf
	@missing=""; \
	  [ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	  [ -x $(PG_BIN)/pg_ctl ] || missing="$$missing postgresql"; \
	  command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	  fc-list 2>/dev/null | grep -qi dejavu || missing="$$missing fonts-dejavu-core"; \
	  [ -e /usr/bin/epubcheck ] || missing="$$missing epubcheck"; \
	  [ -x /usr/bin/redis-server ] || missing="$$missing redis-server"; \
	  if [ -n "$$missing" ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    $(APT_GET) update -qq && $(APT_GET) install -y -qq $$missing; \
	  fi
	touch $@

$(STAMPS)/npm: tests/browser/package.json | $(STAMPS)/debian
	cd tests/browser && npm install --no-audit --no-fund --silent
	touch $@

migrate: $(STAMPS)/app $(STAMPS)/pdf
	$(BIN)/fanshelf migrate --verbosity 0

# The background worker runs beside the web server and stops with it.
run: migrate
	$(BIN)/fanshelf demo
	@echo "Fanshelf: http://$(HOST):$(PORT)/  (stop with Ctrl-C)"
	$(BIN)/fanshelf worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/fanshelf serve --host $(HOST) --port $(PORT)

# The whole suite runs twice, on SQLite and on PostgreSQL, side by side (each pytest
# uses one core; the two runs share nothing but the virtualenv), each into its own log
# under var/test-logs, printed whole when both have ended; `make test` fails if either
# did. `make test TEST_SERIAL=1` runs them one after the other, printing as they go.
TEST_LOGS := $(FANSHELF_DATA_DIR)/test-logs
test: $(STAMPS)/dev $(STAMPS)/npm $(STAMPS)/postgres
	$(BIN)/ruff check .
	@status=0; \
	  if [ -n "$(TEST_SERIAL)" ]; then \
	    $(MAKE) --no-print-directory test-sqlite || status=1; \
	    $(MAKE) --no-print-directory test-postgres || status=1; \
	    exit $$status; \
	  fi; \
	  mkdir -p $(TEST_LOGS); \
	  echo "== Both runs started; logs in $(TEST_LOGS)/{sqlite,postgres}.log"; \
	  $(MAKE) --no-print-directory test-sqlite >$(TEST_LOGS)/sqlite.log 2>&1 & sqlite=$$!; \
	  $(MAKE) --no-print-directory test-postgres >$(TEST_LOGS)/postgres.log 2>&1 & postgres=$$!; \
	  trap 'kill $$sqlite $$postgres 2>/dev/null' INT TERM HUP; \
	  wait $$sqlite || status=1; wait $$postgres || status=1; \
	  cat $(TEST_LOGS)/sqlite.log $(TEST_LOGS)/postgres.log; \
	  exit $$status

test-sqlite: $(STAMPS)/dev $(STAMPS)/npm
	@echo "== The test suite on SQLite"
	@start=$$(date +%s); \
	  env -u FANSHELF_DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS); status=$$?; \
	  echo "== SQLite run: $$(( $$(date +%s) - start ))s"; exit $$status

# A throwaway PostgreSQL 15 server and Redis 7 (the cache, as in production) in fresh
# folders under /tmp, on Unix sockets only (scripts/postgres.sh, scripts/redis.sh);
# both are stopped and deleted when the run ends, failed or interrupted.
# pytest-django creates and drops the test database in PostgreSQL.
test-postgres: $(STAMPS)/dev $(STAMPS)/npm $(STAMPS)/postgres
	@echo "== The test suite on PostgreSQL, with Redis as the cache"
	@start=$$(date +%s); \
	  pgdir=$$(mktemp -d /tmp/fanshelf-pg.XXXXXX); redisdir=$$(mktemp -d /tmp/fanshelf-redis.XXXXXX); \
	  trap 'scripts/postgres.sh stop "$$pgdir"; scripts/redis.sh stop "$$redisdir"' EXIT; \
	  trap 'exit 130' INT TERM HUP; \
	  scripts/postgres.sh start "$$pgdir" || exit 1; \
	  scripts/redis.sh start "$$redisdir" || exit 1; \
	  FANSHELF_REDIS_URL=$$(scripts/redis.sh url "$$redisdir") \
	  FANSHELF_DATABASE_URL=$$(scripts/postgres.sh url "$$pgdir") $(BIN)/pytest $(PYTEST_ARGS); \
	  status=$$?; \
	  echo "== PostgreSQL run: $$(( $$(date +%s) - start ))s"; exit $$status

$(STAMPS)/wrk: | $(STAMPS)/venv
	command -v wrk >/dev/null || ($(APT_GET) update -qq && $(APT_GET) install -y -qq wrk)
	touch $@

# Calibre's ebook-convert and epubcheck: what bench/downloads_bench.py compares our
# download formats with.
$(STAMPS)/calibre: Makefile | $(STAMPS)/venv
	@missing=""; \
	  command -v ebook-convert >/dev/null || missing="$$missing calibre"; \
	  [ -e /usr/bin/epubcheck ] || missing="$$missing epubcheck"; \
	  if [ -n "$$missing" ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    $(APT_GET) update -qq && $(APT_GET) install -y -qq $$missing; \
	  fi
	touch $@

# Benchmarks print figures (see docs/performance.md); they never fail on a time.
# Not here, as it takes over 15 minutes: the load test on 100,000 works,
# `$(BIN)/python bench/load.py --engine both` (bench/README.md).
bench: $(STAMPS)/app $(STAMPS)/wrk $(STAMPS)/pdf $(STAMPS)/calibre
	$(BIN)/python bench/text_bench.py
	$(BIN)/python bench/http_bench.py
	$(BIN)/python bench/autocomplete_bench.py
	$(BIN)/python bench/downloads_bench.py

lint: $(STAMPS)/dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMPS)/dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) tests/browser/node_modules test-output
