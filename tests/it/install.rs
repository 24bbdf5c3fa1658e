//! `cargo install --path .` gives a `lunar` that needs no checkout: its assets are built in,
//! and its saves live in the platform's data folder wherever it runs from.

use std::path::Path;
use std::process::Command;

use crate::support::{root, succeeds};

/// Copies what `cargo install` builds from: the manifest, the lockfile, the build script, the
/// sources, the assets and the benchmark the manifest names.
fn copy_checkout(to: &Path) {
    for file in ["Cargo.toml", "Cargo.lock", "build.rs"] {
        std::fs::copy(root().join(file), to.join(file)).unwrap();
    }
    for dir in ["src", "assets", "benches"] {
        let status = Command::new("cp")
            .arg("-r")
            .arg(root().join(dir))
            .arg(to)
            .status()
            .unwrap();
        assert!(status.success(), "copying {dir}");
    }
}

#[test]
fn an_installed_lunar_runs_anywhere_without_its_checkout() {
    let tmp = tempfile::tempdir().unwrap();
    let (copy, installed, home, elsewhere) = (
        tmp.path().join("checkout"),
        tmp.path().join("installed"),
        tmp.path().join("home"),
        tmp.path().join("elsewhere"),
    );
    for dir in [&copy, &home, &elsewhere] {
        std::fs::create_dir_all(dir).unwrap();
    }
    copy_checkout(&copy);
    // A debug build keeps the test quick; --offline and --locked build exactly what CI has.
    succeeds(
        Command::new(env!("CARGO"))
            .args([
                "install",
                "--debug",
                "--locked",
                "--offline",
                "--quiet",
                "--path",
            ])
            .arg(&copy)
            .arg("--root")
            .arg(&installed)
            .arg("--target-dir")
            .arg(tmp.path().join("target")),
    );
    std::fs::remove_dir_all(&copy).unwrap();
    std::fs::remove_dir_all(tmp.path().join("target")).unwrap();

    let lunar = |args: &[&str], saves: Option<&Path>| {
        let mut command = Command::new(installed.join("bin/lunar"));
        command
            .args(args)
            .current_dir(&elsewhere)
            .env("HOME", &home)
            .env_remove("XDG_DATA_HOME")
            .env_remove("LUNAR_SAVES");
        if let Some(saves) = saves {
            command.env("LUNAR_SAVES", saves);
        }
        succeeds(&mut command)
    };
    let missions = lunar(&["missions"], None);
    assert!(missions.contains("t1-groundbreaking"), "{missions}");
    assert!(lunar(&["demo"], None).contains("buildings"));

    // Saves go to the platform's data folder, whichever folder `lunar` runs in.
    let data = home.join(".local/share/lunar-frontiers/saves");
    let listed = lunar(&["saves"], None);
    assert!(
        listed.contains(&format!("saves in {}", data.display())),
        "{listed}"
    );
    std::fs::create_dir_all(&data).unwrap();
    let script = elsewhere.join("groundbreaking.scenario");
    std::fs::copy(
        root().join("assets/missions/t1-groundbreaking.solution.scenario"),
        &script,
    )
    .unwrap();
    let save = data.join("first.lunar");
    lunar(
        &[
            "script",
            "run",
            "groundbreaking.scenario",
            "--save",
            save.to_str().unwrap(),
        ],
        None,
    );
    let listed = lunar(&["saves"], None);
    assert!(listed.contains("first"), "{listed}");
    assert!(lunar(&["verify", "first"], None).contains("no findings"));

    // $LUNAR_SAVES, then --saves, say otherwise.
    let other = tmp.path().join("other");
    std::fs::create_dir_all(&other).unwrap();
    let listed = lunar(&["saves"], Some(&other));
    assert!(
        listed.contains(&format!("saves in {}", other.display())),
        "{listed}"
    );
    let flagged = tmp.path().join("flagged");
    let listed = lunar(
        &["--saves", flagged.to_str().unwrap(), "saves"],
        Some(&other),
    );
    assert!(
        listed.contains(&format!("saves in {}", flagged.display())),
        "{listed}"
    );
}
