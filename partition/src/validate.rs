//! Checks a plan (hand-made or computed) against the guarantees the partitioner gives: the
//! grids tile the park, each is one piece, every enterprise is in exactly one grid, counts are
//! within the limits. Each finding names the grids involved and carries the geometry of the
//! problem (WGS84), so an editor can show it.

use crate::cells::ops_for;
use crate::overlay::Ops;
use crate::project::Projection;
use crate::{Limits, Site};
use geo::{Area, BoundingRect, Coord, Intersects, MultiPolygon, Point, Rect};
use rustc_hash::FxHashMap as HashMap;
use std::hash::{Hash, Hasher};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, RTreeObject};

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
/// not findings. An enterprise is in a grid when it lies inside or on its edge, in WGS84 as
/// the stored membership has it (`edit::membership`).
pub fn validate(park: Option<&MultiPolygon<f64>>, grids: &[(String, MultiPolygon<f64>)], sites: &[Site], limits: Limits) -> Vec<Finding> {
    Checker::new(park.cloned(), sites.to_vec()).check(grids, limits).findings
}

/// What [`Checker::check`] finds.
pub struct Checked {
    pub findings: Vec<Finding>,
    /// For each site, the first grid (in the order given) that holds it, as
    /// `edit::membership` gives it.
    pub grid_of: Vec<Option<usize>>,
}

/// The checks of [`validate`] for one park and its enterprises, kept grid by grid between
/// calls: checking a plan that differs from one checked before in a few grids redoes only
/// those grids and the pairs they are in — what an edit in the plan editor needs. The answer
/// is always that of `validate` on the same input.
///
/// City-sized plans (thousands of grids, ten thousand enterprises) are checked through
/// R-trees: a grid's enterprises are looked for only in its box, a grid is checked only
/// against the grids whose box meets its own, and against the park's outline only where an
/// edge of the park crosses its box (elsewhere one corner tells inside from outside).
pub struct Checker {
    park: Option<MultiPolygon<f64>>,
    sites: Vec<Site>,
    site_index: RTree<GeomWithData<[f64; 2], usize>>,
    frame: Option<Frame>,
    grids: HashMap<GridKey, GridFacts>,
    /// The overlap of two grids, if any.
    pairs: HashMap<(GridKey, GridKey), Option<Measured>>,
    /// Counts the checks, to let go of grids no recent check had.
    generation: u64,
}

/// Ground a finding names (WGS84) and its area in square metres.
type Measured = (MultiPolygon<f64>, f64);

/// A grid as the memo knows it: its code and a hash of its shape.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct GridKey {
    code: String,
    shape: u64,
    vertices: usize,
}

impl GridKey {
    fn of(code: &str, area: &MultiPolygon<f64>) -> GridKey {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        let mut vertices = 0;
        // The structure too: one polygon with a hole is not two polygons.
        area.0.len().hash(&mut h);
        for p in &area.0 {
            p.interiors().len().hash(&mut h);
            for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
                ring.0.len().hash(&mut h);
                for c in &ring.0 {
                    c.x.to_bits().hash(&mut h);
                    c.y.to_bits().hash(&mut h);
                }
                vertices += ring.0.len();
            }
        }
        GridKey { code: code.to_owned(), shape: h.finish(), vertices }
    }
}

/// The plane the checks are done in: the projection and the integer grid of the boolean
/// operations. When either would change (a grid reaching beyond what was checked before),
/// everything kept is let go.
struct Frame {
    proj: Projection,
    bounds: Rect<f64>,
    ops: Ops,
    park_m: MultiPolygon<f64>,
    park_edges: RTree<GeomWithData<Rectangle<[f64; 2]>, ()>>,
    tiny: f64,
}

struct GridFacts {
    area_m: MultiPolygon<f64>,
    box_m: Option<Rect<f64>>,
    pieces: usize,
    outside: Option<Measured>,
    /// The sites inside or on the edge, ascending.
    members: Vec<usize>,
    used: u64,
}

impl Checker {
    pub fn new(park: Option<MultiPolygon<f64>>, sites: Vec<Site>) -> Checker {
        let site_index = RTree::bulk_load(sites.iter().enumerate().map(|(i, s)| GeomWithData::new([s.lon, s.lat], i)).collect());
        Checker { park, sites, site_index, frame: None, grids: HashMap::default(), pairs: HashMap::default(), generation: 0 }
    }

