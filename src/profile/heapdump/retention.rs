//! Retention: which root keeps which objects alive, as a profile.
//!
//! The object graph gets one node per named root (a global, the
//! goroutines of one function, finalizers, each other root) under one
//! super-root; the dominator tree of that graph gives every object the
//! chain of objects that alone keep it alive. Each object becomes a sample
//! of its own size whose stack is that chain, root outermost, each object
//! named by its allocation site, so a node's cum is exactly what it
//! retains. Objects no single root dominates sit under `shared: …` naming
//! the roots that reach them; objects nothing reaches under
//! `(unreachable)`.

use super::dominators::{dominators, Csr, UNREACHED};
use super::{HeapDump, RootKind, Site};
use crate::base::units;
use crate::profile::{Function, Line, Location, Mapping, Profile, Sample, ValueType};
use std::collections::HashMap;

/// The name of the frame under which unreachable objects sit.
pub const UNREACHABLE: &str = "(unreachable)";
/// The name of the frame of finalizer roots.
pub const FINALIZER: &str = "(finalizer)";
/// The deepest dominator chain drawn; deeper objects count in its last
/// frame.
const MAX_DEPTH: u32 = 64;
/// How many root names a `shared: …` frame lists before `…`.
const SHARED_NAMES: usize = 4;

/// Names of globals by address, from a binary's symbol table.
#[derive(Clone, Debug, Default)]
pub struct GlobalNames {
    /// (start, end, name), sorted by start.
    symbols: Vec<(u64, u64, String)>,
}

impl GlobalNames {
    /// From (address, size, name) triples in any order.
    pub fn new(mut symbols: Vec<(u64, u64, String)>) -> Self {
        symbols.retain(|s| !s.2.is_empty());
        for s in &mut symbols {
            s.1 = s.0.saturating_add(s.1.max(1));
        }
        symbols.sort_by_key(|s| s.0);
        GlobalNames { symbols }
    }

    /// Whether no names are known.
    pub fn is_empty(&self) -> bool {
        self.symbols.is_empty()
    }

    /// The global whose bytes include `addr`.
    pub fn lookup(&self, addr: u64) -> Option<&str> {
        let i = self.symbols.partition_point(|s| s.0 <= addr);
        let s = self.symbols.get(i.checked_sub(1)?)?;
        (addr < s.1).then_some(s.2.as_str())
    }
}

/// Builds the retention profile of `dump`, naming globals with `names`.
/// What each step no longer needs is freed before the next one.
pub fn retention(mut dump: HeapDump, names: &GlobalNames) -> Profile {
    let objects = ObjectIndex::new(&dump);
    let sites = object_sites(&mut dump, &objects);
    let groups = RootGroups::new(&dump, names);
    let graph = object_graph(&mut dump, &objects, &groups);
    drop(objects);
    let doms = dominators(&graph, 0);
    let first_object = groups.names.len() as u32 + 1;
    let shared = shared_root_names(&graph, &doms.idom, &doms.preorder, &groups, first_object);
    let mut b = Builder::new(&dump, sites);
    let mut stack_of = vec![UNREACHED; graph.len()];
    stack_of[0] = TOP;
    for &v in &doms.preorder[1..] {
        let d = doms.idom[v as usize];
        stack_of[v as usize] = if v < first_object {
            b.root(&groups.names[v as usize - 1])
        } else {
            let o = (v - first_object) as usize;
            let parent = if d == 0 {
                let name = shared.get(&v).map(String::as_str).unwrap_or("shared");
                b.root(name)
            } else {
                stack_of[d as usize]
            };
            let s = b.object_stack(parent, o);
            b.add(s, dump.objects[o].size);
            s
        };
    }
    let unreachable = b.root(UNREACHABLE);
    let mut lost = (0i64, 0i64);
    for o in 0..dump.objects.len() {
        if stack_of[first_object as usize + o] == UNREACHED {
            let s = b.object_stack(unreachable, o);
            b.add(s, dump.objects[o].size);
            lost.0 += 1;
            lost.1 += dump.objects[o].size as i64;
        }
    }
    let mut prof = b.finish();
    prof.comments.push(format!(
        "Retention view of a heap dump ({} {}): {} in {} objects unreachable",
        dump.go_version,
        dump.arch,
        units::label(lost.1, "bytes"),
        lost.0
    ));
    prof
}

/// Object lookup by any address inside an object.
struct ObjectIndex {
    /// Object indices sorted by address.
    order: Vec<u32>,
    /// Their start addresses, in that order.
    starts: Vec<u64>,
}

