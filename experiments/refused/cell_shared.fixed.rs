//! cell-shared, fixed: an `AtomicU64` is `Sync`, and `fetch_add` reads, adds and writes in
//! one indivisible step, so no update is lost.

use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

fn main() {
    let hits = AtomicU64::new(0);
    thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for _ in 0..1000 {
                    hits.fetch_add(1, Ordering::Relaxed); // one step
                }
            });
        }
    });
    assert_eq!(hits.into_inner(), 4000);
}
