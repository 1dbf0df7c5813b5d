//! The full-screen game (ratatui on crossterm): the kernel with each thread's next line
//! marked in its colour, the threads, the shared state, the history and the goal. Keys: a
//! thread's number (or ↑/↓ and Enter) steps it; `u` undoes, `r` restarts, `h` hints, `n`
//! goes on to the next level, `q` quits. The terminal is restored on every way out: a
//! normal quit, an error, and a panic (ratatui's hook restores it before the message is
//! printed, a guard's drop on unwinding; a panic in the engine becomes an error first).

use super::campaign;
use super::game::{Game, Hint};
use super::screen::{Screen, Standing};
use crate::error::QuietPanics;
use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use ratatui::{DefaultTerminal, Frame};

/// Each thread's colour (cycling past six threads).
const COLOURS: [Color; 6] = [
    Color::Cyan,
    Color::Magenta,
    Color::Yellow,
    Color::Green,
    Color::Blue,
    Color::Red,
];

fn colour(t: usize) -> Color {
    COLOURS[t % COLOURS.len()]
}

/// Restores the terminal when dropped, however the game ends.
struct Tty(DefaultTerminal);

impl Drop for Tty {
    fn drop(&mut self) {
        ratatui::restore();
    }
}

/// Runs a step of the game's engine with panic messages held back (a panic would print over
/// the full screen); a panic becomes an error, so that the terminal is restored before the
/// message is shown.
///
/// Once it has run for a moment, a watcher reads the keyboard: Ctrl-C, Esc or `q` stop the
/// engine's searches (the proof, the hint), which then report what they found so far, so
/// the screen never freezes past a key. (A quick step reads no key: keys typed ahead wait
/// for the game.)
fn engine<T>(game: &mut Game, f: impl FnOnce(&mut Game) -> T) -> std::io::Result<T> {
    let stop = crate::machine::Cancel::new();
    game.cancel = stop.clone();
    let done = std::sync::atomic::AtomicBool::new(false);
    let r = std::thread::scope(|s| {
        s.spawn(|| {
            let started = std::time::Instant::now();
            let tick = std::time::Duration::from_millis(50);
            while !done.load(std::sync::atomic::Ordering::SeqCst) {
                if started.elapsed() < WATCH_AFTER {
                    std::thread::sleep(tick);
                    continue;
                }
                if !event::poll(tick).unwrap_or(false) {
                    continue;
                }
                if let Ok(Event::Key(k)) = event::read() {
                    let ctrl_c =
                        k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL);
                    if ctrl_c || matches!(k.code, KeyCode::Esc | KeyCode::Char('q')) {
                        stop.request();
                    }
                }
            }
        });
        let r = guarded(|| f(game));
        done.store(true, std::sync::atomic::Ordering::SeqCst);
        r
    });
    r
}

/// How long the engine runs before a key can stop it.
const WATCH_AFTER: std::time::Duration = std::time::Duration::from_millis(300);

/// Runs `f` with panic messages held back; a panic becomes an error.
fn guarded<T>(f: impl FnOnce() -> T) -> std::io::Result<T> {
    let quiet = QuietPanics::install();
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    drop(quiet);
    r.map_err(|p| {
        std::io::Error::other(format!(
            "the game's engine panicked: {}",
            crate::error::panic_message(p.as_ref())
        ))
    })
}

/// The interface's own state around the game.
struct App {
    game: Game,
    screen: Screen,
    /// The thread ↑/↓ selects and Enter steps.
    selected: usize,
    /// A one-line message: a refused move, a hint.
    message: String,
    /// The moves of the last ended run recorded in the campaign (to record each once).
    recorded: Option<Vec<usize>>,
}

impl App {
    fn refresh(&mut self) -> std::io::Result<()> {
        self.screen = engine(&mut self.game, Screen::of)?;
        if self.screen.standing != Standing::Playing
            && self.recorded.as_ref() != Some(&self.game.moves)
        {
            let broken = self.screen.standing == Standing::Broken;
            if let Err(e) = campaign::record(self.game.exp.name, broken, self.game.steps() as u64) {
                self.message = format!("could not save progress: {e}");
            }
            self.recorded = Some(self.game.moves.clone());
        }
        let ready = &self.screen.ready;
        if !ready.get(self.selected).copied().unwrap_or(false) {
            self.selected = ready.iter().position(|r| *r).unwrap_or(0);
        }
        Ok(())
    }

    fn step(&mut self, t: usize) -> std::io::Result<()> {
        self.message = match engine(&mut self.game, |g| g.step(t))? {
            Ok(()) => String::new(),
            Err(why) => format!("cannot step {t}: {why}"),
        };
        self.refresh()
    }

