# Palabre: `make run` to serve on 127.0.0.1:5000, `make test` to run the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := PALABRE_ENV=development $(BIN)/flask --app wsgi
TEST_PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

# The suite also runs, on SQLite, at two other moments of the application's clock
# (PALABRE_CLOCK, read by casework/clock.py, moves it and the tests' "today" together): a leap
# day near midnight, Bamako time (= UTC), and a year after the real date.
LEAP_DAY := 2028-02-29T23:45:00+00:00
NEXT_YEAR = $(shell date -u -d '+1 year' +%Y-%m-%dT%H:%M:%S+00:00)

.PHONY: run test lint test-sqlite test-postgres test-leap-day test-next-year install \
	test-sqlite-in-process test-sqlite-servers test-postgres-in-process test-postgres-servers \
	test-browser \
	translations messages check-workflows check-logframe bench screenshots clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/activate
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed translations

translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d casework/translations

# Extract the strings shown to people and merge them into the catalogues (then translate casework/translations/fr).
messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		-o casework/translations/messages.pot .
	$(BIN)/pybabel update -i casework/translations/messages.pot -d casework/translations \
		-l fr -w 100 --no-fuzzy-matching --ignore-obsolete

run: install
	$(FLASK) setup --url http://127.0.0.1:$(PORT)/
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

check-workflows: install
	$(FLASK) check-workflows

check-logframe: install
	$(FLASK) check-logframe

# The runs are independent (each its own databases and servers on free ports). Each run at the
# real date is cut into what runs in process and what drives servers; the browser journeys run
# once, on PostgreSQL (below). make runs the seven pieces two at a time, the longest first, so
# that both cores stay busy to the end; each piece's output is printed whole when it ends.
test: lint
	$(MAKE) --no-print-directory -j2 --output-sync=target \
		test-postgres-in-process test-next-year test-leap-day test-sqlite-in-process \
		test-browser test-postgres-servers test-sqlite-servers

# bandit: any finding fails; a `# nosec Bxxx` only for a proven false positive, reason on the line.
# lint-imports: the layers and the engine's independence, as .importlinter declares them.
lint: install
	$(BIN)/ruff check .
	$(BIN)/bandit -q -r casework workflows
	$(BIN)/lint-imports

SERVERS := tests/concurrency
IN_PROCESS := --ignore=tests/concurrency --ignore=tests/browser
PG := PALABRE_TEST_DATABASE=$(TEST_PG_URL)

test-sqlite: test-sqlite-in-process test-sqlite-servers
test-postgres: test-postgres-in-process test-postgres-servers test-browser

test-sqlite-in-process: install
	$(BIN)/python -m pytest -q $(IN_PROCESS)

test-sqlite-servers: install
	$(BIN)/python -m pytest -q $(SERVERS)

test-postgres-in-process: install
	$(PG) $(BIN)/python -m pytest -q $(IN_PROCESS)

test-postgres-servers: install
	$(PG) $(BIN)/python -m pytest -q $(SERVERS)

# The browser journeys (Chromium on a phone against a live server) run once, against
# PostgreSQL, the database of a real deployment: what they check is the browser's side (pages,
# forms, scripts, the offline queue, cookies, CSRF), which does not change with the database;
# each database's side of the same requests is checked by its in-process run, and the live
# servers under load by tests/concurrency on both. `pytest tests/browser` runs them on SQLite.
test-browser: install
	$(PG) $(BIN)/python -m pytest -q tests/browser

# The moved-clock runs are the in-process suite: they leave out tests/concurrency (crashes,
# races, locks under load: nothing in them reads a date) and tests/browser (Chromium keeps the
# real date, which PALABRE_CLOCK does not move), both held by the runs at the real date.
MOVED_CLOCK_RUN := $(BIN)/python -m pytest -q $(IN_PROCESS)

test-leap-day: install
	PALABRE_CLOCK=$(LEAP_DAY) $(MOVED_CLOCK_RUN)

test-next-year: install
	PALABRE_CLOCK=$(NEXT_YEAR) $(MOVED_CLOCK_RUN)

# Not part of `make test`: generates 700 communes and 100,000 cases, then measures the main
# pages in process and under gunicorn with 16 connections (on PostgreSQL too when DATABASE_URL
# names one); writes bench/results.json.
bench: install
	$(BIN)/python -m bench.run --http

# The user guide's screenshots: the browser journeys, which then also save their named screens,
# cut and reduced, into docs/guide/img/ (tests/browser/guide.py). Commit the images that change.
screenshots: install
	PALABRE_GUIDE_IMAGES=$(CURDIR)/docs/guide/img $(BIN)/python -m pytest -q \
		tests/browser/test_journeys.py tests/browser/test_mechanism_journey.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
