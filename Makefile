# Edu-ASI: two commands do everything on a fresh machine.
#   make run    python3 run.py: virtual environment, install, migrate, quiz bank, demo educator, serve on the LAN
#   make test   the whole test suite (SQLite; PostgreSQL too when TEST_DATABASE_URL is set)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 0.0.0.0
PORT ?=
export FLASK_APP := wsgi

.PHONY: run test lint format install install-dev translations migrate quizzes demo system-deps e2e-deps bench clean extract-messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed translations

install-dev: install $(VENV)/.installed-dev

translations: $(VENV)/.installed
	@$(BIN)/pybabel compile -d app/translations -f > /dev/null

# Extract new UI texts and merge them into the Indonesian catalog (then translate the new entries).
extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location -o app/translations/messages.pot app
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching -w 100

migrate: install
	$(BIN)/flask db upgrade

quizzes: migrate
	$(BIN)/flask quizzes load

demo: quizzes
	@$(BIN)/flask demo

# The launcher does everything (run.py: virtual environment, install, migrate, quiz bank, demo
# educator, serve with waitress on the LAN); Windows and macOS start the same file.
run:
	$(PYTHON) run.py --host $(HOST) $(if $(PORT),--port $(PORT))

# Chromium (browser tests and screenshots), poppler (PDF checks), R with car and psych (the live
# reference of tests/analysis), LibreOffice (the Word and Excel files converted as a lecturer opens them)
# and PSPP (the .sav files run as SPSS would), from Debian's packages, when missing.
system-deps:
	@missing=""; \
	command -v chromium > /dev/null || missing="$$missing chromium"; \
	command -v Rscript > /dev/null || missing="$$missing r-base-core"; \
	Rscript -e 'library(car)' > /dev/null 2>&1 || missing="$$missing r-cran-car"; \
	Rscript -e 'library(psych)' > /dev/null 2>&1 || missing="$$missing r-cran-psych"; \
	command -v pdftoppm > /dev/null || missing="$$missing poppler-utils"; \
	command -v npm > /dev/null || missing="$$missing npm"; \
	command -v soffice > /dev/null || missing="$$missing libreoffice-writer-nogui"; \
	[ -e /usr/lib/libreoffice/program/libsclo.so ] || missing="$$missing libreoffice-calc-nogui"; \
	command -v pspp > /dev/null || missing="$$missing pspp"; \
	command -v zbarimg > /dev/null || missing="$$missing zbar-tools"; \
	fc-list 2>/dev/null | grep -qi dejavu || missing="$$missing fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
		echo "Installing:$$missing"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing > /dev/null; \
	fi

# axe-core for the accessibility checks of the browser tests (tests/e2e), from the npm registry.
AXE_JS := tests/e2e/node_modules/axe-core/axe.min.js
$(AXE_JS): tests/e2e/package.json tests/e2e/package-lock.json | system-deps
	npm ci --prefix tests/e2e --no-audit --no-fund --loglevel=error
	touch $@

e2e-deps: $(AXE_JS)

test: install-dev system-deps e2e-deps
	$(BIN)/python -m pytest

# ruff (lint and format check) on the whole tree, mypy on analysis/ and app/services/.
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Every benchmark once, each printing its figures and ratios (bench/README.md says what each measures).
BENCHES := bench_request_cost bench_server bench_autosave bench_sqlite_sync bench_analysis bench_followup bench_reports bench_bundle
bench: install-dev
	$(BIN)/pip install --quiet -r bench/requirements.txt
	@for b in $(BENCHES); do echo "== $$b"; $(BIN)/python bench/$$b.py || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