    fn hint(&mut self) -> std::io::Result<()> {
        self.message = match engine(&mut self.game, Game::hint)? {
            Hint::Step { thread, path } => format!(
                "hint: step {thread} (a shortest way to the goal from here takes {} more step{}: {})",
                path.len(),
                if path.len() == 1 { "" } else { "s" },
                crate::schedule::format(&path)
            ),
            Hint::NoneFromHere => "hint: none can fail from here (u undoes, r restarts)".into(),
            Hint::TooLarge(n) => format!("hint: no answer within {n} positions searched"),
            Hint::Stopped(n) => format!("hint: stopped after {n} positions searched"),
        };
        Ok(())
    }

    /// The next level in teaching order, at its play size.
    fn next_level(&mut self) -> std::io::Result<()> {
        let levels = super::levels();
        let here = levels.iter().position(|e| e.name == self.game.exp.name);
        let Some(next) = here.and_then(|i| levels.get(i + 1)).copied() else {
            self.message = "that was the last level".into();
            return Ok(());
        };
        let size = next.play_size().unwrap_or(next.proof);
        let params = crate::experiment::Params::new(size.threads, size.iters);
        self.game = guarded(|| Game::new(next, params))?;
        self.recorded = None;
        self.message = format!("next level: {}", next.name);
        self.refresh()
    }

    /// Handles one key; `Ok(false)` to quit.
    fn key(&mut self, code: KeyCode, mods: KeyModifiers) -> std::io::Result<bool> {
        match code {
            KeyCode::Char('q') | KeyCode::Esc => return Ok(false),
            KeyCode::Char('c') if mods.contains(KeyModifiers::CONTROL) => return Ok(false),
            KeyCode::Char(d) if d.is_ascii_digit() => self.step(d as usize - '0' as usize)?,
            KeyCode::Enter | KeyCode::Char(' ') => self.step(self.selected)?,
            KeyCode::Up | KeyCode::Left => self.select(-1),
            KeyCode::Down | KeyCode::Right | KeyCode::Tab => self.select(1),
            KeyCode::Char('u') => {
                engine(&mut self.game, Game::undo)?;
                self.message = String::new();
                self.refresh()?;
            }
            KeyCode::Char('r') => {
                engine(&mut self.game, Game::restart)?;
                self.message = "restarted".into();
                self.refresh()?;
            }
            KeyCode::Char('h') => self.hint()?,
            KeyCode::Char('n') => self.next_level()?,
            _ => {}
        }
        Ok(true)
    }

    /// Moves the selection to the next ready thread in direction `d`.
    fn select(&mut self, d: isize) {
        let n = self.screen.ready.len() as isize;
        let mut t = self.selected as isize;
        for _ in 0..n {
            t = (t + d).rem_euclid(n);
            if self.screen.ready[t as usize] {
                self.selected = t as usize;
                return;
            }
        }
    }
}

/// Plays `game` on the terminal until the player quits.
pub fn run(game: Game) -> std::io::Result<()> {
    let mut app = App {
        screen: Screen {
            title: String::new(),
            goal: String::new(),
            kernel: Vec::new(),
            threads: Vec::new(),
            ready: Vec::new(),
            shared: Vec::new(),
            history: Vec::new(),
            standing: Standing::Playing,
            status: Vec::new(),
            verdict: String::new(),
        },
        game,
        selected: 0,
        message: String::new(),
        recorded: None,
    };
    app.refresh()?;
    let mut tty = Tty(ratatui::try_init()?);
    loop {
        tty.0.draw(|f| draw(f, &app))?;
        if let Event::Key(k) = event::read()? {
            if k.kind == KeyEventKind::Press && !app.key(k.code, k.modifiers)? {
                break;
            }
        }
    }
    Ok(())
}

fn bold() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

