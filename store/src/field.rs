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
//! # Whose grid, when
//! A worker may write about an enterprise that lay, when the record was made, in a grid they
//! held then: assigned to it (assignments are ended, never deleted) while its plan was in
//! force. So a visit made before a re-partition is still accepted after it, from the worker who
//! made it; a worker taken off a grid cannot write about it afterwards, whatever date the
//! record carries; a re-inspection dated before its finding is refused. A refusal that may
//! pass (not your grid — an assignment may be recorded; a finding not sent yet) is answered
//! `retry`, the others `rejected` ([`api::Rejection::retryable`]).

use crate::entities::{demand, enterprise, finding, grid, grid_assignment, grid_member, grid_plan, park, photo, photo_chunk, reinspection, user_park, visit};
use crate::{StoreError, now, views};
use api::{FieldData, FieldEnterprise, FindingView, Receipt, Rejection, SyncRecord};
use chrono::{DateTime, Utc};
use domain::field::{self, FindingKind, HazardGrade, PhotoMeta, RecordStatus};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait};
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
    Refused(Rejection),
}

/// Stores each record of a batch once, in order; one receipt per record.
///
/// The batch is one transaction (one commit, one disk flush) and each record a savepoint in
/// it: a refused record rolls back to its savepoint and the others stay — a database error
/// storing one record too (it is answered `retry`). A crash before the commit stores nothing,
/// and the phone, which got no receipts, sends the batch again.
pub async fn sync<D>(db: &D, author: Author, records: &[Json]) -> Result<Vec<Receipt>, StoreError>
where
    D: ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>,
{
    // Writers wait for each other from BEGIN (SQLite), so the history read here holds.
    let txn = crate::db::write(db).await?;
    let mut scope = Scope { author, held: held_grids(&txn, author.user_id).await?, holding: HashMap::new() };
    let mut receipts = Vec::with_capacity(records.len());
    for raw in records {
        let id = raw.get("id").and_then(Json::as_str).unwrap_or_default().to_owned();
        let outcome = match serde_json::from_value::<SyncRecord>(raw.clone()) {
            Err(e) => Outcome::Refused(Rejection::Invalid { detail: format!("not a valid record: {e}") }),
            Ok(record) => match check(&record) {
                Err(e) => Outcome::Refused(Rejection::Invalid { detail: e.to_string() }),
                Ok(()) => {
                    let savepoint = txn.begin().await?;
                    match store_record(&savepoint, &mut scope, &record).await {
                        Ok(Outcome::Created) => {
                            savepoint.commit().await?;
                            Outcome::Created
                        }
                        Ok(other) => {
                            savepoint.rollback().await?;
                            other
                        }
                        Err(e) => {
                            tracing::warn!(record = %id, error = %e, "a synced record could not be stored");
                            savepoint.rollback().await?;
                            Outcome::Refused(Rejection::ServerError)
                        }
                    }
                }
            },
        };
        receipts.push(match outcome {
            Outcome::Created => Receipt::created(id),
            Outcome::Duplicate => Receipt::duplicate(id),
            Outcome::Refused(r) => Receipt::refused(id, r),
        });
    }
    txn.commit().await?;
    Ok(receipts)
}

/// A grid the author held, and when: from when both the assignment and the grid's plan were in
/// force, until either ended.
#[derive(Clone, Debug)]
struct Held {
    grid: grid::Model,
    from: DateTime<Utc>,
    until: Option<DateTime<Utc>>,
}

impl Held {
    fn at(&self, t: DateTime<Utc>) -> bool {
        self.from <= t && self.until.is_none_or(|u| t < u)
    }
}

