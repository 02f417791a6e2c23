# credence: the commands CI and people use. `make run` analyses the bundled fixtures;
# `make test` runs every test; `make lint` is what CI checks besides the tests.

CARGO ?= cargo
OUT ?= reports

.PHONY: build run test lint fmt bench bench-quick clean

build:
	$(CARGO) build --release

run:
	$(CARGO) run --release --quiet -- run fixtures/news --config config/default.toml --out $(OUT)

test:
	$(CARGO) test

lint:
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings

fmt:
	$(CARGO) fmt

# Per-stage criterion benchmarks, then a whole run over a generated corpus; results are
# appended to bench-out/runs.csv so nights can be compared.
bench:
	$(CARGO) bench --bench stages
	bash scripts/bench-run.sh $(or $(ARTICLES),2000)

clean:
	$(CARGO) clean
	rm -rf $(OUT) bench-out
