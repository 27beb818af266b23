//! Grid plans and grid codes.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Clause 5.3.1: a grid worker serves 20 to 40 enterprises — so a grid holds 20 to 40. The
/// one place these numbers are written: the partitioner's default limits, the plan editor's
/// checks, the workers' flags and the scorecards' load all read it.
pub const WORKER_LOAD: std::ops::RangeInclusive<u32> = 20..=40;

/// A plan's life: drafted, then active (one per park at a time), then retired.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    Draft,
    Active,
    Retired,
}

impl PlanStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PlanStatus::Draft => "draft",
            PlanStatus::Active => "active",
            PlanStatus::Retired => "retired",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [PlanStatus::Draft, PlanStatus::Active, PlanStatus::Retired].into_iter().find(|p| p.as_str() == s)
    }
}

/// A grid's human-readable code: the park code followed by a 3-digit serial, as urban
/// grid-management practice numbers grids (e.g. `ZL007`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct GridCode(String);

impl GridCode {
    /// `serial` starts at 1. Serials above 999 keep all their digits.
    pub fn new(park_code: &str, serial: u32) -> Self {
        GridCode(format!("{park_code}{serial:03}"))
    }

    /// A code read back (from a partition or a file): the park code followed by digits.
    pub fn parse(park_code: &str, code: &str) -> Option<Self> {
        let digits = code.strip_prefix(park_code)?;
        (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then(|| GridCode(code.to_owned()))
    }

    /// A code as stored (already checked when it was made).
    pub fn raw(code: impl Into<String>) -> Self {
        GridCode(code.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for GridCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_codes_are_the_park_code_and_a_three_digit_serial() {
        assert_eq!(GridCode::new("ZL", 7).as_str(), "ZL007");
        assert_eq!(GridCode::new("ZL", 123).as_str(), "ZL123");
        assert_eq!(GridCode::new("ZL", 1234).as_str(), "ZL1234");
    }

    #[test]
    fn a_code_parses_only_with_its_park_prefix_and_digits() {
        assert_eq!(GridCode::parse("ZL", "ZL012"), Some(GridCode::new("ZL", 12)));
        assert_eq!(GridCode::parse("ZL", "XY012"), None);
        assert_eq!(GridCode::parse("ZL", "ZL"), None);
        assert_eq!(GridCode::parse("ZL", "ZL01a"), None);
    }

    #[test]
    fn plan_statuses_round_trip() {
        for s in ["draft", "active", "retired"] {
            assert_eq!(PlanStatus::parse(s).map(PlanStatus::as_str), Some(s));
        }
        assert_eq!(PlanStatus::parse("deleted"), None);
    }
}
