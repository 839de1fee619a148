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
            return Ok(squeeze(x));
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

/// Decodes a packed field of location ids onto `out` as indices (id − 1);
/// returns the largest id and whether some id was 0 or of more than
/// [`MAX_ID_BYTES`] bytes (then the indices are not meaningful: the caller
/// decodes again, reading every id in full).
///
/// Where the varints end is read off eight bytes at a time, so each
/// varint's start is known before its value is read, and the values of
/// consecutive ids are read independently of one another (the loop does
/// not wait for one id's length to find the next).
#[inline]
pub(in crate::profile) fn packed_ids(
    data: &[u8],
    out: &mut Vec<u32>,
) -> Result<(u64, bool), DecodeError> {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("bmi2") {
        // SAFETY: the processor has BMI2, checked just above.
        return unsafe { packed_ids_bmi2(data, out) };
    }
    packed_ids_with::<false>(data, out)
}

/// [`packed_ids`] with each value gathered by one `pext` instruction.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "bmi2")]
unsafe fn packed_ids_bmi2(data: &[u8], out: &mut Vec<u32>) -> Result<(u64, bool), DecodeError> {
    packed_ids_with::<true>(data, out)
}

/// The longest location id [`packed_ids`] reads itself, in bytes (ids
/// below 2^28; Go numbers locations from 1).
pub(super) const MAX_ID_BYTES: usize = 4;

/// The value bits of a varint of each length up to [`MAX_ID_BYTES`].
const GROUPS: [u64; MAX_ID_BYTES + 1] = [0, 0x7f, 0x7f7f, 0x7f_7f7f, 0x7f7f_7f7f];

#[inline(always)]
fn packed_ids_with<const PEXT: bool>(
    data: &[u8],
    out: &mut Vec<u32>,
) -> Result<(u64, bool), DecodeError> {
    let n = count_varints(data);
    out.reserve_exact(n);
    let slots = &mut out.spare_capacity_mut()[..n];
    let (mut top, mut long) = (0u32, false);
    let mut written = 0;
    let mut start = 0;
    let mut block = 0;
    // Below this, every varint ending in the block has eight bytes from
    // its start within the field.
    let whole = data.len().saturating_sub(15);
    while block < data.len() {
        let word = load_word(data, block);
        // Bit 7 of each byte that ends a varint, within the field.
        let mut ends = !word & 0x8080_8080_8080_8080;
        if data.len() - block < 8 {
            ends &= u64::MAX >> (64 - 8 * (data.len() - block));
        }
        while ends != 0 {
            let end = block + (ends.trailing_zeros() / 8) as usize + 1;
            ends &= ends - 1;
            let len = end - start;
            let id = if len > MAX_ID_BYTES {
                long = true;
                0
            } else {
                let x = if block < whole {
                    u64::from_le_bytes(data[start..start + 8].try_into().expect("eight bytes"))
                } else {
                    load_word(data, start)
                };
                gather::<PEXT>(x, GROUPS[len])
            };
            start = end;
            // Id 0 becomes the largest index, u32::MAX.
            let index = (id as u32).wrapping_sub(1);
            top = top.max(index);
            slots[written].write(index);
            written += 1;
        }
        block += 8;
    }
    if start != data.len() {
        // Bytes after the last varint's end: a varint left unfinished.
        return Err(DecodeError::Unrecognized);
    }
    // SAFETY: one slot was written for each of the `n` ending bytes.
    unsafe { out.set_len(out.len() + n) };
    if n == 0 {
        return Ok((0, false));
    }
    Ok((u64::from(top) + 1, long || top == u32::MAX))
}

/// The bits of `x` under `groups` (7-bit groups, one per byte, lowest
/// first), packed together.
#[inline(always)]
fn gather<const PEXT: bool>(x: u64, groups: u64) -> u64 {
    #[cfg(target_arch = "x86_64")]
    if PEXT {
        // SAFETY: `PEXT` is only set by callers compiled with BMI2.
        return unsafe { std::arch::x86_64::_pext_u64(x, groups) };
    }
    squeeze(x & groups)
}

