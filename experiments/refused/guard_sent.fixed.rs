//! guard-sent, fixed: the threads share the `Mutex` itself (`&Mutex` is `Send`) and each
//! takes and drops its own guard, so every lock is released by the thread that took it.

use std::sync::Mutex;
use std::thread;

fn main() {
    let total = Mutex::new(0u64);
    thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for _ in 0..1000 {
                    *total.lock().unwrap() += 1; // lock, add, unlock: all in this thread
                }
            });
        }
    });
    assert_eq!(total.into_inner().unwrap(), 4000);
}
