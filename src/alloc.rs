//! The allocator and how it gives memory back: a policy of the binary, set before anything
//! else runs.

// Reading a vault allocates many small values (YAML, Markdown events) on all cores; mimalloc
// parsed a 30,000-note vault faster than the system allocator (BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc asks Linux for transparent huge pages, and the kernel then zeroes 2 MiB at a time,
/// most of it never used by a vault's many small values; turned off, a render spends less
/// time in the kernel and peaks lower (BENCHMARKS.md).
pub fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE only sets a flag of this process; it reads no memory of ours.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// mimalloc gives freed memory back to the OS 10 ms after it is freed, by default. In `watch`,
/// each pass frees what the last one built (index.md, its rows, its view) while the next
/// allocates its own, and the delayed pages added up: resident memory crept up edit after
/// edit. Given back at once, it holds level, for a little more time per pass. A one-shot
/// command frees the load's buffers (the cache's index and blocks, the walk's lists) before
/// it renders: given back at once, a render at 30,000 notes peaks ~11 MiB lower for ~4% of
/// its time (BENCHMARKS.md).
pub fn purge_at_once() {
    // `mi_option_purge_delay` in mimalloc.h (v2 and v3 alike, just before
    // `mi_option_use_numa_nodes` = 16); libmimalloc-sys does not name it.
    const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: sets one of mimalloc's options, an integer it reads when it purges; it touches
    // no memory of ours.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) }
}
