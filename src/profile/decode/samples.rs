//! Samples, the bulk of a profile, decoded in batches: the top-level parser
//! copies each sample's bytes into the current batch, and each full batch
//! is decoded on a worker thread (or right away, for small profiles),
//! assuming location ids 1..n as Go writes them. The results are put back
//! in file order at the end, with the first error in file order.

use super::wire::{
    check_packed_ids, count_varints, next_field, one_to_n, packed_ids, varint, Field,
};
use super::DecodeError;
use crate::profile::{NumLabel, Sample, Stack};
use std::mem::MaybeUninit;
use std::ops::Range;
use std::sync::mpsc::{sync_channel, SyncSender};
use std::sync::Arc;
use std::thread::{Scope, ScopedJoinHandle};

/// Encoded sample bytes per batch.
const BATCH_BYTES: usize = 256 << 10;

/// Batches waiting for each worker, at most.
const BATCHES_IN_FLIGHT: usize = 2;

/// Room for samples: the spare capacity of the vector that will hold them.
pub(super) type Room<'a> = &'a mut [MaybeUninit<Sample>];

/// Encoded samples, back to back, and where to put them decoded.
struct Batch<'scope> {
    /// (Kept by the samples decoded from it, whose stacks stay packed.)
    bytes: Vec<u8>,
    /// Where each sample ends in `bytes`.
    ends: Vec<usize>,
    /// One slot per sample; `None` when the room ran out (the samples then
    /// go into [`Decoded::samples`]).
    room: Option<Room<'scope>>,
}

impl Batch<'_> {
    /// An empty batch with room for a full one's bytes.
    fn new() -> Self {
        Batch {
            bytes: Vec::with_capacity(BATCH_BYTES + (BATCH_BYTES >> 3)),
            ends: Vec::new(),
            room: None,
        }
    }
}

/// What decoding some samples found.
#[derive(Default)]
pub(super) struct Decoded {
    /// Ranges of the room holding decoded samples, in file order.
    pub placed: Vec<Range<usize>>,
    /// The samples that did not fit in the room, in file order after those.
    pub samples: Vec<Sample>,
    /// The largest location id seen.
    pub max_location: u64,
    /// The largest string index seen.
    pub max_string: i64,
    /// Some sample referenced a location id outside 1..=u32::MAX.
    pub odd_location: bool,
    /// The first sample that could not be decoded, or broke a limit.
    pub error: Option<DecodeError>,
}

/// Collects encoded samples into batches and has them decoded, into the
/// room while it lasts.
pub(super) struct Batcher<'scope> {
    current: Batch<'scope>,
    /// Room for the batches still to come.
    room: Room<'scope>,
    /// Slots of the room given out so far.
    placed: usize,
    /// Where each batch's slots start in the room, by batch number.
    starts: Vec<usize>,
    max_stack_depth: usize,
    workers: Vec<SyncSender<(usize, Batch<'scope>)>>,
    handles: Vec<ScopedJoinHandle<'scope, Vec<(usize, Decoded)>>>,
    /// Results of batches decoded on this thread.
    done: Vec<(usize, Decoded)>,
}

impl<'scope> Batcher<'scope> {
    /// Decodes every batch on the calling thread.
    pub fn inline(room: Room<'scope>, max_stack_depth: usize) -> Self {
        Batcher {
            current: Batch::new(),
            room,
            placed: 0,
            starts: Vec::new(),
            max_stack_depth,
            workers: Vec::new(),
            handles: Vec::new(),
            done: Vec::new(),
        }
    }

