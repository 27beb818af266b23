//! `parkgrid partition`: the partitioner on files, for anyone's data.

use crate::cli::BadInput;
use domain::enterprise::parse_geojson;
use domain::Boundary;
use geojson::{Feature, FeatureCollection, JsonObject};
use partition::{Limits, Site};
use std::path::Path;
use std::time::Instant;

fn bad(path: &Path, what: impl std::fmt::Display) -> anyhow::Error {
    BadInput(vec![format!("{}: {what}", path.display())]).into()
}

pub fn run(enterprises: &Path, boundary: Option<&Path>, limits: Limits, weight_property: Option<&str>, code: &str, out: &Path) -> anyhow::Result<()> {
    if limits.min == 0 || limits.min > limits.max {
        return Err(BadInput(vec![format!("--min {} and --max {}: need 1 ≤ min ≤ max", limits.min, limits.max)]).into());
    }
    let started = Instant::now();
    let text = std::fs::read_to_string(enterprises).map_err(|e| bad(enterprises, e))?;
    let records = parse_geojson(&text).map_err(|problems| BadInput(problems.iter().map(|p| format!("{}: {p}", enterprises.display())).collect()))?;
    let Some(boundary) = boundary else {
        return Err(BadInput(vec!["--boundary is required: deriving a boundary from the points is not implemented yet".into()]).into());
    };
    let area = Boundary::from_geojson_str(&std::fs::read_to_string(boundary).map_err(|e| bad(boundary, e))?).map_err(|e| bad(boundary, e))?;
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
    let result = partition::partition(area.multi_polygon(), &sites, limits, code).map_err(|e| bad(enterprises, e))?;
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
    let q = result.quality(area.multi_polygon(), limits);
    let figures = serde_json::json!({
        "grids": q.grids,
        "min_count": q.min_count,
        "max_count": q.max_count,
        "outside_limits": q.outside_limits,
        "workload_cv": q.workload_cv,
        "worst_deviation": q.worst_deviation,
        "compactness_mean": q.compactness_mean,
        "compactness_min": q.compactness_min,
        "pieces": q.in_pieces,
        "overlap": q.overlap,
        "gap": q.gap,
        "coverage_error": q.coverage_error,
        "seconds": seconds,
        "warnings": result.warnings.iter().map(ToString::to_string).collect::<Vec<_>>(),
    });
    println!("{figures}");
    Ok(())
}
