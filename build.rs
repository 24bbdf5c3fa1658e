//! Fingerprints the functional core's source, so keyframes cached on disk by one build are
//! never read by a build whose projectors might fold differently.

use std::path::{Path, PathBuf};

fn sources(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

fn main() {
    println!("cargo:rerun-if-changed=src/domain");
    let mut files = Vec::new();
    sources(Path::new("src/domain"), &mut files);
    files.sort();
    // FNV-1a: stable across builds and machines, which is all a cache key needs.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in files {
        let bytes = std::fs::read(&file).unwrap_or_default();
        for byte in file.to_string_lossy().bytes().chain(bytes) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    println!("cargo:rustc-env=LUNAR_CORE_FINGERPRINT={hash:016x}");
}
