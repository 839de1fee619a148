#!/usr/bin/env bash
# Side-by-side timing of pprof-graph and `go tool pprof` on the same
# profile and flags: median wall time of N runs and peak memory (GNU time).
# Usage: scripts/bench.sh [PROFILE]   (default: the shared corpus's biggraph heap)
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${1:-${BENCH_PROFILE:-../shared/corpus/profiles/gen/biggraph.heap.pb.gz}}
runs=${BENCH_RUNS:-5}
bin=target/release/pprof-graph
[ -f "$profile" ] || { echo "bench: no profile at $profile (pass one as argument)"; exit 1; }
cargo build --release --quiet
export TZ=UTC

# median_ms CMD...: median wall time in ms over $runs runs.
median_ms() {
  local times=()
  for _ in $(seq "$runs"); do
    local s e
    s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N)
    times+=($(( (e - s) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p"
}

# peak_mb CMD...: peak resident memory in MB (needs GNU time).
peak_mb() {
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.0f", $1/1024}'
  else
    echo "?"
  fi
}

have_go=0
if command -v go >/dev/null 2>&1; then have_go=1; fi
printf '%-28s %10s %8s %10s %8s %8s\n' "flags" "ours ms" "ours MB" "pprof ms" "pprof MB" "ratio"
for flags in "-top" "-dot" "-top -nodefraction=0" "-dot -nodefraction=0 -edgefraction=0" "-png"; do
  read -ra f <<< "$flags"
  ours=$(median_ms "$bin" "${f[@]}" "$profile")
  ours_mb=$(peak_mb "$bin" "${f[@]}" "$profile")
  if [ "$have_go" = 1 ]; then
    theirs=$(median_ms go tool pprof "${f[@]}" "$profile")
    theirs_mb=$(peak_mb go tool pprof "${f[@]}" "$profile")
    ratio=$(awk -v a="$theirs" -v b="$ours" 'BEGIN { if (b == 0) b = 1; printf "%.1fx", a / b }')
  else
    theirs="-"; theirs_mb="-"; ratio="(no go)"
  fi
  printf '%-28s %10s %8s %10s %8s %8s\n' "$flags" "$ours" "$ours_mb" "$theirs" "$theirs_mb" "$ratio"
done
echo
cargo bench --quiet --bench pipeline 2>/dev/null | grep -v '^$' || true
