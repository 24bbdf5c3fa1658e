//! Playback as a viewer meets it: keys in, seeks performed, frames out; branches; and a save
//! that replay never changes.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use lunar::playback::Playback;
use lunar::runtime::replay::{arrive, history};
use lunar::store::sqlite::SqliteStore;
use lunar::store::{EventReader, EventStore};
use lunar::tui::app::App;
use lunar::tui::replay::{MARK_KINDS, Panel, Replay, ReplayEffect, ReplayMsg, update};
use lunar::tui::replay_view::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::support::{assets, lunar, root, run_script, solution_save};

fn fixture() -> std::path::PathBuf {
    root().join("tests/fixtures/schema-v1.lunar")
}

/// The playback screen on a save, with its effects performed as the runtime performs them.
struct Viewer {
    replay: Replay,
    playback: Playback<SqliteStore>,
    effects: Vec<ReplayEffect>,
    tracer: Option<lunar::study::Tracer>,
}

impl Viewer {
    fn open(path: &std::path::Path) -> Viewer {
        let mut playback = Playback::open(SqliteStore::open_read_only(path).unwrap()).unwrap();
        let end = playback.last_tick();
        let arrival = arrive(&mut playback, end).unwrap();
        let mut app = App::new("golden".into(), arrival.projections.clone(), 1000);
        app.size = (110, 34);
        let replay = Replay::new(app, end, lunar::runtime::replay::marks(&playback));
        let mut viewer = Viewer {
            replay,
            playback,
            effects: Vec::new(),
            tracer: None,
        };
        viewer.send(ReplayMsg::Arrived(Box::new(arrival)));
        viewer
    }

    fn send(&mut self, msg: ReplayMsg) {
        let mut pending = vec![msg];
        while let Some(msg) = pending.pop() {
            let (replay, effects) = update(self.replay.clone(), msg);
            self.replay = replay;
            for effect in effects {
                match &effect {
                    ReplayEffect::Seek(tick) => pending.push(ReplayMsg::Arrived(Box::new(
                        arrive(&mut self.playback, *tick).unwrap(),
                    ))),
                    ReplayEffect::History { subject, to_tick } => {
                        pending.push(ReplayMsg::History {
                            subject: subject.clone(),
                            events: history(&self.playback, subject, *to_tick).unwrap(),
                        })
                    }
                    ReplayEffect::Trace { robot, tick } => {
                        let report = self.tracer().trace(robot, *tick).map(Box::new);
                        pending.push(ReplayMsg::Traced {
                            robot: robot.clone(),
                            report,
                        });
                    }
                    ReplayEffect::Evaluate {
                        robot,
                        tick,
                        expression,
                    } => {
                        let value = self
                            .tracer()
                            .evaluate(robot, *tick, expression)
                            .unwrap_or_else(|e| format!("error: {e}"));
                        pending.push(ReplayMsg::Evaluated {
                            tick: *tick,
                            expression: expression.clone(),
                            value,
                        });
                    }
                    _ => {}
                }
                self.effects.push(effect);
            }
        }
    }

    fn tracer(&mut self) -> &lunar::study::Tracer {
        let events = self.playback.store().read_all().unwrap();
        self.tracer
            .get_or_insert_with(|| lunar::study::Tracer::new(events))
    }

