# Single entry point. Two commands do everything on a fresh machine:
#   make report   build the latest year's report on the bundled demo data
#   make test     run every test (unit, notebooks, end to end) and the lint
PYTHON ?= python3.11
VENV   ?= .venv
BIN     = $(VENV)/bin
YEAR   ?= 2024-25
WORKERS ?= 2
STAMP   = $(VENV)/.installed

export UV_COMPILE_BYTECODE = 1

.PHONY: report all-years test browser lint lab demo-data calibration dictionary clean help

help:
	@echo "make report   build reports/$(YEAR)/ from data/raw/$(YEAR)/ (creates .venv on first run)"
	@echo "make test     run all tests"
	@echo "make browser  install Chromium and tests/browser/node_modules for the browser test"
	@echo "make lab      open JupyterLab on notebooks/"

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.9
	$(BIN)/python -m uv pip install --quiet --python $(BIN)/python -r requirements.txt
	$(BIN)/python -m uv pip install --quiet --python $(BIN)/python --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

report: $(STAMP)
	$(BIN)/python -m helpers.build --year $(YEAR) --workers $(WORKERS)

all-years: $(STAMP)
	$(BIN)/python -m helpers.build --year all --workers $(WORKERS)

test: $(STAMP)
	$(BIN)/ruff check src tests scripts
	$(BIN)/python -m pytest
	$(BIN)/python -m helpers.processing --year all
	$(BIN)/python -m pytest -n 0 --nbval-lax --nbval-current-env -p no:cacheprovider notebooks/

browser:
	.ci/install-browser

lab: $(STAMP)
	$(BIN)/python -m helpers.processing --year all
	cd notebooks && ../$(BIN)/jupyter lab

demo-data: $(STAMP)
	$(BIN)/python -m helpers.demo

calibration: $(STAMP)
	$(BIN)/python -m helpers.build.calibration --year $(YEAR)

dictionary: $(STAMP)
	$(BIN)/python -m helpers.data.dictionary

clean:
	rm -rf data/processed/*/ reports/*/ .pytest_cache
