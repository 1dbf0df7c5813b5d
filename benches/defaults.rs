//! How long `race-lab explore <exp>` takes with no flags (the proof size, in the world that
//! decides it) for every thread experiment: the goal is under 10 s each on 2 cores.
//! `cargo bench --bench defaults` (after `cargo build --release`).

use std::process::Command;
use std::time::Instant;

fn main() {
    println!(
        "{:<22} {:<9} {:>5} {:>10} {:>8}  verdict",
        "experiment", "world", "size", "executions", "seconds"
    );
    let mut slowest = (0.0_f64, "");
    for exp in race_lab::experiments::all() {
        let started = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_race-lab"))
            .args(["explore", exp.name, "--json"])
            .output()
            .expect("the binary runs");
        let secs = started.elapsed().as_secs_f64();
        let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
        let verdict = r["verdict"].as_str().unwrap_or("(no report)");
        println!(
            "{:<22} {:<9} {:>2}x{:<2} {:>10} {:>8.2}  {}",
            exp.name,
            r["world"].as_str().unwrap_or("?"),
            r["params"]["threads"],
            r["params"]["iters"],
            r["executions"],
            secs,
            verdict.chars().take(70).collect::<String>()
        );
        if secs > slowest.0 {
            slowest = (secs, exp.name);
        }
    }
    println!(
        "slowest: {} in {:.2} s (goal: under 10 s)",
        slowest.1, slowest.0
    );
}
