//! Seeking: any sequence of seeks, in any order, lands on the projections a fold from the start
//! gives for that tick.

use lunar::domain::projection::Projections;
use lunar::playback::{KEYFRAME_EVENTS, KEYFRAME_TICKS, Playback};
use lunar::store::memory::MemoryStore;
use lunar::store::{EventReader, EventStore};
use proptest::prelude::*;

use crate::support::run_script;

/// A game long enough to cross many keyframes, with sites started and finished throughout.
fn long_game() -> MemoryStore {
    let mut script = String::from("game start seed=3 map=crater\n");
    for i in 0..40u32 {
        let kind = ["hq", "oxygen", "water", "power", "housing"][i as usize % 5];
        script += &format!(
            "build {kind} id=s{i} at={},{} ticks={}\ntick {}\n",
            i % 40,
            i / 40 + i % 7,
            3 + (i * 7) % 45,
            1 + (i * 11) % 17
        );
    }
    script += "tick 30\n";
    let (_, session) = run_script("long.scenario", &script, MemoryStore::new());
    session.into_store()
}

/// The projections at every tick, by one fold from the start.
fn reference(store: &MemoryStore) -> Vec<Projections> {
    let mut states = vec![Projections::default()];
    for e in store.read_all().unwrap() {
        let tick = e.tick() as usize;
        while states.len() <= tick {
            let last = states.last().unwrap().clone();
            states.push(last);
        }
        let state = std::mem::take(&mut states[tick]);
        states[tick] = state.project(&e.event);
    }
    states
}

