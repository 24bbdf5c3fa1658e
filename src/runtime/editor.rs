//! Editing a robot's program in the player's own editor, as git does with a commit message:
//! the program is written to a file, `$VISUAL` (else `$EDITOR`, else `vi`) runs on it with the
//! terminal, and what it leaves there is the new program.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::domain::ids::RobotId;
use crate::domain::program;
use crate::domain::ruleset::ProgramSource;

/// The editor to run, with any arguments it was given (`code -w`).
fn editor() -> Vec<String> {
    let chosen = ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|var| std::env::var(var).ok())
        .find(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "vi".into());
    chosen.split_whitespace().map(str::to_owned).collect()
}

/// Where a robot's program waits while it is edited: named for the save and the robot, so two
/// games never share one.
fn draft_path(save: &str, robot: &RobotId) -> PathBuf {
    std::env::temp_dir().join(format!("lunar-{save}-{robot}.rhai"))
}

/// Writes a draft afresh, never through a link someone left at its name, readable by its owner
/// alone.
fn write_draft(path: &Path, source: &str) -> std::io::Result<()> {
    let _ = std::fs::remove_file(path);
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    options.open(path)?.write_all(source.as_bytes())
}

/// Runs the editor on `program` and returns what it left, if the player changed anything,
/// named as a program without a file is named: by its first comment line
/// ([`program::name_of`]), else "edited".
pub fn edit(
    save: &str,
    robot: &RobotId,
    program: &ProgramSource,
) -> Result<Option<ProgramSource>, String> {
    let path = draft_path(save, robot);
    write_draft(&path, &program.source)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let words = editor();
    let (name, args) = words.split_first().ok_or("no editor is set")?;
    let status = Command::new(name)
        .args(args)
        .arg(&path)
        .status()
        .map_err(|e| format!("cannot run the editor {name:?}: {e} (set $EDITOR)"))?;
    let limit = program::limits::MAX_SOURCE_BYTES as u64;
    let source = crate::files::read_text(&path, limit, "a program")
        .map_err(|e| format!("cannot read {}: {e}", path.display()));
    let _ = std::fs::remove_file(&path);
    if !status.success() {
        return Err(format!("the editor {name:?} exited with {status}"));
    }
    let source = source?;
    if source == program.source {
        return Ok(None);
    }
    let name = program::name_of(&source).unwrap_or_else(|| "edited".into());
    Ok(Some(ProgramSource { name, source }))
}
