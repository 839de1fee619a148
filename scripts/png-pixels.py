#!/usr/bin/env python3
"""Pixels of our -png against pprof's (graphviz's) for the same profiles.

Usage: scripts/png-pixels.py PROFILE...   (PPROF: the oracle, default `pprof`;
BIN: pprof-graph, default target/release/pprof-graph). Needs graphviz.
"""
import os
import struct
import subprocess
import sys
import tempfile

pprof = os.environ.get("PPROF", "pprof").split()
ours = os.environ.get("BIN", "target/release/pprof-graph")
tmp = tempfile.mkdtemp()
total_ours = total_theirs = 0
worst = (0.0, "")


def size(path):
    with open(path, "rb") as f:
        return struct.unpack(">II", f.read(24)[16:24])


for p in sys.argv[1:]:
    o, g = os.path.join(tmp, "o.png"), os.path.join(tmp, "g.png")
    if subprocess.run([ours, "-png", p, "-o", o], capture_output=True).returncode:
        continue
    if subprocess.run(pprof + ["-png", "-output", g, p], capture_output=True).returncode:
        continue
    (wo, ho), (wg, hg) = size(o), size(g)
    ratio = wo * ho / (wg * hg)
    total_ours += wo * ho
    total_theirs += wg * hg
    worst = max(worst, (ratio, p))
    print(f"{os.path.basename(p):40s} ours {wo}x{ho} graphviz {wg}x{hg} ratio {ratio:.2f}")
if total_theirs:
    print(f"total ratio {total_ours / total_theirs:.2f}; worst {worst[0]:.2f} {worst[1]}")
