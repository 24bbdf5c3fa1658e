//! The screen as data: keys and committed events in, state, effects and frames out.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;

use super::actions::Mode;
use super::app::{App, Control, Effect, Msg, update};
use super::view::view;
use crate::domain::command::Command;
use crate::domain::game::commands::GameCommand;
use crate::domain::ruleset::ProgramSource;
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
        let assets = crate::assets::Assets::BuiltIn;
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
    // The menu does not open on a taken tile...
    h.keys("b");
    assert_eq!(h.app.mode, Mode::Map);
    let status = h.app.status.clone().unwrap();
    assert!(status.error);
    assert_eq!(status.text, "tile (8,5) is taken by hq-1");
    // ...and whatever the rules refuse is said as the rules say it.
    h.execute(
        Command::Game(GameCommand::PlantSite(
            crate::domain::game::commands::PlantSite {
                building_id: crate::domain::ids::BuildingId::parse("x").unwrap(),
                building_type: "hq".into(),
                x: 8,
                y: 5,
                player: None,
                work_ticks: None,
            },
        )),
        Source::Player,
    );
    let status = h.app.status.clone().unwrap();
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
    // The small map sits centred in its panel; each tile is two columns wide.
    let view = h.app.map_view().unwrap();
    assert!(view.x > 1 && view.y > 1, "{view:?}");
    h.send(click(view.x + 2 * 3 + 1, view.y + 4));
    assert_eq!(h.app.cursor, (3, 4));
    h.send(click(view.x - 1, view.y));
    assert_eq!(h.app.cursor, (3, 4), "a click beside the map does nothing");
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
    h.take_effects();
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

#[test]
fn a_terminal_that_grows_shows_more_map_not_blank_space() {
    let mut h = Harness::new("game start map=large\n");
    h.send(Msg::Resize(70, 22));
    h.keys("LLLLLLLLLLLLLLLLLLLLJJJJJJJJJJJJ");
    let (sx, sy) = h.app.scroll;
    assert!(sx > 0 && sy > 0, "{:?}", h.app.scroll);
    h.send(Msg::Resize(300, 100));
    let c = &h.app.projections.colony;
    let (cols, rows) = h.app.areas().unwrap().visible_tiles();
    let (sx, sy) = h.app.scroll;
    assert!(
        sx + cols.min(c.width) >= c.width && sy + rows.min(c.height) >= c.height,
        "scroll {:?} leaves the far edge blank",
        h.app.scroll
    );
    assert!(h.app.tile_at(0, 0).is_none());
}

#[test]
fn arrows_on_the_border_say_where_more_map_lies() {
    let mut h = Harness::new("game start map=large\n");
    h.send(Msg::Resize(70, 22));
    let edges = |h: &Harness| {
        let frame = h.frame();
        ['◀', '▶', '▲', '▼'].map(|a| frame.contains(a))
    };
    h.keys("HHHHHHHHHHHHHHHHHHHHKKKKKKKKKKKKKK");
    assert_eq!(edges(&h), [false, true, false, true]);
    h.keys("LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLJJJJJJJJJJJJJJJJJJJJJJJJ");
    assert_eq!(edges(&h), [true, false, true, false]);
    let small = Harness::new(NEW_GAME);
    assert_eq!(edges(&small), [false; 4], "a map that fits has no arrows");
    assert!(
        small
            .frame()
            .contains(". regolith  , dust  ^ rock  * crater")
    );
}

#[test]
fn esc_closes_what_is_open_and_never_quits() {
    let mut h = Harness::new(NEW_GAME);
    h.keys("b");
    h.key(KeyCode::Esc);
    assert_eq!(h.app.mode, Mode::Map);
    h.keys("?");
    h.key(KeyCode::Esc);
    assert_eq!(h.app.mode, Mode::Map);
    // Once too often is harmless: the game goes on, and says how to quit.
    h.key(KeyCode::Esc);
    h.key(KeyCode::Esc);
    assert!(!h.take_effects().contains(&Effect::Quit));
    assert_eq!(
        h.app.status.as_ref().unwrap().text,
        "nothing is open; q quits"
    );
    h.keys("q");
    assert_eq!(h.take_effects(), [Effect::Quit]);
}

