//! Memory that a long-running command's threads freed, given back to the system between
//! its passes. Which allocator runs is the binary's choice, so the binary says how one
//! thread gives back what it holds ([`set_give_back`]); `watch` asks every thread of the
//! pool to after each pass ([`give_back`]).

use std::sync::OnceLock;

static GIVE_BACK: OnceLock<fn()> = OnceLock::new();

/// Sets how a thread gives back what its allocator holds freed. The binary calls it once,
/// before a command runs; without it, [`give_back`] does nothing.
pub fn set_give_back(give_back: fn()) {
    let _ = GIVE_BACK.set(give_back);
}

/// Every thread of the pool, then this one, gives back what it holds freed. A block freed
/// by another thread than the one that allocated it (the pool builds a pass's rows and
/// reads, the main thread drops them) goes back to its page only when the thread that
/// allocated it next allocates or collects, and a pool thread idle until the next edit
/// does neither: its pages stay resident, pass after pass.
pub fn give_back() {
    if let Some(&give_back) = GIVE_BACK.get() {
        rayon::broadcast(|_| give_back());
        give_back();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    static CALLS: AtomicUsize = AtomicUsize::new(0);

    #[test]
    fn every_thread_of_the_pool_and_the_caller_give_back() {
        give_back();
        assert_eq!(
            CALLS.load(Ordering::SeqCst),
            0,
            "nothing set, nothing called"
        );
        set_give_back(|| {
            CALLS.fetch_add(1, Ordering::SeqCst);
        });
        give_back();
        assert_eq!(
            CALLS.load(Ordering::SeqCst),
            rayon::current_num_threads() + 1
        );
    }
}
