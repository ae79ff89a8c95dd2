# Two commands on a fresh machine:  `make lab` opens the course, `make test` runs every test.
# `make help` lists every target with what it does; `make` alone only creates .venv (first rule).
# The Python for .venv: python3 if it is 3.11 to 3.13 (TensorFlow 2.21 has no wheels for 3.14),
# else python3.13, python3.12 or python3.11. `make lab PYTHON=python3.12` chooses (and is checked).
PYTHON ?= python3
PYTHON_ARG := $(if $(filter file default,$(origin PYTHON)),,$(PYTHON))
FIND_PYTHON = MAKE_GOAL="$(or $(firstword $(MAKECMDGOALS)),lab)" sh scripts/find-python.sh
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup data lab test test-install execute benchmark benchmark-capstone benchmark-m4 instructor

# Checks the interpreter before anything is installed; if creating .venv fails, none is left.
$(BIN)/python:
	@$(FIND_PYTHON) --venv $(VENV) $(PYTHON_ARG)

.PHONY: python-check help
python-check:  ## which Python `make setup` would use, or why none fits
	@$(FIND_PYTHON) $(PYTHON_ARG)

# Every rule whose line carries `## what it does`, in the order of this file.
help:  ## this list: every target and what it does
	@awk -F ':.*## ' '/^[A-Za-z][A-Za-z0-9_-]*:.*## / { printf "  make %-20s %s\n", $$1, $$2 }' \
		$(MAKEFILE_LIST)

# Reinstall only when the dependency list or the lock changes; a second `make lab` reuses the venv.
# The versions are the lock's (requirements/lock.txt, `make lock`), given to pip as constraints
# without their hashes: pip cannot check hashes and install the package editable in one go.
$(STAMP): pyproject.toml requirements/lock.txt | $(BIN)/python
	@$(FIND_PYTHON) --check-venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	sed -n 's/^\([A-Za-z0-9][^ ]*==[^ ]*\).*/\1/p' requirements/lock.txt > $(VENV)/lock-versions.txt
	$(BIN)/python -m pip install --quiet -c $(VENV)/lock-versions.txt -e ".[test]"
	touch $(STAMP)

setup: $(STAMP)  ## .venv with the package (editable), the maintainer tools and the test tools

data: setup  ## download (first time only; from $COURSE_DATA_URL if set) and verify the datasets
	$(BIN)/python -m course_helpers.download

# Jupyter refuses to run as root unless told; containers and some lab machines run as root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root)

lab: data  ## open the course in JupyterLab
	$(BIN)/jupyter lab $(ROOT_FLAG) notebooks/

# One pytest worker per core and one more: kernels starting, JupyterLab and the browser wait often.
WORKERS := $(shell echo $$(( $$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1) + 1 )))

test: data  ## every test: package, notebooks (nbval), browser test; one worker per core, plus one
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadfile

