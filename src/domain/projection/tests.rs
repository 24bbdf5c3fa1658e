//! The projectors: events in, read models out.

use crate::domain::fixtures::{advanced, completed, id, planted, progressed, spawned, started};
use crate::domain::projection::Projections;
use crate::domain::text::with_article;

#[test]
fn projections_follow_a_building_from_site_to_ready() {
    let events = [
        started(),
        planted("a", "hq", 1, 2, 2, 0),
        spawned("a", "hq", 1, 2, 2, 0),
        advanced(1),
        progressed("a", 1, 2, 1),
    ];
    let midway = events
        .iter()
        .fold(Projections::default(), |p, e| p.project(e));
    let row = midway.buildings.get(&id("a")).unwrap();
    assert_eq!((row.progress_percent, row.ready), (50, false));
    assert_eq!(
        (midway.colony.under_construction, midway.colony.ready),
        (1, 0)
    );

    let done = [advanced(2), progressed("a", 2, 2, 2), completed("a", 2)]
        .iter()
        .fold(midway, |p, e| p.project(e));
    let row = done.buildings.get(&id("a")).unwrap();
    assert_eq!(
        (row.progress_percent, row.ready, row.completed_tick),
        (100, true, Some(2))
    );
    assert_eq!((done.colony.tick, done.colony.ready), (2, 1));
    assert_eq!(done.colony.by_type["hq"].ready, 1);
    let last = done.feed.lines().last().unwrap();
    assert_eq!((last.tick, last.text.as_str()), (2, "a is complete"));
}

#[test]
fn the_feed_keeps_only_recent_notable_lines() {
    let mut events = vec![started()];
    for i in 0..100u16 {
        let name = format!("b{i}");
        events.push(spawned(&name, "hq", i % 4, 0, 1, 0));
        events.push(advanced(u64::from(i) + 1));
        events.push(progressed(&name, 1, 1, u64::from(i) + 1));
    }
    let view = events
        .iter()
        .fold(Projections::default(), |p, e| p.project(e));
    assert_eq!(view.feed.lines().len(), 64);
    assert_eq!(
        view.feed.lines().next().unwrap().text,
        "Headquarters b36 is under construction"
    );
}

#[test]
fn names_read_with_the_right_article() {
    assert_eq!(with_article("Oxygen Generator"), "an Oxygen Generator");
    assert_eq!(with_article("Headquarters"), "a Headquarters");
    assert_eq!(with_article("ice extractor"), "an ice extractor");
}
