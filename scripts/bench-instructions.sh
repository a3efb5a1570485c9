#!/usr/bin/env bash
# The readers' work counted in instructions (valgrind's callgrind), which other work on a shared
# machine does not change, unlike the CPU seconds of the other benchmarks: for comparing two
# builds when the machine is not calm.
#
# Usage: scripts/bench-instructions.sh [DIR] [BIN...]
#   DIR   where the inputs are written (once) and kept; default: a new /tmp folder
#   BIN   the leaktriage binaries to count, in turn; default: this checkout's native build
# Inputs: the first 10 files of the CloudTrail folder of the benchmarks (50,000 events, 47.7 MB
# unpacked: `bench-evidence --records 50000 --write-cloudtrail-dir DIR 10`) and 100,000
# reference-format records as JSON (`bench-evidence --records 100000 --write DIR`). Each run is
# `leaktriage --no-time --json --quiet --jobs 1`; its report is compared with the first binary's.
# Valgrind runs SHA-256 in software, so hashing weighs more here than natively.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v valgrind >/dev/null; then
  echo "bench-instructions.sh: installing valgrind (Debian)" >&2
  apt-get install -y valgrind >/dev/null
fi
dir=${1:-$(mktemp -d /tmp/leaktriage-instructions-XXXXXX)}
shift || true
mkdir -p "$dir/trail"
if [ "$#" -eq 0 ]; then
  cargo build --profile native --features testkit --bin leaktriage
  set -- target/native/leaktriage
fi
if [ ! -f "$dir/reference.json" ] || [ ! -f "$dir/trail/cloudtrail-0009.json.gz" ]; then
  cargo build --profile native --features testkit --bin bench-evidence
  target/native/bench-evidence --records 50000 --write-cloudtrail-dir "$dir/trail" 10
  target/native/bench-evidence --records 100000 --write "$dir"
fi
first=""
for bin in "$@"; do
  for input in trail reference.json; do
    report="$dir/report-$(basename "$bin")-$input.json"
    refs=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" --no-time --json --quiet \
      --jobs 1 "$dir/$input" 2>&1 >"$report" | sed -n 's/.*refs: *//p')
    same=""
    if [ -n "$first" ]; then
      cmp -s "$report" "$dir/report-$first-$input.json" && same=", report identical" || same=", report DIFFERS"
    fi
    echo "$bin $input: $refs instructions$same"
  done
  first=${first:-$(basename "$bin")}
done
echo "inputs kept in $dir"
