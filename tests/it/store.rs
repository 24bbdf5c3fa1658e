//! The event stores: appends all-or-nothing and checked against stream versions; save files
//! that refuse to be mistaken for anything else.

use std::path::Path;

use lunar::engine::envelope::RecordedEvent;
use lunar::store::memory::MemoryStore;
use lunar::store::sqlite::{APPLICATION_ID, SCHEMA_VERSION, SqliteStore};
use lunar::store::{EventReader, EventStore, StoreError, TickRange};

use crate::support::{generated_save, run_script};

/// Twelve events from a short game, to append elsewhere.
fn sample_events() -> Vec<RecordedEvent> {
    let text = "game start seed=1\nbuild hq id=a at=1,1 ticks=2\ntick 3\n";
    let (_, session) = run_script("sample.scenario", text, MemoryStore::new());
    session.store().read_all().unwrap()
}

/// Runs the same append checks on any store.
fn check_appends(store: &mut dyn EventStore) {
    let events = sample_events();
    store.append(&events[..3]).unwrap();

    let mut gap = events[4].clone();
    gap.seq = 5;
    assert!(matches!(
        store.append(&[gap]),
        Err(StoreError::Conflict { .. })
    ));

    let mut stale = events[3].clone();
    stale.version -= 1;
    let batch = [stale];
    assert!(matches!(
        store.append(&batch),
        Err(StoreError::Conflict { .. })
    ));

    let mut half_bad = events[3..6].to_vec();
    half_bad[2].version = 1;
    assert!(matches!(
        store.append(&half_bad),
        Err(StoreError::Conflict { .. })
    ));
    assert_eq!(
        store.last_seq().unwrap(),
        3,
        "a failed append records nothing"
    );

    store.append(&events[3..]).unwrap();
    assert_eq!(store.read_all().unwrap(), events);
    let tick_two: Vec<u64> = store
        .read(TickRange {
            from: Some(2),
            to: Some(2),
        })
        .unwrap()
        .iter()
        .map(|e| e.tick())
        .collect();
    assert!(!tick_two.is_empty() && tick_two.iter().all(|t| *t == 2));
}

#[test]
fn memory_store_appends_are_checked_and_atomic() {
    check_appends(&mut MemoryStore::new());
}

#[test]
fn sqlite_store_appends_are_checked_and_atomic() {
    let dir = tempfile::tempdir().unwrap();
    check_appends(&mut SqliteStore::create(&dir.path().join("a.lunar")).unwrap());
}

#[test]
fn what_the_game_did_not_derive_is_kept_whole() {
    // Ids, causes, roots and times the game derives are stored as numbers; anything else (a
    // save written by other means, an id drawn at random) is kept as it was given.
    let mut events = sample_events();
    let drawn = |n: u128| uuid::Uuid::from_u128(0x5eed_0000_0000_4000_8000_0000_0000_0000 | n);
    events[1].id = drawn(1);
    events[2].metadata.causation_id = Some(drawn(2));
    events[3].metadata.correlation_id = drawn(3);
    events[4].metadata.recorded_at_ms = Some(1_790_000_000_123);
    events[5].metadata.command = "a command never seen before".into();
    // A cause that comes after the event it caused.
    events[6].metadata.causation_id = Some(events[8].id);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.lunar");
    let mut store = SqliteStore::create(&path).unwrap();
    store.append(&events[..5]).unwrap();
    store.append(&events[5..]).unwrap();
    drop(store);
    let store = SqliteStore::open_read_only(&path).unwrap();
    assert_eq!(store.read_all().unwrap(), events);
    assert_eq!(
        store.scan_for_audit(&mut |_| {}).unwrap(),
        Vec::<u64>::new()
    );
    drop(store);

    // The columns that hold them are chained like the rest.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let kept: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM events WHERE typeof(meta) = 'text'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        kept, 4,
        "a drawn id, two drawn causes and a drawn root kept whole"
    );
    conn.execute(
        "UPDATE events SET meta = replace(meta, '5eed', '5eee') WHERE seq = 2",
        [],
    )
    .unwrap();
    drop(conn);
    let store = SqliteStore::open_read_only(&path).unwrap();
    assert!(matches!(
        store.read_all(),
        Err(StoreError::Tampered { seq: 2, .. })
    ));
}

#[test]
fn a_compact_save_refuses_an_event_that_goes_back_in_time() {
    let events = sample_events();
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::create(&dir.path().join("a.lunar")).unwrap();
    let last = events.iter().rposition(|e| e.tick() == 2).unwrap();
    store.append(&events[..=last]).unwrap();
    let mut late = events[last + 1].clone();
    assert!(late.tick() > 2);
    late.event = events[1].event.clone();
    late.stream = events[1].stream.clone();
    late.version = events[1].version + 100;
    let refused = store.append(&[late]);
    assert!(
        matches!(&refused, Err(StoreError::Conflict { reason }) if reason.contains("tick")),
        "{refused:?}"
    );
    store.append(&events[last + 1..]).unwrap();
    assert_eq!(store.read_all().unwrap(), events);
}

#[test]
fn a_save_records_its_schema_and_game() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.lunar");
    let mut store = SqliteStore::create(&path).unwrap();
    assert_eq!(store.info().unwrap().game_id, None);
    let events = sample_events();
    store.append(&events).unwrap();
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let app: i64 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        (app, version, mode.as_str()),
        (APPLICATION_ID, SCHEMA_VERSION, "delete")
    );
    let info = SqliteStore::open_read_only(&path).unwrap().info().unwrap();
    let started = match &events[0].event {
        lunar::domain::event::Event::GameStarted(e) => e.game_id,
        other => panic!("first event is {other:?}"),
    };
    assert_eq!(info.game_id, Some(started));
}

