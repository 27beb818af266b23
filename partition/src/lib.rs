//! The grid partitioner: divides a park into grids (网格划分, clause 6.1.1) that
//! - tile the park exactly (union = park, no overlap, no gap),
//! - are each one polygon,
//! - hold a balanced workload, within `[min, max]` enterprises where the input allows it
//!   (clause 5.3.1: one worker per 20–40 enterprises),
//! - never separate enterprises at the same coordinate,
//! - come out the same for the same input.
//!
//! # How
//! 1. Enterprises at one coordinate become one *unit* with their summed weight.
//! 2. Each unit gets its Voronoi cell (spade's Delaunay triangulation), clipped to the park:
//!    the cells tile the park exactly because neighbouring cells share bit-identical edges.
//! 3. Units are *adjacent* when their cells share an edge inside the park.
//! 4. Recursive inertial bisection on that graph: a region is split across its principal axis
//!    at the weight share of its grid count; connectivity is then repaired (stray components
//!    change sides) and the balance restored by moving boundary units that are not
//!    articulation points. Both halves stay connected, so every grid is one piece.
//! 5. The polish: counts brought within the limits, each pair of neighbouring grids re-cut
//!    along the straight line that makes the two most compact (Polsby-Popper), borders
//!    shortened unit by unit, workloads evened out between neighbours and along chains of
//!    grids. Small parks are partitioned several times from differently turned first cuts
//!    and the most compact result kept.
//! 6. A grid's polygon is the union of its units' cells.
//!
//! # Units
//! Input and output coordinates are WGS84 longitude/latitude. Internally everything is
//! computed in metres in a local equirectangular projection around the park's centre (an
//! affine map, so tiling is preserved); compactness and areas are reported in that plane.
//!
//! **Architecture invariant:** no IO, no randomness, no clock: the same input gives the same
//! output.

mod boundary;
mod cells;
pub mod edit;
mod graph;
mod overlay;
mod project;
mod quality;
pub mod synthetic;
mod validate;

pub use quality::Quality;
pub use validate::{Checked, Checker, Finding, validate};

use geo::{Centroid, LineString, MultiPolygon, Point};
use project::Projection;

/// One enterprise to place.
#[derive(Clone, Debug, PartialEq)]
pub struct Site {
    pub id: String,
    pub lon: f64,
    pub lat: f64,
    /// Workload weight; 1.0 per enterprise by default.
    pub weight: f64,
}

/// Enterprises per grid (clause 5.3.1).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    pub min: u32,
    pub max: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { min: *domain::grid::WORKER_LOAD.start(), max: *domain::grid::WORKER_LOAD.end() }
    }
}

/// One grid of a partition.
#[derive(Clone, Debug)]
pub struct Grid {
    /// Park code + 3-digit serial, numbered in reading order (rows north→south, west→east
    /// within a row).
    pub code: String,
    /// WGS84 lon/lat.
    pub area: MultiPolygon<f64>,
    /// Ids of the sites in the grid, in input order.
    pub site_ids: Vec<String>,
    pub workload: f64,
}

/// Something the partition could not satisfy, said plainly.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum Warning {
    /// Fewer enterprises than `min` in a piece of the park that must be its own grid.
    #[error("grid {grid} has only {count} enterprise(s), fewer than {min}: its part of the park holds no more")]
    TooFewEnterprises { grid: String, count: u32, min: u32 },
    /// More than `max` enterprises in a grid (e.g. one address with more tenants than `max`).
    #[error("grid {grid} has {count} enterprises, more than {max}")]
    TooManyEnterprises { grid: String, count: u32, max: u32 },
    /// A part of the park with no enterprise and no neighbouring grid, given to the nearest
    /// grid, which is therefore in pieces.
    #[error("grid {grid} includes a part of the park that has no enterprise and touches no other grid, so it is in pieces")]
    EmptyArea { grid: String },
    /// A part of the park that the barriers cut off and that has no enterprise, given to a
    /// neighbouring grid, which therefore crosses a barrier.
    #[error("grid {grid} also covers a part of the park that barriers cut off and that has no enterprise, so it crosses a barrier")]
    EmptyPiece { grid: String },
}

