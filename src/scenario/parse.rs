//! Scenario scripts: one statement a line, `#` starts a comment, `key=value` options, double
//! quotes around values with spaces. Every error names `file:line:column`.

use std::collections::BTreeMap;
use std::fmt;

use crate::domain::event::Event;
use crate::domain::ids::{BuildingId, RobotId, Tick};
use crate::domain::rejection::Rejection;
use crate::domain::text::quoted;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ParseError {
    pub file: String,
    pub at: Location,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.at.line, self.at.column, self.message
        )
    }
}

impl std::error::Error for ParseError {}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Script {
    pub file: String,
    pub statements: Vec<(Location, Statement)>,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Statement {
    /// A classic game, or with `mission` a colony game on the mission's map (and seed,
    /// unless given).
    GameStart {
        seed: Option<u64>,
        map: String,
        player: String,
        name: Option<String>,
        mission: Option<String>,
    },
    /// Advance the game loop this many ticks.
    Tick(u32),
    /// Advance the game loop claiming to enter exactly this tick (to test ordering).
    TickAt(Tick),
    Build {
        building_type: String,
        id: BuildingId,
        x: i32,
        y: i32,
        ticks: Option<u32>,
        player: Option<String>,
    },
    /// Upload a program to a robot: `file` is a path relative to the script, or a bare name
    /// from `assets/programs`.
    Program {
        robot: RobotId,
        file: String,
    },
    /// Order a robot from a factory.
    Order {
        robot: RobotId,
        factory: BuildingId,
    },
    Stop,
    /// Close the game and open it again from its log.
    Reopen,
    Show(Show),
    Expect(Expectation),
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Show {
    Events {
        json: bool,
        from_tick: Option<Tick>,
        to_tick: Option<Tick>,
    },
    State {
        json: bool,
        at_tick: Option<Tick>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Readiness {
    Ready,
    UnderConstruction,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Expectation {
    Tick(Tick),
    Building {
        id: BuildingId,
        readiness: Option<Readiness>,
        progress: Option<u8>,
        completed: Option<Tick>,
        spawned: Option<Tick>,
    },
    Event {
        present: bool,
        event_type: String,
        count: Option<usize>,
        building: Option<BuildingId>,
        tick: Option<Tick>,
    },
    Rejected(Option<String>),
    Accepted,
    Colony {
        buildings: Option<u32>,
        under_construction: Option<u32>,
        ready: Option<u32>,
        stopped: Option<bool>,
    },
    /// A resource (`power` is what batteries hold) compared with an amount.
    Resource {
        name: String,
        compare: Compare,
        amount: u32,
    },
    Mission(MissionState),
    /// How many colonists live in the colony.
    Colonists(u32),
    /// A robot's place, whether it is faulted, and its battery.
    Robot {
        id: RobotId,
        at: Option<(u16, u16)>,
        faulted: Option<bool>,
        battery: Option<(Compare, u32)>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Compare {
    AtLeast,
    AtMost,
    Exactly,
}

impl Compare {
    pub fn symbol(self) -> &'static str {
        match self {
            Compare::AtLeast => ">=",
            Compare::AtMost => "<=",
            Compare::Exactly => "==",
        }
    }

    pub fn holds(self, found: u32, amount: u32) -> bool {
        match self {
            Compare::AtLeast => found >= amount,
            Compare::AtMost => found <= amount,
            Compare::Exactly => found == amount,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum MissionState {
    Won,
    Lost,
    Running,
}

/// The names `expect resource` knows: what batteries hold, then each stored resource.
pub const RESOURCES: &[&str] = &["power", "regolith", "ice", "water", "oxygen"];

struct Token<'a> {
    text: std::borrow::Cow<'a, str>,
    column: usize,
}

/// Splits a line into tokens, dropping a trailing comment.
fn tokenize<'a>(
    line: &'a str,
    fail: &dyn Fn(usize, String) -> ParseError,
) -> Result<Vec<Token<'a>>, ParseError> {
    let mut tokens = Vec::new();
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if c == '#' {
            break;
        }
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let column = i + 1;
        let mut quoted = String::new();
        let mut has_quote = false;
        let mut end = start;
        while i < chars.len() {
            let (at, c) = chars[i];
            if c == '"' {
                has_quote = true;
                i += 1;
                let mut closed = false;
                while i < chars.len() {
                    let (_, q) = chars[i];
                    i += 1;
                    match q {
                        '"' => {
                            closed = true;
                            break;
                        }
                        '\\' => match chars.get(i) {
                            Some((_, e @ ('"' | '\\'))) => {
                                quoted.push(*e);
                                i += 1;
                            }
                            _ => {
                                return Err(fail(
                                    i,
                                    "inside quotes, a backslash starts \\\" (a quote) or \\\\ \
                                     (a backslash)"
                                        .into(),
                                ));
                            }
                        },
                        q => quoted.push(q),
                    }
                }
                if !closed {
                    return Err(fail(column, "a quoted value is never closed".into()));
                }
                end = chars.get(i).map_or(line.len(), |(at, _)| *at);
                continue;
            }
            if c.is_whitespace() || c == '#' {
                break;
            }
            quoted.push(c);
            i += 1;
            end = at + c.len_utf8();
        }
        let text = if has_quote {
            std::borrow::Cow::Owned(quoted)
        } else {
            std::borrow::Cow::Borrowed(&line[start..end])
        };
        tokens.push(Token { text, column });
    }
    Ok(tokens)
}

/// The words and `key=value` options of one statement, consumed as the parser reads them.
struct Args<'a> {
    words: Vec<&'a Token<'a>>,
    options: BTreeMap<String, (String, usize)>,
    end_column: usize,
}

struct LineParser<'a> {
    file: &'a str,
    line: usize,
}

impl LineParser<'_> {
    fn error(&self, column: usize, message: impl Into<String>) -> ParseError {
        ParseError {
            file: self.file.to_owned(),
            at: Location {
                line: self.line,
                column,
            },
            message: message.into(),
        }
    }

    fn args<'t>(&self, tokens: &'t [Token<'t>], end_column: usize) -> Result<Args<'t>, ParseError> {
        let mut words = Vec::new();
        let mut options = BTreeMap::new();
        for token in tokens {
            // A comparison stands alone as a word, however much it looks like an option.
            let comparison = matches!(token.text.as_ref(), ">=" | "<=" | "==");
            match token.text.split_once('=').filter(|_| !comparison) {
                Some((key, value)) => {
                    if key.is_empty() {
                        return Err(self.error(token.column, "an option needs a name before '='"));
                    }
                    let value_column = token.column + key.chars().count() + 1;
                    if options
                        .insert(key.to_owned(), (value.to_owned(), value_column))
                        .is_some()
                    {
                        return Err(
                            self.error(token.column, format!("option {key} is given twice"))
                        );
                    }
                }
                None => words.push(token),
            }
        }
        Ok(Args {
            words,
            options,
            end_column,
        })
    }

    fn number<T: std::str::FromStr>(
        &self,
        text: &str,
        column: usize,
        what: &str,
    ) -> Result<T, ParseError> {
        text.parse()
            .map_err(|_| self.error(column, format!("expected {what}, found {}", quoted(text))))
    }
}

impl Args<'_> {
    fn take(&mut self, key: &str) -> Option<(String, usize)> {
        self.options.remove(key)
    }

    fn take_number<T: std::str::FromStr>(
        &mut self,
        p: &LineParser<'_>,
        key: &str,
        what: &str,
    ) -> Result<Option<T>, ParseError> {
        match self.take(key) {
            None => Ok(None),
            Some((value, column)) => p.number(&value, column, what).map(Some),
        }
    }

    fn take_flag(&mut self, word: &str) -> bool {
        let before = self.words.len();
        self.words.retain(|w| w.text != word);
        self.words.len() != before
    }

    /// Fails on anything the statement did not consume.
    fn finish(self, p: &LineParser<'_>, statement: &str, allowed: &str) -> Result<(), ParseError> {
        if let Some(word) = self.words.first() {
            return Err(p.error(
                word.column,
                format!(
                    "unexpected {} in {statement}; expected {allowed}",
                    quoted(&word.text)
                ),
            ));
        }
        if let Some((key, (_, column))) = self.options.iter().next() {
            let key_column = column - key.chars().count() - 1;
            return Err(p.error(
                key_column,
                format!("unknown option {key} for {statement}; expected {allowed}"),
            ));
        }
        Ok(())
    }
}

/// The longest line a script may hold, in bytes.
pub const MAX_LINE: usize = 4096;
/// The most ticks one script may run: enough for any game worth scripting, and a bound on
/// what a run holds in memory.
pub const MAX_TICKS: u64 = 1_000_000;

pub fn parse(file: &str, text: &str) -> Result<Script, ParseError> {
    let mut statements = Vec::new();
    let mut ticks: u64 = 0;
    for (index, line) in text.lines().enumerate() {
        let p = LineParser {
            file,
            line: index + 1,
        };
        if line.len() > MAX_LINE {
            return Err(p.error(
                1,
                format!(
                    "this line is {} bytes long; a script line holds at most {MAX_LINE}",
                    line.len()
                ),
            ));
        }
        let tokens = tokenize(line, &|column, message| p.error(column, message))?;
        let Some((head, rest)) = tokens.split_first() else {
            continue;
        };
        let end_column = line.chars().count() + 1;
        let at = Location {
            line: p.line,
            column: head.column,
        };
        let args = p.args(rest, end_column)?;
        let statement = match head.text.as_ref() {
            "game" => game(&p, args)?,
            "tick" => tick(&p, args)?,
            "build" => build(&p, args)?,
            "program" => program(&p, args)?,
            "order" => order(&p, args)?,
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
                         stop, reopen, show or expect",
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

fn first_word<'a>(
    p: &LineParser<'_>,
    args: &mut Args<'a>,
    statement: &str,
    expected: &str,
) -> Result<&'a Token<'a>, ParseError> {
    if args.words.is_empty() {
        return Err(p.error(args.end_column, format!("{statement} needs {expected}")));
    }
    Ok(args.words.remove(0))
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
    args.finish(p, "game start", "seed=, map=, player=, name= or mission=")?;
    Ok(Statement::GameStart {
        seed,
        map,
        player,
        name,
        mission,
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

fn coordinates(p: &LineParser<'_>, value: &str, column: usize) -> Result<(i32, i32), ParseError> {
    let bad = || {
        p.error(
            column,
            format!("expected coordinates x,y, found {}", quoted(value)),
        )
    };
    let (x, y) = value.split_once(',').ok_or_else(bad)?;
    Ok((
        x.trim().parse().map_err(|_| bad())?,
        y.trim().parse().map_err(|_| bad())?,
    ))
}

fn building_id(p: &LineParser<'_>, value: &str, column: usize) -> Result<BuildingId, ParseError> {
    BuildingId::parse(value).map_err(|e| p.error(column, e))
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

fn robot_id(p: &LineParser<'_>, value: &str, column: usize) -> Result<RobotId, ParseError> {
    RobotId::parse(value).map_err(|e| p.error(column, e))
}

fn program(p: &LineParser<'_>, mut args: Args<'_>) -> Result<Statement, ParseError> {
    let robot = first_word(p, &mut args, "program", "a robot id and file=")?;
    let robot = robot_id(p, &robot.text, robot.column)?;
    let (file, _) = args.take("file").ok_or_else(|| {
        p.error(
            args.end_column,
            "program needs file=PATH (a path beside the script, or a name such as miner)",
        )
    })?;
    args.finish(p, "program", "file=")?;
    Ok(Statement::Program { robot, file })
}

fn order(p: &LineParser<'_>, mut args: Args<'_>) -> Result<Statement, ParseError> {
    let robot = first_word(p, &mut args, "order", "a robot id and at=")?;
    let robot = robot_id(p, &robot.text, robot.column)?;
    let (factory, column) = args
        .take("at")
        .ok_or_else(|| p.error(args.end_column, "order needs at=FACTORY"))?;
    let factory = building_id(p, &factory, column)?;
    args.finish(p, "order", "at=")?;
    Ok(Statement::Order { robot, factory })
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

fn event_type(p: &LineParser<'_>, token: &Token<'_>) -> Result<String, ParseError> {
    if Event::TYPES.contains(&token.text.as_ref()) {
        Ok(token.text.to_string())
    } else {
        Err(p.error(
            token.column,
            format!(
                "unknown event type {}; expected one of {}",
                quoted(&token.text),
                Event::TYPES.join(", ")
            ),
        ))
    }
}

fn expect(p: &LineParser<'_>, mut args: Args<'_>) -> Result<Expectation, ParseError> {
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
            args.finish(
                p,
                "expect building",
                "ready, under-construction, progress=, completed= or spawned=",
            )?;
            Expectation::Building {
                id,
                readiness,
                progress,
                completed,
                spawned,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses one line and returns the statement or the error as `line:column: message`.
    fn check(line: &str) -> Result<Statement, String> {
        parse("t.scenario", line)
            .map(|mut s| s.statements.remove(0).1)
            .map_err(|e| format!("{}:{}: {}", e.at.line, e.at.column, e.message))
    }

    #[test]
    fn statements_parse_with_defaults() {
        assert_eq!(
            check("game start seed=7 map=small player=px42"),
            Ok(Statement::GameStart {
                seed: Some(7),
                map: "small".into(),
                player: "px42".into(),
                name: None,
                mission: None,
            })
        );
        assert_eq!(
            check("game start mission=t1-groundbreaking"),
            Ok(Statement::GameStart {
                seed: None,
                map: "small".into(),
                player: "player".into(),
                name: None,
                mission: Some("t1-groundbreaking".into()),
            })
        );
        assert_eq!(
            check("expect resource oxygen >= 50"),
            Ok(Statement::Expect(Expectation::Resource {
                name: "oxygen".into(),
                compare: Compare::AtLeast,
                amount: 50,
            }))
        );
        assert_eq!(
            check("expect mission won"),
            Ok(Statement::Expect(Expectation::Mission(MissionState::Won)))
        );
        assert_eq!(
            check("expect colonists 4"),
            Ok(Statement::Expect(Expectation::Colonists(4)))
        );
        assert_eq!(check("tick"), Ok(Statement::Tick(1)));
        assert_eq!(check("  tick 5   # five"), Ok(Statement::Tick(5)));
        assert_eq!(check("tick at=9"), Ok(Statement::TickAt(9)));
        assert_eq!(
            check("build hq id=alpha at=3,-4 ticks=2"),
            Ok(Statement::Build {
                building_type: "hq".into(),
                id: BuildingId::parse("alpha").unwrap(),
                x: 3,
                y: -4,
                ticks: Some(2),
                player: None,
            })
        );
    }

    #[test]
    fn quoted_values_keep_their_spaces() {
        assert_eq!(
            check(r#"game start name="Tranquility Base" # comment"#),
            Ok(Statement::GameStart {
                seed: None,
                map: "small".into(),
                player: "player".into(),
                name: Some("Tranquility Base".into()),
                mission: None,
            })
        );
    }

    #[test]
    fn errors_point_at_the_offending_column() {
        assert_eq!(
            check("build hq id=alpha at=3;4"),
            Err(r#"1:22: expected coordinates x,y, found "3;4""#.into())
        );
        assert_eq!(
            check("build hq at=1,1"),
            Err("1:16: build needs id=NAME".into())
        );
        assert_eq!(
            check("tick five"),
            Err(r#"1:6: expected a number of ticks, found "five""#.into())
        );
        assert_eq!(
            check("expect event construction_finished"),
            Err(format!(
                "1:14: unknown event type \"construction_finished\"; expected one of {}",
                Event::TYPES.join(", ")
            ))
        );
        assert_eq!(
            check("build hq id=a at=1,1 colour=red"),
            Err(
                "1:22: unknown option colour for build; expected id=, at=, ticks= or player="
                    .into()
            )
        );
        assert_eq!(check("launch"), Err("1:1: unknown statement \"launch\"; expected game, tick, build, program, order, stop, reopen, show or expect".into()));
        assert_eq!(
            check(r#"game start name="open"#),
            Err("1:12: a quoted value is never closed".into())
        );
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let error = parse("demo.scenario", "tick\n\n# note\ntick 0\n").unwrap_err();
        assert_eq!(
            error.to_string(),
            "demo.scenario:4:6: tick needs at least 1 tick"
        );
    }
}
