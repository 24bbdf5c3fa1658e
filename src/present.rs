//! How events and projections read as text and JSON, for the command line and for scripts'
//! `show` statements alike, so that both always print the same thing.

use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

use crate::domain::catalogue::Terrain;
use crate::domain::colony::tick::{IdleReason, Status, WaitReason};
use crate::domain::event::Event;
use crate::domain::ids::{GameId, Tick};
use crate::domain::program::memory::Value;
use crate::domain::projection::Projections;
use crate::domain::projection::buildings::BuildingRow;
use crate::domain::projection::colony::{ColonyView, EconomyView, MissionStatus, Rate, TypeCount};
use crate::domain::projection::feed::FeedLine;
use crate::domain::projection::feed::stock_words;
use crate::domain::projection::robots::RobotRow;
use crate::domain::resources::{Resource, Stock};
use crate::domain::ruleset::{Economy, Objective, Ruleset};
use crate::engine::envelope::{Metadata, RecordedEvent};

/// The stream column's width in text output; longer streams are cut in the middle.
const STREAM_COLUMN: usize = 24;

/// One event as one line of text, in columns that line up whatever the streams are called
/// (`--json` has every stream whole).
pub fn event_line(e: &RecordedEvent) -> String {
    let type_width = Event::TYPES.iter().map(|t| t.len()).max().unwrap_or(0);
    format!(
        "{:>7}  t{:<6} {:<STREAM_COLUMN$} {:<type_width$}  {}",
        e.seq,
        e.tick(),
        fit(&short_stream(&e.stream, e.version), STREAM_COLUMN),
        e.event.type_name(),
        e.event.encode_data()
    )
}

/// `text` in at most `width` characters: cut in the middle with `~` when longer, so both its
/// start and its end (a stream's version) stay readable.
pub fn fit(text: &str, width: usize) -> String {
    let count = text.chars().count();
    if count <= width || width < 3 {
        return text.to_owned();
    }
    let tail = (width - 1) / 2;
    let head = width - 1 - tail;
    let start: String = text.chars().take(head).collect();
    let end: String = text.chars().skip(count - tail).collect();
    format!("{start}~{end}")
}

/// A stream and version, with a game's UUID cut to its first block so lines stay readable.
pub fn short_stream(stream: &str, version: u64) -> String {
    let short = match stream.strip_prefix("game-") {
        Some(uuid) => format!("game-{}", uuid.split('-').next().unwrap_or(uuid)),
        None => stream.to_owned(),
    };
    format!("{short}#{version}")
}

#[derive(Serialize)]
struct EventJson<'a> {
    seq: u64,
    id: String,
    stream: &'a str,
    version: u64,
    #[serde(rename = "type")]
    event_type: &'a str,
    tick: Tick,
    data: &'a Event,
    metadata: &'a Metadata,
}

/// Writes JSON as serde_json does, but also escapes DEL and the C1 controls (U+007F-U+009F),
/// which JSON allows raw inside a string and a terminal takes as commands: by JSON's own rule,
/// `\u0085`, so every reader gets the same text back and no terminal is garbled.
struct TerminalSafe<F>(F);

impl<F: serde_json::ser::Formatter> serde_json::ser::Formatter for TerminalSafe<F> {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut rest = fragment;
        while let Some(at) = rest.find(|c: char| ('\u{7f}'..='\u{9f}').contains(&c)) {
            writer.write_all(&rest.as_bytes()[..at])?;
            let c = rest[at..].chars().next().unwrap_or_default();
            write!(writer, "\\u{:04x}", u32::from(c))?;
            rest = &rest[at + c.len_utf8()..];
        }
        writer.write_all(rest.as_bytes())
    }

    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// `value` as JSON on one line, safe for a terminal (see [`TerminalSafe`]).
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> String {
    write_json(value, serde_json::ser::CompactFormatter)
}

/// `value` as indented JSON, safe for a terminal.
pub fn to_json_pretty<T: Serialize + ?Sized>(value: &T) -> String {
    write_json(value, serde_json::ser::PrettyFormatter::new())
}