#[derive(Clone, Debug)]
pub struct Partition {
    pub grids: Vec<Grid>,
    pub warnings: Vec<Warning>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum PartitionError {
    #[error("no enterprise to partition")]
    NoSites,
    #[error("enterprise {id:?} ({lon}, {lat}) lies outside the park boundary")]
    OutsideBoundary { id: String, lon: f64, lat: f64 },
    #[error("enterprise {id:?} has a weight of {weight}; weights must be positive and finite")]
    BadWeight { id: String, weight: f64 },
    #[error("enterprise id {0:?} appears twice")]
    DuplicateId(String),
}

/// A boundary for enterprises that come without one: the union of `buffer_m`-metre discs
/// around them, simplified by `simplify_m` metres (topology kept). Every site lies inside.
pub fn derive_boundary(sites: &[Site], buffer_m: f64, simplify_m: f64) -> MultiPolygon<f64> {
    boundary::derive(sites, buffer_m, simplify_m)
}

/// Partitions `sites` inside `park` into grids named `{park_code}001`, `{park_code}002`, …
pub fn partition(park: &MultiPolygon<f64>, sites: &[Site], limits: Limits, park_code: &str) -> Result<Partition, PartitionError> {
    partition_from(park, sites, limits, park_code, &[])
}

/// Like [`partition`], but starting from a previous plan (`(code, area)` in WGS84) so that
/// grids stay where they were: enterprises keep their grid unless the limits or the balance
/// need a change, and a grid that survives keeps its code. New grids get the next free
/// serials.
pub fn partition_from(
    park: &MultiPolygon<f64>,
    sites: &[Site],
    limits: Limits,
    park_code: &str,
    previous: &[(String, MultiPolygon<f64>)],
) -> Result<Partition, PartitionError> {
    partition_with(park, sites, limits, park_code, &Options { previous, barriers: &[] })
}

/// What a partition may also take into account.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options<'a> {
    /// A previous plan, `(code, area)` in WGS84: see [`partition_from`].
    pub previous: &'a [(String, MultiPolygon<f64>)],
    /// Roads, rivers and the like (WGS84 lines). Where they cut the park into pieces, every
    /// grid lies in one piece and grid edges run along them; a line that cuts nothing off
    /// still keeps enterprises on its two sides apart wherever the rest of its piece stays
    /// connected without crossing it.
    pub barriers: &'a [LineString<f64>],
}

