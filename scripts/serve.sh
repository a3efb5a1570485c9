#!/usr/bin/env bash
# Builds the app (release) and serves it on 127.0.0.1 at a free port; prints the URL.
# Installs whatever is missing first (scripts/setup.sh). Usage: scripts/serve.sh [--port N]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
exec python3 tools/serve.py dist "$@"
