//! Checks a plan (hand-made or computed) against the guarantees the partitioner gives: the
//! grids tile the park, each is one piece, every enterprise is in exactly one grid, counts are
//! within the limits. Each finding names the grids involved and carries the geometry of the
//! problem (WGS84), so an editor can show it.

use crate::cells::ops_for;
use crate::project::Projection;
use crate::{Limits, Site};
use geo::{Area, BoundingRect, Intersects, MultiPolygon, Point};

#[derive(Clone, Debug, PartialEq)]
pub enum Finding {
    /// Two grids cover the same ground.
    Overlap { grids: [String; 2], area: MultiPolygon<f64>, square_metres: f64 },
    /// Ground of the park in no grid.
    Gap { area: MultiPolygon<f64>, square_metres: f64 },
    /// A grid reaching outside the park.
    OutsidePark { grid: String, area: MultiPolygon<f64>, square_metres: f64 },
    /// A grid made of several separate polygons.
    InPieces { grid: String, pieces: usize },
    /// An enterprise in no grid.
    Unassigned { enterprise: String },
    /// An enterprise inside (or on the edge of) more than one grid.
    InSeveral { enterprise: String, grids: Vec<String> },
    /// A grid with a count outside the limits.
    OutsideLimits { grid: String, count: usize, min: u32, max: u32 },
}

impl Finding {
    pub fn kind(&self) -> &'static str {
        match self {
            Finding::Overlap { .. } => "overlap",
            Finding::Gap { .. } => "gap",
            Finding::OutsidePark { .. } => "outside_park",
            Finding::InPieces { .. } => "in_pieces",
            Finding::Unassigned { .. } => "unassigned",
            Finding::InSeveral { .. } => "in_several",
            Finding::OutsideLimits { .. } => "outside_limits",
        }
    }
}

/// Validates `grids` (code, area in WGS84) against the park (or, without one, against their
/// own union) and the enterprises. Areas below `1e-9` of the park, or 0.01 m², are rounding,
/// not findings.
pub fn validate(park: Option<&MultiPolygon<f64>>, grids: &[(String, MultiPolygon<f64>)], sites: &[Site], limits: Limits) -> Vec<Finding> {
    let mut findings = Vec::new();
    let all: MultiPolygon<f64> = MultiPolygon(grids.iter().flat_map(|(_, a)| a.0.iter().cloned()).collect());
    let reference = park.cloned().unwrap_or_else(|| all.clone());
    let proj = Projection::around(&reference);
    let park_m = proj.forward_mp(&reference);
    let grids_m: Vec<MultiPolygon<f64>> = grids.iter().map(|(_, a)| proj.forward_mp(a)).collect();
    let mut extent = park_m.clone();
    extent.0.extend(grids_m.iter().flat_map(|g| g.0.iter().cloned()));
    let ops = ops_for(&extent);
    let tiny = (park_m.unsigned_area() * 1e-9).max(0.01);

    for (i, g) in grids_m.iter().enumerate() {
        let code = &grids[i].0;
        let normal = ops.union(&[g]);
        if normal.0.len() > 1 {
            findings.push(Finding::InPieces { grid: code.clone(), pieces: normal.0.len() });
        }
        if park.is_some() {
            let outside = ops.difference(g, &park_m);
            let a = outside.unsigned_area();
            if a > tiny {
                findings.push(Finding::OutsidePark { grid: code.clone(), area: proj.inverse_mp(&outside), square_metres: a });
            }
        }
        for j in (i + 1)..grids_m.len() {
            let (Some(ba), Some(bb)) = (g.bounding_rect(), grids_m[j].bounding_rect()) else {
                continue;
            };
            if !ba.intersects(&bb) {
                continue;
            }
            let both = ops.intersection(g, &grids_m[j]);
            let a = both.unsigned_area();
            if a > tiny {
                findings.push(Finding::Overlap { grids: [code.clone(), grids[j].0.clone()], area: proj.inverse_mp(&both), square_metres: a });
            }
        }
    }
    if park.is_some() {
        let refs: Vec<&MultiPolygon<f64>> = grids_m.iter().collect();
        let covered = ops.union(&refs);
        let gap = ops.difference(&park_m, &covered);
        let a = gap.unsigned_area();
        if a > tiny {
            findings.push(Finding::Gap { area: proj.inverse_mp(&gap), square_metres: a });
        }
    }
    let mut counts = vec![0usize; grids.len()];
    for s in sites {
        let p = Point::from(proj.forward(s.lon, s.lat));
        let inside: Vec<usize> = grids_m.iter().enumerate().filter(|(_, g)| g.intersects(&p)).map(|(i, _)| i).collect();
        match inside.len() {
            0 => findings.push(Finding::Unassigned { enterprise: s.id.clone() }),
            1 => counts[inside[0]] += 1,
            _ => findings.push(Finding::InSeveral { enterprise: s.id.clone(), grids: inside.iter().map(|&i| grids[i].0.clone()).collect() }),
        }
    }
    for (i, &c) in counts.iter().enumerate() {
        if c < limits.min as usize || c > limits.max as usize {
            findings.push(Finding::OutsideLimits { grid: grids[i].0.clone(), count: c, min: limits.min, max: limits.max });
        }
    }
    findings
}
