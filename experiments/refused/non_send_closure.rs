//! # non-send-closure — a raw pointer smuggled into threads
//!
//! **Question.** Four threads each add 1 to a local `u64` a thousand times, through a
//! `*mut u64` the closure captures: a raw pointer has no lifetime for the borrow checker to
//! object to, and the writes sit in `unsafe`. Does the program build?
//!
//! **Expect.** The compiler refuses (E0277: `*mut u64` cannot be sent between threads
//! safely). `thread::spawn` takes only a closure that is `Send`, and a closure is `Send` only
//! if everything it captures is; raw pointers are not `Send`, because nothing says who else
//! may use what they point to. `unsafe` lets you dereference the pointer; it does not make
//! sending it safe. Were it allowed, four threads would race on one `u64` (lost updates,
//! undefined behaviour), and the pointer could outlive `count`.
//!
//! **The fix.** `non_send_closure.fixed.rs`: scoped threads that borrow an `AtomicU64` (or
//! move an owned, `Send` value into each thread and add up what they return).

use std::thread;

fn main() {
    let mut count = 0u64;
    let p: *mut u64 = &mut count; // no lifetime, no owner
    let mut handles = Vec::new();
    for _ in 0..4 {
        handles.push(thread::spawn(move || {
            for _ in 0..1000 {
                unsafe { *p += 1 } // four threads, one unsynchronised u64
            }
        }));
    }
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(count, 4000);
}