    /// Decodes batches on `threads` workers of `scope` when the profile
    /// has about `size` encoded bytes, enough to make them worth it.
    pub fn for_size<'env>(
        scope: &'scope Scope<'scope, 'env>,
        room: Room<'scope>,
        size: usize,
        threads: usize,
        max_stack_depth: usize,
    ) -> Self {
        let mut b = Self::inline(room, max_stack_depth);
        if threads < 2 || size < 4 * BATCH_BYTES {
            return b;
        }
        for _ in 0..threads {
            let (tx, rx) = sync_channel::<(usize, Batch<'scope>)>(BATCHES_IN_FLIGHT);
            b.workers.push(tx);
            b.handles.push(scope.spawn(move || {
                rx.into_iter()
                    .map(|(n, batch)| (n, decode_batch(batch, max_stack_depth)))
                    .collect()
            }));
        }
        b
    }

    /// Adds one encoded sample.
    pub fn push(&mut self, body: &[u8]) {
        self.current.bytes.extend_from_slice(body);
        self.current.ends.push(self.current.bytes.len());
        if self.current.bytes.len() >= BATCH_BYTES {
            self.hand_out();
        }
    }

    fn hand_out(&mut self) {
        let mut batch = std::mem::replace(&mut self.current, Batch::new());
        let n = batch.ends.len();
        let number = self.starts.len();
        self.starts.push(self.placed);
        if self.room.len() >= n {
            self.placed += n;
            let (slots, rest) = std::mem::take(&mut self.room).split_at_mut(n);
            self.room = rest;
            batch.room = Some(slots);
        } else {
            self.room = &mut [];
        }
        let mut job = (number, batch);
        if !self.workers.is_empty() {
            match self.workers[number % self.workers.len()].send(job) {
                Ok(()) => return,
                // The worker is gone (it panicked); decode here instead.
                Err(returned) => job = returned.0,
            }
        }
        let (number, batch) = job;
        let decoded = decode_batch(batch, self.max_stack_depth);
        self.done.push((number, decoded));
    }

    /// Waits for every batch: where the samples are, in file order, and
    /// the first error in file order.
    pub fn finish(mut self) -> Decoded {
        if !self.current.ends.is_empty() {
            self.hand_out();
        }
        self.workers.clear();
        let mut results = std::mem::take(&mut self.done);
        let mut lost = false;
        for h in self.handles {
            match h.join() {
                Ok(r) => results.extend(r),
                Err(_) => lost = true,
            }
        }
        results.sort_unstable_by_key(|(n, _)| *n);
        let mut all = Decoded::default();
        for (n, d) in results {
            let start = self.starts[n];
            all.placed
                .extend(d.placed.iter().map(|r| start + r.start..start + r.end));
            all.error = all.error.or(d.error);
            all.samples.extend(d.samples);
            all.max_location = all.max_location.max(d.max_location);
            all.max_string = all.max_string.max(d.max_string);
            all.odd_location |= d.odd_location;
        }
        if lost {
            // A worker's samples are unaccounted for: leave them be.
            all.placed.clear();
            all.error = Some(DecodeError::Unrecognized);
        }
        all
    }
}

/// The samples of a first pass: those decoded into `vec`'s room, then the
/// rest; `None` (after dropping every decoded sample) when a sample failed.
pub(super) fn collect(mut vec: Vec<Sample>, d: &mut Decoded) -> Option<Vec<Sample>> {
    if d.error.is_none() {
        let placed = d.placed.last().map_or(0, |r| r.end);
        // SAFETY: without an error every batch filled its whole range of
        // the room, and the ranges run back to back from 0 (`finish`).
        unsafe { vec.set_len(placed) };
        vec.append(&mut d.samples);
        return Some(vec);
    }
    let room = vec.spare_capacity_mut();
    for r in d.placed.drain(..) {
        for slot in &mut room[r] {
            // SAFETY: `placed` lists only slots a batch filled and kept.
            unsafe { slot.assume_init_drop() };
        }
    }
    None
}

/// Decodes the samples of one batch, stopping at the first that fails
/// (whose batch then keeps none of its samples).
fn decode_batch(batch: Batch<'_>, max_stack_depth: usize) -> Decoded {
    let Batch {
        bytes,
        ends,
        mut room,
    } = batch;
    let mut d = Decoded::default();
    if room.is_none() {
        d.samples.reserve_exact(ends.len());
    }
    let mut start = 0;
    let mut written = 0;
    let bytes = Arc::new(bytes);
    for &end in &ends {
        let body = &bytes[start..end];
        start = end;
        let mut max_str = d.max_string;
        let mut ids = OneToN {
            max: d.max_location,
            odd: false,
            bytes: &bytes,
        };
        let check = |i: i64| {
            if i < 0 || i > u32::MAX as i64 {
                return Err(DecodeError::Unrecognized);
            }
            max_str = max_str.max(i);
            Ok(i as u32)
        };
        match decode_sample(body, check, &mut ids) {
            Ok(sample) if sample.locations.len() > max_stack_depth => {
                d.error = Some(DecodeError::Limit(
                    "frames in one stack",
                    max_stack_depth as u64,
                ));
                break;
            }
            Ok(sample) => match room.as_deref_mut() {
                Some(slots) => {
                    slots[written].write(sample);
                    written += 1;
                }
                None => d.samples.push(sample),
            },
            Err(e) => {
                d.error = Some(e);
                break;
            }
        }
        d.max_location = ids.max;
        d.max_string = max_str;
        d.odd_location |= ids.odd;
    }
    if let Some(slots) = room {
        if d.error.is_some() {
            for slot in &mut slots[..written] {
                // SAFETY: the first `written` slots were written above.
                unsafe { slot.assume_init_drop() };
            }
        } else {
            d.placed.push(0..written);
        }
    }
    d
}

