//! The `saves/` folder: naming, listing and creating saved games.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use uuid::Uuid;

use crate::assets;
use crate::assets::Assets;
use crate::domain::command::Command;
use crate::domain::game::commands::{GameCommand, StartGame};
use crate::domain::ids::{GameId, Tick};
use crate::domain::ruleset::RULESET;
use crate::engine::envelope::Origin;
use crate::session::{Outcome, Session};
use crate::store::sqlite::SqliteStore;

pub const EXTENSION: &str = "lunar";
/// The environment variable that says where saves live, unless `--saves` does.
pub const SAVES_VAR: &str = "LUNAR_SAVES";

/// Where saves live: `--saves DIR`, else `$LUNAR_SAVES`, else [`default_dir`].
pub fn dir(flag: Option<PathBuf>) -> PathBuf {
    flag.or_else(|| {
        std::env::var_os(SAVES_VAR)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    })
    .unwrap_or_else(default_dir)
}

/// Where saves live when nothing says otherwise, wherever `lunar` runs from: the checkout's
/// `saves/` for a binary in the checkout's `target/` (built with cargo), else the platform's
/// folder for application data (`$XDG_DATA_HOME/lunar-frontiers/saves`, by default
/// `~/.local/share/lunar-frontiers/saves`; `~/Library/Application Support/lunar-frontiers/saves`
/// on macOS; `%APPDATA%\lunar-frontiers\saves` on Windows).
pub fn default_dir() -> PathBuf {
    let checkout = Path::new(env!("CARGO_MANIFEST_DIR"));
    let exe = std::env::current_exe().and_then(|e| e.canonicalize());
    let target = checkout.join("target").canonicalize();
    if let (Ok(exe), Ok(target)) = (exe, target)
        && exe.starts_with(target)
    {
        return checkout.join("saves");
    }
    data_dir().map_or_else(
        || PathBuf::from("saves"),
        |d| d.join("lunar-frontiers").join("saves"),
    )
}

/// The platform's folder for a user's application data, if the environment names one.
fn data_dir() -> Option<PathBuf> {
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if cfg!(windows) {
        return var("APPDATA");
    }
    if cfg!(target_os = "macos") {
        return var("HOME").map(|h| h.join("Library").join("Application Support"));
    }
    var("XDG_DATA_HOME").or_else(|| var("HOME").map(|h| h.join(".local").join("share")))
}

#[derive(Debug)]
pub struct SavesError(pub String);

impl std::fmt::Display for SavesError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SavesError {}

/// A save named on the command line: a path when it looks like one, else `DIR/NAME.lunar`.
pub fn resolve(dir: &Path, name: &str) -> PathBuf {
    let as_path = Path::new(name);
    if as_path.components().count() > 1 || as_path.extension().is_some() {
        as_path.to_path_buf()
    } else {
        dir.join(format!("{name}.{EXTENSION}"))
    }
}

fn save_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == EXTENSION) && p.is_file())
        .collect();
    files.sort();
    files
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// The save played most recently.
pub fn newest(dir: &Path) -> Option<PathBuf> {
    save_files(dir).into_iter().max_by_key(|p| modified(p))
}

pub struct Listing {
    pub path: PathBuf,
    pub colony: String,
    pub tick: Tick,
    pub buildings: u64,
    pub modified: Option<SystemTime>,
    /// The save this one was branched from, and the tick.
    pub branched_from: Option<(String, Tick)>,
}

/// Every save in `dir`, or why it could not be read.
pub fn list(dir: &Path) -> Vec<Result<Listing, String>> {
    crate::store::sqlite::sweep_partials(dir);
    save_files(dir)
        .into_iter()
        .map(|path| {
            let store = SqliteStore::open_read_only(&path).map_err(|e| e.to_string())?;
            let summary = store.summary().map_err(|e| e.to_string())?;
            Ok(Listing {
                modified: modified(&path),
                colony: summary.colony,
                tick: summary.last_tick,
                buildings: summary.buildings,
                branched_from: store.branched_from().map_err(|e| e.to_string())?,
                path,
            })
        })
        .collect()
}

/// How a branch records the save it came from: its full path, so that `lunar saves` can find
/// it whatever folder either is listed from.
pub fn origin(save: &Path) -> String {
    std::fs::canonicalize(save)
        .unwrap_or_else(|_| save.to_path_buf())
        .display()
        .to_string()
}

/// Whether `listing` was branched from `save`: by full path, or for branches recorded before
/// full paths were, by the same name.
pub fn is_branch_of(listing: &Listing, save: &Path) -> bool {
    let Some((from, _)) = &listing.branched_from else {
        return false;
    };
    let from = Path::new(from);
    std::fs::canonicalize(from).ok() == std::fs::canonicalize(save).ok()
        || (from.is_relative() && from.file_name() == save.file_name())
}

