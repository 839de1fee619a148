#!/usr/bin/env python3
"""Writes tests/data/profiles/extra/unicode-names.pb.gz: a small CPU profile
whose function names have non-ASCII letters where pprof's name shortening
looks for Go, Java and C++ names (Go's \\w is ASCII: those names stay
whole). Hand-encoded profile.proto: main.main calls each of them."""
import os, sys

sys.path.insert(0, os.path.dirname(__file__))
from protowire import cpu_profile, field, function as fn, msg, sample, write_fixture

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

def location(lid, fid):
    line = msg(field(1, 0, fid), field(2, 0, 10 + fid))
    return msg(field(1, 0, lid), field(2, 0, 1), field(3, 0, 0x1000 + 0x100 * lid), field(4, 2, line))


prof = cpu_profile(
    S,
    strings,
    [sample([i + 1, 1], [10 * i, 10000000 * i]) for i in range(1, len(names))],
    [location(i + 1, i + 1) for i in range(len(names))],
    [fn(S, i + 1, n, "/src/prog/main.go") for i, n in enumerate(names)],
)
write_fixture("unicode-names.pb.gz", prof)
