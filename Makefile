# Every target sets itself up: a fresh machine needs only python3, make and (for Neo4j) java + mvn.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
NEO4J_LIB := tools/neo4j/lib
NEO4J_STAMP := $(NEO4J_LIB)/.fetched

PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: install compile demo test lint bench neo4j neo4j-jars browser fonts clean

install: $(STAMP)
	@$(PY) tools/compile_parser.py --if-stale

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	@touch $(STAMP)

## compile: the parser's modules compiled with mypyc, about 1.5x faster. install does it when the
## build is missing or older than its sources (tools/compile_parser.py decides); without a C compiler
## the source runs. This target rebuilds unconditionally.
compile: $(STAMP)
	$(PY) tools/compile_parser.py

## demo: load the bundled corpus into the embedded store, build the explorer, serve the API
## on HOST:PORT (make demo PORT=8001 HOST=0.0.0.0); a busy port stops it before anything is loaded.
demo: install fonts browser
	$(VENV)/bin/policykg demo --host $(HOST) --port $(PORT)

## test: the whole suite, both stores (Neo4j started by the test session), browser tests included.
test: install neo4j-jars browser
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check policykg tests bench
	$(VENV)/bin/mypy

bench: install neo4j-jars browser
	$(PY) bench/run.py --quick

## neo4j: a real Neo4j 5.26 from Maven Central jars, in the foreground; prints its bolt URI.
neo4j: install neo4j-jars
	$(PY) tools/neo4j/server.py

neo4j-jars: $(NEO4J_STAMP)

$(NEO4J_STAMP): tools/neo4j/pom.xml
	@if command -v mvn >/dev/null && command -v java >/dev/null; then \
	  start=$$(date +%s); \
	  rm -rf $(NEO4J_LIB); \
	  mvn -q -B -f tools/neo4j/pom.xml dependency:copy-dependencies -DoutputDirectory=lib -DincludeScope=runtime \
	    && touch $(NEO4J_STAMP) \
	    && echo "Neo4j jars fetched in $$(( $$(date +%s) - start )) s"; \
	else echo "java or mvn missing: Neo4j tests will skip (and fail under CI=true)"; fi

## browser: Debian's chromium for the explorer's browser tests, and a CJK font so pages and charts show Chinese;
## with them the readers' tools: Tesseract OCR (Simplified Chinese), LibreOffice (.doc/.wps/.et), poppler (scans in tests).
DEBIAN_PACKAGES := chromium fonts-wqy-zenhei tesseract-ocr tesseract-ocr-chi-sim libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils
browser: fonts
	@missing=""; command -v chromium >/dev/null || missing="chromium"; \
	  [ -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || missing="$$missing fonts-wqy-zenhei"; \
	  command -v tesseract >/dev/null || missing="$$missing tesseract-ocr"; \
	  [ -f /usr/share/tesseract-ocr/5/tessdata/chi_sim.traineddata ] || ls /usr/share/tesseract-ocr/*/tessdata/chi_sim.traineddata >/dev/null 2>&1 || missing="$$missing tesseract-ocr-chi-sim"; \
	  command -v soffice >/dev/null || missing="$$missing libreoffice-writer-nogui libreoffice-calc-nogui"; \
	  command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ]; then echo "Installing $$missing from Debian"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	    else echo "Missing$$missing: run 'sudo apt-get install$$missing' (browser tests will skip)"; fi; fi

## fonts: a CJK font (Debian's fonts-wqy-zenhei) so charts and pages show Chinese, not boxes.
fonts:
	@if [ ! -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ]; then \
	  if [ "$$(id -u)" = 0 ]; then echo "Installing fonts-wqy-zenhei from Debian"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-zenhei >/dev/null; \
	  else echo "Missing fonts-wqy-zenhei: run 'sudo apt-get install fonts-wqy-zenhei' (charts would show boxes for Chinese)"; fi; fi

clean:
	rm -rf .policykg .pytest_cache .mypy_cache .ruff_cache
	-$(PY) tools/compile_parser.py --clean
