//! Grid plans: versioned sets of grids of a park, one of them active.
//!
//! Membership (which enterprise is in which grid) always follows geometry: it is recomputed
//! from the grid polygons, never edited by hand.

use crate::entities::{enterprise, grid, grid_assignment, grid_member, grid_plan, park};
use crate::{StoreError, audit, now};
use domain::{Boundary, GridCode, PlanStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    Set, TransactionTrait,
};

/// One grid of a new plan.
pub struct NewGrid {
    pub code: GridCode,
    pub name: String,
    pub area: Boundary,
}

/// Stores a draft plan with the next version number of the park.
pub async fn create_draft<C: ConnectionTrait>(
    db: &C,
    park_id: i64,
    name: &str,
    grids: Vec<NewGrid>,
    actor: Option<i64>,
) -> Result<grid_plan::Model, StoreError> {
    let last: Option<i32> = grid_plan::Entity::find()
        .select_only()
        .column_as(grid_plan::Column::Version.max(), "v")
        .filter(grid_plan::Column::ParkId.eq(park_id))
        .into_tuple::<Option<i32>>()
        .one(db)
        .await?
        .flatten();
    let plan = grid_plan::ActiveModel {
        park_id: Set(park_id),
        version: Set(last.unwrap_or(0) + 1),
        name: Set(name.to_owned()),
        status: Set(PlanStatus::Draft.as_str().to_owned()),
        created_by: Set(actor),
        created_at: Set(now()),
        activated_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    insert_grids(db, &plan, grids).await?;
    audit::record(
        db,
        audit::Event {
            actor,
            action: "create",
            entity: "grid_plan",
            entity_id: Some(plan.id.to_string()),
            before: None,
            after: Some(serde_json::json!({ "park_id": park_id, "version": plan.version, "name": name })),
        },
    )
    .await?;
    Ok(plan)
}

/// Inserts `grids` into `plan` and computes their membership.
pub(crate) async fn insert_grids<C: ConnectionTrait>(db: &C, plan: &grid_plan::Model, grids: Vec<NewGrid>) -> Result<(), StoreError> {
    let rows: Vec<grid::ActiveModel> = grids
        .into_iter()
        .map(|g| grid::ActiveModel {
            plan_id: Set(plan.id),
            code: Set(g.code.to_string()),
            name: Set(g.name),
            geometry: Set(g.area.to_geojson().to_string()),
            ..Default::default()
        })
        .collect();
    for chunk in rows.chunks(200) {
        grid::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
    }
    refresh_membership(db, plan).await
}

/// Makes `plan_id` the park's active plan and retires the one before, in one transaction.
pub async fn activate<D>(db: &D, plan_id: i64, actor: Option<i64>) -> Result<grid_plan::Model, StoreError>
where
    D: ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>,
{
    let txn = crate::db::write(db).await?;
    // Locked for the transaction: a save of this draft racing the activation waits for it,
    // then finds it active and is refused (`editor::save`).
    let plan = grid_plan::Entity::find_by_id(plan_id).lock_exclusive().one(&txn).await?.ok_or(StoreError::NotFound("grid plan"))?;
    if plan.status != PlanStatus::Draft.as_str() {
        return Err(StoreError::Conflict(format!("plan {} is {}, only a draft can be activated", plan.version, plan.status)));
    }
    // Membership as of now (enterprises may have been imported since the draft was saved);
    // every active enterprise must be in a grid of the new plan, or nobody would answer for it.
    refresh_membership(&txn, &plan).await?;
    let new_grid_ids: Vec<i64> = grid::Entity::find().filter(grid::Column::PlanId.eq(plan.id)).all(&txn).await?.into_iter().map(|g| g.id).collect();
    let members = grid_member::Entity::find().filter(grid_member::Column::GridId.is_in(new_grid_ids)).all(&txn).await?;
    let active_count =
        enterprise::Entity::find().filter(enterprise::Column::ParkId.eq(plan.park_id)).filter(enterprise::Column::Active.eq(true)).count(&txn).await? as usize;
    if members.len() < active_count {
        return Err(StoreError::Conflict(format!(
            "plan v{} leaves {} enterprise(s) in no grid; fix its grids before activating it",
            plan.version,
            active_count - members.len()
        )));
    }
    let previous_plan = active_plan(&txn, plan.park_id).await?;
    // Workers keep the grids that keep their codes.
    let carried: Vec<(String, i64)> = match &previous_plan {
        Some(old) => {
            let old_grids = grid::Entity::find().filter(grid::Column::PlanId.eq(old.id)).all(&txn).await?;
            let code_of: std::collections::HashMap<i64, String> = old_grids.iter().map(|g| (g.id, g.code.clone())).collect();
            grid_assignment::Entity::find_current()
                .filter(grid_assignment::Column::GridId.is_in(code_of.keys().copied().collect::<Vec<_>>()))
                .all(&txn)
                .await?
                .into_iter()
                .filter_map(|a| code_of.get(&a.grid_id).map(|c| (c.clone(), a.user_id)))
                .collect()
        }
        None => Vec::new(),
    };
    // Retire first: the one-active-plan index would refuse two at once.
    let switched_at = now();
    grid_plan::Entity::update_many()
        .col_expr(grid_plan::Column::Status, Expr::value(PlanStatus::Retired.as_str()))
        .col_expr(grid_plan::Column::RetiredAt, Expr::value(switched_at))
        .filter(grid_plan::Column::ParkId.eq(plan.park_id))
        .filter(grid_plan::Column::Status.eq(PlanStatus::Active.as_str()))
        .exec(&txn)
        .await?;
    // The retired plan's assignments end with it (its `retired_at` says so too).
    if let Some(old) = &previous_plan {
        let old_grids: Vec<i64> = grid::Entity::find().filter(grid::Column::PlanId.eq(old.id)).all(&txn).await?.into_iter().map(|g| g.id).collect();
        grid_assignment::Entity::update_many()
            .col_expr(grid_assignment::Column::EndedAt, Expr::value(switched_at))
            .filter(grid_assignment::Column::GridId.is_in(old_grids))
            .filter(grid_assignment::Column::EndedAt.is_null())
            .exec(&txn)
            .await?;
    }
    let mut am: grid_plan::ActiveModel = plan.into();
    am.status = Set(PlanStatus::Active.as_str().to_owned());
    am.activated_at = Set(Some(switched_at));
    let plan = am.update(&txn).await?;
    let new_ids: std::collections::HashMap<String, i64> =
        grid::Entity::find().filter(grid::Column::PlanId.eq(plan.id)).all(&txn).await?.into_iter().map(|g| (g.code, g.id)).collect();
    for (code, user_id) in carried {
        if let Some(&grid_id) = new_ids.get(&code) {
            grid_assignment::ActiveModel {
                grid_id: Set(grid_id),
                user_id: Set(user_id),
                assigned_at: Set(switched_at),
                ended_at: Set(None),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    let moved = match &previous_plan {
        Some(old) => move_open_items(&txn, old.id, &plan, &members).await?,
        None => 0,
    };
    audit::record(
        &txn,
        audit::Event {
            actor,
            action: "activate",
            entity: "grid_plan",
            entity_id: Some(plan.id.to_string()),
            before: Some(serde_json::json!({ "status": "draft", "replaces": previous_plan.as_ref().map(|p| p.id) })),
            after: Some(serde_json::json!({ "status": "active", "open_items_moved": moved })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(plan)
}

/// Moves the open findings and demands held by grids of the `old` plan to the grids of `new`:
/// with their enterprise, or (a patrol finding) to the grid that holds their position. Returns
/// how many moved. An item whose place is in no grid of the new plan stays where it was.
async fn move_open_items<C: ConnectionTrait>(db: &C, old: i64, new: &grid_plan::Model, members: &[grid_member::Model]) -> Result<usize, StoreError> {
    use crate::entities::{demand, finding};
    let old_ids: Vec<i64> = grid::Entity::find().filter(grid::Column::PlanId.eq(old)).all(db).await?.into_iter().map(|g| g.id).collect();
    let grid_of: std::collections::HashMap<i64, i64> = members.iter().map(|m| (m.enterprise_id, m.grid_id)).collect();
    let new_grids: Vec<(String, geo::MultiPolygon<f64>)> = grid::Entity::find()
        .filter(grid::Column::PlanId.eq(new.id))
        .order_by_asc(grid::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|g| Boundary::from_geojson_str(&g.geometry).ok().map(|b| (g.id.to_string(), b.multi_polygon().clone())))
        .collect();
    let mut moved = 0;
    for f in finding::Entity::find().filter(finding::Column::Status.eq(domain::field::RecordStatus::Open.as_str())).filter(finding::Column::GridId.is_in(old_ids.clone())).all(db).await? {
        let target = match f.enterprise_id.and_then(|e| grid_of.get(&e).copied()) {
            Some(g) => Some(g),
            None => partition::edit::membership(&new_grids, &[partition::Site { id: String::new(), lon: f.lon, lat: f.lat, weight: 1.0 }])[0]
                .and_then(|i| new_grids[i].0.parse::<i64>().ok()),
        };
        if let Some(g) = target {
            finding::Entity::update_many().col_expr(finding::Column::GridId, Expr::value(g)).filter(finding::Column::Id.eq(f.id)).exec(db).await?;
            moved += 1;
        }
    }
    for d in demand::Entity::find().filter(demand::Column::Status.eq(domain::field::RecordStatus::Open.as_str())).filter(demand::Column::GridId.is_in(old_ids)).all(db).await? {
        if let Some(&g) = grid_of.get(&d.enterprise_id) {
            demand::Entity::update_many().col_expr(demand::Column::GridId, Expr::value(g)).filter(demand::Column::Id.eq(d.id)).exec(db).await?;
            moved += 1;
        }
    }
    Ok(moved)
}

/// Recomputes which active enterprise of the park lies in which grid of `plan`. An enterprise
/// on a shared edge goes to the grid with the lowest code; one in no grid gets no row (the
/// validator of a later issue reports it).
pub async fn refresh_membership<C: ConnectionTrait>(db: &C, plan: &grid_plan::Model) -> Result<(), StoreError> {
    let grids = grid::Entity::find().filter(grid::Column::PlanId.eq(plan.id)).order_by_asc(grid::Column::Code).all(db).await?;
    let grid_ids: Vec<i64> = grids.iter().map(|g| g.id).collect();
    grid_member::Entity::delete_many().filter(grid_member::Column::GridId.is_in(grid_ids)).exec(db).await?;
    let areas: Vec<(i64, Boundary)> = grids.iter().filter_map(|g| Boundary::from_geojson_str(&g.geometry).ok().map(|b| (g.id, b))).collect();
    let enterprises =
        enterprise::Entity::find().filter(enterprise::Column::ParkId.eq(plan.park_id)).filter(enterprise::Column::Active.eq(true)).all(db).await?;
    // The same rule as the editor's preview (`partition::edit::membership`): first grid in code order.
    let shapes: Vec<(String, geo::MultiPolygon<f64>)> = areas.iter().map(|(id, b)| (id.to_string(), b.multi_polygon().clone())).collect();
    let sites: Vec<partition::Site> = enterprises.iter().map(|e| partition::Site { id: e.id.to_string(), lon: e.lon, lat: e.lat, weight: 1.0 }).collect();
    let rows: Vec<grid_member::ActiveModel> = partition::edit::membership(&shapes, &sites)
        .into_iter()
        .zip(&enterprises)
        .filter_map(|(g, e)| g.map(|i| grid_member::ActiveModel { grid_id: Set(areas[i].0), enterprise_id: Set(e.id) }))
        .collect();
    for chunk in rows.chunks(500) {
        grid_member::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
    }
    Ok(())
}

/// The park's active plan, if it has one.
pub async fn active_plan<C: ConnectionTrait>(db: &C, park_id: i64) -> Result<Option<grid_plan::Model>, StoreError> {
    Ok(grid_plan::Entity::find()
        .filter(grid_plan::Column::ParkId.eq(park_id))
        .filter(grid_plan::Column::Status.eq(PlanStatus::Active.as_str()))
        .one(db)
        .await?)
}

/// Every plan of a park, newest first, with its figures.
pub async fn list<C: ConnectionTrait>(db: &C, park_id: i64) -> Result<Vec<api::PlanSummary>, StoreError> {
    let plans = grid_plan::Entity::find().filter(grid_plan::Column::ParkId.eq(park_id)).order_by_desc(grid_plan::Column::Version).all(db).await?;
    let mut out = Vec::with_capacity(plans.len());
    for p in plans {
        let grid_count = grid::Entity::find().filter(grid::Column::PlanId.eq(p.id)).all(db).await?.len();
        out.push(summary_of(p, grid_count));
    }
    Ok(out)
}

pub(crate) fn summary_of(p: grid_plan::Model, grid_count: usize) -> api::PlanSummary {
    api::PlanSummary {
        id: p.id,
        version: p.version,
        status: PlanStatus::parse(&p.status).unwrap_or(PlanStatus::Retired),
        figures: p.figures.as_deref().and_then(|f| serde_json::from_str(f).ok()),
        name: p.name,
        grid_count,
    }
}

/// Runs the partitioner over the park's active enterprises, starting from the active plan so
/// that grids and codes stay where they can, and stores the result as a draft with its figures.
pub async fn compute_draft(
    db: &DatabaseConnection,
    park_id: i64,
    limits: partition::Limits,
    name: Option<String>,
    actor: Option<i64>,
) -> Result<api::PlanSummary, StoreError> {
    let park = park::Entity::find_by_id(park_id).one(db).await?.ok_or(StoreError::NotFound("park"))?;
    let boundary = Boundary::from_geojson_str(&park.boundary).map_err(|e| StoreError::Conflict(format!("the park's stored boundary is invalid: {e}")))?;
    let sites: Vec<partition::Site> = enterprise::Entity::find()
        .filter(enterprise::Column::ParkId.eq(park_id))
        .filter(enterprise::Column::Active.eq(true))
        .order_by_asc(enterprise::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|e| partition::Site { id: e.id.to_string(), lon: e.lon, lat: e.lat, weight: e.workload_weight })
        .collect();
    let previous: Vec<(String, geo::MultiPolygon<f64>)> = match active_plan(db, park_id).await? {
        Some(active) => grid::Entity::find()
            .filter(grid::Column::PlanId.eq(active.id))
            .all(db)
            .await?
            .into_iter()
            .filter_map(|g| Boundary::from_geojson_str(&g.geometry).ok().map(|b| (g.code, b.multi_polygon().clone())))
            .collect(),
        None => Vec::new(),
    };
    let code = park.code.clone();
    let area = boundary.multi_polygon().clone();
    // CPU work (a second for a city): off the async workers.
    let (result, figures) = tokio::task::spawn_blocking(move || {
        let started = std::time::Instant::now();
        let result = partition::partition_from(&area, &sites, limits, &code, &previous);
        let seconds = started.elapsed().as_secs_f64();
        let figures = result.as_ref().ok().map(|p| figures(p, &area, limits, seconds));
        (result, figures)
    })
    .await
    .map_err(|e| StoreError::Conflict(format!("the partitioner stopped: {e}")))?;
    let result = result.map_err(|e| StoreError::Conflict(e.to_string()))?;
    let grids: Vec<NewGrid> = result
        .grids
        .into_iter()
        .enumerate()
        .map(|(i, g)| NewGrid {
            code: GridCode::parse(&park.code, &g.code).unwrap_or_else(|| GridCode::new(&park.code, i as u32 + 1)),
            name: format!("{}网格", g.code),
            area: Boundary::from_multi_polygon(g.area),
        })
        .collect();
    let grid_count = grids.len();
    let txn = crate::db::write(db).await?;
    let plan = create_draft(&txn, park_id, name.as_deref().unwrap_or("自动划分"), grids, actor).await?;
    let mut am: grid_plan::ActiveModel = plan.into();
    am.figures = Set(figures.as_ref().and_then(|f| serde_json::to_string(f).ok()));
    let plan = am.update(&txn).await?;
    txn.commit().await?;
    Ok(summary_of(plan, grid_count))
}

/// The figures of a partition, as the API and the command line report them.
pub fn figures(p: &partition::Partition, park: &geo::MultiPolygon<f64>, limits: partition::Limits, seconds: f64) -> api::PlanFigures {
    let q = p.quality(park, limits);
    api::PlanFigures {
        grids: q.grids,
        min_count: q.min_count,
        max_count: q.max_count,
        outside_limits: q.outside_limits,
        workload_cv: q.workload_cv,
        worst_deviation: q.worst_deviation,
        compactness_mean: q.compactness_mean,
        compactness_min: q.compactness_min,
        pieces: q.in_pieces,
        overlap: q.overlap,
        gap: q.gap,
        coverage_error: q.coverage_error,
        seconds,
        warnings: p.warnings.iter().map(ToString::to_string).collect(),
    }
}

/// Which enterprises lie in grids of different codes under plans `a` and `b` (of one park),
/// with the workers assigned to those grids.
pub async fn diff<C: ConnectionTrait>(db: &C, a: i64, b: i64) -> Result<api::PlanDiff, StoreError> {
    let plan_a = grid_plan::Entity::find_by_id(a).one(db).await?.ok_or(StoreError::NotFound("grid plan"))?;
    let plan_b = grid_plan::Entity::find_by_id(b).one(db).await?.ok_or(StoreError::NotFound("grid plan"))?;
    if plan_a.park_id != plan_b.park_id {
        return Err(StoreError::Conflict("the two plans belong to different parks".into()));
    }
    // Per plan: enterprise -> grid code, grid code -> its active workers. A draft has no
    // workers of its own: activating it carries the active plan's by grid code, so those show.
    async fn layout<C: ConnectionTrait>(
        db: &C,
        plan: &grid_plan::Model,
    ) -> Result<(std::collections::HashMap<i64, String>, std::collections::HashMap<String, Vec<String>>), StoreError> {
        let grids = grid::Entity::find().filter(grid::Column::PlanId.eq(plan.id)).all(db).await?;
        let code_of: std::collections::HashMap<i64, String> = grids.iter().map(|g| (g.id, g.code.clone())).collect();
        let ids: Vec<i64> = grids.iter().map(|g| g.id).collect();
        let members = grid_member::Entity::find().filter(grid_member::Column::GridId.is_in(ids)).all(db).await?;
        let at: std::collections::HashMap<i64, String> =
            members.into_iter().filter_map(|m| code_of.get(&m.grid_id).map(|c| (m.enterprise_id, c.clone()))).collect();
        let staffed = if plan.status == PlanStatus::Draft.as_str() { active_plan(db, plan.park_id).await?.map(|p| p.id) } else { Some(plan.id) };
        let mut workers = std::collections::HashMap::new();
        if let Some(staffed) = staffed {
            let grids = grid::Entity::find().filter(grid::Column::PlanId.eq(staffed)).all(db).await?;
            let code_of: std::collections::HashMap<i64, String> = grids.iter().map(|g| (g.id, g.code.clone())).collect();
            for (grid, names) in crate::workers::by_grid(db, grids.iter().map(|g| g.id).collect()).await? {
                if let Some(code) = code_of.get(&grid) {
                    workers.insert(code.clone(), names);
                }
            }
        }
        Ok((at, workers))
    }
    let (in_a, workers_a) = layout(db, &plan_a).await?;
    let (in_b, workers_b) = layout(db, &plan_b).await?;
    let enterprises = enterprise::Entity::find().filter(enterprise::Column::ParkId.eq(plan_a.park_id)).order_by_asc(enterprise::Column::Name).all(db).await?;
    let mut moves = Vec::new();
    let mut unchanged = 0;
    for e in enterprises {
        let (from, to) = (in_a.get(&e.id).cloned(), in_b.get(&e.id).cloned());
        if from == to {
            unchanged += 1;
            continue;
        }
        let who = |w: &std::collections::HashMap<String, Vec<String>>, c: &Option<String>| c.as_ref().and_then(|c| w.get(c)).cloned().unwrap_or_default();
        moves.push(api::GridMove { enterprise_id: e.id, name: e.name, from_workers: who(&workers_a, &from), to_workers: who(&workers_b, &to), from, to });
    }
    Ok(api::PlanDiff { from_plan: a, to_plan: b, unchanged, moves })
}
