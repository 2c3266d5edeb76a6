# maca: the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

# Debian packages: what the running service needs (WeasyPrint's libraries, Arial-metric fonts)
# and what the tests need besides (Chromium for the browser tests, poppler for pdftotext).
RUNTIME_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2
TEST_DEBS := chromium poppler-utils libreoffice-writer-nogui

.PHONY: demo install test test-calendar lint format bench check-debs clean help

help:
	@echo "make demo     set up, load the demo data and serve it on http://$(HOST)"
	@echo "make test     run the test suite (SQLite, and PostgreSQL when reachable)"
	@echo "make test-calendar  the date-sensitive tests on SQLite with the clock a year back"
	@echo "make install  create .venv with everything installed; the CLI is .venv/bin/maca"
	@echo "make lint     ruff check and format check, and mypy (types)"
	@echo "make bench    the benchmarks: report, national scale, load (docs/performance.md)"

$(BIN)/maca: requirements.lock requirements-uv.lock pyproject.toml
	@scripts/check-python "$(PYTHON)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-uv.lock
	$(BIN)/uv pip install --quiet --native-tls --python $(BIN)/python --require-hashes --no-deps --compile-bytecode -r requirements.lock
	$(BIN)/pip check
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

install: $(BIN)/maca

demo: install
	@scripts/check-debs --warn $(RUNTIME_DEBS)
	$(BIN)/maca migrate --noinput
	$(BIN)/maca load-demo
	@echo "\nmaca is starting on http://$(HOST)/ (Ctrl-C stops it)"
	MACA_DEMO=1 $(BIN)/maca runserver $(HOST)

test: install
	@scripts/check-debs --warn $(TEST_DEBS) $(RUNTIME_DEBS)
	scripts/run-tests

test-calendar: install
	scripts/test-calendar

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	@scripts/check-debs --warn $(RUNTIME_DEBS)
	scripts/bench

check-debs:
	@scripts/check-debs $(RUNTIME_DEBS) $(TEST_DEBS)

clean:
	rm -rf $(VENV) var
