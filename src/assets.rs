//! Loading the building catalogues, maps, missions and programs: from the copy built into the
//! binary, or from a folder given with `--assets` (for modders).
//!
//! Only new games read these files; a saved game carries its own copy in its first event.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::domain::catalogue::{BuildingKind, SurfaceMap, Terrain, check_catalogue, terrain_in};
use crate::domain::ids::{RobotId, Tick};
use crate::domain::metrics::Metrics;
use crate::domain::resources::Stock;
use crate::domain::ruleset::{
    Economy, Mission, Objective, Placed, ProgramSource, RobotKit, RobotRules, Ruleset, Ship,
    StartKit, Tier,
};
use crate::domain::text::quoted;
use crate::rng::Rng;

#[derive(Debug)]
pub struct AssetError {
    pub path: PathBuf,
    pub reason: String,
}

impl std::fmt::Display for AssetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.reason)
    }
}

impl std::error::Error for AssetError {}

mod built_in {
    include!(concat!(env!("OUT_DIR"), "/built_in_assets.rs"));
}

/// Where the assets are read from.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Assets {
    /// The files of `assets/` as the binary was built: what a player gets.
    BuiltIn,
    /// A folder laid out as `assets/` is, given with `--assets`.
    Folder(PathBuf),
}

impl Assets {
    /// The text of `file`, a path below the assets' root such as `maps/small.json`.
    pub fn text(&self, file: &str) -> Result<String, AssetError> {
        match self {
            Assets::BuiltIn => built_in::FILES
                .iter()
                .find(|(name, _)| *name == file)
                .map(|(_, text)| (*text).to_owned())
                .ok_or_else(|| AssetError {
                    path: self.path(file),
                    reason: "no such file among the built-in assets".into(),
                }),
            Assets::Folder(dir) => {
                std::fs::read_to_string(dir.join(file)).map_err(|e| AssetError {
                    path: self.path(file),
                    reason: e.to_string(),
                })
            }
        }
    }

    fn has(&self, file: &str) -> bool {
        match self {
            Assets::BuiltIn => built_in::FILES.iter().any(|(name, _)| *name == file),
            Assets::Folder(dir) => dir.join(file).is_file(),
        }
    }

    /// How `file` is named in messages: its path in the folder, or below `(built in)`.
    pub fn path(&self, file: &str) -> PathBuf {
        match self {
            Assets::BuiltIn => Path::new("(built in)").join(file),
            Assets::Folder(dir) => dir.join(file),
        }
    }

    /// The names of the files in `folder` with this extension, sorted (a mission's solution
    /// scripts beside its `.json` are not missions).
    pub fn names(&self, folder: &str, extension: &str) -> Vec<String> {
        let suffix = format!(".{extension}");
        let mut names: Vec<String> = match self {
            Assets::BuiltIn => built_in::FILES
                .iter()
                .filter_map(|(name, _)| {
                    let file = name.strip_prefix(folder)?.strip_prefix('/')?;
                    (!file.contains('/')).then_some(file)
                })
                .filter_map(|file| file.strip_suffix(&suffix).map(str::to_owned))
                .collect(),
            Assets::Folder(dir) => std::fs::read_dir(dir.join(folder))
                .into_iter()
                .flatten()
                .flatten()
                .filter_map(|e| {
                    let name = e.file_name().into_string().ok()?;
                    name.strip_suffix(&suffix).map(str::to_owned)
                })
                .collect(),
        };
        names.sort();
        names
    }
}

fn read_json<T: serde::de::DeserializeOwned>(assets: &Assets, file: &str) -> Result<T, AssetError> {
    let path = assets.path(file);
    let text = assets.text(file)?;
    serde_json::from_str(&text).map_err(|e| {
        // The place goes first, as for a script line, and only once.
        let at = format!(" at line {} column {}", e.line(), e.column());
        let message = e.to_string();
        AssetError {
            path,
            reason: format!(
                "line {} column {}: {}",
                e.line(),
                e.column(),
                message.strip_suffix(&at).unwrap_or(&message)
            ),
        }
    })
}

