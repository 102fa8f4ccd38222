# Two commands: `make run` serves the platform with demo data, `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Every recipe (server, worker, demo data) sees PORT, so settings derive SITE_URL from it.
export PORT

.PHONY: run test install browser fonts lint bench migrate demo

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed fonts

# Certificates of attendance are drawn in Debian's Noto (Latin, Cyrillic, Arabic) and WenQuanYi Micro Hei
# (Chinese) fonts: installed from the package archive, never downloaded by the application.
FONTS := /usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
fonts:
	@for font in $(FONTS); do test -f $$font || missing=1; done; [ -z "$$missing" ] || { \
	  echo "Installing Debian's fonts-noto-core and fonts-wqy-microhei for the certificates"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-core fonts-wqy-microhei >/dev/null; }

var:
	mkdir -p var

migrate: install var
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --noinput

demo: migrate
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py load_demo

# The server and a background worker (mails, fan-out, imports) side by side; Ctrl-C stops both, and the
# worker goes too if the server exits on its own.
run: demo
	@echo "Serving HTTP and WebSocket at http://$(HOST):$(PORT)/, background jobs by one worker (Ctrl-C stops both)"
	@export DEBUG=$${DEBUG:-1}; \
	$(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/uvicorn config.asgi:application --host $(HOST) --port $(PORT) --log-level warning

# Debian's Chromium drives the browser tests; Playwright never downloads a browser of its own.
browser:
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: install browser
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	DEBUG=1 $(BIN)/python -m pytest $(PYTEST_ARGS)

# The benchmark (issue 7; README, Performance): PostgreSQL and Redis when DATABASE_URL/REDIS_URL are set,
# the embedded default otherwise. Needs Debian's wrk; the chat load opens a thousand sockets.
bench: install var
	@command -v wrk >/dev/null || { \
	  echo "Installing Debian's wrk for the benchmark"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	ulimit -n $$(ulimit -Hn) && $(BIN)/python -m bench
