//! The park's public page (issue 15; DB33/T 2320-2021, 4.5 and 5.5.1), read for anyone: no
//! account, no session.
//!
//! **Invariant:** only what a manager published leaves this module. Every query selects the
//! columns the page shows and no others — a worker's display name is read only for workers
//! whose name is published, and never their login, role, password hash or anything else of
//! their account; no enterprise row is read (a grid's count of enterprises is counted from
//! `grid_member`). Withdrawn notices and their files are neither listed nor served.

use crate::entities::{app_user, grid, grid_assignment, grid_member, notice, notice_attachment, park};
use crate::rate::Limit;
use crate::{StoreError, plans};
use api::public::{NoticeKind, PublicGrid, PublicNotice, PublicPage, PublicServiceItem, PublicWorker};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;
use std::net::IpAddr;

/// Notices the page shows, newest first.
pub const SHOWN_NOTICES: u64 = 50;

/// Views of public pages (and their data and files) from one address: 300 per 10 minutes —
/// a whole office behind one router reads freely, a scraper does not get far.
pub fn views() -> Limit {
    Limit { hits: 300, window: chrono::Duration::minutes(10) }
}

/// Counts a view from `from` (refused with `rate_limited` and the seconds to wait when the
/// address has used its allowance).
pub async fn count_view<C: ConnectionTrait>(db: &C, from: Option<IpAddr>) -> Result<(), StoreError> {
    match from {
        Some(ip) => crate::rate::hit(db, &format!("public:view:{ip}"), views(), crate::now()).await,
        None => Ok(()),
    }
}

/// The public page of the park with code `park_code`; `None` when there is no such park.
pub async fn page<C: ConnectionTrait>(db: &C, park_code: &str) -> Result<Option<PublicPage>, StoreError> {
    type ParkRow = (i64, String, String, String, Option<String>, bool);
    let p: Option<ParkRow> = park::Entity::find()
        .select_only()
        .columns([park::Column::Id, park::Column::Code, park::Column::Name, park::Column::Boundary, park::Column::PublicHotline, park::Column::PublishFigures])
        .filter(park::Column::Code.eq(park_code.trim()))
        .into_tuple()
        .one(db)
        .await?;
    let Some((park_id, code, name, boundary, hotline, publish_figures)) = p else { return Ok(None) };
    // The last complete quarter's figures per department, only when the manager publishes them.
    let figures = if publish_figures { Some(crate::figures::public_department_figures(db, park_id, crate::now()).await?) } else { None };
    Ok(Some(PublicPage {
        park_code: code,
        park_name: name,
        hotline,
        park_boundary: serde_json::from_str(&boundary).unwrap_or(serde_json::Value::Null),
        grids: grids(db, park_id).await?,
        services: services(db, park_id).await?,
        notices: notices(db, park_id).await?,
        figures,
    }))
}

/// The active plan's grids with their counts and their workers as published.
async fn grids<C: ConnectionTrait>(db: &C, park_id: i64) -> Result<Vec<PublicGrid>, StoreError> {
    let Some(plan) = plans::active_plan(db, park_id).await? else { return Ok(vec![]) };
    let rows: Vec<(i64, String, String)> = grid::Entity::find()
        .select_only()
        .columns([grid::Column::Id, grid::Column::Code, grid::Column::Geometry])
        .filter(grid::Column::PlanId.eq(plan.id))
        .order_by_asc(grid::Column::Code)
        .into_tuple()
        .all(db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let mut counts: HashMap<i64, u32> = HashMap::new();
    let members: Vec<i64> = grid_member::Entity::find()
        .select_only()
        .column(grid_member::Column::GridId)
        .filter(grid_member::Column::GridId.is_in(ids.clone()))
        .into_tuple()
        .all(db)
        .await?;
    for g in members {
        *counts.entry(g).or_default() += 1;
    }
    let assignments: Vec<(i64, i64)> = grid_assignment::Entity::find_current()
        .select_only()
        .columns([grid_assignment::Column::GridId, grid_assignment::Column::UserId])
        .filter(grid_assignment::Column::GridId.is_in(ids))
        .order_by_asc(grid_assignment::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let user_ids: Vec<i64> = assignments.iter().map(|a| a.1).collect();
    // What is published of the active workers: the choice and the phone…
    let published: HashMap<i64, (bool, Option<String>)> = app_user::Entity::find()
        .select_only()
        .columns([app_user::Column::Id, app_user::Column::PublishName, app_user::Column::PublicPhone])
        .filter(app_user::Column::Id.is_in(user_ids.clone()))
        .filter(app_user::Column::Active.eq(true))
        .into_tuple::<(i64, bool, Option<String>)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, name, phone)| (id, (name, phone)))
        .collect();
    // …and the names of those whose name is published, only theirs.
    let names: HashMap<i64, String> = app_user::Entity::find()
        .select_only()
        .columns([app_user::Column::Id, app_user::Column::DisplayName])
        .filter(app_user::Column::Id.is_in(user_ids))
        .filter(app_user::Column::Active.eq(true))
        .filter(app_user::Column::PublishName.eq(true))
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut workers: HashMap<i64, Vec<PublicWorker>> = HashMap::new();
    for (grid_id, user) in assignments {
        if let Some((_, phone)) = published.get(&user) {
            workers.entry(grid_id).or_default().push(PublicWorker { name: names.get(&user).cloned(), phone: phone.clone() });
        }
    }
    Ok(rows
        .into_iter()
        .map(|(id, code, geometry)| PublicGrid {
            code,
            geometry: serde_json::from_str(&geometry).unwrap_or(serde_json::Value::Null),
            enterprise_count: counts.get(&id).copied().unwrap_or(0),
            workers: workers.remove(&id).unwrap_or_default(),
        })
        .collect())
}

