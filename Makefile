# Two commands for users: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)
DEV_STAMP := $(VENV)/.dev-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)
# CJK TrueType fonts the demo corpus embeds (AR PL SungtiL / KaitiM GB, Debian packages).
FONTS  := /usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf /usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf
# The second, independent rendering toolchain (tests only, never `make run`): LibreOffice Writer
# headless converts DOCX to PDF, with CJK fonts other than the AR PL ones (WenQuanYi Zen Hei).
SOFFICE  := /usr/bin/soffice
OFFICE_FONTS := /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf
# apt-get install, and when that fails (stale or missing package lists) apt-get update first.
APT_INSTALL = (DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=300 --no-install-recommends $(1) >/dev/null 2>&1) || \
  (apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=300 --no-install-recommends $(1) >/dev/null)

# Debian's postgresql (15 on bookworm) puts initdb off PATH, under its major version.
PG_INITDB := $(firstword $(wildcard /usr/lib/postgresql/*/bin/initdb) /usr/lib/postgresql/15/bin/initdb)

.PHONY: run test lint bench bench-isolation bench-scale fonts office postgres browser clean
# Debian's headless Chromium and its WebDriver, for the report's browser test (tests/report).
BROWSER := /usr/bin/chromium /usr/bin/chromedriver

run: $(STAMP) fonts
	$(BIN)/minutes run

test: $(DEV_STAMP) fonts office postgres browser
	$(BIN)/ruff check .
	$(BIN)/pytest -q

lint: $(DEV_STAMP)
	$(BIN)/ruff check .

bench: $(STAMP) fonts
	$(BIN)/python -m benchmarks.bench

# Extraction in the capped worker process vs in-process, on the demo corpus (docs/SAFETY.md).
bench-isolation: $(STAMP) fonts
	$(BIN)/python -m benchmarks.extraction_isolation

# The inputs of docs/SCALING.md: extraction on a real Dask cluster (1 and 2 workers), storage per
# document, and the lake-on-S3 read routes (SeaweedFS from the dev extra).
bench-scale: $(DEV_STAMP) fonts
	$(BIN)/python -m benchmarks.scale_out --out data/bench-scale.json
	$(BIN)/python -m benchmarks.lake_on_s3

fonts: $(FONTS)

$(FONTS):
	@command -v apt-get >/dev/null || { echo "need the Debian packages fonts-arphic-gbsn00lp fonts-arphic-gkai00mp" >&2; exit 1; }
	(apt-get install -y -q fonts-arphic-gbsn00lp fonts-arphic-gkai00mp >/dev/null 2>&1) || \
	  (apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q fonts-arphic-gbsn00lp fonts-arphic-gkai00mp >/dev/null)

office: $(SOFFICE) $(OFFICE_FONTS)

$(SOFFICE):
	@command -v apt-get >/dev/null || { echo "need the Debian package libreoffice-writer-nogui" >&2; exit 1; }
	$(call APT_INSTALL,libreoffice-writer-nogui)

$(OFFICE_FONTS):
	@command -v apt-get >/dev/null || { echo "need the Debian packages fonts-wqy-zenhei fonts-dejavu-core" >&2; exit 1; }
	$(call APT_INSTALL,fonts-wqy-zenhei fonts-dejavu-core)

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

browser: $(BROWSER)

$(BROWSER):
	@command -v apt-get >/dev/null || { echo "need the Debian packages chromium chromium-driver" >&2; exit 1; }
	(apt-get install -y -q chromium chromium-driver >/dev/null 2>&1) || \
	  (apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver >/dev/null)

clean:
	rm -rf $(VENV) data build .pytest_cache