/// The eight bytes of `data` from `at` (below its length), zero past its
/// end, little-endian.
#[inline(always)]
fn load_word(data: &[u8], at: usize) -> u64 {
    let word = |i: usize| u64::from_le_bytes(data[i..i + 8].try_into().expect("eight bytes"));
    if at + 8 <= data.len() {
        word(at)
    } else if data.len() >= 8 {
        // The last eight bytes, shifted down to start at `at`.
        word(data.len() - 8) >> (8 * (at + 8 - data.len()))
    } else {
        let mut bytes = [0u8; 8];
        let rest = &data[at.min(data.len())..];
        bytes[..rest.len()].copy_from_slice(rest);
        u64::from_le_bytes(bytes)
    }
}

/// The value of up to eight 7-bit groups, one per byte, lowest first:
/// squeezed into 14, 28, then 56 bits.
#[inline(always)]
fn squeeze(x: u64) -> u64 {
    let x = (x & 0x007f_007f_007f_007f) | ((x & 0x7f00_7f00_7f00_7f00) >> 1);
    let x = (x & 0x0000_3fff_0000_3fff) | ((x & 0x3fff_0000_3fff_0000) >> 2);
    (x & 0x0000_0000_0fff_ffff) | ((x & 0x0fff_ffff_0000_0000) >> 4)
}

/// What [`packed_ids`] finds in a packed field of location ids, without
/// decoding every id: how many there are, the largest and whether some id
/// may be 0 or of more than [`MAX_ID_BYTES`] bytes (then the caller decodes
/// again, reading every id in full).
///
/// The largest id is one of the longest, as no id is written longer than
/// it needs (a zero byte, which a longer id would end with, counts as
/// odd), so only the longest ids of each 64 bytes are read: with n
/// locations and ids of every length up to that of n, most are skipped.
pub(in crate::profile) fn check_packed_ids(data: &[u8]) -> Result<(usize, u64, bool), DecodeError> {
    if data.last().is_some_and(|&b| b >= 0x80) {
        // A varint left unfinished.
        return Err(DecodeError::Unrecognized);
    }
    let blocks = data.len().div_ceil(64);
    let (mut count, mut odd) = (0, false);
    let (mut longest, mut top) = (0, 0u64);
    let mut next = block_masks(data, 0);
    // Bit 0 of the first block starts a varint.
    let mut carry = 1;
    for b in 0..blocks {
        let Masks { ends, zeros } = next;
        // Past the field, every byte counts as an end.
        next = if b + 1 < blocks {
            block_masks(data, (b + 1) * 64)
        } else {
            Masks {
                ends: u64::MAX,
                zeros: 0,
            }
        };
        let rest = data.len() - b * 64;
        let inside = if rest >= 64 {
            u64::MAX
        } else {
            (1 << rest) - 1
        };
        count += (ends & inside).count_ones() as usize;
        odd |= zeros != 0;
        let (more, more_next) = (!ends, !next.ends);
        // Bit i of `more >> k`, across blocks: byte i + k goes on.
        let ahead = |k: u32| (more >> k) | (more_next << (64 - k));
        let starts = ((ends << 1) | carry) & inside;
        carry = ends >> 63;
        // Starts of varints of at least two, three, four and five bytes.
        let two = starts & more;
        let three = two & ahead(1);
        let four = three & ahead(2);
        odd |= four & ahead(3) != 0;
        let (len, of_len) = match (four, three, two) {
            (0, 0, 0) => (1, starts),
            (0, 0, _) => (2, two),
            (0, _, _) => (3, three),
            _ => (4, four),
        };
        if len < longest {
            continue;
        }
        if len > longest {
            (longest, top) = (len, 0);
        }
        let mut of_len = of_len;
        while of_len != 0 {
            let start = b * 64 + of_len.trailing_zeros() as usize;
            of_len &= of_len - 1;
            top = top.max(squeeze(load_word(data, start) & GROUPS[len]));
        }
    }
    Ok((count, top, odd))
}