/// Every grid `user_id` ever held, with when.
async fn held_grids<C: ConnectionTrait>(db: &C, user_id: i64) -> Result<Vec<Held>, StoreError> {
    let assignments = grid_assignment::Entity::find().filter(grid_assignment::Column::UserId.eq(user_id)).all(db).await?;
    let grids: HashMap<i64, grid::Model> = grid::Entity::find()
        .filter(grid::Column::Id.is_in(assignments.iter().map(|a| a.grid_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|g| (g.id, g))
        .collect();
    let plans: HashMap<i64, grid_plan::Model> = grid_plan::Entity::find()
        .filter(grid_plan::Column::Id.is_in(grids.values().map(|g| g.plan_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    Ok(assignments
        .into_iter()
        .filter_map(|a| {
            let grid = grids.get(&a.grid_id)?.clone();
            let plan = plans.get(&grid.plan_id)?;
            // A draft's grid was never in force.
            let activated = plan.activated_at?;
            let until = match (a.ended_at, plan.retired_at) {
                (Some(x), Some(y)) => Some(x.min(y)),
                (x, y) => x.or(y),
            };
            Some(Held { grid, from: a.assigned_at.max(activated), until })
        })
        .collect())
}

/// One sync's author and what it has looked up about them.
struct Scope {
    author: Author,
    held: Vec<Held>,
    /// Per enterprise: which of the held grids hold it.
    holding: HashMap<i64, Vec<i64>>,
}

fn check(record: &SyncRecord) -> Result<(), field::RecordError> {
    record.check(now())
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
        SyncRecord::CaseWork(w) => store_case_work(txn, scope, w).await,
    }
}

/// A case verified or rated in the field: the case's rules apply as on its page; a resent
/// record counts once.
async fn store_case_work(txn: &DatabaseTransaction, scope: &Scope, w: &field::CaseWork) -> Result<Outcome, StoreError> {
    use crate::cases::FieldOutcome;
    let record = field::record_id(&w.id).unwrap_or_default();
    Ok(match crate::cases::act_from_field(txn, scope.author.user_id, &record, w.case_id, &w.action()).await? {
        FieldOutcome::Applied => Outcome::Created,
        FieldOutcome::Duplicate => Outcome::Duplicate,
        FieldOutcome::NotYours => Outcome::Refused(Rejection::NotYourGrid { enterprise_id: None }),
        FieldOutcome::MovedOn => Outcome::Refused(Rejection::CaseMovedOn { case_id: w.case_id }),
        FieldOutcome::Invalid(detail) => Outcome::Refused(Rejection::Invalid { detail }),
    })
}

/// The grid holding `enterprise_id` that the author held at `at`.
async fn grid_for<C: ConnectionTrait>(db: &C, scope: &mut Scope, enterprise_id: i64, at: DateTime<Utc>) -> Result<Option<i64>, StoreError> {
    if !scope.holding.contains_key(&enterprise_id) {
        let ids: Vec<i64> = scope.held.iter().map(|h| h.grid.id).collect();
        let holding = grid_member::Entity::find()
            .filter(grid_member::Column::EnterpriseId.eq(enterprise_id))
            .filter(grid_member::Column::GridId.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|m| m.grid_id)
            .collect();
        scope.holding.insert(enterprise_id, holding);
    }
    let holding = scope.holding.get(&enterprise_id).map(Vec::as_slice).unwrap_or_default();
    Ok(scope.held.iter().find(|h| h.at(at) && holding.contains(&h.grid.id)).map(|h| h.grid.id))
}

/// The grid the author held at `at` that covers the point, for a patrol finding.
fn grid_at(scope: &Scope, lon: f64, lat: f64, at: DateTime<Utc>) -> Option<i64> {
    scope
        .held
        .iter()
        .filter(|h| h.at(at))
        .find(|h| {
            serde_json::from_str::<Json>(&h.grid.geometry)
                .ok()
                .is_some_and(|json| domain::geometry::boundary_from_geometry_json(&json).is_ok_and(|b| b.covers(lon, lat)))
        })
        .map(|h| h.grid.id)
}

async fn store_visit(txn: &DatabaseTransaction, scope: &mut Scope, v: &field::Visit) -> Result<Outcome, StoreError> {
    let id = field::record_id(&v.id).unwrap_or_default();
    if visit::Entity::find_by_id(id.clone()).one(txn).await?.is_some() {
        return Ok(Outcome::Duplicate);
    }
    let Some(grid_id) = grid_for(txn, scope, v.enterprise_id, v.started_at).await? else {
        return Ok(Outcome::Refused(Rejection::NotYourGrid { enterprise_id: Some(v.enterprise_id) }));
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
            status: Set(RecordStatus::Open.as_str().to_owned()),
            raised_at: Set(v.started_at),
            received_at: Set(received),
        };
        let r = demand::Entity::insert(row).on_conflict(OnConflict::column(demand::Column::Id).do_nothing().to_owned()).exec_without_returning(txn).await?;
        if !inserted(r) {
            return Ok(Outcome::Refused(Rejection::IdTaken { id: d.id.clone() }));
        }
        // Every demand is a case from now on, owned by the worker who heard it (首问负责).
        let demand_id = field::record_id(&d.id).unwrap_or_default();
        crate::cases::register(
            txn,
            crate::cases::NewDemand {
                enterprise_id: v.enterprise_id,
                category: d.category,
                description: &d.description,
                source: crate::cases::Source::Visit,
                record: Some(&demand_id),
                owner: Some(scope.author.user_id),
                at: v.started_at,
            },
        )
        .await?;
    }
    Ok(Outcome::Created)
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
            taken_at: Set(p.taken_at),
            lon: Set(p.fix.map(|f| f.lon)),
            lat: Set(p.fix.map(|f| f.lat)),
            completed_at: Set(None),
        };
        let r = photo::Entity::insert(row).on_conflict(OnConflict::column(photo::Column::Id).do_nothing().to_owned()).exec_without_returning(txn).await?;
        if !inserted(r) {
            return Ok(Some(Outcome::Refused(Rejection::IdTaken { id: p.id.clone() })));
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
            None => return Ok(Outcome::Refused(Rejection::NotYourGrid { enterprise_id: Some(e) })),
        },
        None => match grid_at(scope, f.fix.lon, f.fix.lat, f.found_at) {
            Some(g) => g,
            None => return Ok(Outcome::Refused(Rejection::NotYourGrid { enterprise_id: None })),
        },
    };
    let Some(deadline) = f.effective_deadline() else {
        return Ok(Outcome::Refused(Rejection::Invalid { detail: field::RecordError::DeadlineRequired.to_string() }));
    };
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
        status: Set(RecordStatus::Open.as_str().to_owned()),
        closed_at: Set(None),
        received_at: Set(now()),
    };
    let stored = sea_orm::TryIntoModel::try_into_model(row.clone())?;
    let r = finding::Entity::insert(row).on_conflict(OnConflict::column(finding::Column::Id).do_nothing().to_owned()).exec_without_returning(txn).await?;
    if !inserted(r) {
        return Ok(Outcome::Duplicate);
    }
    if let Some(refused) = add_photos(txn, scope.author, &id, &f.photos).await? {
        return Ok(refused);
    }
    // Handled to the end as a case (issue 13): rectification, verification, rating.
    crate::cases::register_finding(txn, &stored, park_of_grid(txn, grid_id).await?).await?;
    Ok(Outcome::Created)
}

