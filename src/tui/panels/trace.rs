//! Playback's trace: a robot's program run again as the tick began, the lines it ran beside
//! their numbers, what it read, the operations it spent, the action it chose and what came of
//! it; below, the console's expressions and their values.

use crate::domain::ids::{RobotId, Tick};
use crate::study::trace::Report;
use crate::tui::actions::ReplayMode;
use crate::tui::panels::inspector::PanelModel;
use crate::tui::replay::Replay;
use crate::tui::theme::{Row, Tone};

/// The trace of `robot` over an area `height` rows high: the workings first, the console
/// last, the lines run cut short in the middle when they do not fit.
pub fn model(
    replay: &Replay,
    robot: &RobotId,
    report: &Result<Box<Report>, String>,
    console: &[(Tick, String, String)],
    (width, height): (u16, u16),
) -> PanelModel {
    let title = format!(" {robot} as tick {} began (: console, f fix) ", replay.tick);
    let mut tail = Vec::new();
    for (tick, expression, value) in console {
        tail.push(Row::new(format!("t{tick}> {expression}"), Tone::Title));
        tail.push(Row::plain(format!("  {value}")));
    }
    match &replay.mode {
        ReplayMode::Console(typed) => tail.push(Row::new(
            format!("> {typed}_   (enter: evaluate, esc: done)"),
            Tone::Title,
        )),
        _ if console.is_empty() => tail.push(Row::new(
            ": evaluate an expression as this robot, e.g. world.nearest(\"ice\")",
            Tone::Dim,
        )),
        _ => {}
    }
    let room = usize::from(height.saturating_sub(2)).max(1);
    // The console's latest lines stay in view, then what the robot read and chose; the lines
    // it ran give way first, from their end.
    let tail = tail.split_off(tail.len() - tail.len().min(room));
    let mut rows = match report {
        Ok(report) => {
            let (head, mut lines, rest) = workings(report, usize::from(width.saturating_sub(2)));
            let room = room.saturating_sub(tail.len() + head.len() + rest.len());
            if lines.len() > room {
                let hidden = lines.len() - room.saturating_sub(1);
                lines.truncate(room.saturating_sub(1));
                lines.push(Row::new(format!("... {hidden} more lines run"), Tone::Dim));
            }
            [head, lines, rest].concat()
        }
        Err(why) => vec![Row::new(why.clone(), Tone::Dim)],
    };
    rows.extend(tail);
    PanelModel { title, rows }
}

/// The trace in three parts: who and where; the lines run beside what it read, in order; and
/// what it chose and what came of it. `width` is the panel's inside.
fn workings(report: &Report, width: usize) -> (Vec<Row>, Vec<Row>, Vec<Row>) {
    let head = vec![
        Row::new(
            format!(
                "{} at ({},{}), battery {}",
                report.program, report.at.0, report.at.1, report.battery
            ),
            Tone::Title,
        ),
        Row::plain(format!("memory {}", report.memory_before)),
    ];
    let left = width / 2;
    let count = report.lines.len().max(report.reads.len());
    let lines = (0..count)
        .map(|i| {
            let ran = report
                .lines
                .get(i)
                .map(|l| format!("{:>4} | {}", l.line, l.text))
                .unwrap_or_default();
            let read = report
                .reads
                .get(i)
                .map(|r| format!("{} = {}", r.call, r.value))
                .unwrap_or_default();
            let ran: String = ran.chars().take(left.saturating_sub(1)).collect();
            Row::plain(format!("{ran:<left$}{read}"))
        })
        .collect();
    let mut rows = Vec::new();
    rows.push(Row::plain(format!(
        "ops {} of {} · chose {}",
        report.operations, report.budget, report.chose
    )));
    if let Some(after) = &report.memory_after
        && *after != report.memory_before
    {
        rows.push(Row::plain(format!("memory after {after}")));
    }
    let resolved = if report.resolved.is_empty() {
        "nothing (a wait)".to_owned()
    } else {
        report.resolved.join("; ")
    };
    if report.desync {
        rows.push(Row::new(
            format!("DESYNC: the log holds {}", report.logged.join("; ")),
            Tone::Error,
        ));
    } else {
        rows.push(Row::new(format!("-> {resolved}"), Tone::Ready));
    }
    (head, lines, rows)
}
