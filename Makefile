# pprof-graph developer targets. Every target works with only cargo;
# `make bench` also compares with `go tool pprof` when Go is installed.

CARGO ?= cargo

.PHONY: all build test lint fmt bench clean layout-report

all: build

build:
	$(CARGO) build --release

## All tests: unit tests, the corpus conformance test, CLI tests.
test:
	TZ=UTC $(CARGO) test --release

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
