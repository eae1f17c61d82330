# Qabilet — the two commands that matter:
#   make demo   install everything, build the demo database, serve it at http://127.0.0.1:5000
#   make test   install everything, run the whole suite on SQLite, on PostgreSQL and in chromium
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := QABILET_DEVELOPMENT=1 $(PY) -m flask --app survey
INSTALLED := $(VENV)/.installed

.PHONY: install catalogues system-deps demo serve test test-sqlite test-postgres test-browser \
        lint translations-extract bench clean

$(PY):
	$(PYTHON) -m venv $(VENV) || { apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); }

$(INSTALLED): setup.cfg pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

## install: virtual environment, Python packages, compiled translation catalogues
install: $(INSTALLED) catalogues

catalogues: $(INSTALLED)
	$(PY) -m babel.messages.frontend compile -d translations

## system-deps: Debian packages the tests use (postgresql, chromium), when missing
system-deps:
	.ci/system-deps

## demo: a realistic demo on SQLite, served at http://127.0.0.1:5000 with the job consumer
## (e-mail, the scheduler) beside it; both stop with Ctrl-C
demo: install
	$(FLASK) db upgrade
	$(FLASK) demo
	$(FLASK) jobs consume --workers 2 & consumer=$$!; \
	trap 'kill $$consumer 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port 5000

## test: the whole suite — SQLite, PostgreSQL (throwaway cluster), then the browser tests
test: install system-deps
	$(MAKE) --no-print-directory lint test-sqlite test-postgres test-browser

test-sqlite:
	$(PY) -m pytest -m "not browser" -p no:cacheprovider

# Two tests bring their own databases and ran in test-sqlite: the production recipe (its own
# PostgreSQL, Redis and nginx) and the consumer killed mid-send (its own SQLite queue).
test-postgres:
	.ci/with-postgres $(PY) -m pytest -m "not browser" -p no:cacheprovider \
		--deselect tests/app/test_production_stack.py \
		--deselect tests/admin/test_mail_consumer.py

test-browser:
	$(PY) -m pytest -m browser -p no:cacheprovider

lint: $(INSTALLED)
	$(PY) -m ruff check survey analysis tests bench deploy
	$(PY) -m mypy --strict analysis

## translations-extract: refresh translations/messages.pot and merge it into the catalogues
translations-extract: $(INSTALLED)
	$(FLASK) translate extract

## bench: the benchmarks (analysis at national scale, respondent load, e-mail, HR dashboard)
bench: install system-deps
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) bench/analysis.py
	$(PY) bench/respondent.py
	$(PY) bench/floor.py
	QABILET_PG_DURABLE=1 .ci/with-postgres $(PY) bench/mail.py
	$(PY) bench/dashboard.py
	QABILET_PG_DURABLE=1 .ci/with-postgres $(PY) bench/dashboard.py --postgres

clean:
	rm -rf $(VENV) instance .pytest_cache
	find . -name __pycache__ -prune -exec rm -rf {} +
	find translations -name '*.mo' -delete
