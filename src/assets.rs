//! Loading the building catalogue and maps from `assets/`.
//!
//! Only new games read these files; a saved game carries its own copy in `game_started`.

use crate::domain::text::quoted;
use std::path::{Path, PathBuf};

use crate::domain::catalogue::{BuildingKind, SurfaceMap, check_catalogue};

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

/// Where the game's assets live: `./assets` when run from a checkout, else beside the sources
/// the binary was built from.
pub fn default_dir() -> PathBuf {
    let here = PathBuf::from("assets");
    if here.join("buildings.json").is_file() {
        here
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("assets")
    }
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, AssetError> {
    let text = std::fs::read_to_string(path).map_err(|e| AssetError {
        path: path.into(),
        reason: e.to_string(),
    })?;
    serde_json::from_str(&text).map_err(|e| AssetError {
        path: path.into(),
        reason: format!("line {} column {}: {e}", e.line(), e.column()),
    })
}

pub fn load_catalogue(dir: &Path) -> Result<Vec<BuildingKind>, AssetError> {
    let path = dir.join("buildings.json");
    let kinds: Vec<BuildingKind> = read_json(&path)?;
    check_catalogue(&kinds).map_err(|reason| AssetError { path, reason })?;
    Ok(kinds)
}

/// Loads `maps/<name>.json`.
pub fn load_map(dir: &Path, name: &str) -> Result<SurfaceMap, AssetError> {
    let path = dir.join("maps").join(format!("{name}.json"));
    if name.is_empty()
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return Err(AssetError {
            path,
            reason: format!("{} is not a map name", quoted(name)),
        });
    }
    if !path.is_file() {
        return Err(AssetError {
            reason: format!(
                "no map called {}; maps are: {}",
                quoted(name),
                map_names(dir).join(", ")
            ),
            path,
        });
    }
    let map: SurfaceMap = read_json(&path)?;
    map.check().map_err(|reason| AssetError {
        path: path.clone(),
        reason,
    })?;
    Ok(map)
}

fn map_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir.join("maps"))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            name.strip_suffix(".json").map(str::to_owned)
        })
        .collect();
    names.sort();
    names
}
