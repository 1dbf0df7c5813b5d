//! The scheduled world's coroutines: stackful (the `generator` crate, which loom uses too),
//! pooled per OS thread, each parked at the top of a job loop between runs; a kernel's thread
//! hands the turn back with [`suspend`] from any call depth.

use std::cell::{Cell, RefCell};

/// A coroutine's work: a thread's body, with its result sent through a slot.
pub(in crate::rt) type Job = Box<dyn FnOnce() + Send>;

/// The handle a coroutine yields through (generator's scoped API). Its `'scope` is really
/// the lifetime of the coroutine's body: the handle is reached through raw pointers (see
/// [`CURRENT`]), and every borrow made through one ends before that body does.
type Scope = generator::Scope<'static, 'static, Job, ()>;

/// Stack size of a coroutine, in words (512 KiB: unwinding a panic needs room; untouched
/// pages cost nothing).
const STACK_WORDS: usize = 0x1_0000;

/// A pooled coroutine: a generator whose body runs jobs in a loop, and the address of that
/// body's [`Scope`], through which [`suspend`] yields from any depth.
pub(in crate::rt) struct Coroutine {
    gen: generator::Generator<'static, Job, ()>,
    /// The `scope` local of the generator's body, published by the body on its first
    /// resume. The body never returns, so it stays valid unless the body unwinds.
    scope: *mut (),
}

/// Idle coroutines of this OS thread, each parked at the top of its job loop.
struct Pool(Vec<Coroutine>);

impl Drop for Pool {
    fn drop(&mut self) {
        // At thread exit the generator crate's own thread-locals may already be gone, so a
        // parked coroutine cannot be resumed to unwind: its stack is left to the process.
        for c in self.0.drain(..) {
            std::mem::forget(c);
        }
    }
}

thread_local! {
    static POOL: RefCell<Pool> = const { RefCell::new(Pool(Vec::new())) };
    /// Workers spawned during the current step, started by the executor after it.
    pub(super) static SPAWNED: RefCell<Vec<(usize, Job)>> = const { RefCell::new(Vec::new()) };
    /// The token that lets one borrow of a coroutine's [`Scope`] be made: that scope's
    /// address, or null. The rules every `unsafe` here relies on:
    /// - It is here only while its coroutine runs (is resumed and has not yielded back or
    ///   finished), so the body's frame holding the scope is live. It is put here by
    ///   [`Coroutine::enter`] for the span of one resume of an unfinished coroutine
    ///   (putting back what was here when the resume returns or unwinds), and by a new
    ///   body on entry, inside such a resume; a body that unwinds takes it with it.
    /// - Whoever borrows the scope (the body's loop, [`suspend`]) first takes the token out,
    ///   leaving null, and the borrow ends when the yield it is made for returns. A
    ///   coroutine is suspended only in such a yield, and `enter` puts the token back only
    ///   to resume it, whereupon that yield returns before the coroutine runs anything else.
    ///
    /// So at most one borrow of a scope is live at a time.
    static CURRENT: Cell<*mut ()> = const { Cell::new(std::ptr::null_mut()) };
    /// Where a new coroutine's body hands the address of its scope to [`Coroutine::new`].
    static FRESH: Cell<*mut ()> = const { Cell::new(std::ptr::null_mut()) };
}

/// Puts [`CURRENT`] back as it was before a resume, even if the resume unwinds.
struct Restore(*mut ());

impl Drop for Restore {
    fn drop(&mut self) {
        CURRENT.set(self.0);
    }
}

/// Guards a coroutine body's frame: if that frame is ever left, its scope must not still be
/// borrowed from elsewhere. It is left only by unwinding, which does not happen: every job
/// catches its own panics, and no coroutine is cancelled (the generator crate cancels one
/// when it is dropped unfinished, but an unfinished coroutine is only ever pooled, left to
/// the process by [`Pool`], or dropped while its thread panics, when the crate leaks it).
struct Frame(*mut ());

impl Drop for Frame {
    fn drop(&mut self) {
        if CURRENT.replace(std::ptr::null_mut()) != self.0 {
            lost_token();
        }
    }
}