/// How a sample's location ids become indices into the locations.
pub(super) trait Ids {
    /// The index of location `id`.
    fn index(&mut self, id: u64) -> Result<u32, DecodeError>;

    /// Appends the indices of a packed field of ids to `out`.
    fn packed(&mut self, data: &[u8], out: &mut Stack) -> Result<(), DecodeError> {
        let out = out.to_mut();
        out.reserve_exact(count_varints(data));
        let mut p = 0;
        while p < data.len() {
            out.push(self.index(varint(data, &mut p)?)?);
        }
        Ok(())
    }
}

/// Any function from id to index.
impl<F: FnMut(u64) -> Result<u32, DecodeError>> Ids for F {
    fn index(&mut self, id: u64) -> Result<u32, DecodeError> {
        self(id)
    }
}

/// Location ids 1..n, as Go writes them: index id − 1. An id outside
/// 1..=`u32::MAX` is noted (and read as index 0), for a second pass.
struct OneToN<'a> {
    /// The largest id seen.
    max: u64,
    /// Some id was outside 1..=`u32::MAX`.
    odd: bool,
    /// The samples' bytes, which a packed stack keeps.
    bytes: &'a Arc<Vec<u8>>,
}

impl Ids for &mut OneToN<'_> {
    fn index(&mut self, id: u64) -> Result<u32, DecodeError> {
        let Some(index) = one_to_n(id) else {
            self.odd = true;
            return Ok(0);
        };
        self.max = self.max.max(id);
        Ok(index)
    }

    /// A sample's only field of ids stays packed: it is checked here and
    /// decoded when read.
    fn packed(&mut self, data: &[u8], out: &mut Stack) -> Result<(), DecodeError> {
        // Where the field is in the batch (it always is, being read from it).
        let start = (data.as_ptr() as usize)
            .checked_sub(self.bytes.as_ptr() as usize)
            .filter(|&start| start + data.len() <= self.bytes.len());
        let packed = match start {
            Some(start) if out.is_empty() => {
                let (count, max, odd) = check_packed_ids(data)?;
                Stack::packed(self.bytes, start..start + data.len(), count).map(|p| (p, max, odd))
            }
            _ => None,
        };
        let (max, odd) = match packed {
            Some((packed, max, odd)) => {
                *out = packed;
                (max, odd)
            }
            None => packed_ids(data, out.to_mut())?,
        };
        self.max = self.max.max(max);
        self.odd |= odd;
        Ok(())
    }
}

