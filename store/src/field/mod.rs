//! Field work from the phones: the sync of visits, findings and re-inspections
//! ([`sync`], here), photo uploads in chunks ([`put_photo_chunk`], `photos`), and what a
//! worker's phone keeps ([`field_data`], `data`).
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

mod data;
mod photos;

pub use data::*;
pub use photos::*;

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
    Ok(match crate::cases::act_from_field(txn, scope.author.user_id, w.id.as_str(), w.case_id, &w.action()).await? {
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
    let id = v.id.to_string();
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
            id: Set(d.id.to_string()),
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
        crate::cases::register(
            txn,
            crate::cases::NewDemand {
                enterprise_id: v.enterprise_id,
                category: d.category,
                description: &d.description,
                source: crate::cases::Source::Visit,
                record: Some(d.id.as_str()),
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
            id: Set(p.id.to_string()),
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
    let id = f.id.to_string();
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
        visit_id: Set(f.visit_id.clone().map(String::from)),
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
    let id = r.id.to_string();
    if reinspection::Entity::find_by_id(id.clone()).one(txn).await?.is_some() {
        return Ok(Outcome::Duplicate);
    }
    let finding_id = r.finding_id.to_string();
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
    let photo = r.photos.first().map(|p| (p.id.to_string(), p.fix));
    Ok(match crate::cases::rectification_from_field(txn, scope.author.user_id, &id, r, photo).await? {
        Ok(()) => Outcome::Created,
        Err(rejection) => Outcome::Refused(rejection),
    })
}
