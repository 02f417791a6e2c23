# credence: the commands CI and people use. `make run` analyses the bundled fixtures
# (`make run ARGS="--html --excel"` adds options); `make test` runs every test that needs
# nothing but Rust; `make test-office` and `make test-browser` open the reports in
# LibreOffice and headless Chromium, and skip when those are not installed; `make lint`
# is what CI checks besides the tests.

CARGO ?= cargo
OUT ?= reports
ARGS ?=

.PHONY: build run test test-office test-browser lint fmt bench bench-large bench-run eval-gen eval-truth \
	eval-cluster peer clean eval-stance train-stance stance-venv

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

# Truth discovery on the public benchmarks in ../shared (Book, Population, Flight),
# beside the peer truthdiscovery 1.0.4 when `make peer` has installed it.
SHARED ?= ../shared
PEER_VENV ?= target/peer-venv

eval-truth: build
	python3 scripts/truth/eval.py --shared $(SHARED) --credence target/release/credence \
		--config config/default.toml --ablations \
		$(if $(wildcard $(PEER_VENV)/bin/python),--peer-python $(PEER_VENV)/bin/python)

# Story grouping on AllSides roundups and BASIL in ../shared: B-cubed and adjusted Rand
# index of articles.csv's story_id against the gold story ids, beside trivial groupings.
eval-cluster: build
	python3 scripts/cluster/eval.py --shared $(SHARED) --credence target/release/credence \
		--config config/default.toml

# The peer in a private virtualenv; --no-deps because its drawing dependency does not
# build, and the algorithms need only numpy, scipy and bidict.
peer:
	python3 -m venv $(PEER_VENV)
	$(PEER_VENV)/bin/pip install --quiet numpy scipy bidict imageio matplotlib
	$(PEER_VENV)/bin/pip install --quiet --no-deps truthdiscovery==1.0.4

# Stance on FNC-1 (../shared/eval/news/fnc1), split by story into tune and held-out
# folds (scripts/stance/fnc1.py). `eval-stance` scores the shipped model
# (config/stance_model.toml) on both; `train-stance` refits it on the tune fold only,
# in a private virtualenv with scikit-learn (`make stance-venv`).
STANCE_VENV ?= target/stance-venv
STANCE_WORK ?= target/stance
STANCE_PAIRS = $(STANCE_WORK)/fnc1_pairs.csv

$(STANCE_PAIRS): scripts/stance/fnc1.py
	python3 scripts/stance/fnc1.py pairs --shared $(SHARED) --out $@

eval-stance: build $(STANCE_PAIRS)
	target/release/credence stance $(STANCE_PAIRS) --config config/default.toml \
		--out $(STANCE_WORK)/fnc1_run.csv
	python3 scripts/stance/fnc1.py score --run $(STANCE_WORK)/fnc1_run.csv

train-stance: build $(STANCE_PAIRS) stance-venv
	target/release/credence stance $(STANCE_PAIRS) --features --config config/default.toml \
		--out $(STANCE_WORK)/fnc1_features.csv
	$(STANCE_VENV)/bin/python scripts/stance/train.py \
		--features $(STANCE_WORK)/fnc1_features.csv --model config/stance_model.toml

stance-venv:
	test -x $(STANCE_VENV)/bin/python || python3 -m venv $(STANCE_VENV)
	$(STANCE_VENV)/bin/pip install --quiet numpy==2.4.6 scikit-learn==1.9.1

lint:
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings

fmt:
	$(CARGO) fmt

# Per-stage criterion benchmarks, then whole runs over corpora from `credence gen` (10k
# and 100k articles; bench-large adds 1M, about 4 GB of text, a step that stops at once where
# the machine lacks the disk or memory it needs), each on all cores and on
# one thread beside the unicode_words() baseline; rows are appended to
# bench-out/runs.csv so nights can be compared. `make bench-run ARTICLES=N` runs one size.
# The 10k and 100k sizes take turns on all cores and on one thread three times, as the
# speed-up from one lone pair of runs moved with the machine (see scripts/bench-run.sh).
bench:
	$(CARGO) bench --bench stages
	BENCH_REPEAT=$${BENCH_REPEAT:-3} bash scripts/bench-run.sh 10000
	BENCH_REPEAT=$${BENCH_REPEAT:-3} bash scripts/bench-run.sh 100000

bench-large: bench
	bash scripts/bench-run.sh 1000000

bench-run:
	bash scripts/bench-run.sh $(or $(ARTICLES),10000)

# Does credence rank outlets by planted reliability? Spearman rho on a generated
# corpus of 50,000 articles from 200 outlets (target >= 0.9; about two minutes), and
# the size distribution of its facts.
eval-gen: build
	python3 scripts/eval_gen.py --credence target/release/credence \
		--articles $(or $(ARTICLES),50000) --outlets 200

clean:
	$(CARGO) clean
	rm -rf $(OUT) bench-out
