# clusterkit: every target creates the virtual environment first when it is missing (quick when it exists).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# torch is installed first and pinned, so that pip never replaces the CPU wheel with a CUDA one.
TORCH ?= torch==2.13.0
STAMP := $(VENV)/.clusterkit-installed
NBDEV_WORKERS ?= 2

.PHONY: venv demo test test-nbs test-py docs readme export clean

$(STAMP): settings.ini setup.py
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip wheel
	$(BIN)/python -m pip install -q "$(TORCH)"
	$(BIN)/python -m pip install -q -e ".[dev]"
	@touch $(STAMP)

venv: $(STAMP)

## The main job: every method on embedded data that needs no download; prints a table, writes demo.png
demo: venv
	$(BIN)/clusterkit demo

## The tests: nbdev's notebook tests (fast cells only), then pytest over tests/ (which builds the docs site)
test: venv
	$(BIN)/nbdev_test --n_workers $(NBDEV_WORKERS) --timing
	$(BIN)/python -m pytest -q -rs tests

test-nbs: venv
	$(BIN)/nbdev_test --n_workers $(NBDEV_WORKERS) --timing

test-py: venv
	$(BIN)/python -m pytest -q -rs tests

## The documentation site, offline: nbdev's processors + MkDocs into _site/
docs: venv
	$(BIN)/python tools/build_docs.py

## README.md is generated from nbs/index.ipynb (nbdev_readme needs Quarto)
readme: venv
	$(BIN)/python tools/make_readme.py

export: venv
	$(BIN)/nbdev_export

clean:
	rm -rf _site _proc _docs build dist *.egg-info
