# Two commands matter (see README): `make plan` and `make test`. Both set up .venv on first use.
# `make check` is what CI runs: `make lint typecheck test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
STACK  ?= dev

.PHONY: setup plan test lint typecheck check validate synth bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "streamplane needs Python 3.11+")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,flink]'
	@touch $(STAMP)

setup: $(STAMP)

plan: $(STAMP)
	$(BIN)/streamplane plan --stack $(STACK)

validate: $(STAMP)
	$(BIN)/streamplane validate --stack $(STACK)

synth: $(STAMP)
	$(BIN)/streamplane synth --stack $(STACK)

test: $(STAMP)
	$(BIN)/python -m pytest -n 2

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

# What CI runs (.ci/run): lint, type check, then the suite.
check: lint typecheck test

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache
