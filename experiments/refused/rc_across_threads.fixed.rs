//! rc-across-threads, fixed: `Arc` counts its clones with an atomic, so it is `Send` and
//! `Sync` (for a `Send + Sync` value) and the threads may share the vector.

use std::sync::Arc;
use std::thread;

fn main() {
    let table = Arc::new(vec![1u64, 2, 3, 4]);
    let mut handles = Vec::new();
    for i in 0..4 {
        let table = Arc::clone(&table); // count + 1: one atomic fetch_add
        handles.push(thread::spawn(move || table[i] * 10));
    }
    let sum: u64 = handles.into_iter().map(|h| h.join().unwrap()).sum();
    assert_eq!(sum, 100);
    assert_eq!(
        Arc::strong_count(&table),
        1,
        "every thread's clone is dropped"
    );
}