pub fn load_catalogue(assets: &Assets) -> Result<Vec<BuildingKind>, AssetError> {
    let kinds: Vec<BuildingKind> = read_json(assets, "buildings.json")?;
    check_catalogue(&kinds).map_err(|reason| AssetError {
        path: assets.path("buildings.json"),
        reason,
    })?;
    Ok(kinds)
}

/// `folder/<name>.<extension>`, when the name is a plain one and the file is there; else why
/// not, with the names there are.
fn named_file(
    assets: &Assets,
    folder: &str,
    what: &str,
    name: &str,
    extension: &str,
) -> Result<String, AssetError> {
    let file = format!("{folder}/{name}.{extension}");
    let path = assets.path(&file);
    if name.is_empty()
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return Err(AssetError {
            path,
            reason: format!("{} is not a {what} name", quoted(name)),
        });
    }
    if !assets.has(&file) {
        return Err(AssetError {
            reason: format!(
                "no {what} called {}; {what}s are: {}",
                quoted(name),
                assets.names(folder, extension).join(", ")
            ),
            path,
        });
    }
    Ok(file)
}

/// Loads `maps/<name>.json`.
pub fn load_map(assets: &Assets, name: &str) -> Result<SurfaceMap, AssetError> {
    let file = named_file(assets, "maps", "map", name, "json")?;
    let map: SurfaceMap = read_json(assets, &file)?;
    map.check().map_err(|reason| AssetError {
        path: assets.path(&file),
        reason,
    })?;
    Ok(map)
}

/// A kind of building as the colony catalogue writes it: what it is and what it does.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ColonyKind {
    key: String,
    name: String,
    glyph: char,
    work_ticks: u32,
    #[serde(default)]
    cost: Stock,
    terrain: Vec<Terrain>,
    #[serde(default)]
    power: u32,
    #[serde(default)]
    generates: u32,
    #[serde(default)]
    solar: u32,
    #[serde(default)]
    storage: u32,
    #[serde(default)]
    housing: u32,
    #[serde(default)]
    crew: u32,
    #[serde(default)]
    consumes: Stock,
    #[serde(default)]
    produces: Stock,
    tier: Tier,
    #[serde(default)]
    operators: u32,
}

/// A mission as `missions/<id>.json` writes it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MissionFile {
    id: String,
    title: String,
    /// Its place in the tutorial chain, from 1; none for missions outside it.
    #[serde(default)]
    order: Option<u32>,
    goal: String,
    briefing: Vec<String>,
    map: String,
    seed: u64,
    /// The kinds it may build; every kind of the catalogue when absent.
    #[serde(default)]
    kinds: Option<Vec<String>>,
    day_ticks: u32,
    night_ticks: u32,
    #[serde(default)]
    dawn: u32,
    breathe: u32,
    drink: u32,
    grace: u32,
    site_power: u32,
    start: StartFile,
    /// Numbers of `colony/robots.json` this mission changes.
    #[serde(default)]
    robot_rules: serde_json::Map<String, serde_json::Value>,
    /// Numbers of `colony/buildings.json` kinds this mission changes, by kind.
    #[serde(default)]
    economy: BTreeMap<String, serde_json::Map<String, serde_json::Value>>,
    objectives: Vec<Objective>,
    deadline: Option<Tick>,
    #[serde(default)]
    ships: Vec<Ship>,
    #[serde(default)]
    max_losses: u32,
    /// After tick 0 only robots plant sites.
    #[serde(default)]
    hands_off: bool,
    /// Terrain laid over the map by the seed.
    #[serde(default)]
    vary: Vec<Variation>,
    /// What `vary` changes, in words.
    #[serde(default)]
    varies: Option<String>,
    /// What the shipped programs score.
    #[serde(default)]
    shipped: Option<String>,
    /// What the mission's own solution scores: the par a player's best is set beside.
    #[serde(default)]
    par: Option<Metrics>,
}

