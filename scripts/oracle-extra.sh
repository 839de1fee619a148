#!/usr/bin/env bash
# Records the oracle's output (the current go tool pprof, Go 1.27.3, run as
# the shared corpus was: empty HOME, TZ=UTC, in tests/data) for the extra
# cases in golden/oracle-extra/MANIFEST.tsv (columns: case, profile
# relative to tests/data, flags): stdout to CASE.txt, stderr to CASE.stderr
# when pprof wrote any. Needs Go (PPROF overrides the command, e.g. a pprof
# built once from $(go env GOROOT)/src/cmd/pprof); the tests only read the
# results.
set -euo pipefail
cd "$(dirname "$0")/../tests/data"
read -ra pprof <<< "${PPROF:-go tool pprof}"
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
out=../../golden/oracle-extra
while IFS=$'\t' read -r id profile flags; do
  [ "$id" = case ] && continue
  read -ra args <<< "$flags"
  env -i PATH="$PATH" HOME="$home" PPROF_TMPDIR="$home" TZ=UTC \
    "${pprof[@]}" "${args[@]}" "$profile" > "$out/$id.txt" 2> "$out/$id.stderr"
  [ -s "$out/$id.stderr" ] || rm -f "$out/$id.stderr"
done < "$out/MANIFEST.tsv"
