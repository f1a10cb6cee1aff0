# The two commands a newcomer needs: `make demo` and `make test`. Both set everything up first.
# The interpreter the virtual environment is made from: the system's own Python where it is 3.11 or newer and
# can make one, else the first python3 on PATH; `make PYTHON=/path/to/python3` chooses another. A distribution's
# build links libpython into the executable; pyenv's default build (--enable-shared) calls it through a shared
# library, and on this project's machines the coder ran 12-18% slower on it (README, "Speed").
PYTHON ?= $(shell for p in /usr/bin/python3 python3; do \
	$$p -c 'import sys, ensurepip, venv; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; \
	done)
ifeq ($(PYTHON),)
$(error no Python 3.11 or newer that can make a virtual environment was found; run make PYTHON=/path/to/python3)
endif
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck contracts unit bench setup clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/openrcm demo

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

contracts: $(STAMP)
	$(BIN)/lint-imports

unit: $(STAMP)
	$(BIN)/pytest

test: lint typecheck contracts unit

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_codesets.py
	$(BIN)/python benchmarks/bench_claims.py
	$(BIN)/python benchmarks/bench_remit.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