/// Decodes one encoded sample (fields 1, 2 and 3; others are skipped),
/// resolving location ids and string indices on the way.
pub(super) fn decode_sample(
    buf: &[u8],
    mut check: impl FnMut(i64) -> Result<u32, DecodeError>,
    mut location: impl Ids,
) -> Result<Sample, DecodeError> {
    let mut s = Sample::default();
    let mut pos = 0;
    while pos < buf.len() {
        match next_field(buf, &mut pos)? {
            Field::Varint(1, v) => s.locations.to_mut().push(location.index(v)?),
            Field::Varint(2, v) => s.values.push(v as i64),
            Field::Bytes(1, data) => location.packed(data, &mut s.locations)?,
            Field::Bytes(2, data) => {
                s.values.reserve_exact(count_varints(data));
                let mut p = 0;
                while p < data.len() {
                    s.values.push(varint(data, &mut p)? as i64);
                }
            }
            Field::Bytes(3, data) => {
                let mut label = [0i64; 4];
                let mut p = 0;
                while p < data.len() {
                    match next_field(data, &mut p)? {
                        Field::Varint(n @ 1..=4, v) => label[n as usize - 1] = v as i64,
                        Field::Bytes(1..=4, _) => return Err(DecodeError::Unrecognized),
                        _ => {}
                    }
                }
                let [key, st, num, unit] = label;
                let key = check(key)?;
                if st != 0 {
                    s.labels.push((key, check(st)?));
                } else if num != 0 || unit != 0 {
                    s.num_labels.push(NumLabel {
                        key,
                        value: num,
                        unit: check(unit)?,
                    });
                }
            }
            Field::Varint(3, _) => return Err(DecodeError::Unrecognized),
            _ => {}
        }
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use prost::encoding::encode_varint;

    /// An encoded sample: location ids `1..=depth` packed, then `value`.
    fn encoded(depth: u64, value: u64) -> Vec<u8> {
        let mut locs = Vec::new();
        for id in 1..=depth {
            encode_varint(id, &mut locs);
        }
        let mut body = vec![0x0a];
        encode_varint(locs.len() as u64, &mut body);
        body.extend(locs);
        body.push(0x10);
        encode_varint(value, &mut body);
        body
    }

    /// Decodes `bodies` with two workers into room for `room` samples.
    fn run(bodies: &[Vec<u8>], room: usize) -> (Option<Vec<Sample>>, Decoded) {
        let mut vec: Vec<Sample> = Vec::with_capacity(room);
        let mut d = std::thread::scope(|s| {
            let spare = &mut vec.spare_capacity_mut()[..room];
            let mut b = Batcher::for_size(s, spare, usize::MAX, 2, 1000);
            for body in bodies {
                b.push(body);
            }
            b.finish()
        });
        (collect(vec, &mut d), d)
    }

    #[test]
    fn samples_come_back_in_file_order_in_the_room_and_past_it() {
        let bodies: Vec<Vec<u8>> = (0..20_000).map(|i| encoded(1 + i % 50, i)).collect();
        for room in [0, 7_000, 20_000] {
            let (samples, d) = run(&bodies, room);
            let samples = samples.expect("no error");
            assert_eq!(samples.len(), bodies.len());
            for (i, s) in samples.iter().enumerate() {
                assert_eq!(&s.values[..], &[i as i64], "room {room}");
                assert_eq!(s.locations.len() as u64, 1 + i as u64 % 50);
            }
            assert_eq!(d.max_location, 50);
            assert!(d.placed.iter().map(|r| r.len()).sum::<usize>() <= room);
        }
    }

    #[test]
    fn one_label_of_a_kind_and_four_values_take_no_room_of_their_own() {
        let mut body = encoded(3, 7);
        // A numeric label (key 1, num 4096) and a string label (key 1, str 2).
        body.extend([0x1a, 0x05, 0x08, 0x01, 0x18, 0x80, 0x20]);
        body.extend([0x1a, 0x04, 0x08, 0x01, 0x10, 0x02]);
        let s = decode_sample(&body, |i| Ok(i as u32), |id| Ok(id as u32 - 1)).expect("decodes");
        assert_eq!(s.num_labels.len(), 1);
        assert_eq!(s.num_labels[0].value, 4096);
        assert_eq!(&s.labels[..], &[(1, 2)]);
        assert!(!s.num_labels.spilled() && !s.labels.spilled() && !s.values.spilled());
    }

    #[test]
    fn the_first_failing_sample_in_file_order_is_the_error() {
        let mut bodies: Vec<Vec<u8>> = (0..20_000).map(|i| encoded(60, i)).collect();
        bodies[15_000] = encoded(1001, 0);
        bodies[12_000] = vec![0x18, 0x01];
        let (samples, d) = run(&bodies, 20_000);
        assert!(samples.is_none());
        assert_eq!(d.error, Some(DecodeError::Unrecognized));
        bodies[12_000] = encoded(60, 0);
        let (samples, d) = run(&bodies, 20_000);
        assert!(samples.is_none());
        assert_eq!(
            d.error,
            Some(DecodeError::Limit("frames in one stack", 1000))
        );
    }
}
