//! `parkgrid partition`: the partitioner on files, for anyone's data.

use crate::cli::BadInput;
use domain::enterprise::parse_geojson;

use domain::Boundary;
use geojson::{Feature, FeatureCollection, JsonObject};
use partition::{Limits, Site};
use std::path::Path;
use std::time::Instant;

/// The buffer and simplification of a boundary derived when none is given, in metres.
pub const DERIVED_BUFFER_M: f64 = 1000.0;
pub const DERIVED_SIMPLIFY_M: f64 = 50.0;

fn bad(path: &Path, what: impl std::fmt::Display) -> anyhow::Error {
    BadInput(vec![format!("{}: {what}", path.display())]).into()
}

fn read_sites(enterprises: &Path, weight_property: Option<&str>) -> anyhow::Result<Vec<Site>> {
    let text = std::fs::read_to_string(enterprises).map_err(|e| bad(enterprises, e))?;
    let records = parse_geojson(&text).map_err(|problems| BadInput(problems.iter().map(|p| format!("{}: {p}", enterprises.display())).collect()))?;
    let mut sites = Vec::with_capacity(records.len());
    for (i, r) in records.iter().enumerate() {
        let weight = match weight_property {
            None => 1.0,
            Some(name) => r
                .attributes
                .get(name)
                .and_then(|v| v.as_f64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok())))
                .filter(|w: &f64| w.is_finite() && *w > 0.0)
                .ok_or_else(|| bad(enterprises, format!("feature {i}: property {name:?} is missing or not a positive number")))?,
        };
        sites.push(Site { id: r.external_id.clone(), lon: r.position.lon, lat: r.position.lat, weight });
    }
    Ok(sites)
}

fn read_boundary(path: &Path) -> anyhow::Result<Boundary> {
    Boundary::from_geojson_str(&std::fs::read_to_string(path).map_err(|e| bad(path, e))?).map_err(|e| bad(path, e))
}

/// Prints the findings of `partition::validate` as JSON; returns how many there are.
/// Grids from a GeoJSON FeatureCollection with a `code` property per feature.
fn read_grids(grids: &Path) -> anyhow::Result<Vec<(String, geo::MultiPolygon<f64>)>> {
    let text = std::fs::read_to_string(grids).map_err(|e| bad(grids, e))?;
    let fc: FeatureCollection = text.parse().map_err(|e: geojson::Error| bad(grids, format!("not a GeoJSON FeatureCollection: {e}")))?;
    let mut plan = Vec::with_capacity(fc.features.len());
    for (i, f) in fc.features.iter().enumerate() {
        let code = f.property("code").and_then(|v| v.as_str()).ok_or_else(|| bad(grids, format!("feature {i}: no \"code\" property")))?;
        let geometry = f.geometry.as_ref().ok_or_else(|| bad(grids, format!("feature {i}: no geometry")))?;
        let area = Boundary::from_geojson_str(&geometry.to_string()).map_err(|e| bad(grids, format!("feature {i} ({code}): {e}")))?;
        plan.push((code.to_owned(), area.multi_polygon().clone()));
    }
    Ok(plan)
}

pub fn validate(grids: &Path, enterprises: &Path, boundary: Option<&Path>, limits: Limits) -> anyhow::Result<usize> {
    let sites = read_sites(enterprises, None)?;
    let park = boundary.map(read_boundary).transpose()?;
    let plan = read_grids(grids)?;
    let findings = partition::validate(park.as_ref().map(|b| b.multi_polygon()), &plan, &sites, limits);
    let geometry = |mp: &geo::MultiPolygon<f64>| serde_json::to_value(Boundary::from_multi_polygon(mp.clone()).to_geojson()).unwrap_or_default();
    let rows: Vec<serde_json::Value> = findings
        .iter()
        .map(|f| {
            use partition::Finding::*;
            let mut row = match f {
                Overlap { grids, area, square_metres } => serde_json::json!({ "grids": grids, "square_metres": square_metres, "geometry": geometry(area) }),
                Gap { area, square_metres } => serde_json::json!({ "square_metres": square_metres, "geometry": geometry(area) }),
                OutsidePark { grid, area, square_metres } => serde_json::json!({ "grids": [grid], "square_metres": square_metres, "geometry": geometry(area) }),
                InPieces { grid, pieces } => serde_json::json!({ "grids": [grid], "pieces": pieces }),
                Unassigned { enterprise } => serde_json::json!({ "enterprise": enterprise }),
                InSeveral { enterprise, grids } => serde_json::json!({ "enterprise": enterprise, "grids": grids }),
                OutsideLimits { grid, count, min, max } => serde_json::json!({ "grids": [grid], "count": count, "min": min, "max": max }),
            };
            row["kind"] = f.kind().into();
            row
        })
        .collect();
    println!("{}", serde_json::json!({ "findings": rows, "count": rows.len() }));
    Ok(findings.len())
}

/// The files of `parkgrid partition`.
pub struct Files<'a> {
    pub enterprises: &'a Path,
    pub boundary: Option<&'a Path>,
    pub previous: Option<&'a Path>,
    pub barriers: Option<&'a Path>,
    pub out: &'a Path,
}

pub fn run(files: &Files, limits: Limits, weight_property: Option<&str>, code: &str) -> anyhow::Result<()> {
    let Files { enterprises, boundary, previous, barriers, out } = *files;
    if limits.min == 0 || limits.min > limits.max {
        return Err(BadInput(vec![format!("--min {} and --max {}: need 1 ≤ min ≤ max", limits.min, limits.max)]).into());
    }
    let started = Instant::now();
    let sites = read_sites(enterprises, weight_property)?;
    // Without a boundary: the union of 1 km discs around the enterprises (see
    // `partition::derive_boundary`).
    let area = match boundary {
        Some(b) => read_boundary(b)?,
        None => Boundary::from_multi_polygon(partition::derive_boundary(&sites, DERIVED_BUFFER_M, DERIVED_SIMPLIFY_M)),
    };
    let previous = previous.map(read_grids).transpose()?.unwrap_or_default();
    let barriers = match barriers {
        Some(path) => domain::geometry::barriers_from_geojson_str(&std::fs::read_to_string(path).map_err(|e| bad(path, e))?).map_err(|e| bad(path, e))?,
        None => Vec::new(),
    };
    let options = partition::Options { previous: &previous, barriers: &barriers };
    let result = partition::partition_with(area.multi_polygon(), &sites, limits, code, &options).map_err(|e| bad(enterprises, e))?;
    let seconds = started.elapsed().as_secs_f64();
    let features = result
        .grids
        .iter()
        .map(|g| {
            let mut props = JsonObject::new();
            props.insert("code".into(), g.code.clone().into());
            props.insert("enterprise_ids".into(), g.site_ids.clone().into());
            props.insert("enterprise_count".into(), g.site_ids.len().into());
            props.insert("workload".into(), g.workload.into());
            Feature { geometry: Some(Boundary::from_multi_polygon(g.area.clone()).to_geojson()), properties: Some(props), ..Default::default() }
        })
        .collect();
    let fc = FeatureCollection { bbox: None, features, foreign_members: None };
    std::fs::write(out, fc.to_string()).map_err(|e| bad(out, e))?;
    let figures = serde_json::to_value(store::plans::figures(&result, area.multi_polygon(), limits, seconds))?;
    println!("{figures}");
    Ok(())
}
