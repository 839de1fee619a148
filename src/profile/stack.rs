//! A sample's stack: indices into [`Profile::locations`](super::Profile),
//! leaf first. A stack read from a profile file stays as the file packed
//! it until something reads it: most reports read the stacks of only the
//! samples with a value in the chosen sample type, and an `inuse` view of
//! a heap profile has few of those.

use super::decode::wire::packed_ids;
use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

/// Location indices, leaf first, decoded or still packed.
#[derive(Clone, Default)]
pub struct Stack(Repr);

#[derive(Clone)]
enum Repr {
    Ids(Vec<u32>),
    /// Location ids 1..n as varints, checked when decoding the file, at
    /// `bytes[start..start + size]`; `len` of them. (Small enough for the
    /// stack to take no more room than a vector.)
    Packed {
        bytes: Arc<Vec<u8>>,
        start: u32,
        size: u16,
        len: u16,
    },
}

impl Default for Repr {
    fn default() -> Self {
        Repr::Ids(Vec::new())
    }
}

impl Stack {
    /// The `len` ids packed at `bytes[range]`, all of them in 1..n (the
    /// caller checked), read as indices id − 1 when needed; `None` when
    /// too many to keep packed.
    pub(super) fn packed(
        bytes: &Arc<Vec<u8>>,
        range: std::ops::Range<usize>,
        len: usize,
    ) -> Option<Self> {
        Some(Stack(Repr::Packed {
            bytes: Arc::clone(bytes),
            start: range.start.try_into().ok()?,
            size: range.len().try_into().ok()?,
            len: len.try_into().ok()?,
        }))
    }

    /// The number of frames.
    pub fn len(&self) -> usize {
        match &self.0 {
            Repr::Ids(ids) => ids.len(),
            Repr::Packed { len, .. } => *len as usize,
        }
    }

    /// Whether the stack has no frames.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The indices, decoded into `buf` when packed.
    #[inline]
    pub fn ids_in<'a>(&'a self, buf: &'a mut Vec<u32>) -> &'a [u32] {
        match &self.0 {
            Repr::Ids(ids) => ids,
            Repr::Packed {
                bytes, start, size, ..
            } => {
                buf.clear();
                let start = *start as usize;
                // The ids were checked when the file was decoded.
                let _ = packed_ids(&bytes[start..start + *size as usize], buf);
                buf
            }
        }
    }

    /// The indices, borrowed or decoded.
    pub fn ids(&self) -> Cow<'_, [u32]> {
        match &self.0 {
            Repr::Ids(ids) => Cow::Borrowed(ids),
            Repr::Packed { .. } => {
                let mut buf = Vec::new();
                self.ids_in(&mut buf);
                Cow::Owned(buf)
            }
        }
    }

    /// The indices, to change (decoded first when packed).
    pub fn to_mut(&mut self) -> &mut Vec<u32> {
        if let Repr::Packed { .. } = self.0 {
            self.0 = Repr::Ids(self.ids().into_owned());
        }
        match &mut self.0 {
            Repr::Ids(ids) => ids,
            Repr::Packed { .. } => unreachable!("decoded just above"),
        }
    }
}

impl From<Vec<u32>> for Stack {
    fn from(ids: Vec<u32>) -> Self {
        Stack(Repr::Ids(ids))
    }
}

impl FromIterator<u32> for Stack {
    fn from_iter<I: IntoIterator<Item = u32>>(ids: I) -> Self {
        Stack(Repr::Ids(ids.into_iter().collect()))
    }
}

impl PartialEq for Stack {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.ids() == other.ids()
    }
}

impl fmt::Debug for Stack {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.ids().fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn varints(ids: &[u64]) -> Vec<u8> {
        let mut out = Vec::new();
        for &id in ids {
            let mut v = id;
            while v >= 0x80 {
                out.push(v as u8 | 0x80);
                v >>= 7;
            }
            out.push(v as u8);
        }
        out
    }

    #[test]
    fn a_packed_stack_reads_as_its_indices() {
        let mut bytes = vec![9, 9];
        bytes.extend(varints(&[1, 200, 30_000, 5]));
        let end = bytes.len();
        bytes.push(9);
        let bytes = Arc::new(bytes);
        let mut s = Stack::packed(&bytes, 2..end, 4).expect("small");
        assert_eq!(s.len(), 4);
        assert_eq!(&*s.ids(), &[0, 199, 29_999, 4]);
        let mut buf = vec![7; 10];
        assert_eq!(s.ids_in(&mut buf), &[0, 199, 29_999, 4]);
        assert_eq!(s, Stack::from(vec![0, 199, 29_999, 4]));
        assert_eq!(format!("{s:?}"), "[0, 199, 29999, 4]");
        s.to_mut().push(8);
        assert_eq!(&*s.ids(), &[0, 199, 29_999, 4, 8]);
        assert!(Stack::default().is_empty());
        assert!(Stack::packed(&bytes, 0..70_000, 4).is_none());
    }

    #[test]
    fn a_stack_is_as_small_as_a_vector() {
        assert_eq!(
            std::mem::size_of::<Stack>(),
            std::mem::size_of::<Vec<u32>>()
        );
    }
}