/// The general form of [`partition`] and [`partition_from`].
pub fn partition_with(park: &MultiPolygon<f64>, sites: &[Site], limits: Limits, park_code: &str, options: &Options) -> Result<Partition, PartitionError> {
    let previous = options.previous;
    if sites.is_empty() {
        return Err(PartitionError::NoSites);
    }
    let mut seen = std::collections::HashSet::new();
    for s in sites {
        if !(s.weight.is_finite() && s.weight > 0.0) {
            return Err(PartitionError::BadWeight { id: s.id.clone(), weight: s.weight });
        }
        if !seen.insert(s.id.as_str()) {
            return Err(PartitionError::DuplicateId(s.id.clone()));
        }
    }
    let proj = Projection::around(park);
    let park_m = proj.forward_mp(park);
    let barriers_m: Vec<LineString<f64>> = options.barriers.iter().map(|l| proj.forward_ls(l)).collect();
    let mesh = cells::build(&park_m, sites, &proj, &barriers_m)?;
    let regions: Vec<(Vec<usize>, Option<usize>)> = if previous.is_empty() {
        graph::partition(&mesh, limits).into_iter().map(|r| (r, None)).collect()
    } else {
        use geo::Intersects;
        let prev_m: Vec<MultiPolygon<f64>> = previous.iter().map(|(_, a)| proj.forward_mp(a)).collect();
        let assignment: Vec<Option<usize>> = mesh.units.iter().map(|u| prev_m.iter().position(|a| a.intersects(&geo::Point::from(u.pos)))).collect();
        let warm = graph::from_previous(&mesh, &assignment, limits);
        // Starting from a previous plan must never cost feasibility (a plan of 20–40 split for
        // 15–25 gives halves of 14): when the warm start leaves grids outside the limits and a
        // partition from scratch leaves fewer, take that one, each of its grids keeping the
        // previous code that holds most of its enterprises.
        let outside = |r: &Vec<usize>| !(limits.min..=limits.max).contains(&graph::count_of(&mesh, r));
        let warm_outside = warm.iter().filter(|(r, _)| outside(r)).count();
        if warm_outside == 0 {
            warm
        } else {
            let cold = graph::partition(&mesh, limits);
            if cold.iter().filter(|r| outside(r)).count() < warm_outside { graph::keep_codes(&mesh, cold, &assignment) } else { warm }
        }
    };

    // Areas: the union of the members' cells, clipped to the park.
    let mut grids: Vec<(MultiPolygon<f64>, Vec<usize>, f64, Option<usize>)> = regions
        .into_iter()
        .map(|(units, prev)| {
            let cells: Vec<MultiPolygon<f64>> = units.iter().map(|&u| MultiPolygon(vec![mesh.units[u].cell.clone()])).collect();
            let refs: Vec<&MultiPolygon<f64>> = cells.iter().collect();
            let piece = MultiPolygon(vec![mesh.pieces.0[mesh.units[units[0]].piece].clone()]);
            let area = mesh.ops.intersection(&mesh.ops.union(&refs), &piece);
            let mut members: Vec<usize> = units.iter().flat_map(|&u| mesh.units[u].sites.iter().copied()).collect();
            members.sort_unstable();
            let w = members.iter().map(|&i| sites[i].weight).sum();
            (area, members, w, prev)
        })
        .collect();
    let (orphans, empty_pieces) = reattach_strays(&mut grids, sites, &proj, &mesh);
    order_for_reading(&mut grids);

    // Codes: a grid continuing a previous one keeps its code (the first claimant only); the
    // others take the next serials after the highest in use, in reading order.
    let serial_of = |code: &str| code.strip_prefix(park_code).and_then(|d| d.parse::<u32>().ok());
    let mut next = previous.iter().filter_map(|(c, _)| serial_of(c)).max().unwrap_or(0) + 1;
    let mut claimed = std::collections::HashSet::new();
    let codes: Vec<String> = grids
        .iter()
        .map(|g| match g.3.filter(|&p| claimed.insert(p)) {
            Some(p) => previous[p].0.clone(),
            None => {
                next += 1;
                format!("{park_code}{:03}", next - 1)
            }
        })
        .collect();
    let mut order: Vec<usize> = (0..grids.len()).collect();
    order.sort_by(|&a, &b| codes[a].cmp(&codes[b]));
    let mut slots: Vec<Option<(MultiPolygon<f64>, Vec<usize>, f64, Option<usize>)>> = grids.into_iter().map(Some).collect();
    let grids: Vec<(String, MultiPolygon<f64>, Vec<usize>, f64)> =
        order.into_iter().filter_map(|i| slots[i].take().map(|(a, m, w, _)| (codes[i].clone(), a, m, w))).collect();

    let mut warnings = Vec::new();
    let out: Vec<Grid> = grids
        .into_iter()
        .map(|(code, area, members, workload)| {
            let n = members.len() as u32;
            if n < limits.min {
                warnings.push(Warning::TooFewEnterprises { grid: code.clone(), count: n, min: limits.min });
            }
            if n > limits.max {
                warnings.push(Warning::TooManyEnterprises { grid: code.clone(), count: n, max: limits.max });
            }
            Grid { code, area: proj.inverse_mp(&area), site_ids: members.iter().map(|&i| sites[i].id.clone()).collect(), workload }
        })
        .collect();
    for g in &out {
        if g.area.0.len() > 1 && orphans > 0 {
            warnings.push(Warning::EmptyArea { grid: g.code.clone() });
        }
    }
    for p in empty_pieces {
        use geo::Intersects;
        let p = geo::Point::from(proj.inverse(p.0));
        if let Some(g) = out.iter().find(|g| g.area.intersects(&p)) {
            let w = Warning::EmptyPiece { grid: g.code.clone() };
            if !warnings.contains(&w) {
                warnings.push(w);
            }
        }
    }
    Ok(Partition { grids: out, warnings })
}

