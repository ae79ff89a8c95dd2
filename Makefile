# Two commands on a fresh machine:  `make lab` opens the course, `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup data lab test test-install execute benchmark student

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the dependency list changes; a second `make lab` reuses the venv.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

setup: $(STAMP)

data: setup  ## download (first time only) and verify the datasets
	$(BIN)/python -m course_helpers.data

# Jupyter refuses to run as root unless told; containers and some lab machines run as root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root)

lab: data  ## open the course in JupyterLab
	$(BIN)/jupyter lab $(ROOT_FLAG) notebooks/

test: data  ## every test: package, notebooks (nbval) and the browser test
	$(BIN)/python -m pytest

execute: setup  ## re-run every notebook top to bottom in a fresh kernel, saving outputs
	$(BIN)/python -m course_helpers.execute notebooks/*.ipynb

benchmark: data  ## the results table in the README and lesson 7 (about 6 minutes on 2 cores)
	$(BIN)/python -m course_helpers.benchmark --seeds 5 --ensemble 20 --explorer --json notebooks/benchmark.json

test-install: data  ## slow (~3-4 min): fresh venv from environment.yml, binder/postBuild, one lesson
	$(BIN)/python -m pytest -m install tests/install

student: setup  ## hand-out copies in dist/student/: solution cells removed, outputs cleared
	$(BIN)/python -m course_helpers.student --out dist/student notebooks/*.ipynb
