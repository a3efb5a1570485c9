#!/usr/bin/env bash
# Runs every test: formatting and lints, the native engine and component tests, the CLI tests,
# the hunts on real engines (scripts/hunts-check.sh), the release build of the page, and the
# browser tests in Debian's Chromium.
# Installs whatever is missing first (scripts/setup.sh). CI runs exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n==> %s\n' "$*"; }

step "setup"
scripts/setup.sh

step "cargo fmt --check"
cargo fmt --check

step "cargo clippy (all code, natively: engine, CLI, components, wasm glue)"
cargo clippy --all-targets --features web,ssr,testkit -- -D warnings

step "cargo clippy for the page's wasm (code built only there: the SIMD string search, the workers' glue)"
(source scripts/env.sh && cargo clippy --target wasm32-unknown-unknown --features web --lib -- -D warnings)

step "cargo test (engine, CLI, components via Yew's server renderer)"
cargo test --features web,ssr,testkit

step "hunts on real engines (the Spark SQL in a local Spark, the SQL dialects with sqlglot)"
scripts/hunts-check.sh

step "trunk build --release (hosted bundle + single-file build)"
scripts/build.sh

step "browser tests (Playwright + /usr/bin/chromium)"
node e2e/run.js

printf '\nAll tests passed.\n'
