# make run: set up and serve the app on http://localhost:$(PORT)
# make test: set up the same way and run the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed
PORT ?= 8501
export TRACKER_DB ?= data/tracker.duckdb

.PHONY: run test lint format db clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

# the schema brought up to date (the app never migrates), then the demo data on first run
db: $(STAMP)
	$(BIN)/python -m tracker migrate
	$(BIN)/python -m tracker init

run: db
	$(BIN)/streamlit run server.py --server.port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
