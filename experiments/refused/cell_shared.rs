//! # cell-shared — a `Cell` counter shared by threads
//!
//! **Question.** Four scoped threads each add 1 to a shared `Cell<u64>`, a thousand times:
//! `hits.set(hits.get() + 1)`. A `Cell` may be changed through a shared reference; is that
//! enough to share it between threads?
//!
//! **Expect.** The compiler refuses (E0277: `Cell<u64>` cannot be shared between threads
//! safely). A spawned closure must be `Send`; this one holds a `&Cell<u64>`, and `&T` is
//! `Send` only when `T` is `Sync`, which `Cell` is not: its `get` and `set` are a plain load
//! and a plain store, with nothing to keep two threads apart. Were it allowed, this would be
//! the `unsynced` experiment: a data race (undefined behaviour), and updates lost between
//! one thread's `get` and its `set`, so a total below 4000.
//!
//! **The fix.** `cell_shared.fixed.rs`: an `AtomicU64` and `fetch_add`, one indivisible
//! read-modify-write.

use std::cell::Cell;
use std::thread;

fn main() {
    let hits = Cell::new(0u64);
    thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for _ in 0..1000 {
                    hits.set(hits.get() + 1); // a load, then a store: not one step
                }
            });
        }
    });
    assert_eq!(hits.get(), 4000);
}