/// The service list as the public sees it.
async fn services<C: ConnectionTrait>(db: &C, park_id: i64) -> Result<Vec<PublicServiceItem>, StoreError> {
    Ok(crate::publish::services(db, park_id)
        .await?
        .into_iter()
        .map(|s| PublicServiceItem { id: s.id, name: s.name, category: s.category, mode: s.mode, limit_days: s.limit_days, department: s.department })
        .collect())
}

/// The park's notices that are not withdrawn, newest first, with their files (not their bytes).
pub(crate) async fn notices<C: ConnectionTrait>(db: &C, park_id: i64) -> Result<Vec<PublicNotice>, StoreError> {
    type Row = (i64, String, String, String, DateTime<Utc>);
    let rows: Vec<Row> = notice::Entity::find()
        .select_only()
        .columns([notice::Column::Id, notice::Column::Kind, notice::Column::Title, notice::Column::Body, notice::Column::PublishedAt])
        .filter(notice::Column::ParkId.eq(park_id))
        .filter(notice::Column::WithdrawnAt.is_null())
        .order_by_desc(notice::Column::PublishedAt)
        .order_by_desc(notice::Column::Id)
        .limit(SHOWN_NOTICES)
        .into_tuple()
        .all(db)
        .await?;
    let mut files = crate::publish::attachments_of(db, rows.iter().map(|r| r.0).collect()).await?;
    Ok(rows
        .into_iter()
        .map(|(id, kind, title, body, at)| PublicNotice {
            id,
            kind: NoticeKind::parse(&kind).unwrap_or(NoticeKind::News),
            title,
            body,
            published_at: at.to_rfc3339(),
            attachments: files.remove(&id).unwrap_or_default(),
        })
        .collect())
}

/// A file of a notice of park `park_code` that is not withdrawn: (name, content type, bytes).
/// Any other combination is not found.
pub async fn attachment<C: ConnectionTrait>(db: &C, park_code: &str, notice_id: i64, attachment_id: i64) -> Result<(String, String, Vec<u8>), StoreError> {
    let park_id: i64 = park::Entity::find()
        .select_only()
        .column(park::Column::Id)
        .filter(park::Column::Code.eq(park_code.trim()))
        .into_tuple()
        .one(db)
        .await?
        .ok_or(StoreError::NotFound("park"))?;
    let shown: Option<i64> = notice::Entity::find()
        .select_only()
        .column(notice::Column::Id)
        .filter(notice::Column::Id.eq(notice_id))
        .filter(notice::Column::ParkId.eq(park_id))
        .filter(notice::Column::WithdrawnAt.is_null())
        .into_tuple()
        .one(db)
        .await?;
    if shown.is_none() {
        return Err(StoreError::NotFound("notice"));
    }
    notice_attachment::Entity::find()
        .select_only()
        .columns([notice_attachment::Column::Name, notice_attachment::Column::ContentType, notice_attachment::Column::Data])
        .filter(notice_attachment::Column::Id.eq(attachment_id))
        .filter(notice_attachment::Column::NoticeId.eq(notice_id))
        .into_tuple()
        .one(db)
        .await?
        .ok_or(StoreError::NotFound("attachment"))
}
