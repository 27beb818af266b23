//! Grid plans: computing one, its figures, and what changes between two.

use crate::PlanStatus;
use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// `POST /api/v1/plans`: compute a draft plan with the partitioner.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewPlan {
    /// Fewest enterprises per grid (default 20, clause 5.3.1).
    pub min: Option<u32>,
    /// Most enterprises per grid (default 40).
    pub max: Option<u32>,
    pub name: Option<String>,
}

/// The partitioner's quality figures of a plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PlanFigures {
    pub grids: usize,
    pub min_count: usize,
    pub max_count: usize,
    pub outside_limits: usize,
    pub workload_cv: f64,
    pub worst_deviation: f64,
    pub compactness_mean: f64,
    pub compactness_min: f64,
    pub pieces: usize,
    /// Overlap between grids, as a share of the park's area.
    pub overlap: f64,
    /// Ground of the park in no grid, as a share of its area.
    pub gap: f64,
    pub coverage_error: f64,
    pub seconds: f64,
    pub warnings: Vec<String>,
}

/// A grid plan of a park.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PlanSummary {
    pub id: i64,
    pub version: i32,
    pub name: String,
    pub status: PlanStatus,
    pub grid_count: usize,
    pub figures: Option<PlanFigures>,
}

/// One enterprise that lies in different grids under two plans.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct GridMove {
    pub enterprise_id: i64,
    pub name: String,
    /// Its grid's code under the first plan (None: in no grid).
    pub from: Option<String>,
    pub to: Option<String>,
    /// The workers assigned to those grids (display names).
    pub from_workers: Vec<String>,
    pub to_workers: Vec<String>,
}

/// `GET /api/v1/plans/{a}/diff/{b}`: which enterprises change grid, and so worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PlanDiff {
    pub from_plan: i64,
    pub to_plan: i64,
    /// Enterprises of the park that stay in a grid with the same code.
    pub unchanged: usize,
    pub moves: Vec<GridMove>,
}
