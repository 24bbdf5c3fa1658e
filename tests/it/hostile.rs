//! Hostile input: scripts, stored rows and command-line flags made to break things. Nothing
//! panics or hangs, and every error says where and what.

use lunar::domain::event::Event;
use lunar::scenario::parse;
use proptest::prelude::*;

use crate::support::{generated_save, lunar};

/// Lines built from the statement words and option syntax scripts use, so the generator
/// reaches deep into the parser rather than failing on the first word.
fn script_line() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        Just("game".to_owned()),
        Just("start".to_owned()),
        Just("tick".to_owned()),
        Just("build".to_owned()),
        Just("hq".to_owned()),
        Just("expect".to_owned()),
        Just("building".to_owned()),
        Just("event".to_owned()),
        Just("no".to_owned()),
        Just("rejected".to_owned()),
        Just("colony".to_owned()),
        Just("show".to_owned()),
        Just("state".to_owned()),
        Just("events".to_owned()),
        Just("json".to_owned()),
        Just("#".to_owned()),
        Just("\"".to_owned()),
        "[a-z_-]{0,12}=[-0-9a-z,\"]{0,10}",
        "[0-9-]{1,22}",
        "\\PC{0,8}",
    ];
    prop::collection::vec(word, 0..8).prop_map(|words| words.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn the_parser_never_panics_and_names_line_and_column(
        lines in prop::collection::vec(script_line(), 1..12),
    ) {
        let text = lines.join("\n");
        match parse::parse("fuzz.scenario", &text) {
            Ok(script) => {
                for (at, _) in &script.statements {
                    prop_assert!(at.line >= 1 && at.line <= lines.len());
                }
            }
            Err(e) => {
                prop_assert!(e.at.line >= 1 && e.at.line <= lines.len(), "{}", e);
                let width = lines[e.at.line - 1].chars().count();
                prop_assert!(e.at.column >= 1 && e.at.column <= width + 1, "{}", e);
                let prefix = format!("fuzz.scenario:{}:{}: ", e.at.line, e.at.column);
                prop_assert!(e.to_string().starts_with(&prefix), "{}", e);
            }
        }
    }

    #[test]
    fn arbitrary_text_never_panics_the_parser(text in "\\PC{0,300}") {
        let _ = parse::parse("noise.scenario", &text);
    }

    #[test]
    fn the_event_decoder_never_panics(
        kind in prop_oneof![
            prop::sample::select(Event::TYPES.to_vec()).prop_map(str::to_owned),
            "[a-z_]{0,20}",
        ],
        data in "\\PC{0,200}",
    ) {
        let _ = Event::decode(&kind, &data);
    }

    #[test]
    fn the_compact_decoder_never_panics_and_reads_back_what_it_wrote(
        kind in prop::sample::select(Event::TYPES.to_vec()),
        subject in "[a-z0-9-]{0,12}",
        tick in any::<u64>(),
        data in prop_oneof![
            "\\[[-0-9a-z\",:\\[\\]{} ]{0,60}\\]",
            "\\PC{0,120}",
        ],
    ) {
        let _ = Event::decode_compact(kind, &subject, tick, data.as_bytes());
    }

    #[test]
    fn compact_events_read_back_as_written(index in 0usize..7, tick in 0u64..1_000_000) {
        let samples = [
            r#"{"game_id":"11112222-3333-4444-5555-666677778888","tick":3}"#,
            r#"{"building_id":"a","work_done":1,"work_required":3,"tick":1}"#,
            r#"{"building_id":"a","tick":9}"#,
            r#"{"building_id":"a","building_type":"hq","x":1,"y":2,"player":"p","work_required":3,"tick":0}"#,
            r#"{"robot_id":"r1","reason":"(1,2) is taken by robot r2","tick":4}"#,
            r#"{"robot_id":"r1","x":3,"y":4,"battery":77,"tick":9}"#,
            r#"{"game_id":"11112222-3333-4444-5555-666677778888","tick":0}"#,
        ];
        let kinds = ["gameloop_advanced", "construction_progressed", "construction_completed",
                     "building_spawned", "robot_waited", "robot_moved", "game_stopped"];
        let mut event = Event::decode(kinds[index], samples[index]).unwrap();
        let text = event.encode_data().replace(&format!("\"tick\":{}", event.tick()), &format!("\"tick\":{tick}"));
        event = Event::decode(kinds[index], &text).unwrap();
        let stream = event.stream();
        let subject = lunar::domain::subject::Subject::id_in_stream(&stream).unwrap();
        let compact = event.encode_compact(&stream);
        prop_assert!(compact.starts_with('['), "{}", compact);
        prop_assert_eq!(Event::decode_compact(kinds[index], subject, tick, compact.as_bytes()), Ok(event));
    }

    #[test]
    fn mutated_events_decode_or_fail_cleanly(
        index in 0usize..7,
        cut in 0usize..400,
        byte in any::<u8>(),
    ) {
        let samples = [
            r#"{"game_id":"11112222-3333-4444-5555-666677778888","tick":3}"#,
            r#"{"building_id":"a","work_done":1,"work_required":3,"tick":1}"#,
            r#"{"building_id":"a","tick":9}"#,
            r#"{"building_id":"a","building_type":"hq","x":1,"y":2,"player":"p","work_required":3,"tick":0}"#,
            r#"{"building_id":"a","building_type":"hq","name":"H","glyph":"H","x":1,"y":2,"player":"p","work_required":3,"tick":0}"#,
            r#"{"game_id":"11112222-3333-4444-5555-666677778888","building_id":"a","building_type":"hq","x":1,"y":1,"player":"p","work_required":2,"tick":0}"#,
            r#"{"game_id":"11112222-3333-4444-5555-666677778888","tick":0}"#,
        ];
        let kinds = ["gameloop_advanced", "construction_progressed", "construction_completed",
                     "building_spawned", "building_spawned_v2", "site_planted", "game_stopped"];
        let mut bytes = samples[index].as_bytes().to_vec();
        let at = cut % bytes.len();
        bytes[at] = byte;
        let text = String::from_utf8_lossy(&bytes);
        if let Err(e) = Event::decode(kinds[index], &text) {
            prop_assert!(!e.to_string().is_empty());
        }
    }
}

