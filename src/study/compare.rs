//! `lunar compare`: two games of one mission side by side: how each ended, each measure, and
//! the first tick at which their logs tell different stories.

use serde::Serialize;

use super::scores::{Scored, score};
use crate::domain::event::Event;
use crate::domain::ids::Tick;
use crate::domain::metrics::MEASURES;
use crate::engine::envelope::RecordedEvent;

#[derive(Serialize, Clone, PartialEq, Eq, Debug)]
pub struct Side {
    pub save: String,
    #[serde(flatten)]
    pub scored: Scored,
}

#[derive(Serialize, Clone, PartialEq, Eq, Debug)]
pub struct Comparison {
    pub a: Side,
    pub b: Side,
    /// The first tick whose events differ between the two; none when they tell one story.
    pub first_difference: Option<Tick>,
}

/// Sets two games of one mission side by side; `names` are how the report names them.
pub fn compare(
    a: &[RecordedEvent],
    b: &[RecordedEvent],
    names: (&str, &str),
) -> Result<Comparison, String> {
    let side = |events, save: &str| -> Result<Side, String> {
        Ok(Side {
            save: save.to_owned(),
            scored: score(events).map_err(|e| format!("{save}: {e}"))?,
        })
    };
    let (a_side, b_side) = (side(a, names.0)?, side(b, names.1)?);
    if a_side.scored.mission != b_side.scored.mission {
        return Err(format!(
            "{} plays {} and {} plays {}: compare two games of one mission",
            names.0, a_side.scored.mission, names.1, b_side.scored.mission
        ));
    }
    Ok(Comparison {
        a: a_side,
        b: b_side,
        first_difference: first_difference(a, b),
    })
}

/// An event as two games of one mission can share it: without the game's id, which every
/// game has its own of. The start of a game (its name, its player) is not compared.
fn story(recorded: &RecordedEvent) -> Option<(Tick, serde_json::Value)> {
    if recorded.event.colony_start().is_some()
        || matches!(
            recorded.event,
            Event::GameStarted(_) | Event::ColonyFounded(_)
        )
    {
        return None;
    }
    let mut value = serde_json::to_value(&recorded.event).ok()?;
    // However the event's name wraps its fields, the id is one level down at most.
    if let Some(outer) = value.as_object_mut() {
        outer.remove("game_id");
        for inner in outer.values_mut().filter_map(|v| v.as_object_mut()) {
            inner.remove("game_id");
        }
    }
    Some((recorded.tick(), value))
}

/// The first tick at which `a` and `b` record different events, or where one goes on and the
/// other has ended.
pub fn first_difference(a: &[RecordedEvent], b: &[RecordedEvent]) -> Option<Tick> {
    let mut a = a.iter().filter_map(story);
    let mut b = b.iter().filter_map(story);
    loop {
        match (a.next(), b.next()) {
            (None, None) => return None,
            (Some((tick, _)), None) | (None, Some((tick, _))) => return Some(tick),
            (Some((ta, ea)), Some((tb, eb))) if ta != tb || ea != eb => return Some(ta.min(tb)),
            _ => {}
        }
    }
}

/// The comparison as `lunar compare` prints it: a row a measure, the better of each marked.
pub fn text(c: &Comparison) -> String {
    let width = c.a.save.len().max(c.b.save.len()).max(8);
    let mut out = format!(
        "{} · {}\n{:<20} {:>width$} {:>width$}\n",
        c.a.scored.title, c.a.scored.mission, "", c.a.save, c.b.save
    );
    out += &format!(
        "{:<20} {:>width$} {:>width$}\n",
        "outcome",
        c.a.scored.outcome.word(),
        c.b.scored.outcome.word()
    );
    for (name, read) in MEASURES {
        let (x, y) = (read(&c.a.scored.metrics), read(&c.b.scored.metrics));
        let mark = |mine: u64, theirs: u64| if mine < theirs { "*" } else { " " };
        out += &format!(
            "{name:<20} {:>width$}{} {:>width$}{}\n",
            x,
            mark(x, y),
            y,
            mark(y, x),
            width = width - 1
        );
    }
    out += &match c.first_difference {
        Some(tick) => format!("the games first differ at tick {tick}\n"),
        None => "the two games tell the same story, tick for tick\n".into(),
    };
    out
}
