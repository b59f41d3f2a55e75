# The two commands of the README:
#   make run   install and run the portal on SQLite with demo data (Ctrl-C stops it all)
#   make test  install what the tests need and run them all
# (The NHS.UK design system's files come from npm into static/nhsuk/; the portal builds static files
# into hashed, compressed copies when it starts, see portal/core/static_files.py.)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
NPM_DIR := tests/browser/vendor
FRONTEND := frontend
NHSUK := static/nhsuk
AUDIT_DIR := audit

.PHONY: run test bench audit clean

run: $(VENV)/.run-installed $(NHSUK)/.installed
	@scripts/ensure-system run
	PORTAL_ENV=development $(BIN)/flask --app app dev

test: $(VENV)/.test-installed $(NPM_DIR)/node_modules/.installed $(NHSUK)/.installed
	@scripts/ensure-system test
	$(BIN)/lint-imports
	$(BIN)/pytest $(PYTEST_ARGS)

# Speed and scale, printed (README, "make bench"); BENCH=routes (or sweeps, email, dashboard, soak ...) runs one.
# Not part of `make test`: locust and psutil are installed for it alone, and wrk from Debian.
bench: $(VENV)/.bench-installed
	@scripts/ensure-system bench
	$(BIN)/python -m bench $(BENCH)

# Lighthouse on a simulated phone, page by page: slow, so not part of `make test`.
audit: $(VENV)/.test-installed $(NPM_DIR)/node_modules/.installed $(NHSUK)/.installed $(AUDIT_DIR)/node_modules/.installed
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

# The NHS.UK design system (nhsuk-frontend, pinned with integrity hashes in the lockfile), served by
# the portal itself. Its stylesheet names its images from the site's root (/assets/...); made relative
# here, so they resolve beside it under /static/nhsuk/ and get hashed names like every static file.
$(NHSUK)/.installed: $(FRONTEND)/package.json $(FRONTEND)/package-lock.json
	@scripts/ensure-system run
	cd $(FRONTEND) && npm ci --no-audit --no-fund --silent
	rm -rf $(NHSUK) && mkdir -p $(NHSUK)
	cp -r $(FRONTEND)/node_modules/nhsuk-frontend/dist/nhsuk/assets $(NHSUK)/assets
	sed 's#url(/assets/#url(assets/#g' $(FRONTEND)/node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css > $(NHSUK)/nhsuk-frontend.min.css
	cp $(FRONTEND)/node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.js $(NHSUK)/nhsuk-frontend.min.js
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
	rm -rf $(VENV) $(NPM_DIR)/node_modules $(AUDIT_DIR)/node_modules $(FRONTEND)/node_modules $(NHSUK)