fn write_json<T: Serialize + ?Sized, F: serde_json::ser::Formatter>(value: &T, f: F) -> String {
    let mut out = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, TerminalSafe(f));
    // Our values are plain structs, maps with string keys and numbers: they always serialize,
    // and what the formatter writes is UTF-8.
    if value.serialize(&mut serializer).is_err() {
        return String::new();
    }
    String::from_utf8(out).unwrap_or_default()
}

/// One event as one JSON object on one line.
pub fn event_json(e: &RecordedEvent) -> String {
    let json = EventJson {
        seq: e.seq,
        id: e.id.hyphenated().to_string(),
        stream: &e.stream,
        version: e.version,
        event_type: e.event.type_name(),
        tick: e.tick(),
        data: &e.event,
        metadata: &e.metadata,
    };
    to_json(&json)
}

/// One event as a CloudEvents 1.0 JSON object (structured mode). `source` names the game;
/// the stream is the subject. The log's own numbers travel as extension attributes, whose names
/// the specification allows only in lower-case letters and digits.
pub fn event_cloud(e: &RecordedEvent, source: &str) -> String {
    let json = CloudEvent {
        specversion: "1.0",
        id: e.id.hyphenated().to_string(),
        source,
        event_type: format!("org.lunarfrontiers.{}", e.event.type_name()),
        subject: &e.stream,
        time: e.metadata.recorded_at_ms.map(rfc3339),
        datacontenttype: "application/json",
        data: &e.event,
        seq: e.seq,
        streamversion: e.version,
        tick: e.tick(),
        causationid: e
            .metadata
            .causation_id
            .map(|id| id.hyphenated().to_string()),
        correlationid: e.metadata.correlation_id.hyphenated().to_string(),
        origin: e.metadata.source.as_str(),
        command: &e.metadata.command,
    };
    to_json(&json)
}

#[derive(Serialize)]
struct CloudEvent<'a> {
    specversion: &'static str,
    id: String,
    source: &'a str,
    #[serde(rename = "type")]
    event_type: String,
    subject: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    time: Option<String>,
    datacontenttype: &'static str,
    data: &'a Event,
    /// Not `sequence`: the Sequence extension defines that name as a string.
    seq: u64,
    streamversion: u64,
    tick: Tick,
    #[serde(skip_serializing_if = "Option::is_none")]
    causationid: Option<String>,
    correlationid: String,
    origin: &'static str,
    command: &'a str,
}

#[derive(Serialize)]
struct StateJson<'a> {
    tick: Tick,
    game_id: Option<GameId>,
    name: &'a str,
    player: &'a str,
    map: &'a str,
    started: bool,
    stopped: bool,
    colony: ColonyJson<'a>,
    buildings: Vec<BuildingJson<'a>>,
    feed: Vec<&'a FeedLine>,
    /// A colony game's stores (`power`: what batteries hold); none in a classic game.
    resources: Option<std::collections::BTreeMap<&'static str, u32>>,
    /// A colony game's rates of each resource and of power.
    rates: Option<std::collections::BTreeMap<&'static str, RateJson>>,
    colonists: Option<u32>,
    mission: Option<MissionJson>,
    /// A colony's robots; none in a classic game.
    robots: Option<Vec<RobotJson<'a>>>,
}

/// What the last tick made and used of one thing, and the average a tick over the last ten.
#[derive(Serialize)]
struct RateJson {
    made: u32,
    used: u32,
    made_average: f64,
    used_average: f64,
}

impl RateJson {
    fn of(rate: Rate) -> RateJson {
        let average = |tenths: u64| tenths as f64 / 10.0;
        RateJson {
            made: rate.made,
            used: rate.used,
            made_average: average(rate.made_tenths),
            used_average: average(rate.used_tenths),
        }
    }
}

/// Every rate a colony game keeps: power's and each resource's.
fn rates(economy: &EconomyView) -> std::collections::BTreeMap<&'static str, RateJson> {
    std::iter::once(("power", RateJson::of(economy.power_rate())))
        .chain(
            Resource::ALL
                .iter()
                .map(|r| (r.name(), RateJson::of(economy.rate(*r)))),
        )
        .collect()
}

