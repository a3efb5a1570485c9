#!/usr/bin/env bash
# A focused run over more CloudTrail than the run limit lets an unfocused one read: EVENTS
# synthetic events (about 955 bytes each unpacked) over KEYS access keys in FILES gzipped files,
# read with `--focus` on one key, then without. Prints wall and CPU seconds, peak RSS and the
# load average of each run, and what each report read and kept.
#
#   scripts/bench-focus.sh [DIR] [EVENTS] [KEYS] [FILES] [JOBS]
#
# Defaults: a fresh folder under /tmp, 10500000 events (10.0 GB unpacked, 509 MB gzipped),
# 1000 keys, 2100 files, the machine's cores. DIR is deleted at the end unless KEEP=1.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-$(mktemp -d /tmp/leaktriage-bench-focus.XXXXXX)}
events=${2:-10500000}
keys=${3:-1000}
files=${4:-2100}
jobs=${5:-$(nproc)}
cargo build -q --profile native --features testkit --bin leaktriage --bin bench-evidence
bin=target/native
mkdir -p "$dir/cloudtrail"
[ -n "$(ls -A "$dir/cloudtrail")" ] ||
    "$bin/bench-evidence" --records "$events" --keys "$keys" --write-cloudtrail-dir "$dir/cloudtrail" "$files"
echo "inputs: $(du -sh "$dir/cloudtrail" | cut -f1) in $(ls "$dir/cloudtrail" | wc -l) gzipped CloudTrail files"
run() { # label, extra arguments...
    local label=$1 out="$dir/report-$1.json"
    shift
    /usr/bin/time -f "%e %U %S %M" -o "$dir/time" \
        "$bin/leaktriage" --no-time --json --quiet --jobs "$jobs" "$@" "$dir/cloudtrail" >"$out"
    read -r wall user sys rss <"$dir/time"
    printf '%-10s wall %6.2f s, CPU %6.2f s, peak RSS %8d KiB, load %s\n' "$label" "$wall" \
        "$(echo "$user + $sys" | bc)" "$rss" "$(cut -d' ' -f1-3 /proc/loadavg)"
    python3 - "$out" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
t = r["totals"]
print(f"           records read {t['records']:,}, problems {t['problems']:,}, events analysed {r['detection']['events']:,}")
if "focus" in t:
    print("           " + t["focus"]["said"])
PY
}
run focused --focus AKIAEXAMPLE000000951
run whole
[ "${KEEP:-}" = 1 ] || rm -rf "$dir"
