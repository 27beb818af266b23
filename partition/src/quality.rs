//! The measures the peers are judged by (`scripts/bench-partition.sh --peer`): balance, size limits, compactness,
//! pieces and coverage.

use crate::project::Projection;
use crate::{Limits, Partition};
use geo::{Area, Euclidean, Length, MultiPolygon};

#[derive(Clone, Debug, PartialEq)]
pub struct Quality {
    pub grids: usize,
    pub min_count: usize,
    pub max_count: usize,
    /// Grids whose enterprise count is outside the limits.
    pub outside_limits: usize,
    /// Coefficient of variation of the workload.
    pub workload_cv: f64,
    /// Worst |workload − mean| / mean.
    pub worst_deviation: f64,
    /// Polsby-Popper 4πA/P², in the metric plane.
    pub compactness_mean: f64,
    pub compactness_min: f64,
    /// Grids made of more than one polygon.
    pub in_pieces: usize,
    /// Overlap: (Σ grid areas − area(∪ grids)) / park area.
    pub overlap: f64,
    /// Gap: |area(park) − area(∪ grids)| / park area, with the park's vertices on the same
    /// integer grid as the grids' (1/2^19 m for a park a few km wide).
    pub gap: f64,
    /// |area(∪ grids) − area(park as given)| / park area: the gap plus the rounding of the
    /// park's vertices to that grid.
    pub coverage_error: f64,
}

pub fn measure(park: &MultiPolygon<f64>, p: &Partition, limits: Limits) -> Quality {
    let proj = Projection::around(park);
    let park_m = proj.forward_mp(park);
    let park_area = park_m.unsigned_area();
    let areas: Vec<MultiPolygon<f64>> = p.grids.iter().map(|g| proj.forward_mp(&g.area)).collect();
    let counts: Vec<usize> = p.grids.iter().map(|g| g.site_ids.len()).collect();
    let loads: Vec<f64> = p.grids.iter().map(|g| g.workload).collect();
    let n = loads.len().max(1) as f64;
    let mean = loads.iter().sum::<f64>() / n;
    let var = loads.iter().map(|w| (w - mean).powi(2)).sum::<f64>() / n;
    let pp: Vec<f64> = areas
        .iter()
        .map(|a| {
            let perimeter: f64 =
                a.0.iter().map(|poly| Euclidean.length(poly.exterior()) + poly.interiors().iter().map(|r| Euclidean.length(r)).sum::<f64>()).sum();
            if perimeter > 0.0 { 4.0 * std::f64::consts::PI * a.unsigned_area() / perimeter.powi(2) } else { 0.0 }
        })
        .collect();
    let sum_areas: f64 = areas.iter().map(|a| a.unsigned_area()).sum();
    let ops = crate::cells::ops_for(&park_m);
    let refs: Vec<&MultiPolygon<f64>> = areas.iter().collect();
    let union = ops.union(&refs);
    let snapped_park_area = ops.union(&[&park_m]).unsigned_area();
    Quality {
        grids: p.grids.len(),
        min_count: counts.iter().copied().min().unwrap_or(0),
        max_count: counts.iter().copied().max().unwrap_or(0),
        outside_limits: counts.iter().filter(|&&c| c < limits.min as usize || c > limits.max as usize).count(),
        workload_cv: if mean > 0.0 { var.sqrt() / mean } else { 0.0 },
        worst_deviation: if mean > 0.0 { loads.iter().map(|w| (w - mean).abs() / mean).fold(0.0, f64::max) } else { 0.0 },
        compactness_mean: pp.iter().sum::<f64>() / n,
        compactness_min: pp.iter().copied().fold(f64::INFINITY, f64::min),
        in_pieces: areas.iter().filter(|a| a.0.len() > 1).count(),
        overlap: (sum_areas - union.unsigned_area()).abs() / park_area,
        gap: (snapped_park_area - union.unsigned_area()).abs() / park_area,
        coverage_error: (union.unsigned_area() - park_area).abs() / park_area,
    }
}

impl Partition {
    /// The quality figures of this partition of `park`.
    pub fn quality(&self, park: &MultiPolygon<f64>, limits: Limits) -> Quality {
        measure(park, self, limits)
    }
}