    /// The plane for `grids`: the one kept when it still fits, else a new one (and an empty memo).
    fn frame_for(&mut self, grids: &[(String, MultiPolygon<f64>)]) -> &Frame {
        let all = || MultiPolygon(grids.iter().flat_map(|(_, a)| a.0.iter().cloned()).collect::<Vec<_>>());
        let reference = self.park.clone().unwrap_or_else(all);
        let proj = Projection::around(&reference);
        let park_m = proj.forward_mp(&reference);
        let mut extent = park_m.bounding_rect();
        for (_, a) in grids {
            if let Some(b) = a.bounding_rect() {
                let b = Rect::new(proj.forward(b.min().x, b.min().y), proj.forward(b.max().x, b.max().y));
                extent = Some(extent.map_or(b, |e| Rect::new(Coord { x: e.min().x.min(b.min().x), y: e.min().y.min(b.min().y) }, Coord { x: e.max().x.max(b.max().x), y: e.max().y.max(b.max().y) })));
            }
        }
        let bounds = extent.map(|e| MultiPolygon(vec![e.to_polygon()])).map_or_else(|| ops_for(&park_m).bounds, |e| ops_for(&e).bounds);
        let tiny = (park_m.unsigned_area() * 1e-9).max(0.01);
        // Without a park the reference is the grids' own union, whose area sets `tiny`.
        let same = self.frame.as_ref().is_some_and(|f| f.proj == proj && f.bounds == bounds && f.tiny == tiny);
        if !same {
            self.grids.clear();
            self.pairs.clear();
            let park_edges = RTree::bulk_load(
                park_m
                    .0
                    .iter()
                    .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                    .flat_map(|ring| ring.lines())
                    .map(|l| GeomWithData::new(rect(Rect::new(l.start, l.end)), ()))
                    .collect(),
            );
            self.frame = Some(Frame { proj, bounds, ops: Ops::new(bounds), park_m, park_edges, tiny });
        }
        self.frame.as_ref().expect("a frame was just set")
    }

    /// The facts of one grid, computed.
    fn facts(frame: &Frame, has_park: bool, sites: &[Site], site_index: &RTree<GeomWithData<[f64; 2], usize>>, area: &MultiPolygon<f64>) -> GridFacts {
        let g = frame.proj.forward_mp(area);
        let box_m = g.bounding_rect();
        let pieces = frame.ops.union(&[&g]).0.len();
        let mut outside = None;
        if let (true, Some(bb)) = (has_park, box_m) {
            let crosses_outline = frame.park_edges.locate_in_envelope_intersecting(&rect(bb).envelope()).next().is_some();
            let out = if crosses_outline {
                Some(frame.ops.difference(&g, &frame.park_m))
            } else {
                // No edge of the park inside the grid's box: the grid is wholly in or wholly out.
                let corner = g.0.first().and_then(|p| p.exterior().0.first()).copied();
                corner.filter(|c| !frame.park_m.intersects(c)).map(|_| g.clone())
            };
            if let Some(out) = out {
                let a = out.unsigned_area();
                if a > frame.tiny {
                    outside = Some((frame.proj.inverse_mp(&out), a));
                }
            }
        }
        let mut members: Vec<usize> = match area.bounding_rect() {
            Some(b) => site_index
                .locate_in_envelope(&rstar::AABB::from_corners([b.min().x, b.min().y], [b.max().x, b.max().y]))
                .map(|d| d.data)
                .filter(|&i| area.intersects(&Point::new(sites[i].lon, sites[i].lat)))
                .collect(),
            None => vec![],
        };
        members.sort_unstable();
        GridFacts { area_m: g, box_m, pieces, outside, members, used: 0 }
    }

    /// Makes sure the facts of every grid are kept; returns their keys.
    fn grid_keys(&mut self, grids: &[(String, MultiPolygon<f64>)]) -> Vec<GridKey> {
        self.generation += 1;
        self.frame_for(grids);
        let frame = self.frame.as_ref().expect("a frame");
        let has_park = self.park.is_some();
        let keys: Vec<GridKey> = grids.iter().map(|(c, a)| GridKey::of(c, a)).collect();
        for (k, (_, area)) in keys.iter().zip(grids) {
            let f = self.grids.entry(k.clone()).or_insert_with(|| Checker::facts(frame, has_park, &self.sites, &self.site_index, area));
            f.used = self.generation;
        }
        keys
    }

