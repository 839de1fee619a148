//! The protobuf wire format at its lowest: varints and fields.

use super::DecodeError;

/// Reads a protobuf varint. Where eight bytes are left, values of up to
/// eight bytes are read without a branch on their length (the lengths of
/// location ids vary at random, and mispredicted branches cost more than
/// the arithmetic); the rest take the byte-by-byte path.
#[inline(always)]
pub(super) fn varint(buf: &[u8], pos: &mut usize) -> Result<u64, DecodeError> {
    let p = *pos;
    if let Some(bytes) = buf.get(p..p + 8) {
        let word = u64::from_le_bytes(bytes.try_into().expect("eight bytes"));
        // A clear high bit ends the varint.
        let ends = !word & 0x8080_8080_8080_8080;
        if ends != 0 {
            let len = ends.trailing_zeros() / 8 + 1;
            *pos = p + len as usize;
            let x = (word & (u64::MAX >> (64 - 8 * len))) & 0x7f7f_7f7f_7f7f_7f7f;
            // Squeeze out the high bits: 7-bit groups to 14, 28, 56.
            let x = (x & 0x007f_007f_007f_007f) | ((x & 0x7f00_7f00_7f00_7f00) >> 1);
            let x = (x & 0x0000_3fff_0000_3fff) | ((x & 0x3fff_0000_3fff_0000) >> 2);
            let x = (x & 0x0000_0000_0fff_ffff) | ((x & 0x0fff_ffff_0000_0000) >> 4);
            return Ok(x);
        }
    } else if let Some(&b0) = buf.get(p) {
        if b0 < 0x80 {
            *pos = p + 1;
            return Ok(u64::from(b0));
        }
    }
    // (By value, so that callers keep `pos` in a register.)
    let (v, end) = varint_slow(buf, p)?;
    *pos = end;
    Ok(v)
}

/// Reads the varint at `pos` byte by byte: its value and where it ends.
#[inline(never)]
pub(super) fn varint_slow(buf: &[u8], mut pos: usize) -> Result<(u64, usize), DecodeError> {
    let mut v = 0u64;
    let mut shift = 0;
    loop {
        let b = *buf.get(pos).ok_or(DecodeError::Unrecognized)?;
        pos += 1;
        if shift == 63 && b > 1 {
            return Err(DecodeError::Unrecognized);
        }
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Ok((v, pos));
        }
        shift += 7;
        if shift > 63 {
            return Err(DecodeError::Unrecognized);
        }
    }
}

/// One field of a message: its number, wire type, and (for
/// length-delimited fields) payload, or (for varints) value.
pub(super) enum Field<'a> {
    Varint(u32, u64),
    Bytes(u32, &'a [u8]),
    Skipped,
}

/// Reads the next field at `pos`, skipping fixed-width payloads.
#[inline]
pub(super) fn next_field<'a>(buf: &'a [u8], pos: &mut usize) -> Result<Field<'a>, DecodeError> {
    let key = varint(buf, pos)?;
    let num = (key >> 3) as u32;
    if num == 0 {
        return Err(DecodeError::Unrecognized);
    }
    match key & 7 {
        0 => Ok(Field::Varint(num, varint(buf, pos)?)),
        1 | 5 => {
            let n = if key & 7 == 1 { 8 } else { 4 };
            if *pos + n > buf.len() {
                return Err(DecodeError::Unrecognized);
            }
            *pos += n;
            Ok(Field::Skipped)
        }
        2 => {
            let len = varint(buf, pos)?;
            let end = pos
                .checked_add(usize::try_from(len).map_err(|_| DecodeError::Unrecognized)?)
                .filter(|&e| e <= buf.len())
                .ok_or(DecodeError::Unrecognized)?;
            let data = &buf[*pos..end];
            *pos = end;
            Ok(Field::Bytes(num, data))
        }
        _ => Err(DecodeError::Unrecognized),
    }
}

/// The index (id − 1) of a location id written as Go writes them, 1..n;
/// `None` for 0 or an id above `u32::MAX`.
#[inline(always)]
pub(super) fn one_to_n(id: u64) -> Option<u32> {
    u32::try_from(id).ok().and_then(|id| id.checked_sub(1))
}

