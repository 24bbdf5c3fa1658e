//! A save being created: written under a hidden temporary name until it is whole, and what
//! runs killed while writing one left behind.

use std::path::{Path, PathBuf};

/// A new save written under a hidden temporary name until it is whole, so an interrupted
/// creation never leaves a save that looks finished, nor one that blocks a retry.
pub(super) struct Pending {
    pub(super) temp: PathBuf,
    pub(super) published: bool,
}

impl Drop for Pending {
    fn drop(&mut self) {
        if !self.published {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

/// `DIR/.NAME.PID.partial` for the save `DIR/NAME`.
pub(super) fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "save".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.{}.partial", std::process::id()))
}

/// Removes what runs killed while writing a new save left in `dir`: `.NAME.PID.partial` files
/// (and their `-wal`, `-shm` or `-journal`) whose process is gone. A process that is still
/// there (or a number reused since) keeps its file; nothing else is touched.
pub fn sweep_partials(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            continue;
        };
        let Some(stem) = [
            ".partial",
            ".partial-wal",
            ".partial-shm",
            ".partial-journal",
        ]
        .iter()
        .find_map(|suffix| name.strip_suffix(suffix)) else {
            continue;
        };
        let Some(pid) = stem
            .strip_prefix('.')
            .and_then(|s| s.rsplit_once('.'))
            .and_then(|(_, pid)| pid.parse::<libc::pid_t>().ok())
            .filter(|pid| *pid > 0)
        else {
            continue;
        };
        // SAFETY: signal 0 only asks whether the process exists; nothing is sent.
        let gone = unsafe { libc::kill(pid, 0) } != 0
            && std::io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH);
        if gone {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}
