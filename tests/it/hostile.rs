//! Hostile input: scripts, stored rows and command-line flags made to break things. Nothing
//! panics or hangs, and every error says where and what.

use lunar::domain::event::Event;
use lunar::scenario::parse;
use proptest::prelude::*;

use crate::support::lunar;

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
            vec!["--saves", saves, "new", "ok", "--map", "../../etc/passwd"],
            "is not a map name",
        ),
        (
            vec!["--saves", saves, "new", "ok", "--map", "atlantis"],
            "no map called \"atlantis\"",
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
