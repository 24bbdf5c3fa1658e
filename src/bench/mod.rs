//! `lunar bench`: how fast the engine is on this machine, each figure beside a baseline measured
//! in the same run on the same rows, because shared machines are noisy and only ratios carry.
//!
//! Timings read the wall clock, so this module is shell, and its figures are for reading, never
//! for asserting in tests.

use std::path::Path;
use std::time::Instant;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde::Serialize;

use crate::alloc;
use crate::assets;
use crate::assets::Assets;
use crate::engine::envelope::RecordedEvent;
use crate::playback::Playback;
use crate::rng::Rng;
use crate::runtime::replay::{arrive, check_behind, open_for_playback};
use crate::scenario::{generate, parse, run};
use crate::session::Session;
use crate::store::baseline::{RawLog, rows_of, select_and_decode};
use crate::store::memory::MemoryStore;
use crate::store::sqlite::SqliteStore;
use crate::store::{EventReader, EventStore};
use crate::tui::app::App;
use crate::tui::replay::{Replay, ReplayMsg, update};
use crate::tui::replay_view::view;

mod figure;
mod robots;

pub use figure::{BenchError, Figure};
use figure::{err, seconds};

/// Events per transaction in the batched append, ours and the baseline alike.
pub const BATCH: usize = 1000;
/// Ticks of the live-append figure: every one a durable commit, so it is capped.
pub const LIVE_TICKS: u64 = 10_000;
/// Times each replay figure is taken, for its median: the colony game's replay lasts about
/// 40 ms, where one time slice given to another process is a tenth of it.
const REPLAYS: usize = 3;
/// Traces timed in the robot game, at most: each folds up to 64 ticks of a thousand robots, and
/// three hundred samples put two past the 99th percentile, enough to read it from.
const TRACES: u64 = 300;

pub struct Options {
    pub ticks: u64,
    pub sites: u64,
    pub seeks: u64,
    pub frames: usize,
    /// Robots in the robot game.
    pub robots: usize,
    /// Events the robot game is played on to before its save is weighed.
    pub robot_events: u64,
    /// Smaller games, for checking a change: not the headline figures.
    pub quick: bool,
    pub assets: Assets,
}

#[derive(Serialize)]
pub struct Report {
    /// Smaller games than the headline figures are taken on.
    pub quick: bool,
    pub cores: usize,
    pub robots: usize,
    pub ticks: u64,
    pub sites: u64,
    pub events: u64,
    /// The robot game's ticks a second, one durable commit each.
    pub robot_ticks_per_s: f64,
    /// The robot game's save, checkpointed, over its events.
    pub bytes_per_event: f64,
    /// The robot game's waits over all its robots' actions, in the timed ticks.
    pub robot_wait_share: f64,
    /// The most ticks in a row one robot of the robot game waited for a tile another held.
    pub longest_wait_streak: u64,
    /// Tracing a random robot at a random tick of the robot game, p99, once its log is read.
    pub trace_ms: f64,
    /// Tranquility Base's solution branched at tick 600 and played to its end headless.
    pub whatif_s: f64,
    pub figures: Vec<Figure>,
}

fn ms(since: Instant) -> f64 {
    seconds(since) * 1000.0
}

/// The middle one of `samples`: their 50th percentile.
fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    percentile(&samples, 50)
}

/// The `p`th percentile (0-100) of sorted samples.
fn percentile(sorted: &[f64], p: usize) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let index = (sorted.len() * p).div_ceil(100).clamp(1, sorted.len()) - 1;
    sorted[index]
}

fn rate(
    name: &'static str,
    unit: &'static str,
    ours: f64,
    base: f64,
    target: f64,
    label: &'static str,
) -> Figure {
    let ratio = if base > 0.0 { ours / base } else { 0.0 };
    Figure {
        name,
        unit,
        ours,
        baseline: Some(base),
        ratio: Some(ratio),
        target: label,
        met: ratio >= target,
    }
}

