#!/usr/bin/env bash
# Rehearses a new user's first run: clones the committed HEAD into a new folder and runs the
# README's two commands there with an empty cargo home (CARGO_HOME = a new empty folder), so no
# crate cached by earlier builds can hide a missing set-up step.
#
#   scripts/rehearse-fresh.sh                  installed tools (trunk, wasm-bindgen) stay on PATH
#   scripts/rehearse-fresh.sh --from-nothing   they are hidden too, so setup installs them again
#                                              (only rustup's proxies stay; Debian packages that
#                                              are already installed cannot be hidden)
#   --keep                                     keeps the rehearsal folder for a look afterwards
#
# First `scripts/serve.sh` (it must build and answer with the page), then `scripts/test.sh`.
# Prints each step's time and the total; the log is rehearsal.log in the rehearsal folder.
# Uncommitted changes are not rehearsed: commit first.
set -euo pipefail
cd "$(dirname "$0")/.."
from_nothing=0 keep=0
for a in "$@"; do
  case "$a" in
    --from-nothing) from_nothing=1 ;;
    --keep) keep=1 ;;
    *) echo "usage: scripts/rehearse-fresh.sh [--from-nothing] [--keep]" >&2; exit 2 ;;
  esac
done
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
  echo "rehearse: the work tree has uncommitted changes; only HEAD $(git rev-parse --short HEAD) is rehearsed" >&2
fi

work=$(mktemp -d /tmp/leaktriage-rehearsal.XXXXXX)
log="$work/rehearsal.log"
cleanup() {
  [ -n "${server_pid:-}" ] && kill "$server_pid" 2>/dev/null || true
  if [ "$keep" = 0 ]; then rm -rf "$work"; else echo "rehearse: kept $work"; fi
}
trap cleanup EXIT

git clone -q --no-local . "$work/repo"
mkdir "$work/cargo-home" "$work/npm-cache"
export CARGO_HOME="$work/cargo-home"
export npm_config_cache="$work/npm-cache"
unset CARGO_TARGET_DIR RUSTUP_TOOLCHAIN RUSTC_BOOTSTRAP CARGO_UNSTABLE_BUILD_STD
if [ "$from_nothing" = 1 ]; then
  # A PATH with rustup's proxies but none of the tools cargo installed.
  mkdir "$work/proxies"
  for t in cargo rustc rustup rustdoc rustfmt cargo-fmt cargo-clippy clippy-driver; do
    ln -s "$HOME/.cargo/bin/$t" "$work/proxies/$t"
  done
  PATH="$work/proxies:$(printf '%s' "$PATH" | tr ':' '\n' | grep -vx "$HOME/.cargo/bin" | paste -sd:)"
  export PATH
  for t in trunk wasm-bindgen; do
    if command -v "$t" >/dev/null; then echo "rehearse: $t is still on PATH at $(command -v "$t")" >&2; exit 1; fi
  done
fi
echo "rehearse: $(git rev-parse --short HEAD) in $work (CARGO_HOME empty$([ "$from_nothing" = 1 ] && echo ', tools hidden'))"

t0=$(date +%s)
stamp() { local s=$(($(date +%s) - t0)); printf '%d min %02d s' $((s / 60)) $((s % 60)); }

# 1. scripts/serve.sh: builds, then serves; the rehearsal waits for its URL and fetches the page.
(cd "$work/repo" && exec scripts/serve.sh) >"$work/serve.log" 2>&1 &
server_pid=$!
url=""
while kill -0 "$server_pid" 2>/dev/null; do
  url=$(sed -n 's/^leaktriage is served at \(http[^ ]*\).*/\1/p' "$work/serve.log" | head -1)
  [ -n "$url" ] && break
  sleep 5
done
cat "$work/serve.log" >>"$log"
if [ -z "$url" ]; then
  tail -30 "$work/serve.log" >&2
  echo "rehearse: FAILED: scripts/serve.sh ended without serving the page ($(stamp))" >&2
  exit 1
fi
page=$(python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1]).read().decode())' "$url")
kill "$server_pid" 2>/dev/null || true
wait "$server_pid" 2>/dev/null || true
server_pid=""
case "$page" in
  *"<title>leaktriage"*) ;;
  *) echo "rehearse: FAILED: $url did not answer with the page" >&2; exit 1 ;;
esac
serve_time=$(stamp)
echo "rehearse: scripts/serve.sh built and served the page in $serve_time"

# 2. scripts/test.sh, as CI runs it.
if ! (cd "$work/repo" && CI=true bash .ci/run) >>"$log" 2>&1; then
  tail -40 "$log" >&2
  echo "rehearse: FAILED: scripts/test.sh ($(stamp) in all)" >&2
  exit 1
fi
grep -E '^# (tests|pass|fail)|^test result:' "$log" | tail -5 || true
echo "rehearse: passed: serve.sh in $serve_time, then test.sh; $(stamp) in all"
