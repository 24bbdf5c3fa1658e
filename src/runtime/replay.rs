//! Playback: a saved game opened read-only, scrubbed through with the same screen as live play.
//!
//! The event loop performs the screen's effects: seeks through [`Playback`], a playback clock
//! while playing, and a poll of the log, so a game someone else is playing shows its new ticks
//! as they arrive. Nothing here writes the save; a branch is a new file.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crossterm::event::Event as TermEvent;
use tokio::sync::mpsc;

use super::terminal::{self, Screen, TerminalGuard};
use super::{
    EndSignals, FRAME, Input, PlayError, editor, io_error, require_terminal, runtime, save_name,
};
use crate::domain::event::Event;
use crate::domain::ids::{RobotId, Tick};
use crate::domain::projection::Projections;
use crate::domain::subject::Subject;
use crate::playback::Playback;
use crate::store::sqlite::SqliteStore;
use crate::store::{EventReader, StoreError};
use crate::study::Tracer;
use crate::study::whatif::{self, WhatIf};
use crate::tui::app::App;
use crate::tui::panels::progress;
use crate::tui::replay::{Arrival, MARK_KINDS, Replay, ReplayEffect, ReplayMsg, update};
use crate::tui::replay_view::view;
use crate::tui::theme::Theme;

/// How often playback looks for ticks appended by a game being played live.
const FOLLOW_POLL: Duration = Duration::from_millis(200);

pub enum ReplayOutcome {
    Quit,
    /// A new save was branched off at a tick; the caller plays it, then may come back.
    Branched {
        save: PathBuf,
        tick: Tick,
    },
}

fn store_error(e: StoreError) -> PlayError {
    PlayError(e.to_string())
}

fn replay_input(event: TermEvent) -> Option<ReplayMsg> {
    match event {
        TermEvent::Key(key) => Some(ReplayMsg::Key(key)),
        TermEvent::Mouse(mouse) => Some(ReplayMsg::Mouse(mouse)),
        TermEvent::Resize(w, h) => Some(ReplayMsg::Resize(w, h)),
        _ => None,
    }
}

/// For each of [`MARK_KINDS`], the ticks with an event of a type it takes, in order.
pub fn marks<R: EventReader>(playback: &Playback<R>) -> Vec<Vec<Tick>> {
    MARK_KINDS
        .iter()
        .map(|kind| {
            let mut ticks: Vec<Tick> = Event::TYPES
                .iter()
                .filter(|t| (kind.takes)(t))
                .flat_map(|t| playback.marks(t).iter().copied())
                .collect();
            ticks.sort_unstable();
            ticks.dedup();
            ticks
        })
        .collect()
}

/// A save open for playback, and the rows its cache stands for that the log has yet to vouch
/// for (see [`crate::playback::check_cache`]).
pub struct Opened {
    pub playback: Playback<SqliteStore>,
    pub unchecked: Option<u64>,
}

/// Opens a save for playback from its keyframe cache when one proves itself; otherwise folds
/// the whole log and leaves a cache for next time (if the folder takes one; a cache is only
/// ever a shortcut, so failing to write it changes nothing).
pub fn open_for_playback(path: &Path) -> Result<Opened, StoreError> {
    let (mut playback, unchecked) =
        Playback::of_save_unchecked(SqliteStore::open_read_only(path)?, path);
    playback.refresh()?;
    if unchecked.is_none() {
        let mark = playback.store().mark_at(playback.last_seq());
        let _ = playback.write_cache(path, mark);
    }
    Ok(Opened {
        playback,
        unchecked,
    })
}

/// Checks the keyframe cache a screen took its first frame from against the log, on a
/// connection of its own, so it can run beside the screen: a cached frame is shown at once, and
/// an altered log or a forged keyframe is still named. `Ok` with the cache's disagreements, if
/// any (then it must be dropped); an error for a log that cannot be read.
pub fn check_behind(path: &Path) -> Result<Vec<String>, StoreError> {
    crate::playback::check_cache(path)
}

/// Seeks to `tick` and gathers what the screen shows there.
pub fn arrive<R: EventReader>(
    playback: &mut Playback<R>,
    tick: Tick,
) -> Result<Arrival, StoreError> {
    let previous = match tick.checked_sub(1) {
        Some(before) => playback.seek(before)?,
        None => Projections::default(),
    };
    Ok(Arrival {
        tick,
        projections: playback.seek(tick)?,
        previous,
        events: playback.events_at(tick)?,
    })
}

