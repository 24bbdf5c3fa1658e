//! Generated scenarios: long games for playback and benchmarks, from a seed.
//!
//! Sites are planted at even intervals with enough work each that about `overlap` are under
//! construction at any time, so every tick carries about `overlap + 1` events.

use std::fmt::Write as _;

use crate::assets::MissionSetup;
use crate::domain::catalogue::{BuildingKind, SurfaceMap, terrain_in};
use crate::rng::Rng;

pub struct Plan<'a> {
    pub ticks: u64,
    pub sites: u64,
    pub seed: u64,
    pub overlap: u64,
    pub map: &'a SurfaceMap,
    pub catalogue: &'a [BuildingKind],
}

/// The script text, or why the plan cannot fit its map.
pub fn generate(plan: &Plan<'_>) -> Result<String, String> {
    let tiles = u64::from(plan.map.width) * u64::from(plan.map.height);
    if plan.sites > tiles {
        return Err(format!(
            "{} sites do not fit on map {:?}, which has {tiles} tiles",
            plan.sites, plan.map.name
        ));
    }
    if plan.catalogue.is_empty() || plan.ticks == 0 {
        return Err("a generated game needs ticks and a catalogue".into());
    }
    let mut rng = Rng::new(plan.seed);
    let mut free: Vec<(u16, u16)> = (0..plan.map.height)
        .flat_map(|y| (0..plan.map.width).map(move |x| (x, y)))
        .collect();
    let mean_work = (plan.overlap * plan.ticks / plan.sites.max(1)).max(1);
    let mut out = format!(
        "# Generated: {} ticks, {} sites, about {} under construction at a time, seed {}.\n\
         game start seed={} map={} player=generator name=\"Generated Colony\"\n",
        plan.ticks, plan.sites, plan.overlap, plan.seed, plan.seed, plan.map.name
    );
    let mut now = 0;
    for i in 0..plan.sites {
        let at = i * plan.ticks / plan.sites.max(1);
        if at > now {
            let _ = writeln!(out, "tick {}", at - now);
            now = at;
        }
        let (x, y) = free.swap_remove(rng.below(free.len() as u64) as usize);
        let kind = &plan.catalogue[(i % plan.catalogue.len() as u64) as usize];
        let spread = mean_work / 2 + rng.below(mean_work + 1);
        let work = spread.clamp(1, (plan.ticks - now).max(1));
        let _ = writeln!(out, "build {} id=s{i} at={x},{y} ticks={work}", kind.key);
    }
    if plan.ticks > now {
        let _ = writeln!(out, "tick {}", plan.ticks - now);
    }
    let _ = writeln!(out, "expect tick {}", plan.ticks);
    Ok(out)
}

/// A long colony game for benchmarks: the sandbox, a working colony planted in its first ticks
/// (each kind on ground it may stand on, nearest the HQ first), then `ticks` ticks of it
/// working through days and nights, with a new site now and then so construction never stops.
pub fn generate_colony(setup: &MissionSetup, mission: &str, ticks: u64) -> Result<String, String> {
    let map = &setup.map;
    let centre = setup
        .rules
        .start
        .buildings
        .first()
        .map_or((map.width / 2, map.height / 2), |b| (b.x, b.y));
    let mut taken: Vec<(u16, u16)> = setup
        .rules
        .start
        .buildings
        .iter()
        .map(|b| (b.x, b.y))
        .collect();
    let mut out = format!(
        "# Generated: a working colony on mission {mission}, {ticks} ticks.\n\
         game start mission={mission} player=generator name=\"Generated Colony\"\n"
    );
    let mut place = |kind: &str, n: usize, out: &mut String| -> Result<(), String> {
        let economy = setup
            .rules
            .economy(kind)
            .ok_or_else(|| format!("mission {mission} has no kind {kind:?}"))?;
        let mut tiles: Vec<(u16, u16)> = (0..map.height)
            .flat_map(|y| (0..map.width).map(move |x| (x, y)))
            .filter(|&(x, y)| economy.terrain.contains(&terrain_in(&map.terrain, x, y)))
            .filter(|t| !taken.contains(t))
            .collect();
        tiles.sort_by_key(|&(x, y)| (x.abs_diff(centre.0) + y.abs_diff(centre.1), y, x));
        for &(x, y) in tiles.iter().take(n) {
            taken.push((x, y));
            let id = taken.len();
            let _ = writeln!(out, "build {kind} id={kind}-{id} at={x},{y}");
        }
        Ok(())
    };
    for (kind, n) in [
        ("mine", 4),
        ("solar", 6),
        ("battery", 2),
        ("ice", 3),
        ("water", 3),
        ("oxygen", 2),
        ("housing", 1),
    ] {
        place(kind, n, &mut out)?;
    }
    // Every 200 ticks another array or mine, in line for regolith and crews.
    let mut now = 0;
    let mut extra = 0;
    while now < ticks {
        let step = (ticks - now).min(200);
        let _ = writeln!(out, "tick {step}");
        now += step;
        if now < ticks {
            place(if extra % 2 == 0 { "solar" } else { "mine" }, 1, &mut out)?;
            extra += 1;
        }
    }
    Ok(out)
}