/// A grid's area can come out in pieces where a member's cell reaches across a bend of the
/// park boundary: the piece holding the grid's enterprises stays, every other piece (it holds
/// no enterprise) joins a grid it shares an edge with. Returns how many pieces found no such
/// grid (parts of the park with no enterprise at all), and a point inside each piece of the
/// park without enterprises that joined a neighbouring grid (metres).
fn reattach_strays(
    grids: &mut [(MultiPolygon<f64>, Vec<usize>, f64, Option<usize>)],
    sites: &[Site],
    proj: &Projection,
    mesh: &cells::Mesh,
) -> (usize, Vec<Point<f64>>) {
    use geo::{Area, BoundingRect, InteriorPoint, Intersects};
    let mut joined = Vec::new();
    let mut strays: Vec<(usize, geo::Polygon<f64>)> = Vec::new();
    // Pieces of the park without any enterprise.
    for (i, piece) in mesh.pieces.0.iter().enumerate() {
        if !mesh.units.iter().any(|u| u.piece == i) {
            strays.push((usize::MAX, piece.clone()));
        }
    }
    for (gi, g) in grids.iter_mut().enumerate() {
        if g.0.0.len() <= 1 {
            continue;
        }
        let holds = |p: &geo::Polygon<f64>| g.1.iter().filter(|&&i| p.intersects(&Point::from(proj.forward(sites[i].lon, sites[i].lat)))).count();
        let keep = (0..g.0.0.len())
            .max_by(|&a, &b| holds(&g.0.0[a]).cmp(&holds(&g.0.0[b])).then(g.0.0[a].unsigned_area().total_cmp(&g.0.0[b].unsigned_area())))
            .unwrap_or(0);
        let polys = std::mem::take(&mut g.0.0);
        for (i, p) in polys.into_iter().enumerate() {
            if i == keep {
                g.0.0.push(p);
            } else {
                strays.push((gi, p));
            }
        }
    }
    let mut orphans = 0;
    for (from, piece) in strays {
        let bb = piece.bounding_rect();
        let mut target = None;
        for (gi, g) in grids.iter().enumerate() {
            if gi == from || g.0.bounding_rect().zip(bb).is_none_or(|(a, b)| !a.intersects(&b)) {
                continue;
            }
            let merged = mesh.ops.union2(&g.0, &MultiPolygon(vec![piece.clone()]));
            if merged.0.len() <= g.0.0.len() {
                target = Some((gi, merged));
                break;
            }
        }
        match target {
            Some((gi, merged)) => {
                if from == usize::MAX {
                    joined.extend(piece.interior_point());
                }
                grids[gi].0 = merged
            }
            None => {
                orphans += 1;
                // A piece with no enterprise and no neighbouring grid: the nearest grid takes it.
                let to = if from == usize::MAX { nearest_grid(grids, &piece) } else { from };
                if let Some(g) = grids.get_mut(to) {
                    g.0.0.push(piece);
                }
            }
        }
    }
    (orphans, joined)
}

fn nearest_grid(grids: &[(MultiPolygon<f64>, Vec<usize>, f64, Option<usize>)], piece: &geo::Polygon<f64>) -> usize {
    use geo::{Distance, Euclidean};
    let Some(c) = piece.centroid() else { return 0 };
    (0..grids.len())
        .min_by(|&a, &b| {
            let da = grids[a].0.centroid().map_or(f64::MAX, |g| Euclidean.distance(g, c));
            let db = grids[b].0.centroid().map_or(f64::MAX, |g| Euclidean.distance(g, c));
            da.total_cmp(&db)
        })
        .unwrap_or(0)
}

/// Reading order: rows north→south (row height = the typical grid size), west→east within
/// a row, by centroid.
fn order_for_reading(grids: &mut [(MultiPolygon<f64>, Vec<usize>, f64, Option<usize>)]) {
    use geo::Area;
    let total: f64 = grids.iter().map(|g| g.0.unsigned_area()).sum();
    let row = (total / grids.len().max(1) as f64).sqrt().max(1e-9);
    let key = |mp: &MultiPolygon<f64>| mp.centroid().map(|c| (c.x(), c.y())).unwrap_or((0.0, 0.0));
    let top = grids.iter().map(|g| key(&g.0).1).fold(f64::NEG_INFINITY, f64::max);
    grids.sort_by(|a, b| {
        let (ax, ay) = key(&a.0);
        let (bx, by) = key(&b.0);
        let (ra, rb) = (((top - ay) / row).floor() as i64, ((top - by) / row).floor() as i64);
        ra.cmp(&rb).then(ax.total_cmp(&bx))
    });
}
