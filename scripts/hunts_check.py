"""Runs the hunts leaktriage writes on real engines (called by scripts/hunts-check.sh).

1. Spark: the CLI writes its hunts (`--hunts DIR`) for three sets of evidence; each Spark SQL
   hunt then runs in a local Spark over CloudTrail files, and must return exactly the events
   expected, by eventID:
   - synthetic: a `git log -p` (synthetic) that leaks a fake access key id; a synthetic trail
     (fake key ids, documentation addresses) holds events of that key inside the window, just
     before it, and of another key. The expected events are planted by this script, not read
     back from the query.
   - demo: the demo incident (public/demo) and its own CloudTrail file; the expected events are
     those of the report's AWS keys (or attacker addresses) at or after the window's start, the
     window worked out here from the report's timeline (a day before the earliest exposure or
     suspicious use).
   - real: the public CloudTrail samples in tests/fixtures/real/cloudtrail-bedrock (Panther's
     detection tests), wrapped as CloudTrail delivers them ({"Records": [...]}, one file each).
2. sqlglot: every Athena and CloudTrail Lake hunt parses in the `trino` dialect, every BigQuery
   hunt in `bigquery` and every Spark hunt in `spark`; any parse error fails.

Usage: python3 scripts/hunts_check.py PATH/TO/leaktriage
"""

import datetime as dt
import glob
import gzip
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIALECTS = {
    "athena": "trino",
    # CloudTrail Lake runs Trino's SQL (AWS documents its functions and operators as Trino's);
    # sqlglot has no dialect of its own for it.
    "cloudtrail_lake": "trino",
    "bigquery": "bigquery",
    "spark": "spark",
}
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(s):
    t = dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
    return t if t.tzinfo else t.replace(tzinfo=dt.timezone.utc)


