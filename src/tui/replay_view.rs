//! Drawing the playback screen: `view(&replay, frame)`, pure.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::keys::REPLAY_HELP;
use super::layout::Areas;
use super::replay::{MARK_KINDS, Panel, Replay, ReplayMode};
use super::view::{Theme, centred, help, too_small, world};
use crate::domain::projection::feed::describe;
use crate::engine::envelope::RecordedEvent;
use crate::present::{fit, projection_diff, short_stream};

pub fn view(replay: &Replay, frame: &mut Frame<'_>) {
    let theme = Theme {
        color: replay.app.color,
    };
    let colony = replay.app.projections.colony.economy.is_some();
    let Some(areas) = Areas::new(frame.area(), true, colony) else {
        too_small(frame, &theme);
        return;
    };
    header(replay, frame, areas.header, &theme);
    world(&replay.app, frame, &areas, &theme);
    timeline(replay, frame, areas.timeline, &theme);
    if let ReplayMode::Goto(digits) = &replay.mode {
        frame.render_widget(
            Line::styled(
                format!(" go to tick: {digits}_  (enter to go, esc to cancel)"),
                theme.title(),
            ),
            areas.status,
        );
    }
    footer(replay, frame, areas.footer, &theme);
    let over = Rect {
        width: areas.map.width + areas.side.width,
        ..areas.map
    };
    match &replay.panel {
        Panel::None => {}
        Panel::Inspector { selected } => inspector(replay, *selected, frame, over, &theme),
        Panel::Diff => diff(replay, frame, over, &theme),
        Panel::History { building, events } => {
            history(replay, building.as_str(), events, frame, over, &theme)
        }
    }
    if let ReplayMode::Help { scroll } = replay.mode {
        help(frame, frame.area(), REPLAY_HELP, scroll, 0, &theme);
    }
}

fn header(replay: &Replay, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    let c = &replay.app.projections.colony;
    let skipping = if replay.skip_quiet {
        ", skipping quiet"
    } else {
        ""
    };
    let (state, style) = if replay.playing {
        (
            format!("PLAYING {}{skipping}", replay.speed_label()),
            theme.ready(),
        )
    } else if replay.following() {
        ("AT THE END, FOLLOWING".to_owned(), theme.site())
    } else {
        (format!("PAUSED ({})", replay.speed_label()), theme.error())
    };
    let line = Line::from(vec![
        Span::styled(format!(" {} ", c.name), theme.title()),
        Span::raw(format!(
            "| REPLAY {} | tick {} of {} | ",
            replay.app.save_name, replay.tick, replay.end
        )),
        Span::styled(state, style),
        Span::raw(" | read-only"),
    ]);
    frame.render_widget(line, area);
}

/// Two rows: where the marks and the current tick are along the whole game, then the labels.
fn timeline(replay: &Replay, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    if area.height < 2 || area.width < 2 {
        return;
    }
    let width = u64::from(area.width);
    let (start, end) = replay.window();
    let span = (end - start).max(1);
    let column = |tick: u64| ((tick.clamp(start, end) - start) * (width - 1) / span) as usize;
    let mut track: Vec<(char, Style)> = vec![('-', theme.dim()); area.width as usize];
    let marks = replay.marks.get(replay.kind).map_or(&[][..], Vec::as_slice);
    let shown = marks.iter().filter(|t| (start..=end).contains(*t));
    for tick in shown {
        track[column(*tick)] = ('|', theme.site());
    }
    track[column(replay.tick)] = ('#', theme.cursor().patch(theme.title()));
    let spans: Vec<Span> = track
        .into_iter()
        .map(|(c, style)| Span::styled(c.to_string(), style))
        .collect();
    frame.render_widget(Line::from(spans), Rect { height: 1, ..area });
    let kind = MARK_KINDS[replay.kind].label;
    let left = format!("{start}  | {kind} ({})", marks.len());
    let right = if end == replay.end {
        format!("{end}")
    } else {
        format!("{end} of {}  z: zoom", replay.end)
    };
    let gap = (area.width as usize).saturating_sub(left.len() + right.len());
    frame.render_widget(
        Line::styled(format!("{left}{}{right}", " ".repeat(gap)), theme.dim()),
        Rect {
            y: area.y + 1,
            height: 1,
            ..area
        },
    );
}

fn footer(replay: &Replay, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    let keys: &[(&str, &str)] = match (&replay.mode, &replay.panel) {
        (ReplayMode::Goto(_), _) => &[("digits", "tick"), ("enter", "go"), ("esc", "cancel")],
        (_, Panel::Inspector { .. }) => &[
            ("up/down", "event"),
            ("left/right", "tick"),
            ("r", "raw"),
            ("esc", "close"),
        ],
        (_, Panel::History { .. }) => &[("left/right", "tick"), ("r", "raw"), ("esc", "close")],
        _ => &[
            ("space", if replay.playing { "pause" } else { "play" }),
            ("left/right", "tick"),
            ("[ ]", "marks"),
            ("i", "inspect"),
            ("d", "diff"),
            ("w", "why"),
            ("b", "branch"),
            ("?", "help"),
            ("q", "quit"),
        ],
    };
    let mut spans = Vec::new();
    for (key, what) in keys {
        spans.push(Span::styled(format!(" {key}"), theme.title()));
        spans.push(Span::raw(format!(" {what} ")));
    }
    frame.render_widget(Line::from(spans), area);
}

