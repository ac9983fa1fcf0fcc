# Two commands for a newcomer: `make run` and `make test` (see README.md).
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DEBUG ?= true

.PHONY: run test lint format check messages audit bench lock clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.runtime: requirements.lock | $(BIN)/python
	$(BIN)/pip install -q -r requirements.lock
	touch $@

$(VENV)/.dev: requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.lock
	touch $@ $(VENV)/.runtime

## make run: install, migrate, load demo data and serve on http://127.0.0.1:$(PORT)
run: $(VENV)/.runtime
	$(BIN)/python manage.py migrate --noinput
	@if command -v msgfmt >/dev/null; then $(BIN)/python manage.py compilemessages -v 0 --ignore '.venv/*'; fi
	$(BIN)/python manage.py seed_demo
	PORT=$(PORT) bin/serve

## make test: install test dependencies and run the whole suite
test: $(VENV)/.dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## make messages: refresh the Dutch catalogue after changing source strings
messages: $(VENV)/.dev
	$(BIN)/python manage.py makemessages -l nl --ignore '.venv/*' --ignore 'static/vendor/*' --no-obsolete
	$(BIN)/python manage.py compilemessages --ignore '.venv/*'

## make audit: known vulnerabilities in the pinned dependencies (pip-audit, OSV)
audit: $(VENV)/.dev
	bin/audit-deps

## make bench: seed a city-scale year into PostgreSQL (127.0.0.1:5432, or BENCH_DATABASE_URL)
## and measure every key page under gunicorn at 1/100 and full scale (bench/run.py)
bench: $(VENV)/.runtime
	$(BIN)/python -m bench.run $(BENCH_ARGS)

lock:
	bin/lock

clean:
	rm -rf $(VENV) var
