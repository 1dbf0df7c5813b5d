//! `race-lab play` as text and JSON: the final screen of a scripted game (`--moves`), and
//! the campaign's list of levels with the player's progress.

use super::envelope::{Envelope, Machine, OutcomeRow};
use crate::play::campaign::Progress;
use crate::play::game::{Game, Status};
use crate::play::screen::{Screen, Standing};
use crate::play::{self, Kind};
use crate::trace::thread_name;
use serde_json::json;
use std::io::{self, Write};

/// The screen as text, one part under the other.
pub fn screen(w: &mut dyn Write, s: &Screen) -> io::Result<()> {
    writeln!(w, "race-lab play {}", s.title)?;
    writeln!(w, "Goal: {}", s.goal)?;
    writeln!(w)?;
    writeln!(w, "Kernel")?;
    let threads = s.ready.len();
    for l in &s.kernel {
        if l.number == 0 {
            writeln!(w, "  {:w$}     ── {} ──", "", l.text, w = 3 * threads)?;
            continue;
        }
        let mut marks = String::new();
        for t in 0..threads {
            if l.here.contains(&t) {
                marks.push_str(&format!("T{t}▶"));
            } else {
                marks.push_str("   ");
            }
        }
        writeln!(w, "  {marks} {:>3} │ {}", l.number, l.text)?;
    }
    writeln!(w)?;
    writeln!(w, "Threads")?;
    for t in &s.threads {
        writeln!(w, "  {t}")?;
    }
    writeln!(w)?;
    writeln!(w, "Shared state")?;
    for l in &s.shared {
        writeln!(w, "  {l}")?;
    }
    writeln!(w)?;
    writeln!(w, "History ({} events)", s.history.len())?;
    for l in &s.history {
        writeln!(w, "  {l}")?;
    }
    writeln!(w)?;
    for l in &s.status {
        writeln!(w, "{l}")?;
    }
    Ok(())
}

/// The screen as text, in a string (the JSON carries it too).
fn screen_text(s: &Screen) -> String {
    let mut out = Vec::new();
    let _ = screen(&mut out, s);
    String::from_utf8_lossy(&out).into_owned()
}

/// The final position of a scripted game in the JSON family (`race-lab.play/2`).
pub fn json(w: &mut dyn Write, game: &mut Game, s: &Screen, moves: &str) -> io::Result<()> {
    let v = game.view.clone();
    let proof = game.proof().clone();
    let outcomes = match &v.grade {
        None => Vec::new(),
        Some((g, meaning)) => {
            let label = match (&v.outcome, &v.end) {
                (Some(o), _) => o.to_string(),
                (None, Some(_)) => v.ending().map_or("", |e| e.name()).to_string(),
                (None, None) => String::new(),
            };
            vec![OutcomeRow::new(
                v.outcome.clone(),
                label,
                1,
                *g,
                meaning.clone(),
            )]
        }
    };
    let threads: Vec<_> = v
        .workers
        .iter()
        .enumerate()
        .map(|(t, wk)| {
            let (status, waits) = match &wk.status {
                Status::Ready => ("ready", None),
                Status::Finished => ("finished", None),
                Status::Blocked(what) => ("blocked", Some(what.clone())),
            };
            json!({
                "thread": thread_name(t),
                "status": status,
                "waits_for": waits,
                "location": wk.at.as_ref().map(|(f, l)| format!("{f}:{l}")),
                "last_read": wk.last_read.as_ref().map(|(o, val)| json!({"object": o, "value": val})),
            })
        })
        .collect();
    let won = s.standing == Standing::Broken;
    Envelope::new("play")
        .params(json!({
            "experiment": game.exp.name,
            "threads": game.params.threads,
            "iters": game.params.iters,
            "moves": moves,
        }))
        .machine(Machine::with(Vec::new()))
        .outcomes(outcomes)
        .verdict(s.verdict.clone())
        .field("level", Kind::of(game.exp).name())
        .field("goal", &s.goal)
        .field("steps", game.steps())
        .field("ended", v.end.is_some())
        .field("end", v.ending().map(|e| e.name()))
        .field("won", won)
        .field("threads", threads)
        .field(
            "shared",
            v.shared
                .iter()
                .map(|(n, st)| json!({"name": n, "state": st}))
                .collect::<Vec<_>>(),
        )
        .field(
            "history",
            v.events.iter().map(|e| e.describe()).collect::<Vec<_>>(),
        )
        .field("schedule", crate::schedule::format(&v.schedule))
        .field("replay", won.then(|| game.replay_line()))
        .field("classes", proof.classes)
        .field("failing_classes", proof.failing)
        .field("complete", proof.complete)
        .field("shortest", proof.shortest)
        .field("unbreakable", proof.unbreakable())
        .field("screen", screen_text(s))
        .write(w)
}

/// The campaign: every level in teaching order with the player's progress.
pub fn levels(w: &mut dyn Write, progress: &Progress, path: Option<&str>) -> io::Result<()> {
    writeln!(
        w,
        "race-lab play — you are the scheduler. Levels, in teaching order:"
    )?;
    writeln!(w)?;
    for (i, e) in play::levels().iter().enumerate() {
        let r = progress.levels.get(e.name).cloned().unwrap_or_default();
        let mark = match (Kind::of(e), r.won, r.played) {
            (_, true, _) => format!("broken (best {} steps)", r.best.unwrap_or(0)),
            (Kind::Fix, false, n) if n > 0 => {
                format!("held {n} time{}", if n == 1 { "" } else { "s" })
            }
            (_, false, n) if n > 0 => "tried".to_string(),
            _ => String::new(),
        };
        let what = match Kind::of(e) {
            Kind::Bug => "break it",
            Kind::Fix => "a fix: try to break it",
        };
        let size = e.play_size().unwrap_or(e.proof);
        let line = format!(
            "  {:>2}. {:<18} {}×{}  {:<24} {}",
            i + 1,
            e.name,
            size.threads,
            size.iters,
            what,
            mark
        );
        writeln!(w, "{}", line.trim_end())?;
    }
    writeln!(w)?;
    writeln!(
        w,
        "Start one: race-lab play <level>   (race-lab play --reset forgets the progress)"
    )?;
    if let Some(p) = path {
        writeln!(w, "Progress: {p}")?;
    }
    Ok(())
}
