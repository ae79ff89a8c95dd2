# Two commands on a fresh machine:  `make lab` opens the course, `make test` runs every test.
# The Python for .venv: python3 if it is 3.11 to 3.13 (TensorFlow 2.21 has no wheels for 3.14),
# else python3.13, python3.12 or python3.11. `make lab PYTHON=python3.12` chooses (and is checked).
PYTHON ?= python3
PYTHON_ARG := $(if $(filter file default,$(origin PYTHON)),,$(PYTHON))
FIND_PYTHON = MAKE_GOAL="$(or $(firstword $(MAKECMDGOALS)),lab)" sh scripts/find-python.sh
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup data lab test test-install execute benchmark benchmark-capstone student

# Checks the interpreter before anything is installed; if creating .venv fails, none is left.
$(BIN)/python:
	@$(FIND_PYTHON) --venv $(VENV) $(PYTHON_ARG)

.PHONY: python-check
python-check:  ## which Python `make setup` would use, or why none fits
	@$(FIND_PYTHON) $(PYTHON_ARG)

# Reinstall only when the dependency list changes; a second `make lab` reuses the venv.
$(STAMP): pyproject.toml | $(BIN)/python
	@$(FIND_PYTHON) --check-venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

setup: $(STAMP)

data: setup  ## download (first time only; from $COURSE_DATA_URL if set) and verify the datasets
	$(BIN)/python -m course_helpers.download

# Jupyter refuses to run as root unless told; containers and some lab machines run as root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root)

lab: data  ## open the course in JupyterLab
	$(BIN)/jupyter lab $(ROOT_FLAG) notebooks/

test: data  ## every test: package, notebooks (nbval) and the browser test
	$(BIN)/python -m pytest

execute: setup  ## re-run every notebook top to bottom in a fresh kernel, saving outputs
	$(BIN)/python -m course_tools.execute notebooks/*.ipynb

benchmark: data  ## the results table in the README and lesson 7 (about 6 minutes on 2 cores)
	$(BIN)/python -m course_tools.benchmark --seeds 5 --ensemble 20 --explorer --json notebooks/benchmark.json

benchmark-capstone: data  ## lesson 8's table in the README, and fit against model.fit (about a minute on 2 cores)
	$(BIN)/python -m course_tools.benchmark_capstone --json notebooks/capstone_benchmark.json

test-install: data  ## slow (~3-4 min): fresh venv from environment.yml, binder/postBuild, one lesson
	$(BIN)/python -m pytest -m install tests/install

student: setup  ## hand-out copies in dist/student/: solution cells removed, outputs cleared
	$(BIN)/python -m course_tools.handouts --out dist/student notebooks/*.ipynb
