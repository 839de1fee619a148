#!/usr/bin/env bash
# Records the oracle's interactive shell (the current go tool pprof, run as
# the corpus was: empty HOME, TZ=UTC, in tests/data, standard input not a
# terminal) on each golden/oracle-extra/shell/NAME.script: the profile is
# named by NAME (leak-heap.t3[-x] -> profiles/leak/heap.t3.pb.gz); stdout
# goes to NAME.stdout and stderr to NAME.stderr. PPROF overrides the
# command. Needs Go; the tests only read the results.
set -euo pipefail
cd "$(dirname "$0")/../tests/data"
read -ra pprof <<< "${PPROF:-go tool pprof}"
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
dir=../../golden/oracle-extra/shell
for script in "$dir"/*.script; do
  name=$(basename "$script" .script)
  base=${name%%-reports}
  folder=${base%%-*}
  profile="profiles/$folder/${base#*-}.pb.gz"
  env -i PATH="$PATH" HOME="$home" PPROF_TMPDIR="$home" TZ=UTC \
    "${pprof[@]}" "$profile" < "$script" > "$dir/$name.stdout" 2> "$dir/$name.stderr"
done
