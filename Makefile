# Every target sets itself up from a fresh clone: venv, install, services.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint install migrate shell bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## make run: migrate, then serve Slack if credentials are set, else open the local shell
run: $(STAMP)
	$(BIN)/copbot run

## make test: the whole suite, PostgreSQL included (started if it does not answer)
test: $(STAMP)
	bash .ci/ensure-postgres
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## make lint: formatting, lint rules and types
lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

migrate: $(STAMP)
	$(BIN)/copbot migrate

shell: $(STAMP)
	$(BIN)/copbot shell

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
