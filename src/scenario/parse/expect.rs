//! `expect` lines: what a script checks, and how each is written.

use super::tokens::{Args, LineParser, building_id, coordinates, event_type, first_word, robot_id};
use crate::domain::rejection::Rejection;
use crate::domain::text::quoted;
use crate::scenario::script::{Compare, Expectation, MissionState, ParseError, Readiness};

/// The names `expect resource` knows: what batteries hold, then each stored resource.
pub const RESOURCES: &[&str] = &["power", "regolith", "ice", "water", "oxygen"];

pub(super) fn expect(p: &LineParser<'_>, mut args: Args<'_>) -> Result<Expectation, ParseError> {
    let subject = first_word(
        p,
        &mut args,
        "expect",
        "tick, building, event, no, rejected, accepted, colony, resource, mission or colonists",
    )?;
    let expectation = match subject.text.as_ref() {
        "tick" => {
            let word = first_word(p, &mut args, "expect tick", "a tick number")?;
            let tick = p.number(&word.text, word.column, "a tick number")?;
            args.finish(p, "expect tick", "a tick number")?;
            Expectation::Tick(tick)
        }
        "building" => {
            let word = first_word(p, &mut args, "expect building", "a building id")?;
            let id = building_id(p, &word.text, word.column)?;
            if args.take_flag("gone") {
                args.finish(p, "expect building ID gone", "nothing else")?;
                return Ok(Expectation::NoBuilding(id));
            }
            let readiness = if args.take_flag("ready") {
                Some(Readiness::Ready)
            } else if args.take_flag("under-construction") {
                Some(Readiness::UnderConstruction)
            } else {
                None
            };
            let progress = args.take_number(p, "progress", "a percentage from 0 to 100")?;
            if progress.is_some_and(|pct: u8| pct > 100) {
                return Err(p.error(word.column, "progress is a percentage from 0 to 100"));
            }
            let completed = args.take_number(p, "completed", "a tick number")?;
            let spawned = args.take_number(p, "spawned", "a tick number")?;
            let on = if args.take_flag("on") {
                Some(true)
            } else if args.take_flag("off") {
                Some(false)
            } else {
                None
            };
            let urgent = args.take_flag("urgent");
            args.finish(
                p,
                "expect building",
                "gone, ready, under-construction, on, off, urgent, progress=, completed= or \
                 spawned=",
            )?;
            Expectation::Building {
                id,
                readiness,
                progress,
                completed,
                spawned,
                on,
                urgent,
            }
        }
        "event" | "no" => {
            let present = subject.text == "event";
            if !present {
                let word = first_word(p, &mut args, "expect no", "event")?;
                if word.text != "event" {
                    return Err(p.error(
                        word.column,
                        format!("expected event, found {}", quoted(&word.text)),
                    ));
                }
            }
            let word = first_word(p, &mut args, "expect event", "an event type")?;
            let event_type = event_type(p, word)?;
            let count = if present {
                args.take_number(p, "count", "a count")?
            } else {
                None
            };
            let building = match args.take("building") {
                None => None,
                Some((value, column)) => Some(building_id(p, &value, column)?),
            };
            let tick = args.take_number(p, "tick", "a tick number")?;
            let allowed = if present {
                "count=, building= or tick="
            } else {
                "building= or tick="
            };
            args.finish(p, "expect event", allowed)?;
            Expectation::Event {
                present,
                event_type,
                count,
                building,
                tick,
            }
        }
        "rejected" => {
            let code = match args.words.first() {
                None => None,
                Some(word) => {
                    if !Rejection::CODES.contains(&word.text.as_ref()) {
                        return Err(p.error(
                            word.column,
                            format!(
                                "unknown rejection {}; expected one of {}",
                                quoted(&word.text),
                                Rejection::CODES.join(", ")
                            ),
                        ));
                    }
                    Some(args.words.remove(0).text.to_string())
                }
            };
            args.finish(p, "expect rejected", "a rejection code")?;
            Expectation::Rejected(code)
        }
        "accepted" => {
            args.finish(p, "expect accepted", "nothing")?;
            Expectation::Accepted
        }
        "resource" => {
            let expected = "a resource, >=, <= or ==, and an amount";
            let name = first_word(p, &mut args, "expect resource", expected)?;
            if !RESOURCES.contains(&name.text.as_ref()) {
                return Err(p.error(
                    name.column,
                    format!(
                        "unknown resource {}; expected one of {}",
                        quoted(&name.text),
                        RESOURCES.join(", ")
                    ),
                ));
            }
            let op = first_word(p, &mut args, "expect resource", expected)?;
            let compare = match op.text.as_ref() {
                ">=" => Compare::AtLeast,
                "<=" => Compare::AtMost,
                "==" => Compare::Exactly,
                other => {
                    return Err(p.error(
                        op.column,
                        format!("expected >=, <= or ==, found {}", quoted(other)),
                    ));
                }
            };
            let word = first_word(p, &mut args, "expect resource", expected)?;
            let amount = p.number(&word.text, word.column, "an amount")?;
            args.finish(p, "expect resource", expected)?;
            Expectation::Resource {
                name: name.text.to_string(),
                compare,
                amount,
            }
        }
        "mission" => {
            let word = first_word(p, &mut args, "expect mission", "won, lost or running")?;
            let state = match word.text.as_ref() {
                "won" => MissionState::Won,
                "lost" => MissionState::Lost,
                "running" => MissionState::Running,
                other => {
                    return Err(p.error(
                        word.column,
                        format!("expected won, lost or running, found {}", quoted(other)),
                    ));
                }
            };
            args.finish(p, "expect mission", "won, lost or running")?;
            Expectation::Mission(state)
        }
        "robot" => {
            let expected = "at=X,Y, faulted or running, and battery>=N, battery<=N or battery=N";
            let word = first_word(p, &mut args, "expect robot", "a robot id")?;
            let id = robot_id(p, &word.text, word.column)?;
            let at = match args.take("at") {
                Some((value, column)) => {
                    let (x, y) = coordinates(p, &value, column)?;
                    match (u16::try_from(x), u16::try_from(y)) {
                        (Ok(x), Ok(y)) => Some((x, y)),
                        _ => return Err(p.error(column, "a robot stands on the map")),
                    }
                }
                None => None,
            };
            let faulted = if args.take_flag("faulted") {
                Some(true)
            } else if args.take_flag("running") {
                Some(false)
            } else {
                None
            };
            // `battery>=N` reads as the option `battery>` with the value `N`.
            let battery = [
                ("battery>", Compare::AtLeast),
                ("battery<", Compare::AtMost),
                ("battery", Compare::Exactly),
            ]
            .into_iter()
            .find_map(|(key, compare)| args.take(key).map(|v| (compare, v)));
            let battery = match battery {
                Some((compare, (value, column))) => {
                    Some((compare, p.number(&value, column, "a battery level")?))
                }
                None => None,
            };
            args.finish(p, "expect robot", expected)?;
            Expectation::Robot {
                id,
                at,
                faulted,
                battery,
            }
        }
        "colonists" => {
            let word = first_word(p, &mut args, "expect colonists", "a count")?;
            let count = p.number(&word.text, word.column, "a count")?;
            args.finish(p, "expect colonists", "a count")?;
            Expectation::Colonists(count)
        }
        "colony" => {
            let stopped = if args.take_flag("stopped") {
                Some(true)
            } else if args.take_flag("running") {
                Some(false)
            } else {
                None
            };
            let buildings = args.take_number(p, "buildings", "a count")?;
            let under_construction = args.take_number(p, "under-construction", "a count")?;
            let ready = args.take_number(p, "ready", "a count")?;
            args.finish(
                p,
                "expect colony",
                "buildings=, under-construction=, ready=, stopped or running",
            )?;
            Expectation::Colony {
                buildings,
                under_construction,
                ready,
                stopped,
            }
        }
        other => {
            return Err(p.error(
                subject.column,
                format!(
                    "unknown expectation {}; expected tick, building, event, no, \
                     rejected, accepted, colony, resource, mission or colonists",
                    quoted(other)
                ),
            ));
        }
    };
    Ok(expectation)
}
