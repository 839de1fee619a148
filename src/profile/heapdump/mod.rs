//! Go heap dumps (`runtime/debug.WriteHeapDump`, format "go1.7 heap
//! dump"): the reader turns the record stream into a [`HeapDump`] (objects
//! with their outgoing pointers, roots, allocation sites), [`retention`]
//! turns that into a profile of what each root keeps alive.
//!
//! Only what retention needs is kept: object contents are read for their
//! pointer fields and dropped, pointers that do not land in the heap
//! arena are dropped as soon as they are read.

pub mod dominators;
pub mod retention;

use std::collections::HashMap;
use std::io::Read;

/// The first bytes of every heap dump.
pub const HEADER: &[u8] = b"go1.7 heap dump\n";

/// Whether `data` (already inflated) starts like a heap dump.
pub fn is_heap_dump(data: &[u8]) -> bool {
    data.starts_with(HEADER)
}

/// Caps on what one dump may hold.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Bytes of the (inflated) dump.
    pub max_bytes: u64,
    /// Heap objects.
    pub max_objects: usize,
    /// Pointers between objects and from roots.
    pub max_pointers: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: super::decode::DEFAULT_MAX_DECOMPRESSED,
            max_objects: 200_000_000,
            max_pointers: u32::MAX as usize - 1,
        }
    }
}

/// One heap object: where it is and how many bytes its size class gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Object {
    /// Address of the first byte.
    pub addr: u64,
    /// Size in bytes (the span's element size).
    pub size: u64,
}

/// What holds a root pointer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RootKind {
    /// A pointer slot in the data or bss segment, at this address.
    Global {
        /// The slot's address.
        slot: u64,
    },
    /// A stack frame or the context of goroutine `HeapDump::goroutines[i]`.
    Goroutine(u32),
    /// A finalizer set on an object, or one queued to run.
    Finalizer,
    /// Any other root the runtime describes.
    Other(String),
}

/// One root pointer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Root {
    /// What holds it.
    pub kind: RootKind,
    /// The address it points to (somewhere in the heap arena).
    pub target: u64,
}

/// An allocation site: the innermost frame of an allocation's stack.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Site {
    /// Function name.
    pub function: String,
    /// Source file.
    pub file: String,
    /// Line number.
    pub line: i64,
}

/// A data or bss segment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// `data` or `bss`.
    pub name: &'static str,
    /// Start address.
    pub start: u64,
    /// Length in bytes.
    pub len: u64,
}

/// A goroutine that holds roots.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Goroutine {
    /// The outermost frame's function (the one `go` started), or
    /// `unknown function`.
    pub function: String,
}

/// What a heap dump holds, as retention needs it.
#[derive(Clone, Debug, Default)]
pub struct HeapDump {
    /// Pointer size in bytes.
    pub ptr_size: u64,
    /// The heap arena's address range.
    pub arena: (u64, u64),
    /// `GOARCH` of the process.
    pub arch: String,
    /// The Go version that wrote the dump.
    pub go_version: String,
    /// Every allocated object, in dump order.
    pub objects: Vec<Object>,
    /// Where each object's pointers start in [`HeapDump::pointers`]; one
    /// more entry than objects.
    pub pointer_starts: Vec<u32>,
    /// The heap-arena pointers of every object, concatenated.
    pub pointers: Vec<u64>,
    /// Every root pointer into the heap arena.
    pub roots: Vec<Root>,
    /// The goroutines that hold roots.
    pub goroutines: Vec<Goroutine>,
    /// The data and bss segments.
    pub segments: Vec<Segment>,
    /// Allocation site of each memory-profile bucket.
    pub sites: HashMap<u64, Site>,
    /// Sampled objects: (address, bucket).
    pub samples: Vec<(u64, u64)>,
}

impl HeapDump {
    /// The pointers of object `i`.
    pub fn pointers_of(&self, i: usize) -> &[u64] {
        &self.pointers[self.pointer_starts[i] as usize..self.pointer_starts[i + 1] as usize]
    }
}

