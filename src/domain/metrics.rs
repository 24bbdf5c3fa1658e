//! What a finished game is scored by: several measures, each read off the log, each better
//! lower, none of which rewards hoarding (stock left over counts for nothing). A mission's
//! `par` is its own solution's, and a player's best is the least of each over their wins.

use serde::{Deserialize, Serialize};

use crate::domain::ids::Tick;

#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metrics {
    /// Ticks from the start to the outcome (or to the last tick played).
    pub ticks: Tick,
    /// Bytes of the distinct programs the player gave robots (the shipped ones a mission
    /// starts with are free).
    pub program_bytes: u64,
    /// Operations the robots' programs spent, per robot per tick, rounded.
    pub operations_per_robot_tick: u64,
    /// Power the colony gave out: to buildings at work and sites, and to robots charging.
    pub energy: u64,
    /// Robots that ever stood in the colony.
    pub robots: u64,
    pub colonists_lost: u64,
}

/// How a measure is read off a game's metrics.
pub type Read = fn(&Metrics) -> u64;

/// Each measure: its name as screens say it, and how to read it.
pub const MEASURES: [(&str, Read); 6] = [
    ("ticks", |m| m.ticks),
    ("program bytes", |m| m.program_bytes),
    ("ops per robot-tick", |m| m.operations_per_robot_tick),
    ("energy", |m| m.energy),
    ("robots", |m| m.robots),
    ("colonists lost", |m| m.colonists_lost),
];

impl Metrics {
    /// The least of each measure over `all`: a best no single game need have reached.
    pub fn best<'a>(all: impl IntoIterator<Item = &'a Metrics>) -> Option<Metrics> {
        all.into_iter().copied().reduce(|a, b| Metrics {
            ticks: a.ticks.min(b.ticks),
            program_bytes: a.program_bytes.min(b.program_bytes),
            operations_per_robot_tick: a.operations_per_robot_tick.min(b.operations_per_robot_tick),
            energy: a.energy.min(b.energy),
            robots: a.robots.min(b.robots),
            colonists_lost: a.colonists_lost.min(b.colonists_lost),
        })
    }
}

/// How many of `values` fall in each of `bins` equal spans from their least to their most
/// (one bin holds them all when they are equal).
pub fn histogram(values: &[u64], bins: usize) -> Vec<u32> {
    let mut counts = vec![0u32; bins.max(1)];
    let (Some(&low), Some(&high)) = (values.iter().min(), values.iter().max()) else {
        return counts;
    };
    let span = high - low + 1;
    for &v in values {
        let bin = usize::try_from((v - low) * counts.len() as u64 / span).unwrap_or(0);
        if let Some(c) = counts.get_mut(bin) {
            *c += 1;
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_best_is_the_least_of_each_measure() {
        let a = Metrics {
            ticks: 10,
            energy: 50,
            ..Metrics::default()
        };
        let b = Metrics {
            ticks: 20,
            energy: 5,
            robots: 3,
            ..Metrics::default()
        };
        let best = Metrics::best([&a, &b]).unwrap();
        assert_eq!((best.ticks, best.energy, best.robots), (10, 5, 0));
        assert_eq!(Metrics::best([]), None);
    }

    #[test]
    fn a_histogram_spreads_values_over_its_bins() {
        assert_eq!(histogram(&[], 4), vec![0, 0, 0, 0]);
        assert_eq!(histogram(&[7, 7], 3), vec![2, 0, 0]);
        assert_eq!(histogram(&[0, 1, 2, 3, 4, 5, 6, 7], 4), vec![2, 2, 2, 2]);
        assert_eq!(histogram(&[10, 100], 5), vec![1, 0, 0, 0, 1]);
    }
}
