//! The park map: enterprises and grids as the map draws them.

use crate::one;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

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
    /// Workload weight (1 = an ordinary enterprise).
    #[serde(default = "one")]
    pub weight: f64,
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
