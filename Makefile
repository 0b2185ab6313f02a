# One command starts the dashboard (make run), one runs every test (make test).
# Both create .venv and install the pinned Python packages; `make test` also installs Debian's
# chromium, postgresql, LibreOffice (headless Writer and Impress, to render exported documents)
# and poppler-utils (pdftoppm) when they are missing (root or sudo needed for that step only).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test install system-deps bench bench-all lint

$(VENV)/.installed: requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

install: $(VENV)/.installed

# Test tools from the npm registry: axe-core (contrast checks), oauth2-mock-server (a real OIDC provider).
NPM_TOOLS := .cache/npm/.installed

system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
		|| [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || [ ! -x /usr/sbin/nginx ] \
		|| ! command -v soffice >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1 \
		|| ! dpkg -s libreoffice-impress-nogui >/dev/null 2>&1; then \
		echo "Installerar Debians chromium, postgresql, nginx, LibreOffice (Writer, Impress) och poppler-utils …"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium postgresql \
			fonts-dejavu-core nginx libreoffice-writer-nogui libreoffice-impress-nogui poppler-utils >/dev/null; \
	fi

# Local mode answers only to localhost/127.0.0.1: the websocket of a page that reaches this
# server under another name (DNS rebinding) is refused by Streamlit, and app.py checks Host/Origin.
LOCAL_HOSTS := --server.allowedHosts localhost --server.allowedHosts 127.0.0.1

run: install
	$(BIN)/python -m dashboard init-db
	$(BIN)/streamlit run app.py --server.address 127.0.0.1 --server.port $(PORT) $(LOCAL_HOSTS)

$(NPM_TOOLS): Makefile
	@command -v npm >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm >/dev/null; }
	npm install --silent --no-save --no-audit --no-fund --prefix .cache/npm axe-core@4.14.1 oauth2-mock-server@9.3.0
	touch $@

# The suite runs in TEST_WORKERS pytest-xdist processes (one per core of a 2-core CI machine), whole
# test files per worker (--dist loadfile): a file's module-scoped servers and browser start once,
# and every worker has its own PostgreSQL, temp dirs and ports (tests/conftest.py, tests/ports.py).
TEST_WORKERS ?= 2

test: install system-deps $(NPM_TOOLS)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

bench: install
	$(BIN)/python -m dashboard bench

# Every bench mode in one run (page timings, warm reruns, websocket load, two processes behind
# nginx with PostgreSQL); needs system-deps for nginx and PostgreSQL.
bench-all: install system-deps
	$(BIN)/python -m dashboard bench --all
