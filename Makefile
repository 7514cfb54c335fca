# BranchLink: `make run` tries the service locally, `make test` runs every check and test.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
CONFIG  ?= instance/branchlink.toml

.PHONY: run test lint unit sysdeps bench clean

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

## test: lint, type-check, import contracts, then the whole test suite
test: sysdeps $(STAMP) lint
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check bot crm_core qr tests
	$(BIN)/mypy bot crm_core qr
	$(BIN)/lint-imports

## bench: throughput/latency benchmarks, printed side by side with their floor
bench: sysdeps $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache
