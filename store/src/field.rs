//! Field work from the phones: the sync of visits, findings and re-inspections
//! ([`sync`]), photo uploads in chunks ([`put_photo_chunk`]), and what a worker's phone keeps
//! ([`field_data`]).
//!
//! # Exactly once
//! Every record carries the UUID its phone generated, and that UUID is the row's primary key.
//! Each record is stored in its own transaction with `INSERT … ON CONFLICT DO NOTHING`: the
//! first insert of an id creates it; any later one — the same batch sent again, two sends
//! racing, a resend after the server died mid-batch — finds the key taken and answers
//! `duplicate` without changing anything. One record's rejection never touches another.
//!
//! # Whose grid
//! A worker may write about an enterprise that lay, when the record was made, in a grid they
//! were assigned to (a plan active at that moment), or that lies in one of their grids now. So
//! a visit made before a re-partition is still accepted after it, from the worker who made it.

use crate::entities::{demand, enterprise, finding, grid, grid_assignment, grid_member, grid_plan, park, photo, reinspection, visit};
use crate::{StoreError, now, views};
use api::{FieldData, FieldEnterprise, FindingView, Receipt, ReceiptStatus, SyncRecord};
use chrono::{DateTime, Utc};
use domain::field::{self, FindingKind, HazardGrade, PhotoMeta, RectificationResult};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Set, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};
use serde_json::Value as Json;
use std::collections::HashMap;

/// Who is syncing.
#[derive(Clone, Copy, Debug)]
pub struct Author {
    pub user_id: i64,
}

enum Outcome {
    Created,
    Duplicate,
    Rejected(String),
}

/// Stores each record of a batch once, in order; one receipt per record.
///
/// The batch is one transaction (one commit, one disk flush) and each record a savepoint in
/// it: a rejected record rolls back to its savepoint and the others stay. A crash before the
/// commit stores nothing, and the phone, which got no receipts, sends the batch again.
pub async fn sync<D>(db: &D, author: Author, records: &[Json]) -> Result<Vec<Receipt>, StoreError>
where
    D: ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>,
{
    let mut scope = Scope { author, candidates: HashMap::new() };
    // IMMEDIATE on SQLite: take the write lock at BEGIN, so that two syncs racing wait for
    // each other instead of failing to upgrade a read lock.
    let txn = db.begin_with_options(TransactionOptions { sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate), ..Default::default() }).await?;
    let mut receipts = Vec::with_capacity(records.len());
    for raw in records {
        let id = raw.get("id").and_then(Json::as_str).unwrap_or_default().to_owned();
        let outcome = match serde_json::from_value::<SyncRecord>(raw.clone()) {
            Err(e) => Outcome::Rejected(format!("not a valid record: {e}")),
            Ok(record) => match check(&record) {
                Err(e) => Outcome::Rejected(e.to_string()),
                Ok(()) => {
                    let savepoint = txn.begin().await?;
                    let outcome = store_record(&savepoint, &mut scope, &record).await?;
                    match outcome {
                        Outcome::Created => savepoint.commit().await?,
                        _ => savepoint.rollback().await?,
                    }
                    outcome
                }
            },
        };
        receipts.push(match outcome {
            Outcome::Created => Receipt { id, status: ReceiptStatus::Created, reason: None },
            Outcome::Duplicate => Receipt { id, status: ReceiptStatus::Duplicate, reason: None },
            Outcome::Rejected(reason) => Receipt { id, status: ReceiptStatus::Rejected, reason: Some(reason) },
        });
    }
    txn.commit().await?;
    Ok(receipts)
}

/// One sync's author and what it has looked up about them.
struct Scope {
    author: Author,
    /// Per enterprise: the grids holding it that the author is or was assigned to, with their
    /// plans.
    candidates: HashMap<i64, Vec<(i64, grid_plan::Model)>>,
}

fn check(record: &SyncRecord) -> Result<(), field::RecordError> {
    let now = now();
    match record {
        SyncRecord::Visit(v) => v.check(now),
        SyncRecord::Finding(f) => f.check(now),
        SyncRecord::Reinspection(r) => r.check(now),
    }
}

/// Whether an `INSERT … ON CONFLICT DO NOTHING` stored its row (no: the id was taken).
fn inserted(rows: u64) -> bool {
    rows > 0
}