/// Every event about a building or a robot up to `to_tick`: its own stream, and for a building
/// the site planted for it first (the event that caused its spawn, recorded on the same tick).
/// Asked for on every step while the panel is open, so it reads one stream, never the whole log.
pub fn history<R: EventReader>(
    playback: &Playback<R>,
    subject: &Subject,
    to_tick: Tick,
) -> Result<Vec<crate::engine::envelope::RecordedEvent>, StoreError> {
    let mut events = playback
        .store()
        .read_stream(&subject.stream(), Some(to_tick))?;
    if matches!(subject, Subject::Building(_))
        && let Some(spawn) = events.first()
        && let Some(cause) = spawn.metadata.causation_id
        && let Some(site) = playback
            .events_at(spawn.tick())?
            .into_iter()
            .find(|e| e.id == cause)
    {
        events.insert(0, site);
    }
    Ok(events)
}

/// A name for a branch that no file has yet: `NAME-tTICK`, then `-2`, `-3`...
pub fn branch_path(source: &Path, tick: Tick) -> PathBuf {
    let dir = source.parent().unwrap_or(Path::new("."));
    let stem = save_name(source);
    let extension = crate::saves::EXTENSION;
    (1..)
        .map(|n| match n {
            1 => dir.join(format!("{stem}-t{tick}.{extension}")),
            n => dir.join(format!("{stem}-t{tick}-{n}.{extension}")),
        })
        .find(|p| !p.exists())
        .unwrap_or_else(|| dir.join(format!("{stem}-t{tick}.{extension}")))
}

/// Watches the save at `path`, from tick `at` (default: the end).
pub fn replay(path: &Path, color: bool, at: Option<Tick>) -> Result<ReplayOutcome, PlayError> {
    let Opened {
        mut playback,
        unchecked,
    } = open_for_playback(path).map_err(store_error)?;
    require_terminal()?;
    let end = playback.last_tick();
    let start = at.map_or(end, |t| t.min(end));
    let arrival = arrive(&mut playback, start).map_err(store_error)?;
    let mut app = App::new(save_name(path), arrival.projections.clone(), 1000);
    app.color = color;
    let mut replay = Replay::new(app, end, marks(&playback));
    replay = update(replay, ReplayMsg::Arrived(Box::new(arrival))).0;

    let (guard, mut screen) = TerminalGuard::enter().map_err(io_error)?;
    let size = screen.size().map_err(io_error)?;
    replay = update(replay, ReplayMsg::Resize(size.width, size.height)).0;
    let (to_screen, inbox) = mpsc::unbounded_channel::<ReplayMsg>();
    if unchecked.is_some() {
        let (path, to_screen) = (path.to_owned(), to_screen.clone());
        std::thread::spawn(move || {
            let verdict = match check_behind(&path) {
                Ok(problems) if problems.is_empty() => return,
                Ok(problems) => ReplayMsg::CacheDisagrees(problems.join("; ")),
                Err(e) => ReplayMsg::Failed(e.to_string()),
            };
            let _ = to_screen.send(verdict);
        });
    }
    let mut terminal = Held {
        guard,
        input: Some(Input::start(to_screen.clone(), replay_input)),
        to_screen,
    };
    let runtime = runtime()?;
    let result = runtime.block_on(async {
        let signals = EndSignals::listen().map_err(io_error)?;
        event_loop(
            replay,
            &mut screen,
            &mut terminal,
            inbox,
            playback,
            path,
            signals,
        )
        .await
    });
    drop(runtime);
    if let Some(input) = terminal.input.take() {
        input.stop();
    }
    drop(terminal);
    result
}

/// The terminal as playback holds it, and the keyboard's feed, which an editor borrows.
struct Held {
    guard: TerminalGuard,
    input: Option<Input>,
    to_screen: mpsc::UnboundedSender<ReplayMsg>,
}

/// The save's log ready for tracing, read again when it has grown since.
fn tracer<'a>(
    slot: &'a mut Option<Tracer>,
    playback: &Playback<SqliteStore>,
) -> Result<&'a Tracer, String> {
    let stale = slot
        .as_ref()
        .is_none_or(|t| t.last_tick() < playback.last_tick());
    if stale {
        let events = playback.store().read_all().map_err(|e| e.to_string())?;
        *slot = Some(Tracer::new(events));
    }
    slot.as_ref().ok_or_else(|| "nothing to trace".into())
}

/// Opens `robot`'s program as of `tick` in the player's editor and, when it comes back
/// changed, tries it from that tick on a branch beside the save, drawing its progress.
fn fix(
    robot: &RobotId,
    tick: Tick,
    tracer: &Tracer,
    path: &Path,
    screen: &mut Screen,
    held: &mut Held,
    color: bool,
) -> Result<Box<WhatIf>, String> {
    let program = tracer
        .program(robot, tick)
        .ok_or_else(|| format!("{robot} ran no program as tick {tick} began: nothing to fix"))?;
    if let Some(input) = held.input.take() {
        input.stop();
    }
    terminal::restore();
    let edited = editor::edit(&save_name(path), robot, &program);
    let resumed = held.guard.resume(screen);
    held.input = Some(Input::start(held.to_screen.clone(), replay_input));
    resumed.map_err(|e| e.to_string())?;
    let program = edited?.ok_or("the program came back unchanged: nothing to try")?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = crate::saves::free_name(dir, &format!("{}-whatif-{tick}", save_name(path)));
    let branch = crate::saves::resolve(dir, &name);
    let request = whatif::Request {
        robots: Some(vec![robot.clone()]),
        tick,
        program: &program,
        ticks: None,
    };
    let theme = Theme { color };
    let label = format!(" {robot} runs {} from tick {tick} ", program.name);
    let mut drawn = 0;
    let mut draw = |done: Tick, end: Tick| {
        // A frame every few ticks is enough to see it move, and costs the run little.
        if done >= drawn + 10 || done == end {
            drawn = done;
            let _ = screen.draw(|frame| progress::draw(&label, done, end, frame, &theme));
        }
    };
    whatif::whatif(path, &branch, &request, &mut draw).map(Box::new)
}

