# The one place commands live. `make run` and `make test` work on a fresh machine.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check eval bench schema golden clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,bench]'
	touch $(STAMP)

# Exit code 1 from batch means "some inputs gave error records": the error fixtures do.
run: $(STAMP)
	rm -f out/records.jsonl
	$(BIN)/iom-scrape batch fixtures --out out/records.jsonl --summary out/summary.json --quiet \
		|| [ $$? -eq 1 ]
	$(BIN)/iom-scrape show out/records.jsonl

check: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

test: check
	$(BIN)/pytest -q

eval: $(STAMP)
	$(BIN)/python -m bench.eval --verbose

golden: $(STAMP)
	$(BIN)/python -m bench.golden

bench: $(STAMP)
	$(BIN)/python -m bench.run

schema: $(STAMP)
	$(BIN)/iom-scrape schema > schema/record.schema.json

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
