# Sinergi — the two commands of the README, and the steps behind them.
#   make run    install what is missing, build (release), serve on http://127.0.0.1:3000
#   make test   install what is missing, then fmt, clippy (ssr + hydrate), unit and integration
#               tests on SQLite and PostgreSQL, browser tests in Debian chromium
# Every tool comes from crates.io, npm or Debian, pinned, and is skipped when already present.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)

CARGO_LEPTOS_VERSION := 0.3.10
# wasm-bindgen-cli must equal the wasm-bindgen library in Cargo.lock.
WASM_BINDGEN_VERSION := $(shell sed -n '/^name = "wasm-bindgen"$$/{n;s/^version = "\(.*\)"/\1/p;q}' Cargo.lock)
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
export TEST_DATABASE_URL

.PHONY: run test setup tools node chromium moto build build-release fmt-check clippy test-rust e2e pg-check bench bench-client clean

run: tools node build-release
	@mkdir -p data
	./target/release/sinergi serve

test: tools node chromium moto fmt-check clippy pg-check test-rust e2e
	@echo "make test: semua pemeriksaan lulus (all checks passed)"

setup: tools node chromium moto

tools:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown \
	  || rustup target add wasm32-unknown-unknown
	@if ! cargo leptos --version 2>/dev/null | grep -q "$(CARGO_LEPTOS_VERSION)"; then \
	  echo ">> installing cargo-leptos $(CARGO_LEPTOS_VERSION) from crates.io (~13 min, once)"; \
	  cargo install --locked cargo-leptos --version $(CARGO_LEPTOS_VERSION); fi
	@if ! wasm-bindgen --version 2>/dev/null | grep -q "$(WASM_BINDGEN_VERSION)"; then \
	  echo ">> installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) from crates.io (~2 min, once)"; \
	  cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); fi

# npm packages: ECharts (served from our origin), Playwright, binaryen's wasm-opt.
node:
	@if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
	  npm ci --no-audit --no-fund; fi
	@mkdir -p public
	@cmp -s node_modules/echarts/dist/echarts.min.js public/echarts.min.js \
	  || cp node_modules/echarts/dist/echarts.min.js public/echarts.min.js

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo ">> installing Debian chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
	  || { echo "could not install chromium (run as root, or: sudo apt-get install chromium)"; exit 1; }; fi

# From PyPI, for the tests: a local S3-compatible server for the object-store half of the storage
# tests (moto), and the reference OpenAPI 3.1 validator for the API document.
MOTO_VERSION := 5.2.1
OPENAPI_VALIDATOR_VERSION := 0.9.0
moto:
	@if ! command -v moto_server >/dev/null; then \
	  echo ">> installing moto $(MOTO_VERSION) from PyPI (the S3-compatible server of the storage tests)"; \
	  python3 -m pip install --quiet "moto[server]==$(MOTO_VERSION)" \
	  || echo "!!! could not install moto: the S3 half of the storage tests will be skipped"; fi
	@if ! python3 -c 'import openapi_spec_validator' 2>/dev/null; then \
	  echo ">> installing openapi-spec-validator $(OPENAPI_VALIDATOR_VERSION) from PyPI"; \
	  python3 -m pip install --quiet "openapi-spec-validator==$(OPENAPI_VALIDATOR_VERSION)" \
	  || echo "!!! could not install openapi-spec-validator: reference validation will be skipped"; fi

build: tools node
	cargo leptos build

# --precompress writes .gz and .br beside every file of the site (the wasm, JS, CSS and ECharts);
# the server sends them to browsers that accept them (a third to a fifth of the bytes).
build-release: tools node
	cargo leptos build --release --precompress

fmt-check:
	cargo fmt --all -- --check

clippy:
	cargo clippy --features ssr --all-targets -- -D warnings
	cargo clippy --lib --features hydrate --target wasm32-unknown-unknown -- -D warnings

# Says loudly when the PostgreSQL half of the tests cannot run; REQUIRE_POSTGRES=1 makes it fatal.
# Also drops test databases a crashed earlier run left behind (one in use is left alone).
pg-check:
	@if psql "$(TEST_DATABASE_URL)" -qAtc 'select 1' >/dev/null 2>&1; then \
	  echo ">> PostgreSQL reachable at $(TEST_DATABASE_URL): tests run on SQLite and PostgreSQL"; \
	  for db in $$(psql "$(TEST_DATABASE_URL)" -qAtc "select datname from pg_database where datname like 'sinergi_test_%'"); do \
	    psql "$(TEST_DATABASE_URL)" -qc "DROP DATABASE IF EXISTS $$db" >/dev/null 2>&1 || true; done; \
	elif [ "$${REQUIRE_POSTGRES:-0}" = "1" ]; then \
	  echo "!! REQUIRE_POSTGRES=1 but PostgreSQL at $(TEST_DATABASE_URL) is unreachable"; exit 1; \
	else \
	  echo; echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	  echo "!! PostgreSQL at $(TEST_DATABASE_URL) is unreachable: only SQLite is tested  !!"; \
	  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; echo; fi

test-rust:
	cargo test --features ssr

# With PostgreSQL reachable, the workspace journeys also run against a server on PostgreSQL.
e2e: build chromium
	@if psql "$(TEST_DATABASE_URL)" -qAtc 'select 1' >/dev/null 2>&1; then \
	  E2E_POSTGRES_URL="$(TEST_DATABASE_URL)" npx playwright test -c end2end/playwright.config.ts; \
	else npx playwright test -c end2end/playwright.config.ts; fi

# Figures, not pass/fail: see the closing notes and bench/.
bench:
	cargo bench --bench scoring --features ssr
	cargo bench --bench planning --features ssr
	cargo bench --bench boards --features ssr
	cargo bench --bench leadership --features ssr
	cargo bench --bench national --features ssr
	cargo bench --bench serve --features ssr

# The client payload and a throttled first load in headless chromium, against the release build.
BENCH_PORT := 3108
bench-client: build-release chromium
	@rm -rf target/bench-data && mkdir -p target/bench-data
	@./target/release/sinergi --data-dir target/bench-data serve --addr 127.0.0.1:$(BENCH_PORT) >/dev/null 2>&1 & \
	  pid=$$!; trap "kill $$pid" EXIT; \
	  until curl -sf http://127.0.0.1:$(BENCH_PORT)/healthz >/dev/null; do sleep 0.3; done; \
	  node bench/client.mjs http://127.0.0.1:$(BENCH_PORT)

clean:
	cargo clean
	rm -rf node_modules public/echarts.min.js target/e2e-data test-results
