//! The screen as data: keys and committed events in, state, effects and frames out.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;

use super::app::{App, Control, Effect, Mode, Msg, update};
use super::view::view;
use crate::domain::command::{Command, GameCommand};
use crate::engine::envelope::{Origin, Source};
use crate::scenario::{parse, run};
use crate::session::{Outcome, Session};
use crate::store::memory::MemoryStore;

/// A screen wired to a real engine in memory: effects are performed as the runtime would.
struct Harness {
    app: App,
    session: Session<MemoryStore>,
    effects: Vec<Effect>,
}

impl Harness {
    fn new(script: &str) -> Harness {
        let assets = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets");
        let script = parse::parse("ui.scenario", script).unwrap();
        let (_, session) = run::run(&script, MemoryStore::new(), &assets).unwrap();
        let mut app = App::new("moonbase".into(), session.projections().clone(), 1000);
        app.size = (100, 30);
        Harness {
            app,
            session,
            effects: Vec::new(),
        }
    }

    fn send(&mut self, msg: Msg) {
        let (app, effects) = update(self.app.clone(), msg);
        self.app = app;
        for effect in effects {
            if let Effect::Send(command) = &effect {
                self.execute(command.clone(), Source::Player);
            }
            self.effects.push(effect);
        }
    }

    fn execute(&mut self, command: Command, source: Source) {
        let origin = Origin {
            source,
            recorded_at_ms: None,
        };
        let msg = match self.session.execute(command, origin).unwrap() {
            Outcome::Recorded(events) => Msg::Committed(events),
            Outcome::Rejected(rejection) => Msg::Rejected { source, rejection },
        };
        self.send(msg);
    }

