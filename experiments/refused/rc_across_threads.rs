//! # rc-across-threads — an `Rc` handed to other threads
//!
//! **Question.** Four threads each get a clone of an `Rc<Vec<u64>>` and read one entry of
//! the vector; nobody writes it. Can `Rc` share it between threads?
//!
//! **Expect.** The compiler refuses (E0277: `Rc<Vec<u64>>` cannot be sent between threads
//! safely). `thread::spawn` takes only a closure that is `Send`, and a closure holding an
//! `Rc` is not: `Rc` leaves `Send` out on purpose. The vector is only read, but the reference
//! count is written: every clone adds 1 and every drop subtracts 1 with a plain load and
//! store. Were it allowed, threads dropping their clones while the main thread clones could
//! lose an update of the count: lose a decrement and the vector leaks; lose an increment
//! and it is freed while a thread still reads it (a use-after-free).
//!
//! **The fix.** `rc_across_threads.fixed.rs`: an `Arc`, whose count is an atomic. Were the
//! threads to write the shared value too, it would be `Arc<AtomicU64>` or `Arc<Mutex<…>>`.

use std::rc::Rc;
use std::thread;

fn main() {
    let table = Rc::new(vec![1u64, 2, 3, 4]);
    let mut handles = Vec::new();
    for i in 0..4 {
        let table = Rc::clone(&table); // count + 1: a plain load and store
        handles.push(thread::spawn(move || table[i] * 10));
    }
    let sum: u64 = handles.into_iter().map(|h| h.join().unwrap()).sum();
    assert_eq!(sum, 100);
}
