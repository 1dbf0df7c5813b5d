use super::*;
use crate::experiments::find;

#[test]
fn moves_parse_and_refuse_garbage() {
    assert_eq!(
        parse_moves("0,1 u,1").unwrap(),
        vec![Move::Step(0), Move::Step(1), Move::Undo, Move::Step(1)]
    );
    assert!(parse_moves("0,x")
        .unwrap_err()
        .contains("malformed move 'x'"));
}

#[test]
fn undo_restores_the_view() {
    let exp = find("racy-atomic").unwrap();
    let mut g = Game::new(exp, Params::new(2, 2));
    g.step(0).unwrap();
    let before = format!("{:?}", g.view);
    g.step(1).unwrap();
    g.undo();
    assert_eq!(format!("{:?}", g.view), before);
    assert!(g.step(7).unwrap_err().contains("no thread 7"));
}
