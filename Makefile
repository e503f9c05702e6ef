# Closeloop: `make run` serves the app with the demo organisation, `make test` runs every check.
SHELL := /bin/bash
.DEFAULT_GOAL := run

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
CLOSELOOP := $(BIN)/closeloop
HOST_PORT ?= 127.0.0.1:8000
# Workers for pytest-xdist; PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= 2
PYTEST_ARGS ?=

# Installing is skipped while pyproject.toml is unchanged: the stamp's name carries its hash.
DEPS_HASH := $(shell sha256sum pyproject.toml | cut -c1-16)
STAMP := $(VENV)/.installed-$(DEPS_HASH)
TEST_STAMP := $(VENV)/.installed-test-$(DEPS_HASH)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint install install-test messages migrate demo browser office ldap ldap-build-deps clean fuzz score bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# python-ldap (for django-auth-ldap) is built from source: it needs OpenLDAP's and SASL's headers and a compiler.
LDAP_BUILD_DEPS := libldap2-dev libsasl2-dev gcc $(PYTHON)-dev
ldap-build-deps:
	@if ! dpkg -s $(LDAP_BUILD_DEPS) >/dev/null 2>&1; then \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    $(LDAP_BUILD_DEPS) >/dev/null; \
	fi

$(STAMP): | $(BIN)/python ldap-build-deps
	@find $(VENV) -maxdepth 1 -name '.installed-*' ! -name '*-$(DEPS_HASH)' -delete
	@[ -f $(TEST_STAMP) ] || $(BIN)/pip install -q -e .
	@touch $@

$(TEST_STAMP): | $(BIN)/python ldap-build-deps
	@find $(VENV) -maxdepth 1 -name '.installed-*' ! -name '*-$(DEPS_HASH)' -delete
	$(BIN)/pip install -q -e '.[test]'
	@touch $@ $(STAMP)

install: $(STAMP)
install-test: $(TEST_STAMP)

# Compiles the translation catalogue when there is one; msgfmt comes from Debian's gettext.
messages: $(STAMP)
	@if [ -d closeloop/locale ]; then \
	  if ! command -v msgfmt >/dev/null; then \
	    $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq gettext >/dev/null; \
	  fi; \
	  cd closeloop && ../$(CLOSELOOP) compilemessages -v 0; \
	fi

migrate: $(STAMP)
	$(CLOSELOOP) migrate --noinput -v 0

# The demo goes in only when the database has no organisation yet.
demo: migrate
	$(CLOSELOOP) demo --if-empty

# The development server and one outbox worker; stopping the server (Ctrl-C) stops the worker too.
# Unless SMTP is configured, mail goes to files in data/mail so the server log stays readable.
# Links in mails and robot cards lead to this server unless SITE_URL says otherwise.
run: export SITE_URL ?= http://$(HOST_PORT)
run: messages demo
	@EMAIL_FILE_PATH="$${EMAIL_FILE_PATH:-$(CURDIR)/data/mail}" $(CLOSELOOP) worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	echo "Closeloop: http://$(HOST_PORT)/"; \
	$(CLOSELOOP) runserver $(HOST_PORT)

# Debian's Chromium and CJK fonts for the browser tests (Playwright drives /usr/bin/chromium).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

# LibreOffice without its GUI and poppler for the visual check of the .docx and .xlsx (PDF → PNG).
office:
	@if ! command -v soffice >/dev/null || ! command -v pdftoppm >/dev/null; then \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends \
	    libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils fonts-noto-cjk >/dev/null; \
	fi

# Debian's OpenLDAP server for the directory tests (closeloop/directory/testing.py starts its own slapd).
ldap:
	@if [ ! -x /usr/sbin/slapd ]; then \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    slapd ldap-utils >/dev/null; \
	fi

