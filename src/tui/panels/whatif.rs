//! Playback's what-if: a fix tried from a tick, set beside the game as it went: how each
//! ended, each measure, the first tick they differ, and where the branch is saved.

use crate::domain::metrics::MEASURES;
use crate::study::scores::Outcome;
use crate::study::whatif::WhatIf;
use crate::tui::panels::inspector::PanelModel;
use crate::tui::theme::{Row, Tone};

pub fn model(whatif: &WhatIf) -> PanelModel {
    let c = &whatif.comparison;
    let (a, b) = (&c.a.scored, &c.b.scored);
    let title = format!(" what if, from tick {} ", whatif.tick);
    let mut rows = vec![
        Row::new(
            format!("{:<20} {:>10} {:>10}", "", "as played", "the fix"),
            Tone::Title,
        ),
        Row::new(
            format!(
                "{:<20} {:>10} {:>10}",
                "outcome",
                a.outcome.word(),
                b.outcome.word()
            ),
            match (a.outcome, b.outcome) {
                (_, Outcome::Won) => Tone::Ready,
                (Outcome::Won, _) => Tone::Error,
                _ => Tone::Plain,
            },
        ),
    ];
    for (name, read) in MEASURES {
        let (x, y) = (read(&a.metrics), read(&b.metrics));
        let tone = match y.cmp(&x) {
            std::cmp::Ordering::Less => Tone::Ready,
            std::cmp::Ordering::Equal => Tone::Plain,
            std::cmp::Ordering::Greater => Tone::Error,
        };
        rows.push(Row::new(format!("{name:<20} {x:>10} {y:>10}"), tone));
    }
    rows.push(Row::plain(""));
    rows.push(Row::plain(match c.first_difference {
        Some(tick) => format!("the games first differ at tick {tick}"),
        None => "the same game, tick for tick".to_owned(),
    }));
    if whatif.refused > 0 {
        rows.push(Row::new(
            format!(
                "{} of your later commands could not be given again",
                whatif.refused
            ),
            Tone::Dim,
        ));
    }
    rows.push(Row::new(format!("saved as {}", whatif.branch), Tone::Dim));
    rows.push(Row::new(
        "replay it with lunar replay; esc closes",
        Tone::Dim,
    ));
    PanelModel { title, rows }
}
