//! A game closed and reopened writes the same log as one that never stopped.

use lunar::store::EventReader;
use lunar::store::memory::MemoryStore;
use lunar::store::sqlite::SqliteStore;

use crate::support::{json_lines, run_script};

const FIRST_HALF: &str = "game start seed=12 map=small player=px42
build hq id=alpha at=1,1
build housing id=home at=2,2
tick 10
";
const SECOND_HALF: &str = "build oxygen id=late at=3,3
tick 10
";

#[test]
fn ten_ticks_closed_reopened_and_ten_more_equal_twenty_ticks() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("resume.lunar");
    run_script(
        "first.scenario",
        FIRST_HALF,
        SqliteStore::create(&path).unwrap(),
    );
    let (report, _) = run_script(
        "second.scenario",
        SECOND_HALF,
        SqliteStore::open(&path).unwrap(),
    );
    assert_eq!(report.ticks, 10);
    let resumed = SqliteStore::open_read_only(&path)
        .unwrap()
        .read_all()
        .unwrap();

    let whole = format!("{FIRST_HALF}{SECOND_HALF}");
    let (_, session) = run_script("whole.scenario", &whole, MemoryStore::new());
    let uninterrupted = session.store().read_all().unwrap();

    assert_eq!(resumed.len(), uninterrupted.len());
    assert_eq!(json_lines(&resumed), json_lines(&uninterrupted));
}
