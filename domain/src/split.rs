//! A first, simple partition of a park: recursive bisection of the enterprises at median
//! coordinates, each cell clipped to the park boundary.
//!
//! It gives every enterprise exactly one cell, never separates enterprises that share a
//! coordinate (cuts run between distinct coordinates) and balances counts, but cells can be
//! in several pieces where the park is concave. The grid partitioner (issue 3) replaces it for
//! real plans; the demo data uses it until then.

use crate::enterprise::Position;
use crate::geometry::Boundary;
use geo::{BooleanOps, Coord, MultiPolygon, Rect};

/// One cell of a split: its area and the indices of the positions inside it.
#[derive(Clone, Debug)]
pub struct Cell {
    pub area: Boundary,
    pub members: Vec<usize>,
}

/// Splits `positions` (all inside `boundary`) into `cells` balanced cells.
///
/// Cells are returned ordered west→east, then north→south by their members' centroid, so
/// serial numbers follow the usual grid-coding practice. Fewer cells than asked come back when
/// there are fewer distinct positions than cells.
pub fn bisect(boundary: &Boundary, positions: &[Position], cells: usize) -> Vec<Cell> {
    let Some([x0, y0, x1, y1]) = boundary.bbox() else { return Vec::new() };
    let pad = 1e-6;
    let rect = Rect::new(Coord { x: x0 - pad, y: y0 - pad }, Coord { x: x1 + pad, y: y1 + pad });
    let mut out = Vec::new();
    let all: Vec<usize> = (0..positions.len()).collect();
    split(boundary.multi_polygon(), positions, rect, all, cells.max(1), &mut out);
    out.retain(|c| !c.members.is_empty());
    let centroid = |c: &Cell| {
        let n = c.members.len() as f64;
        let (sx, sy) = c.members.iter().fold((0.0, 0.0), |(x, y), &i| (x + positions[i].lon, y + positions[i].lat));
        (sx / n, sy / n)
    };
    // West→east in bands, north→south within a band would need band widths; a plain
    // west→east, then north→south ordering of centroids is deterministic and readable.
    out.sort_by(|a, b| {
        let (ax, ay) = centroid(a);
        let (bx, by) = centroid(b);
        ax.total_cmp(&bx).then(by.total_cmp(&ay))
    });
    out
}

fn split(park: &MultiPolygon<f64>, pos: &[Position], rect: Rect<f64>, mut members: Vec<usize>, k: usize, out: &mut Vec<Cell>) {
    if k <= 1 || members.len() <= 1 {
        let clipped = park.intersection(&MultiPolygon(vec![rect.to_polygon()]));
        out.push(Cell { area: Boundary::from_multi_polygon(clipped), members });
        return;
    }
    let k_left = k / 2;
    let (w, h) = (rect.width() * (rect.center().y.to_radians().cos()), rect.height());
    let axes = if w >= h { [true, false] } else { [false, true] };
    for along_x in axes {
        let key = |i: &usize| if along_x { pos[*i].lon } else { pos[*i].lat };
        members.sort_by(|a, b| key(a).total_cmp(&key(b)).then(a.cmp(b)));
        let target = members.len() * k_left / k;
        // The cut must fall between two distinct values: search outwards from the target.
        let cut_index = (0..members.len()).flat_map(|d| [target + d, target.wrapping_sub(d)]).find(|&i| {
            i > 0 && i < members.len() && key(&members[i - 1]) < key(&members[i])
        });
        let Some(i) = cut_index else { continue };
        let cut = (key(&members[i - 1]) + key(&members[i])) / 2.0;
        let right = members.split_off(i);
        let (min, max) = (rect.min(), rect.max());
        let (ra, rb) = if along_x {
            (Rect::new(min, Coord { x: cut, y: max.y }), Rect::new(Coord { x: cut, y: min.y }, max))
        } else {
            (Rect::new(min, Coord { x: max.x, y: cut }), Rect::new(Coord { x: min.x, y: cut }, max))
        };
        split(park, pos, ra, members, k_left, out);
        split(park, pos, rb, right, k - k_left, out);
        return;
    }
    // Every member shares one position: it cannot be divided.
    split(park, pos, rect, members, 1, out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enterprise::parse_geojson;

    fn demo() -> (Boundary, Vec<Position>) {
        let b = Boundary::from_geojson_str(include_str!("../../data/demo/park_zhongli_industrial_area_boundary_derived.geojson")).unwrap();
        let recs = parse_geojson(include_str!("../../data/demo/park_zhongli_industrial_area_factories.geojson")).unwrap();
        (b, recs.iter().map(|r| r.position).collect())
    }

    #[test]
    fn every_enterprise_of_the_demo_park_lands_in_exactly_one_of_16_balanced_cells() {
        let (b, pos) = demo();
        let cells = bisect(&b, &pos, 16);
        assert_eq!(cells.len(), 16);
        let mut seen = vec![0; pos.len()];
        for c in &cells {
            for &m in &c.members {
                seen[m] += 1;
                assert!(c.area.covers(pos[m].lon, pos[m].lat), "member {m} lies in its cell's area");
            }
            assert!((30..=40).contains(&c.members.len()), "cell has {} members", c.members.len());
        }
        assert!(seen.iter().all(|&n| n == 1));
    }

    #[test]
    fn enterprises_at_one_coordinate_stay_together() {
        let (b, pos) = demo();
        let cells = bisect(&b, &pos, 16);
        let mut cell_of = vec![usize::MAX; pos.len()];
        for (ci, c) in cells.iter().enumerate() {
            for &m in &c.members {
                cell_of[m] = ci;
            }
        }
        for i in 0..pos.len() {
            for j in 0..pos.len() {
                if pos[i] == pos[j] {
                    assert_eq!(cell_of[i], cell_of[j]);
                }
            }
        }
    }

    #[test]
    fn the_same_input_gives_the_same_cells() {
        let (b, pos) = demo();
        let a: Vec<Vec<usize>> = bisect(&b, &pos, 16).into_iter().map(|c| c.members).collect();
        let c: Vec<Vec<usize>> = bisect(&b, &pos, 16).into_iter().map(|c| c.members).collect();
        assert_eq!(a, c);
    }
}
