# Tandem: `make demo` to try it, `make test` to check it. See README.md.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
export DJANGO_SETTINGS_MODULE := tandem.settings

.PHONY: setup demo serve test test-browser lint messages bench load load-smoke fuzz clean-data

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	# xstatic-bootstrap ships only an sdist whose setup.py imports pkg_resources, which
	# setuptools 81 dropped: build it without isolation against an older setuptools.
	$(BIN)/python -m pip install -q "setuptools<81" wheel
	$(BIN)/python -m pip install -q --no-build-isolation "xstatic-bootstrap>=5.3,<6"
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $@

setup: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput

# Loads the demo company into an empty database, then serves the app and the background worker.
demo: setup
	$(BIN)/python manage.py seed_demo --if-empty
	$(MAKE) --no-print-directory serve

serve: setup
	@echo "Tandem: http://127.0.0.1:$(PORT)/  (Ctrl-C stops the web server and the worker)"
	@trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	TANDEM_INSECURE_HTTP=1 $(BIN)/python manage.py run_huey --quiet & worker=$$!; \
	TANDEM_INSECURE_HTTP=1 $(BIN)/python manage.py runserver --noreload 127.0.0.1:$(PORT)

test: setup
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

test-browser: setup
	$(BIN)/python -m pytest -m browser $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .

# Needs GNU gettext (developers only): refresh the catalogues, then compile them. The compiled
# .mo files are committed so that users need no gettext.
messages: $(VENV)/.installed
	cd tandem && ../$(BIN)/python ../manage.py makemessages -l zh_Hans --no-obsolete
	cd tandem && ../$(BIN)/python ../manage.py compilemessages -l zh_Hans

bench: setup
	$(BIN)/python bench/run_all.py

# Long API fuzzing run: every schemathesis phase for every role, 100 examples per operation.
fuzz: setup
	TANDEM_FUZZ_EXAMPLES=$${TANDEM_FUZZ_EXAMPLES:-100} $(BIN)/python -m pytest -n 2 -m fuzz $(PYTEST_ARGS)

# The load test (bench/load/README.md): throw-away PostgreSQL database, gunicorn, locust.
load: $(VENV)/.installed
	$(BIN)/python bench/load/run.py $(LOAD_ARGS)

load-smoke: $(VENV)/.installed
	$(BIN)/python bench/load/run.py --smoke $(LOAD_ARGS)

clean-data:
	rm -rf var
