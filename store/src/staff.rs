//! Grid workers: their accounts (create, deactivate, reset the password) and their assignment
//! to the active plan's grids (clause 6.1.1: allocate workers; 5.3.1: 20–40 enterprises each).

use crate::entities::{app_user, grid, grid_assignment, grid_member, user_park};
use crate::plans::active_plan;
use crate::{StoreError, audit, now, users};
use domain::Role;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use std::collections::HashMap;

/// Workers (active first, by name) with their grids and load, and the active plan's grids with
/// their workers. A deactivated worker holds no grid here: their grids show as unassigned.
pub async fn overview<C: ConnectionTrait>(db: &C, park_id: i64) -> Result<api::Staff, StoreError> {
    let plan = active_plan(db, park_id).await?;
    let grids = match &plan {
        Some(p) => grid::Entity::find().filter(grid::Column::PlanId.eq(p.id)).order_by_asc(grid::Column::Code).all(db).await?,
        None => vec![],
    };
    let ids: Vec<i64> = grids.iter().map(|g| g.id).collect();
    let mut count: HashMap<i64, usize> = HashMap::new();
    for m in grid_member::Entity::find().filter(grid_member::Column::GridId.is_in(ids.clone())).all(db).await? {
        *count.entry(m.grid_id).or_default() += 1;
    }
    let assignments = grid_assignment::Entity::find_current().filter(grid_assignment::Column::GridId.is_in(ids)).all(db).await?;
    // The park's workers: those who belong to it.
    let members: Vec<i64> = user_park::Entity::find().filter(user_park::Column::ParkId.eq(park_id)).all(db).await?.into_iter().map(|m| m.user_id).collect();
    let workers = app_user::Entity::find()
        .filter(app_user::Column::Role.eq(Role::Worker.as_str()))
        .filter(app_user::Column::Id.is_in(members))
        .order_by_desc(app_user::Column::Active)
        .order_by_asc(app_user::Column::DisplayName)
        .all(db)
        .await?;
    let active: HashMap<i64, &app_user::Model> = workers.iter().filter(|u| u.active).map(|u| (u.id, u)).collect();
    let code_of: HashMap<i64, &str> = grids.iter().map(|g| (g.id, g.code.as_str())).collect();
    let rows = workers
        .iter()
        .map(|u| {
            let mine: Vec<i64> = if u.active { assignments.iter().filter(|a| a.user_id == u.id).map(|a| a.grid_id).collect() } else { vec![] };
            let mut codes: Vec<String> = mine.iter().filter_map(|g| code_of.get(g).map(|c| c.to_string())).collect();
            codes.sort();
            let n: usize = mine.iter().map(|g| count.get(g).copied().unwrap_or(0)).sum();
            let flag = if !u.active {
                None
            } else if codes.is_empty() {
                Some("no_grid".to_owned())
            } else if !u32::try_from(n).is_ok_and(|n| domain::grid::WORKER_LOAD.contains(&n)) {
                Some("outside_limits".to_owned())
            } else {
                None
            };
            api::WorkerRow { id: u.id, login: u.login.clone(), display_name: u.display_name.clone(), active: u.active, grids: codes, enterprise_count: n, flag }
        })
        .collect();
    let grids = grids
        .iter()
        .map(|g| {
            let mut w: Vec<(i64, String)> =
                assignments.iter().filter(|a| a.grid_id == g.id).filter_map(|a| active.get(&a.user_id).map(|u| (u.id, u.display_name.clone()))).collect();
            w.sort_by(|a, b| a.1.cmp(&b.1));
            api::GridStaff { code: g.code.clone(), enterprise_count: count.get(&g.id).copied().unwrap_or(0), workers: w }
        })
        .collect();
    Ok(api::Staff { plan_version: plan.map(|p| p.version), workers: rows, grids })
}

async fn worker<C: ConnectionTrait>(db: &C, user_id: i64) -> Result<app_user::Model, StoreError> {
    let u = app_user::Entity::find_by_id(user_id).one(db).await?.ok_or(StoreError::NotFound("worker"))?;
    if u.role != Role::Worker.as_str() {
        return Err(StoreError::refused(api::RefusalCode::NotAWorker, u.login.clone(), format!("{} is not a grid worker's account", u.login)));
    }
    Ok(u)
}

