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
    /// The page's part of `view`, the plan `plan` (`None`: the active one).
    pub fn of(view: &MapView, plan: Option<i64>) -> Self {
        ParkPage {
            park_code: view.park_code.clone(),
            park_name: view.park_name.clone(),
            plan_version: view.plan_version,
            plan_id: plan,
            enterprise_count: u32::try_from(view.enterprises.len()).unwrap_or(u32::MAX),
            grids: view
                .grids
                .iter()
                .map(|g| GridRow { code: g.code.clone(), enterprise_count: g.enterprise_count, workers: g.workers.clone() })
                .collect(),
        }
    }

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

    fn view() -> MapView {
        MapView {
            park_code: "ZL".into(),
            park_name: "中壢".into(),
            park_boundary: Json::Null,
            plan_version: Some(3),
            grids: vec![GridView {
                id: 1,
                code: "ZL001".into(),
                name: "ZL001".into(),
                geometry: Json::Null,
                enterprise_count: 2,
                workers: vec!["王".into()],
            }],
            enterprises: (0..2)
                .map(|i| EnterpriseView {
                    id: i,
                    external_id: i.to_string(),
                    name: "厂".into(),
                    address: None,
                    industry: None,
                    lon: 121.0,
                    lat: 25.0,
                    grid_code: "ZL001".into(),
                    weight: 1.0,
                })
                .collect(),
        }
    }

    #[test]
    fn the_park_page_keeps_the_counts_and_workers_and_its_map_is_the_park_or_the_plan_shown() {
        let page = ParkPage::of(&view(), None);
        assert_eq!((page.enterprise_count, page.grids[0].workers.clone(), page.plan_version), (2, vec!["王".to_string()], Some(3)));
        assert_eq!(page.park_map_url(), "/api/v1/park?park=ZL");
        assert_eq!(ParkPage::of(&view(), Some(7)).park_map_url(), "/api/v1/park?plan=7");
    }
}
