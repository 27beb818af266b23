//! Grid workers and their assignment to grids (网格员管理), with the 5.3.1 flags.

use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// A worker account as the managers' staff page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct WorkerRow {
    pub id: i64,
    pub login: String,
    pub display_name: String,
    pub active: bool,
    /// Codes of the active plan's grids the worker is assigned to.
    pub grids: Vec<String>,
    /// Enterprises in those grids.
    pub enterprise_count: usize,
    /// `no_grid` (active, no grid), `outside_limits` (not 20–40 enterprises, clause 5.3.1), or none.
    pub flag: Option<String>,
}

/// One grid of the active plan with its workers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct GridStaff {
    pub code: String,
    pub enterprise_count: usize,
    /// Active workers: (user id, display name).
    pub workers: Vec<(i64, String)>,
}

/// The managers' staff page: workers and the active plan's grids.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Staff {
    pub plan_version: Option<i32>,
    pub workers: Vec<WorkerRow>,
    pub grids: Vec<GridStaff>,
}
