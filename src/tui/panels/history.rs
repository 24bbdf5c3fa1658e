//! Playback's "why": a building's story, or everything a robot did, tick by tick, its steps,
//! digging and work folded into errands.

use crate::domain::event::Event;
use crate::domain::subject::Subject;
use crate::engine::envelope::RecordedEvent;
use crate::tui::panels::inspector::PanelModel;
use crate::tui::replay::Replay;
use crate::tui::theme::{Row, Tone};

/// A building's or a robot's story, the latest last. A run of the same doing (progress on a
/// site, steps, digging, work, charging, one reason to wait) folds into one line, so a robot's
/// thousand steps read as its errands; the raw view shows every event.
/// The story over an area `height` rows high.
pub fn model(
    replay: &Replay,
    subject: &Subject,
    events: &[RecordedEvent],
    height: u16,
) -> PanelModel {
    let mut lines: Vec<String> = Vec::new();
    let mut i = 0;
    while i < events.len() {
        let e = &events[i];
        let key = fold_key(e);
        let run = match (&key, replay.raw) {
            (Some(key), false) => events[i..]
                .iter()
                .take_while(|n| fold_key(n).as_ref() == Some(key))
                .count(),
            _ => 1,
        };
        lines.push(match run {
            // A robot's own actions all come from its program: only other causes are named.
            1 if e.metadata.command == "act" => format!("t{} {}", e.tick(), replay.told(e)),
            1 => format!(
                "t{} {} (by {}, {})",
                e.tick(),
                replay.told(e),
                e.metadata.source.as_str(),
                e.metadata.command,
            ),
            _ => folded(&events[i..i + run]),
        });
        i += run;
    }
    let (title, empty) = match subject {
        Subject::Robot(id) => (
            format!(" what {id} did, up to tick {} ", replay.tick),
            "no actions yet",
        ),
        other => (
            format!(
                " why {} is as it is at tick {} ",
                subject_name(other),
                replay.tick
            ),
            "no events yet",
        ),
    };
    // The latest lines matter most: when the story is longer than the panel, its start goes.
    let room = usize::from(height.saturating_sub(4)).max(1);
    let mut rows: Vec<Row> = Vec::new();
    if lines.len() > room {
        let hidden = lines.len() - room + 1;
        rows.push(Row::new(format!("... {hidden} earlier lines"), Tone::Dim));
        lines.drain(..hidden);
    }
    rows.extend(lines.into_iter().map(Row::plain));
    if rows.is_empty() {
        rows.push(Row::new(empty, Tone::Dim));
    }
    PanelModel { title, rows }
}

fn subject_name(subject: &Subject) -> String {
    match subject {
        Subject::Building(id) => id.to_string(),
        Subject::Robot(id) => id.to_string(),
        other => other.stream(),
    }
}

/// What makes consecutive events one line: the same doing, on the same thing.
fn fold_key(e: &RecordedEvent) -> Option<String> {
    Some(match &e.event {
        Event::ConstructionProgressed(_) => "progress".into(),
        Event::RobotMoved(_) => "moved".into(),
        Event::RobotMined(m) => format!("mined {:?} {} {}", m.resource, m.x, m.y),
        Event::RobotWorked(w) => format!("worked {}", w.site),
        Event::RobotCharged(_) => "charged".into(),
        Event::RobotWaited(w) => format!("waited {:?}", w.reason),
        _ => return None,
    })
}

/// One line for a run of events that share a [`fold_key`].
fn folded(run: &[RecordedEvent]) -> String {
    let (first, last) = (&run[0], &run[run.len() - 1]);
    let ticks = format!("t{}-t{}", first.tick(), last.tick());
    let n = run.len();
    match (&first.event, &last.event) {
        (Event::ConstructionProgressed(a), Event::ConstructionProgressed(b)) => format!(
            "{ticks} work went from {}/{} to {}/{} ({n} events)",
            a.work_done, a.work_required, b.work_done, b.work_required
        ),
        (Event::RobotMoved(a), Event::RobotMoved(b)) => {
            format!(
                "{ticks} walked {n} steps, ({},{}) to ({},{})",
                a.x, a.y, b.x, b.y
            )
        }
        (Event::RobotMined(a), Event::RobotMined(b)) => {
            let amount: u64 = run
                .iter()
                .map(|e| match &e.event {
                    Event::RobotMined(m) => u64::from(m.amount),
                    _ => 0,
                })
                .sum();
            format!(
                "{ticks} dug {amount} {} at ({},{}) in {n} ticks; {} left there",
                a.resource.name(),
                a.x,
                a.y,
                b.left
            )
        }
        (Event::RobotWorked(a), _) => format!("{ticks} worked on {} for {n} ticks", a.site),
        (Event::RobotCharged(_), Event::RobotCharged(b)) => {
            format!("{ticks} charged for {n} ticks, battery now {}", b.battery)
        }
        (Event::RobotWaited(a), _) => match &a.reason {
            Some(reason) => format!("{ticks} could not, {n} times: {reason}"),
            None => format!("{ticks} waited {n} ticks"),
        },
        _ => format!("{ticks} {n} events"),
    }
}
