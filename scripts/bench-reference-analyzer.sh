#!/usr/bin/env bash
# leaktriage against the investigation guide's reference analyzer (scripts/bench/reference_analyzer.py)
# on the same EVENTS records of the guide's own record format, as JSON and as CSV
# (`bench-evidence --write`): CPU seconds (user + sys) and peak RSS of each, in rounds that
# alternate the two, and the ratios. leaktriage runs on one thread (`--jobs 1`) and makes its
# whole report (detection, scan of every field, blast radius, summary); the reference analyzer
# builds its baseline and analyses the last 7 days.
#
#   scripts/bench-reference-analyzer.sh [DIR] [EVENTS] [ROUNDS]    # defaults: a /tmp folder, 1000000, 2
set -euo pipefail
cd "$(dirname "$0")/.."
# The inputs' folder is deleted at the end only when this script made it (and KEEP is not 1);
# its scratch files (timings, outputs) go to a folder of their own, so two runs over the same
# inputs do not mix.
made=
if [ -n "${1:-}" ]; then dir=$1; else dir=$(mktemp -d /tmp/leaktriage-bench-reference.XXXXXX); made=1; fi
events=${2:-1000000}
rounds=${3:-2}
scratch=$(mktemp -d /tmp/leaktriage-bench-reference-run.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
cargo build -q --profile native --features testkit --bin leaktriage --bin bench-evidence
bin=target/native
mkdir -p "$dir"
[ -f "$dir/reference.json" ] || "$bin/bench-evidence" --records "$events" --write "$dir"
printf 'inputs: reference.json %s bytes, reference.csv %s bytes\n' \
    "$(stat -c %s "$dir/reference.json")" "$(stat -c %s "$dir/reference.csv")"
measure() { # label, command...
    local label=$1
    shift
    /usr/bin/time -f "%U %S %M" -o "$scratch/time" "$@" >"$scratch/out" 2>"$scratch/err" || {
        cat "$scratch/err" >&2
        exit 1
    }
    read -r user sys rss <"$scratch/time"
    cpu=$(echo "$user + $sys" | bc)
    printf '%-32s CPU %7.2f s, peak RSS %8d KiB, load %s\n' "$label" "$cpu" "$rss" \
        "$(cut -d' ' -f1-3 /proc/loadavg)"
    echo "$cpu $rss" >>"$scratch/$label.runs"
}
for round in $(seq "$rounds"); do
    for f in reference.json reference.csv; do
        measure "reference-analyzer-$f" python3 scripts/bench/reference_analyzer.py "$dir/$f"
        measure "leaktriage-$f" "$bin/leaktriage" --no-time --json --quiet --jobs 1 "$dir/$f"
    done
done
python3 - "$dir" "$scratch" <<'PY'
import sys, pathlib
d, scratch = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
def runs(label):
    return [tuple(map(float, l.split())) for l in (scratch / f"{label}.runs").read_text().split("\n") if l]
for f in ["reference.json", "reference.csv"]:
    ref, ours = runs(f"reference-analyzer-{f}"), runs(f"leaktriage-{f}")
    size = (d / f).stat().st_size / 1024
    ratios = ", ".join(f"{r[0] / o[0]:.1f}x" for r, o in zip(ref, ours))
    print(f"{f}: CPU ratio, round by round: {ratios}; peak RSS: reference analyzer "
          f"{max(r[1] for r in ref) / size:.2f}x the input, leaktriage {max(o[1] for o in ours) / size:.2f}x")
PY
[ -z "$made" ] || [ "${KEEP:-}" = 1 ] || rm -rf "$dir"
