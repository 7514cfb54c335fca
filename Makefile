# BranchLink: `make run` tries the service locally, `make test` runs every check and test.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
CONFIG  ?= instance/branchlink.toml

PG_URL  ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: run test test-pg lint sysdeps bench soak reset clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

sysdeps:
	@bash scripts/sysdeps.sh $(EXTRA_SYSDEPS)

## run: set up, migrate, seed demo data and serve on 127.0.0.1:8000 (SQLite, local sandbox)
run: sysdeps $(STAMP)
	$(BIN)/branchlink init-config --path $(CONFIG)
	$(BIN)/branchlink --config $(CONFIG) db upgrade
	$(BIN)/branchlink --config $(CONFIG) demo seed
	$(BIN)/branchlink --config $(CONFIG) serve

## test: lint, type-check, import contracts, then the whole test suite (browser tests need
## Debian's chromium, installed here when possible; without it they are skipped, and say so)
test: $(STAMP) lint
	@bash scripts/sysdeps.sh chromium
	$(BIN)/pytest

## test-pg: the same suite against PostgreSQL (PG_URL, default the local `test` database)
test-pg: $(STAMP)
	@bash scripts/sysdeps.sh chromium
	BRANCHLINK_TEST_DATABASE_URL=$(PG_URL) $(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check bot crm_core qr sandbox tests benchmarks
	$(BIN)/mypy bot crm_core qr sandbox tests/fakes
	$(BIN)/lint-imports

## bench: throughput/latency benchmarks, printed side by side with their floor
bench: $(STAMP)
	@bash scripts/sysdeps.sh wrk
	$(BIN)/python -m benchmarks

## soak: two web processes and two workers on PostgreSQL and Redis, one of each killed midway,
## then the database checked (MINUTES=10 by default)
MINUTES ?= 10
soak: $(STAMP)
	$(BIN)/python -m benchmarks soak --minutes $(MINUTES)

## reset: forget the local service's state (configuration, SQLite database, spool); the next
## `make run` starts from fresh secrets and demo data
reset:
	rm -rf instance

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache .hypothesis
