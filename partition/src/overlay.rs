//! Boolean operations on one fixed integer grid.
//!
//! i_overlay turns floats into integers with a scale chosen per operation; two operations
//! over different extents would round the same point differently, and neighbouring grids
//! would then overlap or leave gaps of a micrometre. Every operation of a partition goes
//! through one [`Ops`], whose scale is fixed by the park's extent, so a point shared by two
//! grids is rounded to the same integer point in both.

use geo::{Coord, LineString, MultiPolygon, Polygon, Rect};
use i_overlay::core::fill_rule::FillRule;
use i_overlay::core::overlay_rule::OverlayRule;
use i_overlay::core::solver::Solver;
use i_overlay::float::overlay::{FloatOverlay, OverlayOptions};
use i_overlay::i_float::adapter::FloatPointAdapter;
use i_overlay::i_float::float::rect::FloatRect;
use i_overlay::i_shape::base::data::Shapes;

pub struct Ops {
    adapter: FloatPointAdapter<[f64; 2], f64>,
    /// Every input must lie inside this rectangle.
    pub bounds: Rect<f64>,
    /// Keep collinear vertices (a hand edit must not drop the corner a neighbour shares).
    keep_collinear: bool,
}

impl Ops {
    /// Operations on shapes inside `bounds`.
    pub fn new(bounds: Rect<f64>) -> Ops {
        let rect = FloatRect { min_x: bounds.min().x, max_x: bounds.max().x, min_y: bounds.min().y, max_y: bounds.max().y };
        Ops { adapter: FloatPointAdapter::new(rect), bounds, keep_collinear: false }
    }

    /// Like [`Ops::new`], but every vertex of the input that survives stays in the output,
    /// collinear or not: a vertex on a straight stretch may be the corner of a neighbour.
    pub fn keeping_vertices(bounds: Rect<f64>) -> Ops {
        Ops { keep_collinear: true, ..Ops::new(bounds) }
    }

    fn options(&self) -> OverlayOptions<f64> {
        OverlayOptions { preserve_input_collinear: self.keep_collinear, preserve_output_collinear: self.keep_collinear, ..OverlayOptions::ogc() }
    }

    fn run(&self, subject: &[&MultiPolygon<f64>], clip: &[&MultiPolygon<f64>], rule: OverlayRule) -> MultiPolygon<f64> {
        let paths = |mps: &[&MultiPolygon<f64>]| -> Vec<Vec<[f64; 2]>> {
            mps.iter()
                .flat_map(|mp| mp.0.iter())
                .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                .map(|ring| {
                    let mut pts: Vec<[f64; 2]> = ring.0.iter().map(|c| [c.x, c.y]).collect();
                    if pts.len() > 1 && pts.first() == pts.last() {
                        pts.pop();
                    }
                    pts
                })
                .collect()
        };
        let (s, c) = (paths(subject), paths(clip));
        let capacity = s.iter().chain(c.iter()).map(Vec::len).sum();
        // One thread: the partitioner's budget is single-threaded, and a server runs many.
        let solver = Solver { multithreading: None, ..Solver::AUTO };
        let shapes: Shapes<[f64; 2]> = FloatOverlay::new_custom(self.adapter.clone(), self.options(), solver, capacity)
            .unsafe_add_source(&s, i_overlay::core::overlay::ShapeType::Subject)
            .unsafe_add_source(&c, i_overlay::core::overlay::ShapeType::Clip)
            .overlay(rule, FillRule::NonZero);
        to_multi_polygon(shapes)
    }

    /// The union of shapes that do not overlap (or do: NonZero fill).
    pub fn union(&self, parts: &[&MultiPolygon<f64>]) -> MultiPolygon<f64> {
        self.run(parts, &[], OverlayRule::Subject)
    }

    pub fn intersection(&self, a: &MultiPolygon<f64>, b: &MultiPolygon<f64>) -> MultiPolygon<f64> {
        self.run(&[a], &[b], OverlayRule::Intersect)
    }

    pub fn difference(&self, a: &MultiPolygon<f64>, b: &MultiPolygon<f64>) -> MultiPolygon<f64> {
        self.run(&[a], &[b], OverlayRule::Difference)
    }

    /// `area` cut along the open `lines` into pieces that tile it.
    pub fn slice(&self, area: &MultiPolygon<f64>, lines: &[Vec<Coord<f64>>]) -> MultiPolygon<f64> {
        use i_overlay::float::string_overlay::FloatStringOverlay;
        use i_overlay::string::rule::StringRule;
        let capacity = area.0.iter().map(|p| p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>()).sum::<usize>()
            + lines.iter().map(Vec::len).sum::<usize>();
        let mut overlay = FloatStringOverlay::with_adapter(self.adapter.clone(), capacity);
        for ring in area.0.iter().flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors())) {
            let mut pts: Vec<[f64; 2]> = ring.0.iter().map(|c| [c.x, c.y]).collect();
            if pts.len() > 1 && pts.first() == pts.last() {
                pts.pop();
            }
            overlay = overlay.unsafe_add_shape_contour(&pts);
        }
        for line in lines {
            let pts: Vec<[f64; 2]> = line.iter().map(|c| [c.x, c.y]).collect();
            overlay = overlay.unsafe_add_string_line(&pts);
        }
        let solver = Solver { multithreading: None, ..Solver::AUTO };
        let shapes: Shapes<[f64; 2]> = overlay
            .build_graph_view_with_solver(FillRule::NonZero, solver)
            .map(|g| g.extract_shapes_custom(StringRule::Slice, self.options()))
            .unwrap_or_default();
        to_multi_polygon(shapes)
    }

    pub fn union2(&self, a: &MultiPolygon<f64>, b: &MultiPolygon<f64>) -> MultiPolygon<f64> {
        self.run(&[a], &[b], OverlayRule::Union)
    }
}

fn to_multi_polygon(shapes: Shapes<[f64; 2]>) -> MultiPolygon<f64> {
    MultiPolygon(
        shapes
            .into_iter()
            .filter_map(|shape| {
                let mut rings = shape.into_iter().map(|path| {
                    let mut coords: Vec<Coord<f64>> = path.into_iter().map(|[x, y]| Coord { x, y }).collect();
                    if let Some(&first) = coords.first() {
                        coords.push(first);
                    }
                    LineString(coords)
                });
                let exterior = rings.next()?;
                Some(Polygon::new(exterior, rings.collect()))
            })
            .collect(),
    )
}