    fn key(&mut self, code: KeyCode) {
        self.send(ReplayMsg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    fn keys(&mut self, keys: &str) {
        keys.chars().for_each(|c| self.key(KeyCode::Char(c)));
    }

    fn frame(&self) -> String {
        let (w, h) = self.replay.app.size;
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal.draw(|f| view(&self.replay, f)).unwrap();
        lunar::tui::screen_text(terminal.backend().buffer())
    }
}

#[test]
fn keys_move_through_time() {
    let mut v = Viewer::open(&fixture());
    assert_eq!((v.replay.tick, v.replay.end), (23, 23));
    v.key(KeyCode::Home);
    assert_eq!(v.replay.tick, 0);
    v.key(KeyCode::Right);
    v.key(KeyCode::Right);
    assert_eq!(v.replay.tick, 2);
    v.send(ReplayMsg::Key(KeyEvent::new(
        KeyCode::Right,
        KeyModifiers::SHIFT,
    )));
    assert_eq!(v.replay.tick, 12);
    v.key(KeyCode::PageUp);
    assert_eq!(v.replay.tick, 0, "clamped at the start");
    v.key(KeyCode::PageDown);
    assert_eq!(v.replay.tick, 23, "clamped at the end");
    v.keys("g7");
    v.key(KeyCode::Enter);
    assert_eq!(v.replay.tick, 7);
    v.keys("g999");
    v.key(KeyCode::Enter);
    assert_eq!(v.replay.tick, 23);
    assert_eq!(v.replay.app.projections.colony.tick, 23);
}

#[test]
fn brackets_jump_between_marked_ticks() {
    let mut v = Viewer::open(&fixture());
    v.key(KeyCode::Home);
    let completions_kind = MARK_KINDS
        .iter()
        .position(|k| k.label == "completions")
        .unwrap();
    for _ in 0..completions_kind {
        v.keys("e");
    }
    assert_eq!(MARK_KINDS[v.replay.kind].label, "completions");
    let mut completions = Vec::new();
    for _ in 0..6 {
        v.key(KeyCode::Char(']'));
        completions.push(v.replay.tick);
    }
    assert_eq!(completions, [4, 9, 10, 18, 19, 19]);
    v.key(KeyCode::Char('['));
    assert_eq!(v.replay.tick, 18);
    v.keys("e");
    assert_eq!(MARK_KINDS[v.replay.kind].label, "sites planted");
    v.key(KeyCode::Char('['));
    assert_eq!(v.replay.tick, 11);
}

#[test]
fn a_click_on_the_timeline_jumps_there() {
    let mut v = Viewer::open(&fixture());
    let area = v.replay.app.areas().unwrap().timeline;
    v.send(ReplayMsg::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: area.x + area.width / 2,
        row: area.y,
        modifiers: KeyModifiers::NONE,
    }));
    assert_eq!(v.replay.tick, 11);
}

#[test]
fn playing_advances_by_the_clock_and_stops_at_the_end() {
    let mut v = Viewer::open(&fixture());
    v.key(KeyCode::Char(' '));
    assert!(!v.replay.playing, "nothing to play at the end");
    v.keys("g20");
    v.key(KeyCode::Enter);
    v.effects.clear();
    v.keys(" +");
    assert_eq!(
        v.effects,
        [
            ReplayEffect::Clock(Some(1000)),
            ReplayEffect::Clock(Some(500))
        ]
    );
    for _ in 0..3 {
        v.send(ReplayMsg::Clock);
    }
    assert_eq!(v.replay.tick, 23);
    assert!(!v.replay.playing);
    assert_eq!(v.effects.last(), Some(&ReplayEffect::Clock(None)));
}

#[test]
fn a_growing_log_is_followed_only_from_the_end() {
    let mut v = Viewer::open(&fixture());
    v.send(ReplayMsg::Grew {
        end: 23,
        marks: v.replay.marks.clone(),
    });
    assert_eq!(v.replay.tick, 23);
    v.key(KeyCode::Left);
    let mut grown = v.replay.clone();
    grown.end = 30;
    let (after, effects) = update(
        v.replay.clone(),
        ReplayMsg::Grew {
            end: 30,
            marks: v.replay.marks.clone(),
        },
    );
    assert_eq!((after.tick, after.end), (22, 30));
    assert!(effects.is_empty(), "scrubbed back: stays put");
    let (_, effects) = update(
        Viewer::open(&fixture()).replay,
        ReplayMsg::Grew {
            end: 30,
            marks: grown.marks,
        },
    );
    assert_eq!(effects, [ReplayEffect::Seek(30)], "at the end: follows");
}