/// Decodes a packed field of location ids onto `out` as indices (id − 1)
/// in one tight loop; returns the largest id and whether some id was 0 or
/// above `u32::MAX` (written as index 0, for the caller to sort out).
#[inline]
pub(super) fn packed_ids(data: &[u8], out: &mut Vec<u32>) -> Result<(u64, bool), DecodeError> {
    let n = count_varints(data);
    out.reserve_exact(n);
    let (mut max, mut odd) = (0u64, false);
    let mut p = 0;
    for slot in &mut out.spare_capacity_mut()[..n] {
        let id = varint(data, &mut p)?;
        let index = one_to_n(id);
        odd |= index.is_none();
        max = max.max(if index.is_some() { id } else { 0 });
        slot.write(index.unwrap_or(0));
    }
    if p != data.len() {
        // Bytes after the last varint's end: a varint left unfinished.
        return Err(DecodeError::Unrecognized);
    }
    // SAFETY: the loop above wrote the first `n` spare slots.
    unsafe { out.set_len(out.len() + n) };
    Ok((max, odd))
}

/// Counts the varints in a packed field (one byte below 0x80 ends each),
/// eight bytes at a time.
pub(super) fn count_varints(data: &[u8]) -> usize {
    let words = data.chunks_exact(8);
    let tail = words.remainder().iter().filter(|&&b| b < 0x80).count();
    let ends = |w: &[u8]| {
        let w = u64::from_le_bytes(w.try_into().expect("eight bytes"));
        // One bit per ending byte, at the bottom of its byte; the
        // multiplication sums the eight bytes into the top one.
        ((((!w & 0x8080_8080_8080_8080) >> 7).wrapping_mul(0x0101_0101_0101_0101)) >> 56) as usize
    };
    words.map(ends).sum::<usize>() + tail
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_read_alike_on_both_paths() {
        let mut values = vec![0u64, 1, 127, 128, 16383, 16384, u32::MAX as u64, u64::MAX];
        for shift in 0..64 {
            values.push(1u64 << shift);
            values.push((1u64 << shift) - 1);
            values.push(0x5555_5555_5555_5555 >> shift);
        }
        for &v in &values {
            let mut enc = Vec::new();
            prost::encoding::encode_varint(v, &mut enc);
            // Each encoding at the end of the buffer and with room after it.
            for pad in [0usize, 1, 7, 8, 12] {
                let mut buf = enc.clone();
                buf.extend(std::iter::repeat_n(0xff, pad));
                let mut fast = 0;
                assert_eq!(varint(&buf, &mut fast), Ok(v), "{v}");
                assert_eq!(varint_slow(&buf, 0), Ok((v, enc.len())), "{v}");
                assert_eq!(fast, enc.len());
            }
        }
        let truncated = [0x80u8; 12];
        for n in 1..truncated.len() {
            assert!(packed_ids(&truncated[..n], &mut Vec::new()).is_err());
        }
        for n in 0..truncated.len() {
            assert!(varint(&truncated[..n], &mut 0).is_err());
        }
    }

    #[test]
    fn varints_are_counted_eight_bytes_at_a_time_as_one_by_one() {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let bytes: Vec<u8> = (0..200)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        for start in 0..9 {
            for end in (start..bytes.len()).step_by(7) {
                let data = &bytes[start..end];
                let one_by_one = data.iter().filter(|&&b| b < 0x80).count();
                assert_eq!(count_varints(data), one_by_one);
            }
        }
    }

    #[test]
    fn packed_ids_become_indices_and_odd_ids_are_noted() {
        let mut data = Vec::new();
        for id in [1u64, 300, 70_000, 5] {
            prost::encoding::encode_varint(id, &mut data);
        }
        let mut out = vec![7];
        assert_eq!(packed_ids(&data, &mut out), Ok((70_000, false)));
        assert_eq!(out, [7, 0, 299, 69_999, 4]);
        let mut odd = Vec::new();
        prost::encoding::encode_varint(0, &mut odd);
        prost::encoding::encode_varint(u64::from(u32::MAX) + 1, &mut odd);
        prost::encoding::encode_varint(9, &mut odd);
        let mut out = Vec::new();
        assert_eq!(packed_ids(&odd, &mut out), Ok((9, true)));
        assert_eq!(out, [0, 0, 8]);
        // An unfinished last varint.
        data.push(0x80);
        assert!(packed_ids(&data, &mut Vec::new()).is_err());
    }
}
