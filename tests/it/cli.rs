//! The `lunar` command line: outputs, exit codes, and a save that reading never changes.

use std::path::Path;

use lunar::domain::event::Event;
use lunar::domain::subject::Subject;
use lunar::engine::envelope::{self, Metadata, RecordedEvent, Source};
use lunar::store::sqlite::SqliteStore;
use lunar::store::{EventReader, EventStore};

use crate::support::{lunar, root, save_from};

const GAME: &str = "game start seed=1 map=small player=px42 name=\"Cli Colony\"
build hq id=a at=1,1 ticks=3
tick 4
";

fn arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn events_prints_one_json_object_a_line_within_a_tick_range() {
    let (_dir, save) = save_from(GAME);
    let (code, out, err) = lunar(&[
        "events",
        arg(&save),
        "--json",
        "--from-tick",
        "2",
        "--to-tick",
        "3",
    ]);
    assert_eq!((code, err.as_str()), (0, ""));
    let keys = [
        "seq", "id", "stream", "version", "type", "tick", "data", "metadata",
    ];
    for line in out.lines() {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        for key in keys {
            assert!(value.get(key).is_some(), "{key} missing from {line}");
        }
        let tick = value["tick"].as_u64().unwrap();
        assert!((2..=3).contains(&tick), "{line}");
    }
    insta::assert_snapshot!(out);
}

