# Two commands do all the set-up on a fresh Debian or Ubuntu machine:
#   make demo   — from nothing to the demo county at http://$(HOST):$(PORT)
#   make test   — from nothing to the whole suite passing (SQLite, then PostgreSQL if it answers)

PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 5000
WORKERS ?= 2
VENV := .venv
BIN := $(VENV)/bin
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=
# pytest-xdist: one worker per core, each on its own database (tests/databases.py); a module
# marked xdist_group stays on one worker (its expensive module fixtures are built once).
PYTEST_WORKERS ?= auto
PYTEST := $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup

# What the site needs from the system, and what the tests need besides (Java: the Nu HTML Checker).
DEMO_PACKAGES := python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk
TEST_PACKAGES := $(DEMO_PACKAGES) chromium poppler-utils zbar-tools postgresql-client default-jre-headless

.PHONY: demo test bench lint test-sqlite test-postgres serve install system-demo system-test check-python clean messages translations

demo: install
	$(BIN)/transparency db upgrade
	$(BIN)/transparency demo-data
	$(BIN)/transparency search rebuild
	@echo "演示网站： http://$(HOST):$(PORT)  （按 Ctrl+C 停止）"
	$(BIN)/gunicorn --preload --workers $(WORKERS) --bind $(HOST):$(PORT) --access-logfile - wsgi:app

serve: install
	$(BIN)/gunicorn --preload --workers $(WORKERS) --bind $(HOST):$(PORT) --access-logfile - wsgi:app

test: system-test install
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory test-sqlite
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_TEST_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		$(MAKE) --no-print-directory test-postgres; \
	else \
		echo "PostgreSQL 没有在 $(PG_TEST_URL) 应答：只在 SQLite 上运行了测试。"; \
	fi

# Every benchmark at a size that finishes in under 10 minutes on 2 cores; one RESULT line per target.
# `$(BIN)/python benchmarks/run_all.py --full` runs the issue's sizes.
bench:
	$(BIN)/python benchmarks/run_all.py

lint:
	$(BIN)/ruff check transparency tests migrations benchmarks scripts wsgi.py
	$(BIN)/ruff format --check transparency tests migrations benchmarks scripts wsgi.py

test-sqlite:
	@echo "== 在 SQLite 上运行测试 =="
	$(PYTEST) $(PYTEST_ARGS)

# The page sweeps (every page of every role, both languages: widths, axe, the Nu checker) check
# layout and markup, which the database does not change: they run once, in test-sqlite.
test-postgres:
	@echo "== 在 PostgreSQL 上运行测试 ($(PG_TEST_URL)) =="
	TEST_DATABASE_URL=$(PG_TEST_URL) $(PYTEST) -m "not page_sweep" $(PYTEST_ARGS)

install: check-python system-demo $(VENV)/.installed translations

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
		{ echo "需要 Python 3.11 或更高版本（现在是 $$($(PYTHON) --version)）。可用 PYTHON=python3.12 make … 指定。"; exit 1; }

system-demo:
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || sh scripts/system-packages.sh python3-venv
	@sh scripts/system-packages.sh $(filter-out python3-venv,$(DEMO_PACKAGES))
	@sh scripts/check-fonts.sh

system-test: system-demo
	@sh scripts/system-packages.sh $(filter-out python3-venv,$(TEST_PACKAGES))

# The Chinese msgids are the source; `make messages` extracts them and merges them into the
# English catalogue (new ones arrive untranslated: tests/core/test_catalogue.py then fails).
messages: install
	mkdir -p transparency/translations
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o transparency/translations/messages.pot .
	$(BIN)/pybabel update -i transparency/translations/messages.pot -d transparency/translations

# The compiled catalogues (.mo) are not in git: every install builds them from the .po files.
translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d transparency/translations

clean:
	rm -rf $(VENV) instance .pytest_cache