fn limit(
    name: &'static str,
    unit: &'static str,
    ours: f64,
    max: f64,
    label: &'static str,
) -> Figure {
    Figure {
        name,
        unit,
        ours,
        baseline: None,
        ratio: None,
        target: label,
        met: ours <= max,
    }
}

fn script(
    options: &Options,
    ticks: u64,
    sites: u64,
) -> Result<crate::scenario::script::Script, BenchError> {
    let map = assets::load_map(&options.assets, "large").map_err(err)?;
    let catalogue = assets::load_catalogue(&options.assets).map_err(err)?;
    let text = generate::generate(&generate::Plan {
        ticks,
        sites,
        seed: 1,
        overlap: 9,
        map: &map,
        catalogue: &catalogue,
    })
    .map_err(BenchError)?;
    parse::parse("bench.scenario", &text).map_err(err)
}

/// Runs every figure; `progress` hears what is being measured.
pub fn run(options: &Options, progress: &mut dyn FnMut(&str)) -> Result<Report, BenchError> {
    let dir = std::env::temp_dir().join(format!("lunar-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(err)?;
    let result = measure(options, &dir, progress);
    if std::env::var_os("KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    result
}

fn measure(
    options: &Options,
    dir: &Path,
    progress: &mut dyn FnMut(&str),
) -> Result<Report, BenchError> {
    progress("generating the game in memory");
    let game = script(options, options.ticks, options.sites)?;
    let (_, session) = run::run(&game, MemoryStore::new(), &options.assets).map_err(err)?;
    let events: Vec<RecordedEvent> = session.into_store().into_events();
    let count = events.len() as u64;
    let mut figures = Vec::new();

    progress("appending in batches");
    let rows = rows_of(&events).map_err(err)?;
    let mut raw = RawLog::create(&dir.join("raw.db")).map_err(err)?;
    let started = Instant::now();
    for chunk in rows.chunks(BATCH) {
        raw.insert(chunk).map_err(err)?;
    }
    let raw_rate = count as f64 / seconds(started);
    drop((raw, rows));
    let save = dir.join("ours.lunar");
    let mut store = SqliteStore::create(&save).map_err(err)?;
    let started = Instant::now();
    for chunk in events.chunks(BATCH) {
        store.append(chunk).map_err(err)?;
    }
    let ours_rate = count as f64 / seconds(started);
    drop(store);
    drop(events);
    figures.push(rate(
        "append, batched, durable",
        "events/s",
        ours_rate,
        raw_rate,
        0.5,
        "ratio >= 0.5",
    ));

    progress("appending live, one commit a tick");
    let live_ticks = options.ticks.min(LIVE_TICKS);
    let live_sites = (options.sites * live_ticks / options.ticks.max(1)).max(1);
    let live_game = script(options, live_ticks, live_sites)?;
    let live_save = dir.join("live.lunar");
    let started = Instant::now();
    run::run(
        &live_game,
        SqliteStore::create(&live_save).map_err(err)?,
        &options.assets,
    )
    .map_err(err)?;
    let ours_live = live_ticks as f64 / seconds(started);
    let live_events = SqliteStore::open_read_only(&live_save)
        .and_then(|s| s.read_all())
        .map_err(err)?;
    let live_rows = rows_of(&live_events).map_err(err)?;
    let mut raw = RawLog::create(&dir.join("raw-live.db")).map_err(err)?;
    let started = Instant::now();
    let mut start = 0;
    while start < live_rows.len() {
        let chain = live_events[start].metadata.correlation_id;
        let end = live_events[start..]
            .iter()
            .position(|e| e.metadata.correlation_id != chain)
            .map_or(live_rows.len(), |n| start + n);
        raw.insert(&live_rows[start..end]).map_err(err)?;
        start = end;
    }
    let raw_live = live_ticks as f64 / seconds(started);
    figures.push(rate(
        "live append, one commit a tick",
        "ticks/s",
        ours_live,
        raw_live,
        0.8,
        "ratio >= 0.8",
    ));

    progress("replaying");
    // Each side replayed REPLAYS times, taking turns, and its median taken: a load that comes
    // and goes on a shared machine then falls on both alike.
    // Neither side counts its heap while it is timed; the heap is a replay of its own below.
    let mut raw_rates = Vec::new();
    let mut ours_rates = Vec::new();
    for _ in 0..REPLAYS {
        let started = Instant::now();
        let decoded = select_and_decode(&save).map_err(err)?;
        raw_rates.push(decoded as f64 / seconds(started));
        ours_rates.push(replay_rate(&save, count)?);
    }
    let (raw_replay, ours_replay) = (median(raw_rates), median(ours_rates));
    let per_million = replay_heap(&save, count)?;
    figures.push(rate(
        "replay: rebuild every aggregate and projection",
        "events/s",
        ours_replay,
        raw_replay,
        0.7,
        "ratio >= 0.7",
    ));
    figures.push(limit(
        "peak heap of replay per million events",
        "MiB",
        per_million,
        64.0,
        "<= 64 MiB",
    ));

    progress("opening for playback and showing the first frame, then again from the cache");
    let cold = first_frame(&save)?;
    let warm = first_frame(&save)?;
    figures.push(limit(
        "open a save and show the first frame",
        "ms",
        warm,
        100.0,
        "<= 100 ms",
    ));
    figures.push(limit(
        "  (its first opening, folding all and caching)",
        "ms",
        cold,
        f64::INFINITY,
        "(none)",
    ));
    let started = Instant::now();
    if open_for_playback(&save).map_err(err)?.unchecked.is_some() {
        check_behind(&save).map_err(err)?;
    }
    figures.push(limit(
        "  (the log under the cache, checked behind it)",
        "ms",
        ms(started),
        f64::INFINITY,
        "(none)",
    ));
    progress("seeking");
    let (mut playback, samples) = seeks(&save, options.seeks, 0x2545_F491_4F6C_DD1D)?;
    let end = playback.last_tick();
    figures.push(limit(
        "seek to a random tick, p50",
        "ms",
        percentile(&samples, 50),
        5.0,
        "(p99 <= 5 ms)",
    ));
    figures.push(limit(
        "seek to a random tick, p99",
        "ms",
        percentile(&samples, 99),
        5.0,
        "<= 5 ms",
    ));

    progress("rendering frames");
    let busy = (0..=end)
        .step_by(usize::try_from(end / 200 + 1).unwrap_or(1))
        .find(|&t| playback.seek(t).is_ok_and(|p| p.colony.buildings >= 500))
        .unwrap_or(end);
    let arrival = arrive(&mut playback, busy).map_err(err)?;
    let buildings = arrival.projections.colony.buildings;
    let mut replay = screen(arrival.projections.clone(), &playback, end);
    replay = update(replay, ReplayMsg::Arrived(Box::new(arrival))).0;
    let mut samples = Vec::with_capacity(options.frames);
    for _ in 0..options.frames {
        let mut terminal = Terminal::new(TestBackend::new(200, 50)).map_err(err)?;
        let started = Instant::now();
        terminal.draw(|f| view(&replay, f)).map_err(err)?;
        samples.push(ms(started));
    }
    samples.sort_by(f64::total_cmp);
    let name_p50 = if buildings >= 500 {
        "render 200x50 playback frame, 500+ buildings, p50"
    } else {
        "render 200x50 playback frame (under 500 buildings), p50"
    };
    figures.push(limit(
        name_p50,
        "ms",
        percentile(&samples, 50),
        2.0,
        "(p99 <= 2 ms)",
    ));
    figures.push(limit(
        "render 200x50 playback frame, p99",
        "ms",
        percentile(&samples, 99),
        2.0,
        "<= 2 ms",
    ));

    let classic = Replayed {
        events: ours_replay,
        megabytes: megabytes(&save)? * ours_replay / count.max(1) as f64,
    };
    colony(options, dir, &classic, progress, &mut figures)?;

    progress(&format!("ticking {} robots", options.robots));
    let robots = robots::measure(&options.assets, dir, options.robots, options.robot_events)?;
    figures.extend(robots.figures());
    progress("seeking in the robot game, showing its first frame and replaying it");
    let (_, samples) = seeks(&robots.save, options.seeks, 0x5DEE_CE66_D1CE_4E5B)?;
    figures.push(limit(
        "  (its seek to a random tick, p99)",
        "ms",
        percentile(&samples, 99),
        5.0,
        "<= 5 ms",
    ));
    // The first opening folds the log and leaves the cache the second one reads.
    first_frame(&robots.save)?;
    figures.push(limit(
        "  (its first frame, from the cache)",
        "ms",
        first_frame(&robots.save)?,
        100.0,
        "<= 100 ms",
    ));
    // The game holds a million events, so its peak is the figure itself, not scaled.
    let heap = replay_heap(&robots.save, robots.events)? * robots.events as f64 / 1e6;
    figures.push(limit(
        "  (its replay's peak heap)",
        "MiB",
        heap,
        64.0,
        "<= 64 MiB",
    ));

    progress("tracing robots in the robot game");
    let trace_ms = traces(&robots.save, options.seeks.min(TRACES), &mut figures)?;
    progress("trying a fix from tick 600 of Tranquility Base");
    let whatif_s = whatif(options, dir)?;
    figures.push(limit(
        "what-if: Tranquility Base from tick 600 to its end",
        "s",
        whatif_s,
        3.0,
        "<= 3 s",
    ));

    Ok(Report {
        trace_ms,
        whatif_s,
        quick: options.quick,
        robots: options.robots,
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        ticks: options.ticks,
        sites: options.sites,
        events: count,
        robot_ticks_per_s: robots.ticks_per_s,
        bytes_per_event: robots.bytes_per_event,
        robot_wait_share: robots.waits.share(),
        longest_wait_streak: robots.waits.longest_streak(),
        figures,
    })
}

/// Traces `count` random robots at random ticks of `save` once its log is read and indexed:
/// the p99 in milliseconds, with the figures for the index and the traces.
fn traces(save: &Path, count: u64, figures: &mut Vec<Figure>) -> Result<f64, BenchError> {
    let started = Instant::now();
    let events = SqliteStore::open_read_only(save)
        .and_then(|s| s.read_all())
        .map_err(err)?;
    let tracer = crate::study::Tracer::new(events);
    figures.push(limit(
        "  (its log read and indexed for tracing)",
        "s",
        seconds(started),
        10.0,
        "<= 10 s, once a replay",
    ));
    let end = tracer.last_tick();
    let robots = tracer.robots();
    let mut rng = Rng::new(0x7ACE_5EED);
    let mut samples = Vec::new();
    while samples.len() < usize::try_from(count).unwrap_or(usize::MAX) && !robots.is_empty() {
        let tick = 1 + rng.below(end.max(1));
        let robot = &robots[usize::try_from(rng.below(robots.len() as u64)).unwrap_or(0)];
        let started = Instant::now();
        // A robot not yet there, or faulted, is an answer as well: it is timed the same.
        let _ = tracer.trace(robot, tick);
        samples.push(ms(started));
    }
    samples.sort_by(f64::total_cmp);
    let p99 = percentile(&samples, 99);
    figures.push(limit(
        "  (its trace of a random robot at a random tick, p99)",
        "ms",
        p99,
        100.0,
        "<= 100 ms",
    ));
    Ok(p99)
}

/// Tranquility Base's solution played into a save, then a what-if from tick 600 with the
/// program its robots run, to the mission's end: seconds for the what-if alone.
fn whatif(options: &Options, dir: &Path) -> Result<f64, BenchError> {
    let keeper = crate::domain::ruleset::ProgramSource {
        name: "tranquility-keeper".into(),
        source: options
            .assets
            .text("missions/programs/tranquility-keeper.rhai")
            .map_err(err)?,
    };
    // The script names its program by a path beside it; here it is written out.
    let text = options
        .assets
        .text("missions/tranquility.solution.scenario")
        .map_err(err)?
        .replace(
            "file=programs/tranquility-keeper.rhai",
            &format!("name=tranquility-keeper <<END\n{}END", keeper.source),
        );
    let script = parse::parse("tranquility.scenario", &text).map_err(err)?;
    let save = dir.join("tranquility.lunar");
    run::run(
        &script,
        SqliteStore::create(&save).map_err(err)?,
        &options.assets,
    )
    .map_err(err)?;
    let request = crate::study::whatif::Request {
        robots: None,
        tick: 600,
        program: &keeper,
        ticks: None,
    };
    let started = Instant::now();
    crate::study::whatif::whatif(&save, &dir.join("whatif.lunar"), &request, &mut |_, _| ())
        .map_err(BenchError)?;
    Ok(seconds(started))
}

/// Opens `save` for playback as `lunar replay` does and draws its last tick on a 200x50
/// screen: milliseconds.
fn first_frame(save: &Path) -> Result<f64, BenchError> {
    let started = Instant::now();
    let mut playback = open_for_playback(save).map_err(err)?.playback;
    let end = playback.last_tick();
    let arrival = arrive(&mut playback, end).map_err(err)?;
    let mut replay = screen(arrival.projections.clone(), &playback, end);
    replay = update(replay, ReplayMsg::Arrived(Box::new(arrival))).0;
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).map_err(err)?;
    terminal.draw(|f| view(&replay, f)).map_err(err)?;
    Ok(ms(started))
}

/// Replays `save` of `events` events (every aggregate and projection): events a second.
fn replay_rate(save: &Path, events: u64) -> Result<f64, BenchError> {
    let started = Instant::now();
    let session = Session::open(SqliteStore::open_read_only(save).map_err(err)?).map_err(err)?;
    let rate = events as f64 / seconds(started);
    drop(session);
    Ok(rate)
}

/// Replays `save` of `events` events counting the heap, on every thread the replay starts:
/// its peak in MiB per million events. Not timed: counting makes each allocation dearer.
fn replay_heap(save: &Path, events: u64) -> Result<f64, BenchError> {
    let _counted = alloc::counted();
    let before = alloc::live_bytes();
    alloc::reset_peak();
    let session = Session::open(SqliteStore::open_read_only(save).map_err(err)?).map_err(err)?;
    let peak = alloc::peak_bytes().saturating_sub(before);
    drop(session);
    Ok(peak as f64 / (1024.0 * 1024.0) * 1_000_000.0 / events.max(1) as f64)
}

/// The size of a save, in megabytes.
fn megabytes(save: &Path) -> Result<f64, BenchError> {
    Ok(std::fs::metadata(save).map_err(err)?.len() as f64 / 1e6)
}

/// Opens `save` for playback and times `count` seeks to ticks drawn from `seed` (so every run
/// seeks the same ticks); the times come back sorted, in milliseconds.
fn seeks(
    save: &Path,
    count: u64,
    seed: u64,
) -> Result<(Playback<SqliteStore>, Vec<f64>), BenchError> {
    let mut playback =
        Playback::open(SqliteStore::open_read_only(save).map_err(err)?).map_err(err)?;
    let end = playback.last_tick();
    let mut rng = Rng::new(seed);
    let mut samples = Vec::new();
    for _ in 0..count {
        let tick = rng.below(end + 1);
        let started = Instant::now();
        playback.seek(tick).map_err(err)?;
        samples.push(ms(started));
    }
    samples.sort_by(f64::total_cmp);
    Ok((playback, samples))
}

/// How fast a game replayed: events, and megabytes of save, a second.
struct Replayed {
    events: f64,
    megabytes: f64,
}

/// The colony figures: a long sandbox game's replay beside the classic game's, and seeking in
/// it. Replay is compared in events a second, and in megabytes of save a second: a colony
/// tick's event carries the stock and the power, so its events are larger, and reading and
/// checking the log, not the rules, is most of a replay's cost.
fn colony(
    options: &Options,
    dir: &Path,
    classic: &Replayed,
    progress: &mut dyn FnMut(&str),
    figures: &mut Vec<Figure>,
) -> Result<(), BenchError> {
    progress("generating a colony game");
    let mission = "sandbox";
    let setup = assets::load_mission(&options.assets, mission).map_err(err)?;
    let ticks = (options.ticks / 4).max(1);
    let text = generate::generate_colony(&setup, mission, ticks).map_err(BenchError)?;
    let game = parse::parse("colony.scenario", &text).map_err(err)?;
    let (_, session) = run::run(&game, MemoryStore::new(), &options.assets).map_err(err)?;
    let events: Vec<RecordedEvent> = session.into_store().into_events();
    let save = dir.join("colony.lunar");
    let mut store = SqliteStore::create(&save).map_err(err)?;
    for chunk in events.chunks(BATCH) {
        store.append(chunk).map_err(err)?;
    }
    drop(store);

    progress("replaying the colony game");
    let mut times = Vec::new();
    for _ in 0..REPLAYS {
        // Timed as the classic replay it stands beside is, its heap not counted.
        let started = Instant::now();
        let session =
            Session::open(SqliteStore::open_read_only(&save).map_err(err)?).map_err(err)?;
        times.push(seconds(started));
        drop(session);
    }
    let elapsed = median(times);
    figures.push(rate(
        "colony replay, beside the classic game's",
        "events/s",
        events.len() as f64 / elapsed,
        classic.events,
        0.8,
        "ratio >= 0.8",
    ));
    figures.push(rate(
        "  (the same, in megabytes of save)",
        "MB/s",
        megabytes(&save)? / elapsed,
        classic.megabytes,
        0.0,
        "(none)",
    ));

    progress("seeking in the colony game");
    let (_, samples) = seeks(&save, options.seeks, 0x9E37_79B9_7F4A_7C15)?;
    figures.push(limit(
        "colony seek to a random tick, p99",
        "ms",
        percentile(&samples, 99),
        5.0,
        "<= 5 ms",
    ));
    Ok(())
}

fn screen<R: EventReader>(
    projections: crate::domain::projection::Projections,
    playback: &Playback<R>,
    end: u64,
) -> Replay {
    let mut app = App::new("bench".into(), projections, 1000);
    app.size = (200, 50);
    Replay::new(app, end, crate::runtime::replay::marks(playback))
}

/// The report as a table a person reads.
pub fn table(report: &Report) -> String {
    let quick = if report.quick {
        "QUICK: smaller games, for checking a change; not the headline figures\n"
    } else {
        ""
    };
    let mut out = format!(
        "lunar bench: {} ticks, {} sites, {} events, {} robots, {} cores\n{quick}\n{:<54} {:>14} {:>14} {:>7}  {:<14} {}\n",
        report.ticks,
        report.sites,
        report.events,
        report.robots,
        report.cores,
        "figure",
        "ours",
        "baseline",
        "ratio",
        "target",
        ""
    );
    for f in &report.figures {
        let baseline = f
            .baseline
            .map_or_else(|| "-".to_owned(), |b| format!("{b:.0}"));
        let ratio = f
            .ratio
            .map_or_else(|| "-".to_owned(), |r| format!("{r:.2}"));
        let ours = if f.unit == "share" {
            format!("{:.3}", f.ours)
        } else if f.unit == "ms" || f.unit == "MiB" || f.unit == "s" {
            format!("{:.2} {}", f.ours, f.unit)
        } else {
            format!("{:.0} {}", f.ours, f.unit)
        };
        out += &format!(
            "{:<54} {:>14} {:>14} {:>7}  {:<14} {}\n",
            f.name,
            ours,
            baseline,
            ratio,
            f.target,
            if f.met { "met" } else { "MISSED" }
        );
    }
    out
}