#[test]
fn the_game_crosses_many_keyframes() {
    let store = long_game();
    let playback = Playback::open(&store).unwrap();
    assert!(
        playback.last_tick() > 6 * KEYFRAME_TICKS,
        "{}",
        playback.last_tick()
    );
    assert_eq!(
        playback.keyframe_count() as u64,
        playback.last_tick().div_ceil(KEYFRAME_TICKS)
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_seeks_land_where_a_fold_from_the_start_does(
        seeks in prop::collection::vec(0u64..420, 1..40),
        lazy in any::<bool>(),
    ) {
        let store = long_game();
        let expected = reference(&store);
        let last = expected.len() as u64 - 1;
        let mut playback = if lazy { Playback::new(&store) } else { Playback::open(&store).unwrap() };
        for tick in seeks {
            let landed = playback.seek(tick).unwrap();
            let want = &expected[tick.min(last) as usize];
            prop_assert!(&landed == want, "seek to {} landed elsewhere", tick);
        }
    }
}

#[test]
fn playback_follows_events_appended_after_it_opened() {
    let store = long_game();
    let all = store.read_all().unwrap();
    let cut = all.iter().position(|e| e.tick() > 200).unwrap();
    let mut growing = MemoryStore::new();
    growing.append(&all[..cut]).unwrap();
    let expected = reference(&store);

    let mut playback = Playback::open(&growing).unwrap();
    assert_eq!(playback.last_tick(), 200);
    // The same store, now longer: a follower sees the new ticks on refresh.
    drop(playback);
    growing.append(&all[cut..]).unwrap();
    playback = Playback::open(&growing).unwrap();
    assert!(!playback.refresh().unwrap());
    assert_eq!(playback.seek(150).unwrap(), expected[150]);

    let mut follower = Playback::new(&growing);
    assert_eq!(follower.seek(120).unwrap(), expected[120]);
    assert!(follower.refresh().unwrap());
    let end = expected.len() as u64 - 1;
    assert_eq!(follower.seek(end).unwrap(), expected[end as usize]);
}

/// The long game as a save on disk.
fn long_save(dir: &std::path::Path, upto: Option<usize>) -> std::path::PathBuf {
    let events = long_game().read_all().unwrap();
    let path = dir.join("long.lunar");
    let mut store = lunar::store::sqlite::SqliteStore::create(&path).unwrap();
    store
        .append(&events[..upto.unwrap_or(events.len())])
        .unwrap();
    path
}

#[test]
fn a_cached_playback_seeks_like_one_folded_from_the_start() {
    use lunar::runtime::replay::open_for_playback;
    use lunar::store::keyframes::path_for;

    let dir = tempfile::tempdir().unwrap();
    let store = long_game();
    let expected = reference(&store);
    let all = store.read_all().unwrap();
    let cut = all.iter().position(|e| e.tick() > 300).unwrap();
    let path = long_save(dir.path(), Some(cut));

    let cold = open_for_playback(&path).unwrap().playback;
    assert!(
        path_for(&path).is_file(),
        "the first opening leaves a cache"
    );
    assert_eq!(
        cold.keyframe_count() as u64,
        300u64.div_ceil(KEYFRAME_TICKS)
    );
    drop(cold);

    let mut warm = open_for_playback(&path).unwrap().playback;
    assert_eq!(
        warm.keyframe_count(),
        0,
        "opened from the cache, not by folding"
    );
    assert_eq!(warm.last_tick(), 300);
    assert_eq!(
        warm.marks("site_planted"),
        Playback::open(&store)
            .unwrap()
            .marks("site_planted")
            .iter()
            .copied()
            .filter(|t| *t <= 300)
            .collect::<Vec<_>>()
            .as_slice()
    );
    for tick in [300, 0, 299, 150, 151, 49, 250, 1, 300, 77] {
        assert_eq!(
            warm.seek(tick).unwrap(),
            expected[tick as usize],
            "tick {tick}"
        );
    }
    drop(warm);

    // The game went on after the cache was made: the cache is still a valid start.
    let mut save = lunar::store::sqlite::SqliteStore::open(&path).unwrap();
    save.append(&all[cut..]).unwrap();
    drop(save);
    let mut grown = open_for_playback(&path).unwrap().playback;
    let end = expected.len() as u64 - 1;
    assert_eq!(grown.last_tick(), end);
    for tick in [end, 310, 299, 12] {
        assert_eq!(
            grown.seek(tick).unwrap(),
            expected[tick as usize],
            "tick {tick}"
        );
    }
}

#[test]
fn a_cache_for_another_log_is_ignored() {
    use lunar::runtime::replay::open_for_playback;
    use lunar::store::keyframes::path_for;

    let dir = tempfile::tempdir().unwrap();
    let path = long_save(dir.path(), None);
    drop(open_for_playback(&path).unwrap());
    let cache = std::fs::read(path_for(&path)).unwrap();

    // The same name, now a different (shorter) game: the cached end no longer matches.
    std::fs::remove_file(&path).unwrap();
    let short = long_save(dir.path(), Some(40));
    std::fs::write(path_for(&short), cache).unwrap();
    let playback = open_for_playback(&short).unwrap().playback;
    assert!(
        playback.keyframe_count() > 0 || playback.last_tick() < 50,
        "folded, not cached"
    );
    assert_eq!(playback.last_seq(), 40);
    drop(playback);

    // A cache made by another build's projectors is ignored too.
    let conn = rusqlite::Connection::open(path_for(&short)).unwrap();
    conn.execute(
        "UPDATE meta SET value = 'another build' WHERE key = 'core'",
        [],
    )
    .unwrap();
    drop(conn);
    let cached = |p: &std::path::Path| {
        let store = lunar::store::sqlite::SqliteStore::open_read_only(p).unwrap();
        lunar::store::keyframes::KeyframeCache::open(p, |seq| store.mark_at(seq)).is_some()
    };
    assert!(!cached(&short));
    drop(open_for_playback(&short).unwrap());
    assert!(cached(&short), "a fresh cache replaces it");
}

/// A game of 100 sites at work at once writes about a hundred events a tick.
fn busy_game() -> MemoryStore {
    let mut script = String::from("game start seed=3 map=large\n");
    for i in 0..100u32 {
        script += &format!("build hq id=s{i} at={},{} ticks=60\n", i % 50, 2 * (i / 50));
    }
    script += "tick 60\n";
    let (_, session) = run_script("busy.scenario", &script, MemoryStore::new());
    session.into_store()
}

#[test]
fn a_busy_game_keeps_keyframes_closer_so_a_seek_folds_as_few_events() {
    let store = busy_game();
    let events = store.read_all().unwrap();
    assert!(events.len() > 6_000, "{} events", events.len());
    let mut per_tick = vec![0u64; 61];
    for e in &events {
        per_tick[e.tick() as usize] += 1;
    }
    let busiest = per_tick.iter().copied().max().unwrap();
    let mut playback = Playback::open(&store).unwrap();
    let keyframes: Vec<u64> = playback.keyframe_ticks().collect();
    // About 2,000 events apart wherever the game is: closer than every 50 ticks.
    assert!(keyframes.len() >= 3, "{keyframes:?}");
    assert!(
        keyframes.windows(2).all(|w| w[1] - w[0] < KEYFRAME_TICKS),
        "{keyframes:?}"
    );
    for tick in 0..60u64 {
        let from = keyframes.iter().rev().find(|k| **k <= tick).unwrap();
        let folded: u64 = per_tick[*from as usize + 1..=tick as usize].iter().sum();
        assert!(
            folded < KEYFRAME_EVENTS + busiest,
            "a seek to tick {tick} folds {folded} events from the keyframe at {from}"
        );
    }
    let reference = reference(&store);
    for tick in [59, 1, 41, 20, 39, 60] {
        assert_eq!(
            playback.seek(tick).unwrap(),
            reference[tick as usize],
            "tick {tick}"
        );
    }
}
