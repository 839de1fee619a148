//! How the process takes memory from the kernel. Transparent huge pages
//! save page faults on large profiles, but give even a tiny run megabytes
//! of resident memory, round every run's peak up by megabytes, and make
//! some runs several times slower than others (the kernel compacting
//! memory to find huge pages: `-top` of the corpus's widegraph heap took
//! 0.17–0.68 s with them, 0.20–0.30 s without); every front end runs
//! without them.

/// Asks the kernel not to back this process's memory with transparent huge
/// pages from now on (Linux; elsewhere nothing changes).
pub fn small_pages_only() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integer arguments and only
    // sets a flag on the calling process.
    unsafe {
        let (on, unused): (libc::c_ulong, libc::c_ulong) = (1, 0);
        libc::prctl(libc::PR_SET_THP_DISABLE, on, unused, unused, unused);
    }
}

/// Gives the memory freed so far back to the kernel now, instead of after
/// the allocator's delay: between stages, so that the next one's peak
/// does not stand on the last one's leftovers.
pub fn return_freed() {
    // SAFETY: mi_collect only walks the allocator's own free lists.
    unsafe { libmimalloc_sys::mi_collect(true) };
}
