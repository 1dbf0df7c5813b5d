//! How an experiment is declared: [`experiment!`](crate::experiment!) fills what the file
//! already says — its name (the file's, in kebab case), its source (the file itself, for the
//! lesson) and its kernel (the file's `kernel`, monomorphised for each world) — and refuses
//! at compile time a declaration without the fields every experiment must state.
//!
//! ```
//! use race_lab::prelude::*;
//! pub const EXPERIMENT: Experiment = race_lab::experiment! {
//!     summary: "fetch_add, as the lesson says",
//!     class: Class::Fixed,
//!     options: &[Opt::Ordering],
//! };
//! pub fn kernel<R: Rt>(p: &Params) -> Run {
//!     let c = Arc::new(R::AtomicU64::new(0));
//!     let (_, elapsed) = workers::<R, _>(p, &c, |c, _| {
//!         c.fetch_add(1, Ordering::Relaxed);
//!         0
//!     });
//!     Run::of(Outcome::value(c.load(Ordering::SeqCst)), elapsed)
//! }
//! # fn main() { assert_eq!(EXPERIMENT.name, "rust-out"); }
//! ```
//!
//! The same declaration without its `class:` (what kind of experiment it is) does not
//! compile:
//!
//! ```compile_fail
//! use race_lab::prelude::*;
//! pub const EXPERIMENT: Experiment = race_lab::experiment! {
//!     summary: "fetch_add, as the lesson says",
//!     options: &[Opt::Ordering],
//! };
//! pub fn kernel<R: Rt>(p: &Params) -> Run {
//!     let c = Arc::new(R::AtomicU64::new(0));
//!     let (_, elapsed) = workers::<R, _>(p, &c, |c, _| {
//!         c.fetch_add(1, Ordering::Relaxed);
//!         0
//!     });
//!     Run::of(Outcome::value(c.load(Ordering::SeqCst)), elapsed)
//! }
//! # fn main() {}
//! ```

use super::{Class, Experiment, Params, Play, Run, Size, Worlds};

/// The kernel instantiated in each world.
#[derive(Clone, Copy)]
pub struct Kernels {
    pub native: fn(&Params) -> Run,
    pub loom: fn(&Params) -> Run,
    pub sched: fn(&Params) -> Run,
    pub rc11: fn(&Params) -> Run,
}

/// `kernels!(kernel)`: the one generic kernel, monomorphised for each world.
#[macro_export]
macro_rules! kernels {
    ($k:ident) => {
        $crate::experiment::Kernels {
            native: $k::<$crate::rt::Native>,
            loom: $k::<$crate::rt::Loom>,
            sched: $k::<$crate::rt::Sched>,
            rc11: $k::<$crate::rt::Rc11>,
        }
    };
}

/// Declares an experiment. What the file already says is filled in: the name (the module's,
/// `lazy_init_once` → `lazy-init-once`), the source (this file) and the kernels (the
/// module's `fn kernel`). Then, in this order: an optional `base:` (a partial declaration
/// several experiments share, e.g. `base: super::peterson::PETERSON,`), an optional
/// `family:`, the required `summary:` and `class:`, and any other [`Experiment`] fields.
/// A file that declares several experiments names each one and its kernel first:
/// `experiment! { name: "cas-lock", kernel: cas_lock, … }`.
#[macro_export]
macro_rules! experiment {
    (name: $name:expr, kernel: $k:ident, $($rest:tt)*) => {
        $crate::experiment!(@fields ($name) $k; $($rest)*)
    };
    (@fields ($name:expr) $k:ident;
        $(base: $base:expr,)?
        $(family: $family:expr,)?
        summary: $summary:expr,
        class: $class:expr
        $(, $field:ident : $value:expr)*
        $(,)?
    ) => {
        $crate::experiment::Experiment {
            name: $name,
            $(family: $family,)?
            summary: $summary,
            class: $class,
            $($field: $value,)*
            source: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/", file!())),
            path: $crate::experiment::repo_path(file!()),
            kernels: $crate::kernels!($k),
            ..$crate::experiment!(@base $($base)?)
        }
    };
    (@fields $($rest:tt)*) => {
        compile_error!("an experiment states, in this order: [base: B,] [family: \"…\",] summary: \"…\", class: Class::…, then any other fields")
    };
    (@base $base:expr) => { $base };
    (@base) => { $crate::experiment::Experiment::DEFAULTS };
    ($($rest:tt)*) => {
        $crate::experiment!(@fields ({
            const PATH: &str = module_path!();
            const NAME: [u8; $crate::experiment::kebab_len(PATH)] =
                $crate::experiment::kebab_stem(PATH);
            match ::core::str::from_utf8(&NAME) {
                Ok(name) => name,
                Err(_) => panic!("a module path is UTF-8"),
            }
        }) kernel; $($rest)*)
    };
}

/// A source file's path from the repository's root: `file!()` of a catalogue file says
/// `src/../experiments/x.rs` (the catalogue is mounted from `src/lib.rs`); this says
/// `experiments/x.rs`.
pub const fn repo_path(file: &'static str) -> &'static str {
    const MOUNT: &[u8] = b"src/../";
    let b = file.as_bytes();
    if b.len() < MOUNT.len() {
        return file;
    }
    let mut i = 0;
    while i < MOUNT.len() {
        if b[i] != MOUNT[i] {
            return file;
        }
        i += 1;
    }
    match core::str::from_utf8(b.split_at(MOUNT.len()).1) {
        Ok(rest) => rest,
        Err(_) => file,
    }
}

/// The length of a module path's last segment (`race_lab::experiments::lazy_init` → 9).
pub const fn kebab_len(path: &str) -> usize {
    let b = path.as_bytes();
    let mut i = b.len();
    while i > 0 && b[i - 1] != b':' {
        i -= 1;
    }
    b.len() - i
}

/// A module path's last segment in kebab case (`lazy_init` → `lazy-init`): an experiment's
/// name, from its file.
pub const fn kebab_stem<const N: usize>(path: &str) -> [u8; N] {
    let b = path.as_bytes();
    let mut out = [0u8; N];
    let start = b.len() - N;
    let mut i = 0;
    while i < N {
        out[i] = if b[start + i] == b'_' {
            b'-'
        } else {
            b[start + i]
        };
        i += 1;
    }
    out
}

fn no_kernel(_: &Params) -> Run {
    panic!("a partial declaration (a base) has no kernel: declare experiments with experiment!")
}

impl Experiment {
    /// What every field means when an experiment does not say: a counter with
    /// `--threads`/`--iters` only, 8 × 100,000 natively, proved and played at 2 × 2. The base
    /// of [`experiment!`](crate::experiment!), which always fills the name, source and kernels.
    pub const DEFAULTS: Experiment = Experiment {
        name: "",
        family: "counters",
        summary: "",
        class: Class::Fixed,
        threads: (1, usize::MAX),
        atomics: &[],
        locks: &[],
        bug_shows_in: Worlds::NONE,
        proof: Size {
            threads: 2,
            iters: 2,
        },
        rc11_census: None,
        loom_false_alarm: false,
        loom_limit: None,
        hang_spins: false,
        witnessed: false,
        play: Play::AtProofSize,
        goal: None,
        judge: None,
        options: &[],
        metric: None,
        default_threads: 8,
        default_iters: 100_000,
        source: "",
        path: "",
        kernels: Kernels {
            native: no_kernel,
            loom: no_kernel,
            sched: no_kernel,
            rc11: no_kernel,
        },
    };
}