# Lint: ruff, the house plan's import contracts (.importlinter), no missing migration.
lint: $(TEST_STAMP)
	$(BIN)/ruff check closeloop
	$(BIN)/lint-imports
	$(CLOSELOOP) makemigrations --check --dry-run -v 1

test: lint messages browser office ldap
	$(BIN)/pytest -q $(if $(filter-out 0,$(PYTEST_WORKERS)),-n $(PYTEST_WORKERS)) $(PYTEST_ARGS)

# The long fuzzing run: schemathesis sends FUZZ_EXAMPLES (default 1000) generated requests per API operation (valid,
# invalid and on real ids, shared) for each of four roles, on SQLite, and prints the figures per role; `make test`
# runs the same with 4.
# Each role's operations are split into FUZZ_SHARDS tests so the PYTEST_WORKERS processes stay busy; a line of
# running figures goes to data/fuzz-progress.txt after each operation. A subset: FUZZ_ARGS='-k administrator'
# (roles: anonymous, participant, department_head, administrator) and/or FUZZ_OPERATIONS='regex on METHOD /path'.
FUZZ_EXAMPLES ?= 1000
FUZZ_SHARDS ?= 2
FUZZ_OPERATIONS ?=
FUZZ_ARGS ?=
fuzz: $(TEST_STAMP)
	@rm -f data/fuzz-figures.txt data/fuzz-progress.txt; mkdir -p data
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_SHARDS=$(FUZZ_SHARDS) FUZZ_OPERATIONS='$(FUZZ_OPERATIONS)' \
	  FUZZ_REPORT=$(CURDIR)/data/fuzz-figures.txt FUZZ_PROGRESS=$(CURDIR)/data/fuzz-progress.txt \
	  $(BIN)/pytest -q $(if $(filter-out 0,$(PYTEST_WORKERS)),-n $(PYTEST_WORKERS)) closeloop/tests_fuzz $(FUZZ_ARGS); \
	  status=$$?; cat data/fuzz-figures.txt; exit $$status


# The smart-minutes extractor on the shared labelled set: `make score` (SCORE_ARGS=--errors lists the misses).
# shared/ sits beside the project root; SHARED=/path/to/shared points elsewhere.
SHARED ?= $(CURDIR)/../shared
SMART_CASES ?= $(SHARED)/smart-minutes/dev-cases.json
SMART_SCORER := $(SHARED)/smart-minutes/score.py
SCORE_ARGS ?=
score: $(STAMP)
	@if [ ! -f "$(SMART_CASES)" ] || [ ! -f "$(SMART_SCORER)" ]; then \
	  echo "make score: $(SMART_CASES) or $(SMART_SCORER) is missing." >&2; \
	  echo "The labelled set lives in shared/smart-minutes/ beside the project root (../shared);" \
	       "set SHARED=/path/to/shared if yours is elsewhere." >&2; \
	  exit 2; \
	fi
	@mkdir -p data
	@start=$$($(BIN)/python -c 'import json,sys; print(json.load(open(sys.argv[1]))["meeting_start"])' "$(SMART_CASES)"); \
	$(BIN)/python -c 'import json,sys; [print(c["text"].replace("\n", " ")) for c in json.load(open(sys.argv[1]))["cases"]]' \
	  "$(SMART_CASES)" | $(CLOSELOOP) extract --meeting-start "$$start" > data/smart-minutes-predictions.jsonl
	python3 "$(SMART_SCORER)" data/smart-minutes-predictions.jsonl --cases "$(SMART_CASES)" $(SCORE_ARGS)

# Issue 17's benchmarks on generated data (lists, reminder scan, delivery; then the extractor's speed and memory),
# ending with a table of figure / baseline / ratio. A few minutes on 2 cores; BENCH_ARGS=--big for a
# 5,000-person company (long); with DATABASE_URL=postgres://…/empty_db PostgreSQL is measured too.
BENCH_ARGS ?=
bench: $(TEST_STAMP)
	$(BIN)/python bench/all.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info