const TAG_EOF: u64 = 0;
const TAG_OBJECT: u64 = 1;
const TAG_OTHER_ROOT: u64 = 2;
const TAG_TYPE: u64 = 3;
const TAG_GOROUTINE: u64 = 4;
const TAG_STACK_FRAME: u64 = 5;
const TAG_PARAMS: u64 = 6;
const TAG_FINALIZER: u64 = 7;
const TAG_ITAB: u64 = 8;
const TAG_OS_THREAD: u64 = 9;
const TAG_MEM_STATS: u64 = 10;
const TAG_QUEUED_FINALIZER: u64 = 11;
const TAG_DATA: u64 = 12;
const TAG_BSS: u64 = 13;
const TAG_DEFER: u64 = 14;
const TAG_PANIC: u64 = 15;
const TAG_MEM_PROF: u64 = 16;
const TAG_ALLOC_SAMPLE: u64 = 17;

const FIELD_EOL: u64 = 0;
const FIELD_PTR: u64 = 1;
const FIELD_IFACE: u64 = 2;
const FIELD_EFACE: u64 = 3;

/// Reads a whole heap dump from `input` (inflated), header included.
pub fn read(input: impl Read, limits: &Limits) -> Result<HeapDump, String> {
    let mut r = Reader::new(input, limits.max_bytes);
    let mut header = [0u8; HEADER.len()];
    for b in header.iter_mut() {
        *b = r
            .byte()
            .map_err(|_| "not a heap dump: too short".to_string())?;
    }
    if header != HEADER {
        return Err("not a heap dump: bad header".into());
    }
    let mut dump = HeapDump {
        ptr_size: 8,
        pointer_starts: vec![0],
        ..Default::default()
    };
    let mut state = State {
        big_endian: false,
        limits: *limits,
        contents: Vec::new(),
        current_goroutine: None,
    };
    loop {
        let at = r.consumed;
        let tag = r.uvarint().map_err(|e| e.at("a record tag", at))?;
        if tag == TAG_EOF {
            break;
        }
        read_record(&mut r, tag, &mut dump, &mut state).map_err(|e| e.at(record_name(tag), at))?;
    }
    Ok(dump)
}

/// What the reader carries between records.
struct State {
    big_endian: bool,
    limits: Limits,
    /// Scratch buffer for a record's memory contents.
    contents: Vec<u8>,
    /// The goroutine whose frames are being read.
    current_goroutine: Option<u32>,
}

fn record_name(tag: u64) -> &'static str {
    match tag {
        TAG_OBJECT => "an object record",
        TAG_OTHER_ROOT => "an other-root record",
        TAG_TYPE => "a type record",
        TAG_GOROUTINE => "a goroutine record",
        TAG_STACK_FRAME => "a stack frame record",
        TAG_PARAMS => "the parameters record",
        TAG_FINALIZER | TAG_QUEUED_FINALIZER => "a finalizer record",
        TAG_ITAB => "an itab record",
        TAG_OS_THREAD => "an OS thread record",
        TAG_MEM_STATS => "the memstats record",
        TAG_DATA | TAG_BSS => "a data segment record",
        TAG_DEFER => "a defer record",
        TAG_PANIC => "a panic record",
        TAG_MEM_PROF => "a memory profile record",
        TAG_ALLOC_SAMPLE => "an allocation sample record",
        _ => "a record",
    }
}

