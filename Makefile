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

# The Nu Html Checker of the validity test, run on the machine's Java: --ignore-scripts skips
# vnu-jar's install script, which would download a Java runtime of its own.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

run: $(VENV)/.runtime
	$(PYTHON) manage.py migrate --noinput
	$(PYTHON) manage.py load_collectivites
	$(PYTHON) manage.py load_demo_content
	$(PYTHON) manage.py runserver $(HOST)

test: $(VENV)/.dev node_modules/.installed
	$(PYTHON) -m pytest

# The production stack (gunicorn, db_worker, PostgreSQL, Redis) in Chromium; see the README.
smoke: $(VENV)/.dev
	$(PYTHON) -m pytest tests/production

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: $(VENV)/.dev
	$(PYTHON) bench/run.py
	$(PYTHON) bench/page_cache.py
	$(PYTHON) bench/referential.py
	$(PYTHON) bench/submissions.py
	$(PYTHON) bench/request_queue.py
	$(PYTHON) bench/accompaniments.py
	$(PYTHON) bench/agenda.py
	$(PYTHON) bench/reports.py
	$(PYTHON) bench/retention.py
	$(PYTHON) bench/front_end.py
	$(PYTHON) bench/production.py

clean:
	rm -rf $(VENV) node_modules staticfiles tests/.media tests/.private-media tests/browser/screenshots
