//! The full-screen game (ratatui on crossterm): the kernel with each thread's next line
//! marked in its colour, the threads, the shared state, the history and the goal. Keys: a
//! thread's number (or ↑/↓ and Enter) steps it; `u` undoes, `r` restarts, `h` hints, `q`
//! quits. The terminal is restored on every way out: a normal quit, an error, and a panic
//! (ratatui's hook restores it before the message is printed; a guard's drop on unwinding).

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
    fn refresh(&mut self) {
        let _quiet = QuietPanics::install();
        self.screen = Screen::of(&mut self.game);
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
    }

    fn step(&mut self, t: usize) {
        let r = {
            let _quiet = QuietPanics::install();
            self.game.step(t)
        };
        self.message = match r {
            Ok(()) => String::new(),
            Err(why) => format!("cannot step {t}: {why}"),
        };
        self.refresh();
    }

    fn hint(&mut self) {
        let h = {
            let _quiet = QuietPanics::install();
            self.game.hint()
        };
        self.message = match h {
            Hint::Step { thread, path } => format!(
                "hint: step {thread} (a shortest way to the goal from here takes {} more step{}: {})",
                path.len(),
                if path.len() == 1 { "" } else { "s" },
                crate::schedule::format(&path)
            ),
            Hint::NoneFromHere => "hint: none can fail from here (u undoes, r restarts)".into(),
            Hint::TooLarge(n) => format!("hint: no answer within {n} positions searched"),
        };
    }

    /// Handles one key; `false` to quit.
    fn key(&mut self, code: KeyCode, mods: KeyModifiers) -> bool {
        match code {
            KeyCode::Char('q') | KeyCode::Esc => return false,
            KeyCode::Char('c') if mods.contains(KeyModifiers::CONTROL) => return false,
            KeyCode::Char(d) if d.is_ascii_digit() => self.step(d as usize - '0' as usize),
            KeyCode::Enter | KeyCode::Char(' ') => self.step(self.selected),
            KeyCode::Up | KeyCode::Left => self.select(-1),
            KeyCode::Down | KeyCode::Right | KeyCode::Tab => self.select(1),
            KeyCode::Char('u') => {
                let _quiet = QuietPanics::install();
                self.game.undo();
                self.message = String::new();
                drop(_quiet);
                self.refresh();
            }
            KeyCode::Char('r') => {
                let _quiet = QuietPanics::install();
                self.game.restart();
                self.message = "restarted".into();
                drop(_quiet);
                self.refresh();
            }
            KeyCode::Char('h') => self.hint(),
            _ => {}
        }
        true
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
    app.refresh();
    let mut tty = Tty(ratatui::try_init()?);
    loop {
        tty.0.draw(|f| draw(f, &app))?;
        if let Event::Key(k) = event::read()? {
            if k.kind == KeyEventKind::Press && !app.key(k.code, k.modifiers) {
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
    let status_height = s.status.len() as u16 + 3;
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
    let [code, side] =
        Layout::horizontal([Constraint::Percentage(62), Constraint::Percentage(38)]).areas(middle);
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
            " 0-9: step that thread   ↑/↓ + Enter: step the selected one   u: undo   r: restart   h: hint   q: quit",
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
