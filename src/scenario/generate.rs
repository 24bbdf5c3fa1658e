//! Generated scenarios: long games for playback and benchmarks, from a seed.
//!
//! Sites are planted at even intervals with enough work each that about `overlap` are under
//! construction at any time, so every tick carries about `overlap + 1` events.

use std::fmt::Write as _;

use crate::domain::catalogue::{BuildingKind, SurfaceMap};

pub struct Plan<'a> {
    pub ticks: u64,
    pub sites: u64,
    pub seed: u64,
    pub overlap: u64,
    pub map: &'a SurfaceMap,
    pub catalogue: &'a [BuildingKind],
}

/// SplitMix64: tiny, seeded, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
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
    let mut rng = Rng(plan.seed);
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
