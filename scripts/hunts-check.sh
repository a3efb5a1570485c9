#!/usr/bin/env bash
# Runs the hunts on real engines: the Spark SQL the CLI writes runs in a local Spark over
# CloudTrail files and must return exactly the expected events; the Athena (Trino), CloudTrail
# Lake, BigQuery and Spark SQL must parse with sqlglot in their dialects (scripts/hunts_check.py).
# Installs what is missing, once: a Java runtime (Debian's default-jre-headless, only when
# `java -version` fails) and a venv with pinned pyspark and sqlglot under
# ~/.cache/leaktriage/hunts-venv (LEAKTRIAGE_HUNTS_VENV overrides). Once installed, it uses no
# network.
set -euo pipefail
cd "$(dirname "$0")/.."
PYSPARK_VERSION=4.0.1
SQLGLOT_VERSION=30.31.0
VENV="${LEAKTRIAGE_HUNTS_VENV:-$HOME/.cache/leaktriage/hunts-venv}"
say() { printf 'hunts-check: %s\n' "$*"; }
apt_install() {
  say "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

java -version >/dev/null 2>&1 || apt_install default-jre-headless

installed() {
  [ -x "$VENV/bin/python" ] && "$VENV/bin/python" - "$PYSPARK_VERSION" "$SQLGLOT_VERSION" <<'PY' 2>/dev/null
import sys
from importlib.metadata import version
sys.exit(0 if (version("pyspark"), version("sqlglot")) == tuple(sys.argv[1:3]) else 1)
PY
}
# Two runs at once on one machine (a test run beside CI) take turns here: the second waits for
# the first's install and then finds it, instead of deleting the venv the first is filling.
mkdir -p "$(dirname "$VENV")"
exec 9>"$VENV.lock"
flock 9
if ! installed; then
  if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' 2>/dev/null; then
    apt_install python3-venv
  fi
  say "installing pyspark $PYSPARK_VERSION and sqlglot $SQLGLOT_VERSION into $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check \
    "pyspark==$PYSPARK_VERSION" "sqlglot==$SQLGLOT_VERSION"
fi
flock -u 9

cargo build --quiet --bin leaktriage
start=$(date +%s)
"$VENV/bin/python" scripts/hunts_check.py target/debug/leaktriage
say "engine checks took $(( $(date +%s) - start )) s"
