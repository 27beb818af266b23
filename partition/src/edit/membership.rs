//! Which grid holds an enterprise: the one rule the store uses too.

use super::*;

/// For each site, the index of the first grid (in the order given) that holds it, edges
/// included; `None` for a site in no grid. Membership always follows geometry. Each site is
/// tested only against the grids whose box holds it (an R-tree of the boxes).
pub fn membership(grids: &[(String, MultiPolygon<f64>)], sites: &[Site]) -> Vec<Option<usize>> {
    let boxes = rstar::RTree::bulk_load(
        grids
            .iter()
            .enumerate()
            .filter_map(|(i, (_, a))| a.bounding_rect().map(|b| GeomWithData::new(Rectangle::from_corners([b.min().x, b.min().y], [b.max().x, b.max().y]), i)))
            .collect(),
    );
    sites
        .iter()
        .map(|s| {
            let p = Point::new(s.lon, s.lat);
            boxes.locate_all_at_point(&[s.lon, s.lat]).map(|d| d.data).filter(|&i| grids[i].1.intersects(&p)).min()
        })
        .collect()
}