fn read_record<R: Read>(
    r: &mut Reader<R>,
    tag: u64,
    dump: &mut HeapDump,
    st: &mut State,
) -> Result<(), ReadError> {
    if tag != TAG_STACK_FRAME && tag != TAG_DEFER && tag != TAG_PANIC {
        st.current_goroutine = None;
    }
    match tag {
        TAG_PARAMS => {
            st.big_endian = r.uvarint()? != 0;
            dump.ptr_size = r.uvarint()?;
            if dump.ptr_size != 4 && dump.ptr_size != 8 {
                return Err(ReadError::Bad(format!(
                    "pointer size {} is neither 4 nor 8",
                    dump.ptr_size
                )));
            }
            dump.arena = (r.uvarint()?, r.uvarint()?);
            dump.arch = r.string()?;
            dump.go_version = r.string()?;
            r.uvarint()?;
        }
        TAG_OBJECT => {
            let addr = r.uvarint()?;
            r.memrange(Some(&mut st.contents))?;
            let size = st.contents.len() as u64;
            if dump.objects.len() >= st.limits.max_objects {
                return Err(ReadError::Bad(format!(
                    "more than {} objects",
                    st.limits.max_objects
                )));
            }
            dump.objects.push(Object { addr, size });
            read_fields(r, st, dump.ptr_size, dump.arena, &mut |p| {
                dump.pointers.push(p)
            })?;
            if dump.pointers.len() + dump.roots.len() > st.limits.max_pointers {
                return Err(ReadError::Bad(format!(
                    "more than {} pointers",
                    st.limits.max_pointers
                )));
            }
            dump.pointer_starts.push(dump.pointers.len() as u32);
        }
        TAG_OTHER_ROOT => {
            let description = r.string()?;
            let target = r.uvarint()?;
            push_root(dump, RootKind::Other(description), target);
        }
        TAG_TYPE => {
            r.varints::<2>()?;
            r.memrange(None)?;
            r.uvarint()?;
        }
        TAG_GOROUTINE => {
            // g, sp, goid, gopc, status, system, background, waitsince,
            // waitreason, ctxt, m, defer, panic.
            r.varints::<8>()?;
            r.memrange(None)?;
            let ctxt = r.uvarint()?;
            r.varints::<3>()?;
            let g = dump.goroutines.len() as u32;
            dump.goroutines.push(Goroutine {
                function: String::new(),
            });
            push_root(dump, RootKind::Goroutine(g), ctxt);
            st.current_goroutine = Some(g);
        }
        TAG_STACK_FRAME => {
            let g = st
                .current_goroutine
                .ok_or_else(|| ReadError::Bad("a stack frame outside any goroutine".into()))?;
            r.varints::<3>()?;
            r.memrange(Some(&mut st.contents))?;
            r.varints::<3>()?;
            let name = r.string()?;
            read_fields(r, st, dump.ptr_size, dump.arena, &mut |p| {
                push_root(dump, RootKind::Goroutine(g), p)
            })?;
            // Frames come innermost first: the last one that is neither
            // the runtime's goexit nor the wrapper a `go` statement with
            // arguments compiles to is what the goroutine was started with.
            if name != "runtime.goexit" && !is_go_wrapper(&name) {
                dump.goroutines[g as usize].function = name;
            }
        }
        TAG_DEFER => {
            let v = r.varints::<7>()?;
            if let Some(g) = st.current_goroutine {
                push_root(dump, RootKind::Goroutine(g), v[4]);
            }
        }
        TAG_PANIC => {
            let v = r.varints::<6>()?;
            if let Some(g) = st.current_goroutine {
                push_root(dump, RootKind::Goroutine(g), v[3]);
            }
        }
        TAG_FINALIZER | TAG_QUEUED_FINALIZER => {
            let [obj, func, ..] = r.varints::<5>()?;
            // A set finalizer keeps its closure alive; a queued one also
            // the object it will be called with.
            push_root(dump, RootKind::Finalizer, func);
            if tag == TAG_QUEUED_FINALIZER {
                push_root(dump, RootKind::Finalizer, obj);
            }
        }
        TAG_ITAB => {
            r.varints::<2>()?;
        }
        TAG_OS_THREAD => {
            r.varints::<3>()?;
        }
        TAG_MEM_STATS => {
            // 24 statistics, 256 pause times, the GC count.
            r.varints::<{ 24 + 256 + 1 }>()?;
        }
        TAG_DATA | TAG_BSS => {
            let start = r.uvarint()?;
            r.memrange(Some(&mut st.contents))?;
            let name = if tag == TAG_DATA { "data" } else { "bss" };
            dump.segments.push(Segment {
                name,
                start,
                len: st.contents.len() as u64,
            });
            read_fields_at(r, st, dump.ptr_size, dump.arena, &mut |off, p| {
                push_root(dump, RootKind::Global { slot: start + off }, p)
            })?;
        }
        TAG_MEM_PROF => {
            let bucket = r.uvarint()?;
            r.uvarint()?;
            let frames = r.uvarint()?;
            // The site is the first frame outside the runtime, as Go's
            // heap profile shows it (the runtime's frames above it hidden).
            let mut site: Option<Site> = None;
            for _ in 0..frames {
                let function = r.string()?;
                let file = r.string()?;
                let line = r.uvarint()? as i64;
                if site.as_ref().is_none_or(|s| is_runtime(&s.function)) {
                    site = Some(Site {
                        function,
                        file,
                        line,
                    });
                }
            }
            r.varints::<2>()?;
            if let Some(site) = site {
                dump.sites.insert(bucket, site);
            }
        }
        TAG_ALLOC_SAMPLE => {
            let addr = r.uvarint()?;
            let bucket = r.uvarint()?;
            dump.samples.push((addr, bucket));
        }
        other => return Err(ReadError::Bad(format!("unknown record tag {other}"))),
    }
    Ok(())
}