/// Where the varints of a packed field end, and where it has zero bytes,
/// in the 64 bytes from `at` (one bit per byte, lowest first; bytes past
/// the field end varints and are not zero).
struct Masks {
    ends: u64,
    zeros: u64,
}

#[inline(always)]
fn block_masks(data: &[u8], at: usize) -> Masks {
    let block = &data[at.min(data.len())..data.len().min(at + 64)];
    let mut padded = [0x7f; 64];
    let bytes: &[u8; 64] = match block.try_into() {
        Ok(whole) => whole,
        Err(_) => {
            padded[..block.len()].copy_from_slice(block);
            &padded
        }
    };
    #[cfg(target_arch = "x86_64")]
    return masks_sse2(bytes);
    #[cfg(not(target_arch = "x86_64"))]
    return masks_of_words(bytes);
}

/// [`Masks`] of 64 bytes, sixteen at a time.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn masks_sse2(bytes: &[u8; 64]) -> Masks {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_setzero_si128,
    };
    let (mut ends, mut zeros) = (0, 0);
    for (i, chunk) in bytes.chunks_exact(16).enumerate() {
        // SAFETY: SSE2 is part of x86_64, and the load reads the 16 bytes
        // of `chunk` (unaligned).
        let (high, zero) = unsafe {
            let v = _mm_loadu_si128(chunk.as_ptr().cast());
            (
                _mm_movemask_epi8(v) as u16,
                _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_setzero_si128())) as u16,
            )
        };
        ends |= u64::from(!high) << (16 * i);
        zeros |= u64::from(zero) << (16 * i);
    }
    Masks { ends, zeros }
}

/// [`Masks`] of 64 bytes, eight at a time, on any processor.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn masks_of_words(bytes: &[u8; 64]) -> Masks {
    let (mut ends, mut zeros) = (0, 0);
    for (i, word) in bytes.chunks_exact(8).enumerate() {
        let w = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        // Bit 7 of each byte below 0x80, and of each zero byte (whose low
        // bits plus 0x7f stay below 0x80, with bit 7 clear).
        let low = !w & 0x8080_8080_8080_8080;
        let zero =
            !(((w & 0x7f7f_7f7f_7f7f_7f7f) + 0x7f7f_7f7f_7f7f_7f7f) | w) & 0x8080_8080_8080_8080;
        ends |= u64::from(high_bits(low)) << (8 * i);
        zeros |= u64::from(high_bits(zero)) << (8 * i);
    }
    Masks { ends, zeros }
}

