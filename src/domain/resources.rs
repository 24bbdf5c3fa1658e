//! The resources a colony stores and robots carry, and amounts of them.

use serde::{Deserialize, Serialize};

/// The stored resources.
#[derive(
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Debug,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Resource {
    Regolith,
    Ice,
    Water,
    Oxygen,
}

impl Resource {
    pub const ALL: [Resource; 4] = [
        Resource::Regolith,
        Resource::Ice,
        Resource::Water,
        Resource::Oxygen,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Resource::Regolith => "regolith",
            Resource::Ice => "ice",
            Resource::Water => "water",
            Resource::Oxygen => "oxygen",
        }
    }

    pub fn parse(name: &str) -> Option<Resource> {
        Resource::ALL.into_iter().find(|r| r.name() == name)
    }
}

/// An amount of each stored resource. Whole units: the economy never uses floats, so every
/// replay on every machine lands on the same numbers.
#[derive(
    Clone, Copy, PartialEq, Eq, Debug, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields, default)]
pub struct Stock {
    pub regolith: u32,
    pub ice: u32,
    pub water: u32,
    pub oxygen: u32,
}

impl Stock {
    pub fn get(&self, resource: Resource) -> u32 {
        match resource {
            Resource::Regolith => self.regolith,
            Resource::Ice => self.ice,
            Resource::Water => self.water,
            Resource::Oxygen => self.oxygen,
        }
    }

    pub fn get_mut(&mut self, resource: Resource) -> &mut u32 {
        match resource {
            Resource::Regolith => &mut self.regolith,
            Resource::Ice => &mut self.ice,
            Resource::Water => &mut self.water,
            Resource::Oxygen => &mut self.oxygen,
        }
    }

    pub fn is_empty(&self) -> bool {
        Resource::ALL.iter().all(|r| self.get(*r) == 0)
    }

    /// Every amount `n` times over.
    pub fn times(&self, n: u32) -> Stock {
        let mut out = Stock::default();
        for r in Resource::ALL {
            *out.get_mut(r) = self.get(r).saturating_mul(n);
        }
        out
    }

    /// Whether every amount here is at least `other`'s.
    pub fn covers(&self, other: &Stock) -> bool {
        Resource::ALL.iter().all(|r| self.get(*r) >= other.get(*r))
    }

    /// What `self` still lacks to reach `target`.
    pub fn shortfall(&self, target: &Stock) -> Stock {
        let mut missing = Stock::default();
        for r in Resource::ALL {
            *missing.get_mut(r) = target.get(r).saturating_sub(self.get(r));
        }
        missing
    }

    pub fn add(&mut self, other: &Stock) {
        for r in Resource::ALL {
            let amount = self.get_mut(r);
            *amount = amount.saturating_add(other.get(r));
        }
    }

    /// Takes `other` away; the caller checked it is covered.
    pub fn take(&mut self, other: &Stock) {
        for r in Resource::ALL {
            let amount = self.get_mut(r);
            *amount = amount.saturating_sub(other.get(r));
        }
    }

    /// Up to `wanted` of each resource, as much as there is.
    pub fn take_up_to(&mut self, wanted: &Stock) -> Stock {
        let mut taken = Stock::default();
        for r in Resource::ALL {
            let amount = self.get_mut(r);
            let part = (*amount).min(wanted.get(r));
            *amount -= part;
            *taken.get_mut(r) = part;
        }
        taken
    }

    pub fn total(&self) -> u64 {
        Resource::ALL.iter().map(|r| u64::from(self.get(*r))).sum()
    }
}