/// Whether `function` is the runtime's own code.
fn is_runtime(function: &str) -> bool {
    function.starts_with("runtime.") || function.starts_with("internal/runtime/")
}

/// Whether `function` is a `go` statement's wrapper (`main.main.gowrap1`).
fn is_go_wrapper(function: &str) -> bool {
    function
        .rsplit_once(".gowrap")
        .is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

fn push_root(dump: &mut HeapDump, kind: RootKind, target: u64) {
    if target >= dump.arena.0 && target < dump.arena.1 {
        dump.roots.push(Root { kind, target });
    }
}

/// Reads a field list and reports each heap-arena pointer it names in the
/// memory just read.
fn read_fields<R: Read>(
    r: &mut Reader<R>,
    st: &State,
    ptr_size: u64,
    arena: (u64, u64),
    each: &mut dyn FnMut(u64),
) -> Result<(), ReadError> {
    read_fields_at(r, st, ptr_size, arena, &mut |_, p| each(p))
}

/// [`read_fields`], with the offset of each pointer.
fn read_fields_at<R: Read>(
    r: &mut Reader<R>,
    st: &State,
    ptr_size: u64,
    arena: (u64, u64),
    each: &mut dyn FnMut(u64, u64),
) -> Result<(), ReadError> {
    loop {
        let kind = r.uvarint()?;
        if kind == FIELD_EOL {
            return Ok(());
        }
        let offset = r.uvarint()?;
        let word = match kind {
            FIELD_PTR => offset,
            // An interface's second word is its data pointer.
            FIELD_IFACE | FIELD_EFACE => offset.saturating_add(ptr_size),
            other => return Err(ReadError::Bad(format!("unknown field kind {other}"))),
        };
        let Some(p) = load_word(&st.contents, word, ptr_size, st.big_endian) else {
            return Err(ReadError::Bad(format!(
                "field offset {offset} is outside its {} bytes",
                st.contents.len()
            )));
        };
        if p >= arena.0 && p < arena.1 {
            each(offset, p);
        }
    }
}

fn load_word(mem: &[u8], offset: u64, ptr_size: u64, big_endian: bool) -> Option<u64> {
    let start = usize::try_from(offset).ok()?;
    let bytes = mem.get(start..start.checked_add(ptr_size as usize)?)?;
    let mut v = 0u64;
    if big_endian {
        for &b in bytes {
            v = v << 8 | b as u64;
        }
    } else {
        for &b in bytes.iter().rev() {
            v = v << 8 | b as u64;
        }
    }
    Some(v)
}

/// Why a record could not be read.
enum ReadError {
    /// The dump ends in the middle of a record.
    Truncated,
    /// The dump is larger than allowed.
    TooLarge(u64),
    /// The input could not be read.
    Io(String),
    /// A value that breaks the format.
    Bad(String),
}

impl ReadError {
    fn at(self, what: &str, offset: u64) -> String {
        match self {
            ReadError::Truncated => {
                format!("heap dump is truncated in {what} at byte {offset}")
            }
            ReadError::TooLarge(cap) => format!(
                "heap dump exceeds the limit of {cap} bytes (raise it with --max-decompressed-size)"
            ),
            ReadError::Io(e) => format!("reading heap dump: {e}"),
            ReadError::Bad(e) => format!("malformed heap dump: {e} in {what} at byte {offset}"),
        }
    }
}

/// A buffered reader of the dump's varints and byte strings.
struct Reader<R> {
    inner: R,
    buf: Box<[u8]>,
    pos: usize,
    len: usize,
    /// Bytes consumed so far.
    consumed: u64,
    cap: u64,
}

impl<R: Read> Reader<R> {
    fn new(inner: R, cap: u64) -> Self {
        Reader {
            inner,
            buf: vec![0; 1 << 16].into_boxed_slice(),
            pos: 0,
            len: 0,
            consumed: 0,
            cap,
        }
    }

    fn fill(&mut self) -> Result<(), ReadError> {
        loop {
            match self.inner.read(&mut self.buf) {
                Ok(0) => return Err(ReadError::Truncated),
                Ok(n) => {
                    self.pos = 0;
                    self.len = n;
                    return Ok(());
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                    return Err(ReadError::Truncated)
                }
                Err(e) => return Err(ReadError::Io(e.to_string())),
            }
        }
    }

    fn advance(&mut self, n: usize) -> Result<(), ReadError> {
        self.pos += n;
        self.consumed += n as u64;
        if self.consumed > self.cap {
            return Err(ReadError::TooLarge(self.cap));
        }
        Ok(())
    }

    fn byte(&mut self) -> Result<u8, ReadError> {
        if self.pos == self.len {
            self.fill()?;
        }
        let b = self.buf[self.pos];
        self.advance(1)?;
        Ok(b)
    }

    /// `N` varints in a row.
    fn varints<const N: usize>(&mut self) -> Result<[u64; N], ReadError> {
        let mut v = [0u64; N];
        for x in v.iter_mut() {
            *x = self.uvarint()?;
        }
        Ok(v)
    }

    fn uvarint(&mut self) -> Result<u64, ReadError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err(ReadError::Bad("a varint longer than 10 bytes".into()))
    }

    /// A length-prefixed byte string, into `out` or skipped.
    fn memrange(&mut self, mut out: Option<&mut Vec<u8>>) -> Result<(), ReadError> {
        let n = self.uvarint()?;
        if n > self.cap.saturating_sub(self.consumed) {
            return Err(ReadError::Truncated);
        }
        if let Some(out) = out.as_deref_mut() {
            out.clear();
        }
        let mut left = n as usize;
        while left > 0 {
            if self.pos == self.len {
                self.fill()?;
            }
            let take = left.min(self.len - self.pos);
            if let Some(out) = out.as_deref_mut() {
                out.extend_from_slice(&self.buf[self.pos..self.pos + take]);
            }
            self.advance(take)?;
            left -= take;
        }
        Ok(())
    }

    fn string(&mut self) -> Result<String, ReadError> {
        let mut v = Vec::new();
        self.memrange(Some(&mut v))?;
        Ok(String::from_utf8_lossy(&v).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::retention::{retention, GlobalNames};
    use super::*;

    /// Writes heap dump records as the runtime does.
    #[derive(Default)]
    struct Writer(Vec<u8>);

    impl Writer {
        fn int(&mut self, mut v: u64) -> &mut Self {
            while v >= 0x80 {
                self.0.push(v as u8 | 0x80);
                v >>= 7;
            }
            self.0.push(v as u8);
            self
        }
        fn bytes(&mut self, b: &[u8]) -> &mut Self {
            self.int(b.len() as u64);
            self.0.extend_from_slice(b);
            self
        }
        /// Memory of `size` bytes holding `ptrs` (offset, value), then
        /// its field list.
        fn memory(&mut self, size: usize, ptrs: &[(u64, u64)]) -> &mut Self {
            let mut mem = vec![0u8; size];
            for &(off, v) in ptrs {
                mem[off as usize..off as usize + 8].copy_from_slice(&v.to_le_bytes());
            }
            self.bytes(&mem);
            for &(off, _) in ptrs {
                self.int(FIELD_PTR).int(off);
            }
            self.int(FIELD_EOL)
        }
        fn object(&mut self, addr: u64, size: usize, ptrs: &[(u64, u64)]) -> &mut Self {
            self.int(TAG_OBJECT).int(addr).memory(size, ptrs)
        }
        /// A stack frame of `name` holding `ptrs`.
        fn frame(&mut self, name: &str, ptrs: &[(u64, u64)]) -> &mut Self {
            self.int(TAG_STACK_FRAME).int(0).int(0).int(0);
            let mut mem = vec![0u8; 16];
            for &(off, v) in ptrs {
                mem[off as usize..off as usize + 8].copy_from_slice(&v.to_le_bytes());
            }
            self.bytes(&mem).int(0).int(0).int(0).bytes(name.as_bytes());
            for &(off, _) in ptrs {
                self.int(FIELD_PTR).int(off);
            }
            self.int(FIELD_EOL)
        }
    }

    fn sample_dump() -> Vec<u8> {
        let mut w = Writer::default();
        w.0.extend_from_slice(HEADER);
        w.int(TAG_PARAMS).int(0).int(8).int(0x1000).int(0x10000);
        w.bytes(b"amd64").bytes(b"go-test").int(1);
        w.object(0x1000, 16, &[(0, 0x1010)]) // A → B
            .object(0x1010, 32, &[])
            .object(0x1100, 64, &[]) // shared by two globals
            .object(0x2000, 8, &[(0, 0x1000)]) // garbage pointing at A
            .object(0x3000, 24, &[]) // held by a goroutine
            .object(0x4000, 16, &[(0, 0x4010)]) // a two-node ring
            .object(0x4010, 16, &[(0, 0x4000)]);
        w.int(TAG_GOROUTINE);
        for _ in 0..8 {
            w.int(0);
        }
        w.bytes(b"chan receive").int(0).int(0).int(0).int(0);
        // An interior pointer to the goroutine's object, from its frame.
        w.frame("main.worker", &[(8, 0x3008)])
            .frame("main.main.gowrap1", &[])
            .frame("runtime.goexit", &[]);
        w.int(TAG_DATA)
            .int(0x100)
            .memory(32, &[(0, 0x1000), (8, 0x1100), (16, 0x1100), (24, 0x4000)]);
        w.int(TAG_MEM_PROF).int(1).int(16).int(2);
        w.bytes(b"runtime.mallocgc").bytes(b"malloc.go").int(1);
        w.bytes(b"main.newA").bytes(b"a.go").int(10);
        w.int(1).int(0);
        w.int(TAG_ALLOC_SAMPLE).int(0x1000).int(1);
        w.int(TAG_EOF);
        w.0
    }

    fn names() -> GlobalNames {
        GlobalNames::new(
            ["main.a", "main.s1", "main.s2", "main.ring"]
                .iter()
                .enumerate()
                .map(|(i, n)| (0x100 + 8 * i as u64, 8, n.to_string()))
                .collect(),
        )
    }

    /// Bytes retained by the root frame `root`: the sum of the samples
    /// whose outermost frame it is.
    fn retained(p: &crate::profile::Profile, root: &str) -> i64 {
        p.samples
            .iter()
            .filter(|s| {
                let l = &p.locations[*s.locations.ids().last().unwrap() as usize];
                p.functions[l.lines[0].function as usize].name == root
            })
            .map(|s| s.values[1])
            .sum()
    }

    #[test]
    fn reads_records_and_finds_each_roots_share() {
        let dump = read(&sample_dump()[..], &Limits::default()).unwrap();
        assert_eq!(dump.objects.len(), 7);
        assert_eq!(dump.goroutines[0].function, "main.worker");
        let p = retention(dump, &names());
        assert_eq!(retained(&p, "main.a"), 48);
        assert_eq!(retained(&p, "shared: main.s1, main.s2"), 64);
        assert_eq!(retained(&p, "main.worker"), 24);
        assert_eq!(retained(&p, "main.ring"), 32);
        assert_eq!(retained(&p, retention::UNREACHABLE), 8);
        let a_site = p
            .functions
            .iter()
            .any(|f| f.name == "main.newA" && f.filename == "a.go");
        assert!(a_site, "the site skips the runtime's frames");
        assert!(
            p.comments[0].ends_with("8B in 1 objects unreachable"),
            "{:?}",
            p.comments
        );
    }

    #[test]
    fn without_names_globals_are_segment_offsets() {
        let dump = read(&sample_dump()[..], &Limits::default()).unwrap();
        let p = retention(dump, &GlobalNames::default());
        assert_eq!(retained(&p, "data+0x0"), 48);
        assert_eq!(retained(&p, "shared: data+0x10, data+0x8"), 64);
    }

    #[test]
    fn every_truncation_is_an_error_not_a_panic() {
        let full = sample_dump();
        for n in 0..full.len() {
            let e = read(&full[..n], &Limits::default()).unwrap_err();
            assert!(
                e.contains("truncated") || e.contains("not a heap dump"),
                "{n}: {e}"
            );
        }
    }

    #[test]
    fn corrupted_bytes_are_errors_or_profiles_never_panics() {
        let full = sample_dump();
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..3000 {
            let mut bytes = full.clone();
            for _ in 0..3 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let at = HEADER.len() + (seed as usize) % (bytes.len() - HEADER.len());
                bytes[at] = (seed >> 32) as u8;
            }
            if let Ok(dump) = read(&bytes[..], &Limits::default()) {
                let _ = retention(dump, &names());
            }
        }
    }

    #[test]
    fn limits_are_enforced() {
        let full = sample_dump();
        let small = Limits {
            max_objects: 3,
            ..Limits::default()
        };
        assert!(read(&full[..], &small)
            .unwrap_err()
            .contains("more than 3 objects"));
        let tiny = Limits {
            max_bytes: 100,
            ..Limits::default()
        };
        assert!(read(&full[..], &tiny)
            .unwrap_err()
            .contains("exceeds the limit of 100 bytes"));
    }
}