#[test]
fn why_shows_every_event_that_made_the_building() {
    let mut v = Viewer::open(&fixture());
    v.keys("g12");
    v.key(KeyCode::Enter);
    // The cursor starts at the map's centre, (8,5); the Headquarters is at (7,4).
    v.keys("hkw");
    let Panel::History { subject, events } = &v.replay.panel else {
        panic!("no history: {:?}", v.replay.panel);
    };
    assert_eq!(subject.stream(), "bldg-hq");
    let kinds: Vec<&str> = events.iter().map(|e| e.event.type_name()).collect();
    assert_eq!(kinds[..2], ["site_planted", "building_spawned"]);
    assert_eq!(kinds.last(), Some(&"construction_completed"));
    assert!(events.iter().all(|e| e.tick() <= 12));
}

/// A fix that loses, tried from tick 60 of The Relay's solution: the table says how each game
/// ended and the curves beneath part at the bar where the fix began.
#[test]
fn a_whatif_sets_the_two_games_side_by_side_with_their_curves_overlaid() {
    let dir = tempfile::tempdir().unwrap();
    let save = solution_save(dir.path(), "m7-relay");
    let program = lunar::domain::ruleset::ProgramSource {
        name: "m7-pile-miner".into(),
        source: std::fs::read_to_string(assets().join("missions/programs/m7-pile-miner.rhai"))
            .unwrap(),
    };
    let request = lunar::study::whatif::Request {
        robots: Some(vec![
            lunar::domain::ids::RobotId::parse("r3").unwrap(),
            lunar::domain::ids::RobotId::parse("r4").unwrap(),
        ]),
        tick: 60,
        program: &program,
        ticks: None,
    };
    let branch = dir.path().join("fix.lunar");
    let report = lunar::study::whatif::whatif(&save, &branch, &request, &mut |_, _| ()).unwrap();
    let curves = &report.curves;
    assert_eq!(curves.as_played.first().map(|s| s.tick), Some(1));
    assert_eq!(
        curves.as_played[..59],
        curves.the_fix[..59],
        "one game until the fix"
    );
    assert_ne!(curves.as_played.last(), curves.the_fix.last());
    let mut v = Viewer::open(&save);
    v.replay.app.size = (120, 40);
    v.send(ReplayMsg::Tried(Ok(Box::new(report))));
    let frame = v.frame();
    assert!(frame.contains("what if, from tick 60"), "{frame}");
    assert!(frame.contains("ice"), "{frame}");
    // Where the branch is saved depends on the machine's temporary folder.
    let frame: Vec<&str> = frame
        .lines()
        .map(|l| {
            if l.contains("saved as") {
                "(saved as ...)"
            } else {
                l
            }
        })
        .collect();
    insta::assert_snapshot!("replay_whatif_curves", frame.join("\n"));
    // With no room for a chart, the table keeps every row.
    v.replay.app.size = (80, 24);
    let small = v.frame();
    assert!(small.contains("esc closes"), "{small}");
    assert!(!small.contains("ice as played"), "{small}");
}

#[test]
fn frames_of_the_golden_save() {
    let mut v = Viewer::open(&fixture());
    insta::assert_snapshot!("replay_end", v.frame());
    v.key(KeyCode::Home);
    insta::assert_snapshot!("replay_tick_0", v.frame());
    v.keys("g4");
    v.key(KeyCode::Enter);
    v.keys("i");
    v.key(KeyCode::Down);
    v.key(KeyCode::Down);
    v.key(KeyCode::Down);
    insta::assert_snapshot!("replay_tick_4_inspector", v.frame());
    v.keys("id");
    insta::assert_snapshot!("replay_tick_4_diff", v.frame());
    v.keys("dg11");
    v.key(KeyCode::Enter);
    v.keys("d");
    insta::assert_snapshot!("replay_tick_11_diff", v.frame());
    v.key(KeyCode::Esc);
    v.keys("hkw");
    insta::assert_snapshot!("replay_tick_11_why", v.frame());
}

#[test]
fn replay_never_changes_the_save() {
    let before = std::fs::read(fixture()).unwrap();
    let mut v = Viewer::open(&fixture());
    v.keys("g5");
    v.key(KeyCode::Enter);
    v.keys("idhkw");
    v.key(KeyCode::End);
    let dir = tempfile::tempdir().unwrap();
    let branch = dir.path().join("b.lunar");
    let (code, _, err) = lunar(&[
        "--saves",
        dir.path().to_str().unwrap(),
        "branch",
        fixture().to_str().unwrap(),
        "--at-tick",
        "9",
        "b",
    ]);
    assert!(branch.exists());
    assert_eq!(code, 0, "{err}");
    drop(v);
    assert_eq!(std::fs::read(fixture()).unwrap(), before);
}

