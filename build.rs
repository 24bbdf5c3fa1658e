//! Fingerprints the functional core's source, so keyframes cached on disk by one build are
//! never read by a build whose projectors might fold differently; and lists the shipped assets
//! for the binary to carry, so an installed `lunar` needs no checkout.

use std::path::{Path, PathBuf};

/// Every file below `dir` whose name ends in `extension`, or every file when it is empty.
fn files(dir: &Path, extension: &str, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, extension, found);
        } else if extension.is_empty() || path.extension().is_some_and(|e| e == extension) {
            found.push(path);
        }
    }
}

fn main() {
    println!("cargo:rerun-if-changed=src/domain");
    let mut found = Vec::new();
    files(Path::new("src/domain"), "rs", &mut found);
    found.sort();
    // FNV-1a: stable across builds and machines, which is all a cache key needs.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in found {
        let bytes = std::fs::read(&file).unwrap_or_default();
        for byte in file.to_string_lossy().bytes().chain(bytes) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    println!("cargo:rustc-env=LUNAR_CORE_FINGERPRINT={hash:016x}");
    built_in_assets();
}

/// Writes `built_in_assets.rs`: each file under `assets/`, by its path there, with its text.
fn built_in_assets() {
    println!("cargo:rerun-if-changed=assets");
    let mut found = Vec::new();
    files(Path::new("assets"), "", &mut found);
    found.sort();
    let mut out = String::from("pub static FILES: &[(&str, &str)] = &[\n");
    for file in found {
        let Ok(relative) = file.strip_prefix("assets") else {
            continue;
        };
        let name = relative.to_string_lossy().replace('\\', "/");
        out += &format!(
            "    ({name:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/assets/{name}\"))),\n"
        );
    }
    out += "];\n";
    let Some(dir) = std::env::var_os("OUT_DIR") else {
        return;
    };
    let _ = std::fs::write(Path::new(&dir).join("built_in_assets.rs"), out);
}
