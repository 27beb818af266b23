//! What the pages and the API show: read models assembled from several tables and mapped
//! into `api` types.

use crate::entities::{app_user, enterprise, grid, grid_assignment, grid_member, grid_plan, park};
use crate::{StoreError, plans, users};
use api::{EnterpriseView, GridRef, GridRow, GridView, MapView, Me, ParkPage};
use domain::PlanStatus;
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

/// The grids of active plans that `user_id` is assigned to, ordered by code.
pub async fn assigned_grids<C: ConnectionTrait>(db: &C, user_id: i64) -> Result<Vec<grid::Model>, StoreError> {
    let grid_ids: Vec<i64> =
        grid_assignment::Entity::find_current().filter(grid_assignment::Column::UserId.eq(user_id)).all(db).await?.into_iter().map(|a| a.grid_id).collect();
    let grids = grid::Entity::find().filter(grid::Column::Id.is_in(grid_ids)).order_by_asc(grid::Column::Code).all(db).await?;
    let plan_ids: Vec<i64> = grids.iter().map(|g| g.plan_id).collect();
    let active: Vec<i64> = grid_plan::Entity::find()
        .filter(grid_plan::Column::Id.is_in(plan_ids))
        .filter(grid_plan::Column::Status.eq(PlanStatus::Active.as_str()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();
    Ok(grids.into_iter().filter(|g| active.contains(&g.plan_id)).collect())
}

/// Who is signed in, with their grids, parks (and the one the pages show: `chosen`, the park
/// switcher's choice, when it is theirs), department, and whether they must change their
/// password.
pub async fn me<C: ConnectionTrait>(db: &C, user: &app_user::Model, chosen: Option<&str>) -> Result<Me, StoreError> {
    let grids = assigned_grids(db, user.id).await?;
    let access = crate::access::Access::of(db, user.clone()).await?;
    let parks = access.parks(db).await?;
    let park = access.current_park(db, chosen).await.ok().map(|p| p.code);
    let department = match user.department_id {
        Some(d) => crate::entities::department::Entity::find_by_id(d).one(db).await?.map(|d| d.name),
        None => None,
    };
    Ok(Me {
        id: user.id,
        login: user.login.clone(),
        display_name: user.display_name.clone(),
        role: users::role_of(user).unwrap_or(domain::Role::Worker),
        grids: grids.into_iter().map(|g| GridRef { id: g.id, code: g.code, name: g.name }).collect(),
        parks: parks.into_iter().map(|p| api::ParkRef { code: p.code, name: p.name }).collect(),
        park,
        department,
        must_change_password: user.must_change_password,
        cases_waiting: if user.must_change_password { 0 } else { crate::cases::waiting(db, &access, chosen).await? },
    })
}

/// The map of a worker: their grids and the enterprises in them. `None` when the worker has
/// no grid in an active plan.
pub async fn worker_map<C: ConnectionTrait>(db: &C, user_id: i64) -> Result<Option<MapView>, StoreError> {
    let grids = assigned_grids(db, user_id).await?;
    let Some(first) = grids.first() else {
        return Ok(None);
    };
    let plan = grid_plan::Entity::find_by_id(first.plan_id).one(db).await?.ok_or(StoreError::NotFound("grid plan"))?;
    let park = park::Entity::find_by_id(plan.park_id).one(db).await?.ok_or(StoreError::NotFound("park"))?;
    // A worker with grids in several parks sees the first park's grids here.
    let grids = grids.into_iter().filter(|g| g.plan_id == plan.id).collect();
    build(db, park, Some(plan), grids).await.map(Some)
}

/// The whole park under its active plan. `park_code` picks the park; without it, the first.
pub async fn park_map<C: ConnectionTrait>(db: &C, park_code: Option<&str>) -> Result<Option<MapView>, StoreError> {
    let Some((park, plan)) = park_and_active_plan(db, park_code).await? else {
        return Ok(None);
    };
    let grids = match &plan {
        Some(p) => grid::Entity::find().filter(grid::Column::PlanId.eq(p.id)).order_by_asc(grid::Column::Code).all(db).await?,
        None => Vec::new(),
    };
    build(db, park, plan, grids).await.map(Some)
}

/// The park under one of its plans (a draft, the active one or a retired one).
pub async fn plan_map<C: ConnectionTrait>(db: &C, plan_id: i64) -> Result<Option<MapView>, StoreError> {
    let Some((park, plan)) = plan_and_park(db, plan_id).await? else {
        return Ok(None);
    };
    let grids = grid::Entity::find().filter(grid::Column::PlanId.eq(plan.id)).order_by_asc(grid::Column::Code).all(db).await?;
    build(db, park, Some(plan), grids).await.map(Some)
}

/// The park page's data for the park under its active plan (`park_code` as in [`park_map`]):
/// a row per grid — code, enterprises, workers — counted as `park_map` counts them, without
/// reading an enterprise's record or a grid's area: the map fetches those apart.
pub async fn park_page<C: ConnectionTrait>(db: &C, park_code: Option<&str>) -> Result<Option<ParkPage>, StoreError> {
    let Some((park, plan)) = park_and_active_plan(db, park_code).await? else {
        return Ok(None);
    };
    page(db, park, plan, None).await.map(Some)
}

/// The park page's data under one of the park's plans (`?plan=ID`), as [`park_page`].
pub async fn plan_page<C: ConnectionTrait>(db: &C, plan_id: i64) -> Result<Option<ParkPage>, StoreError> {
    let Some((park, plan)) = plan_and_park(db, plan_id).await? else {
        return Ok(None);
    };
    page(db, park, Some(plan), Some(plan_id)).await.map(Some)
}

/// The park `park_code` names (without it, the first) and its active plan, if it has one.
async fn park_and_active_plan<C: ConnectionTrait>(db: &C, park_code: Option<&str>) -> Result<Option<(park::Model, Option<grid_plan::Model>)>, StoreError> {
    let mut q = park::Entity::find().order_by_asc(park::Column::Id);
    if let Some(code) = park_code {
        q = q.filter(park::Column::Code.eq(code));
    }
    let Some(park) = q.one(db).await? else {
        return Ok(None);
    };
    let plan = plans::active_plan(db, park.id).await?;
    Ok(Some((park, plan)))
}

/// Plan `plan_id` and its park, if the plan exists.
async fn plan_and_park<C: ConnectionTrait>(db: &C, plan_id: i64) -> Result<Option<(park::Model, grid_plan::Model)>, StoreError> {
    let Some(plan) = grid_plan::Entity::find_by_id(plan_id).one(db).await? else {
        return Ok(None);
    };
    let park = park::Entity::find_by_id(plan.park_id).one(db).await?.ok_or(StoreError::NotFound("park"))?;
    Ok(Some((park, plan)))
}

async fn page<C: ConnectionTrait>(db: &C, park: park::Model, plan: Option<grid_plan::Model>, shown: Option<i64>) -> Result<ParkPage, StoreError> {
    let grids: Vec<(i64, String)> = match &plan {
        Some(p) => {
            grid::Entity::find()
                .select_only()
                .column(grid::Column::Id)
                .column(grid::Column::Code)
                .filter(grid::Column::PlanId.eq(p.id))
                .order_by_asc(grid::Column::Code)
                .into_tuple()
                .all(db)
                .await?
        }
        None => Vec::new(),
    };
    let ids: Vec<i64> = grids.iter().map(|g| g.0).collect();
    // Members per grid, whether active or not (as `build` counts a grid's enterprises)…
    let counts: HashMap<i64, i64> = grid_member::Entity::find()
        .select_only()
        .column(grid_member::Column::GridId)
        .column_as(grid_member::Column::EnterpriseId.count(), "n")
        .filter(grid_member::Column::GridId.is_in(ids.clone()))
        .group_by(grid_member::Column::GridId)
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    // …and the park's total, its active enterprises in a grid (as `build` lists them).
    let members = Query::select()
        .column(grid_member::Column::EnterpriseId)
        .from(grid_member::Entity)
        .and_where(grid_member::Column::GridId.is_in(ids.clone()))
        .to_owned();
    let enterprises =
        enterprise::Entity::find().filter(enterprise::Column::Active.eq(true)).filter(enterprise::Column::Id.in_subquery(members)).count(db).await?;
    let mut workers = crate::workers::by_grid(db, ids).await?;
    let count = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
    Ok(ParkPage {
        park_code: park.code,
        park_name: park.name,
        plan_version: plan.map(|p| p.version),
        plan_id: shown,
        enterprise_count: count(enterprises),
        grids: grids
            .into_iter()
            .map(|(id, code)| GridRow {
                enterprise_count: count(counts.get(&id).map_or(0, |&n| u64::try_from(n).unwrap_or(0))),
                workers: workers.remove(&id).unwrap_or_default(),
                code,
            })
            .collect(),
    })
}

async fn build<C: ConnectionTrait>(db: &C, park: park::Model, plan: Option<grid_plan::Model>, grids: Vec<grid::Model>) -> Result<MapView, StoreError> {
    let grid_ids: Vec<i64> = grids.iter().map(|g| g.id).collect();
    let members = grid_member::Entity::find().filter(grid_member::Column::GridId.is_in(grid_ids.clone())).all(db).await?;
    let code_of: HashMap<i64, &str> = grids.iter().map(|g| (g.id, g.code.as_str())).collect();
    let grid_of: HashMap<i64, i64> = members.iter().map(|m| (m.enterprise_id, m.grid_id)).collect();
    let mut counts: HashMap<i64, u32> = HashMap::new();
    for m in &members {
        *counts.entry(m.grid_id).or_default() += 1;
    }
    let mut enterprises = Vec::with_capacity(members.len());
    for chunk in members.chunks(5000) {
        let ids: Vec<i64> = chunk.iter().map(|m| m.enterprise_id).collect();
        enterprises.extend(enterprise::Entity::find().filter(enterprise::Column::Id.is_in(ids)).filter(enterprise::Column::Active.eq(true)).all(db).await?);
    }
    enterprises.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    let mut workers = crate::workers::by_grid(db, grid_ids).await?;
    Ok(MapView {
        park_code: park.code,
        park_name: park.name,
        park_boundary: serde_json::from_str(&park.boundary).unwrap_or(serde_json::Value::Null),
        plan_version: plan.map(|p| p.version),
        enterprises: enterprises
            .into_iter()
            .map(|e| EnterpriseView {
                grid_code: grid_of.get(&e.id).and_then(|g| code_of.get(g)).map(|c| c.to_string()).unwrap_or_default(),
                id: e.id,
                external_id: e.external_id,
                name: e.name,
                address: e.address,
                industry: e.industry,
                lon: e.lon,
                lat: e.lat,
                weight: e.workload_weight,
            })
            .collect(),
        grids: grids
            .into_iter()
            .map(|g| GridView {
                enterprise_count: counts.get(&g.id).copied().unwrap_or(0),
                workers: workers.remove(&g.id).unwrap_or_default(),
                geometry: serde_json::from_str(&g.geometry).unwrap_or(serde_json::Value::Null),
                id: g.id,
                code: g.code,
                name: g.name,
            })
            .collect(),
    })
}
