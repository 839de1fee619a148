#!/usr/bin/env bash
# Records go tool pprof's output (the oracle: Go 1.19.8, TZ=UTC) for the
# extra cases in golden/oracle-extra/MANIFEST.tsv (columns: case, profile
# relative to tests/data, flags). Needs Go; the tests only read the results.
set -euo pipefail
cd "$(dirname "$0")/../tests/data"
export TZ=UTC
while IFS=$'\t' read -r id profile flags; do
  [ "$id" = case ] && continue
  read -ra args <<< "$flags"
  go tool pprof "${args[@]}" "$profile" > "../../golden/oracle-extra/$id.txt" 2>/dev/null
done < ../../golden/oracle-extra/MANIFEST.tsv
