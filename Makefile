# Palabre: `make run` to serve on 127.0.0.1:5000, `make test` to run the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := PALABRE_ENV=development $(BIN)/flask --app wsgi
TEST_PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: run test lint test-sqlite test-postgres install translations messages check-workflows bench clean

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
	$(FLASK) setup
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

check-workflows: install
	$(FLASK) check-workflows

test: lint test-sqlite test-postgres

# bandit: any finding fails; a `# nosec Bxxx` only for a proven false positive, reason on the line.
lint: install
	$(BIN)/ruff check .
	$(BIN)/bandit -q -r casework workflows

test-sqlite: install
	$(BIN)/python -m pytest -q

test-postgres: install
	PALABRE_TEST_DATABASE=$(TEST_PG_URL) $(BIN)/python -m pytest -q

# Not part of `make test`: generates 700 communes and 100,000 cases, then measures the main
# pages (on PostgreSQL too when DATABASE_URL names one); writes bench/results.json.
bench: install
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
