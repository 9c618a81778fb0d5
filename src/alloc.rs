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

/// Gives back to the OS what this thread's heap holds freed, including blocks other threads
/// freed for it ([`vault_reach::memory::give_back`] says when it is needed).
pub fn give_back() {
    // SAFETY: mimalloc collects the calling thread's own heap; it touches no memory of ours.
    unsafe { libmimalloc_sys::mi_collect(true) }
}

/// mimalloc commits the memory of an arena whole when it makes one, by default; committed as
/// it is used instead, a render at 30,000 notes peaks ~2 MiB lower at the same speed
/// (BENCHMARKS.md). The first arena is made by the first allocation, before `main`, so the
/// option is set by a constructor the loader runs before Rust's runtime starts.
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static COMMIT_AS_USED: extern "C" fn() = {
    extern "C" fn commit_as_used() {
        // `mi_option_arena_eager_commit`, 4 in v2 and v3 alike.
        const MI_OPTION_ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
        // SAFETY: sets one of mimalloc's options, an integer it reads when it makes an
        // arena; it touches no memory of ours, and nothing else runs yet.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_ARENA_EAGER_COMMIT, 0) }
    }
    commit_as_used
};