impl ObjectIndex {
    fn new(dump: &HeapDump) -> Self {
        let mut order: Vec<u32> = (0..dump.objects.len() as u32).collect();
        order.sort_unstable_by_key(|&i| dump.objects[i as usize].addr);
        let starts = order
            .iter()
            .map(|&i| dump.objects[i as usize].addr)
            .collect();
        ObjectIndex { order, starts }
    }

    /// The object that holds byte `addr`.
    fn find(&self, dump: &HeapDump, addr: u64) -> Option<u32> {
        let i = self.starts.partition_point(|&s| s <= addr).checked_sub(1)?;
        let o = self.order[i];
        let obj = dump.objects[o as usize];
        (addr < obj.addr.saturating_add(obj.size)).then_some(o)
    }
}

/// Roots grouped by what a person calls them.
struct RootGroups {
    /// Group names; group `g` is graph node `g + 1`.
    names: Vec<String>,
    /// Group of each root of the dump.
    of_root: Vec<u32>,
}

impl RootGroups {
    fn new(dump: &HeapDump, names: &GlobalNames) -> Self {
        let mut index: HashMap<String, u32> = HashMap::new();
        let mut groups = RootGroups {
            names: Vec::new(),
            of_root: Vec::with_capacity(dump.roots.len()),
        };
        for r in &dump.roots {
            let name = match &r.kind {
                RootKind::Global { slot } => match names.lookup(*slot) {
                    Some(n) => n.to_string(),
                    None => segment_offset(dump, *slot),
                },
                RootKind::Goroutine(g) => {
                    let f = &dump.goroutines[*g as usize].function;
                    if f.is_empty() {
                        "unknown function".to_string()
                    } else {
                        f.clone()
                    }
                }
                RootKind::Finalizer => FINALIZER.to_string(),
                RootKind::Other(d) => d.clone(),
            };
            let next = groups.names.len() as u32;
            let g = *index.entry(name.clone()).or_insert_with(|| {
                groups.names.push(name);
                next
            });
            groups.of_root.push(g);
        }
        groups
    }
}

/// `data+0x…` or `bss+0x…`: a global named by where it is.
fn segment_offset(dump: &HeapDump, slot: u64) -> String {
    match dump
        .segments
        .iter()
        .find(|s| slot >= s.start && slot - s.start < s.len)
    {
        Some(s) => format!("{}+{:#x}", s.name, slot - s.start),
        None => format!("global {slot:#x}"),
    }
}

/// The graph: node 0 the super-root, then the root groups, then the
/// objects in dump order.
/// Consumes the dump's pointers.
fn object_graph(dump: &mut HeapDump, objects: &ObjectIndex, groups: &RootGroups) -> Csr {
    let first_object = groups.names.len() + 1;
    let n = first_object + dump.objects.len();
    let mut starts = Vec::with_capacity(n + 1);
    let mut targets =
        Vec::with_capacity(groups.names.len() + dump.roots.len() + dump.pointers.len());
    starts.push(0u32);
    targets.extend(1..first_object as u32);
    starts.push(targets.len() as u32);
    let mut per_group = vec![Vec::new(); groups.names.len()];
    for (r, &g) in dump.roots.iter().zip(&groups.of_root) {
        if let Some(o) = objects.find(dump, r.target) {
            per_group[g as usize].push(first_object as u32 + o);
        }
    }
    for edges in per_group {
        targets.extend(edges);
        starts.push(targets.len() as u32);
    }
    for i in 0..dump.objects.len() {
        for &p in dump.pointers_of(i) {
            if let Some(o) = objects.find(dump, p) {
                if o as usize != i {
                    targets.push(first_object as u32 + o);
                }
            }
        }
        starts.push(targets.len() as u32);
    }
    dump.pointers = Vec::new();
    dump.pointer_starts = Vec::new();
    targets.shrink_to_fit();
    Csr { starts, targets }
}

/// No allocation site recorded.
const NO_SITE: u32 = u32::MAX;