/// Bit 7 of each of the eight bytes of `x`, packed into one byte (the
/// other bits of `x` clear).
#[inline(always)]
fn high_bits(x: u64) -> u8 {
    ((x >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u8
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

    /// Random location ids, mostly of one to three bytes, some longer
    /// and some 0, with `odd` of every 64 out of 1..n.
    fn random_ids(seed: u64, count: usize, odd: bool) -> Vec<u64> {
        let mut x = seed | 1;
        (0..count)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                match x % 64 {
                    0 if odd => 0,
                    1 if odd => x >> (x % 40),
                    k => 1 + (x >> 20) % [1u64 << 7, 1 << 14, 1 << 21, 1 << 28][(k % 4) as usize],
                }
            })
            .collect()
    }

    #[test]
    fn packed_ids_read_as_one_varint_after_another() {
        let plain = |ids: &[u64]| -> (Vec<u32>, u64, bool) {
            let index = ids.iter().map(|&id| (id as u32).wrapping_sub(1)).collect();
            let odd = ids.iter().any(|&id| id == 0 || id >= 1 << 28);
            (index, ids.iter().copied().max().unwrap_or(0), odd)
        };
        for seed in 1..200u64 {
            let odd = seed % 4 == 0;
            let ids = random_ids(seed, (seed as usize * 7) % 150, odd);
            let mut data = Vec::new();
            for &id in &ids {
                prost::encoding::encode_varint(id, &mut data);
            }
            let (index, max, is_odd) = plain(&ids);
            let mut decoded = vec![vec![5u32]; 2];
            let results = [
                packed_ids(&data, &mut decoded[0]),
                packed_ids_with::<false>(&data, &mut decoded[1]),
            ];
            for (r, out) in results.iter().zip(&decoded) {
                let (got_max, got_odd) = r.clone().expect("well-formed");
                assert_eq!(got_odd, is_odd, "seed {seed}");
                assert_eq!(out.len(), ids.len() + 1, "seed {seed}");
                if !is_odd {
                    assert_eq!(got_max, max, "seed {seed}");
                    assert_eq!(out[1..], index[..], "seed {seed}");
                }
            }
            if let Some(last) = data.last_mut() {
                *last |= 0x80;
                assert!(packed_ids(&data, &mut Vec::new()).is_err(), "seed {seed}");
            }
        }
    }

    #[test]
    fn checking_packed_ids_finds_what_decoding_them_finds() {
        let mut fields: Vec<Vec<u8>> = Vec::new();
        for seed in 1..400u64 {
            let ids = random_ids(seed, (seed as usize * 13) % 300, seed % 4 == 0);
            let mut data = Vec::new();
            for &id in &ids {
                prost::encoding::encode_varint(id, &mut data);
            }
            fields.push(data);
        }
        // Short ids with one long one at every place across two blocks,
        // and ids written longer than they need (ending in a zero byte).
        for at in 0..140 {
            let mut data = vec![5u8; 140];
            data.splice(at..at, [0x81, 0x82, 0x03]);
            fields.push(data);
        }
        fields.push(vec![0x85, 0x00, 0x07]);
        fields.push(vec![0x80, 0x80, 0x80, 0x80, 0x01]);
        for data in &fields {
            let mut decoded = Vec::new();
            let (max, odd) = packed_ids(data, &mut decoded).expect("well-formed");
            let (count, checked_max, checked_odd) = check_packed_ids(data).expect("well-formed");
            assert_eq!(count, decoded.len(), "{data:?}");
            assert!(checked_odd || !odd, "{data:?}");
            if !checked_odd {
                assert_eq!(checked_max, max, "{data:?}");
            }
            let mut unfinished = data.clone();
            unfinished.push(0x80);
            assert!(check_packed_ids(&unfinished).is_err());
        }
        assert_eq!(check_packed_ids(&[]), Ok((0, 0, false)));
        assert_eq!(check_packed_ids(&[0x85, 0x00]).map(|r| r.2), Ok(true));
    }

    #[test]
    fn block_masks_agree_on_every_processor() {
        let mut x = 7u64;
        for _ in 0..500 {
            let mut bytes = [0u8; 64];
            for b in &mut bytes {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                *b = [0, 1, 0x7f, 0x80, 0xff, x as u8][(x >> 40) as usize % 6];
            }
            let (a, b) = (block_masks(&bytes, 0), masks_of_words(&bytes));
            assert_eq!((a.ends, a.zeros), (b.ends, b.zeros), "{bytes:?}");
            let ends = (0..64).fold(0u64, |m, i| m | (u64::from(bytes[i] < 0x80) << i));
            let zeros = (0..64).fold(0u64, |m, i| m | (u64::from(bytes[i] == 0) << i));
            assert_eq!((a.ends, a.zeros), (ends, zeros));
        }
    }

    #[test]
    fn high_bits_gather_bit_seven_of_each_byte() {
        for pattern in 0..=255u8 {
            let x = (0..8).fold(0u64, |x, i| {
                x | (u64::from(pattern >> i & 1) << (8 * i + 7))
            });
            assert_eq!(high_bits(x), pattern);
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
        assert_eq!(packed_ids(&odd, &mut Vec::new()).map(|r| r.1), Ok(true));
        // An unfinished last varint.
        data.push(0x80);
        assert!(packed_ids(&data, &mut Vec::new()).is_err());
    }
}