async fn store_record(txn: &DatabaseTransaction, scope: &mut Scope, record: &SyncRecord) -> Result<Outcome, StoreError> {
    match record {
        SyncRecord::Visit(v) => store_visit(txn, scope, v).await,
        SyncRecord::Finding(f) => store_finding(txn, scope, f).await,
        SyncRecord::Reinspection(r) => store_reinspection(txn, scope, r).await,
    }
}

/// The grids holding `enterprise_id` that the author is or was assigned to, with their plans.
async fn candidates<C: ConnectionTrait>(db: &C, user_id: i64, enterprise_id: i64) -> Result<Vec<(i64, grid_plan::Model)>, StoreError> {
    let holding: Vec<i64> =
        grid_member::Entity::find().filter(grid_member::Column::EnterpriseId.eq(enterprise_id)).all(db).await?.into_iter().map(|m| m.grid_id).collect();
    if holding.is_empty() {
        return Ok(Vec::new());
    }
    let mine: Vec<i64> = grid_assignment::Entity::find()
        .filter(grid_assignment::Column::UserId.eq(user_id))
        .filter(grid_assignment::Column::GridId.is_in(holding))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.grid_id)
        .collect();
    let grids = grid::Entity::find().filter(grid::Column::Id.is_in(mine)).all(db).await?;
    let plans: HashMap<i64, grid_plan::Model> = grid_plan::Entity::find()
        .filter(grid_plan::Column::Id.is_in(grids.iter().map(|g| g.plan_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    Ok(grids.into_iter().filter_map(|g| plans.get(&g.plan_id).map(|p| (g.id, p.clone()))).collect())
}

/// The grid, among those the author was assigned to at `at` (or is now), holding
/// `enterprise_id`.
async fn grid_for<C: ConnectionTrait>(db: &C, scope: &mut Scope, enterprise_id: i64, at: DateTime<Utc>) -> Result<Option<i64>, StoreError> {
    if !scope.candidates.contains_key(&enterprise_id) {
        let found = candidates(db, scope.author.user_id, enterprise_id).await?;
        scope.candidates.insert(enterprise_id, found);
    }
    let grids = scope.candidates.get(&enterprise_id).map(Vec::as_slice).unwrap_or_default();
    let active_at = |p: &grid_plan::Model| p.activated_at.is_some_and(|a| a <= at) && p.retired_at.is_none_or(|r| r > at);
    let is_active = |p: &grid_plan::Model| p.status == domain::PlanStatus::Active.as_str();
    let then = grids.iter().find(|(_, p)| active_at(p));
    let current = grids.iter().find(|(_, p)| is_active(p));
    Ok(then.or(current).map(|(g, _)| *g))
}

async fn store_visit(txn: &DatabaseTransaction, scope: &mut Scope, v: &field::Visit) -> Result<Outcome, StoreError> {
    let id = field::record_id(&v.id).unwrap_or_default();
    if visit::Entity::find_by_id(id.clone()).one(txn).await?.is_some() {
        return Ok(Outcome::Duplicate);
    }
    let Some(grid_id) = grid_for(txn, scope, v.enterprise_id, v.started_at).await? else {
        return Ok(Outcome::Rejected(format!("enterprise {} is not in your grid", v.enterprise_id)));
    };
    let received = now();
    let row = visit::ActiveModel {
        id: Set(id.clone()),
        enterprise_id: Set(v.enterprise_id),
        grid_id: Set(grid_id),
        worker_id: Set(scope.author.user_id),
        started_at: Set(v.started_at),
        ended_at: Set(v.ended_at),
        lon: Set(v.fix.map(|f| f.lon)),
        lat: Set(v.fix.map(|f| f.lat)),
        accuracy_m: Set(v.fix.and_then(|f| f.accuracy_m)),
        met: Set(v.met.clone()),
        notes: Set(v.notes.clone()),
        satisfaction: Set(v.satisfaction.map(i16::from)),
        received_at: Set(received),
    };
    let r = visit::Entity::insert(row).on_conflict(OnConflict::column(visit::Column::Id).do_nothing().to_owned()).exec_without_returning(txn).await?;
    if !inserted(r) {
        return Ok(Outcome::Duplicate);
    }
    for d in &v.demands {
        let row = demand::ActiveModel {
            id: Set(field::record_id(&d.id).unwrap_or_default()),
            visit_id: Set(Some(id.clone())),
            enterprise_id: Set(v.enterprise_id),
            grid_id: Set(grid_id),
            worker_id: Set(scope.author.user_id),
            category: Set(d.category.as_str().to_owned()),
            description: Set(d.description.clone()),
            status: Set("open".to_owned()),
            raised_at: Set(v.started_at),
            received_at: Set(received),
        };
        let r = demand::Entity::insert(row).on_conflict(OnConflict::column(demand::Column::Id).do_nothing().to_owned()).exec_without_returning(txn).await?;
        if !inserted(r) {
            return Ok(Outcome::Rejected(format!("demand {} was already recorded with another visit", d.id)));
        }
    }
    Ok(Outcome::Created)
}

/// The worker's grid (in the active plan) that holds the point, for a patrol finding.
async fn grid_at<C: ConnectionTrait>(db: &C, user_id: i64, lon: f64, lat: f64) -> Result<Option<i64>, StoreError> {
    for g in views::assigned_grids(db, user_id).await? {
        let Ok(json) = serde_json::from_str::<Json>(&g.geometry) else { continue };
        if domain::geometry::boundary_from_geometry_json(&json).is_ok_and(|b| b.covers(lon, lat)) {
            return Ok(Some(g.id));
        }
    }
    Ok(None)
}

async fn add_photos(txn: &DatabaseTransaction, author: Author, record_id: &str, photos: &[PhotoMeta]) -> Result<Option<Outcome>, StoreError> {
    for p in photos {
        let row = photo::ActiveModel {
            id: Set(field::record_id(&p.id).unwrap_or_default()),
            record_id: Set(record_id.to_owned()),
            worker_id: Set(author.user_id),
            content_type: Set(p.content_type.clone()),
            size: Set(i64::try_from(p.size).unwrap_or(i64::MAX)),
            received: Set(0),
            data: Set(Vec::new()),
            taken_at: Set(p.taken_at),
            lon: Set(p.fix.map(|f| f.lon)),
            lat: Set(p.fix.map(|f| f.lat)),
            completed_at: Set(None),
        };
        let r = photo::Entity::insert(row).on_conflict(OnConflict::column(photo::Column::Id).do_nothing().to_owned()).exec_without_returning(txn).await?;
        if !inserted(r) {
            return Ok(Some(Outcome::Rejected(format!("photo {} belongs to another record", p.id))));
        }
    }
    Ok(None)
}

async fn store_finding(txn: &DatabaseTransaction, scope: &mut Scope, f: &field::Finding) -> Result<Outcome, StoreError> {
    let id = field::record_id(&f.id).unwrap_or_default();
    if finding::Entity::find_by_id(id.clone()).one(txn).await?.is_some() {
        return Ok(Outcome::Duplicate);
    }
    let grid_id = match f.enterprise_id {
        Some(e) => match grid_for(txn, scope, e, f.found_at).await? {
            Some(g) => g,
            None => return Ok(Outcome::Rejected(format!("enterprise {e} is not in your grid"))),
        },
        None => match grid_at(txn, scope.author.user_id, f.fix.lon, f.fix.lat).await? {
            Some(g) => g,
            None => return Ok(Outcome::Rejected(format!("position ({}, {}) is outside your grids", f.fix.lon, f.fix.lat))),
        },
    };
    let Some(deadline) = f.effective_deadline() else { return Ok(Outcome::Rejected(field::RecordError::DeadlineRequired.to_string())) };
    let row = finding::ActiveModel {
        id: Set(id.clone()),
        enterprise_id: Set(f.enterprise_id),
        visit_id: Set(f.visit_id.clone()),
        grid_id: Set(grid_id),
        worker_id: Set(scope.author.user_id),
        kind: Set(f.kind.as_str().to_owned()),
        grade: Set(f.grade.map(|g| g.as_str().to_owned())),
        description: Set(f.description.clone()),
        lon: Set(f.fix.lon),
        lat: Set(f.fix.lat),
        accuracy_m: Set(f.fix.accuracy_m),
        found_at: Set(f.found_at),
        deadline: Set(deadline),
        status: Set("open".to_owned()),
        closed_at: Set(None),
        received_at: Set(now()),
    };
    let r = finding::Entity::insert(row).on_conflict(OnConflict::column(finding::Column::Id).do_nothing().to_owned()).exec_without_returning(txn).await?;
    if !inserted(r) {
        return Ok(Outcome::Duplicate);
    }
    Ok(add_photos(txn, scope.author, &id, &f.photos).await?.unwrap_or(Outcome::Created))
}

async fn store_reinspection(txn: &DatabaseTransaction, scope: &mut Scope, r: &field::Reinspection) -> Result<Outcome, StoreError> {
    let id = field::record_id(&r.id).unwrap_or_default();
    if reinspection::Entity::find_by_id(id.clone()).one(txn).await?.is_some() {
        return Ok(Outcome::Duplicate);
    }
    let finding_id = field::record_id(&r.finding_id).unwrap_or_default();
    let Some(found) = finding::Entity::find_by_id(finding_id.clone()).one(txn).await? else {
        return Ok(Outcome::Rejected(format!("finding {} is unknown here (send it first)", r.finding_id)));
    };
    let mine = found.worker_id == scope.author.user_id || views::assigned_grids(txn, scope.author.user_id).await?.iter().any(|g| g.id == found.grid_id);
    let mine = mine
        || match found.enterprise_id {
            Some(e) => grid_for(txn, scope, e, r.inspected_at).await?.is_some(),
            None => false,
        };
    if !mine {
        return Ok(Outcome::Rejected(format!("finding {} is not in your grid", r.finding_id)));
    }
    if found.status == "closed" {
        return Ok(Outcome::Rejected(format!("finding {} is already closed", r.finding_id)));
    }
    let row = reinspection::ActiveModel {
        id: Set(id.clone()),
        finding_id: Set(finding_id),
        worker_id: Set(scope.author.user_id),
        result: Set(r.result.as_str().to_owned()),
        notes: Set(r.notes.clone()),
        new_deadline: Set(r.new_deadline),
        lon: Set(r.fix.map(|f| f.lon)),
        lat: Set(r.fix.map(|f| f.lat)),
        inspected_at: Set(r.inspected_at),
        received_at: Set(now()),
    };
    let ins =
        reinspection::Entity::insert(row).on_conflict(OnConflict::column(reinspection::Column::Id).do_nothing().to_owned()).exec_without_returning(txn).await?;
    if !inserted(ins) {
        return Ok(Outcome::Duplicate);
    }
    let mut am: finding::ActiveModel = found.into();
    match (r.result, r.new_deadline) {
        (RectificationResult::Fixed, _) => {
            am.status = Set("closed".to_owned());
            am.closed_at = Set(Some(r.inspected_at));
        }
        (_, Some(d)) => am.deadline = Set(d),
        (_, None) => return Ok(Outcome::Rejected(field::RecordError::NewDeadlineRequired.to_string())),
    }
    am.update(txn).await?;
    Ok(add_photos(txn, scope.author, &id, &r.photos).await?.unwrap_or(Outcome::Created))
}

/// Why a photo chunk is refused.
#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    #[error("no photo {0} was announced by a synced record")]
    Unknown(String),
    #[error("photo {0} belongs to another worker")]
    NotYours(String),
    #[error("photo {id}: the server holds {received} bytes; send from there")]
    WrongOffset { id: String, received: u64 },
    #[error("photo {id}: {end} bytes would exceed its announced size of {size}")]
    TooLong { id: String, end: u64, size: u64 },
    #[error("photo {id}: the bytes are not a {content_type} image")]
    NotAnImage { id: String, content_type: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for PhotoError {
    fn from(e: sea_orm::DbErr) -> Self {
        PhotoError::Store(e.into())
    }
}

/// Whether `bytes` start like an image of `content_type`.
fn looks_like(content_type: &str, bytes: &[u8]) -> bool {
    match content_type {
        "image/jpeg" => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
        "image/png" => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "image/webp" => bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP",
        _ => false,
    }
}

fn progress(p: &photo::Model) -> api::PhotoProgress {
    api::PhotoProgress { id: p.id.clone(), received: p.received as u64, size: p.size as u64, complete: p.completed_at.is_some() }
}

/// How much of a photo the server holds.
pub async fn photo_progress<C: ConnectionTrait>(db: &C, author: Author, id: &str) -> Result<api::PhotoProgress, PhotoError> {
    Ok(progress(&own_photo(db, author, id).await?))
}

/// The announced photo `id`, if it is the author's.
async fn own_photo<C: ConnectionTrait>(db: &C, author: Author, id: &str) -> Result<photo::Model, PhotoError> {
    let id = field::record_id(id).map_err(|_| PhotoError::Unknown(id.to_owned()))?;
    let p = photo::Entity::find_by_id(id.clone()).one(db).await?.ok_or(PhotoError::Unknown(id.clone()))?;
    if p.worker_id != author.user_id {
        return Err(PhotoError::NotYours(id));
    }
    Ok(p)
}

/// Appends `chunk` at `offset` to an announced photo. Resending a chunk the server already
/// holds is harmless: a complete photo answers its progress; a wrong offset is refused with the
/// offset to resume from.
pub async fn put_photo_chunk<C: ConnectionTrait>(db: &C, author: Author, id: &str, offset: u64, chunk: &[u8]) -> Result<api::PhotoProgress, PhotoError> {
    let p = own_photo(db, author, id).await?;
    let id = p.id.clone();
    if p.completed_at.is_some() {
        return Ok(progress(&p));
    }
    let (received, size) = (p.received as u64, p.size as u64);
    if offset != received {
        return Err(PhotoError::WrongOffset { id, received });
    }
    let end = offset + chunk.len() as u64;
    if end > size {
        return Err(PhotoError::TooLong { id, end, size });
    }
    let mut data = p.data.clone();
    data.extend_from_slice(chunk);
    if data.len() >= 12.min(size as usize) && !looks_like(&p.content_type, &data) {
        return Err(PhotoError::NotAnImage { id, content_type: p.content_type });
    }
    // Only if nobody appended meanwhile (two uploads of the same photo racing).
    let done = end == size;
    let r = photo::Entity::update_many()
        .col_expr(photo::Column::Data, Expr::value(data))
        .col_expr(photo::Column::Received, Expr::value(end as i64))
        .col_expr(photo::Column::CompletedAt, Expr::value(if done { Some(now()) } else { None }))
        .filter(photo::Column::Id.eq(id.clone()))
        .filter(photo::Column::Received.eq(received as i64))
        .exec(db)
        .await?;
    if r.rows_affected == 0 {
        let now_held = photo::Entity::find_by_id(id.clone()).one(db).await?.map_or(0, |p| p.received as u64);
        return Err(PhotoError::WrongOffset { id, received: now_held });
    }
    Ok(api::PhotoProgress { id, received: end, size, complete: done })
}

/// A complete photo's type and bytes, for its worker or anyone who may see the park.
pub async fn photo_bytes<C: ConnectionTrait>(db: &C, id: &str) -> Result<Option<(String, Vec<u8>, i64)>, StoreError> {
    let Ok(id) = field::record_id(id) else { return Ok(None) };
    Ok(photo::Entity::find_by_id(id).one(db).await?.filter(|p| p.completed_at.is_some()).map(|p| (p.content_type, p.data, p.worker_id)))
}

/// What a worker's phone keeps: their grids' enterprises with where each stands in the visiting
/// round, and the open findings of their grids.
pub async fn field_data<C: ConnectionTrait>(db: &C, user_id: i64) -> Result<FieldData, StoreError> {
    let at = now();
    let grids = views::assigned_grids(db, user_id).await?;
    let code_of: HashMap<i64, String> = grids.iter().map(|g| (g.id, g.code.clone())).collect();
    let grid_ids: Vec<i64> = grids.iter().map(|g| g.id).collect();
    let members = grid_member::Entity::find().filter(grid_member::Column::GridId.is_in(grid_ids.clone())).all(db).await?;
    let grid_of: HashMap<i64, i64> = members.iter().map(|m| (m.enterprise_id, m.grid_id)).collect();
    let ids: Vec<i64> = members.iter().map(|m| m.enterprise_id).collect();
    let enterprises = enterprise::Entity::find()
        .filter(enterprise::Column::Id.is_in(ids.clone()))
        .filter(enterprise::Column::Active.eq(true))
        .order_by_asc(enterprise::Column::Name)
        .all(db)
        .await?;
    let interval = match grids.first() {
        Some(g) => {
            let plan = grid_plan::Entity::find_by_id(g.plan_id).one(db).await?;
            let park = match plan {
                Some(p) => park::Entity::find_by_id(p.park_id).one(db).await?,
                None => None,
            };
            park.map_or(30, |p| p.visit_interval_days)
        }
        None => 30,
    };
    let mut last: HashMap<i64, DateTime<Utc>> = HashMap::new();
    let mut visits: HashMap<i64, u32> = HashMap::new();
    let mut recent: Vec<visit::Model> = Vec::new();
    let since = at - chrono::Duration::days(180);
    for v in visit::Entity::find().filter(visit::Column::EnterpriseId.is_in(ids.clone())).all(db).await? {
        let e = last.entry(v.enterprise_id).or_insert(v.started_at);
        *e = (*e).max(v.started_at);
        *visits.entry(v.enterprise_id).or_default() += 1;
        if v.started_at >= since {
            recent.push(v);
        }
    }
    recent.sort_by(|a, b| b.started_at.cmp(&a.started_at));
    let demands = demand::Entity::find()
        .filter(demand::Column::EnterpriseId.is_in(ids.clone()))
        .filter(demand::Column::Status.eq("open"))
        .order_by_desc(demand::Column::RaisedAt)
        .all(db)
        .await?;
    let open = finding::Entity::find()
        .filter(finding::Column::Status.eq("open"))
        .filter(sea_orm::Condition::any().add(finding::Column::GridId.is_in(grid_ids)).add(finding::Column::EnterpriseId.is_in(ids)))
        .order_by_asc(finding::Column::Deadline)
        .all(db)
        .await?;
    let photos = photo::Entity::find()
        .filter(photo::Column::RecordId.is_in(open.iter().map(|f| f.id.clone()).collect::<Vec<_>>()))
        .filter(photo::Column::CompletedAt.is_not_null())
        .all(db)
        .await?;
    let mut open_count: HashMap<i64, u32> = HashMap::new();
    for f in &open {
        if let Some(e) = f.enterprise_id {
            *open_count.entry(e).or_default() += 1;
        }
    }
    let field_grid_code = |f: &finding::Model| {
        code_of.get(&f.grid_id).cloned().or_else(|| f.enterprise_id.and_then(|e| grid_of.get(&e)).and_then(|g| code_of.get(g)).cloned()).unwrap_or_default()
    };
    Ok(FieldData {
        visit_interval_days: interval,
        grids: grids.iter().map(|g| api::FieldGrid { code: g.code.clone(), geometry: serde_json::from_str(&g.geometry).unwrap_or(Json::Null) }).collect(),
        enterprises: enterprises
            .into_iter()
            .map(|e| FieldEnterprise {
                grid_code: grid_of.get(&e.id).and_then(|g| code_of.get(g)).cloned().unwrap_or_default(),
                last_visit: last.get(&e.id).map(|t| t.to_rfc3339()),
                visits: visits.get(&e.id).copied().unwrap_or(0),
                visit: field::visit_status(last.get(&e.id).copied(), at, i64::from(interval)),
                open_findings: open_count.get(&e.id).copied().unwrap_or(0),
                id: e.id,
                name: e.name,
                address: e.address,
                lon: e.lon,
                lat: e.lat,
            })
            .collect(),
        open_findings: open
            .iter()
            .map(|f| FindingView {
                id: f.id.clone(),
                enterprise_id: f.enterprise_id,
                grid_code: field_grid_code(f),
                kind: FindingKind::parse(&f.kind).unwrap_or(FindingKind::SafetyHazard),
                grade: f.grade.as_deref().and_then(HazardGrade::parse),
                description: f.description.clone(),
                lon: f.lon,
                lat: f.lat,
                found_at: f.found_at.to_rfc3339(),
                deadline: f.deadline.to_rfc3339(),
                overdue: f.deadline < at,
                photos: photos.iter().filter(|p| p.record_id == f.id).map(|p| p.id.clone()).collect(),
            })
            .collect(),
        recent_visits: recent
            .into_iter()
            .map(|v| api::VisitView {
                id: v.id,
                enterprise_id: v.enterprise_id,
                started_at: v.started_at.to_rfc3339(),
                met: v.met,
                notes: v.notes,
                satisfaction: v.satisfaction,
            })
            .collect(),
        open_demands: demands
            .into_iter()
            .map(|d| api::DemandView {
                id: d.id,
                enterprise_id: d.enterprise_id,
                category: field::DemandCategory::parse(&d.category).unwrap_or(field::DemandCategory::Other),
                description: d.description,
                raised_at: d.raised_at.to_rfc3339(),
                status: d.status,
            })
            .collect(),
        as_of: at.to_rfc3339(),
    })
}