execute: setup  ## re-run every notebook top to bottom in a fresh kernel, saving outputs
	$(BIN)/python -m course_tools.execute notebooks/*.ipynb

benchmark: data  ## the results table in the README and lesson 7 (about 6 minutes on 2 cores, plus the validation ensembles)
	$(BIN)/python -m course_tools.benchmark --seeds 5 --ensemble 20 --validation-ensembles 1 5 10 20 --explorer --json notebooks/benchmark.json

benchmark-capstone: data  ## lesson 8's table in the README, and fit against model.fit (about a minute on 2 cores)
	$(BIN)/python -m course_tools.benchmark_capstone --json notebooks/capstone_benchmark.json

benchmark-m4: data  ## lesson 9's M4 Hourly table in the README, with the speed figures (minutes on 2 cores)
	$(BIN)/python -m course_tools.benchmark_m4 --json notebooks/m4_benchmark.json

test-install: data  ## slow (~3-4 min): fresh venv from environment.yml, binder/postBuild, one lesson
	$(BIN)/python -m pytest -m install tests/install

instructor: setup  ## instructors' copies in dist/instructor/: every task's worked answer filled in
	$(BIN)/python -m course_tools.copies --out dist/instructor notebooks/*.ipynb

# ---- Versions: the lock, and the lowest and newest versions pyproject.toml allows ----
UV_VERSION := 0.13.9
LOCK_FLAGS := --generate-hashes --python-version 3.11 --python-platform x86_64-manylinux_2_28 \
	--custom-compile-command "make lock" --quiet
.PHONY: lock test-lowest test-latest repo-address

# uv resolves and locks (pip has no lowest-versions mode); it needs no other package of .venv.
$(BIN)/uv: | $(BIN)/python
	$(BIN)/python -m pip install --quiet "uv==$(UV_VERSION)"

lock: $(BIN)/uv  ## re-resolve requirements/lock.txt (make setup) and binder/requirements.txt (Binder)
	$(BIN)/uv pip compile pyproject.toml --all-extras $(LOCK_FLAGS) -o requirements/lock.txt
	$(BIN)/uv pip compile pyproject.toml --extra lab -c requirements/lock.txt $(LOCK_FLAGS) \
		-o binder/requirements.txt

test-lowest: data $(BIN)/uv  ## ~3 min: unit tests and lesson 3 on the lowest versions allowed
	$(BIN)/python -m pytest -m lowest tests/install

test-latest: data $(BIN)/uv  ## ~3 min: unit tests and lesson 3 on the newest versions allowed
	$(BIN)/python -m pytest -m latest tests/install

# The address is written once, in course_helpers/_repository.py; notebooks, README and the
# Zero to JupyterHub values carry copies. The script needs only the standard library: no setup.
repo-address:  ## point every copy of the repository address at URL=https://github.com/OWNER/NAME
	@$(PYTHON) -m course_tools.repo_address "$(URL)"

# ---- A class on JupyterHub (README, "For instructors"): hub test, nbgrader, sizing ----
CLASSROOM_STAMP := $(VENV)/.classroom-installed
NBGRADER_VENV   := classroom/.venv-nbgrader
CHP             := classroom/node_modules/.bin/configurable-http-proxy
IMAGE           ?= dl-forecasting-course:latest
.PHONY: classroom-setup nbgrader-venv nbgrader test-classroom classroom-measure classroom-image

# JupyterHub, nbgitpuller and a websocket client in the course's venv (the `classroom` extra).
$(CLASSROOM_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -c $(VENV)/lock-versions.txt -e ".[test,classroom]"
	touch $@

# The hub's proxy, from the npm registry, as locked in classroom/package-lock.json.
$(CHP): classroom/package.json classroom/package-lock.json
	npm ci --prefix classroom --no-audit --no-fund --loglevel=error
	touch $@

# nbgrader in a venv of its own: its lab and server extensions stay out of the learners' lab.
$(NBGRADER_VENV)/bin/nbgrader: classroom/requirements-nbgrader.txt | $(BIN)/python
	rm -rf $(NBGRADER_VENV)
	$(BIN)/python -m venv $(NBGRADER_VENV)
	$(NBGRADER_VENV)/bin/python -m pip install --quiet -r classroom/requirements-nbgrader.txt
	touch $@

classroom-setup: $(CLASSROOM_STAMP) $(CHP)  ## JupyterHub and nbgitpuller into .venv; the hub's proxy (npm)

nbgrader-venv: $(NBGRADER_VENV)/bin/nbgrader  ## nbgrader in a venv of its own, classroom/.venv-nbgrader

nbgrader: setup  ## an nbgrader course of the lessons in dist/nbgrader/: graded tasks, hidden tests
	$(BIN)/python -m course_tools.classroom.nbgrader_course --out dist/nbgrader notebooks/*.ipynb

test-classroom: data classroom-setup nbgrader-venv  ## ~6 min: 8 learners on a real hub; nbgrader
	COURSE_CLASSROOM=1 $(BIN)/python -m pytest tests/classroom tests/tools/classroom

classroom-measure: data classroom-setup  ## ~6 min: each lesson's and a class's memory (JSON, README)
	$(BIN)/python -m course_tools.classroom measure

classroom-image: setup  ## the learners' image for Zero to JupyterHub (Docker): IMAGE=registry/name:tag
	$(BIN)/repo2docker --no-run --user-id 1000 --user-name jovyan \
		--target-repo-dir /srv/dl-forecasting-course \
		--appendix "$$(cat classroom/image-appendix.Dockerfile)" --image-name $(IMAGE) .
