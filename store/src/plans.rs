//! Grid plans: versioned sets of grids of a park, one of them active.
//!
//! Membership (which enterprise is in which grid) always follows geometry: it is recomputed
//! from the grid polygons, never edited by hand.

use crate::entities::{enterprise, grid, grid_member, grid_plan};
use crate::{audit, now, StoreError};
use domain::{Boundary, GridCode, PlanStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{DatabaseTransaction, 
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};

/// One grid of a new plan.
pub struct NewGrid {
    pub code: GridCode,
    pub name: String,
    pub area: Boundary,
}

/// Stores a draft plan with the next version number of the park.
pub async fn create_draft<C: ConnectionTrait>(db: &C, park_id: i64, name: &str, grids: Vec<NewGrid>, actor: Option<i64>) -> Result<grid_plan::Model, StoreError> {
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
    refresh_membership(db, &plan).await?;
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

/// Makes `plan_id` the park's active plan and retires the one before, in one transaction.
pub async fn activate<D>(db: &D, plan_id: i64, actor: Option<i64>) -> Result<grid_plan::Model, StoreError>
where
    D: ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>,
{
    let txn = db.begin().await?;
    let plan = grid_plan::Entity::find_by_id(plan_id).one(&txn).await?.ok_or(StoreError::NotFound("grid plan"))?;
    if plan.status != PlanStatus::Draft.as_str() {
        return Err(StoreError::Conflict(format!("plan {} is {}, only a draft can be activated", plan.version, plan.status)));
    }
    // Retire first: the one-active-plan index would refuse two at once.
    grid_plan::Entity::update_many()
        .col_expr(grid_plan::Column::Status, Expr::value(PlanStatus::Retired.as_str()))
        .filter(grid_plan::Column::ParkId.eq(plan.park_id))
        .filter(grid_plan::Column::Status.eq(PlanStatus::Active.as_str()))
        .exec(&txn)
        .await?;
    let mut am: grid_plan::ActiveModel = plan.into();
    am.status = Set(PlanStatus::Active.as_str().to_owned());
    am.activated_at = Set(Some(now()));
    let plan = am.update(&txn).await?;
    audit::record(
        &txn,
        audit::Event {
            actor,
            action: "activate",
            entity: "grid_plan",
            entity_id: Some(plan.id.to_string()),
            before: Some(serde_json::json!({ "status": "draft" })),
            after: Some(serde_json::json!({ "status": "active" })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(plan)
}

/// Recomputes which active enterprise of the park lies in which grid of `plan`. An enterprise
/// on a shared edge goes to the grid with the lowest code; one in no grid gets no row (the
/// validator of a later issue reports it).
pub async fn refresh_membership<C: ConnectionTrait>(db: &C, plan: &grid_plan::Model) -> Result<(), StoreError> {
    let grids = grid::Entity::find().filter(grid::Column::PlanId.eq(plan.id)).order_by_asc(grid::Column::Code).all(db).await?;
    let grid_ids: Vec<i64> = grids.iter().map(|g| g.id).collect();
    grid_member::Entity::delete_many().filter(grid_member::Column::GridId.is_in(grid_ids)).exec(db).await?;
    let areas: Vec<(i64, Boundary)> = grids
        .iter()
        .filter_map(|g| Boundary::from_geojson_str(&g.geometry).ok().map(|b| (g.id, b)))
        .collect();
    let enterprises = enterprise::Entity::find()
        .filter(enterprise::Column::ParkId.eq(plan.park_id))
        .filter(enterprise::Column::Active.eq(true))
        .all(db)
        .await?;
    let rows: Vec<grid_member::ActiveModel> = enterprises
        .iter()
        .filter_map(|e| {
            areas.iter().find(|(_, area)| area.covers(e.lon, e.lat)).map(|(gid, _)| grid_member::ActiveModel {
                grid_id: Set(*gid),
                enterprise_id: Set(e.id),
            })
        })
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
