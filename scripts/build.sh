#!/usr/bin/env bash
# Builds the page (release): dist/ (hosted bundle) and dist/leaktriage-standalone.html.
#
# Trunk builds offline (Trunk.toml), so every crate the wasm build needs must already be in
# cargo's registry cache: the app's own dependencies and, where `std` is built from source for
# wasm, the standard library's (dlmalloc, libc, ...). The fetch below brings them; once they are
# cached it asks no registry, so an air-gapped machine that has built once builds again.
#
# Trunk 0.21 has been seen to fail once with "error writing JS loader file to stage dir" and
# succeed when run again; one retry, said out loud, is made for that.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
# Two fetches: every crate of the lock file (build scripts and proc macros run on the host), then
# the wasm target's, which with build-std includes the standard library's own dependencies.
fetched() { cargo fetch --locked --offline >/dev/null 2>&1 && cargo fetch --locked --offline --target wasm32-unknown-unknown >/dev/null 2>&1; }
if ! fetched; then
  echo "build.sh: cargo fetch (the build's crates, and for wasm the standard library's)"
  cargo fetch --locked
  cargo fetch --locked --target wasm32-unknown-unknown
fi
if ! trunk build --release; then
  echo "build.sh: trunk build failed; trying once more" >&2
  trunk build --release
fi
