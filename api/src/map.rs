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

/// What the park page carries besides its map: the park, the plan, and a row per grid. The
/// map's own data (a [`MapView`]: every enterprise, every grid's area) is fetched by the map
/// from `GET /api/v1/park` ([`park_map_url`]) beside the page's code, so that the page's
/// data — which the browser reads back as it hydrates — stays small for a city of 10,000
/// enterprises.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParkPage {
    pub park_code: String,
    pub park_name: String,
    pub plan_version: Option<i32>,
    /// The plan shown when it is not the active one (`?plan=ID`).
    pub plan_id: Option<i64>,
    pub enterprise_count: u32,
    pub grids: Vec<GridRow>,
}

/// One grid in the park page's table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GridRow {
    pub code: String,
    pub enterprise_count: u32,
    /// Display names of the workers assigned to it.
    pub workers: Vec<String>,
}

impl ParkPage {
    /// Where the map of this page is: `GET /api/v1/park` for the park (its code is ASCII
    /// letters and digits) or for the plan shown.
    pub fn park_map_url(&self) -> String {
        match self.plan_id {
            Some(id) => format!("/api/v1/park?plan={id}"),
            None => format!("/api/v1/park?park={}", self.park_code),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(plan_id: Option<i64>) -> ParkPage {
        ParkPage {
            park_code: "ZL".into(),
            park_name: "中壢".into(),
            plan_version: Some(3),
            plan_id,
            enterprise_count: 2,
            grids: vec![GridRow { code: "ZL001".into(), enterprise_count: 2, workers: vec!["王".into()] }],
        }
    }

    #[test]
    fn the_park_pages_map_is_the_parks_under_its_active_plan_or_the_plan_shown() {
        assert_eq!(page(None).park_map_url(), "/api/v1/park?park=ZL");
        assert_eq!(page(Some(7)).park_map_url(), "/api/v1/park?plan=7");
    }
}
