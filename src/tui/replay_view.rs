//! Drawing the playback screen: `view(&replay, frame)`, pure.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::keys::REPLAY_HELP;
use super::layout::Areas;
use super::replay::{MARK_KINDS, Panel, Replay, ReplayMode};
use super::view::{Theme, centred, help, key_hints, too_small, world};
use crate::domain::event::Event;
use crate::domain::projection::feed::describe;
use crate::domain::subject::Subject;
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
        Panel::History { subject, events } => history(replay, subject, events, frame, over, &theme),
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
    frame.render_widget(key_hints(keys, area.width, theme), area);
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
        if let Some((name, hash)) = deciding_program(replay, selected) {
            lines.push(Line::raw(format!(
                "  decided by the program {name} ({hash})"
            )));
        }
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

/// A building's or a robot's story, the latest last. A run of the same doing (progress on a
/// site, steps, digging, work, charging, one reason to wait) folds into one line, so a robot's
/// thousand steps read as its errands; the raw view shows every event.
fn history(
    replay: &Replay,
    subject: &Subject,
    events: &[RecordedEvent],
    frame: &mut Frame<'_>,
    area: Rect,
    theme: &Theme,
) {
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
            1 if e.metadata.command == "act" => format!("t{} {}", e.tick(), told(replay, e)),
            1 => format!(
                "t{} {} (by {}, {})",
                e.tick(),
                told(replay, e),
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
    let room = usize::from(area.height.saturating_sub(4)).max(1);
    let mut shown: Vec<Line> = Vec::new();
    if lines.len() > room {
        let hidden = lines.len() - room + 1;
        shown.push(Line::styled(
            format!("... {hidden} earlier lines"),
            theme.dim(),
        ));
        lines.drain(..hidden);
    }
    shown.extend(lines.into_iter().map(Line::raw));
    if shown.is_empty() {
        shown.push(Line::styled(empty, theme.dim()));
    }
    panel(frame, area, title, shown, theme);
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
