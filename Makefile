# Two commands: `make run` serves the platform with demo data, `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Every recipe (server, worker, demo data) sees PORT, so settings derive SITE_URL from it.
export PORT

.PHONY: run test install browser fonts gettext compilemessages messages lint bench migrate demo

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed fonts compilemessages

# Translations (README, Languages): locale/<lang>/LC_MESSAGES/*.po are in git; the .mo files the server reads
# are compiled here, at install, and ignored by git. msgfmt/xgettext come from Debian's gettext.
LANGS := en fr es ar ru zh_Hans
MANAGE := DEBUG=$${DEBUG:-1} $(BIN)/python manage.py
gettext:
	@command -v msgfmt >/dev/null && command -v xgettext >/dev/null || { \
	  echo "Installing Debian's gettext for the translation catalogues"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; }

compilemessages: $(VENV)/.installed gettext
	@$(MANAGE) compilemessages --ignore=.venv --ignore=var --verbosity 0

# Re-extract every marked string into the six catalogues (Python and templates into django.po, static/js
# into djangojs.po). Always this command, so extraction stays deterministic: file names without line
# numbers (fewer merge conflicts), no obsolete entries. Then translate the new entries in all six.
MESSAGES_OPTS := $(addprefix -l ,$(LANGS)) --no-obsolete --add-location=file -i .venv -i var -i bench -i tests -i build
messages: $(VENV)/.installed gettext
	$(MANAGE) makemessages -d django $(MESSAGES_OPTS)
	$(MANAGE) makemessages -d djangojs $(MESSAGES_OPTS)
	@# The extraction date would differ in every run and make every catalogue conflict: leave it out.
	@sed -i '/^"POT-Creation-Date: /d' locale/*/LC_MESSAGES/*.po

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

# The suite runs in one process per core (pytest-xdist); each has its own test database and Redis database.
TEST_WORKERS ?= auto
test: install browser
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	DEBUG=1 $(BIN)/python -m pytest -n $(TEST_WORKERS) --durations=10 $(PYTEST_ARGS)

# The benchmark (issue 7; README, Performance): PostgreSQL and Redis when DATABASE_URL/REDIS_URL are set,
# the embedded default otherwise. Needs Debian's wrk; the chat load opens a thousand sockets.
bench: install var
	@command -v wrk >/dev/null || { \
	  echo "Installing Debian's wrk for the benchmark"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	ulimit -n $$(ulimit -Hn) && $(BIN)/python -m bench
