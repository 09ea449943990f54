# Two commands for users: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)
DEV_STAMP := $(VENV)/.dev-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)
# CJK TrueType fonts the demo corpus embeds (AR PL SungtiL / KaitiM GB, Debian packages).
FONTS  := /usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf /usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf

# Debian's postgresql (15 on bookworm) puts initdb off PATH, under its major version.
PG_INITDB := $(firstword $(wildcard /usr/lib/postgresql/*/bin/initdb) /usr/lib/postgresql/15/bin/initdb)

.PHONY: run test lint bench fonts postgres clean

run: $(STAMP) fonts
	$(BIN)/minutes run

test: $(DEV_STAMP) fonts postgres
	$(BIN)/ruff check .
	$(BIN)/pytest -q

lint: $(DEV_STAMP)
	$(BIN)/ruff check .

bench: $(STAMP) fonts
	$(BIN)/python -m benchmarks.bench

fonts: $(FONTS)

$(FONTS):
	@command -v apt-get >/dev/null || { echo "need the Debian packages fonts-arphic-gbsn00lp fonts-arphic-gkai00mp" >&2; exit 1; }
	(apt-get install -y -q fonts-arphic-gbsn00lp fonts-arphic-gkai00mp >/dev/null 2>&1) || \
	  (apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q fonts-arphic-gbsn00lp fonts-arphic-gkai00mp >/dev/null)

# PostgreSQL, the production database of a Prefect server: the scheduler test runs one on it
# (a scratch cluster on 127.0.0.1, started and stopped by the test).
postgres: $(PG_INITDB)

$(PG_INITDB):
	@command -v apt-get >/dev/null || { echo "need the Debian package postgresql" >&2; exit 1; }
	(apt-get install -y -q postgresql >/dev/null 2>&1) || \
	  (apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip==25.3

$(STAMP): $(VENV)/bin/python pyproject.toml constraints.txt
	$(BIN)/pip install -q -c constraints.txt -e .
	touch $@

$(DEV_STAMP): $(STAMP)
	$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	touch $@

clean:
	rm -rf $(VENV) data build .pytest_cache
