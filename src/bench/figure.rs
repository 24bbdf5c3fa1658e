//! What the bench reports, figure by figure, and how it fails: shared by the bench's own
//! measurements and the robot game's.

use std::time::Instant;

use serde::Serialize;

#[derive(Serialize)]
pub struct Figure {
    pub name: &'static str,
    pub unit: &'static str,
    pub ours: f64,
    pub baseline: Option<f64>,
    pub ratio: Option<f64>,
    pub target: &'static str,
    pub met: bool,
}

#[derive(Debug)]
pub struct BenchError(pub String);

impl std::fmt::Display for BenchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BenchError {}

pub(super) fn err(e: impl std::fmt::Display) -> BenchError {
    BenchError(e.to_string())
}

pub(super) fn seconds(since: Instant) -> f64 {
    since.elapsed().as_secs_f64()
}
