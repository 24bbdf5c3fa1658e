//! Playback's timeline: where the marks and the current tick are along the game (or the part
//! of it zoomed in on), then the labels.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::tui::replay::{MARK_KINDS, Replay};
use crate::tui::theme::{Row, Styled, Theme, Tone};

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct TimelineModel {
    pub track: Row,
    pub labels: Row,
}

/// The timeline for an area `width` columns wide; none where it does not fit.
pub fn model(replay: &Replay, area: Rect) -> Option<TimelineModel> {
    if area.height < 2 || area.width < 2 {
        return None;
    }
    let width = u64::from(area.width);
    let (start, end) = replay.window();
    let span = (end - start).max(1);
    let column = |tick: u64| ((tick.clamp(start, end) - start) * (width - 1) / span) as usize;
    let mut track: Vec<(char, Tone)> = vec![('-', Tone::Dim); area.width as usize];
    let marks = replay.marks.get(replay.kind).map_or(&[][..], Vec::as_slice);
    let shown = marks.iter().filter(|t| (start..=end).contains(*t));
    for tick in shown {
        track[column(*tick)] = ('|', Tone::Site);
    }
    track[column(replay.tick)] = ('#', Tone::CursorTitle);
    let kind = MARK_KINDS[replay.kind].label;
    let left = format!("{start}  | {kind} ({})", marks.len());
    let right = if end == replay.end {
        format!("{end}")
    } else {
        format!("{end} of {}  z: zoom", replay.end)
    };
    let gap = (area.width as usize).saturating_sub(left.len() + right.len());
    Some(TimelineModel {
        track: Row::of(
            track
                .into_iter()
                .map(|(c, tone)| Styled::new(c.to_string(), tone))
                .collect(),
        ),
        labels: Row::new(format!("{left}{}{right}", " ".repeat(gap)), Tone::Dim),
    })
}

pub fn draw(model: &TimelineModel, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    frame.render_widget(theme.line(&model.track), Rect { height: 1, ..area });
    frame.render_widget(
        theme.line(&model.labels),
        Rect {
            y: area.y + 1,
            height: 1,
            ..area
        },
    );
}
