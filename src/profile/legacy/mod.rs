//! The legacy formats pprof still reads, tried when a file is not a
//! profile.proto, one module per format: the gperftools binary CPU format
//! (C++ and Java, [`cpu`]), text heap profiles (Go's debug=1, heapz,
//! growthz, fragmentationz, [`heap`]), Go count profiles ([`count`]),
//! thread profiles ([`thread`]), contention profiles ([`contention`]) and
//! Java heapz/contentionz profiles ([`java`]), with what they share in
//! [`common`].

mod common;
mod contention;
mod count;
mod cpu;
mod heap;
mod java;
mod thread;

use super::Profile;

/// Why a legacy parse failed: not this format, or a broken one.
#[derive(Debug)]
pub enum LegacyError {
    /// Not a format we read.
    Unrecognized,
    /// The format, but broken.
    Malformed(String),
}

/// A parser of one legacy text format.
type TextParser = fn(&str) -> Result<Profile, LegacyError>;

/// Tries the legacy parsers pprof tries, in its order: the binary CPU
/// format (C++ and Java), text heap profiles, Go count profiles
/// (goroutine, threadcreate), thread profiles, contention profiles, Java
/// heapz/contentionz profiles.
pub fn parse(data: &[u8]) -> Result<Profile, LegacyError> {
    let mut p = match cpu::parse_cpu(data) {
        Err(LegacyError::Unrecognized) => {
            let text = std::str::from_utf8(data).map_err(|_| LegacyError::Unrecognized)?;
            let parsers: [TextParser; 5] = [
                heap::parse_heap,
                count::parse_go_count,
                thread::parse_thread,
                contention::parse_contention,
                java::parse_java,
            ];
            let mut result = Err(LegacyError::Unrecognized);
            for parser in parsers {
                match parser(text) {
                    Err(LegacyError::Unrecognized) => continue,
                    r => {
                        result = r;
                        break;
                    }
                }
            }
            result?
        }
        r => r?,
    };
    common::add_legacy_frame_info(&mut p);
    Ok(p)
}