/// A coroutine's token is not where it should be: a borrow of its scope may be live that
/// did not come from its own stack (a `suspend` from inside another kind of generator the
/// coroutine resumed). Neither yielding through the scope nor freeing it would be sound.
#[cold]
fn lost_token() -> ! {
    eprintln!("race-lab: a scheduled coroutine's yield handle is borrowed elsewhere; aborting");
    std::process::abort()
}

impl Coroutine {
    /// A new coroutine, run once so that it publishes its scope and parks at the top of
    /// its job loop, like a pooled one.
    fn new() -> Self {
        let gen = generator::Gn::<Job>::new_scoped_opt(STACK_WORDS, |mut scope| {
            // `scope` stays in this frame, at this address, until the frame ends; it is
            // used only through `s` and copies of it, never directly again.
            let s = &raw mut scope;
            let _frame = Frame(s.cast());
            FRESH.set(s.cast());
            // The body runs, inside the resume `Coroutine::new` makes: it holds its token.
            CURRENT.set(s.cast());
            loop {
                if CURRENT.replace(std::ptr::null_mut()) != s.cast() {
                    lost_token();
                }
                // SAFETY: `s` points at `scope`, live for as long as this loop runs. The
                // body has just taken the token, so by `CURRENT`'s rules no other borrow
                // of the scope is live; this one ends when `yield_` returns.
                if let Some(job) = unsafe { (*s).yield_(()) } {
                    job(); // never unwinds: every job catches its own panics
                }
            }
        });
        let mut c = Coroutine {
            gen,
            scope: std::ptr::null_mut(),
        };
        c.enter(|g| g.resume());
        c.scope = FRESH.replace(std::ptr::null_mut());
        assert!(!c.scope.is_null(), "a new coroutine published its scope");
        c
    }

    /// Runs `f` (a resume of this coroutine) with its token in [`CURRENT`].
    #[inline]
    fn enter<R>(&mut self, f: impl FnOnce(&mut generator::Generator<'static, Job, ()>) -> R) -> R {
        // A finished coroutine runs nothing when resumed, and its scope is gone.
        let token = if self.gen.is_done() {
            std::ptr::null_mut()
        } else {
            self.scope
        };
        let _restore = Restore(CURRENT.replace(token));
        f(&mut self.gen)
    }

    /// Starts `job` on this coroutine (parked at the top of its job loop) and runs it up to
    /// its first decision point.
    pub(in crate::rt) fn start(&mut self, job: Job) {
        self.enter(|g| g.raw_send(Some(job)));
    }

    /// Runs this coroutine from the decision point it waits at up to its next one.
    pub(in crate::rt) fn resume(&mut self) {
        self.enter(|g| g.resume());
    }
}

pub(in crate::rt) fn coroutine() -> Coroutine {
    POOL.with(|p| p.borrow_mut().0.pop())
        .unwrap_or_else(Coroutine::new)
}

pub(in crate::rt) fn recycle(c: Coroutine) {
    if !c.gen.is_done() {
        POOL.with(|p| p.borrow_mut().0.push(c));
    }
}

/// Hands the turn back to the executor (called by a coroutine at a decision point).
pub(in crate::rt) fn suspend() {
    let scope = CURRENT.replace(std::ptr::null_mut()).cast::<Scope>();
    assert!(!scope.is_null(), "suspend outside a scheduled coroutine");
    // SAFETY: by `CURRENT`'s rules, the token just taken belongs to a coroutine that is
    // running, so its body's frame, and the scope in it, is live; that frame is left only
    // by unwinding, which `Frame` turns into an abort while this borrow holds the token.
    // Taking the token makes this the only live borrow of the scope; it ends when
    // `yield_with` returns. The `'static` in [`Scope`] is never relied on.
    unsafe { (*scope).yield_with(()) };
}

/// Registers a worker spawned by the running thread; it starts after the current step.
pub(in crate::rt) fn spawn(id: usize, job: Job) {
    SPAWNED.with(|s| s.borrow_mut().push((id, job)));
}
