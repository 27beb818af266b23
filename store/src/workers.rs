//! Who works which grid: the names the map, the editor and the plans show. Depends on the
//! entities only, so that `plans`, `views` and `editor` can all call it without calling each
//! other.

use crate::StoreError;
use crate::entities::{app_user, grid_assignment};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

/// The display names of the active workers assigned to each of these grids, sorted (a
/// deactivated worker's grids show as unassigned).
pub async fn by_grid<C: ConnectionTrait>(db: &C, grid_ids: Vec<i64>) -> Result<HashMap<i64, Vec<String>>, StoreError> {
    let assignments = grid_assignment::Entity::find_current().filter(grid_assignment::Column::GridId.is_in(grid_ids)).all(db).await?;
    let names: HashMap<i64, String> = app_user::Entity::find()
        .filter(app_user::Column::Id.is_in(assignments.iter().map(|a| a.user_id).collect::<Vec<_>>()))
        .filter(app_user::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let mut workers: HashMap<i64, Vec<String>> = HashMap::new();
    for a in &assignments {
        if let Some(n) = names.get(&a.user_id) {
            workers.entry(a.grid_id).or_default().push(n.clone());
        }
    }
    workers.values_mut().for_each(|v| v.sort());
    Ok(workers)
}