fn draw(f: &mut Frame, app: &App) {
    let s = &app.screen;
    let inner = f.area().width.saturating_sub(2).max(1) as usize;
    let rows = |l: &String| l.chars().count().div_ceil(inner).max(1);
    let status_height = (s.status.iter().map(rows).sum::<usize>() + rows(&app.message) + 2) as u16;
    let side_height = s.threads.len() + s.shared.len() + 4;
    let middle_height = (s.kernel.len() + 2).max(side_height) as u16;
    let [top, middle, history, status, keys] = Layout::vertical([
        Constraint::Length(4),
        Constraint::Length(middle_height),
        Constraint::Min(4),
        Constraint::Length(status_height),
        Constraint::Length(1),
    ])
    .areas(f.area());
    f.render_widget(
        Paragraph::new(vec![
            Line::from(Span::styled(s.title.clone(), bold())),
            Line::from(vec![
                Span::styled("Goal: ", bold()),
                Span::raw(s.goal.clone()),
            ]),
        ])
        .block(Block::bordered().title(" race-lab play — you are the scheduler ")),
        top,
    );
    let widest = s
        .kernel
        .iter()
        .map(|l| l.text.chars().count())
        .max()
        .unwrap_or(0);
    let code_width = (widest + 3 * s.ready.len() + 8) as u16;
    let code_width = code_width.min(f.area().width.saturating_mul(2) / 3);
    let [code, side] =
        Layout::horizontal([Constraint::Length(code_width), Constraint::Min(20)]).areas(middle);
    draw_kernel(f, app, code);
    let [threads, shared] = Layout::vertical([
        Constraint::Length(s.threads.len() as u16 + 2),
        Constraint::Min(3),
    ])
    .areas(side);
    let thread_lines: Vec<Line> = s
        .threads
        .iter()
        .enumerate()
        .map(|(t, text)| {
            let mut style = Style::new().fg(colour(t));
            if !s.ready[t] {
                style = style.add_modifier(Modifier::DIM);
            }
            let pointer = if t == app.selected && s.ready[t] {
                "▸"
            } else {
                " "
            };
            Line::from(vec![Span::raw(pointer), Span::styled(text.clone(), style)])
        })
        .collect();
    f.render_widget(
        Paragraph::new(thread_lines)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(" Threads ")),
        threads,
    );
    let shared_lines: Vec<Line> = s.shared.iter().map(|l| Line::from(l.clone())).collect();
    f.render_widget(
        Paragraph::new(shared_lines).block(Block::bordered().title(" Shared state ")),
        shared,
    );
    let shown = history.height.saturating_sub(2) as usize;
    let hist: Vec<Line> = s
        .history
        .iter()
        .skip(s.history.len().saturating_sub(shown))
        .map(|l| Line::from(l.clone()))
        .collect();
    f.render_widget(
        Paragraph::new(hist)
            .block(Block::bordered().title(format!(" History ({} events) ", s.history.len()))),
        history,
    );
    let mut lines: Vec<Line> = s
        .status
        .iter()
        .enumerate()
        .map(|(i, l)| match (&s.standing, i) {
            (Standing::Broken, 0) => Line::from(Span::styled(
                l.clone(),
                bold().fg(Color::Red).add_modifier(Modifier::REVERSED),
            )),
            (Standing::Broken, _) => Line::from(Span::styled(l.clone(), bold())),
            _ => Line::from(l.clone()),
        })
        .collect();
    lines.push(Line::from(Span::styled(
        app.message.clone(),
        Style::new().fg(Color::Yellow),
    )));
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(match s.standing {
                Standing::Broken => Block::bordered()
                    .title(" BROKEN! ")
                    .border_style(bold().fg(Color::Red)),
                _ => Block::bordered().title(" Status "),
            }),
        status,
    );
    f.render_widget(
        Paragraph::new(Line::from(
            " 0-9: step that thread   ↑/↓ + Enter: step the selected one   u: undo   r: restart   h: hint   n: next level   q: quit",
        ))
        .style(Style::new().add_modifier(Modifier::DIM)),
        keys,
    );
}

fn draw_kernel(f: &mut Frame, app: &App, area: Rect) {
    let s = &app.screen;
    let threads = s.ready.len();
    let lines: Vec<Line> = s
        .kernel
        .iter()
        .map(|l| {
            let mut spans = Vec::new();
            for t in 0..threads {
                if l.here.contains(&t) {
                    spans.push(Span::styled(
                        format!("T{t}▶"),
                        bold().fg(Color::Black).bg(colour(t)),
                    ));
                } else {
                    spans.push(Span::raw("   "));
                }
            }
            if l.number == 0 {
                spans.push(Span::styled(
                    format!("     ── {} ──", l.text),
                    Style::new().add_modifier(Modifier::DIM),
                ));
                return Line::from(spans);
            }
            spans.push(Span::styled(
                format!(" {:>3} ", l.number),
                Style::new().add_modifier(Modifier::DIM),
            ));
            let style = match l.here.first() {
                Some(&t) => bold().fg(colour(t)),
                None => Style::new(),
            };
            spans.push(Span::styled(l.text.clone(), style));
            Line::from(spans)
        })
        .collect();
    f.render_widget(
        Paragraph::new(lines)
            .block(Block::bordered().title(format!(" Kernel ({}) ", app.game.exp.name))),
        area,
    );
}
