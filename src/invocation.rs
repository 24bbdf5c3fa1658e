//! How the player runs `lunar` from where they are, for the commands the game suggests.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// What is known of how this process was started.
pub struct Started<'a> {
    /// The running binary.
    pub exe: Option<&'a Path>,
    /// Whether cargo started it (`cargo run` sets `CARGO_MANIFEST_DIR`).
    pub by_cargo: bool,
}

impl Started<'_> {
    /// This process.
    pub fn here(exe: &Option<PathBuf>) -> Started<'_> {
        Started {
            exe: exe.as_deref(),
            by_cargo: std::env::var_os("CARGO_MANIFEST_DIR").is_some(),
        }
    }
}

/// The words that run `lunar` again the way it was run now: `cargo run --release --` under
/// cargo, `lunar` when that name on the `PATH` is this binary, else the binary's own path.
pub fn invocation(started: &Started<'_>, path_var: Option<&OsStr>) -> String {
    let Some(exe) = started.exe else {
        return "lunar".into();
    };
    if started.by_cargo {
        let release = exe.components().any(|c| c.as_os_str() == "release");
        return if release {
            "cargo run --release --".into()
        } else {
            "cargo run --".into()
        };
    }
    let same =
        |candidate: &Path| std::fs::canonicalize(candidate).ok() == std::fs::canonicalize(exe).ok();
    let on_path = path_var
        .into_iter()
        .flat_map(std::env::split_paths)
        .any(|dir| same(&dir.join("lunar")));
    if on_path {
        "lunar".into()
    } else {
        exe.display().to_string()
    }
}

/// A full command line to suggest: how to run `lunar`, the saves folder when it is not the
/// default, then `args`.
pub fn suggest(saves: &Path, args: &str) -> String {
    let exe = std::env::current_exe().ok();
    let lunar = invocation(&Started::here(&exe), std::env::var_os("PATH").as_deref());
    let saves = if saves == crate::saves::default_dir() {
        String::new()
    } else {
        format!(" --saves {}", saves.display())
    };
    format!("{lunar}{saves} {args}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_suggestion_matches_how_the_game_was_run() {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("lunar");
        std::fs::write(&bin, b"").unwrap();
        let cargo = Path::new("/src/lunar/target/release/lunar");
        let case = |exe: &Path, by_cargo: bool, path: Option<&OsStr>| {
            invocation(
                &Started {
                    exe: Some(exe),
                    by_cargo,
                },
                path,
            )
        };
        assert_eq!(case(cargo, true, None), "cargo run --release --");
        assert_eq!(
            case(Path::new("/src/lunar/target/debug/lunar"), true, None),
            "cargo run --"
        );
        assert_eq!(case(&bin, false, Some(dir.path().as_os_str())), "lunar");
        assert_eq!(
            case(&bin, false, Some(OsStr::new("/nowhere"))),
            bin.display().to_string()
        );
    }
}
