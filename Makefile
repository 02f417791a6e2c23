# credence: the commands CI and people use. `make run` analyses the bundled fixtures
# (`make run ARGS="--html --excel"` adds options); `make test` runs every test that needs
# nothing but Rust; `make test-office` and `make test-browser` open the reports in
# LibreOffice and headless Chromium, and skip when those are not installed; `make lint`
# is what CI checks besides the tests.

CARGO ?= cargo
OUT ?= reports
ARGS ?=

.PHONY: build run test test-office test-browser lint fmt bench bench-quick clean

build:
	$(CARGO) build --release

run:
	$(CARGO) run --release --quiet -- run fixtures/news --config config/default.toml --out $(OUT) $(ARGS)

test:
	$(CARGO) test

# Ignored by `make test`: they need LibreOffice / Chromium, and take seconds.
test-office:
	$(CARGO) test --test office -- --ignored --nocapture

test-browser:
	$(CARGO) test --test browser -- --ignored --nocapture

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