#[test]
fn events_and_state_print_text_by_default() {
    let (_dir, save) = save_from(GAME);
    let (code, events, _) = lunar(&["events", arg(&save)]);
    assert_eq!(code, 0);
    let (code, state, _) = lunar(&["state", arg(&save), "--at-tick", "2"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(format!("{events}\n{state}"));
}

#[test]
fn state_at_tick_follows_the_building_through_time() {
    let (_dir, save) = save_from(GAME);
    let mut seen = Vec::new();
    for tick in ["0", "1", "2", "3", "4"] {
        let (code, out, err) = lunar(&["state", arg(&save), "--at-tick", tick, "--json"]);
        assert_eq!(code, 0, "{err}");
        let state: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(state["tick"].to_string(), tick);
        let b = &state["buildings"][0];
        for key in [
            "id",
            "type",
            "x",
            "y",
            "player",
            "progress_percent",
            "ready",
            "spawned_tick",
            "completed_tick",
        ] {
            assert!(b.get(key).is_some(), "{key} missing at tick {tick}");
        }
        seen.push(format!(
            "{tick}: {}% ready={} completed={}",
            b["progress_percent"], b["ready"], b["completed_tick"]
        ));
    }
    assert_eq!(
        seen,
        [
            "0: 0% ready=false completed=null",
            "1: 33% ready=false completed=null",
            "2: 66% ready=false completed=null",
            "3: 100% ready=true completed=3",
            "4: 100% ready=true completed=3",
        ]
    );
    let (code, _, err) = lunar(&["state", arg(&save), "--at-tick", "5"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("tick 5 is past the end of the game, which is at tick 4"),
        "{err}"
    );
}

#[test]
fn verify_passes_an_untouched_save() {
    let (_dir, save) = save_from(GAME);
    let (code, out, _) = lunar(&["verify", arg(&save)]);
    assert_eq!(code, 0, "{out}");
    assert!(out.ends_with("no findings\n"), "{out}");
}

/// Edits a save with raw SQL, then checks that verify fails and names `seq`.
fn check_tampered(sql: &str, seq: &str) -> String {
    let (_dir, save) = save_from(GAME);
    let conn = rusqlite::Connection::open(&save).unwrap();
    conn.execute_batch(sql).unwrap();
    drop(conn);
    let (code, out, err) = lunar(&["verify", arg(&save)]);
    assert_eq!(code, 1, "{sql}\n{out}");
    assert!(out.contains(&format!("seq {seq}:")), "{sql}\n{out}");
    assert!(err.contains("findings") || err.contains("damaged"), "{err}");
    out.replace(arg(&save), "SAVE")
}

#[test]
fn verify_catches_a_save_edited_by_hand() {
    let edited = check_tampered("UPDATE events SET data = '[3,3]' WHERE seq = 7", "7");
    insta::assert_snapshot!("verify_edited", edited);
    let past_required = check_tampered("UPDATE events SET data = '[4,3]' WHERE seq = 9", "9");
    assert!(
        past_required.contains("a progressed to 4/3 but requires 3"),
        "{past_required}"
    );
    check_tampered("DELETE FROM events WHERE seq = 6", "7");
    check_tampered(
        "UPDATE events SET seq = -1 WHERE seq = 4;
         UPDATE events SET seq = 4 WHERE seq = 5;
         UPDATE events SET seq = 5 WHERE seq = -1;",
        "4",
    );
    check_tampered("UPDATE events SET data = '{\"oops\":1}' WHERE seq = 3", "3");
}

#[test]
fn verify_reports_an_event_recorded_for_a_rejected_action() {
    // Appended through the store, so the chain holds and only the rules can catch it.
    let (_dir, save) = save_from(GAME);
    let mut store = SqliteStore::open(&save).unwrap();
    let last = store.read_all().unwrap().pop().unwrap();
    assert_eq!(last.seq, 11);
    let Subject::Game(game) = last.event.subject() else {
        panic!("{last:?}")
    };
    let data = format!(
        r#"{{"game_id":"{}","building_id":"z","building_type":"hq","x":1,"y":1,"player":"px42","work_required":3,"tick":4}}"#,
        game.0
    );
    store
        .append(&[RecordedEvent {
            seq: 12,
            id: envelope::event_id(game, 12),
            stream: last.stream,
            version: last.version + 1,
            event: Event::decode("site_planted", &data).unwrap(),
            metadata: Metadata {
                causation_id: None,
                correlation_id: envelope::command_id(game, 12),
                source: Source::Player,
                command: "plant_site".into(),
                recorded_at_ms: None,
            },
        }])
        .unwrap();
    drop(store);
    let (code, out, _) = lunar(&["verify", arg(&save)]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            "seq 12: site_planted records an action the rules reject: tile (1,1) is taken by a"
        ),
        "{out}"
    );
}

#[test]
fn reading_a_save_never_changes_it() {
    let (_dir, save) = save_from(GAME);
    let before = std::fs::read(&save).unwrap();
    for args in [
        vec!["events", arg(&save)],
        vec!["events", arg(&save), "--json"],
        vec!["state", arg(&save), "--at-tick", "2"],
        vec!["verify", arg(&save)],
    ] {
        assert_eq!(lunar(&args).0, 0, "{args:?}");
    }
    assert_eq!(std::fs::read(&save).unwrap(), before);
}

#[test]
fn bad_input_exits_2_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("bad.scenario");
    std::fs::write(&script, "game start\ntick 2\nbuild hq id=a at=1\n").unwrap();
    let (code, _, err) = lunar(&["script", "run", arg(&script)]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        format!(
            "lunar: {}:3:18: expected coordinates x,y, found \"1\"\n",
            arg(&script)
        )
    );

    let (code, _, err) = lunar(&["state", arg(&script)]);
    assert_eq!(code, 2);
    assert!(err.contains("not a Lunar Frontiers save"), "{err}");

    let (code, _, err) = lunar(&["events", "no-such.lunar", "--from-tick", "x"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("invalid value 'x' for '--from-tick <A>'"),
        "{err}"
    );

    let (code, _, err) = lunar(&["launch"]);
    assert_eq!(code, 2);
    assert!(err.contains("unrecognized subcommand 'launch'"), "{err}");

    let missing_map = dir.path().join("map.scenario");
    std::fs::write(&missing_map, "game start map=atlantis\n").unwrap();
    let (code, _, err) = lunar(&["script", "run", arg(&missing_map)]);
    assert_eq!(code, 2);
    assert!(
        err.contains(":1:1: ") && err.contains("no map called \"atlantis\""),
        "{err}"
    );
}

#[test]
fn script_run_saves_to_a_new_file_only() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("game.scenario");
    std::fs::write(&script, GAME).unwrap();
    let save = dir.path().join("game.lunar");
    let (code, out, err) = lunar(&["script", "run", arg(&script), "--save", arg(&save)]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("saved to"), "{out}");
    let before = std::fs::read(&save).unwrap();
    let (code, _, err) = lunar(&["script", "run", arg(&script), "--save", arg(&save)]);
    assert_eq!(code, 2);
    assert!(err.contains("a save already exists there"), "{err}");
    assert_eq!(std::fs::read(&save).unwrap(), before);
}

#[test]
fn a_failed_expectation_exits_1() {
    let script = root().join("tests/scenarios/failing_expectations.scenario");
    let (code, out, err) = lunar(&["script", "run", arg(&script)]);
    assert_eq!(code, 1);
    assert!(
        out.contains("failing_expectations.scenario:6:1: expected alpha to be ready"),
        "{out}"
    );
    assert!(err.contains("expectations failed"), "{err}");
}

#[test]
fn the_binary_runs_the_demo_and_maps_exit_codes() {
    let bin = env!("CARGO_BIN_EXE_lunar");
    let demo = crate::support::succeeds(
        std::process::Command::new(bin)
            .arg("demo")
            .current_dir(root()),
    );
    assert!(demo.contains("Tranquility Base"));
    let bad = std::process::Command::new(bin)
        .arg("--nope")
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("copy.lunar");
    std::fs::copy(root().join("tests/fixtures/schema-v1.lunar"), &save).unwrap();
    for command in ["play", "replay"] {
        let no_terminal = std::process::Command::new(bin)
            .args([command, save.to_str().unwrap()])
            .output()
            .unwrap();
        assert_eq!(no_terminal.status.code(), Some(2), "{command}");
        let err = String::from_utf8_lossy(&no_terminal.stderr);
        assert!(err.contains("need a terminal"), "{command}: {err}");
    }
}

#[test]
fn events_text_stays_in_columns_whatever_the_streams_are_called() {
    let long = "a-building-with-a-very-long-name";
    let (_dir, save) = save_from(&format!(
        "game start seed=1 map=small\nbuild hq id={long} at=1,1 ticks=2\nbuild hq id=b at=2,2 ticks=2\ntick 2\n"
    ));
    let (code, out, _) = lunar(&["events", arg(&save)]);
    assert_eq!(code, 0);
    let type_column = |line: &str| {
        lunar::domain::event::Event::TYPES
            .iter()
            .filter_map(|t| line.find(&format!(" {t} ")))
            .min()
            .unwrap()
    };
    let columns: Vec<usize> = out.lines().map(type_column).collect();
    assert!(columns.windows(2).all(|w| w[0] == w[1]), "{out}");
    assert!(out.contains("bldg-a-build~long-name#1"), "{out}");
}

#[test]
fn saves_lists_branches_under_their_origin_and_the_one_lunar_opens() {
    let (dir, save) = save_from(GAME);
    let saves = dir.path().to_str().unwrap();
    std::fs::rename(&save, dir.path().join("root.lunar")).unwrap();
    for (from, tick, to) in [
        ("root", "2", "early"),
        ("early", "1", "earlier"),
        ("root", "3", "late"),
    ] {
        let (code, _, err) = lunar(&["--saves", saves, "branch", from, "--at-tick", tick, to]);
        assert_eq!(code, 0, "{err}");
    }
    // The newest file is what `lunar` alone opens.
    let newest = dir.path().join("late.lunar");
    let file = std::fs::File::options().append(true).open(&newest).unwrap();
    file.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(60))
        .unwrap();
    let (code, out, _) = lunar(&["--saves", saves, "saves"]);
    assert_eq!(code, 0);
    let names: Vec<String> = out
        .lines()
        .skip(2)
        .map(|l| l.chars().take(24).collect::<String>().trim_end().to_owned())
        .collect();
    assert_eq!(names, ["root", "└ early", "  └ earlier", "└ late"], "{out}");
    let late = out.lines().find(|l| l.contains("late")).unwrap();
    assert!(
        late.contains("branched at tick 3") && late.contains("`lunar` opens this"),
        "{out}"
    );
}