def run_cli(cli, args, out_dir):
    """Runs the CLI; returns (hunts dir, report)."""
    hunts = os.path.join(out_dir, "hunts")
    report = os.path.join(out_dir, "report.json")
    p = subprocess.run(
        [cli, *args, "--hunts", hunts, "--out", report],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    if not os.path.exists(report):
        raise SystemExit(f"leaktriage {' '.join(args)} failed ({p.returncode}): {p.stderr}")
    with open(report) as f:
        return hunts, json.load(f)


# --- the synthetic scenario -------------------------------------------------------------------

B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def fake_key_id(rng):
    return "AKIA" + "".join(rng.choice(B32) for _ in range(16))


def record(rng, key, at, ip, name="ListBuckets", source="s3.amazonaws.com"):
    ident = {
        "type": "IAMUser",
        "principalId": "AIDA" + key[4:],
        "arn": "arn:aws:iam::111122223333:user/synthetic",
        "accountId": "111122223333",
        "userName": "synthetic",
    }
    if key:
        ident["accessKeyId"] = key
    else:
        ident = {"type": "AWSService", "invokedBy": "cloudtrail.amazonaws.com"}
    return {
        "eventVersion": "1.09",
        "userIdentity": ident,
        "eventTime": iso(at),
        "eventSource": source,
        "eventName": name,
        "awsRegion": "us-east-1",
        "sourceIPAddress": ip,
        "userAgent": "aws-cli/2.15.0 (synthetic)",
        "requestParameters": {"bucketName": "synthetic-bucket"} if key else None,
        "responseElements": None,
        "requestID": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "eventID": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "eventType": "AwsApiCall",
        "recipientAccountId": "111122223333",
    }


def synthetic(work):
    """Writes the synthetic evidence and trail; returns (CLI args, trail dir, expected, planted)."""
    rng = random.Random(20261113)
    leaked, other = fake_key_id(rng), fake_key_id(rng)
    secret = "".join(
        rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+")
        for _ in range(40)
    )
    committed = dt.datetime(2026, 3, 10, 12, 0, 0, tzinfo=dt.timezone.utc)
    opens = committed - dt.timedelta(days=1)
    log = os.path.join(work, "synthetic-git-log.txt")
    with open(log, "w") as f:
        f.write(
            f"commit {rng.getrandbits(160):040x}\n"
            "Author: Synthetic Developer <dev@example.com>\n"
            "Date:   Tue Mar 10 12:00:00 2026 +0000\n\n"
            "    Add deploy settings (synthetic test data)\n\n"
            "diff --git a/deploy.env b/deploy.env\nnew file mode 100644\n"
            "index 0000000..1111111\n--- /dev/null\n+++ b/deploy.env\n@@ -0,0 +1,2 @@\n"
            f"+AWS_ACCESS_KEY_ID={leaked}\n+AWS_SECRET_ACCESS_KEY={secret}\n"
        )
    ctx = os.path.join(work, "synthetic-context.json")
    with open(ctx, "w") as f:
        json.dump({"now": "2026-03-20T00:00:00Z"}, f)
    h = dt.timedelta(hours=1)
    s = dt.timedelta(seconds=1)
    inside = [
        record(rng, leaked, opens, "203.0.113.7", "GetCallerIdentity", "sts.amazonaws.com"),
        record(rng, leaked, committed + 2 * h, "203.0.113.7"),
        record(rng, leaked, committed + 3 * 24 * h, "203.0.113.9", "InvokeModel",
               "bedrock.amazonaws.com"),
    ]
    outside = {
        "a day before the window": record(rng, leaked, opens - 24 * h, "192.0.2.10"),
        "a second before the window": record(rng, leaked, opens - s, "192.0.2.10"),
        "another key in the window": record(rng, other, committed + h, "203.0.113.7"),
        "no key (an AWS service) in the window": record(rng, "", committed + h, "192.0.2.11"),
    }
    records = inside + list(outside.values())
    rng.shuffle(records)
    trail = os.path.join(work, "trail", "AWSLogs", "111122223333", "CloudTrail", "us-east-1")
    # As CloudTrail delivers them: gzip, one JSON object on one line per file; and one file
    # pretty-printed, as a copy made by hand may be.
    first = os.path.join(trail, "2026", "03", "09")
    second = os.path.join(trail, "2026", "03", "13")
    os.makedirs(first)
    os.makedirs(second)
    with gzip.open(os.path.join(first, "111122223333_CloudTrail_us-east-1_a.json.gz"), "wt") as f:
        json.dump({"Records": records[:4]}, f, separators=(",", ":"))
    with open(os.path.join(second, "111122223333_CloudTrail_us-east-1_b.json"), "w") as f:
        json.dump({"Records": records[4:]}, f, indent=2)
    expected = {"spark.key_activity": [r["eventID"] for r in inside]}
    return (
        ["--context", ctx, log],
        os.path.join(work, "trail"),
        expected,
        {k: r["eventID"] for k, r in outside.items()},
    )


# --- oracles from a report --------------------------------------------------------------------


def window_start(report):
    starts = [
        parse_time(m["at"])
        for m in report["summary"]["timeline"]
        if m.get("at")
        and m["id"] in ("secret_introduced", "exposed_publicly", "first_suspicious_use")
    ]
    return min(starts) - dt.timedelta(days=1) if starts else None


def is_key_id(k):
    return (
        len(k) == 20
        and k[:4] in ("AKIA", "ASIA")
        and all(c.isupper() or c.isdigit() for c in k)
    )


def oracle(report, records):
    """The events each CloudTrail hunt should return, worked out from the report."""
    keys = {k["key"] for k in report["detection"]["keys"] if is_key_id(k["key"])}
    ips = {ip["value"] for ip in report["detection"]["timeline"]["attacker_ips"]}
    start = window_start(report)

    def within(r):
        return start is None or parse_time(r["eventTime"]) >= start

    # Lists: a sample may hold the same record twice, and the query must return it twice.
    by_key = [
        r["eventID"]
        for r in records
        if (r.get("userIdentity") or {}).get("accessKeyId") in keys and within(r)
    ]
    by_ip = [r["eventID"] for r in records if r.get("sourceIPAddress") in ips and within(r)]
    out = {"spark.key_activity": by_key}
    if keys and ips:
        out["spark.attacker_ips"] = by_ip
    return out


def records_of(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        text = f.read()
    # One document, an array, JSON Lines or documents one after another.
    docs, i, dec = [], 0, json.JSONDecoder()
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i == len(text):
            break
        doc, i = dec.raw_decode(text, i)
        docs.extend(doc if isinstance(doc, list) else [doc])
    out = []
    for d in docs:
        out.extend(d["Records"] if "Records" in d else [d])
    return out


def demo(work):
    trail = os.path.join(work, "trail")
    os.makedirs(trail)
    src = os.path.join(REPO, "public", "demo", "cloudtrail-bedrock.json.gz")
    with open(src, "rb") as f, open(os.path.join(trail, "demo.json.gz"), "wb") as g:
        g.write(f.read())
    return ["--context", "tests/fixtures/demo-context.json", "public/demo"], trail, records_of(src)


def real(work):
    trail = os.path.join(work, "trail")
    os.makedirs(trail)
    files = sorted(glob.glob(os.path.join(REPO, "tests/fixtures/real/cloudtrail-bedrock/panther-*")))
    files = [f for f in files if not f.endswith(".golden.json")]
    records = []
    for i, path in enumerate(files):
        rs = records_of(path)
        records.extend(rs)
        with open(os.path.join(trail, f"real-{i}.json"), "w") as f:
            json.dump({"Records": rs}, f, separators=(",", ":"))
    return [os.path.relpath(f, REPO) for f in files], trail, records


# --- engines ----------------------------------------------------------------------------------


def spark_session():
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[1]")
        .appName("leaktriage-hunts-check")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def run_spark(spark, query, trail):
    """Runs a Spark hunt (its statements in order) over `trail`; returns the eventIDs."""
    query = query.replace("'cloudtrail_path'", "'" + trail.replace("'", "\\'") + "'")
    rows = []
    for stmt in [s for s in query.split(";\n") if s.strip()]:
        rows = spark.sql(stmt).collect()
    return [r["eventID"] for r in rows]


def parse_all(hunts_dir, label):
    import sqlglot
    from sqlglot.errors import ErrorLevel

    n = 0
    for path in sorted(glob.glob(os.path.join(hunts_dir, "*.sql"))):
        name = os.path.basename(path)
        dialect = DIALECTS.get(name.split(".")[0])
        if dialect is None:
            fail(f"{label}: {name}: no dialect known for it")
            continue
        with open(path) as f:
            text = f.read()
        try:
            trees = [t for t in sqlglot.parse(text, read=dialect, error_level=ErrorLevel.RAISE) if t]
        except Exception as e:  # sqlglot raises ParseError or TokenError
            fail(f"{label}: {name} does not parse as {dialect}: {e}")
            continue
        if not trees:
            fail(f"{label}: {name} is empty")
        n += 1
    return n


def main():
    cli = os.path.abspath(sys.argv[1])
    began = time.monotonic()
    spark = spark_session()
    spark_began = time.monotonic()
    checked = parsed = 0
    with tempfile.TemporaryDirectory(prefix="leaktriage-hunts-") as tmp:
        for label in ("synthetic", "demo", "real"):
            work = os.path.join(tmp, label)
            os.makedirs(work)
            planted = {}
            if label == "synthetic":
                args, trail, expected, planted = synthetic(work)
                hunts, report = run_cli(cli, args, work)
            else:
                args, trail, records = demo(work) if label == "demo" else real(work)
                hunts, report = run_cli(cli, args, work)
                expected = oracle(report, records)
            written = sorted(os.path.basename(p) for p in glob.glob(os.path.join(hunts, "spark.*.sql")))
            if not written:
                fail(f"{label}: the CLI wrote no Spark hunt")
            for name in written:
                hunt = name[: -len(".sql")]
                if hunt not in expected:
                    fail(f"{label}: {name} has no expected result here")
                    continue
                with open(os.path.join(hunts, name)) as f:
                    got = run_spark(spark, f.read(), trail)
                want = expected[hunt]
                before = len(failures)
                if not want:
                    fail(f"{label}: {hunt} expects no event: the check would prove nothing")
                if sorted(got) != sorted(want):
                    fail(f"{label}: {hunt} returned {sorted(got)}, expected {sorted(want)}")
                for why, event_id in planted.items():
                    if event_id in got:
                        fail(f"{label}: {hunt} returned the event {why} ({event_id})")
                checked += 1
                if len(failures) == before:
                    print(f"ok  {label}: {hunt} returned exactly the {len(want)} expected event(s)")
            parsed += parse_all(hunts, label)
        # BigQuery hunts come from GCP audit logs: the public Vertex AI sample.
        work = os.path.join(tmp, "gcp")
        os.makedirs(work)
        hunts, _ = run_cli(cli, ["tests/fixtures/real/gcp-audit-log/elastic-vertexai-auditlogs.log"], work)
        if not glob.glob(os.path.join(hunts, "bigquery.*.sql")):
            fail("gcp: the CLI wrote no BigQuery hunt for the Vertex AI audit log")
        parsed += parse_all(hunts, "gcp")
    spark.stop()
    print(
        f"hunts-check: {checked} Spark hunt(s) run and {parsed} SQL hunt(s) parsed; Spark start "
        f"{spark_began - began:.1f} s, all {time.monotonic() - began:.1f} s"
    )
    if failures:
        print(f"hunts-check: {len(failures)} failure(s)")
        sys.exit(1)


if __name__ == "__main__":
    main()
