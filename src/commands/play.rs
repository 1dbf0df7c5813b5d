//! `race-lab play`: you are the scheduler. With a level, the full-screen game on a terminal,
//! or — with `--moves` — the moves played without one and the final screen printed (text
//! or JSON; a scripted game leaves the progress alone). Without a level, the campaign: the levels in teaching order and your progress.

use super::validate::{self, Limits};
use super::{Common, Exit};
use crate::error::{LabError, Result};
use crate::play::campaign;
use crate::play::game::{parse_moves, Game, Move};
use crate::play::screen::Screen;
use crate::report;
use clap::Args;
use std::io::{IsTerminal, Write};

#[derive(Args, Debug)]
pub struct PlayArgs {
    /// The level: an experiment (without one: the list of levels and your progress).
    pub experiment: Option<String>,
    /// Worker threads (default: the level's play size).
    #[arg(long, short = 't')]
    pub threads: Option<usize>,
    /// Iterations per thread (default: the level's play size).
    #[arg(long, short = 'i')]
    pub iters: Option<u64>,
    /// Play without a terminal: thread numbers (each steps that thread by one visible
    /// operation) and `u` (undo), separated by commas; prints the final screen.
    #[arg(long, allow_hyphen_values = true)]
    pub moves: Option<String>,
    /// With --moves: print JSON (schema race-lab.play/2) instead of the screen.
    #[arg(long)]
    pub json: bool,
    /// Forget the campaign's progress.
    #[arg(long)]
    pub reset: bool,
}

/// The most threads and iterations a level is played at: a person steps every operation.
const MAX_THREADS: usize = 6;
const MAX_ITERS: u64 = 20;

pub fn execute(a: &PlayArgs, out: &mut dyn Write) -> Result<Exit> {
    if a.reset {
        if a.experiment.is_some() || a.moves.is_some() {
            return Err(LabError::usage("--reset takes no level and no moves"));
        }
        match campaign::reset()? {
            Some(p) => writeln!(out, "progress cleared ({})", p.display())?,
            None => writeln!(out, "no progress to clear")?,
        }
        return Ok(Exit::Ok);
    }
    let Some(name) = &a.experiment else {
        if a.moves.is_some() || a.json {
            return Err(LabError::usage(
                "--moves and --json need a level (race-lab play <level> --moves 0,1,…)",
            ));
        }
        let path = campaign::path().map(|p| p.display().to_string());
        report::play::levels(out, &campaign::load(), path.as_deref())?;
        return Ok(Exit::Ok);
    };
    let exp = validate::experiment(name)?;
    if let Some(why) = crate::play::not_a_level(exp) {
        return Err(LabError::usage(why));
    }
    let size = exp.play_size().unwrap_or(exp.proof);
    let common = Common {
        experiment: name.clone(),
        threads: a.threads,
        iters: a.iters,
        ordering: None,
        window: None,
        batch: None,
        json: a.json,
    };
    let limits = Limits {
        default_threads: size.threads,
        default_iters: size.iters,
        max_threads: MAX_THREADS,
        max_iters: MAX_ITERS,
    };
    let params = validate::params(&common, exp, &limits)?;
    let Some(moves) = &a.moves else {
        if a.json {
            return Err(LabError::usage("--json needs --moves"));
        }
        if !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal()) {
            return Err(LabError::usage(
                "play needs a terminal; without one, give the moves: race-lab play <level> --moves 0,1,…",
            ));
        }
        crate::play::ui::run(Game::new(exp, params))?;
        return Ok(Exit::Ok);
    };
    let parsed = parse_moves(moves).map_err(LabError::usage)?;
    let tokens: Vec<&str> = moves
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .collect();
    let mut game = Game::new(exp, params);
    let cancel = crate::machine::Cancel::ctrl_c();
    if let Err((i, steps, why)) = game.play_script(&parsed, &cancel) {
        if cancel.requested() {
            return Err(LabError::interrupted(
                "interrupted: the moves were not all played",
            ));
        }
        let tok = match parsed[i] {
            Move::Step(t) => t.to_string(),
            Move::Undo => "u".into(),
        };
        return Err(LabError::usage(format!(
            "illegal move {} ('{}') after {} step{}: {why}",
            i + 1,
            tokens.get(i).copied().unwrap_or(&tok),
            steps,
            if steps == 1 { "" } else { "s" }
        )));
    }
    // A scripted game leaves the campaign's progress alone: only games played count.
    let screen = Screen::of(&mut game);
    if a.json {
        report::play::json(out, &mut game, &screen, moves)?;
    } else {
        report::play::screen(out, &screen)?;
        if cancel.requested() {
            writeln!(
                out,
                "(interrupted by Ctrl-C: the searches behind these lines stopped early)"
            )?;
        }
    }
    Ok(Exit::ok_unless_interrupted(cancel.requested()))
}
