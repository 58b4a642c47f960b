//! Deep recursion on any thread.
//!
//! Every recursive walk in this crate (reviving, encoding, printing,
//! comparing, the serde layer) is bounded by `Limits::max_depth`, but how
//! much stack a level takes depends on the build: an unoptimized build can
//! use ten times what a release build does, and a tokio worker thread has
//! 2 MiB. So each level goes through `deep`, which uses `stacker` (the crate
//! rustc uses for the same job) to continue on a new heap-allocated stack
//! segment when less than `RED_ZONE` remains, and the depth limit, not the
//! thread's stack size, decides how deep a value may be.

/// Stack that must remain before a level runs on the current segment.
const RED_ZONE: usize = 128 * 1024;
/// The size of each new segment.
const SEGMENT: usize = 2 * 1024 * 1024;

/// Run `f`, on a fresh stack segment if this one is nearly used up.
#[inline]
pub(crate) fn deep<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(RED_ZONE, SEGMENT, f)
}
