//! `lunar export --scenario`: a game told back as a scenario script, the player's commands and
//! programs with the ticks between them, so that a solution travels as one small text file and
//! `lunar script run` of it writes the same log (for a game a script wrote, the same head hash).

use super::inputs::{Input, player_inputs};
use crate::domain::building::commands::BuildingCommand;
use crate::domain::command::Command;
use crate::domain::event::Event;
use crate::domain::game::commands::GameCommand;
use crate::domain::robot::commands::RobotCommand;
use crate::engine::envelope::RecordedEvent;

/// The script that plays `events` again.
pub fn scenario(events: &[RecordedEvent]) -> Result<String, String> {
    let start = events
        .iter()
        .find_map(|e| start_line(&e.event))
        .ok_or("the save holds no game to export")?;
    let mut out = format!(
        "# Exported by lunar export: the player's commands, with the ticks between.\n{start}\n"
    );
    let mut now = 0;
    let inputs = player_inputs(events);
    let mut rest = inputs.as_slice();
    while let Some((first, _)) = rest.split_first() {
        // Uploads of one program to several robots in a row are told as one statement.
        let same = rest
            .iter()
            .take_while(|i| i.tick == first.tick && same_upload(first, i))
            .count()
            .max(1);
        let (group, after) = rest.split_at(same);
        rest = after;
        if first.tick > now {
            out += &format!("tick {}\n", first.tick - now);
            now = first.tick;
        }
        out += &statement(group);
        out.push('\n');
    }
    let last = events.last().map_or(0, |e| e.tick());
    if last > now {
        out += &format!("tick {}\n", last - now);
    }
    let outcome = events.iter().rev().find_map(|e| match e.event {
        Event::MissionWon(_) => Some("won"),
        Event::MissionLost(_) => Some("lost"),
        _ => None,
    });
    if let Some(outcome) = outcome {
        out += &format!("expect mission {outcome}\n");
    }
    Ok(out)
}

/// The line that starts the game `event` starts, if it starts one.
fn start_line(event: &Event) -> Option<String> {
    if let Event::GameStarted(e) = event {
        return Some(format!(
            "game start seed={} map={} player={} name={}",
            e.seed,
            word(&e.map.name),
            word(&e.player),
            word(&e.name)
        ));
    }
    let e = event.colony_start()?;
    Some(format!(
        "game start mission={} seed={} player={} name={} ruleset={}",
        word(&e.rules.mission.id),
        e.seed,
        word(e.player),
        word(e.name),
        e.ruleset
    ))
}

fn upload(input: &Input) -> Option<(&str, &str)> {
    match &input.command {
        Command::Robot(RobotCommand::UploadProgram { name, source, .. }) => Some((name, source)),
        _ => None,
    }
}

fn same_upload(a: &Input, b: &Input) -> bool {
    upload(a).is_some() && upload(a) == upload(b)
}

/// The statement that gives `group`'s commands: one command, or uploads of one program.
fn statement(group: &[Input]) -> String {
    let Some(first) = group.first() else {
        return String::new();
    };
    match &first.command {
        Command::Robot(RobotCommand::UploadProgram { name, source, .. }) => {
            let robots: Vec<String> = group
                .iter()
                .filter_map(|i| match &i.command {
                    Command::Robot(r) => Some(r.robot_id().to_string()),
                    _ => None,
                })
                .collect();
            program(&format!("program {}", robots.join(",")), name, source)
        }
        Command::Game(GameCommand::PlantSite(p)) => {
            let ticks = p
                .work_ticks
                .map(|t| format!(" ticks={t}"))
                .unwrap_or_default();
            format!(
                "build {} id={} at={},{}{ticks}",
                word(&p.building_type),
                p.building_id,
                p.x,
                p.y
            )
        }
        Command::Game(GameCommand::OrderRobot {
            robot_id,
            factory,
            program: Some(p),
        }) => program(
            &format!("order {robot_id} at={factory}"),
            &p.name,
            &p.source,
        ),
        Command::Game(GameCommand::OrderRobot {
            robot_id, factory, ..
        }) => format!("order {robot_id} at={factory} program=none"),
        Command::Building(BuildingCommand::Switch {
            building_id, on, ..
        }) => format!("switch {building_id} {}", if *on { "on" } else { "off" }),
        Command::Building(BuildingCommand::MarkUrgent {
            building_id,
            urgent,
            ..
        }) => format!("urgent {building_id}{}", if *urgent { "" } else { " off" }),
        Command::Building(BuildingCommand::Demolish { building_id, .. }) => {
            format!("demolish {building_id}")
        }
        _ => "stop".into(),
    }
}

/// A value as a script reads it back: bare when it can be, else in quotes.
fn word(text: &str) -> String {
    let bare = !text.is_empty()
        && !text
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '"' | '#' | '=' | '\\'));
    if bare {
        text.to_owned()
    } else {
        format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// A statement that gives a program inline: its name, then its source after `<<TAG`, with a
/// tag no line of the source is.
fn program(statement: &str, name: &str, source: &str) -> String {
    let mut tag = "PROGRAM".to_owned();
    while source.lines().any(|l| l.trim_end() == tag) {
        tag.push('_');
    }
    let unended = if source.ends_with('\n') || source.is_empty() {
        ""
    } else {
        " unended"
    };
    let body = source.strip_suffix('\n').unwrap_or(source);
    format!(
        "{statement} name={}{unended} <<{tag}\n{body}\n{tag}",
        word(name)
    )
}
