# The README's two set-up commands: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
# bash: the bench recipe reads a pipeline's first status (PIPESTATUS)
SHELL  := /bin/bash

.PHONY: demo test venv test-venv bench lint clean docs

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Re-install whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(VENV)/.installed $@

venv: $(VENV)/.installed
test-venv: $(VENV)/.installed-test

# The main job: the ExoMars 2028 scenario from launch to the last sol (see README).
# `areo demo` (Mars time, distance, light time, conjunctions) stays available on its own.
DEMO_OUT ?= out/exomars-2028

demo: venv
	$(BIN)/areo mission examples/exomars-2028.toml --out $(DEMO_OUT)
	@echo "Open $(CURDIR)/$(DEMO_OUT)/report.html in a browser."

test: test-venv
	$(BIN)/python -m pytest

bench: test-venv
	$(BIN)/python -m pip install -q -e '.[test,bench]'
	@log=$$(mktemp); trap 'rm -f "$$log"' EXIT; \
	for b in benchmarks/bench_*.py; do echo "== $$b"; \
	  $(BIN)/python $$b 2>&1 | tee -a "$$log"; test $${PIPESTATUS[0]} -eq 0 || exit 1; done; \
	echo "== issue 18 performance targets (work | areo | peer or limit | ratio | target | status | load)"; \
	grep '^TARGET |' "$$log" | sed 's/^TARGET | //'

# The documentation site into site/, offline (docs/hooks/build.py runs every example first).
$(VENV)/.installed-docs: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[docs]'
	touch $(VENV)/.installed $@

docs: $(VENV)/.installed-docs
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --quiet --site-dir site

lint: test-venv
	$(BIN)/ruff check src tests benchmarks

clean:
	rm -rf $(VENV) build src/*.egg-info