pub struct NewGame<'a> {
    pub dir: &'a Path,
    pub name: &'a str,
    pub rules: NewRules<'a>,
    pub seed: Option<u64>,
    pub player: String,
    pub assets: &'a Assets,
}

/// What a new game is played by.
pub enum NewRules<'a> {
    /// A mission from `assets/missions`: a colony game.
    Mission(&'a str),
    /// The first release's rules on a map from `assets/maps`: no economy, no goal.
    Classic { map: &'a str },
}

/// `name`, or `name-2`, `name-3`... the first no save in `dir` has.
pub fn free_name(dir: &Path, name: &str) -> String {
    (1..)
        .map(|n| match n {
            1 => name.to_owned(),
            n => format!("{name}-{n}"),
        })
        .find(|n| !dir.join(format!("{n}.{EXTENSION}")).exists())
        .unwrap_or_else(|| name.to_owned())
}

/// The longest save name.
pub const MAX_NAME: usize = 64;

/// Checks a name for a new save (`lunar new`, `lunar branch`): 1 to 64 letters, digits, '-' or
/// '_', not starting with '-' (it would read as a flag). Nothing else can collide with a save's
/// side files (`NAME.lunar.lock`, `.keyframes`...), reach another folder, or garble a terminal.
pub fn check_name(name: &str) -> Result<(), SavesError> {
    let valid = !name.is_empty()
        && name.len() <= MAX_NAME
        && !name.starts_with('-')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if valid {
        Ok(())
    } else {
        Err(SavesError(format!(
            "{} is not a save name: use 1 to {MAX_NAME} letters, digits, '-' or '_', not \
             starting with '-'",
            crate::domain::text::quoted(name)
        )))
    }
}

/// A new game checked and ready to be written: its save's path and the command that starts it.
pub struct Prepared {
    pub path: PathBuf,
    start: StartGame,
}

/// Checks everything about a new game that can be checked without writing: the name and the
/// assets. Nothing is written.
pub fn prepare(new: &NewGame<'_>) -> Result<Prepared, SavesError> {
    check_name(new.name)?;
    let failed = |e: assets::AssetError| SavesError(e.to_string());
    let game_id = GameId(Uuid::new_v4());
    let drawn = game_id.0.as_u64_pair().0;
    let (name, map, catalogue, rules, seed) = match new.rules {
        NewRules::Classic { map } => (
            new.name.to_owned(),
            assets::load_map(new.assets, map).map_err(failed)?,
            assets::load_catalogue(new.assets).map_err(failed)?,
            None,
            new.seed.unwrap_or(drawn),
        ),
        // A mission's colony goes by the mission's name; the save by the player's.
        NewRules::Mission(id) => {
            let setup = assets::load_mission_seeded(new.assets, id, new.seed).map_err(failed)?;
            let seed = setup.seed;
            (
                setup.rules.mission.title.clone(),
                setup.map,
                setup.catalogue,
                Some(Box::new(setup.rules)),
                seed,
            )
        }
    };
    Ok(Prepared {
        path: new.dir.join(format!("{}.{EXTENSION}", new.name)),
        start: StartGame {
            game_id,
            name,
            seed,
            player: new.player.clone(),
            map,
            catalogue,
            rules,
            ruleset: RULESET,
        },
    })
}

/// Creates the prepared save holding its freshly started game. Never overwrites a save; the
/// file appears only once the game is started in it.
pub fn create(prepared: Prepared) -> Result<PathBuf, SavesError> {
    let failed = |e: &dyn std::fmt::Display| SavesError(e.to_string());
    if let Some(dir) = prepared.path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| SavesError(format!("{}: {e}", dir.display())))?;
    }
    let store = SqliteStore::create_pending(&prepared.path).map_err(|e| failed(&e))?;
    let mut session = Session::open(store).map_err(|e| failed(&e))?;
    let origin = Origin {
        recorded_at_ms: crate::runtime::writer::now_ms(),
        ..Origin::player()
    };
    match session.execute(
        Command::Game(GameCommand::StartGame(prepared.start)),
        origin,
    ) {
        Ok(Outcome::Recorded(_)) => {}
        Ok(Outcome::Rejected(r)) => {
            return Err(SavesError(format!("the game cannot start: {r}")));
        }
        Err(e) => return Err(failed(&e)),
    }
    session.into_store().publish().map_err(|e| failed(&e))
}

/// The name a new game's player goes by: the login name, else `player`.
pub fn player_name() -> String {
    std::env::var("USER")
        .ok()
        .filter(|u| {
            crate::domain::text::check_name("", u, crate::domain::game::MAX_PLAYER_NAME).is_ok()
        })
        .unwrap_or_else(|| "player".to_owned())
}