async fn event_loop(
    mut replay: Replay,
    screen: &mut Screen,
    held: &mut Held,
    mut inbox: mpsc::UnboundedReceiver<ReplayMsg>,
    mut playback: Playback<SqliteStore>,
    path: &Path,
    mut signals: EndSignals,
) -> Result<ReplayOutcome, PlayError> {
    let mut frames = tokio::time::interval(FRAME);
    frames.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut follow = tokio::time::interval(FOLLOW_POLL);
    follow.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut clock: Option<tokio::time::Interval> = None;
    let mut traced: Option<Tracer> = None;
    let mut dirty = true;
    loop {
        let msg = tokio::select! {
            () = signals.recv() => return Ok(ReplayOutcome::Quit),
            msg = inbox.recv() => match msg {
                Some(msg) => msg,
                None => return Ok(ReplayOutcome::Quit),
            },
            _ = async { if let Some(c) = clock.as_mut() { c.tick().await; } }, if clock.is_some() => {
                ReplayMsg::Clock
            }
            _ = follow.tick() => match playback.refresh() {
                Ok(true) => ReplayMsg::Grew { end: playback.last_tick(), marks: marks(&playback) },
                Ok(false) => continue,
                Err(e) => ReplayMsg::Failed(e.to_string()),
            },
            _ = frames.tick(), if dirty => {
                screen.draw(|frame| view(&replay, frame)).map_err(io_error)?;
                dirty = false;
                continue;
            }
        };
        dirty = true;
        let mut pending = vec![msg];
        while let Some(msg) = pending.pop() {
            let effects;
            (replay, effects) = update(replay, msg);
            for effect in effects {
                match effect {
                    ReplayEffect::Seek(tick) => pending.push(match arrive(&mut playback, tick) {
                        Ok(arrival) => ReplayMsg::Arrived(Box::new(arrival)),
                        Err(e) => ReplayMsg::Failed(e.to_string()),
                    }),
                    ReplayEffect::History { subject, to_tick } => {
                        pending.push(match history(&playback, &subject, to_tick) {
                            Ok(events) => ReplayMsg::History { subject, events },
                            Err(e) => ReplayMsg::Failed(e.to_string()),
                        })
                    }
                    ReplayEffect::Clock(period) => {
                        clock = period.map(|ms| {
                            let mut c = tokio::time::interval(Duration::from_millis(ms));
                            c.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
                            c.reset();
                            c
                        });
                    }
                    ReplayEffect::Branch(tick) => {
                        let target = branch_path(path, tick);
                        let from = crate::saves::origin(path);
                        SqliteStore::branch(playback.store(), &from, tick, &target)
                            .map_err(store_error)?;
                        return Ok(ReplayOutcome::Branched { save: target, tick });
                    }
                    ReplayEffect::Trace { robot, tick } => {
                        let report = tracer(&mut traced, &playback)
                            .and_then(|t| t.trace(&robot, tick))
                            .map(Box::new);
                        pending.push(ReplayMsg::Traced { robot, report });
                    }
                    ReplayEffect::Evaluate {
                        robot,
                        tick,
                        expression,
                    } => {
                        let value = tracer(&mut traced, &playback)
                            .and_then(|t| t.evaluate(&robot, tick, &expression))
                            .unwrap_or_else(|e| format!("error: {e}"));
                        pending.push(ReplayMsg::Evaluated {
                            tick,
                            expression,
                            value,
                        });
                    }
                    ReplayEffect::Fix { robot, tick } => {
                        let color = replay.app.color;
                        let tried = tracer(&mut traced, &playback)
                            .and_then(|t| fix(&robot, tick, t, path, screen, held, color));
                        pending.push(ReplayMsg::Tried(tried));
                    }
                    ReplayEffect::DropCache => {
                        if let Err(e) = playback.forget_cache(path) {
                            pending.push(ReplayMsg::Failed(e.to_string()));
                        }
                    }
                    ReplayEffect::Quit => return Ok(ReplayOutcome::Quit),
                }
            }
        }
    }
}
