//! non-send-closure, fixed: scoped threads borrow an `AtomicU64` (`&AtomicU64` is `Send`),
//! and the scope ends before `count` does, so no pointer outlives it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

fn main() {
    let count = AtomicU64::new(0);
    thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for _ in 0..1000 {
                    count.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
    });
    assert_eq!(count.into_inner(), 4000);
}
