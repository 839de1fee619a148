# pprof-graph developer targets. Every target works with only cargo;
# `make bench` also compares with `go tool pprof` when Go is installed.

CARGO ?= cargo

.PHONY: all build test lint fmt bench clean layout-report fuzz

all: build

build:
	$(CARGO) build --release

## All tests: unit tests, the corpus conformance test, CLI tests.
test:
	TZ=UTC $(CARGO) test --profile ci

## Formatting and clippy, warnings as errors.
lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --release --all-targets -- -D warnings

fmt:
	$(CARGO) fmt --all

## Speed and memory against `go tool pprof` on the same input, side by side.
bench:
	scripts/bench.sh

clean:
	$(CARGO) clean

## The embedded layout against graphviz's dot on the corpus graphs.
layout-report:
	PPROF_GRAPH_CORPUS=$${PPROF_GRAPH_CORPUS:-../shared/corpus} $(CARGO) run --release --quiet --example layout_report

## Fuzz the decoder and the whole pipeline (needs a nightly toolchain and
## cargo-fuzz): FUZZ_SECONDS each, seeded from fuzz/seeds.
FUZZ_SECONDS ?= 1800
fuzz:
	mkdir -p fuzz/corpus/decode fuzz/corpus/pipeline
	cp -n fuzz/seeds/* fuzz/corpus/decode/ ; cp -n fuzz/seeds/* fuzz/corpus/pipeline/ ; true
	cd fuzz && cargo +nightly fuzz run -O decode $(CURDIR)/fuzz/corpus/decode -- -max_total_time=$(FUZZ_SECONDS) -max_len=262144
	cd fuzz && cargo +nightly fuzz run -O pipeline $(CURDIR)/fuzz/corpus/pipeline -- -max_total_time=$(FUZZ_SECONDS) -max_len=262144 -timeout=30
