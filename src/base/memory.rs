//! How the process takes memory from the kernel. Transparent huge pages
//! make large profiles faster (a fault maps 2 MB instead of 4 kB) but give
//! even a tiny run megabytes of resident memory; small inputs do without.

/// Inputs up to this many bytes (on disk) run on small pages.
pub const SMALL_INPUT: u64 = 4 << 20;

/// Whether the kernel may back this process's memory with transparent
/// huge pages from now on (Linux; elsewhere nothing changes).
pub fn huge_pages(allowed: bool) {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integer arguments and only
    // sets a flag on the calling process.
    unsafe {
        libc::prctl(
            libc::PR_SET_THP_DISABLE,
            libc::c_ulong::from(!allowed),
            0,
            0,
            0,
        );
    }
    #[cfg(not(target_os = "linux"))]
    let _ = allowed;
}