#[test]
fn a_branch_is_a_prefix_that_verifies_and_plays_on() {
    let dir = tempfile::tempdir().unwrap();
    let branch = dir.path().join("branch.lunar");
    let source = fixture();
    let saves = dir.path().to_str().unwrap();
    let (code, out, err) = lunar(&[
        "--saves",
        saves,
        "branch",
        source.to_str().unwrap(),
        "--at-tick",
        "9",
        "branch",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("at tick 9"), "{out}");

    let original = SqliteStore::open_read_only(&source)
        .unwrap()
        .read_all()
        .unwrap();
    let copy = SqliteStore::open_read_only(&branch).unwrap();
    let copied = copy.read_all().unwrap();
    assert_eq!(copied[..], original[..copied.len()], "a prefix");
    assert!(copied.iter().all(|e| e.tick() <= 9));
    assert!(original[copied.len()..].iter().all(|e| e.tick() > 9));
    assert_eq!(
        copy.branched_from().unwrap(),
        Some((source.display().to_string(), 9))
    );
    drop(copy);
    assert_eq!(lunar(&["verify", branch.to_str().unwrap()]).0, 0);

    let store = SqliteStore::open(&branch).unwrap();
    let (report, session) =
        run_script("on.scenario", "build power id=late at=0,0\ntick 5\n", store);
    assert!(report.rejections.is_empty(), "{}", report.summary());
    assert_eq!(session.projections().colony.tick, 14);
    let grown = session.store().read_all().unwrap();
    assert!(grown.len() > copied.len());
    drop(session);
    assert_eq!(lunar(&["verify", branch.to_str().unwrap()]).0, 0);

    let (code, _, err) = lunar(&[
        "--saves",
        saves,
        "branch",
        source.to_str().unwrap(),
        "--at-tick",
        "99",
        "x",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("tick 99 is past the end of the game, which is at tick 23"),
        "{err}"
    );
    let (code, _, err) = lunar(&[
        "--saves",
        saves,
        "branch",
        source.to_str().unwrap(),
        "--at-tick",
        "3",
        "branch",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("already exists"), "{err}");
}

#[test]
fn the_store_written_by_a_branch_keeps_appending() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.lunar");
    let source = SqliteStore::open_read_only(&fixture()).unwrap();
    SqliteStore::branch(&source, "golden", 0, &path).unwrap();
    let mut branch = SqliteStore::open(&path).unwrap();
    let events = source.read_all().unwrap();
    let tick0 = events.iter().filter(|e| e.tick() == 0).count();
    branch.append(&events[tick0..tick0 + 2]).unwrap();
    assert_eq!(branch.last_seq().unwrap(), tick0 as u64 + 2);
}

#[test]
fn every_mark_kind_finds_its_ticks_in_either_schema() {
    for name in ["schema-v1.lunar", "schema-v2.lunar"] {
        let mut v = Viewer::open(&root().join("tests/fixtures").join(name));
        for (kind, marks) in MARK_KINDS.iter().zip(&v.replay.marks) {
            // The golden saves are classic games: no colony, no robots, no steering, so none of
            // their events.
            let expected = ![
                "colony events",
                "colonists landed or lost",
                "brown-outs",
                "what robots said",
                "robot faults",
                "switched, urgent or taken down",
                "robots ordered",
            ]
            .contains(&kind.label);
            assert_eq!(
                !marks.is_empty(),
                expected,
                "{name}: marks for {}",
                kind.label
            );
        }
        let spawned = MARK_KINDS
            .iter()
            .position(|k| k.label == "buildings spawned")
            .unwrap();
        while v.replay.kind != spawned {
            v.keys("e");
        }
        v.key(KeyCode::Home);
        v.keys("]");
        assert_eq!(v.replay.tick, v.replay.marks[spawned][1], "{name}");
    }
}

#[test]
fn help_is_never_cut() {
    for (width, height) in [(64, 20), (90, 34), (140, 40)] {
        let mut v = Viewer::open(&fixture());
        v.replay.app.size = (width, height);
        v.keys("?");
        let mut words: Vec<String> = Vec::new();
        for _ in 0..30 {
            words.extend(
                v.frame()
                    .split(|c: char| c.is_whitespace() || c == '│')
                    .filter(|w| !w.is_empty())
                    .map(str::to_owned),
            );
            v.key(KeyCode::Down);
        }
        for (_, what) in lunar::tui::keys::REPLAY_HELP {
            for word in what.split_whitespace() {
                assert!(
                    words.iter().any(|w| w == word),
                    "{width}x{height}: {word:?} never shown"
                );
            }
        }
    }
}

#[test]
fn the_tile_panel_offers_no_building_in_a_replay() {
    let v = Viewer::open(&fixture());
    let frame = v.frame();
    assert!(frame.contains("free at this tick"), "{frame}");
    assert!(!frame.contains("b to build"), "{frame}");
}

#[test]
fn esc_closes_a_panel_and_never_quits() {
    let mut v = Viewer::open(&fixture());
    v.keys("i");
    v.key(KeyCode::Esc);
    assert_eq!(v.replay.panel, Panel::None);
    v.key(KeyCode::Esc);
    assert!(!v.effects.contains(&ReplayEffect::Quit));
    v.keys("q");
    assert_eq!(v.effects.last(), Some(&ReplayEffect::Quit));
}

#[test]
fn panels_read_as_sentences_with_raw_json_on_demand() {
    let mut v = Viewer::open(&fixture());
    v.keys("g4");
    v.key(KeyCode::Enter);
    v.keys("i");
    let frame = v.frame();
    assert!(
        frame.contains("hq has 4 of 10 ticks of work done"),
        "{frame}"
    );
    assert!(!frame.contains("{\""), "{frame}");
    v.keys("r");
    let frame = v.frame();
    assert!(
        frame.contains("{\"building_id\":\"hq\",\"work_done\":4"),
        "{frame}"
    );
}

#[test]
fn the_timeline_zooms_around_the_current_tick() {
    let store = SqliteStore::open_read_only(&fixture()).unwrap();
    let mut events = store.read_all().unwrap();
    // A longer game: the golden save played on to tick 400 in memory.
    let (_, session) = run_script(
        "long.scenario",
        "game start seed=1 map=small name=\"Long\"\ntick 400\n",
        lunar::store::memory::MemoryStore::new(),
    );
    events.clear();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.lunar");
    let mut save = SqliteStore::create(&path).unwrap();
    save.append(&session.into_store().into_events()).unwrap();
    drop(save);
    let mut v = Viewer::open(&path);
    v.keys("g300");
    v.key(KeyCode::Enter);
    assert_eq!(v.replay.window(), (0, 400));
    v.keys("z");
    assert_eq!(
        v.replay.window(),
        (0, 400),
        "a window wider than the game is the game"
    );
    v.keys("z");
    assert_eq!(v.replay.window(), (250, 350));
    let area = v.replay.app.areas().unwrap().timeline;
    assert_eq!(v.replay.tick_at_column(area.x), Some(250));
    assert_eq!(v.replay.tick_at_column(area.x + area.width - 1), Some(350));
    assert!(v.frame().contains("350 of 400  z: zoom"), "{}", v.frame());
}

#[test]
fn skipping_quiet_ticks_plays_from_one_notable_tick_to_the_next() {
    let mut v = Viewer::open(&fixture());
    v.key(KeyCode::Home);
    v.keys("s ");
    let notable = v.replay.marks[0].clone();
    let mut seen = Vec::new();
    while v.replay.playing {
        v.send(ReplayMsg::Clock);
        seen.push(v.replay.tick);
    }
    let expected: Vec<u64> = notable.into_iter().filter(|t| *t > 0).collect();
    assert_eq!(seen, expected);
    for _ in 0..20 {
        v.keys("+");
    }
    assert_eq!(v.replay.speed_label(), "1000x");
}

#[test]
fn a_colony_replays_with_its_panels_and_marks_its_events() {
    let text = std::fs::read_to_string(
        crate::support::assets().join("missions/t3-first-breath.solution.scenario"),
    )
    .unwrap();
    let (_dir, save) = crate::support::save_from(&text);
    let mut v = Viewer::open(&save);
    let colony = MARK_KINDS
        .iter()
        .position(|k| k.label == "colony events")
        .unwrap();
    // The landing, a brown-out late in each night and the power back at dawn, the win.
    assert_eq!(v.replay.marks[colony], [60, 87, 100, 189, 200]);
    v.keys("g65");
    v.key(KeyCode::Enter);
    let frame = v.frame();
    for expected in [
        "NIGHT 35>dawn",
        "colonists 4",
        "[x] 4 colonists living",
        "First Breath",
    ] {
        assert!(
            frame.contains(expected),
            "{expected:?} missing from\n{frame}"
        );
    }
}

#[test]
fn why_on_a_robot_tells_its_errands_and_the_inspector_names_its_program() {
    let (_dir, save) = crate::support::save_from(
        "game start mission=t1-groundbreaking player=ada
program r1 file=miner
tick 3
program r1 file=miner
tick 17
",
    );
    let mut v = Viewer::open(&save);
    v.keys("g14");
    v.key(KeyCode::Enter);
    // Tab puts the cursor on r1 and keeps it there as the replay moves on.
    v.key(KeyCode::Tab);
    assert_eq!(v.replay.app.cursor, (13, 3));
    v.key(KeyCode::Right);
    v.key(KeyCode::Right);
    v.key(KeyCode::Right);
    assert_eq!(v.replay.tick, 17);
    v.keys("w");
    let Panel::History { subject, events } = &v.replay.panel else {
        panic!("no history: {:?}", v.replay.panel);
    };
    assert_eq!(subject.stream(), "robot-r1");
    assert!(
        events
            .iter()
            .all(|e| e.stream == "robot-r1" && e.tick() <= 17)
    );
    let frame = v.frame();
    for told in [
        "what r1 did, up to tick 17",
        "t1-t3 walked 3 steps, (11,4) to (12,3)",
        "t3 robot r1 runs miner",
        "t5-t9 dug 10 ice at (13,3) in 5 ticks; 40 left there",
        "t11 r1 put 10 ice into the store",
    ] {
        assert!(frame.contains(told), "{told:?} missing from\n{frame}");
    }
    insta::assert_snapshot!("robot_why", frame);

    // The inspector names the program that chose each action, by name and hash.
    v.key(KeyCode::Esc);
    v.keys("i");
    v.key(KeyCode::Down);
    let frame = v.frame();
    let miner = lunar::assets::load_program(&lunar::assets::Assets::BuiltIn, "miner").unwrap();
    let hash = lunar::domain::program::hash_of(&miner.source);
    assert!(
        frame.contains(&format!("decided by the program miner ({})", &hash[..8])),
        "{frame}"
    );
}

#[test]
fn x_traces_the_robot_here_through_time_and_the_console_asks_it_questions() {
    let (_dir, save) = crate::support::save_from(
        "game start mission=t1-groundbreaking player=ada
program r1 file=miner
tick 17
",
    );
    let mut v = Viewer::open(&save);
    v.keys("g6");
    v.key(KeyCode::Enter);
    v.key(KeyCode::Tab);
    v.keys("x");
    let Panel::Trace { robot, report, .. } = &v.replay.panel else {
        panic!("no trace: {:?}", v.replay.panel);
    };
    assert_eq!(robot.as_str(), "r1");
    let report = report.as_ref().unwrap();
    assert_eq!((report.tick, report.desync), (6, false));
    insta::assert_snapshot!("robot_trace", v.frame());

    // Stepping keeps the panel on the robot, traced anew at each tick.
    v.key(KeyCode::Right);
    let Panel::Trace { report, .. } = &v.replay.panel else {
        panic!("the trace closed");
    };
    let report = report.as_ref().unwrap();
    let battery = report.battery;
    assert_eq!(report.tick, 7);

    // The console evaluates in the robot's context at this tick, and a bad expression is an
    // answer, not a failure.
    v.keys(":me.battery + 1");
    v.key(KeyCode::Enter);
    v.keys("nope(");
    v.key(KeyCode::Enter);
    let Panel::Trace { console, .. } = &v.replay.panel else {
        panic!("the trace closed");
    };
    // As the tick began, as the program saw it.
    assert_eq!(
        console[0],
        (7, "me.battery + 1".into(), (battery + 1).to_string())
    );
    assert!(console[1].2.starts_with("error: "), "{console:?}");
    // Keys typed into the console are text, not commands: q did not quit.
    v.keys("q");
    assert!(!v.effects.contains(&ReplayEffect::Quit));
    v.key(KeyCode::Esc);
    v.keys("f");
    assert!(v.effects.iter().any(|e| matches!(
        e,
        ReplayEffect::Fix { robot, tick: 7 } if robot.as_str() == "r1"
    )));
    v.key(KeyCode::Esc);
    assert_eq!(v.replay.panel, Panel::None);
    // With no robot under the cursor, x says so.
    v.key(KeyCode::Tab);
    v.keys("lllll");
    v.keys("x");
    assert_eq!(v.replay.panel, Panel::None);
}

#[test]
fn a_replay_exported_as_asciicast_plays_back_to_the_same_screen() {
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("robots.lunar");
    std::fs::copy(root().join("tests/fixtures/schema-v3-robots.lunar"), &save).unwrap();
    let cast = dir.path().join("robots.cast");
    let (code, out, err) = lunar(&[
        "replay",
        save.to_str().unwrap(),
        "--export",
        cast.to_str().unwrap(),
        "--from-tick",
        "10",
        "--to-tick",
        "30",
        "--speed",
        "2",
        "--size",
        "100x30",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("21 frames"), "{out}");

    let text = std::fs::read_to_string(&cast).unwrap();
    let mut lines = text.lines();
    let header: serde_json::Value = serde_json::from_str(lines.next().unwrap()).unwrap();
    assert_eq!(header["version"], 2);
    assert_eq!(
        (header["width"].as_u64(), header["height"].as_u64()),
        (Some(100), Some(30))
    );
    assert_eq!(header["title"], "Golden Robots (Lunar Frontiers)");
    let size = |n: u16| std::num::NonZeroU16::new(n).unwrap();
    let mut screen = vt100::Parser::new(size(30), size(100), 0);
    let mut times = Vec::new();
    for line in lines {
        let event: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(event[1], "o");
        times.push(event[0].as_f64().unwrap());
        screen.process(event[2].as_str().unwrap().as_bytes());
    }
    assert_eq!(times.len(), 21, "one frame a tick");
    assert!(times.windows(2).all(|t| t[0] < t[1]), "{times:?}");
    assert_eq!(times.last(), Some(&10.0), "20 ticks at 2 a second");
    // The recording, played into a terminal, leaves the screen replay shows at its last tick.
    let shown = screen.screen().contents();
    assert!(shown.contains("Golden Robots"), "{shown}");
    assert!(shown.contains("tick 30 of 50"), "{shown}");
    assert!(shown.contains("PLAYING"), "{shown}");

    // A name that is not a recording's, an empty range and a bad size are refused.
    for (args, says) in [
        (vec!["--export", "x.lunar"], "ends in .cast"),
        (
            vec!["--export", "x.cast", "--from-tick", "60"],
            "nothing to record",
        ),
        (vec!["--export", "x.cast", "--size", "10x10"], "--size"),
        (vec!["--export", "x.cast", "--speed", "0"], "--speed"),
        (vec!["--speed", "2"], "--export"),
    ] {
        let mut all = vec!["replay", save.to_str().unwrap()];
        all.extend(args);
        let (code, _, err) = lunar(&all);
        assert_eq!(code, 2, "{all:?}: {err}");
        assert!(err.contains(says), "{all:?}: {err}");
    }
}

/// A robot game in which robot r1 digs ice, says so, and a colony ship lands.
fn robot_game() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("talker.rhai"),
        "if tick % 10 == 0 { me.say(`tick ${tick}`); }\n\
         let ice = world.nearest(\"ice\");\n\
         if me.full { return world.step_toward(world.home.x, world.home.y); }\n\
         if ice != () && (ice.x != me.x || ice.y != me.y) { return world.step_toward(ice.x, ice.y); }\n\
         if me.next_to(world.home.x, world.home.y) && me.load > 0 { return drop(); }\n\
         mine()\n",
    )
    .unwrap();
    let script = dir.path().join("game.scenario");
    std::fs::write(
        &script,
        "game start mission=t3-first-breath player=ada\n\
         program r1 file=talker.rhai\nbuild housing id=home-1 at=12,7\ntick 64\n",
    )
    .unwrap();
    let save = dir.path().join("game.lunar");
    let (code, out, err) = lunar(&[
        "script",
        "run",
        script.to_str().unwrap(),
        "--save",
        save.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    (dir, save)
}

#[test]
fn in_a_robot_game_marks_mean_something() {
    let (_dir, save) = robot_game();
    let v = Viewer::open(&save);
    let marks = |label: &str| {
        let kind = MARK_KINDS.iter().position(|k| k.label == label).unwrap();
        v.replay.marks[kind].clone()
    };
    // A robot's routine (steps, digs) is not notable: most ticks are quiet.
    let notable = marks("anything notable");
    assert!(notable.len() < 20, "{notable:?}");
    assert_eq!(marks("what robots said"), [10, 20, 30, 40, 50, 60]);
    assert!(marks("colonists landed or lost").contains(&60));
    assert!(marks("robot faults").is_empty());
}

#[test]
fn the_diff_names_what_changed_and_nothing_else() {
    let (_dir, save) = robot_game();
    let mut v = Viewer::open(&save);
    v.keys("g60");
    v.key(KeyCode::Enter);
    v.keys("d");
    let frame = v.frame();
    assert!(frame.contains("colonists living 0 -> 4"), "{frame}");
    assert!(!frame.contains("-> 10/10"), "{frame}");
    v.keys("g2");
    v.key(KeyCode::Enter);
    let moved = v.frame();
    assert!(moved.contains("robot r1: ("), "{moved}");
    // Every line of the diff is a change.
    for line in frame.lines().filter(|l| l.contains(" -> ")) {
        let change = line.trim_matches(|c: char| c == '│' || c.is_whitespace());
        let sides: Vec<&str> = change.split(" -> ").collect();
        let before = sides[0].rsplit([' ', '(']).next().unwrap_or("");
        let after = sides[1].split([' ', ',', ')']).next().unwrap_or("");
        assert_ne!(before, after, "{line}");
    }
}

#[test]
fn a_replay_of_a_game_that_ended_does_not_say_it_follows() {
    let (_dir, save) = crate::support::save_from(
        "game start mission=t1-groundbreaking player=ada\n\
         build solar id=solar-1 at=11,4\nbuild solar id=solar-2 at=13,4\n\
         build mine id=mine-1 at=12,6\ntick 13\n",
    );
    let v = Viewer::open(&save);
    let header = v.frame().lines().next().unwrap().to_owned();
    assert!(header.contains("AT THE END"), "{header}");
    assert!(!header.contains("FOLLOWING"), "{header}");
}

#[test]
fn t_charts_the_colony_up_to_the_tick_shown() {
    let mut v = Viewer::open(&root().join("tests/fixtures/schema-v3.lunar"));
    v.keys("t");
    let end = v.frame();
    assert!(end.contains("statistics to tick 200"), "{end}");
    assert!(end.contains("colonists 4 living, 0 lost"), "{end}");
    // Back in time the charts end where the screen is.
    v.send(ReplayMsg::Key(KeyEvent::new(
        KeyCode::Home,
        KeyModifiers::NONE,
    )));
    let start = v.frame();
    assert!(start.contains("statistics to tick 0"), "{start}");
    v.keys("t");
    assert!(!v.frame().contains("statistics to tick"));
}
