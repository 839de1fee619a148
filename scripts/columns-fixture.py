#!/usr/bin/env python3
"""Writes tests/data/profiles/extra/columns.pb.gz: a small CPU profile whose
lines carry column numbers (Line.column), for -showcolumns. Hand-encoded
profile.proto: main.main calls main.work at two columns of one line."""
import os, sys

sys.path.insert(0, os.path.dirname(__file__))
from protowire import cpu_profile, field, function as fn, msg, sample, write_fixture

strings = ["", "samples", "count", "cpu", "nanoseconds", "main.main", "main.work", "/src/prog/main.go", "/bin/prog"]
S = {s: i for i, s in enumerate(strings)}

def line(fid, ln, col):
    return msg(field(1, 0, fid), field(2, 0, ln), field(3, 0, col))

def location(lid, addr, *lines):
    return msg(field(1, 0, lid), field(2, 0, 1), field(3, 0, addr), *[field(4, 2, l) for l in lines])

def function(fid, name):
    return fn(S, fid, name, "/src/prog/main.go")


prof = cpu_profile(
    S,
    strings,
    [sample([2, 1], [30, 300000000]), sample([3, 1], [10, 100000000]), sample([4, 1], [5, 50000000])],
    [
        location(1, 0x1100, line(1, 12, 3)),
        location(2, 0x2100, line(2, 20, 5)),
        location(3, 0x2200, line(2, 20, 17)),
        location(4, 0x2300, line(2, 21, 2)),
    ],
    [function(1, "main.main"), function(2, "main.work")],
)
write_fixture("columns.pb.gz", prof)