#[test]
fn the_game_waits_while_a_menu_or_help_is_open() {
    let mut h = Harness::new(NEW_GAME);
    assert!(!h.app.control().paused);
    for open in ["b", "?"] {
        h.keys(open);
        assert!(h.app.control().paused, "{open}");
        assert!(h.take_effects().contains(&Effect::Control(h.app.control())));
        assert!(h.frame().lines().next().unwrap().contains("WAITING"));
        h.key(KeyCode::Esc);
        assert!(!h.app.control().paused, "{open} closed");
    }
    // A player's pause outlasts the menu.
    h.keys(" b");
    h.key(KeyCode::Esc);
    assert!(h.app.control().paused);
}

#[test]
fn a_game_opened_again_waits_where_it_was_left() {
    let h = Harness::new(&format!("{NEW_GAME}build water id=w at=3,2\ntick 4\n"));
    let app = h.app.clone().resumed();
    assert!(app.control().paused);
    assert_eq!(app.cursor, (3, 2), "on the last site planted");
    assert!(app.status.unwrap().text.contains("space to resume"));
    let fresh = Harness::new(NEW_GAME).app.resumed();
    assert!(!fresh.control().paused, "a new game starts at once");
}

#[test]
fn a_stopped_game_offers_no_resume() {
    let h = Harness::new(&format!("{NEW_GAME}tick 2\nstop\n"));
    let footer = h.frame().lines().last().unwrap().to_owned();
    assert!(!footer.contains("space"), "{footer}");
    assert!(footer.contains("q quit"), "{footer}");
}

#[test]
fn the_feed_scrolls_and_holds_its_place_as_lines_arrive() {
    let mut script = NEW_GAME.to_owned();
    for i in 0..12 {
        script += &format!("build hq id=h{i} at={i},0 ticks=1\n");
    }
    let mut h = Harness::new(&script);
    let newest = |h: &Harness| {
        h.frame()
            .lines()
            .skip_while(|l| !l.contains(" events"))
            .nth(1)
            .unwrap()
            .to_owned()
    };
    let top = newest(&h);
    h.key(KeyCode::PageUp);
    assert_eq!(h.app.feed_scroll, 5);
    assert_ne!(newest(&h), top);
    let held = newest(&h);
    h.ticks(1);
    assert_eq!(newest(&h), held, "new lines do not move what is being read");
    assert!(h.frame().contains("back (pgdn, wheel: newer)"));
    let back = h.app.feed_scroll;
    h.send(Msg::Key(KeyEvent::new(KeyCode::Down, KeyModifiers::SHIFT)));
    assert_eq!(h.app.feed_scroll, back - 1);
    for _ in 0..back {
        h.key(KeyCode::PageDown);
    }
    assert_eq!(h.app.feed_scroll, 0);
    assert!(newest(&h).contains("h11 is complete"), "{}", newest(&h));
}

#[test]
fn frame_large_map_at_the_smallest_size() {
    let mut h = Harness::new("game start map=large name=\"Wide\"\n");
    h.send(Msg::Resize(64, 20));
    h.keys("LLLLLLLJJJ");
    insta::assert_snapshot!(h.frame());
}

/// "First Breath" at tick 70: night, four colonists landed, life support half built.
const COLONY: &str = "game start mission=t3-first-breath player=px42
build housing id=home-1 at=12,7
build water id=water-1 at=8,8
build oxygen id=oxygen-1 at=10,8
tick 70
";

fn colony(script: &str) -> Harness {
    let mut h = Harness::new(script);
    h.app.size = (120, 40);
    h.app.cursor = (10, 8);
    h.app.follow_cursor();
    h
}

