//! PCT, probabilistic concurrency testing (Burckhardt et al., "A Randomized Scheduler with
//! Probabilistic Guarantees of Finding Bugs", ASPLOS 2010), as shuttle implements it.
//!
//! Every worker gets a random distinct priority, the highest-priority worker that can
//! proceed runs, and at `depth - 1` random decision points the worker that was running
//! drops below all others. A bug that needs `d` ordering constraints is found with
//! probability at least 1 / (n · k^(d-1)) per run, for n workers and k decisions — far
//! better than uniform random choice for deep bugs.

/// The PCT chooser of one run.
pub struct Pct {
    priority: Vec<u64>,
    change_points: Vec<u64>,
    step: u64,
}

impl Pct {
    /// A PCT scheduler for `threads` workers, about `steps` decisions and bug depth `depth`,
    /// drawn from `seed`.
    pub fn new(threads: usize, steps: u64, depth: usize, seed: u64) -> Self {
        let mut rng = SplitMix(seed);
        let d = depth.max(1) as u64;
        // Distinct initial priorities d..d+n, shuffled (Fisher–Yates).
        let mut priority: Vec<u64> = (0..threads as u64).map(|i| d + i).collect();
        for i in (1..priority.len()).rev() {
            let j = (rng.draw() % (i as u64 + 1)) as usize;
            priority.swap(i, j);
        }
        let change_points = (0..d - 1).map(|_| 1 + rng.draw() % steps.max(1)).collect();
        Pct {
            priority,
            change_points,
            step: 0,
        }
    }

    /// Picks among `eligible` (never empty); `last` is the worker that ran last, and
    /// `yielded` says it gave its turn away (then another worker goes, if one can).
    pub fn choose(&mut self, eligible: &[usize], last: Option<usize>, yielded: bool) -> usize {
        self.step += 1;
        if let (Some(j), Some(l)) = (
            self.change_points.iter().position(|&c| c == self.step),
            last,
        ) {
            // The j-th change point (0-based): the running worker drops to d - 2 - j, below
            // every initial priority (d and up) and below every earlier change point's.
            self.priority[l] = (self.change_points.len() - j) as u64 - 1;
        }
        let pool: Vec<usize> = match last {
            Some(l) if yielded && eligible.len() > 1 => {
                eligible.iter().copied().filter(|&t| t != l).collect()
            }
            _ => eligible.to_vec(),
        };
        *pool
            .iter()
            .max_by_key(|&&t| self.priority[t])
            .unwrap_or(&eligible[0])
    }
}

/// A small deterministic generator (SplitMix64) for the schedulers' draws.
pub struct SplitMix(pub u64);

impl SplitMix {
    pub fn draw(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform draw below `n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.draw() % n as u64) as usize
    }
}
