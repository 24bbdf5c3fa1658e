//! Golden saves, one per released schema, generated once and committed. Each must still
//! replay to the projections it had when it was written (law 8).

use lunar::engine::audit::Auditor;
use lunar::playback::state_at;
use lunar::present;
use lunar::store::EventReader;
use lunar::store::sqlite::SqliteStore;

use crate::support::root;

/// Opens a golden save read-only, checks it audits clean and is left untouched, and returns its
/// projections at several ticks and at the end, as text.
fn replay_golden(name: &str, ticks: &[u64]) -> String {
    let path = root().join("tests/fixtures").join(name);
    let before = std::fs::read(&path).unwrap();
    let store = SqliteStore::open_read_only(&path).unwrap();
    let mut auditor = Auditor::new();
    let breaks = store.scan_for_audit(&mut |e| auditor.push(e)).unwrap();
    assert!(breaks.is_empty(), "{name}: hash chain broken at {breaks:?}");
    let report = auditor.finish();
    assert!(report.is_clean(), "{name}: {:?}", report.findings);
    let mut snap = String::new();
    for &tick in ticks {
        let state = state_at(&store, Some(tick)).unwrap();
        snap += &format!("== tick {tick}\n{}\n", present::state_text(&state));
    }
    snap += &present::state_json(&state_at(&store, None).unwrap());
    drop(store);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "replay changed {name}"
    );
    snap
}

#[test]
fn schema_v1_save_replays_to_the_same_projections() {
    insta::assert_snapshot!(replay_golden("schema-v1.lunar", &[0, 5, 12, 23]));
}

#[test]
fn schema_v2_save_replays_to_the_same_projections() {
    insta::assert_snapshot!(replay_golden("schema-v2.lunar", &[0, 5, 12, 23]));
}

#[test]
fn schema_v3_colony_saves_replay_to_the_same_projections() {
    insta::assert_snapshot!(
        "schema_v3_won",
        replay_golden("schema-v3.lunar", &[0, 59, 60, 75, 100, 200])
    );
    insta::assert_snapshot!(
        "schema_v3_lost",
        replay_golden("schema-v3-lost.lunar", &[0, 60, 67, 68])
    );
}

#[test]
fn schema_v3_robot_save_replays_to_the_same_projections() {
    insta::assert_snapshot!(
        "schema_v3_robots",
        replay_golden("schema-v3-robots.lunar", &[0, 10, 20, 41, 45, 50])
    );
}

#[test]
fn schema_v4_save_replays_to_the_same_projections() {
    insta::assert_snapshot!(
        "schema_v4",
        replay_golden("schema-v4.lunar", &[0, 10, 20, 41, 45, 50])
    );
}

/// Schema 5's golden save is schema 4's upgraded, once, by the build that made schema 5
/// (`lunar upgrade tests/fixtures/schema-v4.lunar schema-v5`): the same events in the new file.
#[test]
fn schema_v5_save_replays_to_the_same_projections() {
    insta::assert_snapshot!(
        "schema_v5",
        replay_golden("schema-v5.lunar", &[0, 10, 20, 41, 45, 50])
    );
}

#[test]
fn the_stream_indexed_schema_holds_the_same_events_as_the_one_before() {
    // The same events; each robot's and building's stream reads back whole, through the index
    // each schema has.
    let open = |name: &str| {
        SqliteStore::open_read_only(&root().join("tests/fixtures").join(name)).unwrap()
    };
    let (v4, v5) = (open("schema-v4.lunar"), open("schema-v5.lunar"));
    assert_eq!((v4.schema(), v5.schema()), (4, 5));
    let events = v5.read_all().unwrap();
    assert_eq!(v4.read_all().unwrap(), events);
    let streams: std::collections::BTreeSet<&str> =
        events.iter().map(|e| e.stream.as_str()).collect();
    for stream in streams {
        for to_tick in [0, 20, 50] {
            let read = v5.read_stream(stream, Some(to_tick)).unwrap();
            assert_eq!(
                read,
                v4.read_stream(stream, Some(to_tick)).unwrap(),
                "{stream}"
            );
            let expected: Vec<_> = events
                .iter()
                .filter(|e| e.stream == stream && e.tick() <= to_tick)
                .cloned()
                .collect();
            assert_eq!(read, expected, "{stream} to tick {to_tick}");
        }
    }
}

#[test]
fn the_compact_schema_holds_the_same_events_as_the_one_before() {
    // The same script wrote both: every event, id, stream, version and metadata reads back
    // the same from the compact rows, so `lunar events` prints the same lines.
    let read = |name: &str| {
        let store = SqliteStore::open_read_only(&root().join("tests/fixtures").join(name)).unwrap();
        (store.schema(), store.read_all().unwrap())
    };
    let (v3, before) = read("schema-v3-robots.lunar");
    let (v4, after) = read("schema-v4.lunar");
    assert_eq!((v3, v4), (3, 4));
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(b, a);
    }
    let size = |name: &str| {
        std::fs::metadata(root().join("tests/fixtures").join(name))
            .unwrap()
            .len()
    };
    assert!(
        size("schema-v4.lunar") < size("schema-v3-robots.lunar"),
        "the compact save is the smaller"
    );
}

#[test]
fn the_robot_save_holds_every_robot_event() {
    let store =
        SqliteStore::open_read_only(&root().join("tests/fixtures/schema-v3-robots.lunar")).unwrap();
    assert_eq!(store.schema(), 3);
    let events = store.read_all().unwrap();
    let types: std::collections::BTreeSet<&str> =
        events.iter().map(|e| e.event.type_name()).collect();
    for expected in [
        "robot_ordered",
        "robot_deployed",
        "program_uploaded",
        "robot_moved",
        "robot_mined",
        "robot_picked_up",
        "robot_dropped",
        "robot_worked",
        "robot_charged",
        "robot_said",
        "robot_waited",
        "robot_faulted",
    ] {
        assert!(types.contains(expected), "no {expected} in {types:?}");
    }
    assert!(types.contains("robots_assembled"), "no robot assembled");
}