    /// For each site, the first grid (in the order given) that holds it.
    fn first_holders(&self, keys: &[GridKey]) -> Vec<Option<usize>> {
        let mut first = vec![None; self.sites.len()];
        for (i, k) in keys.iter().enumerate().rev() {
            for &s in &self.grids[k].members {
                first[s] = Some(i);
            }
        }
        first
    }

    /// For each site, the first grid (in the order given) that holds it — `edit::membership`.
    pub fn grid_of(&mut self, grids: &[(String, MultiPolygon<f64>)]) -> Vec<Option<usize>> {
        let keys = self.grid_keys(grids);
        let out = self.first_holders(&keys);
        self.let_go(grids.len());
        out
    }

    /// The findings of [`validate`] for `grids`, and each site's grid.
    pub fn check(&mut self, grids: &[(String, MultiPolygon<f64>)], limits: Limits) -> Checked {
        let keys = self.grid_keys(grids);
        let frame = self.frame.as_ref().expect("a frame");
        let facts: Vec<&GridFacts> = keys.iter().map(|k| &self.grids[k]).collect();
        let grid_index = RTree::bulk_load(facts.iter().enumerate().filter_map(|(i, f)| f.box_m.map(|b| GeomWithData::new(rect(b), i))).collect());
        let mut findings = Vec::new();
        for (i, f) in facts.iter().enumerate() {
            let code = &grids[i].0;
            if f.pieces > 1 {
                findings.push(Finding::InPieces { grid: code.clone(), pieces: f.pieces });
            }
            if let Some((area, square_metres)) = &f.outside {
                findings.push(Finding::OutsidePark { grid: code.clone(), area: area.clone(), square_metres: *square_metres });
            }
            let Some(bb) = f.box_m else { continue };
            let mut near: Vec<usize> = grid_index.locate_in_envelope_intersecting(&rect(bb).envelope()).map(|d| d.data).filter(|&j| j > i).collect();
            near.sort_unstable();
            for j in near {
                let overlap = self.pairs.entry((keys[i].clone(), keys[j].clone())).or_insert_with(|| {
                    let both = frame.ops.intersection(&f.area_m, &facts[j].area_m);
                    let a = both.unsigned_area();
                    (a > frame.tiny).then(|| (frame.proj.inverse_mp(&both), a))
                });
                if let Some((area, square_metres)) = overlap {
                    findings.push(Finding::Overlap { grids: [code.clone(), grids[j].0.clone()], area: area.clone(), square_metres: *square_metres });
                }
            }
        }
        if self.park.is_some() {
            let refs: Vec<&MultiPolygon<f64>> = facts.iter().map(|f| &f.area_m).collect();
            let covered = frame.ops.union(&refs);
            let gap = frame.ops.difference(&frame.park_m, &covered);
            let a = gap.unsigned_area();
            if a > frame.tiny {
                findings.push(Finding::Gap { area: frame.proj.inverse_mp(&gap), square_metres: a });
            }
        }
        let mut holders: Vec<Vec<usize>> = vec![Vec::new(); self.sites.len()];
        for (i, f) in facts.iter().enumerate() {
            for &s in &f.members {
                holders[s].push(i);
            }
        }
        let mut counts = vec![0usize; grids.len()];
        for (s, inside) in self.sites.iter().zip(&holders) {
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
        let grid_of = holders.iter().map(|h| h.first().copied()).collect();
        self.let_go(grids.len());
        Checked { findings, grid_of }
    }

    /// Lets go of the grids (and pairs) no recent check had, once the memo holds many more
    /// than a plan: an editor's undo history stays, a day of edits does not pile up.
    fn let_go(&mut self, plan_size: usize) {
        if self.grids.len() <= 4 * plan_size + 1_000 {
            return;
        }
        let recent = self.generation.saturating_sub(16);
        self.grids.retain(|_, f| f.used >= recent);
        // Many large plans in a row (a request may carry thousands of grids): keep the last only.
        if self.grids.len() > 8 * plan_size + 1_000 {
            let now = self.generation;
            self.grids.retain(|_, f| f.used == now);
        }
        let grids = &self.grids;
        self.pairs.retain(|(a, b), _| grids.contains_key(a) && grids.contains_key(b));
    }
}

/// A box as the R-tree takes it.
fn rect(r: Rect<f64>) -> Rectangle<[f64; 2]> {
    Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y])
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{MapCoords, Polygon, polygon};

    /// The checks as first written: every grid against every grid and the whole park, every
    /// enterprise against every grid. The indexed `validate` must find exactly this.
    fn validate_every_pair(park: &MultiPolygon<f64>, grids: &[(String, MultiPolygon<f64>)], sites: &[Site], limits: Limits) -> Vec<Finding> {
        let mut findings = Vec::new();
        let proj = Projection::around(park);
        let park_m = proj.forward_mp(park);
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
            let outside = ops.difference(g, &park_m);
            if outside.unsigned_area() > tiny {
                findings.push(Finding::OutsidePark { grid: code.clone(), area: proj.inverse_mp(&outside), square_metres: outside.unsigned_area() });
            }
            for j in (i + 1)..grids_m.len() {
                let both = ops.intersection(g, &grids_m[j]);
                if both.unsigned_area() > tiny {
                    findings.push(Finding::Overlap { grids: [code.clone(), grids[j].0.clone()], area: proj.inverse_mp(&both), square_metres: both.unsigned_area() });
                }
            }
        }
        let refs: Vec<&MultiPolygon<f64>> = grids_m.iter().collect();
        let gap = ops.difference(&park_m, &ops.union(&refs));
        if gap.unsigned_area() > tiny {
            findings.push(Finding::Gap { area: proj.inverse_mp(&gap), square_metres: gap.unsigned_area() });
        }
        let mut counts = vec![0usize; grids.len()];
        for s in sites {
            let p = Point::new(s.lon, s.lat);
            let inside: Vec<usize> = grids.iter().enumerate().filter(|(_, (_, g))| g.intersects(&p)).map(|(i, _)| i).collect();
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

    /// The finding without its geometry, its area rounded to a square metre.
    fn gist(f: &Finding) -> String {
        match f {
            Finding::Overlap { grids, square_metres, .. } => format!("overlap {grids:?} {square_metres:.0}"),
            Finding::Gap { square_metres, .. } => format!("gap {square_metres:.0}"),
            Finding::OutsidePark { grid, square_metres, .. } => format!("outside {grid} {square_metres:.0}"),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn the_indexed_checks_find_what_checking_every_pair_finds_on_a_real_plan_broken_every_way() {
        let park = domain::Boundary::from_geojson_str(include_str!("../../data/demo/park_zhongli_industrial_area_boundary_derived.geojson")).expect("boundary");
        let park = park.multi_polygon().clone();
        let records = domain::enterprise::parse_geojson(include_str!("../../data/demo/park_zhongli_industrial_area_factories.geojson")).expect("factories");
        let mut sites: Vec<Site> = records.iter().map(|r| Site { id: r.external_id.clone(), lon: r.position.lon, lat: r.position.lat, weight: 1.0 }).collect();
        let plan = crate::partition(&park, &sites, Limits::default(), "ZL").expect("partitions");
        let mut grids: Vec<(String, MultiPolygon<f64>)> = plan.grids.into_iter().map(|g| (g.code, g.area)).collect();
        assert!(validate(Some(&park), &grids, &sites, Limits::default()).is_empty(), "the computed plan is sound");

        // Grid 0 shifted ~300 m east: overlaps its neighbours, leaves a gap, may leave the park.
        grids[0].1 = grids[0].1.map_coords(|c| geo::Coord { x: c.x + 0.003, y: c.y });
        // Grid 1 given a second piece: a copy of a grid that does not touch it.
        let far = (2..grids.len()).find(|&j| !geo::Intersects::intersects(&grids[1].1, &grids[j].1)).expect("a grid apart from grid 1");
        let extra: Polygon<f64> = grids[far].1.0[0].clone();
        grids[1].1.0.push(extra);
        // A grid far outside the park (about 5 km north), holding no enterprise.
        let r = park.bounding_rect().expect("a box");
        let (x, y) = (r.center().x, r.max().y + 0.05);
        grids.push(("ZL999".into(), MultiPolygon(vec![polygon![(x: x, y: y), (x: x + 0.01, y: y), (x: x + 0.01, y: y + 0.01), (x: x, y: y + 0.01), (x: x, y: y)]])));
        // An enterprise on a corner two grids share, and one outside every grid.
        let corner = grids[3].1.0[0].exterior().0.iter().find(|c| grids[4].1.0[0].exterior().0.contains(c)).copied();
        if let Some(c) = corner {
            sites.push(Site { id: "on-a-corner".into(), lon: c.x, lat: c.y, weight: 1.0 });
        }
        sites.push(Site { id: "nowhere".into(), lon: r.min().x - 0.05, lat: r.min().y - 0.05, weight: 1.0 });

        let limits = Limits::default();
        let fast: Vec<String> = validate(Some(&park), &grids, &sites, limits).iter().map(gist).collect();
        let slow: Vec<String> = validate_every_pair(&park, &grids, &sites, limits).iter().map(gist).collect();
        assert_eq!(fast, slow);
        for kind in ["overlap", "gap", "outside", "InPieces", "Unassigned", "OutsideLimits"] {
            assert!(fast.iter().any(|f| f.starts_with(kind)), "the broken plan has a finding of kind {kind}: {fast:#?}");
        }
        if corner.is_some() {
            assert!(fast.iter().any(|f| f.starts_with("InSeveral")), "{fast:#?}");
        }
    }

    #[test]
    fn a_checker_that_has_seen_the_plan_before_an_edit_finds_what_a_fresh_check_finds_after_it() {
        let park = domain::Boundary::from_geojson_str(include_str!("../../data/demo/park_zhongli_industrial_area_boundary_derived.geojson")).expect("boundary");
        let park = park.multi_polygon().clone();
        let records = domain::enterprise::parse_geojson(include_str!("../../data/demo/park_zhongli_industrial_area_factories.geojson")).expect("factories");
        let sites: Vec<Site> = records.iter().map(|r| Site { id: r.external_id.clone(), lon: r.position.lon, lat: r.position.lat, weight: 1.0 }).collect();
        let plan = crate::partition(&park, &sites, Limits::default(), "ZL").expect("partitions");
        let before: Vec<(String, MultiPolygon<f64>)> = plan.grids.into_iter().map(|g| (g.code, g.area)).collect();
        let limits = Limits::default();
        let mut checker = Checker::new(Some(park.clone()), sites.clone());
        assert!(checker.check(&before, limits).findings.is_empty());

        // Merge two neighbours: one grid too many enterprises, the others as they were.
        let (a, b) = (0..before.len())
            .flat_map(|i| (i + 1..before.len()).map(move |j| (i, j)))
            .find(|&(i, j)| crate::edit::apply(&park, &before, &crate::edit::Edit::Merge { a: before[i].0.clone(), b: before[j].0.clone() }).is_ok())
            .expect("two neighbours");
        let merged = crate::edit::apply(&park, &before, &crate::edit::Edit::Merge { a: before[a].0.clone(), b: before[b].0.clone() }).expect("merges");
        // Then a grid shifted ~300 m east, and one moved far outside the park (a new frame).
        let mut shifted = merged.clone();
        shifted[2].1 = shifted[2].1.map_coords(|c| geo::Coord { x: c.x + 0.003, y: c.y });
        let mut far = shifted.clone();
        far[3].1 = far[3].1.map_coords(|c| geo::Coord { x: c.x, y: c.y + 0.05 });
        for (name, grids) in [("merged", &merged), ("shifted", &shifted), ("far", &far), ("back to the start", &before)] {
            let warm = checker.check(grids, limits);
            let fresh: Vec<String> = validate(Some(&park), grids, &sites, limits).iter().map(gist).collect();
            assert_eq!(warm.findings.iter().map(gist).collect::<Vec<_>>(), fresh, "{name}");
            assert_eq!(warm.grid_of, crate::edit::membership(grids, &sites), "{name}: each enterprise's grid");
            assert_eq!(checker.grid_of(grids), warm.grid_of, "{name}");
        }
        assert!(!validate(Some(&park), &shifted, &sites, limits).is_empty(), "the shifted plan has problems to find");
    }
}
