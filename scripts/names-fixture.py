#!/usr/bin/env python3
"""Writes tests/data/profiles/extra/unicode-names.pb.gz: a small CPU profile
whose function names have non-ASCII letters where pprof's name shortening
looks for Go, Java and C++ names (Go's \\w is ASCII: those names stay
whole). Hand-encoded profile.proto: main.main calls each of them."""
import gzip, os, sys

sys.path.insert(0, os.path.dirname(__file__))
from protowire import field, function as fn, msg, sample, value_type as vt

names = [
    "main.main",
    "h\u00e9llo.example/pkg.Fn",
    "github.com/x/\u00fcn\u00efcode.Fn",
    "com.ex\u00e4mple.Foo.bar",
    "com.example.F\u00f6o.bar",
    "ns::Cl\u00e5ss::method",
    "example.com/pkg/v\u0663.Fn",
]
strings = ["", "samples", "count", "cpu", "nanoseconds", "/src/prog/main.go", "/bin/prog"] + names
S = {s: i for i, s in enumerate(strings)}

def value_type(t, u):
    return vt(S, t, u)

def location(lid, fid):
    line = msg(field(1, 0, fid), field(2, 0, 10 + fid))
    return msg(field(1, 0, lid), field(2, 0, 1), field(3, 0, 0x1000 + 0x100 * lid), field(4, 2, line))

def function(fid, name):
    return fn(S, fid, name, "/src/prog/main.go")


prof = msg(
    field(1, 2, value_type("samples", "count")),
    field(1, 2, value_type("cpu", "nanoseconds")),
    *[field(2, 2, sample([i + 1, 1], [10 * i, 10000000 * i])) for i in range(1, len(names))],
    field(3, 2, msg(field(1, 0, 1), field(2, 0, 0x1000), field(3, 0, 0x9000), field(5, 0, S["/bin/prog"]),
                    field(7, 0, 1), field(8, 0, 1), field(9, 0, 1))),
    *[field(4, 2, location(i + 1, i + 1)) for i in range(len(names))],
    *[field(5, 2, function(i + 1, n)) for i, n in enumerate(names)],
    *[field(6, 2, s.encode()) for s in strings],
    field(9, 0, 1700000000000000000),
    field(10, 0, 1000000000),
    field(11, 2, value_type("cpu", "nanoseconds")),
    field(12, 0, 10000000),
)
out = os.path.join(os.path.dirname(__file__), "..", "tests", "data", "profiles", "extra", "unicode-names.pb.gz")
with open(out, "wb") as f:
    f.write(gzip.compress(prof, mtime=0))