/// The allocation site of each object (an index into `sites`), from the
/// dump's samples and sites, which it consumes.
fn object_sites(dump: &mut HeapDump, objects: &ObjectIndex) -> ObjectSites {
    let mut index: HashMap<u64, u32> = HashMap::new();
    let mut sites = Vec::new();
    let mut of_object = vec![NO_SITE; dump.objects.len()];
    for (addr, bucket) in std::mem::take(&mut dump.samples) {
        let Some(o) = objects.find(dump, addr) else {
            continue;
        };
        // Each bucket's site moves out of the dump the first time it is
        // seen.
        let site = match index.get(&bucket) {
            Some(&i) => i,
            None => {
                let Some(site) = dump.sites.remove(&bucket) else {
                    continue;
                };
                sites.push(site);
                index.insert(bucket, sites.len() as u32 - 1);
                sites.len() as u32 - 1
            }
        };
        of_object[o as usize] = site;
    }
    ObjectSites { sites, of_object }
}

/// Allocation sites, and which one each object has.
struct ObjectSites {
    sites: Vec<Site>,
    /// Index into `sites`, or [`NO_SITE`].
    of_object: Vec<u32>,
}

/// For each object the super-root dominates directly (reached from two or
/// more roots), `shared: ` and the names of the roots that reach it.
fn shared_root_names(
    graph: &Csr,
    idom: &[u32],
    preorder: &[u32],
    groups: &RootGroups,
    first_object: u32,
) -> HashMap<u32, String> {
    // The child of the super-root above each node.
    let mut top = vec![UNREACHED; graph.len()];
    for &v in &preorder[1..] {
        let d = idom[v as usize];
        top[v as usize] = if d == 0 { v } else { top[d as usize] };
    }
    let is_shared = |t: u32| t >= first_object && idom[t as usize] == 0;
    // Which groups reach each shared top directly, and which shared tops
    // reach which others.
    let mut reached_by: HashMap<u32, Vec<u32>> = HashMap::new();
    let mut feeds: HashMap<u32, Vec<u32>> = HashMap::new();
    for &u in &preorder[1..] {
        let tu = top[u as usize];
        for &v in graph.successors(u as usize) {
            let tv = top[v as usize];
            if tv == tu || !is_shared(tv) {
                continue;
            }
            if tu < first_object {
                reached_by.entry(tv).or_default().push(tu);
            } else {
                feeds.entry(tu).or_default().push(tv);
            }
        }
    }
    for list in reached_by.values_mut().chain(feeds.values_mut()) {
        list.sort_unstable();
        list.dedup();
    }
    // Propagate along `feeds` until nothing changes; a list longer than
    // SHARED_NAMES only needs to say there are more.
    let mut todo: Vec<u32> = reached_by.keys().copied().collect();
    while let Some(s) = todo.pop() {
        let from = reached_by.get(&s).cloned().unwrap_or_default();
        for &t in feeds.get(&s).map(Vec::as_slice).unwrap_or(&[]) {
            let to = reached_by.entry(t).or_default();
            let before = to.len();
            for &g in &from {
                if to.len() > SHARED_NAMES {
                    break;
                }
                if let Err(at) = to.binary_search(&g) {
                    to.insert(at, g);
                }
            }
            if to.len() != before {
                todo.push(t);
            }
        }
    }
    reached_by
        .into_iter()
        .map(|(s, gs)| {
            let mut names: Vec<&str> = gs
                .iter()
                .map(|&g| groups.names[g as usize - 1].as_str())
                .collect();
            names.sort_unstable();
            let more = names.len() > SHARED_NAMES;
            names.truncate(SHARED_NAMES);
            let mut name = format!("shared: {}", names.join(", "));
            if more {
                name.push_str(", …");
            }
            (s, name)
        })
        .collect()
}

/// The trie node of the empty stack.
const TOP: u32 = 0;

/// Builds the profile: locations for names and sites, a trie of stacks,
/// and the objects and bytes whose chain ends at each trie node.
struct Builder<'a> {
    dump: &'a HeapDump,
    /// Allocation site of each object.
    sites: ObjectSites,
    /// The location of each of those sites, once made.
    site_locations: Vec<u32>,
    prof: Profile,
    functions: HashMap<(String, String), u32>,
    locations: HashMap<(u32, i64), u32>,
    size_classes: HashMap<u64, u32>,
    /// (parent, location) of each trie node; node 0 is the empty stack.
    trie: Vec<(u32, u32)>,
    children: HashMap<(u32, u32), u32>,
    /// Frames in the stack of each trie node.
    depth: Vec<u32>,
    /// Objects and bytes of the chains ending at each trie node.
    totals: Vec<(i64, i64)>,
}