/// The park a grid's plan belongs to.
async fn park_of_grid<C: ConnectionTrait>(db: &C, grid_id: i64) -> Result<i64, StoreError> {
    let g = grid::Entity::find_by_id(grid_id).one(db).await?.ok_or(StoreError::NotFound("grid"))?;
    Ok(grid_plan::Entity::find_by_id(g.plan_id).one(db).await?.ok_or(StoreError::NotFound("plan"))?.park_id)
}

async fn store_reinspection(txn: &DatabaseTransaction, scope: &mut Scope, r: &field::Reinspection) -> Result<Outcome, StoreError> {
    let id = field::record_id(&r.id).unwrap_or_default();
    if reinspection::Entity::find_by_id(id.clone()).one(txn).await?.is_some() {
        return Ok(Outcome::Duplicate);
    }
    let finding_id = field::record_id(&r.finding_id).unwrap_or_default();
    let Some(found) = finding::Entity::find_by_id(finding_id.clone()).one(txn).await? else {
        return Ok(Outcome::Refused(Rejection::UnknownFinding { finding_id: r.finding_id.clone() }));
    };
    if r.inspected_at < found.found_at {
        return Ok(Outcome::Refused(Rejection::BeforeFinding { finding_id: r.finding_id.clone() }));
    }
    // Only who held the finding's grid, or a grid holding its enterprise, when they inspected.
    let held_its_grid = scope.held.iter().any(|h| h.grid.id == found.grid_id && h.at(r.inspected_at));
    let mine = held_its_grid
        || match found.enterprise_id {
            Some(e) => grid_for(txn, scope, e, r.inspected_at).await?.is_some(),
            None => false,
        };
    if !mine {
        return Ok(Outcome::Refused(Rejection::NotYourGrid { enterprise_id: found.enterprise_id }));
    }
    if RecordStatus::parse(&found.status) == Some(RecordStatus::Closed) {
        return Ok(Outcome::Refused(Rejection::FindingClosed { finding_id: r.finding_id.clone() }));
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
    if let Some(refused) = add_photos(txn, scope.author, &id, &r.photos).await? {
        return Ok(refused);
    }
    // The finding's case decides (issue 13): a report of the fix, its verification by someone
    // else, or a new deadline; the after-photo is the record's first.
    let photo = r.photos.first().map(|p| (field::record_id(&p.id).unwrap_or_default(), p.fix));
    Ok(match crate::cases::rectification_from_field(txn, scope.author.user_id, &id, r, photo).await? {
        Ok(()) => Outcome::Created,
        Err(rejection) => Outcome::Refused(rejection),
    })
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
pub(crate) fn looks_like(content_type: &str, bytes: &[u8]) -> bool {
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
/// offset to resume from. The chunk is stored as it came (`photo_chunk`): nothing already
/// received is read or rewritten.
pub async fn put_photo_chunk<D>(db: &D, author: Author, id: &str, offset: u64, chunk: &[u8]) -> Result<api::PhotoProgress, PhotoError>
where
    D: ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>,
{
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
    // The image's signature is in its first bytes: the first chunk must hold them.
    if offset == 0 && !looks_like(&p.content_type, chunk) {
        return Err(PhotoError::NotAnImage { id, content_type: p.content_type });
    }
    if chunk.is_empty() {
        return Ok(progress(&p));
    }
    let done = end == size;
    let txn = crate::db::write(db).await?;
    // Only if nobody appended meanwhile (two uploads of the same photo racing).
    let r = photo::Entity::update_many()
        .col_expr(photo::Column::Received, Expr::value(end as i64))
        .col_expr(photo::Column::CompletedAt, Expr::value(if done { Some(now()) } else { None }))
        .filter(photo::Column::Id.eq(id.clone()))
        .filter(photo::Column::Received.eq(received as i64))
        .exec(&txn)
        .await?;
    if r.rows_affected == 0 {
        txn.rollback().await?;
        let now_held = photo::Entity::find_by_id(id.clone()).one(db).await?.map_or(0, |p| p.received as u64);
        return Err(PhotoError::WrongOffset { id, received: now_held });
    }
    photo_chunk::ActiveModel { photo_id: Set(id.clone()), byte_offset: Set(offset as i64), data: Set(chunk.to_vec()) }.insert(&txn).await?;
    txn.commit().await?;
    Ok(api::PhotoProgress { id, received: end, size, complete: done })
}

/// A complete photo: its type, its worker, and its bytes as a stream of its chunks, read one
/// at a time.
pub struct PhotoBytes {
    pub content_type: String,
    pub worker_id: i64,
    /// The park of the record the photo belongs to.
    pub park_id: Option<i64>,
    pub size: u64,
    pub chunks: futures::stream::BoxStream<'static, Result<Vec<u8>, StoreError>>,
}

/// The park of a finding, or of the finding a re-inspection inspects.
async fn park_of_record<C: ConnectionTrait>(db: &C, record_id: &str) -> Result<Option<i64>, StoreError> {
    let finding_id = match reinspection::Entity::find_by_id(record_id.to_owned()).one(db).await? {
        Some(r) => r.finding_id,
        None => record_id.to_owned(),
    };
    let Some(f) = finding::Entity::find_by_id(finding_id).one(db).await? else { return Ok(None) };
    let Some(g) = grid::Entity::find_by_id(f.grid_id).one(db).await? else { return Ok(None) };
    Ok(grid_plan::Entity::find_by_id(g.plan_id).one(db).await?.map(|p| p.park_id))
}

/// A complete photo, for its worker or anyone who may see the park.
pub async fn photo_bytes(db: &sea_orm::DatabaseConnection, id: &str) -> Result<Option<PhotoBytes>, StoreError> {
    use futures::StreamExt;
    let Ok(id) = field::record_id(id) else { return Ok(None) };
    let Some(p) = photo::Entity::find_by_id(id.clone()).one(db).await?.filter(|p| p.completed_at.is_some()) else { return Ok(None) };
    let park_id = park_of_record(db, &p.record_id).await?;
    let offsets: Vec<i64> = photo_chunk::Entity::find()
        .select_only()
        .column(photo_chunk::Column::ByteOffset)
        .filter(photo_chunk::Column::PhotoId.eq(id.clone()))
        .order_by_asc(photo_chunk::Column::ByteOffset)
        .into_tuple()
        .all(db)
        .await?;
    let db = db.clone();
    let chunks = futures::stream::iter(offsets)
        .then(move |offset| {
            let (db, id) = (db.clone(), id.clone());
            async move {
                let c = photo_chunk::Entity::find_by_id((id, offset)).one(&db).await?;
                c.map(|c| c.data).ok_or(StoreError::NotFound("photo chunk"))
            }
        })
        .boxed();
    Ok(Some(PhotoBytes { content_type: p.content_type, worker_id: p.worker_id, park_id, size: p.size as u64, chunks }))
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
    // The park of the worker's grids; without a grid, the first park they work in.
    let park_id = match grids.first() {
        Some(g) => grid_plan::Entity::find_by_id(g.plan_id).one(db).await?.map(|p| p.park_id),
        None => {
            user_park::Entity::find().filter(user_park::Column::UserId.eq(user_id)).order_by_asc(user_park::Column::ParkId).one(db).await?.map(|l| l.park_id)
        }
    };
    let park = match park_id {
        Some(id) => park::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let interval = park.as_ref().map_or(30, |p| p.visit_interval_days);
    let notices = match &park {
        Some(p) => crate::public::notices(db, p.id).await?,
        None => Vec::new(),
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
        .filter(demand::Column::Status.eq(RecordStatus::Open.as_str()))
        .order_by_desc(demand::Column::RaisedAt)
        .all(db)
        .await?;
    let open = finding::Entity::find()
        .filter(finding::Column::Status.eq(RecordStatus::Open.as_str()))
        .filter(sea_orm::Condition::any().add(finding::Column::GridId.is_in(grid_ids)).add(finding::Column::EnterpriseId.is_in(ids)))
        .order_by_asc(finding::Column::Deadline)
        .all(db)
        .await?;
    // (photo id, record id) only: the bytes stay where they are.
    let photos: Vec<(String, String)> = photo::Entity::find()
        .select_only()
        .column(photo::Column::Id)
        .column(photo::Column::RecordId)
        .filter(photo::Column::RecordId.is_in(open.iter().map(|f| f.id.clone()).collect::<Vec<_>>()))
        .filter(photo::Column::CompletedAt.is_not_null())
        .order_by_asc(photo::Column::TakenAt)
        .into_tuple()
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
                photos: photos.iter().filter(|(_, record)| *record == f.id).map(|(id, _)| id.clone()).collect(),
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
                // Written only as `RecordStatus::as_str` (here and by `cases`).
                status: RecordStatus::parse(&d.status).unwrap_or(RecordStatus::Open),
            })
            .collect(),
        cases: crate::cases::field_cases(db, user_id).await?,
        notices,
        park_code: park.map(|p| p.code),
        as_of: at.to_rfc3339(),
    })
}
