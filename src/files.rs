//! Reading a player's text files (scripts, programs) without trusting what the name points at.
//!
//! A path can name a device that never ends (`/dev/zero`), a FIFO that blocks until someone
//! writes to it, or a file far larger than anything the game reads. Only a regular file is
//! read, opened without blocking, and at most one byte past the limit is ever read, so the
//! answer costs the same whatever the file is.

use std::fs::OpenOptions;
use std::io::Read;
use std::path::Path;

/// The text of the regular file at `path`, if it holds at most `limit` bytes of UTF-8. The
/// error is one line a player can act on, without the path (the caller names it).
pub fn read_text(path: &Path, limit: u64, what: &str) -> Result<String, String> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // A FIFO would block the open itself until a writer came.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| e.to_string())?;
    let metadata = file.metadata().map_err(|e| e.to_string())?;
    if !metadata.is_file() {
        return Err(format!("not a regular file; {what} is read from a file"));
    }
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "{what} holds at most {limit} bytes; this file holds more"
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "not a text file: byte {} is not UTF-8",
            e.utf8_error().valid_up_to()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_regular_file_within_the_limit_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("p.rhai");
        std::fs::write(&file, "wait()").unwrap();
        assert_eq!(read_text(&file, 6, "a program").unwrap(), "wait()");
        let err = read_text(&file, 5, "a program").unwrap_err();
        assert!(err.contains("at most 5 bytes"), "{err}");
        let err = read_text(dir.path(), 100, "a program").unwrap_err();
        assert!(
            err.contains("not a regular file") || err.contains("directory"),
            "{err}"
        );
        let err = read_text(Path::new("/dev/zero"), 100, "a program").unwrap_err();
        assert!(err.contains("not a regular file"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let name = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a valid, NUL-terminated path and a mode.
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
        let err = read_text(&fifo, 100, "a program").unwrap_err();
        assert!(err.contains("not a regular file"), "{err}");
    }
}
