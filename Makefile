# The two commands of the README.  Each creates or refreshes .venv, then runs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench fuzz clean i18n

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "openpiu needs Python 3.11 or newer (PYTHON=$(PYTHON))"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# The demo: a day of synthetic traffic (made on the first run under ./demo-data),
# received, stored and screened as a PIU would; then the analyst application at
# http://127.0.0.1:8000 with the demo logins printed (Ctrl-C stops).
run: $(STAMP)
	$(BIN)/piu demo

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q

# Gather the UI's strings and merge them into each language's catalogue (then
# translate the new entries in src/openpiu/web/locale/*/LC_MESSAGES/messages.po).
LOCALE := src/openpiu/web/locale
i18n: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ --no-location --sort-output -o $(LOCALE)/messages.pot .
	@for lang in ru; do \
		if [ -f $(LOCALE)/$$lang/LC_MESSAGES/messages.po ]; then \
			$(BIN)/pybabel update -i $(LOCALE)/messages.pot -d $(LOCALE) -l $$lang --no-fuzzy-matching; \
		else $(BIN)/pybabel init -i $(LOCALE)/messages.pot -d $(LOCALE) -l $$lang; fi; \
	done

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/ingest_paxlst.py
	$(BIN)/python bench/ingest_pnrgov.py
	$(BIN)/python bench/synth.py
	$(BIN)/python bench/screening_quality.py
	$(BIN)/python bench/holdout.py
	$(BIN)/python bench/screening.py
	$(BIN)/python bench/rescreen.py

# Longer fuzzing than the test run does (minutes, not seconds).
fuzz: $(STAMP)
	PIU_FUZZ_EXAMPLES=20000 $(BIN)/python -m pytest -q tests/formats/test_paxlst_fuzz.py \
		tests/formats/test_pnrgov_fuzz.py tests/formats/test_pnrgov_xml_fuzz.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis piu.db piu.db-wal piu.db-shm
