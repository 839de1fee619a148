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
    varint_slow(buf, pos)
}

#[inline(never)]
pub(super) fn varint_slow(buf: &[u8], pos: &mut usize) -> Result<u64, DecodeError> {
    let mut v = 0u64;
    let mut shift = 0;
    loop {
        let b = *buf.get(*pos).ok_or(DecodeError::Unrecognized)?;
        *pos += 1;
        if shift == 63 && b > 1 {
            return Err(DecodeError::Unrecognized);
        }
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Ok(v);
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

/// Counts the varints in a packed field (one byte below 0x80 ends each).
pub(super) fn count_varints(data: &[u8]) -> usize {
    data.iter().filter(|&&b| b < 0x80).count()
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
                let (mut fast, mut slow) = (0, 0);
                assert_eq!(varint(&buf, &mut fast), varint_slow(&buf, &mut slow), "{v}");
                assert_eq!(fast, enc.len());
                assert_eq!(slow, enc.len());
            }
        }
        let truncated = [0x80u8; 12];
        for n in 0..truncated.len() {
            assert!(varint(&truncated[..n], &mut 0).is_err());
        }
    }
}