    fn key(&mut self, code: KeyCode) {
        self.send(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    fn keys(&mut self, keys: &str) {
        for c in keys.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    fn ticks(&mut self, n: u64) {
        for _ in 0..n {
            let tick = self.session.engine().tick().unwrap_or(0) + 1;
            self.execute(
                Command::Game(GameCommand::AdvanceGameloop { tick }),
                Source::Injector,
            );
        }
    }

    fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    /// The frame as text, one line per row, trailing blanks trimmed.
    fn frame(&self) -> String {
        let (w, h) = self.app.size;
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal.draw(|f| view(&self.app, f)).unwrap();
        super::screen_text(terminal.backend().buffer())
    }
}

const NEW_GAME: &str = "game start seed=7 map=small player=px42 name=\"Moonbase\"\n";

#[test]
fn b_then_enter_plants_the_first_kind_at_the_cursor() {
    let mut h = Harness::new(NEW_GAME);
    assert_eq!(h.app.cursor, (8, 5));
    h.key(KeyCode::Char('b'));
    assert_eq!(h.app.mode, Mode::BuildMenu { selected: 0 });
    h.key(KeyCode::Enter);
    assert_eq!(h.app.mode, Mode::Map);
    let row = h
        .app
        .projections
        .buildings
        .at(8, 5)
        .expect("a site at the cursor");
    assert_eq!(
        (row.id.as_str(), row.building_type.as_str()),
        ("hq-1", "hq")
    );
    assert_eq!(
        h.app.status.as_ref().map(|s| s.text.as_str()),
        Some("planted Headquarters hq-1 at (8,5): ready at tick 10")
    );
}

#[test]
fn the_menu_moves_wraps_and_picks_by_number() {
    let mut h = Harness::new(NEW_GAME);
    h.keys("bkk");
    assert_eq!(h.app.mode, Mode::BuildMenu { selected: 3 });
    h.key(KeyCode::Esc);
    assert_eq!(h.app.mode, Mode::Map);
    h.keys("b2");
    let row = h.app.projections.buildings.at(8, 5).unwrap();
    assert_eq!(row.id.as_str(), "oxygen-1");
    h.keys("lb2");
    assert!(
        h.app
            .projections
            .buildings
            .at(9, 5)
            .is_some_and(|r| r.id.as_str() == "oxygen-2")
    );
}

#[test]
fn a_rejection_is_shown_and_changes_nothing() {
    let mut h = Harness::new(NEW_GAME);
    h.keys("b1");
    let before = h.app.projections.clone();
    h.keys("b2");
    let status = h.app.status.clone().unwrap();
    assert!(status.error);
    assert_eq!(status.text, "cannot do that: tile (8,5) is taken by hq-1");
    assert_eq!(h.app.projections, before);
}

#[test]
fn the_cursor_stays_on_the_map() {
    let mut h = Harness::new(NEW_GAME);
    h.keys("HHHKKK");
    assert_eq!(h.app.cursor, (0, 0));
    h.key(KeyCode::Left);
    h.key(KeyCode::Up);
    assert_eq!(h.app.cursor, (0, 0));
    h.keys("LLLLJJJ");
    assert_eq!(h.app.cursor, (15, 9));
}

#[test]
fn large_maps_scroll_to_keep_the_cursor_in_view() {
    let mut h = Harness::new("game start map=large\n");
    h.send(Msg::Resize(80, 24));
    h.keys("LLLLLLLJJJJJ");
    let (x, y) = h.app.cursor;
    let (sx, sy) = h.app.scroll;
    assert!(sx > 0 && sy > 0, "scrolled to {:?}", h.app.scroll);
    assert!(x >= sx && y >= sy);
}

#[test]
fn a_click_on_the_map_moves_the_cursor_there() {
    let mut h = Harness::new(NEW_GAME);
    let click = |column, row| {
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    // The map's inside starts at column 1, row 2; each tile is two columns wide.
    h.send(click(1 + 2 * 3 + 1, 2 + 4));
    assert_eq!(h.app.cursor, (3, 4));
    h.send(click(95, 2));
    assert_eq!(h.app.cursor, (3, 4), "a click off the map does nothing");
}

#[test]
fn pause_and_speed_drive_the_injector() {
    let mut h = Harness::new(NEW_GAME);
    h.key(KeyCode::Char(' '));
    assert_eq!(
        h.take_effects(),
        [Effect::Control(Control {
            paused: true,
            period_ms: Some(1000)
        })]
    );
    h.keys(" ++++++++++");
    assert_eq!(
        h.app.control().period_ms,
        None,
        "the fastest speed is as fast as it goes"
    );
    assert_eq!(h.app.speed_label(), "max");
    h.keys("------------");
    assert_eq!(h.app.control().period_ms, Some(8000));
    assert_eq!(h.app.speed_label(), "1/8x");
}

#[test]
fn a_completion_rings_the_bell_unless_it_is_off() {
    let mut h = Harness::new(NEW_GAME);
    h.keys("b2");
    h.take_effects();
    h.ticks(6);
    assert!(h.take_effects().contains(&Effect::Bell));
    assert_eq!(h.app.flash, Some(6));
    h.keys("nlb2");
    h.ticks(6);
    assert!(!h.take_effects().contains(&Effect::Bell));
}

#[test]
fn q_and_ctrl_c_quit_from_anywhere() {
    let mut h = Harness::new(NEW_GAME);
    h.keys("b");
    h.key(KeyCode::Char('q'));
    assert_eq!(h.take_effects(), [Effect::Quit]);
    h.send(Msg::Key(KeyEvent::new(
        KeyCode::Char('c'),
        KeyModifiers::CONTROL,
    )));
    assert_eq!(h.take_effects(), [Effect::Quit]);
}

#[test]
fn a_stopped_game_opens_paused_and_stays_so() {
    let mut h = Harness::new(&format!("{NEW_GAME}tick 2\nstop\n"));
    assert!(h.app.control().paused);
    h.key(KeyCode::Char(' '));
    assert!(h.app.control().paused);
    assert!(h.app.status.as_ref().is_some_and(|s| s.error));
}

#[test]
fn a_failed_save_stops_the_loop_and_the_building() {
    let mut h = Harness::new(NEW_GAME);
    h.send(Msg::Failed("disk full".into()));
    assert!(h.app.control().paused);
    h.take_effects();
    h.keys("b1");
    assert!(
        !h.take_effects()
            .iter()
            .any(|e| matches!(e, Effect::Send(_)))
    );
}

#[test]
fn frame_new_colony() {
    insta::assert_snapshot!(Harness::new(NEW_GAME).frame());
}

#[test]
fn frame_build_menu_open() {
    let mut h = Harness::new(NEW_GAME);
    h.keys("b");
    insta::assert_snapshot!(h.frame());
}

#[test]
fn frame_site_under_construction() {
    let mut h = Harness::new(NEW_GAME);
    h.keys("b1");
    h.ticks(4);
    h.keys("hhb3");
    h.ticks(1);
    insta::assert_snapshot!(h.frame());
}

#[test]
fn frame_completed_building() {
    let mut h = Harness::new(NEW_GAME);
    h.keys("b2");
    h.ticks(6);
    insta::assert_snapshot!(h.frame());
}

#[test]
fn frame_rejection_message() {
    let mut h = Harness::new(NEW_GAME);
    h.keys("b1b1");
    insta::assert_snapshot!(h.frame());
}

#[test]
fn frame_help_overlay() {
    let mut h = Harness::new(NEW_GAME);
    h.keys("?");
    insta::assert_snapshot!(h.frame());
}

#[test]
fn frame_terminal_too_small() {
    let mut h = Harness::new(NEW_GAME);
    h.send(Msg::Resize(50, 15));
    insta::assert_snapshot!(h.frame());
}

#[test]
fn frame_without_colour() {
    let mut h = Harness::new(NEW_GAME);
    h.app.color = false;
    h.keys("b1jjb2");
    h.ticks(6);
    let (w, hgt) = h.app.size;
    let mut terminal = Terminal::new(TestBackend::new(w, hgt)).unwrap();
    terminal.draw(|f| view(&h.app, f)).unwrap();
    let buffer = terminal.backend().buffer();
    for cell in buffer.content() {
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{cell:?}");
    }
    insta::assert_snapshot!(h.frame());
}
