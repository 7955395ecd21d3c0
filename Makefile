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

export FANSHELF_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test bench lint format migrate clean help

help:
	@echo "make run   - set up and serve the demo archive on http://$(HOST):$(PORT)/"
	@echo "make test  - set up and run the whole test suite"
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

# Debian packages the browser tests need: Chromium (never a downloaded browser)
# and Node.js/npm to fetch axe-core from the npm registry.
$(STAMPS)/debian: | $(STAMPS)/venv
	@missing=""; \
	  [ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	  command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	  fc-list 2>/dev/null | grep -qi dejavu || missing="$$missing fonts-dejavu-core"; \
	  if [ -n "$$missing" ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    $(APT_GET) update -qq && $(APT_GET) install -y -qq $$missing; \
	  fi
	touch $@

$(STAMPS)/npm: tests/browser/package.json | $(STAMPS)/debian
	cd tests/browser && npm install --no-audit --no-fund --silent
	touch $@

migrate: $(STAMPS)/app
	$(BIN)/fanshelf migrate --verbosity 0

# The background worker runs beside the web server and stops with it.
run: migrate
	$(BIN)/fanshelf demo
	@echo "Fanshelf: http://$(HOST):$(PORT)/  (stop with Ctrl-C)"
	$(BIN)/fanshelf worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/fanshelf serve --host $(HOST) --port $(PORT)

test: $(STAMPS)/dev $(STAMPS)/npm
	$(BIN)/ruff check .
	$(BIN)/pytest

$(STAMPS)/wrk: | $(STAMPS)/venv
	command -v wrk >/dev/null || ($(APT_GET) update -qq && $(APT_GET) install -y -qq wrk)
	touch $@

# Benchmarks print figures (see docs/performance.md); they never fail on a time.
bench: $(STAMPS)/app $(STAMPS)/wrk
	$(BIN)/python bench/text_bench.py
	$(BIN)/python bench/http_bench.py
	$(BIN)/python bench/autocomplete_bench.py

lint: $(STAMPS)/dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMPS)/dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) tests/browser/node_modules test-output
