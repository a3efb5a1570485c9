#!/usr/bin/env bash
# The CLI on one thread and on N (default 2): a folder of many gzipped CloudTrail files and one
# large `git log -p`, generated with the benchmarks' generators. Prints wall and CPU seconds,
# peak RSS and the load average of each run, and checks that the reports are identical.
#
#   scripts/bench-jobs.sh [DIR] [N] [EVENTS] [FILES] [HISTORY_MIB]
#
# DIR (default: a fresh folder under /tmp) receives the inputs; it is deleted at the end unless
# KEEP=1. The native build is made first (`cargo build --profile native`).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-$(mktemp -d /tmp/leaktriage-bench-jobs.XXXXXX)}
jobs=${2:-2}
events=${3:-1000000}
files=${4:-200}
mib=${5:-256}
cargo build -q --profile native --features testkit --bin leaktriage --bin bench-evidence --bin bench-scan
bin=target/native
mkdir -p "$dir/cloudtrail"
[ -n "$(ls -A "$dir/cloudtrail")" ] || "$bin/bench-evidence" --records "$events" --write-cloudtrail-dir "$dir/cloudtrail" "$files"
[ -f "$dir/git-log-p.txt" ] || BENCH_WRITE="$dir/git-log-p.txt" "$bin/bench-scan" "$mib"
echo "inputs: $(du -shL "$dir/cloudtrail" | cut -f1) in $(ls "$dir/cloudtrail" | wc -l) CloudTrail files; $(du -sh "$dir/git-log-p.txt" | cut -f1) of git log -p"
# CPU seconds every process of the machine has used (user, nice, system, irq, softirq).
busy() { awk '/^cpu /{print ($2 + $3 + $4 + $7 + $8) / 100}' /proc/stat; }
run() { # input, jobs, round
    local out="$dir/report-$(basename "$1")-$2.json" before after cpu
    before=$(busy)
    /usr/bin/time -f "%e %U %S %M" -o "$dir/time" \
        "$bin/leaktriage" --no-time --json --quiet --jobs "$2" "$1" >"$out" || true
    after=$(busy)
    read -r wall user sys rss <"$dir/time"
    cpu=$(echo "$user + $sys" | bc)
    # "others": the CPU the rest of the machine used during the run (a calm run has ~0).
    printf '%-14s jobs %-2s round %s: wall %6.2f s, CPU %6.2f s, peak RSS %7d KiB, others %5.2f s, load %s\n' \
        "$(basename "$1")" "$2" "$3" "$wall" "$cpu" "$rss" "$(echo "$after - $before - $cpu" | bc)" \
        "$(cut -d' ' -f1-3 /proc/loadavg)"
}
for input in "$dir/cloudtrail" "$dir/git-log-p.txt"; do
    # Read once untimed, so the first timed run does not read the disk while the others read
    # the page cache.
    find -L "$input" -type f -exec cat {} + >/dev/null
    for round in 1 2; do
        run "$input" 1 "$round"
        run "$input" "$jobs" "$round"
    done
    cmp -s "$dir/report-$(basename "$input")-1.json" "$dir/report-$(basename "$input")-$jobs.json" \
        && echo "$(basename "$input"): reports identical" \
        || echo "$(basename "$input"): REPORTS DIFFER"
done
[ "${KEEP:-}" = 1 ] || rm -rf "$dir"
