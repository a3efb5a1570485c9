#!/usr/bin/env bash
# Builds the page (release): dist/ (hosted bundle) and dist/leaktriage-standalone.html.
# Trunk 0.21 has been seen to fail once with "error writing JS loader file to stage dir" and
# succeed when run again; one retry, said out loud, is made for that.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
if ! trunk build --release; then
  echo "build.sh: trunk build failed; trying once more" >&2
  trunk build --release
fi
