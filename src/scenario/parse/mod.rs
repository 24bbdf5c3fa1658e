//! Scenario scripts: one statement a line, `#` starts a comment, `key=value` options, double
//! quotes around values with spaces. Every error names `file:line:column`.

mod expect;
#[cfg(test)]
mod tests;
mod tokens;

use crate::domain::text::quoted;
use crate::scenario::script::{Location, ParseError, ProgramRef, Robots, Script, Show, Statement};
use expect::expect;
use tokens::{Args, LineParser, Token, building_id, coordinates, first_word, robot_id, tokenize};

/// The longest line a script may hold, in bytes.
pub const MAX_LINE: usize = 4096;

/// The most ticks one script may run: enough for any game worth scripting, and a bound on
/// what a run holds in memory.
pub const MAX_TICKS: u64 = 1_000_000;

pub fn parse(file: &str, text: &str) -> Result<Script, ParseError> {
    let mut statements = Vec::new();
    let mut ticks: u64 = 0;
    let lines: Vec<&str> = text.lines().collect();
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index];
        index += 1;
        let p = LineParser { file, line: index };
        if line.len() > MAX_LINE {
            return Err(p.error(
                1,
                format!(
                    "this line is {} bytes long; a script line holds at most {MAX_LINE}",
                    line.len()
                ),
            ));
        }
        let mut tokens = tokenize(line, &|column, message| p.error(column, message))?;
        // `<<TAG` at the end of a line: the lines after it, up to one that is TAG alone, are
        // the statement's text (a program's source).
        let here = match tokens.last() {
            Some(last) if last.text.starts_with("<<") => {
                let tag = last.text.trim_start_matches('<').to_owned();
                let column = last.column;
                if tag.is_empty() {
                    return Err(p.error(column, "<< needs a word to end the text with, as <<END"));
                }
                tokens.pop();
                let end = lines[index..]
                    .iter()
                    .position(|l| l.trim_end() == tag)
                    .ok_or_else(|| {
                        p.error(
                            column,
                            format!(
                                "the text begun here never ends: no line {} follows",
                                quoted(&tag)
                            ),
                        )
                    })?;
                let body = lines[index..index + end].join("\n");
                index += end + 1;
                Some(body + "\n")
            }
            _ => None,
        };
        let Some((head, rest)) = tokens.split_first() else {
            continue;
        };
        let end_column = line.chars().count() + 1;
        let at = Location {
            line: p.line,
            column: head.column,
        };
        let mut args = p.args(rest, end_column)?;
        args.text = here;
        let statement = match head.text.as_ref() {
            "game" => game(&p, args)?,
            "tick" => tick(&p, args)?,
            "build" => build(&p, args)?,
            "program" => program(&p, args)?,
            "order" => order(&p, args)?,
            "switch" => switch(&p, args)?,
            "urgent" => urgent(&p, args)?,
            "demolish" => {
                let id = first_word(&p, &mut args, "demolish", "a building id")?;
                let building = building_id(&p, &id.text, id.column)?;
                args.finish(&p, "demolish", "nothing else")?;
                Statement::Demolish { building }
            }
            "stop" => {
                args.finish(&p, "stop", "nothing")?;
                Statement::Stop
            }
            "reopen" => {
                args.finish(&p, "reopen", "nothing")?;
                Statement::Reopen
            }
            "show" => Statement::Show(show(&p, args)?),
            "expect" => Statement::Expect(expect(&p, args)?),
            other => {
                return Err(p.error(
                    head.column,
                    format!(
                        "unknown statement {}; expected game, tick, build, program, order, \
                         switch, urgent, demolish, stop, reopen, show or expect",
                        quoted(other)
                    ),
                ));
            }
        };
        if let Statement::Tick(count) = statement {
            ticks += u64::from(count);
            if ticks > MAX_TICKS {
                return Err(p.error(
                    at.column,
                    format!(
                        "this script would run {ticks} ticks by here; a script runs at most \
                         {MAX_TICKS}"
                    ),
                ));
            }
        }
        statements.push((at, statement));
    }
    Ok(Script {
        file: file.to_owned(),
        statements,
    })
}

fn game(p: &LineParser<'_>, mut args: Args<'_>) -> Result<Statement, ParseError> {
    let verb = first_word(p, &mut args, "game", "start")?;
    if verb.text != "start" {
        return Err(p.error(
            verb.column,
            format!("expected start, found {}", quoted(&verb.text)),
        ));
    }
    let seed = args.take_number(p, "seed", "a whole number")?;
    let map = args.take("map").map_or_else(|| "small".to_owned(), |v| v.0);
    let player = args
        .take("player")
        .map_or_else(|| "player".to_owned(), |v| v.0);
    let name = args.take("name").map(|v| v.0);
    let mission = args.take("mission").map(|v| v.0);
    let ruleset = args.take_number(p, "ruleset", "a ruleset number")?;
    args.finish(
        p,
        "game start",
        "seed=, map=, player=, name=, mission= or ruleset=",
    )?;
    Ok(Statement::GameStart {
        seed,
        map,
        player,
        name,
        mission,
        ruleset,
    })
}

fn tick(p: &LineParser<'_>, mut args: Args<'_>) -> Result<Statement, ParseError> {
    if let Some(tick) = args.take_number(p, "at", "a tick number")? {
        args.finish(p, "tick at=", "nothing else")?;
        return Ok(Statement::TickAt(tick));
    }
    let count = match args.words.first() {
        None => 1,
        Some(word) => {
            let n: u32 = p.number(&word.text, word.column, "a number of ticks")?;
            if n == 0 {
                return Err(p.error(word.column, "tick needs at least 1 tick"));
            }
            args.words.remove(0);
            n
        }
    };
    args.finish(p, "tick", "a number of ticks or at=")?;
    Ok(Statement::Tick(count))
}