/// Terrain a mission lays over its map by the seed: `patches` blobs of `terrain`, each every
/// tile within `size` steps of a centre drawn inside `within` (x0, y0, x1, y1), never over
/// rock; with `away_from` (x, y, steps), no centre nearer (x, y) than that. With `clear`, that
/// terrain is first wiped from the area (to regolith), so where it lies is the seed's alone.
#[derive(Deserialize, Clone, PartialEq, Eq, Debug)]
#[serde(deny_unknown_fields)]
pub struct Variation {
    terrain: Terrain,
    patches: u32,
    size: u16,
    within: [u16; 4],
    #[serde(default)]
    away_from: Option<[u16; 3]>,
    #[serde(default)]
    clear: bool,
}

/// Tries at a centre far enough away before the last one drawn is taken as it is.
const CENTRE_TRIES: u32 = 64;

/// `map` with `vary` laid over it by `seed`; the same map for the same seed, everywhere.
fn varied(map: &SurfaceMap, vary: &[Variation], seed: u64) -> SurfaceMap {
    let mut rows: Vec<Vec<u8>> = map.terrain.iter().map(|r| r.as_bytes().to_vec()).collect();
    let mut rng = Rng::new(seed);
    for v in vary {
        let [x0, y0, x1, y1] = v.within;
        let (x1, y1) = (
            x1.min(map.width.saturating_sub(1)),
            y1.min(map.height.saturating_sub(1)),
        );
        let mut set = |x: u16, y: u16, to: Terrain| {
            if let Some(tile) = rows
                .get_mut(usize::from(y))
                .and_then(|r| r.get_mut(usize::from(x)))
                && *tile != Terrain::Rock.glyph() as u8
            {
                *tile = to.glyph() as u8;
            }
        };
        if v.clear {
            for y in y0..=y1 {
                for x in x0..=x1 {
                    if terrain_in(&map.terrain, x, y) == v.terrain {
                        set(x, y, Terrain::Regolith);
                    }
                }
            }
        }
        for _ in 0..v.patches {
            let mut draw = || {
                let cx = x0 + rng.below(u64::from(x1.saturating_sub(x0)) + 1) as u16;
                let cy = y0 + rng.below(u64::from(y1.saturating_sub(y0)) + 1) as u16;
                (cx, cy)
            };
            let far = |(cx, cy): (u16, u16)| {
                v.away_from
                    .is_none_or(|[ax, ay, d]| cx.abs_diff(ax) + cy.abs_diff(ay) >= d)
            };
            let mut centre = draw();
            for _ in 1..CENTRE_TRIES {
                if far(centre) {
                    break;
                }
                centre = draw();
            }
            let (cx, cy) = centre;
            for y in cy.saturating_sub(v.size)..=cy.saturating_add(v.size) {
                for x in cx.saturating_sub(v.size)..=cx.saturating_add(v.size) {
                    if x.abs_diff(cx) + y.abs_diff(cy) <= v.size {
                        set(x, y, v.terrain);
                    }
                }
            }
        }
    }
    SurfaceMap {
        terrain: rows
            .into_iter()
            .map(|r| String::from_utf8_lossy(&r).into_owned())
            .collect(),
        ..map.clone()
    }
}

/// A mission's starting kit as its file writes it: robots name their program, which is read
/// from `programs/<name>.rhai`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StartFile {
    #[serde(default)]
    stock: Stock,
    #[serde(default)]
    power: u32,
    #[serde(default)]
    buildings: Vec<Placed>,
    #[serde(default)]
    robots: Vec<RobotFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RobotFile {
    id: RobotId,
    x: u16,
    y: u16,
    #[serde(default)]
    program: Option<String>,
}

/// Reads `programs/<name>.rhai`, as a robot carries it.
pub fn load_program(assets: &Assets, name: &str) -> Result<ProgramSource, AssetError> {
    let file = named_file(assets, "programs", "program", name, "rhai")?;
    let source = assets.text(&file)?;
    Ok(ProgramSource {
        name: name.to_owned(),
        source,
    })
}

