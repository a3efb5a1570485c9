#!/usr/bin/env bash
# The worker-message micro-benchmark (docs/page.md): builds the page with the `msg-bench` feature
# into dist-msgbench/ and runs e2e/msgbench.js on it (arguments: records, keys, rounds).
# Figures only; not part of scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
# Trunk takes the crate's features from the page's rust link, so the benchmark has its own page.
sed 's/data-cargo-features="web"/data-cargo-features="msg-bench"/' index.html > msgbench.html
trap 'rm -f msgbench.html' EXIT
trunk build --release --dist dist-msgbench msgbench.html
node e2e/msgbench.js "$@"