#[test]
fn the_colony_saves_hold_every_colony_event() {
    let mut types = std::collections::BTreeSet::new();
    for name in ["schema-v3.lunar", "schema-v3-lost.lunar"] {
        let store = SqliteStore::open_read_only(&root().join("tests/fixtures").join(name)).unwrap();
        assert_eq!(store.schema(), 3, "{name}");
        for e in store.read_all().unwrap() {
            types.insert(e.event.type_name());
        }
    }
    // Every colony event a golden save can hold without a game running for hundreds of
    // ticks; `ship_departed` is covered by the colony's scenarios and unit tests.
    for expected in [
        "game_started_v2",
        "colony_founded",
        "building_placed",
        "colony_ticked",
        "power_short",
        "power_restored",
        "colonists_landed",
        "colonist_died",
        "mission_won",
        "mission_lost",
    ] {
        assert!(types.contains(expected), "no {expected} in {types:?}");
    }
}

#[test]
fn both_schemas_tell_the_same_story() {
    let project = |name: &str| {
        let store = SqliteStore::open_read_only(&root().join("tests/fixtures").join(name)).unwrap();
        present::state_text(&state_at(&store, None).unwrap())
    };
    // The same scenario wrote both: only the file format and the spawn event's schema differ.
    let v1 = project("schema-v1.lunar").replace("Golden Colony", "");
    let v2 = project("schema-v2.lunar").replace("Golden Colony", "");
    assert_eq!(v1, v2);
    let store =
        SqliteStore::open_read_only(&root().join("tests/fixtures/schema-v2.lunar")).unwrap();
    let types: Vec<&str> = store
        .read_all()
        .unwrap()
        .iter()
        .map(|e| e.event.type_name())
        .collect::<Vec<_>>()
        .into_iter()
        .filter(|t| t.starts_with("building_spawned"))
        .collect();
    assert!(
        types.iter().all(|t| *t == "building_spawned_v2"),
        "{types:?}"
    );
    assert_eq!(store.schema(), 2);
}

#[test]
fn each_golden_save_is_one_checkpointed_file() {
    let dir = root().join("tests/fixtures");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            name.ends_with(".lunar") || name.ends_with(".scenario") || name.ends_with(".rhai"),
            "{name}: a golden save has no side files (a script and its programs beside it)"
        );
        if name.ends_with(".lunar") {
            let header = std::fs::read(dir.join(&name)).unwrap();
            // Bytes 18 and 19 are SQLite's read and write versions: 1 for a rollback journal,
            // 2 for WAL, which would make even a read-only opening leave files beside it.
            assert_eq!(
                (header[18], header[19]),
                (1, 1),
                "{name} is not checkpointed"
            );
        }
    }
}

#[test]
fn an_old_golden_save_upgrades_to_a_copy_that_projects_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let saves = dir.path().to_str().unwrap();
    for (golden, ticks) in [
        ("schema-v1", 24),
        ("schema-v2", 24),
        ("schema-v3", 201),
        ("schema-v3-lost", 69),
        ("schema-v3-robots", 51),
        ("schema-v4", 51),
    ] {
        let original = root().join(format!("tests/fixtures/{golden}.lunar"));
        let before = std::fs::read(&original).unwrap();
        let new = format!("{golden}-upgraded");
        let (code, out, err) = crate::support::lunar(&[
            "--saves",
            saves,
            "upgrade",
            original.to_str().unwrap(),
            &new,
        ]);
        assert_eq!(code, 0, "{err}");
        assert!(
            out.contains(&format!("the same projections at all {ticks} ticks")),
            "{out}"
        );
        assert_eq!(
            std::fs::read(&original).unwrap(),
            before,
            "the original changed"
        );

        let copy = dir.path().join(format!("{new}.lunar"));
        let store = SqliteStore::open_read_only(&copy).unwrap();
        assert_eq!(store.schema(), lunar::store::sqlite::SCHEMA_VERSION);
        let old = SqliteStore::open_read_only(&original).unwrap();
        assert_eq!(store.read_all().unwrap(), old.read_all().unwrap());
        for tick in [0, 5, 12, 23] {
            assert_eq!(
                present::state_text(&state_at(&store, Some(tick)).unwrap()),
                present::state_text(&state_at(&old, Some(tick)).unwrap()),
                "{golden} at tick {tick}"
            );
        }
        drop(store);
        let (code, out, _) = crate::support::lunar(&["verify", copy.to_str().unwrap()]);
        assert_eq!(code, 0, "{out}");
        assert!(
            out.contains("ok    every row continues the hash chain"),
            "{out}"
        );

        // A name taken is refused, and the save there is left as it was.
        let taken = std::fs::read(&copy).unwrap();
        let (code, _, err) = crate::support::lunar(&[
            "--saves",
            saves,
            "upgrade",
            original.to_str().unwrap(),
            &new,
        ]);
        assert_eq!(code, 2, "{err}");
        assert_eq!(std::fs::read(&copy).unwrap(), taken);
    }
    let (_current_dir, current) = crate::support::save_from("game start\ntick 2\n");
    let (code, _, err) = crate::support::lunar(&[
        "--saves",
        saves,
        "upgrade",
        current.to_str().unwrap(),
        "again",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("already of schema 5"), "{err}");
    assert!(!dir.path().join("again.lunar").exists());
}