impl<'a> Builder<'a> {
    fn new(dump: &'a HeapDump, sites: ObjectSites) -> Self {
        Builder {
            dump,
            site_locations: vec![NO_SITE; sites.sites.len()],
            sites,
            prof: Profile {
                strings: vec![String::new()],
                ..Default::default()
            },
            functions: HashMap::new(),
            locations: HashMap::new(),
            size_classes: HashMap::new(),
            trie: vec![(TOP, u32::MAX)],
            children: HashMap::new(),
            depth: vec![0],
            totals: vec![(0, 0)],
        }
    }

    fn location(&mut self, function: &str, file: &str, line: i64) -> u32 {
        let next = self.prof.functions.len() as u32;
        let f = *self
            .functions
            .entry((function.to_string(), file.to_string()))
            .or_insert(next);
        if f == next {
            self.prof.functions.push(Function {
                id: next as u64 + 1,
                name: function.to_string(),
                system_name: function.to_string(),
                filename: file.to_string(),
                start_line: 0,
            });
        }
        let next = self.prof.locations.len() as u32;
        let l = *self.locations.entry((f, line)).or_insert(next);
        if l == next {
            self.prof.locations.push(Location {
                id: next as u64 + 1,
                mapping: Some(0),
                address: 0,
                lines: vec![Line {
                    function: f,
                    line,
                    column: 0,
                }],
                is_folded: false,
            });
        }
        l
    }

    /// The location of a root or pseudo-root frame.
    fn named(&mut self, name: &str) -> u32 {
        self.location(name, "", 0)
    }

    /// The location naming object `o`: its allocation site, else its size.
    fn object_location(&mut self, o: usize) -> u32 {
        let obj = self.dump.objects[o];
        let site = self.sites.of_object[o];
        if site != NO_SITE {
            if self.site_locations[site as usize] == NO_SITE {
                let s = &self.sites.sites[site as usize];
                let (function, file, line) = (s.function.clone(), s.file.clone(), s.line);
                self.site_locations[site as usize] = self.location(&function, &file, line);
            }
            return self.site_locations[site as usize];
        }
        if let Some(&l) = self.size_classes.get(&obj.size) {
            return l;
        }
        let l = self.named(&format!("(size class {}B)", obj.size));
        self.size_classes.insert(obj.size, l);
        l
    }

    /// The trie node of the one-frame stack `name`.
    fn root(&mut self, name: &str) -> u32 {
        let l = self.named(name);
        self.child(TOP, l)
    }

    /// The trie node of `parent`'s stack with `location` inside it.
    fn child(&mut self, parent: u32, location: u32) -> u32 {
        let next = self.trie.len() as u32;
        let c = *self.children.entry((parent, location)).or_insert(next);
        if c == next {
            self.trie.push((parent, location));
            self.depth.push(self.depth[parent as usize] + 1);
            self.totals.push((0, 0));
        }
        c
    }

    /// The stack of object `o` under `parent`: a run of objects allocated
    /// by one function is one frame, so chains (lists, rings, trees) stay
    /// shallow, and no stack grows past [`MAX_DEPTH`] frames.
    fn object_stack(&mut self, parent: u32, o: usize) -> u32 {
        let l = self.object_location(o);
        let function = |b: &Self, l: u32| b.prof.locations[l as usize].lines[0].function;
        if parent != TOP {
            let (_, above) = self.trie[parent as usize];
            if function(self, above) == function(self, l)
                || self.depth[parent as usize] >= MAX_DEPTH
            {
                return parent;
            }
        }
        self.child(parent, l)
    }

    fn add(&mut self, node: u32, bytes: u64) {
        let t = &mut self.totals[node as usize];
        t.0 += 1;
        t.1 += bytes as i64;
    }

    fn finish(mut self) -> Profile {
        for (node, &(objects, bytes)) in self.totals.iter().enumerate() {
            if objects == 0 {
                continue;
            }
            let mut locations = Vec::new();
            let mut n = node as u32;
            while n != TOP {
                let (parent, l) = self.trie[n as usize];
                locations.push(l);
                n = parent;
            }
            self.prof.samples.push(Sample {
                locations: locations.into(),
                values: smallvec::smallvec![objects, bytes],
                ..Default::default()
            });
        }
        self.prof.sample_types = vec![
            ValueType {
                kind: "retained_objects".into(),
                unit: "count".into(),
            },
            ValueType {
                kind: "retained_space".into(),
                unit: "bytes".into(),
            },
        ];
        self.prof.default_sample_type = "retained_space".into();
        self.prof.mappings.push(Mapping {
            id: 1,
            has_functions: true,
            has_filenames: true,
            has_line_numbers: true,
            ..Default::default()
        });
        self.prof
    }
}