#[test]
fn every_flag_with_a_bad_value_exits_2_and_says_which() {
    let cases: &[(&[&str], &str)] = &[
        (&["events", "x", "--from-tick", "-1"], "--from-tick"),
        (&["events", "x", "--to-tick", "soon"], "--to-tick"),
        (&["state", "x", "--at-tick", "1.5"], "--at-tick"),
        (&["branch", "x", "--at-tick", "", "y"], "--at-tick"),
        (&["play", "--tick-ms", "0"], "--tick-ms"),
        (&["play", "--tick-ms", "fast"], "--tick-ms"),
        (&["new", "n", "--seed", "-3"], "--seed"),
        (&["script", "generate", "--ticks", "many"], "--ticks"),
        (&["script", "generate", "--sites", "-1"], "--sites"),
        (&["script", "generate", "--overlap", "x"], "--overlap"),
        (&["bench", "--seeks", "lots"], "--seeks"),
        (&["bench", "--ticks", "-5"], "--ticks"),
        (&["events", "x", "--colour"], "--colour"),
        (&["state"], "<SAVE>"),
        (&["script", "run"], "<FILE>"),
        (&["branch", "x", "y"], "--at-tick"),
    ];
    for (args, names) in cases {
        let (code, out, err) = lunar(args);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(err.contains(names), "{args:?} should name {names}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn bad_values_inside_commands_are_refused_with_their_reason() {
    let dir = tempfile::tempdir().unwrap();
    let saves = dir.path().to_str().unwrap();
    for (args, expected) in [
        (
            vec!["--saves", saves, "new", "bad name"],
            "is not a save name",
        ),
        (
            vec![
                "--saves",
                saves,
                "new",
                "ok",
                "--classic",
                "--map",
                "../../etc/passwd",
            ],
            "is not a map name",
        ),
        (
            vec![
                "--saves",
                saves,
                "new",
                "ok",
                "--classic",
                "--map",
                "atlantis",
            ],
            "no map called \"atlantis\"",
        ),
        (
            vec!["--saves", saves, "new", "ok", "--mission", "../x"],
            "is not a mission name",
        ),
        (
            vec!["--saves", saves, "new", "ok", "--mission", "moonwalk"],
            "no mission called \"moonwalk\"",
        ),
        (
            vec!["script", "generate", "--sites", "999999"],
            "do not fit on map",
        ),
        (vec!["--assets", saves, "demo"], "demo.scenario"),
    ] {
        let (code, out, err) = lunar(&args);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(err.contains(expected), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
    }
}

/// The most heap the command line holds at once while running `args`, output discarded.
fn peak_heap(args: &[&str]) -> usize {
    lunar::alloc::start();
    let before = lunar::alloc::live_bytes();
    lunar::alloc::reset_peak();
    let argv = std::iter::once("lunar")
        .chain(args.iter().copied())
        .map(Into::into);
    let code = lunar::cli::run(argv, &mut std::io::sink(), &mut std::io::sink());
    assert_eq!(code, 0, "{args:?}");
    lunar::alloc::peak_bytes().saturating_sub(before)
}

#[test]
fn events_and_verify_stream_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let short = generated_save(dir.path(), 300);
    let long = generated_save(dir.path(), 3_000);
    for command in [&["events"][..], &["events", "--json"], &["verify"]] {
        let peak = |save: &std::path::Path| {
            let mut args = vec![command[0], save.to_str().unwrap()];
            args.extend(&command[1..]);
            peak_heap(&args)
        };
        let (small, large) = (peak(&short), peak(&long));
        // Ten times the log, not ten times the memory: what grows is only what a fold keeps
        // (one entry per stream, and there are no more streams than sites).
        assert!(
            large < small * 2 + (256 << 10),
            "{command:?}: {small} bytes for 300 ticks, {large} for 3,000"
        );
    }
}

#[test]
fn a_statement_that_could_never_finish_is_refused_up_front() {
    for (text, expected) in [
        (
            "game start\ntick 4294967295\n",
            "a script runs at most 1000000",
        ),
        (
            "game start\ntick 600000\ntick 600000\n",
            "would run 1200000 ticks by here",
        ),
    ] {
        let err = parse::parse("huge.scenario", text).unwrap_err();
        assert!(err.to_string().contains(expected), "{err}");
        assert!(err.to_string().starts_with("huge.scenario:"), "{err}");
    }
    let comment = format!("game start\n# {}\n", "x".repeat(50 << 20));
    lunar::alloc::start();
    let before = lunar::alloc::live_bytes();
    lunar::alloc::reset_peak();
    let err = parse::parse("comment.scenario", &comment).unwrap_err();
    let used = lunar::alloc::peak_bytes().saturating_sub(before);
    assert_eq!(
        err.to_string(),
        "comment.scenario:2:1: this line is 52428802 bytes long; a script line holds at most 4096"
    );
    assert!(used < 1 << 20, "{used} bytes to refuse a long line");
}

#[test]
fn flags_are_checked_once_where_they_are_given() {
    for (args, flag) in [
        (&["bench", "--seeks", "0"][..], "--seeks"),
        (&["bench", "--seeks", "18446744073709551615"], "--seeks"),
        (&["bench", "--ticks", "0"], "--ticks"),
        (&["bench", "--ticks", "5000000000"], "--ticks"),
        (&["bench", "--buildings", "0"], "--buildings"),
        (&["script", "generate", "--ticks", "4294967296"], "--ticks"),
        (&["script", "generate", "--sites", "0"], "--sites"),
        (&["script", "generate", "--overlap", "0"], "--overlap"),
    ] {
        let (code, out, err) = lunar(args);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(err.contains(flag), "{args:?}: {err}");
    }
    // What the flags admit, generate's scripts run.
    let (code, text, _) = lunar(&["script", "generate", "--ticks", "1000000", "--sites", "1"]);
    assert_eq!(code, 0);
    assert!(parse::parse("max.scenario", &text).is_ok());
}

#[test]
fn names_are_printed_with_control_characters_escaped() {
    use lunar::store::{EventReader, EventStore};
    // An older build let any name through; the save it wrote must still print safely.
    let (_keep, good) =
        crate::support::save_from("game start name=\"Tranquility\" player=p\ntick 2\n");
    let mut events = lunar::store::sqlite::SqliteStore::open_read_only(&good)
        .unwrap()
        .read_all()
        .unwrap();
    let lunar::domain::event::Event::GameStarted(started) = &mut events[0].event else {
        panic!("{:?}", events[0]);
    };
    started.name = "\u{1b}]0;pwned\u{7}".into();
    started.player = "p\u{1b}[2J".into();
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("odd.lunar");
    let mut store = lunar::store::sqlite::SqliteStore::create(&save).unwrap();
    store.append(&events).unwrap();
    drop(store);
    let saves = dir.path().to_str().unwrap();
    for args in [
        vec!["state", save.to_str().unwrap()],
        vec!["--saves", saves, "saves"],
        vec!["events", save.to_str().unwrap()],
    ] {
        let (code, out, err) = lunar(&args);
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{7}'),
            "{args:?}: {out:?}"
        );
        assert!(
            out.contains("\\u{1b}]0;pwned") || out.contains("\\u001b]0;pwned"),
            "{args:?}: {out}"
        );
    }
    // New games refuse such names outright.
    let (_, session) = crate::support::run_script(
        "odd.scenario",
        "game start name=\"bell\u{7}\"\nexpect rejected invalid_name\n",
        lunar::store::memory::MemoryStore::new(),
    );
    assert!(!session.projections().colony.started);
}

#[test]
fn a_reader_that_stops_early_is_a_normal_end() {
    let dir = tempfile::tempdir().unwrap();
    let save = generated_save(dir.path(), 2_000);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_lunar"))
        .args(["events", save.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    std::io::BufRead::read_line(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    assert!(first.contains("game_started"), "{first}");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

#[test]
fn small_mistakes_get_a_reason_not_silence() {
    let (_keep, save) = crate::support::save_from("game start\ntick 12\n");
    let save = save.to_str().unwrap();
    let (code, out, err) = lunar(&["events", save, "--from-tick", "10", "--to-tick", "5"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(err.contains("--from-tick 10 is after --to-tick 5"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    let demo = crate::support::assets().join("scenarios/demo.scenario");
    let (code, _, err) = lunar(&[
        "script",
        "run",
        demo.to_str().unwrap(),
        "--save",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("is a directory"), "{err}");

    let id = "x".repeat(4000);
    let err = parse::parse("id.scenario", &format!("build hq id={id} at=1,1\n")).unwrap_err();
    assert!(err.to_string().len() < 300, "{err}");
    assert!(err.to_string().contains("(4000 bytes in all)"), "{err}");
}

#[test]
fn quotes_and_backslashes_can_be_escaped_in_scripts() {
    let script = parse::parse(
        "q.scenario",
        "game start name=\"Say \\\"hi\\\" \\\\o/\" player=p\n",
    )
    .unwrap();
    let lunar::scenario::script::Statement::GameStart { name, .. } = &script.statements[0].1 else {
        panic!("{script:?}");
    };
    assert_eq!(name.as_deref(), Some("Say \"hi\" \\o/"));
    let err = parse::parse("q.scenario", "game start name=\"a\\nb\"\n").unwrap_err();
    assert_eq!(
        err.to_string(),
        "q.scenario:1:19: inside quotes, a backslash starts \\\" (a quote) or \\\\ (a backslash)"
    );
}
