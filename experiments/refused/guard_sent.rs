//! # guard-sent — a lock taken by one thread, released by another
//!
//! **Question.** The main thread locks a `Mutex<u64>` and moves the `MutexGuard` into a
//! scoped thread, which adds 1 and drops the guard, unlocking the mutex. The borrow is
//! fine (the scope outlives the thread); is the handover?
//!
//! **Expect.** The compiler refuses (E0277: `std::sync::MutexGuard<'_, u64>` cannot be sent
//! between threads safely). A spawned closure must be `Send`, and `MutexGuard` is not: a
//! guard must be dropped, so the lock released, by the thread that took it. std's `Mutex`
//! may sit on the platform's lock, and POSIX makes unlocking a `pthread_mutex` from a thread
//! that does not hold it undefined behaviour (an error-checking mutex refuses it). Were it
//! allowed, the program might work on one OS and leave the lock corrupt on another.
//!
//! **The fix.** `guard_sent.fixed.rs`: send the `Mutex` (or a reference to it), not the
//! guard; each thread locks, and unlocks, inside itself.

use std::sync::Mutex;
use std::thread;

fn main() {
    let total = Mutex::new(0u64);
    thread::scope(|s| {
        let mut guard = total.lock().unwrap(); // locked by the main thread
        s.spawn(move || {
            *guard += 1; // ...and unlocked, when `guard` drops, by this one
        });
    });
    assert_eq!(*total.lock().unwrap(), 1);
}
