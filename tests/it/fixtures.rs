//! Golden saves, one per released schema, generated once and committed. Each must still
//! replay to the projections it had when it was written (law 8).

use lunar::engine::audit::audit;
use lunar::playback::state_at;
use lunar::present;
use lunar::store::EventReader;
use lunar::store::sqlite::SqliteStore;

use crate::support::root;

#[test]
fn schema_v1_save_replays_to_the_same_projections() {
    let path = root().join("tests/fixtures/schema-v1.lunar");
    let before = std::fs::read(&path).unwrap();
    let store = SqliteStore::open_read_only(&path).unwrap();
    let events = store.read_all().unwrap();
    assert!(audit(&events).is_clean());
    let mut snap = String::new();
    for tick in [0, 5, 12, 23] {
        let state = state_at(&store, Some(tick)).unwrap();
        snap += &format!("== tick {tick}\n{}\n", present::state_text(&state));
    }
    snap += &present::state_json(&state_at(&store, None).unwrap());
    insta::assert_snapshot!(snap);
    drop(store);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "replay changed the fixture"
    );
}
