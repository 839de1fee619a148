//! The binary given before the sources (`pprof-graph BINARY SOURCE`): how
//! it is recognised, and the names of its globals for heap dumps.

use crate::base::write::describe_io;
use crate::profile::heapdump::retention::GlobalNames;
use object::{Object, ObjectSymbol, SymbolKind};
use std::io::Read;

/// Whether `path` is an executable or object file (ELF, Mach-O, PE), as
/// pprof decides whether its first of several arguments is the binary.
pub fn is_object_file(path: &str) -> bool {
    let mut magic = [0u8; 4];
    let Ok(mut f) = std::fs::File::open(path) else {
        return false;
    };
    if f.read_exact(&mut magic).is_err() {
        return false;
    }
    magic == *b"\x7fELF"
        || matches!(
            u32::from_le_bytes(magic),
            0xfeed_face | 0xfeed_facf | 0xcefa_edfe | 0xcffa_edfe
        )
        || magic[..2] == *b"MZ"
}

/// The data symbols of the binary at `path`: what names a heap dump's
/// global roots.
pub fn global_names(path: &str) -> Result<GlobalNames, String> {
    let data = std::fs::read(path).map_err(|e| format!("{path}: {}", describe_io(&e)))?;
    let file = object::File::parse(&*data).map_err(|e| format!("{path}: reading symbols: {e}"))?;
    let symbols: Vec<(u64, u64, String)> = file
        .symbols()
        .filter(|s| s.kind() == SymbolKind::Data)
        .filter_map(|s| Some((s.address(), s.size(), s.name().ok()?.to_string())))
        .collect();
    if symbols.is_empty() {
        return Err(format!("{path}: no symbol table to name globals with"));
    }
    Ok(GlobalNames::new(symbols))
}