fn build(p: &LineParser<'_>, mut args: Args<'_>) -> Result<Statement, ParseError> {
    let kind = first_word(p, &mut args, "build", "a building type, id= and at=")?;
    let (id, id_column) = args
        .take("id")
        .ok_or_else(|| p.error(args.end_column, "build needs id=NAME"))?;
    let id = building_id(p, &id, id_column)?;
    let (at, at_column) = args
        .take("at")
        .ok_or_else(|| p.error(args.end_column, "build needs at=X,Y"))?;
    let (x, y) = coordinates(p, &at, at_column)?;
    let ticks = args.take_number(p, "ticks", "a number of work ticks")?;
    let player = args.take("player").map(|v| v.0);
    args.finish(p, "build", "id=, at=, ticks= or player=")?;
    Ok(Statement::Build {
        building_type: kind.text.to_string(),
        id,
        x,
        y,
        ticks,
        player,
    })
}

/// A program given inline (`name=` and its source after `<<END`), or by `file=`.
fn program_ref(p: &LineParser<'_>, args: &mut Args<'_>) -> Result<Option<ProgramRef>, ParseError> {
    if let Some(mut source) = args.text.take() {
        let (name, _) = args
            .take("name")
            .ok_or_else(|| p.error(args.end_column, "a program given after << needs name=NAME"))?;
        // A source whose last line has no line break says so (the text after << ends with one).
        if args.take_flag("unended") {
            source.pop();
        }
        return Ok(Some(ProgramRef::Inline { name, source }));
    }
    Ok(args.take("file").map(|(file, _)| ProgramRef::File(file)))
}

/// `all`, or robot ids separated by commas.
fn robots(p: &LineParser<'_>, token: &Token<'_>) -> Result<Robots, ParseError> {
    if token.text == "all" {
        return Ok(Robots::All);
    }
    let mut ids = Vec::new();
    let mut column = token.column;
    for id in token.text.split(',') {
        ids.push(robot_id(p, id.trim(), column)?);
        column += id.chars().count() + 1;
    }
    Ok(Robots::These(ids))
}

fn program(p: &LineParser<'_>, mut args: Args<'_>) -> Result<Statement, ParseError> {
    let first = first_word(
        p,
        &mut args,
        "program",
        "robot ids (r1 or r1,r2) or all, and file=",
    )?;
    let robots = robots(p, first)?;
    let program = program_ref(p, &mut args)?.ok_or_else(|| {
        p.error(
            args.end_column,
            "program needs file=PATH (a path beside the script, or a name such as miner), or \
             name=NAME and its source after <<END",
        )
    })?;
    args.finish(p, "program", "file=, or name= and <<END")?;
    Ok(Statement::Program { robots, program })
}

fn order(p: &LineParser<'_>, mut args: Args<'_>) -> Result<Statement, ParseError> {
    let robot = first_word(p, &mut args, "order", "a robot id and at=")?;
    let robot = robot_id(p, &robot.text, robot.column)?;
    let (factory, column) = args
        .take("at")
        .ok_or_else(|| p.error(args.end_column, "order needs at=FACTORY"))?;
    let factory = building_id(p, &factory, column)?;
    let program = match args.take("program") {
        Some((file, _)) => Some(ProgramRef::File(file)),
        None => program_ref(p, &mut args)?,
    };
    args.finish(p, "order", "at=, program=, or name= and <<END")?;
    Ok(Statement::Order {
        robot,
        factory,
        program,
    })
}

/// `switch ID off` or `switch ID on`.
fn switch(p: &LineParser<'_>, mut args: Args<'_>) -> Result<Statement, ParseError> {
    let id = first_word(p, &mut args, "switch", "a building id and off or on")?;
    let building = building_id(p, &id.text, id.column)?;
    let state = first_word(p, &mut args, "switch", "off or on after the building id")?;
    let on = match state.text.as_ref() {
        "on" => true,
        "off" => false,
        other => {
            return Err(p.error(
                state.column,
                format!("expected off or on, found {}", quoted(other)),
            ));
        }
    };
    args.finish(p, "switch", "nothing after off or on")?;
    Ok(Statement::Switch { building, on })
}

/// `urgent ID`, or `urgent ID off` to take the mark away.
fn urgent(p: &LineParser<'_>, mut args: Args<'_>) -> Result<Statement, ParseError> {
    let id = first_word(p, &mut args, "urgent", "a site's building id")?;
    let building = building_id(p, &id.text, id.column)?;
    let urgent = !args.take_flag("off");
    args.finish(p, "urgent", "nothing, or off")?;
    Ok(Statement::Urgent { building, urgent })
}

fn show(p: &LineParser<'_>, mut args: Args<'_>) -> Result<Show, ParseError> {
    let what = first_word(p, &mut args, "show", "events or state")?;
    let json = args.take_flag("json");
    let show = match what.text.as_ref() {
        "events" => {
            let from_tick = args.take_number(p, "from-tick", "a tick number")?;
            let to_tick = args.take_number(p, "to-tick", "a tick number")?;
            args.finish(p, "show events", "json, from-tick= or to-tick=")?;
            Show::Events {
                json,
                from_tick,
                to_tick,
            }
        }
        "state" => {
            let at_tick = args.take_number(p, "at-tick", "a tick number")?;
            args.finish(p, "show state", "json or at-tick=")?;
            Show::State { json, at_tick }
        }
        other => {
            return Err(p.error(
                what.column,
                format!("expected events or state, found {}", quoted(other)),
            ));
        }
    };
    Ok(show)
}
