//! `race-lab`: parse, dispatch, exit. Everything else is in the library.

fn main() {
    let code = race_lab::main_with(std::env::args_os());
    // A deadlocked `run` leaves threads that can never be joined: exit without waiting.
    std::process::exit(code);
}
