#!/usr/bin/env bash
# Installs what building, serving and testing leaktriage needs, and skips what is already there.
# Idempotent: run it as often as you like. Source scripts/env.sh afterwards for the wasm build.
#
# The recipe (see docs/toolchain.md): where rustup already has the wasm32 target, use it; else use
# Debian's rustc-web toolchain and build `std` for wasm from its source (build-std).
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=$(sed -n '/^name = "wasm-bindgen"$/{n;s/^version = "\(.*\)"$/\1/p;q}' Cargo.lock)
: "${WASM_BINDGEN_VERSION:?wasm-bindgen version not found in Cargo.lock}"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

SECONDS=0
say() { printf "setup: [%dm%02ds] %s\n" $((SECONDS / 60)) $((SECONDS % 60)) "$*"; }
apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then
    say "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=1
  fi
  say "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# 1. A Rust toolchain that can build for wasm32-unknown-unknown.
if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "rustup has the wasm32 target: using it"
else
  missing=()
  [ -x /usr/bin/rustc ] && /usr/bin/rustc --version | grep -q '^rustc 1\.9[6-9]' || missing+=(rustc-web cargo-web)
  [ -f /usr/lib/rustlib/src/rust/library/Cargo.lock ] || missing+=(rust-web-src)
  [ -x /usr/bin/rust-lld ] || missing+=(rust-web-llvm lld-22)
  # Clippy of the same release, for the lints of the code built only for the page.
  [ -x /usr/bin/clippy-driver ] && /usr/bin/clippy-driver --version | grep -q '^clippy 0\.1\.9[6-9]' || missing+=(rust-web-clippy)
  if [ ${#missing[@]} -gt 0 ]; then apt_install rustc-web cargo-web rust-web-src rust-web-llvm lld-22 rust-web-clippy; fi
  if ! rustup toolchain list | grep -q '^debian-web'; then
    say "rustup toolchain link debian-web /usr"
    rustup toolchain link debian-web /usr
  fi
fi

# 2. Chromium for the browser tests.
[ -x /usr/bin/chromium ] || apt_install chromium

# 3. wasm-bindgen CLI at exactly the version in Cargo.lock, and Trunk.
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes)"
  cargo install -q wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi
if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  # No default features: the build runs offline, so Trunk's TLS stack and update check are never
  # used, and leaving them out makes this install several minutes shorter.
  say "cargo install trunk $TRUNK_VERSION (the longest step of a first run)"
  cargo install -q trunk --version "$TRUNK_VERSION" --locked --force --no-default-features
fi

# 4. The browser tests' packages: playwright-core (it never downloads a browser) and axe-core
#    (the accessibility checks, injected into the page under test).
if [ ! -f e2e/node_modules/playwright-core/package.json ] || [ ! -f e2e/node_modules/axe-core/axe.min.js ] || [ e2e/package-lock.json -nt e2e/node_modules/.package-lock.json ]; then
  say "npm ci (e2e)"
  (cd e2e && npm ci --no-audit --no-fund --silent)
fi
say "ready"