/// Opening `path` fails with a message containing `expected`, and leaves its bytes alone.
fn check_refused(path: &Path, expected: &str) {
    let before = std::fs::read(path).ok();
    for result in [SqliteStore::open(path), SqliteStore::open_read_only(path)] {
        let message = match result {
            Ok(_) => panic!("{} opened", path.display()),
            Err(e) => e.to_string(),
        };
        assert!(message.contains(expected), "{message}");
        assert!(message.contains(&path.display().to_string()), "{message}");
    }
    assert_eq!(
        std::fs::read(path).ok(),
        before,
        "{} changed",
        path.display()
    );
}

#[test]
fn foreign_files_are_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.lunar");
    std::fs::write(&empty, b"").unwrap();
    check_refused(&empty, "the file is empty");

    let noise = dir.path().join("noise.lunar");
    let bytes: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&noise, bytes).unwrap();
    check_refused(&noise, "not a SQLite database");

    let other = dir.path().join("other.db");
    let conn = rusqlite::Connection::open(&other).unwrap();
    conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    drop(conn);
    check_refused(&other, "not one this game wrote");

    let newer = dir.path().join("newer.lunar");
    drop(SqliteStore::create(&newer).unwrap());
    let conn = rusqlite::Connection::open(&newer).unwrap();
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    drop(conn);
    check_refused(&newer, &format!("schema version {}", SCHEMA_VERSION + 1));

    check_refused(dir.path(), "is a directory");
    check_refused(&dir.path().join("missing.lunar"), "no such save");
}

#[test]
fn creating_a_save_never_overwrites_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.lunar");
    std::fs::write(&path, b"precious").unwrap();
    assert!(matches!(
        SqliteStore::create(&path),
        Err(StoreError::Exists { .. })
    ));
    assert_eq!(std::fs::read(&path).unwrap(), b"precious");
}

#[test]
fn a_read_only_save_refuses_appends() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.lunar");
    drop(SqliteStore::create(&path).unwrap());
    let mut store = SqliteStore::open_read_only(&path).unwrap();
    assert!(store.append(&sample_events()).is_err());
    assert_eq!(store.last_seq().unwrap(), 0);
}

/// Counts what a whole-log read hands on before it stops, and how it stops. What it shows
/// ahead, on the checking thread, must be exactly what it hands on, even where a damaged row
/// stops it with the next batch already checked.
fn read_whole(store: &SqliteStore) -> (u64, Result<(), StoreError>) {
    let mut last = 0;
    let mut shown = Vec::new();
    let result = store.scan_facts_ahead(0, None, &mut |f| shown.push(f.seq), &mut |f| {
        assert_eq!(f.seq, last + 1, "in order, none skipped");
        last = f.seq;
    });
    assert_eq!(shown, (1..=last).collect::<Vec<_>>());
    (last, result)
}

#[test]
fn a_long_read_hands_on_exactly_the_rows_before_a_damaged_one() {
    // Long enough that the chain is checked beside the decoding, batch by batch.
    let dir = tempfile::tempdir().unwrap();
    let save = generated_save(dir.path(), 1_000);
    let store = SqliteStore::open_read_only(&save).unwrap();
    let total = store.last_seq().unwrap();
    assert!(total > 8_000, "{total} events");
    let (handed, result) = read_whole(&store);
    assert!(
        result.is_ok() && handed == total,
        "{handed} of {total}: {result:?}"
    );
    drop(store);

    let conn = rusqlite::Connection::open(&save).unwrap();
    conn.execute(
        "UPDATE events SET data = '[ ' || substr(data, 2) WHERE seq = 5000",
        [],
    )
    .unwrap();
    drop(conn);
    let store = SqliteStore::open_read_only(&save).unwrap();
    let (handed, result) = read_whole(&store);
    assert_eq!(handed, 4_999);
    assert!(
        matches!(result, Err(StoreError::Tampered { seq: 5000, .. })),
        "{result:?}"
    );
    let mut audited = 0;
    let breaks = store.scan_for_audit(&mut |_| audited += 1).unwrap();
    assert_eq!((breaks, audited), (vec![5000], total));
    drop(store);

    let conn = rusqlite::Connection::open(&save).unwrap();
    conn.execute("UPDATE events SET tick = 'soon' WHERE seq = 7000", [])
        .unwrap();
    drop(conn);
    let store = SqliteStore::open_read_only(&save).unwrap();
    let mut audited = 0;
    let result = store.scan_for_audit(&mut |_| audited += 1);
    assert!(
        matches!(result, Err(StoreError::Corrupt { seq: 7000, .. })),
        "{result:?}"
    );
    assert_eq!(audited, 6_999);
    drop(store);

    // Row 5000 mended, the read stops at the row it cannot read, after every row before it.
    let conn = rusqlite::Connection::open(&save).unwrap();
    conn.execute(
        "UPDATE events SET data = '[' || substr(data, 3) WHERE seq = 5000",
        [],
    )
    .unwrap();
    drop(conn);
    let store = SqliteStore::open_read_only(&save).unwrap();
    let (handed, result) = read_whole(&store);
    assert_eq!(handed, 6_999);
    assert!(
        matches!(result, Err(StoreError::Corrupt { seq: 7000, .. })),
        "{result:?}"
    );
}
