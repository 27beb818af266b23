//! The check every edit passes before it is returned: no edges that cross, no overlap, nothing
//! outside the park, no ground left in no grid.

use super::*;

/// Refuses an edit whose `changed` grids (indices into `after`) cross themselves, overlap
/// another grid, reach outside the park, or cover less ground than the grids they replace
/// (`before`): with no overlap and nothing outside, equal area means no gap.
pub(super) fn check(
    park: &MultiPolygon<f64>,
    before: &[&MultiPolygon<f64>],
    after: &[(String, MultiPolygon<f64>)],
    changed: &[usize],
) -> Result<(), EditError> {
    let proj = Projection::around(park);
    let park_m = proj.forward_mp(park);
    let tiny = tiny_area(&park_m);
    let after_m: Vec<Option<MultiPolygon<f64>>> = after.iter().enumerate().map(|(i, (_, a))| changed.contains(&i).then(|| proj.forward_mp(a))).collect();
    let mut extent = park_m.clone();
    after_m.iter().flatten().for_each(|g| extent.0.extend(g.0.iter().cloned()));
    let ops = ops_for(&extent);
    let before_area: f64 = before.iter().map(|b| proj.forward_mp(b).unsigned_area()).sum();
    let mut after_area = 0.0;
    for &i in changed {
        let Some(g) = &after_m[i] else { continue };
        let code = &after[i].0;
        let clean = ops.union(&[g]);
        if (clean.unsigned_area() - g.unsigned_area()).abs() > tiny || clean.0.len() > g.0.len() {
            return Err(EditError::EdgesCross { grid: code.clone() });
        }
        after_area += clean.unsigned_area();
        let outside = ops.difference(g, &park_m).unsigned_area();
        if outside > tiny {
            return Err(EditError::OutsidePark { grid: code.clone(), square_metres: outside });
        }
        let Some(bb) = g.bounding_rect() else { continue };
        for (j, (other_code, other)) in after.iter().enumerate() {
            if j == i || (changed.contains(&j) && j < i) {
                continue;
            }
            let other_m = match &after_m[j] {
                Some(m) => m.clone(),
                None => {
                    let Some(ob) = other.bounding_rect() else { continue };
                    let (lo, hi) = (proj.forward(ob.min().x, ob.min().y), proj.forward(ob.max().x, ob.max().y));
                    if !bb.intersects(&Rect::new(lo, hi)) {
                        continue;
                    }
                    proj.forward_mp(other)
                }
            };
            let both = ops.intersection(g, &other_m).unsigned_area();
            if both > tiny {
                return Err(EditError::Overlap { a: code.clone(), b: other_code.clone(), square_metres: both });
            }
        }
    }
    if before_area - after_area > tiny {
        return Err(EditError::Gap { square_metres: before_area - after_area });
    }
    Ok(())
}