/// Every program in `programs/`, by name: what the program menu offers. A program that cannot
/// be read is left out.
pub fn list_programs(assets: &Assets) -> Vec<ProgramSource> {
    assets
        .names("programs", "rhai")
        .iter()
        .filter_map(|name| load_program(assets, name).ok())
        .collect()
}

/// The robot rules of `colony/robots.json`, with a mission's changes laid over them.
fn load_robot_rules(
    assets: &Assets,
    changes: &serde_json::Map<String, serde_json::Value>,
    mission: &Path,
) -> Result<RobotRules, AssetError> {
    let mut rules: serde_json::Value = read_json(assets, "colony/robots.json")?;
    if let Some(fields) = rules.as_object_mut() {
        fields.extend(changes.clone());
    }
    serde_json::from_value(rules).map_err(|e| AssetError {
        path: mission.into(),
        reason: format!("robot_rules: {e}"),
    })
}

/// Everything a colony game starts from.
pub struct MissionSetup {
    pub map: SurfaceMap,
    pub seed: u64,
    pub catalogue: Vec<BuildingKind>,
    pub rules: Ruleset,
}

/// A mission at a glance, for `lunar missions`.
pub struct MissionSummary {
    pub id: String,
    pub title: String,
    pub goal: String,
    pub order: Option<u32>,
    /// What the shipped programs score with the solution's buildings.
    pub shipped: Option<String>,
    /// What the mission's own solution scores.
    pub par: Option<Metrics>,
}

/// The colony catalogue, with a mission's changes to its kinds laid over it (`"economy":
/// {"hq": {"generates": 0}}`), as `robot_rules` are laid over the robots'.
fn load_colony_kinds(
    assets: &Assets,
    changes: &BTreeMap<String, serde_json::Map<String, serde_json::Value>>,
    mission: &Path,
) -> Result<Vec<ColonyKind>, AssetError> {
    let mut kinds: Vec<serde_json::Value> = read_json(assets, "colony/buildings.json")?;
    for (key, fields) in changes {
        let kind = kinds
            .iter_mut()
            .find(|k| k.get("key").and_then(|v| v.as_str()) == Some(key))
            .and_then(|k| k.as_object_mut())
            .ok_or_else(|| AssetError {
                path: mission.into(),
                reason: format!("economy: no building kind {}", quoted(key)),
            })?;
        kind.extend(fields.clone());
    }
    kinds
        .into_iter()
        .map(|k| {
            serde_json::from_value(k).map_err(|e| AssetError {
                path: mission.into(),
                reason: format!("economy: {e}"),
            })
        })
        .collect()
}

fn read_mission(assets: &Assets, id: &str) -> Result<(PathBuf, MissionFile), AssetError> {
    let file = named_file(assets, "missions", "mission", id, "json")?;
    let path = assets.path(&file);
    let mission: MissionFile = read_json(assets, &file)?;
    if mission.id != id {
        return Err(AssetError {
            path,
            reason: format!("the file says its id is {}", quoted(&mission.id)),
        });
    }
    Ok((path, mission))
}

/// Loads `missions/<id>.json` with its map and the colony catalogue, as one checked setup, on
/// the mission's own seed.
pub fn load_mission(assets: &Assets, id: &str) -> Result<MissionSetup, AssetError> {
    load_mission_seeded(assets, id, None)
}

