# The two commands of the README:
#   make run   install and run the portal on SQLite with demo data (Ctrl-C stops it all)
#   make test  install what the tests need and run them all
# (Static files need no step of their own: the portal builds them when it starts, see portal/core/static_files.py.)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
NPM_DIR := tests/browser/vendor
AUDIT_DIR := audit

.PHONY: run test bench audit clean

run: $(VENV)/.run-installed
	@scripts/ensure-system run
	PORTAL_ENV=development $(BIN)/flask --app app dev

test: $(VENV)/.test-installed $(NPM_DIR)/node_modules/.installed
	@scripts/ensure-system test
	$(BIN)/lint-imports
	$(BIN)/pytest $(PYTEST_ARGS)

# Speed and scale, printed (README, "make bench"); BENCH=routes (or sweeps, email, dashboard, soak ...) runs one.
# Not part of `make test`: locust and psutil are installed for it alone, and wrk from Debian.
bench: $(VENV)/.bench-installed
	@scripts/ensure-system bench
	$(BIN)/python -m bench $(BENCH)

# Lighthouse on a simulated phone, page by page: slow, so not part of `make test`.
audit: $(VENV)/.test-installed $(NPM_DIR)/node_modules/.installed $(AUDIT_DIR)/node_modules/.installed
	@scripts/ensure-system test
	$(BIN)/python -m audit

$(VENV)/bin/python:
	@scripts/ensure-system run
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run-installed: $(VENV)/bin/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.test-installed: $(VENV)/bin/python pyproject.toml constraints.txt
	@scripts/ensure-system test
	$(BIN)/pip install --quiet -c constraints.txt -e ".[test]"
	touch $@ $(VENV)/.run-installed

$(VENV)/.bench-installed: $(VENV)/.test-installed pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e ".[test,bench]"
	touch $@

# htmx (and axe-core) from npm, so the browser tests serve the pinned copy in place of the CDN.
$(NPM_DIR)/node_modules/.installed: $(NPM_DIR)/package.json $(NPM_DIR)/package-lock.json
	@scripts/ensure-system test
	cd $(NPM_DIR) && npm ci --no-audit --no-fund --silent
	touch $@

$(AUDIT_DIR)/node_modules/.installed: $(AUDIT_DIR)/package.json $(AUDIT_DIR)/package-lock.json
	@scripts/ensure-system test
	cd $(AUDIT_DIR) && npm ci --no-audit --no-fund --silent
	touch $@

clean:
	rm -rf $(VENV) $(NPM_DIR)/node_modules $(AUDIT_DIR)/node_modules