#[test]
fn help_and_version_go_to_standard_output_and_a_bad_flag_to_standard_error() {
    let (code, out, err) = lunar(&["--help"]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert!(out.contains("Usage: lunar"), "{out}");
    let (code, out, _) = lunar(&["new", "--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("--mission <MISSION>"), "{out}");
    let (code, out, _) = lunar(&["--version"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("lunar "), "{out}");
    let (code, out, err) = lunar(&["--no-such-flag"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(err.contains("--no-such-flag"), "{err}");
}

#[test]
fn completions_and_the_manual_come_from_the_same_flags() {
    for (shell, marker) in [
        ("bash", "_lunar()"),
        ("zsh", "#compdef lunar"),
        ("fish", "complete -c lunar"),
    ] {
        let (code, out, err) = lunar(&["completions", shell]);
        assert_eq!(code, 0, "{err}");
        assert!(out.contains(marker), "{shell}: {out}");
        for command in ["replay", "verify", "missions", "saves"] {
            assert!(out.contains(command), "{shell} completes no {command}");
        }
    }
    // The bash script is valid bash.
    let (_, script, _) = lunar(&["completions", "bash"]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lunar.bash");
    std::fs::write(&file, script).unwrap();
    let status = std::process::Command::new("bash")
        .arg("-n")
        .arg(&file)
        .status()
        .unwrap();
    assert!(status.success());

    let (code, page, _) = lunar(&["man"]);
    assert_eq!(code, 0);
    assert!(page.contains(".TH lunar 1"), "{page}");
    for command in ["replay", "verify", "completions", "LUNAR_SAVES"] {
        assert!(
            page.contains(command),
            "the manual says nothing of {command}"
        );
    }
    let (code, _, err) = lunar(&["completions", "tcsh"]);
    assert_eq!(code, 2);
    assert!(err.contains("possible values"), "{err}");
}

/// The CloudEvents 1.0 rules a consumer relies on: required attributes present and non-empty,
/// optional ones of the right type, extension names of lower-case letters and digits, ids
/// unique within the source, and the data the same as `--json` gives.
#[test]
fn cloudevents_lines_keep_the_specification() {
    let save = root().join("tests/fixtures/schema-v3-robots.lunar");
    let (code, out, err) = lunar(&["events", arg(&save), "--format", "cloudevents"]);
    assert_eq!(code, 0, "{err}");
    let (_, json, _) = lunar(&["events", arg(&save), "--json"]);
    let standard = [
        "specversion",
        "id",
        "source",
        "type",
        "subject",
        "time",
        "datacontenttype",
        "dataschema",
        "data",
    ];
    let mut ids = std::collections::HashSet::new();
    let mut lines = 0;
    for (line, plain) in out.lines().zip(json.lines()) {
        lines += 1;
        let event: serde_json::Value = serde_json::from_str(line).unwrap();
        let plain: serde_json::Value = serde_json::from_str(plain).unwrap();
        let object = event.as_object().unwrap();
        assert_eq!(event["specversion"], "1.0");
        for required in ["id", "source", "type"] {
            let value = event[required].as_str().unwrap_or_default();
            assert!(!value.is_empty(), "{required} missing in {line}");
        }
        assert!(
            event["source"]
                .as_str()
                .unwrap()
                .starts_with("urn:lunar-frontiers:game:")
        );
        assert!(
            ids.insert(event["id"].as_str().unwrap().to_owned()),
            "a repeated id"
        );
        assert_eq!(
            event["type"],
            format!("org.lunarfrontiers.{}", plain["type"].as_str().unwrap())
        );
        assert_eq!(event["subject"], plain["stream"]);
        assert_eq!(event["datacontenttype"], "application/json");
        assert_eq!(event["data"], plain["data"]);
        assert_eq!(event["seq"], plain["seq"]);
        assert_eq!(event["streamversion"], plain["version"]);
        assert_eq!(event["tick"], plain["tick"]);
        assert_eq!(event["correlationid"], plain["metadata"]["correlation_id"]);
        assert_eq!(
            event.get("causationid"),
            plain["metadata"]
                .get("causation_id")
                .filter(|c| !c.is_null())
        );
        for name in object.keys().filter(|k| !standard.contains(&k.as_str())) {
            assert!(
                !name.is_empty()
                    && name.len() <= 20
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
                "extension attribute {name:?}"
            );
        }
    }
    assert_eq!(lines, json.lines().count());
    assert!(lines > 200);
}

/// `lunar schema` describes every event every test scenario and golden save writes, and a
/// malformed event fails it.
#[test]
fn every_stored_event_matches_the_schema_and_a_malformed_one_does_not() {
    let (code, text, err) = lunar(&["schema"]);
    assert_eq!(code, 0, "{err}");
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    let mut lines = Vec::new();
    let scenarios = root().join("tests/scenarios");
    for entry in std::fs::read_dir(&scenarios).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "scenario") {
            let name = path.to_str().unwrap();
            let text = std::fs::read_to_string(&path).unwrap();
            let script = lunar::scenario::parse::parse(name, &text).unwrap();
            let (_, session) = lunar::scenario::run::run(
                &script,
                lunar::store::memory::MemoryStore::new(),
                &lunar::assets::Assets::BuiltIn,
            )
            .unwrap();
            lines.extend(crate::support::json_lines(
                &session.into_store().into_events(),
            ));
        }
    }
    for golden in [
        "schema-v1",
        "schema-v2",
        "schema-v3",
        "schema-v3-lost",
        "schema-v3-robots",
    ] {
        let save = root().join(format!("tests/fixtures/{golden}.lunar"));
        let (_, out, _) = lunar(&["events", arg(&save), "--json"]);
        lines.extend(out.lines().map(str::to_owned));
    }
    let mut seen = std::collections::BTreeSet::new();
    for line in &lines {
        let event: serde_json::Value = serde_json::from_str(line).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&event)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{line}: {errors:?}");
        seen.insert(event["type"].as_str().unwrap().to_owned());
    }
    // Every stored type was checked but `ship_departed`, which only a ship that waits in vain
    // writes; the colony's unit tests cover it.
    let unseen: Vec<&&str> = lunar::domain::event::Event::TYPES
        .iter()
        .filter(|t| !seen.contains(**t))
        .collect();
    assert_eq!(unseen, [&"ship_departed"], "never checked");

    let good: serde_json::Value = serde_json::from_str(
        lines
            .iter()
            .find(|l| l.contains("\"robot_moved\""))
            .unwrap(),
    )
    .unwrap();
    let broken = |change: &dyn Fn(&mut serde_json::Value)| {
        let mut event = good.clone();
        change(&mut event);
        validator.is_valid(&event)
    };
    assert!(broken(&|_| {}));
    assert!(
        !broken(&|e| e["data"]["x"] = "east".into()),
        "a coordinate as text"
    );
    assert!(
        !broken(&|e| e["data"]["battery"] = (-1).into()),
        "a negative battery"
    );
    assert!(
        !broken(&|e| e["data"]["wheels"] = 4.into()),
        "a field no robot_moved has"
    );
    assert!(
        !broken(&|e| {
            e["data"].as_object_mut().unwrap().remove("robot_id");
        }),
        "no robot"
    );
    assert!(
        !broken(&|e| e["type"] = "robot_flew".into()),
        "an unknown type"
    );
    assert!(
        !broken(&|e| e["metadata"]["source"] = "someone".into()),
        "an unknown source"
    );
    assert!(
        !broken(&|e| {
            e.as_object_mut().unwrap().remove("seq");
        }),
        "no seq"
    );
}