/// [`load_mission`] on `seed` (the mission's own when none): a mission whose terrain varies
/// lays it out by the seed.
pub fn load_mission_seeded(
    assets: &Assets,
    id: &str,
    seed: Option<u64>,
) -> Result<MissionSetup, AssetError> {
    let (path, m) = read_mission(assets, id)?;
    let all = load_colony_kinds(assets, &m.economy, &path)?;
    let wanted: Vec<&ColonyKind> = match &m.kinds {
        None => all.iter().collect(),
        Some(keys) => keys
            .iter()
            .map(|key| {
                all.iter()
                    .find(|k| &k.key == key)
                    .ok_or_else(|| AssetError {
                        path: path.clone(),
                        reason: format!(
                            "no building kind {} in colony/buildings.json",
                            quoted(key)
                        ),
                    })
            })
            .collect::<Result<_, _>>()?,
    };
    let catalogue: Vec<BuildingKind> = wanted
        .iter()
        .map(|k| BuildingKind {
            key: k.key.clone(),
            name: k.name.clone(),
            glyph: k.glyph,
            work_ticks: k.work_ticks,
        })
        .collect();
    let economy = wanted
        .iter()
        .map(|k| Economy {
            key: k.key.clone(),
            cost: k.cost,
            terrain: k.terrain.clone(),
            power: k.power,
            generates: k.generates,
            solar: k.solar,
            storage: k.storage,
            housing: k.housing,
            crew: k.crew,
            consumes: k.consumes,
            produces: k.produces,
            tier: k.tier,
            operators: k.operators,
        })
        .collect();
    let robots = m
        .start
        .robots
        .iter()
        .map(|r| {
            Ok(RobotKit {
                id: r.id.clone(),
                x: r.x,
                y: r.y,
                program: match &r.program {
                    Some(name) => Some(load_program(assets, name)?),
                    None => None,
                },
            })
        })
        .collect::<Result<Vec<_>, AssetError>>()?;
    // A colony without robots is built by its headquarters' crews.
    let robot_rules = match robots.is_empty() {
        true => None,
        false => Some(load_robot_rules(assets, &m.robot_rules, &path)?),
    };
    let rules = Ruleset {
        day_ticks: m.day_ticks,
        night_ticks: m.night_ticks,
        dawn: m.dawn,
        breathe: m.breathe,
        drink: m.drink,
        grace: m.grace,
        site_power: m.site_power,
        economy,
        start: StartKit {
            stock: m.start.stock,
            power: m.start.power,
            buildings: m.start.buildings,
            robots,
        },
        robots: robot_rules,
        mission: Mission {
            id: m.id,
            title: m.title,
            goal: m.goal,
            briefing: m.briefing,
            objectives: m.objectives,
            deadline: m.deadline,
            ships: m.ships,
            max_losses: m.max_losses,
            hands_off: m.hands_off,
            varies: m.varies,
            shipped: m.shipped,
        },
    };
    let invalid = |reason: String| AssetError {
        path: path.clone(),
        reason,
    };
    check_catalogue(&catalogue).map_err(invalid)?;
    let keys: Vec<&str> = catalogue.iter().map(|k| k.key.as_str()).collect();
    rules.check(&keys).map_err(invalid)?;
    let seed = seed.unwrap_or(m.seed);
    Ok(MissionSetup {
        map: varied(&load_map(assets, &m.map)?, &m.vary, seed),
        seed,
        catalogue,
        rules,
    })
}

/// Every mission in `missions/`: the tutorial chain in its order, then the rest by id.
pub fn list_missions(assets: &Assets) -> Result<Vec<MissionSummary>, AssetError> {
    let mut missions = Vec::new();
    for id in assets.names("missions", "json") {
        let (_, m) = read_mission(assets, &id)?;
        missions.push(MissionSummary {
            id: m.id,
            title: m.title,
            goal: m.goal,
            order: m.order,
            shipped: m.shipped,
            par: m.par,
        });
    }
    missions.sort_by(|a, b| {
        (a.order.is_none(), a.order, &a.id).cmp(&(b.order.is_none(), b.order, &b.id))
    });
    Ok(missions)
}

/// The mission after `id` in the tutorial chain, with its title.
pub fn next_mission(assets: &Assets, id: &str) -> Option<(String, String)> {
    let missions = list_missions(assets).ok()?;
    let at = missions.iter().position(|m| m.id == id)?;
    missions[at].order?;
    let next = missions.get(at + 1).filter(|m| m.order.is_some())?;
    Some((next.id.clone(), next.title.clone()))
}

/// The mission a first game starts with: the first of the tutorial chain.
pub fn first_mission(assets: &Assets) -> Result<String, AssetError> {
    list_missions(assets)?
        .into_iter()
        .next()
        .map(|m| m.id)
        .ok_or_else(|| AssetError {
            path: assets.path("missions"),
            reason: "there are no missions".into(),
        })
}
