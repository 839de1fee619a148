"""Hand-encoding of profile.proto messages, for the fixture scripts."""
import gzip
import os


def varint(n):
    out = bytearray()
    n &= (1 << 64) - 1
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def field(num, wire, payload):
    key = varint((num << 3) | wire)
    if wire == 0:
        return key + varint(payload)
    return key + varint(len(payload)) + payload


def msg(*fields):
    return b"".join(fields)


def function(S, fid, name, file, start_line=10):
    return msg(field(1, 0, fid), field(2, 0, S[name]), field(3, 0, S[name]), field(4, 0, S[file]), field(5, 0, start_line))


def sample(locs, values):
    return msg(field(1, 2, b"".join(varint(l) for l in locs)), field(2, 2, b"".join(varint(v) for v in values)))


def cpu_profile(S, strings, samples, locations, functions):
    """A CPU profile (samples/count and cpu/nanoseconds, one mapping of
    /bin/prog, a 1 s duration at a 10 ms period) of encoded `samples`,
    `locations` and `functions`, with the string table `strings`."""
    def value_type(t, u):
        return msg(field(1, 0, S[t]), field(2, 0, S[u]))

    cpu = value_type("cpu", "nanoseconds")
    mapping = msg(field(1, 0, 1), field(2, 0, 0x1000), field(3, 0, 0x9000), field(5, 0, S["/bin/prog"]),
                  field(7, 0, 1), field(8, 0, 1), field(9, 0, 1))
    return msg(
        field(1, 2, value_type("samples", "count")),
        field(1, 2, cpu),
        *[field(2, 2, s) for s in samples],
        field(3, 2, mapping),
        *[field(4, 2, l) for l in locations],
        *[field(5, 2, f) for f in functions],
        *[field(6, 2, s.encode()) for s in strings],
        field(9, 0, 1700000000000000000),
        field(10, 0, 1000000000),
        field(11, 2, cpu),
        field(12, 0, 10000000),
    )


def write_fixture(name, data):
    """Writes `data` gzipped (no timestamp) to tests/data/profiles/extra/`name`."""
    out = os.path.join(os.path.dirname(__file__), "..", "tests", "data", "profiles", "extra", name)
    with open(out, "wb") as f:
        f.write(gzip.compress(data, mtime=0))
