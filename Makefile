# Two commands for a new machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
# Some machines set this; without .pyc caches every start recompiles pandas and streamlit.
unexport PYTHONDONTWRITEBYTECODE
VENV := .venv
PY := $(VENV)/bin/python
DB := data/etdz.duckdb
DB_INPUTS := $(shell find data -name '*.csv' -o -name '*.txt' | grep -v '/_reverted/') $(wildcard etl/*.py etl/models/*.sql)
SYSTEM_PACKAGES := chromium fonts-noto-cjk poppler-utils nginx libnginx-mod-http-brotli-filter

.PHONY: run test db install install-dev system-deps test-provider bench serve-nginx clean

run: install $(DB)
	$(PY) serve.py

# Everything: dataset, AppTest per page, briefing export, and the browser tests (tests/e2e).
test: install-dev system-deps test-provider $(DB)
	$(PY) -m pytest -q

db: install
	$(PY) -m etl.build && $(PY) -m etl.audit

$(DB): $(DB_INPUTS) | install
	$(PY) -m etl.build && $(PY) -m etl.audit

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

# Browser tests, slide rendering and the nginx deployment need Debian packages (and Node.js
# for the sign-on tests' identity provider, where the machine has none of its own).
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

# The sign-on tests' strict identity provider: the certified oidc-provider from the npm registry.
test-provider: tests/oidc/node_modules/.installed
tests/oidc/node_modules/.installed: tests/oidc/package.json tests/oidc/package-lock.json | system-deps
	cd tests/oidc && npm ci --no-audit --no-fund --loglevel=error
	touch $@

bench: install-dev system-deps $(DB)
	$(PY) bench/page_runs.py

clean:
	rm -rf $(DB) .pytest_cache artifacts

# Only the browser tests; benchmarks in a real browser (bench/README.md).
.PHONY: test-e2e bench-pages bench-nginx bench-concurrent bench-import bench-hostile bench-scale bench-briefing bench-extraction screenshots
test-e2e: install-dev system-deps $(DB)
	$(PY) -m pytest -q -m e2e tests/e2e

bench-pages: install-dev system-deps $(DB)
	$(PY) bench/page_load.py

bench-nginx: install-dev system-deps $(DB)
	$(PY) bench/page_load.py --via-nginx

bench-concurrent: install-dev system-deps $(DB)
	$(PY) bench/concurrent_visits.py

# The dashboard behind nginx on http://127.0.0.1:8680 (deploy/nginx.conf; state in a temp dir).
serve-nginx: install system-deps $(DB)
	$(PY) deploy/nginx.py

# N replicas (default one per core) behind nginx on http://127.0.0.1:8680 (deploy/README.md).
N ?= $(shell nproc)
.PHONY: serve-cluster bench-cluster
serve-cluster: install system-deps $(DB)
	$(PY) deploy/cluster.py -n $(N)

# 100 sessions against 1, 2 and 4 replicas, with an import commit and a kill -9 meanwhile.
bench-cluster: install-dev system-deps $(DB)
	$(PY) bench/cluster.py

bench-import: install-dev $(DB)
	$(PY) bench/import_batch.py

# A decompression bomb refused, a 100,000-row XLSX checked, and a viewer's script time meanwhile.
bench-hostile: install-dev $(DB)
	$(PY) bench/hostile_import.py

# The build, an import and the pages on today's data and the synthetic histories (bench/synth_history.py).
bench-scale: install-dev $(DB)
	$(PY) bench/scale.py

bench-briefing: install-dev system-deps $(DB)
	$(PY) bench/briefing_export.py

bench-extraction: install-dev $(DB)
	$(PY) bench/extraction.py

# Every page (zh/en, 1280×800 and 1920×1080) and presenter slide into artifacts/screenshots/.
screenshots: install-dev system-deps $(DB)
	$(PY) bench/screenshots.py