/// An event as the panels show it: a sentence, or its raw data when asked for.
fn told(replay: &Replay, e: &RecordedEvent) -> String {
    if replay.raw {
        return e.event.encode_data();
    }
    let names = replay
        .app
        .projections
        .colony
        .catalogue
        .iter()
        .map(|k| (k.key.clone(), k.name.clone()))
        .collect();
    describe(&e.event, &names)
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

fn panel(frame: &mut Frame<'_>, area: Rect, title: String, lines: Vec<Line<'_>>, theme: &Theme) {
    let rect = centred(
        area,
        area.width.saturating_sub(4),
        area.height.saturating_sub(2),
    );
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(Span::styled(title, theme.title()))),
        rect,
    );
}

fn inspector(replay: &Replay, selected: usize, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    let events = &replay.events;
    let height = usize::from(area.height.saturating_sub(4));
    let list_height = (height / 2).max(3);
    let first = selected.saturating_sub(list_height.saturating_sub(1));
    let mut lines: Vec<Line> = events
        .iter()
        .enumerate()
        .skip(first)
        .take(list_height)
        .map(|(i, e)| {
            let text = format!(
                "{:<18} {:<15} {}",
                fit(&short_stream(&e.stream, e.version), 18),
                e.metadata.source.as_str(),
                told(replay, e)
            );
            if i == selected {
                Line::styled(format!("> {text}"), theme.cursor())
            } else {
                Line::raw(format!("  {text}"))
            }
        })
        .collect();
    if let Some(e) = events.get(selected) {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!("seq {}, {}: {}", e.seq, e.event.type_name(), e.stream),
            theme.title(),
        ));
        lines.push(Line::raw(format!("  {}", told(replay, e))));
        lines.push(Line::styled("why: the chain that caused it", theme.title()));
        for (depth, link) in chain(events, e).into_iter().enumerate() {
            lines.push(Line::raw(format!(
                "  {}{} by {}: {}",
                "  ".repeat(depth),
                link.metadata.command,
                link.metadata.source.as_str(),
                told(replay, link)
            )));
        }
        lines.push(Line::styled(
            format!("  correlation {}", e.metadata.correlation_id),
            theme.dim(),
        ));
    }
    let shown = if replay.raw {
        "raw JSON"
    } else {
        "r: raw JSON"
    };
    let title = format!(" tick {}: {} events ({shown}) ", replay.tick, events.len());
    panel(frame, area, title, lines, theme);
}

fn diff(replay: &Replay, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    let mut changes = projection_diff(&replay.previous, &replay.app.projections);
    if changes.is_empty() {
        changes.push("nothing changed".into());
    }
    let title = format!(
        " changes from tick {} to {} ",
        replay.tick.saturating_sub(1),
        replay.tick
    );
    let lines = changes.into_iter().map(Line::raw).collect();
    panel(frame, area, title, lines, theme);
}

/// A building's story: consecutive progress events fold into one line.
fn history(
    replay: &Replay,
    building: &str,
    events: &[RecordedEvent],
    frame: &mut Frame<'_>,
    area: Rect,
    theme: &Theme,
) {
    let mut lines: Vec<Line> = Vec::new();
    let mut i = 0;
    while i < events.len() {
        let e = &events[i];
        let run = events[i..]
            .iter()
            .take_while(|n| n.event.type_name() == "construction_progressed")
            .count();
        if run > 1 {
            let last = &events[i + run - 1];
            lines.push(Line::raw(format!(
                "t{}-t{} work went from {} to {}, a tick of work each tick ({run} events)",
                e.tick(),
                last.tick(),
                progress(e),
                progress(last)
            )));
            i += run;
            continue;
        }
        lines.push(Line::raw(format!(
            "t{} {} (by {}, {})",
            e.tick(),
            told(replay, e),
            e.metadata.source.as_str(),
            e.metadata.command,
        )));
        i += 1;
    }
    if lines.is_empty() {
        lines.push(Line::styled("no events yet", theme.dim()));
    }
    let title = format!(" why {building} is as it is at tick {} ", replay.tick);
    panel(frame, area, title, lines, theme);
}

fn progress(e: &RecordedEvent) -> String {
    match &e.event {
        crate::domain::event::Event::ConstructionProgressed(p) => {
            format!("{}/{}", p.work_done, p.work_required)
        }
        _ => String::new(),
    }
}
