#!/usr/bin/env bash
# Speed and memory of pprof-graph against the current go tool pprof, run
# alternately on the same files with the same flags: per profile and
# report, the median, min and max wall time of N runs of each, the median
# system time, the peak RSS, the ratio of the medians, and the time to
# gunzip the file once (the floor of any reader).
#
# Then retention of a Go heap dump of over a million objects (written by
# the fixture binary in tests/data/heapdump, no Go needed): wall time,
# peak RSS and its ratio to the dump's size, raw and gzipped.
#
# Usage: scripts/bench.sh [PROFILE...]
#   BENCH_RUNS (5), PPROF (the oracle command; default: a pprof built once
#   from the installed Go into target/bench-pprof, else `go tool pprof`),
#   BENCH_BIN (default target/release/pprof-graph, built if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${BENCH_RUNS:-5}
corpus=${PPROF_GRAPH_CORPUS:-../shared/corpus}
if [ "$#" -gt 0 ]; then
  profiles=("$@")
else
  profiles=()
  for p in "$corpus/profiles/gen/widegraph.heap.pb.gz" "$corpus/profiles/gen/biggraph.heap.pb.gz" \
           tests/data/profiles/workload-modern/workload.heap.pb.gz tests/data/profiles/upstream/gobench.cpu; do
    [ -f "$p" ] && profiles+=("$p")
  done
fi
bin=${BENCH_BIN:-target/release/pprof-graph}
[ -x "$bin" ] || cargo build --release --quiet
export TZ=UTC

pprof=()
if [ -n "${PPROF:-}" ]; then
  read -ra pprof <<< "$PPROF"
elif command -v go >/dev/null 2>&1; then
  if [ ! -x target/bench-pprof ]; then
    (cd "$(go env GOROOT)/src" && go build -o "$OLDPWD/target/bench-pprof" ./cmd/pprof)
  fi
  pprof=(target/bench-pprof)
fi
if [ "${#pprof[@]}" -gt 0 ]; then
  echo "oracle: ${pprof[*]} ($(go version 2>/dev/null || echo 'go version unknown'))"
else
  echo "oracle: none (install Go, or set PPROF, to compare)"
fi
echo "machine: $(nproc) cores; $runs runs each, alternating"
echo

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# one CMD...: runs CMD once; prints "wall_ms sys_ms peak_mb".
one() {
  /usr/bin/time -f '%e %S %M' -o "$tmp/t" "$@" >/dev/null 2>&1 || true
  awk '{printf "%d %d %d\n", $1 * 1000, $2 * 1000, $3 / 1024}' "$tmp/t"
}

# stats FILE COLUMN: "median min max" of a column of numbers.
stats() {
  awk -v c="$2" '{print $c}' "$1" | sort -n | awk '{a[NR] = $1} END {printf "%d %d %d\n", a[int((NR + 1) / 2)], a[1], a[NR]}'
}

printf '%-34s %-6s %9s %13s %7s %6s %9s %13s %7s %6s %7s %7s\n' \
  profile report "ours ms" "(min-max)" "sys ms" "MB" "pprof ms" "(min-max)" "sys ms" "MB" ratio "gunzip"
for profile in "${profiles[@]}"; do
  floor=$( { for _ in $(seq "$runs"); do one gzip -dc "$profile"; done; } > "$tmp/g"; stats "$tmp/g" 1 | cut -d' ' -f1)
  case "$profile" in *.gz) ;; *) floor="-";; esac
  for report in -top -dot -png; do
    : > "$tmp/ours"; : > "$tmp/theirs"
    for _ in $(seq "$runs"); do
      one "$bin" "$report" "$profile" >> "$tmp/ours"
      if [ "${#pprof[@]}" -gt 0 ]; then
        if [ "$report" = -png ]; then
          # pprof's -png needs graphviz; without it this times only the error.
          command -v dot >/dev/null 2>&1 || continue
        fi
        one "${pprof[@]}" "$report" "$profile" >> "$tmp/theirs"
      fi
    done
    read -r om omin omax < <(stats "$tmp/ours" 1)
    osys=$(stats "$tmp/ours" 2 | cut -d' ' -f1); omb=$(stats "$tmp/ours" 3 | cut -d' ' -f3)
    if [ -s "$tmp/theirs" ]; then
      read -r tm tmin tmax < <(stats "$tmp/theirs" 1)
      tsys=$(stats "$tmp/theirs" 2 | cut -d' ' -f1); tmb=$(stats "$tmp/theirs" 3 | cut -d' ' -f3)
      ratio=$(awk -v a="$tm" -v b="$om" 'BEGIN { if (b == 0) b = 1; printf "%.1fx", a / b }')
    else
      tm="-"; tmin="-"; tmax="-"; tsys="-"; tmb="-"; ratio="-"
    fi
    printf '%-34s %-6s %9s %13s %7s %6s %9s %13s %7s %6s %7s %7s\n' \
      "$(basename "$profile")" "$report" "$om" "($omin-$omax)" "$osys" "$omb" "$tm" "($tmin-$tmax)" "$tsys" "$tmb" "$ratio" "$floor"
  done
done

echo
tree=${BENCH_TREE_NODES:-1000000}
gzip -dc tests/data/heapdump/heapdump.gz > "$tmp/heapdump"
chmod +x "$tmp/heapdump"
"$tmp/heapdump" -out "$tmp/hd" -treenodes "$tree" >/dev/null
gzip -1 -k "$tmp/hd/heap.dump"
objects=$("$bin" -top -sample_index=retained_objects "$tmp/heapdump" "$tmp/hd/heap.dump" 2>/dev/null |
  sed -n 's/^Showing nodes accounting for .* of \([0-9]*\) total$/\1/p')
dump_mb=$(( $(stat -c %s "$tmp/hd/heap.dump") / 1048576 ))
echo "heap dump retention: $objects objects (-treenodes $tree), dump $dump_mb MB raw"
printf '%-22s %9s %13s %7s %6s %12s\n' dump "ours ms" "(min-max)" "sys ms" "MB" "MB/dump MB"
for dump in "$tmp/hd/heap.dump" "$tmp/hd/heap.dump.gz"; do
  : > "$tmp/ours"
  for _ in $(seq "$runs"); do
    one "$bin" -top -cum "$tmp/heapdump" "$dump" >> "$tmp/ours"
  done
  read -r om omin omax < <(stats "$tmp/ours" 1)
  osys=$(stats "$tmp/ours" 2 | cut -d' ' -f1); omb=$(stats "$tmp/ours" 3 | cut -d' ' -f3)
  printf '%-22s %9s %13s %7s %6s %12s\n' "$(basename "$dump")" "$om" "($omin-$omax)" "$osys" "$omb" \
    "$(awk -v a="$omb" -v b="$dump_mb" 'BEGIN { printf "%.2fx", a / b }')"
done
