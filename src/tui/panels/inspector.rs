//! Playback's inspector: every event of the tick as a sentence, with its stream, version and
//! source; for the selected one, the program that decided it and the chain that caused it.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::domain::event::Event;
use crate::domain::subject::Subject;
use crate::engine::envelope::RecordedEvent;
use crate::present::{fit, short_stream};
use crate::tui::boxes::panel;
use crate::tui::replay::Replay;
use crate::tui::theme::{Row, Theme, Tone};

/// A panel's title and rows: what every playback panel is made of.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct PanelModel {
    pub title: String,
    pub rows: Vec<Row>,
}

/// The selected event's causes, root first, found among the events of its tick: a command's
/// whole cascade is recorded at one tick.
fn chain<'a>(events: &'a [RecordedEvent], selected: &'a RecordedEvent) -> Vec<&'a RecordedEvent> {
    let mut chain = vec![selected];
    let mut cause = selected.metadata.causation_id;
    while let Some(id) = cause {
        match events.iter().find(|e| e.id == id) {
            Some(e) if chain.len() < events.len() => {
                chain.push(e);
                cause = e.metadata.causation_id;
            }
            _ => break,
        }
    }
    chain.reverse();
    chain
}

/// The inspector over an area `height` rows high.
pub fn model(replay: &Replay, selected: usize, height: u16) -> PanelModel {
    let events = &replay.events;
    let height = usize::from(height.saturating_sub(4));
    let list_height = (height / 2).max(3);
    let first = selected.saturating_sub(list_height.saturating_sub(1));
    let mut rows: Vec<Row> = events
        .iter()
        .enumerate()
        .skip(first)
        .take(list_height)
        .map(|(i, e)| {
            let text = format!(
                "{:<18} {:<15} {}",
                fit(&short_stream(&e.stream, e.version), 18),
                e.metadata.source.as_str(),
                replay.told(e)
            );
            if i == selected {
                Row::new(format!("> {text}"), Tone::Cursor)
            } else {
                Row::plain(format!("  {text}"))
            }
        })
        .collect();
    if let Some(e) = events.get(selected) {
        rows.push(Row::plain(""));
        rows.push(Row::new(
            format!("seq {}, {}: {}", e.seq, e.event.type_name(), e.stream),
            Tone::Title,
        ));
        rows.push(Row::plain(format!("  {}", replay.told(e))));
        if let Some((name, hash)) = deciding_program(replay, selected) {
            rows.push(Row::plain(format!(
                "  decided by the program {name} ({hash})"
            )));
        }
        rows.push(Row::new("why: the chain that caused it", Tone::Title));
        for (depth, link) in chain(events, e).into_iter().enumerate() {
            rows.push(Row::plain(format!(
                "  {}{} by {}: {}",
                "  ".repeat(depth),
                link.metadata.command,
                link.metadata.source.as_str(),
                replay.told(link)
            )));
        }
        rows.push(Row::new(
            format!("  correlation {}", e.metadata.correlation_id),
            Tone::Dim,
        ));
    }
    let shown = if replay.raw {
        "raw JSON"
    } else {
        "r: raw JSON"
    };
    PanelModel {
        title: format!(" tick {}: {} events ({shown}) ", replay.tick, events.len()),
        rows,
    }
}

/// The program, by name and hash, that chose a robot's action: the last one uploaded to the
/// robot before it, on this tick or an earlier one.
fn deciding_program(replay: &Replay, selected: usize) -> Option<(String, String)> {
    let e = replay.events.get(selected)?;
    let Subject::Robot(robot) = e.event.subject() else {
        return None;
    };
    if matches!(e.event, Event::RobotDeployed(_) | Event::ProgramUploaded(_)) {
        return None;
    }
    let uploaded_this_tick =
        replay.events[..selected]
            .iter()
            .rev()
            .find_map(|earlier| match &earlier.event {
                Event::ProgramUploaded(p) if p.robot_id == robot => {
                    Some((p.name.clone(), p.hash.clone()))
                }
                _ => None,
            });
    let (name, hash) = uploaded_this_tick
        .or_else(|| replay.previous.robots.robots.get(&robot)?.program.clone())?;
    Some((name, hash[..8.min(hash.len())].to_owned()))
}

pub fn draw(model: &PanelModel, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    panel(frame, area, &model.title, &model.rows, theme);
}
