//! The wire: every type that crosses between the server and a client (the browser app, the
//! field app's sync, third parties) lives here and nowhere else.
//!
//! **Architecture invariant:** these are plain serde types. They never hold database models;
//! the server maps its models into them. A change here is an API change: keep fields additive.

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

pub use domain::{PlanStatus, Role};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// `POST /api/v1/session` body.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SignIn {
    pub login: String,
    pub password: String,
}

/// A grid, as named to the people who work in it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct GridRef {
    pub id: i64,
    pub code: String,
    pub name: String,
}

/// The signed-in user.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Me {
    pub id: i64,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    /// The grids of the active plan this user is assigned to (workers only).
    pub grids: Vec<GridRef>,
}

/// An error as every API route and server function reports it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ApiError {
    /// Stable machine-readable code: `unauthenticated`, `forbidden`, `bad_credentials`,
    /// `throttled`, `not_found`, `invalid_input`, `internal`.
    pub error: String,
    /// A sentence for people.
    pub message: String,
}

/// One enterprise as the map and the list show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct EnterpriseView {
    pub id: i64,
    pub external_id: String,
    pub name: String,
    pub address: Option<String>,
    pub industry: Option<String>,
    pub lon: f64,
    pub lat: f64,
    pub grid_code: String,
}

/// One grid with its area (a GeoJSON geometry) and figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct GridView {
    pub id: i64,
    pub code: String,
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub geometry: Json,
    pub enterprise_count: u32,
    /// Display names of the workers assigned to it.
    pub workers: Vec<String>,
}

/// What a map page needs: the park, the grids in view and their enterprises.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MapView {
    pub park_code: String,
    pub park_name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub park_boundary: Json,
    pub plan_version: Option<i32>,
    pub grids: Vec<GridView>,
    pub enterprises: Vec<EnterpriseView>,
}

/// `GET /health`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Health {
    pub status: String,
    pub database: String,
    pub version: String,
}

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
