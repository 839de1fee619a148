"""Hand-encoding of profile.proto messages, for the fixture scripts."""


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


def value_type(S, t, u):
    """A ValueType of type `t` and unit `u`, by their indices in `S`."""
    return msg(field(1, 0, S[t]), field(2, 0, S[u]))


def function(S, fid, name, file, start_line=10):
    return msg(field(1, 0, fid), field(2, 0, S[name]), field(3, 0, S[name]), field(4, 0, S[file]), field(5, 0, start_line))


def sample(locs, values):
    return msg(field(1, 2, b"".join(varint(l) for l in locs)), field(2, 2, b"".join(varint(v) for v in values)))
