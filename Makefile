# digitize: `make run` processes samples/ into ./archive and searches it; `make test` runs the tests.
# Both install what is missing first (system packages via apt-get on Debian, then .venv).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LINT_STAMP := $(VENV)/.installed-lint
ARCHIVE ?= archive

.PHONY: install man locale messages system-deps run test test-fast lint bench-speed bench-ocr bench-skew bench-classify bench-fields bench-memory bench-search bench-throughput clean

install: system-deps $(STAMP) locale man

system-deps:
	@sh scripts/install-system-deps.sh

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

# the messages in Bahasa Indonesia: digitize/locale/id/LC_MESSAGES/digitize.po compiled to .mo (msgfmt)
locale: $(STAMP)
	@$(BIN)/python -m digitize.i18n_extract --compile > /dev/null

# after changing a message in the code: extract them all again and merge them into the .po to translate
messages: $(STAMP)
	$(BIN)/python -m digitize.i18n_extract

# the manual page, generated from the command line's help, in English and Indonesian:
# man -M .venv/share/man digitize   (man -L id ... for the Indonesian one)
man: $(STAMP) locale
	@mkdir -p $(VENV)/share/man/man1 $(VENV)/share/man/id/man1
	@$(BIN)/python -m digitize.manpage > $(VENV)/share/man/man1/digitize.1.part
	@mv $(VENV)/share/man/man1/digitize.1.part $(VENV)/share/man/man1/digitize.1
	@DIGITIZE_UI__LANGUAGE=id $(BIN)/python -m digitize.manpage > $(VENV)/share/man/id/man1/digitize.1.part
	@mv $(VENV)/share/man/id/man1/digitize.1.part $(VENV)/share/man/id/man1/digitize.1

run: install
	$(BIN)/digitize ingest samples --archive $(ARCHIVE)
	$(BIN)/digitize search "bimbingan teknis" --archive $(ARCHIVE)

test: install
	$(BIN)/python -m pytest -q

test-fast: install
	$(BIN)/python -m pytest -q -m "not slow"

# ruff (style, imports, bugbear, pyupgrade) and mypy, configured in pyproject.toml; installs the lint extra
lint: $(LINT_STAMP)
	$(BIN)/ruff check digitize tests bench
	$(BIN)/mypy digitize

$(LINT_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test,lint]'
	@touch $(LINT_STAMP)

# a worker's memory over one long document (default 200 pages; BENCH_ARGS="--pages 50")
bench-memory: install
	$(BIN)/python bench/bench_memory.py $(BENCH_ARGS)

# both index backends on a synthetic archive of 100,000 documents (BENCH_ARGS="--docs 2000" for a short run)
bench-search: install
	$(BIN)/python bench/bench_search.py $(BENCH_ARGS)

# digitize ingest itself vs plain tesseract (and Tesseract's library, models loaded) on the real scans
# of ../shared/corpus: 22 single pages, a 10- and a 50-page TIFF, --jobs 1 and 2 (BENCH_ARGS="--inputs singles")
bench-throughput: install
	$(BIN)/python bench/bench_throughput.py $(BENCH_ARGS)

# seconds per page on samples/: plain tesseract vs digitize's whole per-document work, same run
bench-speed: install
	$(BIN)/python bench/bench_ocr_speed.py

# quality and speed on ../shared/corpus: tesseract vs OCRmyPDF vs digitize (BENCH_ARGS="--only skewed --limit 2";
# "--set pages.binarize=true" measures a setting; "--variants" compares digitize's cleanup steps, about 20 min)
bench-ocr: install
	$(BIN)/python bench/bench_ocr.py $(BENCH_ARGS)

# skew estimates on ../shared/corpus skew-derived and skew-sbrunner: digitize vs the deskew package vs
# Tesseract's own ("Deskew angle", what OCRmyPDF --deskew uses)
bench-skew: install
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/bench_skew.py $(BENCH_ARGS)

# the learned classifier on ../shared/reference/bps-classification: 5-fold CV and the held-out test
bench-classify: install
	$(BIN)/python bench/bench_classify.py

# type and metadata fields on the 23 real documents of ../shared/realdocs (hand-checked values in
# documents.csv; about 35 pages of OCR, a few minutes): per document, per field and the type's confusion list
REALDOCS ?= ../shared/realdocs
bench-fields: install
	@if [ -f $(REALDOCS)/documents.csv ]; then \
		$(BIN)/python -m digitize eval --fields $(REALDOCS)/documents.csv $(BENCH_ARGS); \
	else \
		echo "bench-fields: skipped, $(REALDOCS)/documents.csv not found (the real documents live beside the repository, in ../shared/realdocs)"; \
	fi

clean:
	rm -rf $(ARCHIVE) build .pytest_cache