#[test]
fn frame_colony_at_night() {
    insta::assert_snapshot!(colony(COLONY).frame());
}

#[test]
fn frame_colony_at_the_smallest_size_without_colour() {
    let mut h = colony(COLONY);
    h.app.color = false;
    h.send(Msg::Resize(64, 20));
    let (w, hgt) = h.app.size;
    let mut terminal = Terminal::new(TestBackend::new(w, hgt)).unwrap();
    terminal.draw(|f| view(&h.app, f)).unwrap();
    for cell in terminal.backend().buffer().content() {
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{cell:?}");
    }
    insta::assert_snapshot!(h.frame());
}

#[test]
fn a_new_mission_opens_on_its_briefing_and_waits() {
    let h = Harness::new("game start mission=t1-groundbreaking player=px42\n");
    let mut app = h.app.clone().opened();
    assert_eq!(app.mode, Mode::Briefing);
    assert!(
        app.control().paused,
        "the game waits while the briefing is open"
    );
    let (w, hgt) = (100, 30);
    let mut terminal = Terminal::new(TestBackend::new(w, hgt)).unwrap();
    app.size = (w, hgt);
    terminal.draw(|f| view(&app, f)).unwrap();
    let frame = super::screen_text(terminal.backend().buffer());
    assert!(
        frame.contains("Build two solar arrays and a regolith mine"),
        "{frame}"
    );
    assert!(frame.contains("[ ] build 2 Solar Array"), "{frame}");
    let (app, _) = update(
        app,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    assert_eq!(app.mode, Mode::Map);
    assert!(!app.control().paused);
    let (app, _) = update(
        app,
        Msg::Key(KeyEvent::new(KeyCode::Char('m'), KeyModifiers::NONE)),
    );
    assert_eq!(app.mode, Mode::Briefing, "m shows it again");
}

#[test]
fn the_end_of_a_mission_shows_its_score_and_offers_the_next() {
    let mut h = Harness::new(
        "game start mission=t1-groundbreaking player=px42
build solar id=solar-1 at=11,4
build solar id=solar-2 at=13,4
build mine id=mine-1 at=12,6
tick 12
",
    );
    h.app.next_mission = Some(("t2-long-night".into(), "The Long Night".into()));
    h.ticks(1);
    assert_eq!(h.app.mode, Mode::Outcome);
    let effects = h.take_effects();
    assert!(effects.contains(&Effect::Bell));
    assert!(
        effects.contains(&Effect::Score),
        "the shell is asked for the score card"
    );
    assert!(h.frame().contains("scoring it against your other attempts"));
    // The shell scores the log; two earlier wins and the par stand beside it.
    let events = crate::store::EventReader::read_all(h.session.store()).unwrap();
    let metrics = crate::study::scores::score(&events).unwrap().metrics;
    let par = crate::domain::metrics::Metrics {
        ticks: 13,
        energy: 20,
        ..metrics
    };
    h.send(Msg::Scored(Box::new(crate::study::scores::ScoreCard {
        outcome: crate::study::scores::Outcome::Won,
        metrics,
        best: Some(crate::domain::metrics::Metrics {
            ticks: 12,
            ..metrics
        }),
        par: Some(par),
        attempts: 4,
        won_in: vec![12, 13, 19],
    })));
    let frame = h.frame();
    assert!(frame.contains("MISSION WON"), "{frame}");
    assert!(frame.contains("ticks of your 3 wins"), "{frame}");
    assert!(
        frame.contains("n: the next mission, The Long Night"),
        "{frame}"
    );
    insta::assert_snapshot!(frame);
    h.keys("n");
    assert_eq!(h.take_effects(), [Effect::Next("t2-long-night".into())]);
}

#[test]
fn a_lost_mission_says_why_in_full_and_offers_another_try() {
    let mut h = Harness::new("game start mission=t2-long-night player=px42\ntick 139\n");
    h.app.next_mission = Some(("t3-first-breath".into(), "First Breath".into()));
    h.ticks(1);
    assert_eq!(h.app.mode, Mode::Outcome);
    assert!(h.take_effects().contains(&Effect::Bell));
    let frame = h.frame();
    assert!(frame.contains("MISSION LOST"), "{frame}");
    assert!(
        frame.contains("objectives unmet"),
        "the reason wraps: {frame}"
    );
    assert!(frame.contains("r: try again"), "{frame}");
    assert!(!frame.contains("n next mission"), "{frame}");
    h.keys("n");
    assert_eq!(h.take_effects(), [], "a lost mission does not lead on");
    h.keys("r");
    assert_eq!(h.take_effects(), [Effect::Next("t2-long-night".into())]);
}

#[test]
fn the_status_line_raises_the_colonys_alerts() {
    // Dusk: night falls at tick 60.
    let dusk = colony("game start mission=t3-first-breath player=px42\ntick 52\n");
    assert!(
        dusk.frame().contains("! night falls in 8 ticks"),
        "{}",
        dusk.frame()
    );
    // The colonists have landed with little oxygen and no way to make more.
    let air = colony(
        "game start mission=t3-first-breath player=px42\nbuild housing id=home-1 at=12,7\ntick 61\n",
    );
    assert!(
        air.frame().contains("! oxygen runs low: 3 ticks left"),
        "{}",
        air.frame()
    );
}

#[test]
fn help_has_a_page_of_rules() {
    let mut h = colony(COLONY);
    h.keys("?");
    h.key(KeyCode::Tab);
    assert!(matches!(h.app.mode, Mode::Help { page: 1, .. }));
    let frame = h.frame();
    assert!(frame.contains("life support first"), "{frame}");
}

#[test]
fn the_build_menu_says_what_a_kind_costs_does_and_where_it_stands() {
    let mut h = colony("game start mission=t3-first-breath player=px42\n");
    h.app.cursor = (12, 8);
    h.keys("b");
    for _ in 0..3 {
        h.key(KeyCode::Down);
    }
    let frame = h.frame();
    assert!(frame.contains("30 regolith  not on regolith"), "{frame}");
    assert!(
        frame.contains("makes 4 ice each tick a robot runs it (work), uses 3 power; on"),
        "{frame}"
    );
    // Nothing stands on rock: the menu does not open there.
    let mut h = colony("game start mission=t3-first-breath player=px42\n");
    h.key(KeyCode::Esc);
    h.app.cursor = (13, 6);
    h.keys("b");
    assert_eq!(h.app.mode, Mode::Map);
    assert_eq!(
        h.app.status.clone().unwrap().text,
        "nothing can stand on rock"
    );
}

/// The sandbox with its four robots, a few ticks in, the shipped programs on offer.
fn robots() -> Harness {
    let mut h = Harness::new("game start mission=sandbox player=px42\ntick 3\n");
    h.app.size = (120, 40);
    let assets = crate::assets::Assets::BuiltIn;
    h.app.programs = crate::assets::list_programs(&assets);
    h.app.follow_cursor();
    h
}

#[test]
fn tab_walks_the_cursor_through_the_robots_and_the_panel_shows_each() {
    let mut h = robots();
    h.key(KeyCode::Tab);
    assert_eq!(h.app.robot().map(|r| r.id.as_str()), Some("r1"));
    h.key(KeyCode::Tab);
    assert_eq!(h.app.robot().map(|r| r.id.as_str()), Some("r2"));
    let frame = h.frame();
    assert!(frame.contains("Robot r2"), "{frame}");
    assert!(frame.contains("runs builder"), "{frame}");
    assert!(frame.contains("battery"), "{frame}");
    for _ in 0..3 {
        h.key(KeyCode::Tab);
    }
    assert_eq!(
        h.app.robot().map(|r| r.id.as_str()),
        Some("r1"),
        "round again"
    );
    insta::assert_snapshot!(h.frame());
}

#[test]
fn p_gives_the_robot_under_the_cursor_a_shipped_program() {
    let mut h = robots();
    h.keys("p");
    assert!(
        h.app.status.as_ref().is_some_and(|s| s.error),
        "no robot here"
    );
    h.key(KeyCode::Tab);
    h.keys("p");
    assert!(matches!(h.app.mode, Mode::ProgramMenu { .. }));
    assert!(
        !h.app.control().paused || h.app.held().is_some(),
        "the game waits"
    );
    let frame = h.frame();
    assert!(frame.contains("a program for [r1]"), "{frame}");
    assert!(frame.contains("hauler"), "{frame}");
    let hauler = h
        .app
        .programs
        .iter()
        .position(|p| p.name == "hauler")
        .unwrap();
    for _ in 0..hauler {
        h.key(KeyCode::Down);
    }
    h.key(KeyCode::Enter);
    assert_eq!(h.app.mode, Mode::Map);
    let row = h.app.projections.robots.robots.values().next().unwrap();
    assert_eq!(
        row.program.as_ref().map(|(n, _)| n.as_str()),
        Some("hauler")
    );
    assert_eq!(h.app.status.as_ref().unwrap().text, "r1 runs hauler");
}

#[test]
fn e_hands_the_program_to_the_editor_and_what_comes_back_runs_or_is_refused() {
    let mut h = robots();
    h.key(KeyCode::Tab);
    h.keys("e");
    let Some(Effect::Edit { robot, program }) = h.take_effects().pop() else {
        panic!("no edit");
    };
    assert_eq!(robot.as_str(), "r1");
    assert_eq!(program.name, "builder");
    assert!(program.source.contains("Builder:"), "the shipped source");
    // A program that does not compile is refused with its place, and kept as a draft.
    let broken = ProgramSource {
        name: "builder*".into(),
        source: "let x = ;".into(),
    };
    h.send(Msg::Edited {
        robot: robot.clone(),
        program: broken.clone(),
    });
    let status = h.app.status.clone().unwrap();
    assert!(status.error);
    assert!(
        status
            .text
            .starts_with("r1 keeps its program: the program does not compile: 1:9:"),
        "{}",
        status.text
    );
    h.keys("e");
    assert_eq!(
        h.take_effects().pop(),
        Some(Effect::Edit {
            robot: robot.clone(),
            program: broken
        }),
        "the next edit starts from the draft"
    );
    h.send(Msg::Edited {
        robot,
        program: ProgramSource {
            name: "builder*".into(),
            source: "me.say(\"hello\"); wait()".into(),
        },
    });
    assert_eq!(h.app.status.as_ref().unwrap().text, "r1 runs builder*");
    assert!(h.app.drafts.is_empty());
    h.ticks(1);
    h.keys("c");
    let frame = h.frame();
    assert!(frame.contains("r1: hello"), "{frame}");
}

#[test]
fn o_orders_a_robot_from_the_factory_under_the_cursor() {
    let mut h = robots();
    h.keys("o");
    assert!(h.app.status.as_ref().is_some_and(|s| s.error));
    let mut h = Harness::new(
        "game start mission=sandbox player=px42\nbuild factory id=f1 at=17,7\ntick 40\n",
    );
    h.app.programs = crate::assets::list_programs(&crate::assets::Assets::BuiltIn);
    h.app.cursor = (17, 7);
    assert!(
        h.app
            .projections
            .buildings
            .at(17, 7)
            .is_some_and(|b| b.ready)
    );
    h.keys("o");
    // The menu asks what it runs, the builder first.
    let menu = h.frame();
    assert!(
        menu.contains("a program for the robot ordered from f1"),
        "{menu}"
    );
    h.key(KeyCode::Enter);
    assert_eq!(
        h.app.status.as_ref().unwrap().text,
        "r5 ordered: it comes out of f1 running builder once the store can pay"
    );
    h.ticks(1);
    assert!(
        h.app
            .projections
            .robots
            .robots
            .contains_key(&crate::domain::ids::RobotId::parse("r5").unwrap())
    );
}

#[test]
fn every_kind_in_the_build_menu_has_a_key_and_says_what_it_does() {
    let mut h = robots();
    h.key(KeyCode::Esc);
    h.app.cursor = (2, 2);
    h.keys("b");
    let frame = h.frame();
    // The tenth kind, the Robot Factory, is `0`, in line with the others.
    let row = |glyph: &str| {
        frame
            .lines()
            .find(|l| l.contains(glyph))
            .unwrap_or_else(|| panic!("{glyph} missing from\n{frame}"))
            .to_owned()
    };
    let factory = row("F Robot Factory");
    let hq = row("H Headquarters");
    assert!(factory.contains(" 0 F Robot Factory"), "{factory}");
    assert_eq!(factory.find(" F Robot"), hq.find(" H Head"), "{frame}");
    let factory_index = h
        .app
        .projections
        .colony
        .catalogue
        .iter()
        .position(|k| k.key == "factory")
        .unwrap();
    for _ in 0..factory_index {
        h.key(KeyCode::Down);
    }
    let frame = h.frame();
    assert!(
        frame.contains("assembles robots for 40 regolith each"),
        "{frame}"
    );
    h.key(KeyCode::Esc);
    h.keys("b0");
    assert_eq!(h.app.mode, Mode::Map);
    let status = h.app.status.clone().unwrap().text;
    assert!(status.contains("Robot Factory"), "{status}");
}

#[test]
fn a_refusal_names_the_kind_as_the_menu_does() {
    let mut h = colony("game start mission=t3-first-breath player=px42\n");
    h.key(KeyCode::Esc);
    // A crater: only an Ice Extractor stands there.
    h.app.cursor = (13, 2);
    h.keys("b1");
    let status = h.app.status.clone().unwrap();
    assert!(status.error, "{status:?}");
    assert!(
        status
            .text
            .ends_with("is crater; a Headquarters stands only on regolith or dust"),
        "{}",
        status.text
    );
}

#[test]
fn what_the_player_just_did_stands_over_the_alerts_for_a_while() {
    // Dusk: the night's warning holds the status line.
    let mut h = colony("game start mission=t3-first-breath player=px42\ntick 52\n");
    h.key(KeyCode::Esc);
    h.app.cursor = (12, 7);
    h.keys("b");
    h.key(KeyCode::Enter);
    let planted = h.frame();
    assert!(planted.contains(" planted Headquarters"), "{planted}");
    assert!(!planted.contains("! night falls"), "{planted}");
    h.ticks(5);
    let later = h.frame();
    assert!(later.contains("! night falls in 3 ticks"), "{later}");
}

#[test]
fn after_a_win_the_keys_and_the_window_say_the_same() {
    let mut h = Harness::new(
        "game start mission=t1-groundbreaking player=px42\n\
         build solar id=solar-1 at=11,4\nbuild solar id=solar-2 at=13,4\n\
         build mine id=mine-1 at=12,6\ntick 13\n",
    );
    h.app.size = (120, 40);
    h.app = h.app.clone().opened();
    assert_eq!(h.app.mode, Mode::Outcome);
    let frame = h.frame();
    // No next mission is known to this screen: both offer to play it again.
    assert!(frame.contains("r: play it again"), "{frame}");
    assert!(frame.contains(" r play again"), "{frame}");
    assert!(!frame.contains("try again"), "{frame}");
}

#[test]
fn the_program_menu_breaks_descriptions_between_words() {
    let mut h = robots();
    h.key(KeyCode::Tab);
    h.keys("p");
    let frame = h.frame();
    assert!(
        frame.contains("Builder: works on the nearest construction"),
        "{frame}"
    );
    for line in frame.lines().filter(|l| l.contains('│')) {
        let inside = line.split('│').nth(1).unwrap_or("").trim_end();
        let last_word = inside.split_whitespace().last().unwrap_or("");
        assert!(
            !["constructi", "constru", "batte"].contains(&last_word),
            "cut mid-word: {line}"
        );
    }
}

/// The sandbox with a solar array built at (21,8) and a mine planted at (19,8) a moment ago.
fn steering() -> Harness {
    let mut h = Harness::new(
        "game start mission=sandbox player=px42\nbuild solar id=solar-1 at=21,8\ntick 12\n\
         build mine id=mine-1 at=19,8\n",
    );
    h.app.size = (120, 40);
    h.key(KeyCode::Esc);
    h
}

#[test]
fn x_switches_the_building_under_the_cursor_off_and_on() {
    let mut h = steering();
    h.app.cursor = (21, 8);
    h.keys("x");
    let row = h.app.projections.buildings.get(&bid("solar-1")).unwrap();
    assert!(!row.on);
    assert!(h.frame().contains("switched off"), "{}", h.frame());
    h.keys("x");
    assert!(h.app.projections.buildings.get(&bid("solar-1")).unwrap().on);
    // A site is not switched; it is marked urgent.
    h.app.cursor = (19, 8);
    h.keys("x");
    assert!(h.app.status.as_ref().is_some_and(|s| s.error));
    h.keys("u");
    assert!(
        h.app
            .projections
            .buildings
            .get(&bid("mine-1"))
            .unwrap()
            .urgent
    );
    assert!(h.frame().contains("urgent"), "{}", h.frame());
}

#[test]
fn d_asks_what_comes_back_before_taking_a_building_down() {
    let mut h = steering();
    h.app.cursor = (21, 8);
    h.keys("d");
    assert!(matches!(h.app.mode, Mode::ConfirmDemolish { .. }));
    let asked = h.frame();
    assert!(
        asked.contains("10 regolith comes back to the store (half of what it cost)"),
        "{asked}"
    );
    // n keeps it (and is not the bell here).
    h.keys("n");
    assert_eq!(h.app.mode, Mode::Map);
    assert!(h.app.bell);
    assert!(h.app.projections.buildings.get(&bid("solar-1")).is_some());
    let before = h.app.projections.colony.economy.as_ref().unwrap().stock;
    h.keys("dy");
    assert!(h.app.projections.buildings.get(&bid("solar-1")).is_none());
    let after = h.app.projections.colony.economy.as_ref().unwrap().stock;
    assert_eq!(after.regolith, before.regolith + 10);
    assert_eq!(
        h.app.status.as_ref().map(|s| s.text.as_str()),
        Some("solar-1 taken down: 10 regolith back in store")
    );
}

#[test]
fn p_with_tab_gives_a_program_to_every_robot_running_the_same() {
    let mut h = robots();
    h.key(KeyCode::Tab);
    h.keys("p");
    h.key(KeyCode::Tab);
    let frame = h.frame();
    assert!(
        frame.contains("a program for [every robot running builder: 2]"),
        "{frame}"
    );
    let hauler = h
        .app
        .programs
        .iter()
        .position(|p| p.name == "hauler")
        .unwrap();
    h.keys(&format!("{}", hauler + 1));
    let runs = |id: &str| {
        h.app.projections.robots.robots[&crate::domain::ids::RobotId::parse(id).unwrap()]
            .program
            .as_ref()
            .map(|(name, _)| name.clone())
    };
    assert_eq!(runs("r1").as_deref(), Some("hauler"));
    assert_eq!(runs("r2").as_deref(), Some("hauler"));
    assert_eq!(runs("r3").as_deref(), Some("miner"));
}

#[test]
fn t_shows_every_resource_over_the_whole_game() {
    let mut h = colony(COLONY);
    h.keys("t");
    assert_eq!(h.app.mode, Mode::Statistics);
    insta::assert_snapshot!(h.frame());
    h.keys("t");
    assert_eq!(h.app.mode, Mode::Map);
}

fn bid(id: &str) -> crate::domain::ids::BuildingId {
    crate::domain::ids::BuildingId::parse(id).unwrap()
}