#[derive(Serialize)]
struct RobotJson<'a> {
    id: &'a str,
    x: u16,
    y: u16,
    battery: u32,
    cargo: Option<CargoJson>,
    program: Option<&'a str>,
    program_hash: Option<&'a str>,
    status: &'static str,
    fault: Option<&'a str>,
}

#[derive(Serialize)]
struct CargoJson {
    resource: &'static str,
    amount: u32,
}

impl<'a> RobotJson<'a> {
    fn of(row: &'a RobotRow, tick: Tick) -> RobotJson<'a> {
        RobotJson {
            id: row.id.as_str(),
            x: row.x,
            y: row.y,
            battery: row.battery,
            cargo: row.cargo.map(|(r, amount)| CargoJson {
                resource: r.name(),
                amount,
            }),
            program: row.program.as_ref().map(|(name, _)| name.as_str()),
            program_hash: row.program.as_ref().map(|(_, hash)| hash.as_str()),
            status: row.status(tick).name(),
            fault: row.fault.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct MissionJson {
    id: String,
    status: &'static str,
    deadline_tick: Option<Tick>,
    objectives: Vec<ObjectiveJson>,
}

#[derive(Serialize)]
struct ObjectiveJson {
    text: String,
    done: bool,
}

/// An objective in words.
pub fn objective_text(c: &ColonyView, objective: &Objective) -> String {
    match objective {
        Objective::Build { kind, count } => {
            let name = c.kind(kind).map_or(kind.as_str(), |k| k.name.as_str());
            format!("build {count} {name}")
        }
        Objective::Stock { resource, amount } => format!("store {amount} {}", resource.name()),
        Objective::Colonists { count } => format!("{count} colonists living"),
        Objective::Reach { tick } => format!("hold out to tick {tick}"),
    }
}

/// The resources by the names scripts and `state --json` use: batteries' power, then stores.
pub fn resources(economy: &EconomyView) -> std::collections::BTreeMap<&'static str, u32> {
    std::iter::once(("power", economy.power.stored))
        .chain(
            Resource::ALL
                .iter()
                .map(|r| (r.name(), economy.stock.get(*r))),
        )
        .collect()
}

fn mission_json(c: &ColonyView, economy: &EconomyView) -> MissionJson {
    let mission = &economy.rules.mission;
    MissionJson {
        id: mission.id.clone(),
        status: match economy.mission {
            MissionStatus::Running => "running",
            MissionStatus::Won { .. } => "won",
            MissionStatus::Lost { .. } => "lost",
        },
        deadline_tick: mission.deadline,
        objectives: mission
            .objectives
            .iter()
            .map(|o| ObjectiveJson {
                text: objective_text(c, o),
                done: c.objective_done(o),
            })
            .collect(),
    }
}

/// A building as `state --json` prints it: the command line's contract, kept apart from the
/// projection so that the view can grow without the output changing.
#[derive(Serialize)]
struct BuildingJson<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    building_type: &'a str,
    x: u16,
    y: u16,
    player: &'a str,
    work_done: u32,
    work_required: u32,
    progress_percent: u8,
    ready: bool,
    spawned_tick: Tick,
    completed_tick: Option<Tick>,
    /// Switched on; a switched-off building makes and uses nothing.
    on: bool,
    /// A site marked urgent.
    urgent: bool,
}

impl<'a> BuildingJson<'a> {
    fn of(row: &'a BuildingRow) -> BuildingJson<'a> {
        BuildingJson {
            id: row.id.as_str(),
            building_type: &row.building_type,
            x: row.x,
            y: row.y,
            player: &row.player,
            work_done: row.work_done,
            work_required: row.work_required,
            progress_percent: row.progress_percent,
            ready: row.ready,
            spawned_tick: row.spawned_tick,
            completed_tick: row.completed_tick,
            on: row.on,
            urgent: row.urgent,
        }
    }
}

#[derive(Serialize)]
struct ColonyJson<'a> {
    buildings: u32,
    under_construction: u32,
    ready: u32,
    by_type: &'a std::collections::BTreeMap<String, TypeCount>,
}

/// The projections as one pretty-printed JSON document.
pub fn state_json(p: &Projections) -> String {
    let c = &p.colony;
    let json = StateJson {
        tick: c.tick,
        game_id: c.game_id,
        name: &c.name,
        player: &c.player,
        map: &c.map,
        started: c.started,
        stopped: c.stopped,
        colony: ColonyJson {
            buildings: c.buildings,
            under_construction: c.under_construction,
            ready: c.ready,
            by_type: &c.by_type,
        },
        buildings: p.buildings.rows().map(BuildingJson::of).collect(),
        feed: p.feed.lines().collect(),
        resources: c.economy.as_ref().map(resources),
        rates: c.economy.as_ref().map(rates),
        colonists: c.economy.as_ref().map(|e| e.living),
        mission: c.economy.as_ref().map(|e| mission_json(c, e)),
        robots: c.economy.as_ref().map(|_| {
            p.robots
                .robots
                .values()
                .map(|r| RobotJson::of(r, c.tick))
                .collect()
        }),
    };
    to_json_pretty(&json)
}

/// Text from a save, a script or a flag made safe for a terminal: every control character
/// (an escape sequence could retitle or garble the terminal) is shown escaped, as `\u{1b}`.
/// Line breaks and tabs stay as they are.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !text.contains(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out += &format!("\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

pub use crate::domain::text::quoted;

/// Writes everything through [`printable`]: the command line's text outputs go through one.
/// It notes a reader that went away (`lunar events | head -1`), which is a normal end.
pub struct Printable<W> {
    inner: W,
    closed: bool,
}

impl<W> Printable<W> {
    pub fn new(inner: W) -> Printable<W> {
        Printable {
            inner,
            closed: false,
        }
    }

    /// Whether the reader closed the pipe.
    pub fn closed(&self) -> bool {
        self.closed
    }
}

impl<W: std::io::Write> std::io::Write for Printable<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let written = match std::str::from_utf8(buf) {
            Ok(text) => self
                .inner
                .write_all(printable(text).as_bytes())
                .map(|()| buf.len()),
            Err(_) => self.inner.write(buf),
        };
        if let Err(e) = &written {
            self.closed |= e.kind() == std::io::ErrorKind::BrokenPipe;
        }
        written
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// What a kind of building does, in a few words: "makes 3 ice, uses 3 power". Crews are named
/// only where they build: in a colony without robots.
pub fn kind_does(rules: &Ruleset, economy: &Economy) -> String {
    let mut parts = Vec::new();
    let run = match economy.operators {
        0 => String::new(),
        1 => " each tick a robot runs it (work)".to_owned(),
        n => format!(" for each of up to {n} robots running it (work)"),
    };
    if !economy.produces.is_empty() {
        parts.push(format!("makes {}{run}", amounts(&economy.produces)));
    }
    if !economy.consumes.is_empty() && !economy.produces.is_empty() {
        parts.push(format!("from {}", amounts(&economy.consumes)));
    }
    if economy.solar > 0 {
        parts.push(format!("{} power by day", economy.solar));
    }
    if economy.generates > 0 {
        parts.push(format!("{} power", economy.generates));
    }
    if economy.produces.is_empty() && !economy.consumes.is_empty() {
        parts.push(format!("burning {}", amounts(&economy.consumes)));
    }
    if economy.storage > 0 {
        parts.push(format!("stores {} power", economy.storage));
    }
    if economy.housing > 0 {
        parts.push(format!("beds for {}", economy.housing));
    }
    if economy.crew > 0 && rules.robots.is_none() {
        parts.push(format!("{} crews", economy.crew));
    }
    if let Some(robots) = rules.robots.as_ref().filter(|r| r.factory == economy.key) {
        parts.push(format!(
            "assembles robots for {} each",
            amounts(&robots.cost)
        ));
    }
    if economy.power > 0 {
        parts.push(format!("uses {} power", economy.power));
    }
    parts.join(", ")
}

/// Amounts as a sum: "2 ice + 1 water".
pub fn amounts(stock: &Stock) -> String {
    Resource::ALL
        .iter()
        .filter(|r| stock.get(**r) > 0)
        .map(|r| format!("{} {}", stock.get(*r), r.name()))
        .collect::<Vec<_>>()
        .join(" + ")
}

/// `text` broken at spaces into lines of at most `width` characters (a longer word stands
/// alone on its line).
pub fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let line = lines.last_mut().map_or(0, |l| l.chars().count());
        if line > 0 && line + 1 + word.chars().count() > width {
            lines.push(String::new());
        }
        if let Some(last) = lines.last_mut() {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    lines
}

/// `2026-11-22 11:40 UTC`, from a file time, without a date library.
pub fn format_time(time: SystemTime) -> String {
    let secs = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (year, month, day) = civil(secs);
    let (hour, minute) = ((secs % 86_400) / 3600, (secs % 3600) / 60);
    format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02} UTC")
}

/// RFC 3339 in UTC, to the millisecond: `2026-11-22T11:40:05.123Z`.
pub fn rfc3339(ms: u64) -> String {
    let secs = ms / 1000;
    let (year, month, day) = civil(secs);
    let (hour, minute, second) = ((secs % 86_400) / 3600, (secs % 3600) / 60, secs % 60);
    format!(
        "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{:03}Z",
        ms % 1000
    )
}

/// Year, month and day of a time in seconds since the Unix epoch.
fn civil(secs: u64) -> (i64, i64, i64) {
    let days = (secs / 86_400) as i64;
    // Howard Hinnant's civil-from-days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// `1 building`, `2 buildings`.
pub fn plural(n: impl Into<u64>, noun: &str) -> String {
    let n: u64 = n.into();
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// A value a program keeps, as its program would write it: `3`, `"ice"`, `[24, 5]`,
/// `#{trips: 3}`, `()`.
pub fn value_text(value: &Value) -> String {
    match value {
        Value::Unit(()) => "()".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(n) => n.to_string(),
        Value::Text(t) => format!("{t:?}"),
        Value::List(items) => format!(
            "[{}]",
            items.iter().map(value_text).collect::<Vec<_>>().join(", ")
        ),
        Value::Map(map) => format!(
            "#{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{k}: {}", value_text(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// An amount held in tenths, as a player reads it: `6`, `0.5`, `12.3`.
pub fn tenths(n: u64) -> String {
    if n.is_multiple_of(10) {
        format!("{}", n / 10)
    } else {
        format!("{}.{}", n / 10, n % 10)
    }
}

/// A rate held in tenths, signed: `+6`, `-0.5`; empty when nothing changes.
pub fn signed_tenths(n: i64) -> String {
    match n.signum() {
        0 => String::new(),
        1 => format!("+{}", tenths(n.unsigned_abs())),
        _ => format!("-{}", tenths(n.unsigned_abs())),
    }
}

/// A progress bar of `width` cells that reads without colour.
pub fn bar(percent: u8, width: usize) -> String {
    let filled = usize::from(percent.min(100)) * width / 100;
    format!("{}{}", "#".repeat(filled), "-".repeat(width - filled))
}

/// The map with a glyph on every building: upper case when ready, lower case while building.
pub fn map_rows(p: &Projections) -> Vec<String> {
    let c = &p.colony;
    let mut grid: Vec<Vec<char>> = (0..c.height)
        .map(|y| (0..c.width).map(|x| c.terrain_at(x, y).glyph()).collect())
        .collect();
    let mut put = |x: u16, y: u16, glyph: char| {
        if let Some(cell) = grid
            .get_mut(usize::from(y))
            .and_then(|r| r.get_mut(usize::from(x)))
        {
            *cell = glyph;
        }
    };
    for &(x, y) in &p.robots.dug_out {
        put(x, y, Terrain::Dust.glyph());
    }
    for (&(x, y), _) in &p.robots.piles {
        put(x, y, PILE);
    }
    for row in p.buildings.rows() {
        let glyph = if row.ready {
            row.glyph.to_ascii_uppercase()
        } else {
            row.glyph.to_ascii_lowercase()
        };
        put(row.x, row.y, glyph);
    }
    for row in p.robots.robots.values() {
        put(row.x, row.y, ROBOT);
    }
    grid.into_iter().map(|r| r.into_iter().collect()).collect()
}

/// A robot on the map, and a pile of what robots dropped.
pub const ROBOT: char = '@';
pub const PILE: char = '%';

/// The colony as a person reads it: a headline, the map and a table of buildings.
pub fn state_text(p: &Projections) -> String {
    let c = &p.colony;
    if !c.started {
        return "no game has been started\n".into();
    }
    let mut out = format!(
        "{} ({}), tick {}, {}\n",
        c.name,
        c.player,
        c.tick,
        if c.stopped { "stopped" } else { "running" }
    );
    if let Some(economy) = &c.economy {
        out += &economy_text(c, economy);
    }
    out += &format!(
        "map {} {}x{}, seed {}: {}, {} under construction, {} ready\n\n",
        c.map,
        c.width,
        c.height,
        c.seed,
        plural(c.buildings, "building"),
        c.under_construction,
        c.ready
    );
    for row in map_rows(p) {
        out += &format!("  {row}\n");
    }
    let legend: Vec<String> = c
        .catalogue
        .iter()
        .map(|k| format!("{} {}", k.glyph, k.name))
        .collect();
    out += &format!(
        "  {}; lower case while under construction",
        legend.join(", ")
    );
    if !p.robots.robots.is_empty() {
        out += &format!("; {ROBOT} robot, {PILE} pile");
    }
    out += "\n";
    out += &robots_text(p);
    if p.buildings.is_empty() {
        return out;
    }
    out += &format!(
        "\n  {:<12} {:<9} {:<9} {:<17} {}\n",
        "building", "type", "at", "progress", "ready"
    );
    for row in p.buildings.rows() {
        let ready = row
            .completed_tick
            .map_or_else(|| "-".to_owned(), |t| format!("tick {t}"));
        let mut line = format!(
            "  {:<12} {:<9} {:<9} {} {:>3}%  {ready:<9}",
            row.id.as_str(),
            row.building_type,
            format!("({},{})", row.x, row.y),
            bar(row.progress_percent, 10),
            row.progress_percent,
        );
        if c.economy.is_some() {
            line += &format!(" {}", doing(row, c));
        }
        out += line.trim_end();
        out += "\n";
    }
    out
}

/// The robots, one a line: where, battery, cargo, program and what each last did. Each column
/// is as wide as its longest entry, so a long name never shifts a row.
fn robots_text(p: &Projections) -> String {
    if p.robots.robots.is_empty() {
        return String::new();
    }
    let rows: Vec<[String; 6]> = p
        .robots
        .robots
        .values()
        .map(|r| {
            let cargo = r
                .cargo
                .map_or_else(|| "-".to_owned(), |(res, n)| format!("{n} {}", res.name()));
            let program = r.program.as_ref().map_or_else(
                || "none".to_owned(),
                |(name, hash)| format!("{name} {}", &hash[..8.min(hash.len())]),
            );
            let last = match (&r.fault, &r.last) {
                (Some(fault), _) => format!("FAULTED: {fault}"),
                (None, Some((tick, what))) => format!("t{tick} {what}"),
                (None, None) => "-".to_owned(),
            };
            [
                r.id.as_str().to_owned(),
                format!("({},{})", r.x, r.y),
                format!("{}/{}", r.battery, r.capacity),
                cargo,
                program,
                last,
            ]
        })
        .collect();
    let mut widths = [10, 8, 8, 10, 18];
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |r: [&str; 6]| {
        let mut text = String::from(" ");
        for (cell, w) in r.iter().zip(widths) {
            text += &format!(" {cell:<w$}");
        }
        text += " ";
        text += r[5];
        text.trim_end().to_owned() + "\n"
    };
    let mut out = String::from("\n");
    out.push_str(&line([
        "robot", "at", "battery", "cargo", "program", "last",
    ]));
    for r in &rows {
        out.push_str(&line([&r[0], &r[1], &r[2], &r[3], &r[4], &r[5]]));
    }
    out
}

/// What a building in a colony game did on the current tick, in a few words.
pub fn doing(row: &BuildingRow, c: &ColonyView) -> String {
    if row.ready && !row.on {
        return "switched off".into();
    }
    let doing = doing_now(row, c);
    if row.urgent && !row.ready {
        format!("urgent: {doing}")
    } else {
        doing
    }
}

fn doing_now(row: &BuildingRow, c: &ColonyView) -> String {
    let note = row.note.as_ref();
    let dark = c.economy.as_ref().is_some_and(|e| {
        !e.day
            && e.rules
                .economy(&row.building_type)
                .is_some_and(|k| k.solar > 0)
    });
    match (note.map(|n| &n.status), row.ready) {
        (Some(Status::Waiting(WaitReason::Materials(missing))), _) => {
            format!("waits for {}", stock_words(missing))
        }
        (Some(Status::Waiting(WaitReason::Crew)), _) => "waits for a crew".into(),
        (Some(Status::Waiting(WaitReason::Robot)), _) => "waits for a robot to work on it".into(),
        (Some(Status::Waiting(WaitReason::Power)), _) => "waits for power".into(),
        (Some(Status::Idle(IdleReason::Power)), _) => "idle: no power".into(),
        (Some(Status::Idle(IdleReason::Input(r))), _) => format!("idle: no {}", r.name()),
        (Some(Status::Idle(IdleReason::Operator)), _) => "idle: no robot runs it".into(),
        (None, true) if dark => "dark until dawn".into(),
        (None, true) => "working".into(),
        (None, false) => "being built".into(),
    }
}

/// A colony game's mission, light, power, stores and colonists, a few lines.
pub fn economy_text(c: &ColonyView, economy: &EconomyView) -> String {
    let mission = &economy.rules.mission;
    let status = match &economy.mission {
        MissionStatus::Running => match mission.deadline {
            Some(deadline) => format!(
                "running, {} to the deadline",
                plural(deadline.saturating_sub(c.tick), "tick")
            ),
            None => "running, no deadline".into(),
        },
        MissionStatus::Won { tick, score } => {
            format!("WON at tick {tick}, {} points", score.points)
        }
        MissionStatus::Lost {
            tick,
            reason,
            score,
        } => format!("LOST at tick {tick} ({reason}), {} points", score.points),
    };
    let mut out = format!("mission {}: {status}\n", mission.title);
    for objective in &mission.objectives {
        let mark = if c.objective_done(objective) {
            "x"
        } else {
            " "
        };
        out += &format!("  [{mark}] {}\n", objective_text(c, objective));
    }
    let light = economy.daylight(c.tick);
    let (now, next) = if light.day {
        ("day", "night falls")
    } else {
        ("night", "dawn comes")
    };
    let change = if light.until_change == u32::MAX {
        "no night here".to_owned()
    } else {
        format!("{next} in {}", plural(light.until_change, "tick"))
    };
    let p = economy.power;
    out += &format!(
        "{now}, {change}; power {} made, {} used of {} wanted, {} stored of {}\n",
        p.produced, p.used, p.demand, p.stored, p.capacity
    );
    let stock: Vec<String> = Resource::ALL
        .iter()
        .map(|r| format!("{} {}", r.name(), economy.stock.get(*r)))
        .collect();
    out += &format!(
        "store: {}; colonists {} living, {} waiting for beds, {} lost\n",
        stock.join(", "),
        economy.living,
        economy.waiting(c.tick),
        economy.lost
    );
    if let Some((tick, colonists)) = economy.next_ship(c.tick) {
        out += &format!("next ship: {colonists} colonists at tick {tick}\n");
    }
    out
}

/// What changed in the colony from one state to another, a line a change, and nothing that
/// did not: the store and power, the colonists, each robot (where it went, what it carries,
/// its battery, a fault), each building (work done, its doing), and the game's stop. What
/// replay's `d` shows.
pub fn projection_diff(before: &Projections, after: &Projections) -> Vec<String> {
    let mut lines = Vec::new();
    let (b, a) = (&before.colony, &after.colony);
    if !b.started && a.started {
        lines.push(format!("{} founded by {}", a.name, a.player));
    }
    if let (Some(was), Some(now)) = (&b.economy, &a.economy) {
        for r in Resource::ALL {
            let (from, to) = (was.stock.get(r), now.stock.get(r));
            if from != to {
                lines.push(format!(
                    "{} {from} -> {to} ({:+})",
                    r.name(),
                    i64::from(to) - i64::from(from)
                ));
            }
        }
        if was.power.stored != now.power.stored {
            lines.push(format!(
                "power stored {} -> {} of {}",
                was.power.stored, now.power.stored, now.power.capacity
            ));
        }
        if was.living != now.living {
            lines.push(format!("colonists living {} -> {}", was.living, now.living));
        }
        if was.lost != now.lost {
            lines.push(format!("colonists lost {} -> {}", was.lost, now.lost));
        }
        if was.short != now.short {
            lines.push(
                if now.short {
                    "a brown-out began"
                } else {
                    "the power came back"
                }
                .into(),
            );
        }
        if was.mission != now.mission {
            lines.push(match &now.mission {
                MissionStatus::Won { .. } => "the mission was won".into(),
                MissionStatus::Lost { reason, .. } => format!("the mission was lost: {reason}"),
                MissionStatus::Running => "the mission runs".into(),
            });
        }
    }
    for row in after.robots.robots.values() {
        let Some(old) = before.robots.robots.get(&row.id) else {
            lines.push(format!("+ robot {} at ({},{})", row.id, row.x, row.y));
            continue;
        };
        let mut parts = Vec::new();
        if (old.x, old.y) != (row.x, row.y) {
            parts.push(format!("({},{}) -> ({},{})", old.x, old.y, row.x, row.y));
        }
        if old.cargo != row.cargo {
            let held = |c: Option<(Resource, u32)>| {
                c.map_or_else(
                    || "nothing".to_owned(),
                    |(r, n)| format!("{n} {}", r.name()),
                )
            };
            parts.push(format!(
                "carries {} -> {}",
                held(old.cargo),
                held(row.cargo)
            ));
        }
        if old.battery != row.battery {
            parts.push(format!("battery {} -> {}", old.battery, row.battery));
        }
        if old.program != row.program {
            let name = row.program.as_ref().map_or("none", |(n, _)| n.as_str());
            parts.push(format!("now runs {name}"));
        }
        if old.fault.is_none() && row.fault.is_some() {
            parts.push("faulted".into());
        }
        if !parts.is_empty() {
            lines.push(format!("robot {}: {}", row.id, parts.join(", ")));
        }
    }
    for row in after.buildings.rows() {
        let Some(old) = before.buildings.get(&row.id) else {
            lines.push(format!(
                "+ {} {} at ({},{}), {} ticks of work",
                row.id, row.building_type, row.x, row.y, row.work_required
            ));
            continue;
        };
        let mut parts = Vec::new();
        if old.work_done != row.work_done {
            parts.push(format!(
                "{}/{} -> {}/{} ({}%)",
                old.work_done,
                old.work_required,
                row.work_done,
                row.work_required,
                row.progress_percent
            ));
        }
        if row.ready && !old.ready {
            parts.push("ready".into());
        }
        let status = |r: &BuildingRow| r.note.as_ref().map(|n| n.status.clone());
        if status(old) != status(row) {
            parts.push(match (&row.note, a.economy.is_some()) {
                (Some(_), true) => doing(row, a),
                (None, _) => "works again".into(),
                (Some(_), false) => String::new(),
            });
        }
        parts.retain(|p| !p.is_empty());
        if !parts.is_empty() {
            lines.push(format!("{}: {}", row.id, parts.join(", ")));
        }
    }
    for row in before.buildings.rows() {
        if after.buildings.get(&row.id).is_none() {
            lines.push(format!(
                "- {} {} at ({},{})",
                row.id, row.building_type, row.x, row.y
            ));
        }
    }
    if !b.stopped && a.stopped {
        lines.push("the game stopped".into());
    }
    lines
}

/// Counts as a row of bars, the tallest full.
pub fn bars(counts: &[u32]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let top = counts.iter().copied().max().unwrap_or(0);
    counts
        .iter()
        .map(|&c| match c {
            0 => '·',
            c => BARS[((c as usize * 8).div_ceil(top.max(1) as usize)).clamp(1, 8) - 1],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_as_dates() {
        assert_eq!(rfc3339(1_763_811_605_123), "2025-11-22T11:40:05.123Z");
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000Z");
        let time = UNIX_EPOCH + std::time::Duration::from_secs(1_763_811_605);
        assert_eq!(format_time(time), "2025-11-22 11:40 UTC");
    }
}