async fn active_grid<C: ConnectionTrait>(db: &C, park_id: i64, code: &str) -> Result<grid::Model, StoreError> {
    let plan = active_plan(db, park_id).await?.ok_or(StoreError::NotFound("active plan"))?;
    grid::Entity::find().filter(grid::Column::PlanId.eq(plan.id)).filter(grid::Column::Code.eq(code)).one(db).await?.ok_or(StoreError::NotFound("grid"))
}

/// Assigns an active worker to grid `code` of the active plan (a grid may have several).
pub async fn assign<C: ConnectionTrait>(db: &C, park_id: i64, code: &str, user_id: i64, actor: Option<i64>) -> Result<(), StoreError> {
    let u = worker(db, user_id).await?;
    if !u.active {
        return Err(StoreError::refused(api::RefusalCode::Deactivated, u.login.clone(), format!("{} is deactivated", u.login)));
    }
    if user_park::Entity::find_by_id((user_id, park_id)).one(db).await?.is_none() {
        return Err(StoreError::refused(api::RefusalCode::NotInPark, u.login.clone(), format!("{} does not work in this park", u.login)));
    }
    let g = active_grid(db, park_id, code).await?;
    let exists = grid_assignment::Entity::find_current()
        .filter(grid_assignment::Column::GridId.eq(g.id))
        .filter(grid_assignment::Column::UserId.eq(user_id))
        .one(db)
        .await?
        .is_some();
    if exists {
        return Ok(());
    }
    grid_assignment::ActiveModel { grid_id: Set(g.id), user_id: Set(user_id), assigned_at: Set(now()), ..Default::default() }.insert(db).await?;
    audit::record(
        db,
        audit::Event {
            actor,
            action: "assign",
            entity: "grid",
            entity_id: Some(g.id.to_string()),
            before: None,
            after: Some(serde_json::json!({ "grid": code, "worker": u.login })),
        },
    )
    .await?;
    Ok(())
}

/// Takes a worker off grid `code` of the active plan.
pub async fn unassign<C: ConnectionTrait>(db: &C, park_id: i64, code: &str, user_id: i64, actor: Option<i64>) -> Result<(), StoreError> {
    let u = worker(db, user_id).await?;
    let g = active_grid(db, park_id, code).await?;
    // Ended, not deleted: the sync authorizes records against when their worker held a grid.
    grid_assignment::Entity::update_many()
        .col_expr(grid_assignment::Column::EndedAt, Expr::value(now()))
        .filter(grid_assignment::Column::GridId.eq(g.id))
        .filter(grid_assignment::Column::UserId.eq(user_id))
        .filter(grid_assignment::Column::EndedAt.is_null())
        .exec(db)
        .await?;
    audit::record(
        db,
        audit::Event {
            actor,
            action: "unassign",
            entity: "grid",
            entity_id: Some(g.id.to_string()),
            before: Some(serde_json::json!({ "grid": code, "worker": u.login })),
            after: None,
        },
    )
    .await?;
    Ok(())
}

/// Creates a grid worker's account in park `park_id` with the password the manager chose;
/// the worker chooses their own at first sign-in.
pub async fn create_worker<C: ConnectionTrait>(
    db: &C,
    park_id: i64,
    login: &str,
    display_name: &str,
    password: &str,
    actor: Option<i64>,
) -> Result<app_user::Model, StoreError> {
    let spec =
        users::AccountSpec { login, display_name, role: Role::Worker, parks: vec![park_id], all_parks: false, department: None, password: Some(password) };
    let (u, _) = users::create_account(db, spec, actor).await?;
    let mut am: app_user::ActiveModel = u.into();
    am.must_change_password = Set(true);
    Ok(am.update(db).await?)
}

/// Deactivates (or reactivates) a worker. Deactivation ends their sessions at once; their
/// grids then show as unassigned (the assignment rows stay, so reactivation restores them).
pub async fn set_active<C: ConnectionTrait>(db: &C, user_id: i64, active: bool, actor: Option<i64>) -> Result<(), StoreError> {
    worker(db, user_id).await?;
    users::set_active(db, user_id, active, actor).await
}

/// Gives a worker a temporary password (returned once, to hand over), to be changed at the
/// next sign-in, and ends their sessions.
pub async fn reset_password<C: ConnectionTrait>(db: &C, user_id: i64, actor: Option<i64>) -> Result<String, StoreError> {
    worker(db, user_id).await?;
    users::reset_password(db, user_id, actor).await
}
