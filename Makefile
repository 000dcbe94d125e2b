# The two commands of the README: `make run` and `make test`.
VENV ?= .venv
PYTHON := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: run test smoke lint bench clean

$(VENV)/.runtime: requirements.txt
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PYTHON) -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime
	$(PYTHON) manage.py migrate --noinput
	$(PYTHON) manage.py load_collectivites
	$(PYTHON) manage.py load_demo_content
	$(PYTHON) manage.py runserver $(HOST)

test: $(VENV)/.dev
	$(PYTHON) -m pytest

# The production stack (gunicorn, db_worker, PostgreSQL, Redis) in Chromium; see the README.
smoke: $(VENV)/.dev
	$(PYTHON) -m pytest tests/production

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: $(VENV)/.dev
	$(PYTHON) bench/run.py
	$(PYTHON) bench/referential.py
	$(PYTHON) bench/submissions.py

clean:
	rm -rf $(VENV) staticfiles tests/.media tests/browser/screenshots
