//! The building catalogue and surface maps as a game carries them.
//!
//! Both are loaded from `assets/` by the shell and copied whole into `game_started`, so that a
//! replay never depends on today's asset files (law 3).

use serde::{Deserialize, Serialize};

use super::text::{check_name, quoted};

/// One kind of building the colony can construct.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BuildingKind {
    /// The key scripts and events use (`hq`, `oxygen`).
    pub key: String,
    /// The name people read (`Headquarters`).
    pub name: String,
    /// One character drawn on the map.
    pub glyph: char,
    /// Ticks of work a site of this kind needs.
    pub work_ticks: u32,
}

/// What a tile of the surface is made of. In a classic game, scenery; in a colony game, what
/// may stand where (the ruleset's economy says) and what can be mined there.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Terrain {
    Regolith,
    Dust,
    Rock,
    Crater,
}

impl Terrain {
    pub fn from_char(c: char) -> Option<Terrain> {
        match c {
            '.' => Some(Terrain::Regolith),
            ',' => Some(Terrain::Dust),
            '^' => Some(Terrain::Rock),
            '*' => Some(Terrain::Crater),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Terrain::Regolith => "regolith",
            Terrain::Dust => "dust",
            Terrain::Rock => "rock",
            Terrain::Crater => "crater",
        }
    }

    pub fn glyph(self) -> char {
        match self {
            Terrain::Regolith => '.',
            Terrain::Dust => ',',
            Terrain::Rock => '^',
            Terrain::Crater => '*',
        }
    }
}

/// The terrain at `(x, y)` of a map's rows; regolith off the map. Drawn for every tile of
/// every frame, so it indexes bytes: `SurfaceMap::check` admits only ASCII terrain.
pub fn terrain_in(rows: &[String], x: u16, y: u16) -> Terrain {
    rows.get(usize::from(y))
        .and_then(|row| row.as_bytes().get(usize::from(x)))
        .and_then(|b| Terrain::from_char(char::from(*b)))
        .unwrap_or(Terrain::Regolith)
}

/// A rectangular patch of lunar surface.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SurfaceMap {
    pub name: String,
    pub width: u16,
    pub height: u16,
    /// One string per row, one character per tile (see [`Terrain::from_char`]).
    pub terrain: Vec<String>,
}

impl SurfaceMap {
    /// Checks the shape a map must have; the shell calls it when loading assets.
    pub fn check(&self) -> Result<(), String> {
        check_name("a map name", &self.name, 32)?;
        if self.width == 0 || self.height == 0 {
            return Err(format!(
                "map {:?} must be at least 1x1, not {}x{}",
                self.name, self.width, self.height
            ));
        }
        if self.terrain.len() != usize::from(self.height) {
            return Err(format!(
                "map {:?} has height {} but {} terrain rows",
                self.name,
                self.height,
                self.terrain.len()
            ));
        }
        for (y, row) in self.terrain.iter().enumerate() {
            let len = row.chars().count();
            if len != usize::from(self.width) {
                return Err(format!(
                    "map {:?} terrain row {y} has {len} tiles, expected width {}",
                    self.name, self.width
                ));
            }
            if let Some(bad) = row.chars().find(|c| Terrain::from_char(*c).is_none()) {
                return Err(format!(
                    "map {:?} terrain row {y} has {bad:?}; tiles are '.', ',', '^' or '*'",
                    self.name
                ));
            }
        }
        Ok(())
    }
}

/// Checks a catalogue the shell loaded: keys unique and plain, work positive.
pub fn check_catalogue(kinds: &[BuildingKind]) -> Result<(), String> {
    if kinds.is_empty() {
        return Err("the catalogue has no building kinds".into());
    }
    for (i, kind) in kinds.iter().enumerate() {
        if kind.key.is_empty()
            || !kind
                .key
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'_')
        {
            return Err(format!(
                "building kind {i} has key {:?}; keys are lowercase letters and '_'",
                kind.key
            ));
        }
        check_name("a building name", &kind.name, 32)?;
        if kind.glyph.is_control() || kind.glyph.is_whitespace() {
            return Err(format!(
                "building kind {} has glyph {:?}; a glyph is a visible character",
                quoted(&kind.key),
                kind.glyph
            ));
        }
        if kind.work_ticks == 0 {
            return Err(format!(
                "building kind {:?} needs at least 1 work tick",
                kind.key
            ));
        }
        if kinds[..i].iter().any(|k| k.key == kind.key) {
            return Err(format!("building kind {:?} is listed twice", kind.key));
        }
    }
    Ok(())
}
