//! The one-player-per-save lock.

use crate::store::StoreError;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The one-player-per-save lock: an advisory lock on the save file itself, so that every name
/// of one file (a symlink, another path) finds the same lock, released by the system when the
/// process ends however it ends. The player's process id goes in `SAVE.lock` beside the save's
/// real path, for whoever is refused; that file only informs, it never locks, and it is never
/// followed if it is a link.
pub(super) struct SaveLock {
    _save: File,
    info: Option<PathBuf>,
}

/// Opens `path` for writing without following a symlink at its end; creates it if missing.
pub(super) fn open_no_follow(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
}

impl SaveLock {
    /// Takes the lock before SQLite opens the file, so that a refusal closes no descriptor
    /// SQLite holds locks through.
    pub(super) fn take(save: &Path) -> Result<SaveLock, StoreError> {
        let file = File::open(save).map_err(|e| StoreError::Database {
            path: save.into(),
            reason: format!("cannot lock the save: {e}"),
        })?;
        let info = std::fs::canonicalize(save).ok().map(|real| {
            let mut name = real.into_os_string();
            name.push(".lock");
            PathBuf::from(name)
        });
        if file.try_lock().is_err() {
            let pid = info
                .as_deref()
                .and_then(|p| open_no_follow(p).ok())
                .and_then(|mut f| {
                    let mut holder = String::new();
                    f.read_to_string(&mut holder).ok()?;
                    holder.trim().parse().ok()
                });
            return Err(StoreError::Busy {
                path: save.into(),
                pid,
            });
        }
        let written = info.as_deref().and_then(|p| {
            let mut f = open_no_follow(p).ok()?;
            f.set_len(0).ok()?;
            write!(f, "{}", std::process::id()).ok()?;
            Some(p.to_path_buf())
        });
        Ok(SaveLock {
            _save: file,
            info: written,
        })
    }
}

impl Drop for SaveLock {
    fn drop(&mut self) {
        // Removed while the save is still locked; removing a path never follows a link.
        if let Some(info) = &self.info {
            let _ = std::fs::remove_file(info);
        }
    }
}
