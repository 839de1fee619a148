#!/usr/bin/env python3
"""Writes tests/data/profiles/extra/columns.pb.gz: a small CPU profile whose
lines carry column numbers (Line.column), for -showcolumns. Hand-encoded
profile.proto: main.main calls main.work at two columns of one line."""
import gzip, os, sys

sys.path.insert(0, os.path.dirname(__file__))
from protowire import field, function as fn, msg, sample, value_type as vt

strings = ["", "samples", "count", "cpu", "nanoseconds", "main.main", "main.work", "/src/prog/main.go", "/bin/prog"]
S = {s: i for i, s in enumerate(strings)}

def value_type(t, u):
    return vt(S, t, u)

def line(fid, ln, col):
    return msg(field(1, 0, fid), field(2, 0, ln), field(3, 0, col))

def location(lid, addr, *lines):
    return msg(field(1, 0, lid), field(2, 0, 1), field(3, 0, addr), *[field(4, 2, l) for l in lines])

def function(fid, name):
    return fn(S, fid, name, "/src/prog/main.go")


prof = msg(
    field(1, 2, value_type("samples", "count")),
    field(1, 2, value_type("cpu", "nanoseconds")),
    field(2, 2, sample([2, 1], [30, 300000000])),
    field(2, 2, sample([3, 1], [10, 100000000])),
    field(2, 2, sample([4, 1], [5, 50000000])),
    field(3, 2, msg(field(1, 0, 1), field(2, 0, 0x1000), field(3, 0, 0x9000), field(5, 0, S["/bin/prog"]),
                    field(7, 0, 1), field(8, 0, 1), field(9, 0, 1))),
    field(4, 2, location(1, 0x1100, line(1, 12, 3))),
    field(4, 2, location(2, 0x2100, line(2, 20, 5))),
    field(4, 2, location(3, 0x2200, line(2, 20, 17))),
    field(4, 2, location(4, 0x2300, line(2, 21, 2))),
    field(5, 2, function(1, "main.main")),
    field(5, 2, function(2, "main.work")),
    *[field(6, 2, s.encode()) for s in strings],
    field(9, 0, 1700000000000000000),
    field(10, 0, 1000000000),
    field(11, 2, value_type("cpu", "nanoseconds")),
    field(12, 0, 10000000),
)
out = os.path.join(os.path.dirname(__file__), "..", "tests", "data", "profiles", "extra", "columns.pb.gz")
with open(out, "wb") as f:
    f.write(gzip.compress(prof, mtime=0))
