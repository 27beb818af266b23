//! Cases (issue 13): registering demands as cases, the inboxes, and every transition.
//!
//! The rules are `domain::case::transition`'s; this module finds out the facts they need (who
//! acts, in which role, whether a worker holds the case's grid, the officer's department),
//! applies the answer — stage, deadline on the official calendar, flags — and writes the
//! case, its event and the audit log in one transaction, with the case's row locked so that
//! two people acting at once are applied one after the other, each on the other's result.
//!
//! Who sees a case: the center (managers, administrators) in its park; a department officer
//! the cases sent to their department, and those they acted on; a worker the cases of the
//! enterprises of the grids they hold now.

use crate::access::{Access, Parks};
use crate::entities::{
    app_user, case_attachment, case_event, case_stage_limit, case_task, case_time_limit, department, enterprise, finding, grid, grid_assignment, grid_member,
    grid_plan, park, photo, service_case,
};
use crate::{StoreError, audit, calendar};
use api::cases::{BoxCount, CaseBox, CaseDetail, CaseEvent, CaseFinding, CaseList, CaseSummary, NewCase};
use chrono::{DateTime, Duration, Utc};
use domain::Role;
use domain::calendar::{TimeLimit, WorkCalendar, end_of_day, local_date};
use domain::case::{Action, ActionKind, Actor, CaseState, FindingFacts, Mode, RectificationPlan, Satisfaction, Stage, allowed_in, transition};
use domain::field::{Fix, HazardGrade, RecordStatus, RectificationResult};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionTrait,
};
use std::collections::HashMap;

/// A case of the same enterprise and category within this many days is a repeat.
pub const REPEAT_WITHIN_DAYS: i64 = 90;
/// Working days after 催办 before a late case goes to the center's head (督办).
pub const SUPERVISE_AFTER: u32 = 3;
/// A closed case waits this many days for the enterprise's rating on the worker's list.
pub const RATE_WITHIN_DAYS: i64 = 30;
/// The most cases one list answers.
pub const PAGE: u64 = 200;

/// Where a new case comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Heard on a visit (the field app).
    Visit,
    /// At the service hall: a visitor or a phone call.
    Hall,
    /// Submitted by the enterprise through its link.
    Enterprise,
    /// A hazard or environmental finding (the field app).
    Finding,
}

impl Source {
    fn as_str(self) -> &'static str {
        match self {
            Source::Visit => "visit",
            Source::Hall => "hall",
            Source::Enterprise => "enterprise",
            Source::Finding => "finding",
        }
    }
}

/// A demand to register as a case.
pub struct NewDemand<'a> {
    pub enterprise_id: i64,
    pub category: domain::field::DemandCategory,
    pub description: &'a str,
    pub source: Source,
    /// The field record it came from (its id), so that a resent record registers nothing.
    pub record: Option<&'a str>,
    /// 首问负责: who heard it first (none for the enterprise's own link).
    pub owner: Option<i64>,
    pub at: DateTime<Utc>,
}

/// Registers a demand as a case at 登记, within the caller's transaction; a repeat of the
/// same enterprise and category within 90 days is linked to the earlier case. A record
/// registered before registers nothing (`None`).
pub async fn register<C: ConnectionTrait>(db: &C, d: NewDemand<'_>) -> Result<Option<service_case::Model>, StoreError> {
    let e = enterprise::Entity::find_by_id(d.enterprise_id).one(db).await?.ok_or(StoreError::NotFound("enterprise"))?;
    let description = d.description.trim();
    // A field record was checked when it synced (`domain::field::Visit::check`); what people
    // type at the hall or through the link is checked here.
    if d.source != Source::Visit && (description.is_empty() || description.chars().count() > domain::case::MAX_TEXT) {
        return Err(StoreError::refused(api::RefusalCode::BadDescription, "", "a case needs a description of at most 2000 characters"));
    }
    let category = d.category.as_str();
    let earlier = earlier_case(db, e.id, category, d.at).await?;
    let stage_deadline = registered_deadline(db, d.at).await?;
    let now = crate::now();
    let row = service_case::ActiveModel {
        park_id: Set(e.park_id),
        enterprise_id: Set(Some(e.id)),
        source: Set(d.source.as_str().to_owned()),
        source_record: Set(d.record.map(str::to_owned)),
        kind: Set("demand".to_owned()),
        category: Set(category.to_owned()),
        description: Set(description.to_owned()),
        stage: Set(Stage::Registered.as_str().to_owned()),
        mode: Set(None),
        department_id: Set(None),
        owner_id: Set(d.owner),
        deadline_at: Set(None),
        paused_at: Set(None),
        pending_extension: Set(None),
        replied_by: Set(None),
        rating: Set(None),
        rated_solved: Set(None),
        flagged: Set(false),
        repeat_of: Set(earlier),
        registered_at: Set(d.at),
        updated_at: Set(now),
        stage_deadline_at: Set(stage_deadline),
        ..Default::default()
    };
    if let Some(record) = d.record {
        let r = service_case::Entity::insert(row)
            .on_conflict(OnConflict::column(service_case::Column::SourceRecord).do_nothing().to_owned())
            .exec_without_returning(db)
            .await?;
        if r == 0 {
            return Ok(None);
        }
        let case = service_case::Entity::find().filter(service_case::Column::SourceRecord.eq(record)).one(db).await?.ok_or(StoreError::NotFound("case"))?;
        add_event(db, &case, d.owner, "user", "register", None, Stage::Registered, None, d.at, None).await?;
        return Ok(Some(case));
    }
    let case = row.insert(db).await?;
    let kind = if d.owner.is_some() { "user" } else { "enterprise" };
    add_event(db, &case, d.owner, kind, "register", None, Stage::Registered, None, d.at, None).await?;
    Ok(Some(case))
}

/// The latest case of the same enterprise and category within [`REPEAT_WITHIN_DAYS`] before
/// `at`: a new one repeats it.
async fn earlier_case<C: ConnectionTrait>(db: &C, enterprise_id: i64, category: &str, at: DateTime<Utc>) -> Result<Option<i64>, StoreError> {
    Ok(service_case::Entity::find()
        .filter(service_case::Column::EnterpriseId.eq(enterprise_id))
        .filter(service_case::Column::Category.eq(category))
        .filter(service_case::Column::RegisteredAt.gte(at - Duration::days(REPEAT_WITHIN_DAYS)))
        .filter(service_case::Column::RegisteredAt.lte(at))
        .order_by_desc(service_case::Column::RegisteredAt)
        .one(db)
        .await?
        .map(|c| c.id))
}

/// The stages a limit of `case_stage_limit` may time: those that wait on someone.
pub const TIMED_STAGES: [Stage; 3] = [Stage::Registered, Stage::Dispatched, Stage::Verifying];

/// The limit of `stage` (`case_stage_limit`), if it has one.
async fn stage_limit<C: ConnectionTrait>(db: &C, stage: Stage) -> Result<Option<TimeLimit>, StoreError> {
    Ok(case_stage_limit::Entity::find_by_id(stage.as_str().to_owned()).one(db).await?.and_then(|r| limit_of(r.working_days, r.hours)))
}

/// When a case registered at `at` must be taken on by (the calendar read only if 登记 has a
/// limit).
async fn registered_deadline<C: ConnectionTrait>(db: &C, at: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, StoreError> {
    Ok(match stage_limit(db, Stage::Registered).await? {
        Some(limit) => Some(calendar::load(db).await?.deadline(at, limit)),
        None => None,
    })
}

/// A row's limit: its hours if it has them, else its working days.
fn limit_of(working_days: i32, hours: Option<i32>) -> Option<TimeLimit> {
    match hours {
        Some(h) => u32::try_from(h).ok().map(TimeLimit::Hours),
        None => u32::try_from(working_days).ok().map(TimeLimit::WorkingDays),
    }
}

/// The most hours a limit in hours may be (a month).
pub const MAX_LIMIT_HOURS: u32 = 720;

/// A limit's amount checked: 1–60 working days, or 1–720 hours.
fn check_amount(working_days: u32, hours: Option<u32>) -> Result<(i32, Option<i32>), StoreError> {
    match hours {
        Some(h) if h == 0 || h > MAX_LIMIT_HOURS => Err(StoreError::refused(api::RefusalCode::LimitHours, h.to_string(), "a limit of 1 to 720 hours")),
        Some(h) => Ok((0, i32::try_from(h).ok())),
        None if working_days == 0 || working_days > MAX_LIMIT_DAYS => {
            Err(StoreError::refused(api::RefusalCode::LimitDays, working_days.to_string(), "a limit of 1 to 60 working days"))
        }
        None => Ok((i32::try_from(working_days).unwrap_or(i32::MAX), None)),
    }
}

/// The stage limits table.
pub async fn stage_limits<C: ConnectionTrait>(db: &C) -> Result<Vec<api::cases::StageLimitRow>, StoreError> {
    let rows = case_stage_limit::Entity::find().all(db).await?;
    Ok(TIMED_STAGES
        .iter()
        .filter_map(|s| {
            let r = rows.iter().find(|r| r.stage == s.as_str())?;
            Some(api::cases::StageLimitRow { stage: *s, working_days: u32::try_from(r.working_days).ok()?, hours: r.hours.and_then(|h| u32::try_from(h).ok()) })
        })
        .collect())
}

/// Sets a stage's limit: refused for a stage that waits on nobody, or days outside 1–60.
/// Cases entering the stage from now on get the new limit.
pub async fn set_stage_limit<C: ConnectionTrait>(db: &C, access: &Access, row: &api::cases::StageLimitRow) -> Result<(), StoreError> {
    if !TIMED_STAGES.contains(&row.stage) {
        return Err(StoreError::refused(api::RefusalCode::LimitStage, row.stage.as_str(), "only the stages registered, dispatched and verifying have a limit"));
    }
    let (days, hours) = check_amount(row.working_days, row.hours)?;
    let model = case_stage_limit::ActiveModel { stage: Set(row.stage.as_str().to_owned()), working_days: Set(days), hours: Set(hours) };
    case_stage_limit::Entity::insert(model)
        .on_conflict(
            OnConflict::column(case_stage_limit::Column::Stage)
                .update_columns([case_stage_limit::Column::WorkingDays, case_stage_limit::Column::Hours])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    audit::record(
        db,
        audit::Event {
            actor: Some(access.user.id),
            action: "case.stage_limit",
            entity: "case_stage_limit",
            entity_id: None,
            before: None,
            after: audit::snapshot(row),
        },
    )
    .await?;
    Ok(())
}

/// Registers a finding just synced as its case, within the sync's transaction: being
/// rectified from the start (办理, on the deadline the worker set) — a major hazard waits at
/// 登记 for its rectification plan, flagged for the center. Owned by the worker who found it.
pub(crate) async fn register_finding(txn: &DatabaseTransaction, f: &finding::Model, park_id: i64) -> Result<(), StoreError> {
    let major = f.grade.as_deref() == Some(HazardGrade::Major.as_str());
    let (stage, mode) = if major { (Stage::Registered, None) } else { (Stage::InProgress, Some(Mode::Promised)) };
    let repeat_of = match f.enterprise_id {
        Some(e) => earlier_case(txn, e, &f.kind, f.found_at).await?,
        None => None,
    };
    let row = service_case::ActiveModel {
        park_id: Set(park_id),
        enterprise_id: Set(f.enterprise_id),
        source: Set(Source::Finding.as_str().to_owned()),
        source_record: Set(Some(f.id.clone())),
        kind: Set("finding".to_owned()),
        category: Set(f.kind.clone()),
        description: Set(f.description.clone()),
        stage: Set(stage.as_str().to_owned()),
        mode: Set(mode.map(|m| m.as_str().to_owned())),
        owner_id: Set(Some(f.worker_id)),
        deadline_at: Set(Some(f.deadline)),
        flagged: Set(major),
        repeat_of: Set(repeat_of),
        grade: Set(f.grade.clone()),
        spot_lon: Set(Some(f.lon)),
        spot_lat: Set(Some(f.lat)),
        stage_deadline_at: Set(match stage {
            Stage::Registered => registered_deadline(txn, f.found_at).await?,
            _ => None,
        }),
        registered_at: Set(f.found_at),
        updated_at: Set(crate::now()),
        ..Default::default()
    };
    let case = row.insert(txn).await?;
    add_event(txn, &case, Some(f.worker_id), "user", "register", None, stage, None, f.found_at, None).await
}

#[allow(clippy::too_many_arguments)]
async fn add_event<C: ConnectionTrait>(
    db: &C,
    case: &service_case::Model,
    actor: Option<i64>,
    actor_kind: &str,
    action: &str,
    from: Option<Stage>,
    to: Stage,
    detail: Option<&Action>,
    at: DateTime<Utc>,
    record: Option<&str>,
) -> Result<(), StoreError> {
    case_event::ActiveModel {
        case_id: Set(case.id),
        at: Set(at),
        actor_id: Set(actor),
        actor_kind: Set(actor_kind.to_owned()),
        action: Set(action.to_owned()),
        from_stage: Set(from.map(|s| s.as_str().to_owned())),
        to_stage: Set(to.as_str().to_owned()),
        detail: Set(detail.and_then(|a| serde_json::to_string(a).ok())),
        record_id: Set(record.map(str::to_owned)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// A demand registered at the service hall by center staff, who own it (首问负责).
pub async fn open_at_hall<D>(db: &D, access: &Access, new: &NewCase) -> Result<CaseDetail, StoreError>
where
    D: ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>,
{
    access.enterprise(db, new.enterprise_id).await?;
    let txn = crate::db::write(db).await?;
    let case = register(
        &txn,
        NewDemand {
            enterprise_id: new.enterprise_id,
            category: new.category,
            description: &new.description,
            source: Source::Hall,
            record: None,
            owner: Some(access.user.id),
            at: crate::now(),
        },
    )
    .await?
    .ok_or(StoreError::NotFound("case"))?;
    audit::record(
        &txn,
        audit::Event { actor: Some(access.user.id), action: "case.register", entity: "case", entity_id: Some(case.id.to_string()), before: None, after: None },
    )
    .await?;
    txn.commit().await?;
    detail(db, access, case.id).await
}

/// The enterprises of the grids the user holds now (active plans, current assignments), in
/// the parks they reach.
async fn held_enterprises<C: ConnectionTrait>(db: &C, access: &Access) -> Result<Vec<i64>, StoreError> {
    let grids: Vec<i64> = grid_assignment::Entity::find_current()
        .filter(grid_assignment::Column::UserId.eq(access.user.id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.grid_id)
        .collect();
    if grids.is_empty() {
        return Ok(Vec::new());
    }
    let mut plans = grid_plan::Entity::find().filter(grid_plan::Column::Status.eq(domain::PlanStatus::Active.as_str()));
    if let Parks::Only(ids) = &access.parks {
        plans = plans.filter(grid_plan::Column::ParkId.is_in(ids.clone()));
    }
    let active: Vec<i64> = plans.all(db).await?.into_iter().map(|p| p.id).collect();
    let live: Vec<i64> = grid::Entity::find()
        .filter(grid::Column::Id.is_in(grids))
        .filter(grid::Column::PlanId.is_in(active))
        .all(db)
        .await?
        .into_iter()
        .map(|g| g.id)
        .collect();
    Ok(grid_member::Entity::find().filter(grid_member::Column::GridId.is_in(live)).all(db).await?.into_iter().map(|m| m.enterprise_id).collect())
}

/// Which cases a user handles or sees: a condition on `service_case`.
async fn scope<C: ConnectionTrait>(db: &C, access: &Access, park: Option<i64>) -> Result<Condition, StoreError> {
    let parks = match (&access.parks, park) {
        (_, Some(p)) => {
            access.check_park(p)?;
            Condition::all().add(service_case::Column::ParkId.eq(p))
        }
        (Parks::All, None) => Condition::all(),
        (Parks::Only(ids), None) => Condition::all().add(service_case::Column::ParkId.is_in(ids.clone())),
    };
    Ok(match access.role {
        Some(Role::Admin | Role::Manager) => parks,
        Some(Role::Department) => match access.user.department_id {
            // The department's cases, and those with a sub-task of its (few: read first, so
            // that the department index serves the common case alone).
            Some(d) => {
                let tasked = task_cases(db, d, false).await?;
                let mine = Condition::any().add(service_case::Column::DepartmentId.eq(d));
                parks.add(if tasked.is_empty() { mine } else { mine.add(service_case::Column::Id.is_in(tasked)) })
            }
            None => parks.add(Expr::value(false)),
        },
        // The grids held are in the user's parks already (`held_enterprises`); a park
        // condition here would lead SQLite to the park index over the enterprise one.
        Some(Role::Worker) => {
            let held = service_case::Column::EnterpriseId.is_in(held_enterprises(db, access).await?);
            if park.is_some() { parks.add(held) } else { Condition::all().add(held) }
        }
        None => parks.add(Expr::value(false)),
    })
}

/// The cases with a 全程代理 sub-task of department `d` (only open ones: `open_only`).
async fn task_cases<C: ConnectionTrait>(db: &C, d: i64, open_only: bool) -> Result<Vec<i64>, StoreError> {
    let mut q = case_task::Entity::find().select_only().column(case_task::Column::CaseId).filter(case_task::Column::DepartmentId.eq(d));
    if open_only {
        q = q.filter(case_task::Column::Done.eq(false));
    }
    Ok(q.into_tuple().all(db).await?)
}

/// The condition of a box, at `now` on `cal`.
fn in_box(b: CaseBox, now: DateTime<Utc>, cal: &WorkCalendar) -> Condition {
    by_clock(b, now).unwrap_or_else(|| {
        let soon = end_of_day(cal.working_day_after(local_date(now), 1));
        running().add(service_case::Column::DeadlineAt.gte(now)).add(service_case::Column::DeadlineAt.lte(soon))
    })
}

/// The cases whose clock runs against a deadline.
fn running() -> Condition {
    Condition::all()
        .add(service_case::Column::Stage.is_in(Stage::ALL.iter().filter(|s| s.clock_runs()).map(|s| s.as_str())))
        .add(service_case::Column::PausedAt.is_null())
        .add(service_case::Column::DeadlineAt.is_not_null())
}

/// The cases past their stage's limit (not taken on, not taken by the department, not
/// verified in time).
fn stage_late(now: DateTime<Utc>) -> Condition {
    Condition::all().add(service_case::Column::Stage.is_in(TIMED_STAGES.iter().map(|s| s.as_str()))).add(service_case::Column::StageDeadlineAt.lt(now))
}

/// The condition of a box that needs no calendar: every box but `DueSoon` (`None`).
fn by_clock(b: CaseBox, now: DateTime<Utc>) -> Option<Condition> {
    let open = service_case::Column::Stage.is_not_in([Stage::Closed.as_str(), Stage::OnLedger.as_str()]);
    Some(match b {
        CaseBox::Open => Condition::all().add(open),
        CaseBox::New => Condition::all().add(service_case::Column::Stage.eq(Stage::Registered.as_str())),
        CaseBox::DueSoon => return None,
        CaseBox::Overdue => Condition::any().add(running().add(service_case::Column::DeadlineAt.lt(now))).add(stage_late(now)),
        CaseBox::Extensions => Condition::all().add(open).add(service_case::Column::PendingExtension.is_not_null()),
        CaseBox::Flagged => Condition::all().add(service_case::Column::Flagged.eq(true)),
        CaseBox::Ledger => Condition::all().add(service_case::Column::Stage.eq(Stage::OnLedger.as_str())),
        CaseBox::Closed => Condition::all().add(service_case::Column::Stage.eq(Stage::Closed.as_str())),
    })
}

/// One box of the user's cases (in `park`, or all their parks), newest first, with the count
/// of every box.
pub async fn list<C: ConnectionTrait>(db: &C, access: &Access, park: Option<i64>, which: CaseBox) -> Result<CaseList, StoreError> {
    let now = crate::now();
    let cal = calendar::load(db).await?;
    let scope = scope(db, access, park).await?;
    let counts = box_counts(db, scope.clone(), now, &cal).await?;
    let order = if matches!(which, CaseBox::DueSoon | CaseBox::Overdue) { service_case::Column::DeadlineAt } else { service_case::Column::RegisteredAt };
    let mut q = service_case::Entity::find().filter(scope).filter(in_box(which, now, &cal));
    q = if matches!(which, CaseBox::DueSoon | CaseBox::Overdue) { q.order_by_asc(order) } else { q.order_by_desc(order) };
    let rows = q.order_by_desc(service_case::Column::Id).limit(PAGE + 1).all(db).await?;
    let more = rows.len() as u64 > PAGE;
    let rows: Vec<_> = rows.into_iter().take(PAGE as usize).collect();
    Ok(CaseList { cases: summaries(db, &rows, now, &cal).await?, more, counts })
}

/// Every box's count in one pass over the user's cases (`SUM(CASE WHEN <box> THEN 1 ELSE 0
/// END)` per box), not one query per box.
async fn box_counts<C: ConnectionTrait>(db: &C, scope: Condition, now: DateTime<Utc>, cal: &WorkCalendar) -> Result<Vec<BoxCount>, StoreError> {
    use sea_orm::sea_query::Func;
    let mut q = service_case::Entity::find().select_only().filter(scope);
    for (i, b) in CaseBox::ALL.iter().enumerate() {
        let one = Expr::case(in_box(*b, now, cal), 1).finally(0);
        q = q.column_as(Expr::from(Func::cast_as(Func::sum(one), sea_orm::sea_query::Alias::new("BIGINT"))), format!("c{i}"));
    }
    type Eight = (Option<i64>, Option<i64>, Option<i64>, Option<i64>, Option<i64>, Option<i64>, Option<i64>, Option<i64>);
    let row: Option<Eight> = q.into_tuple().one(db).await?;
    let (a, b, c, d, e, f, g, h) = row.unwrap_or_default();
    let values = [a, b, c, d, e, f, g, h];
    Ok(CaseBox::ALL.iter().zip(values).map(|(b, n)| BoxCount { name: *b, count: n.and_then(|n| u64::try_from(n).ok()).unwrap_or(0) }).collect())
}

/// The cases as lists show them (names looked up in one query each).
async fn summaries<C: ConnectionTrait>(db: &C, rows: &[service_case::Model], now: DateTime<Utc>, cal: &WorkCalendar) -> Result<Vec<CaseSummary>, StoreError> {
    let ids = |f: fn(&service_case::Model) -> Option<i64>| rows.iter().filter_map(f).collect::<Vec<_>>();
    let enterprises: HashMap<i64, String> =
        enterprise::Entity::find().filter(enterprise::Column::Id.is_in(ids(|c| c.enterprise_id))).all(db).await?.into_iter().map(|e| (e.id, e.name)).collect();
    let departments: HashMap<i64, String> =
        department::Entity::find().filter(department::Column::Id.is_in(ids(|c| c.department_id))).all(db).await?.into_iter().map(|d| (d.id, d.name)).collect();
    let owners = crate::users::display_names(db, ids(|c| c.owner_id)).await?;
    let parks: HashMap<i64, String> = park::Entity::find()
        .filter(park::Column::Id.is_in(rows.iter().map(|c| c.park_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.code))
        .collect();
    Ok(rows
        .iter()
        .map(|c| {
            let stage = Stage::parse(&c.stage).unwrap_or(Stage::Registered);
            let urgency = match (c.deadline_at, c.paused_at) {
                (Some(d), None) if stage.clock_runs() => Some(cal.urgency(d, now, SUPERVISE_AFTER)),
                _ => None,
            };
            CaseSummary {
                id: c.id,
                park_code: parks.get(&c.park_id).cloned().unwrap_or_default(),
                enterprise_id: c.enterprise_id,
                enterprise_name: c.enterprise_id.and_then(|e| enterprises.get(&e).cloned()),
                kind: c.kind.clone(),
                category: c.category.clone(),
                description: c.description.clone(),
                stage,
                mode: c.mode.as_deref().and_then(Mode::parse),
                department_id: c.department_id,
                department: c.department_id.and_then(|d| departments.get(&d).cloned()),
                owner: c.owner_id.and_then(|o| owners.get(&o).cloned()),
                deadline: c.deadline_at.map(|d| d.to_rfc3339()),
                urgency,
                flagged: c.flagged,
                pending_extension: c.pending_extension.and_then(|d| u32::try_from(d).ok()),
                repeat_of: c.repeat_of,
                rating: c.rating.as_deref().and_then(Satisfaction::parse),
                registered_at: c.registered_at.to_rfc3339(),
                major: c.grade.as_deref() == Some(HazardGrade::Major.as_str()),
                stage_deadline: c.stage_deadline_at.filter(|_| TIMED_STAGES.contains(&stage)).map(|d| d.to_rfc3339()),
                stage_late: TIMED_STAGES.contains(&stage) && c.stage_deadline_at.is_some_and(|d| d < now),
            }
        })
        .collect())
}

/// The case as the rules see it, at `now` (a 全程代理 case's sub-tasks read with it).
async fn state_of<C: ConnectionTrait>(db: &C, c: &service_case::Model, now: DateTime<Utc>) -> Result<CaseState, StoreError> {
    let (tasks, open_tasks) = if c.mode.as_deref() == Some(Mode::Proxy.as_str()) {
        let rows = case_task::Entity::find().filter(case_task::Column::CaseId.eq(c.id)).order_by_asc(case_task::Column::Id).all(db).await?;
        (rows.iter().map(|t| t.department_id).collect(), rows.iter().filter(|t| !t.done).map(|t| t.department_id).collect())
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(CaseState { tasks, open_tasks, ..state_without_tasks(c, now) })
}

fn state_without_tasks(c: &service_case::Model, now: DateTime<Utc>) -> CaseState {
    let stage = Stage::parse(&c.stage).unwrap_or(Stage::Registered);
    CaseState {
        stage,
        mode: c.mode.as_deref().and_then(Mode::parse),
        department: c.department_id,
        pending_extension: c.pending_extension.and_then(|d| u32::try_from(d).ok()),
        replied_by: c.replied_by,
        overdue: c.paused_at.is_none() && stage.clock_runs() && c.deadline_at.is_some_and(|d| d < now),
        rating: c.rating.as_deref().and_then(Satisfaction::parse),
        finding: (c.kind == "finding").then(|| FindingFacts {
            major: c.grade.as_deref() == Some(HazardGrade::Major.as_str()),
            plan: c.rectification_plan.is_some(),
            after_photo: c.after_photo.is_some(),
        }),
        tasks: Vec::new(),
        open_tasks: Vec::new(),
    }
}

/// The user as an actor on case `c`, or `Forbidden` when the case is not theirs to see.
async fn actor_on<C: ConnectionTrait>(db: &C, access: &Access, c: &service_case::Model) -> Result<Actor, StoreError> {
    if !access.reaches(c.park_id) {
        return Err(StoreError::Forbidden("case"));
    }
    let role = access.role.ok_or(StoreError::Forbidden("case"))?;
    let holds_grid = match (role, c.enterprise_id) {
        (Role::Worker, Some(e)) => held_enterprises(db, access).await?.contains(&e),
        _ => false,
    };
    let sees = match role {
        Role::Admin | Role::Manager => true,
        Role::Worker => holds_grid,
        Role::Department => {
            let d = access.user.department_id;
            d.is_some() && (c.department_id == d || acted_on(db, access.user.id, c.id).await? || has_task(db, c.id, d).await?)
        }
    };
    if !sees {
        return Err(StoreError::Forbidden("case"));
    }
    Ok(Actor::User { id: access.user.id, role, holds_grid, department: access.user.department_id })
}

async fn has_task<C: ConnectionTrait>(db: &C, case: i64, department: Option<i64>) -> Result<bool, StoreError> {
    let Some(d) = department else { return Ok(false) };
    Ok(case_task::Entity::find().filter(case_task::Column::CaseId.eq(case)).filter(case_task::Column::DepartmentId.eq(d)).count(db).await? > 0)
}

async fn acted_on<C: ConnectionTrait>(db: &C, user: i64, case: i64) -> Result<bool, StoreError> {
    Ok(case_event::Entity::find().filter(case_event::Column::CaseId.eq(case)).filter(case_event::Column::ActorId.eq(user)).count(db).await? > 0)
}

/// A case with its timeline and what the user may do now.
pub async fn detail<C: ConnectionTrait>(db: &C, access: &Access, id: i64) -> Result<CaseDetail, StoreError> {
    let c = service_case::Entity::find_by_id(id).one(db).await?.ok_or(StoreError::NotFound("case"))?;
    let actor = actor_on(db, access, &c).await?;
    let now = crate::now();
    let cal = calendar::load(db).await?;
    let state = state_of(db, &c, now).await?;
    let allowed = allowed_in(state.stage).iter().copied().filter(|k| domain::case::may(&state, actor, *k)).collect();
    let events = case_event::Entity::find().filter(case_event::Column::CaseId.eq(id)).order_by_asc(case_event::Column::Id).all(db).await?;
    let names = crate::users::display_names(db, events.iter().filter_map(|e| e.actor_id)).await?;
    let events = events
        .into_iter()
        .map(|e| CaseEvent {
            at: e.at.to_rfc3339(),
            actor: e.actor_id.and_then(|a| names.get(&a).cloned()),
            actor_kind: e.actor_kind,
            action: e.action,
            from_stage: e.from_stage.as_deref().and_then(Stage::parse),
            to_stage: Stage::parse(&e.to_stage).unwrap_or(Stage::Registered),
            detail: e.detail.and_then(|d| serde_json::from_str(&d).ok()),
        })
        .collect();
    let finding = finding_of(db, &c).await?;
    let tasks = tasks_of(db, c.id).await?;
    let attachments = attachments_of(db, c.id).await?;
    let may_attach = domain::case::may_attach(&state, actor);
    let case = summaries(db, std::slice::from_ref(&c), now, &cal).await?.remove(0);
    Ok(CaseDetail { case, events, allowed, finding, tasks, attachments, may_attach })
}

/// The most bytes a file attached to a case may have: its base64 fits one request of 2 MB.
pub const MAX_ATTACHMENT_BYTES: usize = 1_400_000;
/// The files a case takes: documents as PDF, pictures.
pub const ATTACHMENT_TYPES: [&str; 4] = ["application/pdf", "image/jpeg", "image/png", "image/webp"];
/// The most files one case takes.
pub const MAX_ATTACHMENTS: u64 = 20;

/// A case's files, without their bytes.
async fn attachments_of<C: ConnectionTrait>(db: &C, case: i64) -> Result<Vec<api::cases::CaseAttachment>, StoreError> {
    type Row = (i64, String, String, i64, i64, DateTime<Utc>);
    let rows: Vec<Row> = case_attachment::Entity::find()
        .select_only()
        .columns([
            case_attachment::Column::Id,
            case_attachment::Column::Name,
            case_attachment::Column::ContentType,
            case_attachment::Column::Size,
            case_attachment::Column::UploadedBy,
            case_attachment::Column::UploadedAt,
        ])
        .filter(case_attachment::Column::CaseId.eq(case))
        .order_by_asc(case_attachment::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let names = crate::users::display_names(db, rows.iter().map(|r| r.4)).await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, content_type, size, by, at)| api::cases::CaseAttachment {
            id,
            name,
            content_type,
            size: u64::try_from(size).unwrap_or(0),
            uploaded_by: names.get(&by).cloned(),
            uploaded_at: at.to_rfc3339(),
        })
        .collect())
}

/// Whether `bytes` are a file of `content_type`, one of [`ATTACHMENT_TYPES`]: the bytes are
/// checked, not only the stated type (a case's files, a notice's).
pub(crate) fn document_ok(content_type: &str, bytes: &[u8]) -> bool {
    ATTACHMENT_TYPES.contains(&content_type)
        && if content_type == "application/pdf" { bytes.starts_with(b"%PDF-") } else { crate::field::looks_like(content_type, bytes) }
}

/// A file's name as kept: its last path part, trimmed, at most 120 characters.
pub(crate) fn file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default().trim();
    let kept: String = last.chars().filter(|c| !c.is_control()).take(120).collect();
    if kept.is_empty() { "附件".to_owned() } else { kept }
}

/// The user attaches a file to case `id` (a reply's documents, a photo): refused when it is not
/// theirs to handle now (`Forbidden`), too big, empty, not a PDF or picture (its bytes are
/// checked, not only its stated type), or the case has its 20 files already.
pub async fn attach<D>(db: &D, access: &Access, id: i64, name: &str, content_type: &str, bytes: &[u8]) -> Result<CaseDetail, StoreError>
where
    D: ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>,
{
    if bytes.is_empty() || bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(StoreError::refused(api::RefusalCode::AttachmentSize, bytes.len().to_string(), "a file of 1 byte to 1.4 MB"));
    }
    if !document_ok(content_type, bytes) {
        return Err(StoreError::refused(
            api::RefusalCode::AttachmentType,
            content_type.to_owned(),
            "a PDF, JPEG, PNG or WebP file whose bytes are what it says",
        ));
    }
    let txn = crate::db::write(db).await?;
    let c = service_case::Entity::find_by_id(id).lock_exclusive().one(&txn).await?.ok_or(StoreError::NotFound("case"))?;
    let actor = actor_on(&txn, access, &c).await?;
    let now = crate::now();
    if !domain::case::may_attach(&state_of(&txn, &c, now).await?, actor) {
        return Err(StoreError::Forbidden("case"));
    }
    if case_attachment::Entity::find().filter(case_attachment::Column::CaseId.eq(id)).count(&txn).await? >= MAX_ATTACHMENTS {
        return Err(StoreError::refused(api::RefusalCode::TooManyAttachments, MAX_ATTACHMENTS.to_string(), "a case takes at most 20 files"));
    }
    let name = file_name(name);
    let row = case_attachment::ActiveModel {
        case_id: Set(id),
        name: Set(name.clone()),
        content_type: Set(content_type.to_owned()),
        size: Set(i64::try_from(bytes.len()).unwrap_or(i64::MAX)),
        data: Set(bytes.to_vec()),
        uploaded_by: Set(access.user.id),
        uploaded_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let stage = Stage::parse(&c.stage).unwrap_or(Stage::Registered);
    add_event(&txn, &c, Some(access.user.id), "user", "attach", Some(stage), stage, None, now, None).await?;
    audit::record(
        &txn,
        audit::Event {
            actor: Some(access.user.id),
            action: "case.attach",
            entity: "case",
            entity_id: Some(id.to_string()),
            before: None,
            after: Some(serde_json::json!({ "attachment": row.id, "name": name, "size": bytes.len() })),
        },
    )
    .await?;
    txn.commit().await?;
    detail(db, access, id).await
}

/// A file of case `case`, for whoever sees the case.
pub async fn attachment<C: ConnectionTrait>(db: &C, access: &Access, case: i64, id: i64) -> Result<case_attachment::Model, StoreError> {
    let c = service_case::Entity::find_by_id(case).one(db).await?.ok_or(StoreError::NotFound("case"))?;
    actor_on(db, access, &c).await?;
    case_attachment::Entity::find_by_id(id).filter(case_attachment::Column::CaseId.eq(case)).one(db).await?.ok_or(StoreError::NotFound("attachment"))
}

/// A 全程代理 case's sub-tasks, in the order they were given.
async fn tasks_of<C: ConnectionTrait>(db: &C, case: i64) -> Result<Vec<api::cases::CaseTask>, StoreError> {
    let rows = case_task::Entity::find().filter(case_task::Column::CaseId.eq(case)).order_by_asc(case_task::Column::Id).all(db).await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let names: HashMap<i64, String> = department::Entity::find()
        .filter(department::Column::Id.is_in(rows.iter().map(|t| t.department_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    Ok(rows
        .into_iter()
        .map(|t| api::cases::CaseTask {
            department_id: t.department_id,
            department: names.get(&t.department_id).cloned().unwrap_or_default(),
            done: t.done,
            reply: t.reply,
            done_at: t.done_at.map(|d| d.to_rfc3339()),
        })
        .collect())
}

/// A finding's case as its page shows it: the place, the photos taken when it was found, the
/// plan, the after-photo and its distance.
async fn finding_of<C: ConnectionTrait>(db: &C, c: &service_case::Model) -> Result<Option<CaseFinding>, StoreError> {
    let (Some(record), Some(lon), Some(lat)) = (c.source_record.as_deref(), c.spot_lon, c.spot_lat) else { return Ok(None) };
    if c.kind != "finding" {
        return Ok(None);
    }
    let photos = photo::Entity::find()
        .filter(photo::Column::RecordId.eq(record))
        .filter(photo::Column::CompletedAt.is_not_null())
        .order_by_asc(photo::Column::TakenAt)
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();
    Ok(Some(CaseFinding {
        grade: c.grade.as_deref().and_then(HazardGrade::parse),
        lon,
        lat,
        photos,
        plan: c.rectification_plan.as_deref().and_then(|p| serde_json::from_str::<RectificationPlan>(p).ok()),
        after_photo: c.after_photo.clone(),
        after_distance_m: c.after_distance_m,
        far: c.after_distance_m.is_some_and(|d| d > domain::field::AFTER_PHOTO_FAR_M),
    }))
}

/// The working days a case's mode allows: the most specific row of the limits table.
async fn limit_for<C: ConnectionTrait>(db: &C, c: &service_case::Model, mode: Mode) -> Result<Option<TimeLimit>, StoreError> {
    let rows = case_time_limit::Entity::find()
        .filter(case_time_limit::Column::Kind.eq(c.kind.as_str()))
        .filter(case_time_limit::Column::Mode.eq(mode.as_str()))
        .filter(case_time_limit::Column::Category.is_in([c.category.as_str(), "*"]))
        .all(db)
        .await?;
    let row = rows.iter().find(|r| r.category == c.category).or_else(|| rows.iter().find(|r| r.category == "*"));
    Ok(row.and_then(|r| limit_of(r.working_days, r.hours)))
}

/// The user does `action` to case `id`: refused with the reason (not theirs: `Forbidden`; the
/// rules: `Transition`; a department that does not exist: `Refused`), or applied — the case,
/// its event and the audit log written together.
pub async fn act<D>(db: &D, access: &Access, id: i64, action: &Action) -> Result<CaseDetail, StoreError>
where
    D: ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>,
{
    let txn = crate::db::write(db).await?;
    let c = service_case::Entity::find_by_id(id).lock_exclusive().one(&txn).await?.ok_or(StoreError::NotFound("case"))?;
    let actor = actor_on(&txn, access, &c).await?;
    apply(&txn, &c, actor, Some(access.user.id), action, None).await?;
    txn.commit().await?;
    detail(db, access, id).await
}

/// Applies `action` by `actor` to `c` within `txn` — the caller has locked the row and checked
/// that the actor reaches the case (`act`, the field's sync, the enterprise's link) — if the
/// rules accept it; `record`: the field record it came from.
pub(crate) async fn apply(
    txn: &DatabaseTransaction,
    c: &service_case::Model,
    actor: Actor,
    actor_id: Option<i64>,
    action: &Action,
    record: Option<&str>,
) -> Result<service_case::Model, StoreError> {
    let now = crate::now();
    let before = state_of(txn, c, now).await?;
    let effect = transition(&before, actor, action)?;
    if let Action::SubmitPlan { plan } = action {
        let today = local_date(now);
        if plan.deadline < today || plan.deadline > today + chrono::Days::new(366) {
            return Err(StoreError::refused(
                api::RefusalCode::PlanDeadline,
                plan.deadline.to_string(),
                "a plan's deadline is between today and a year from now",
            ));
        }
    }
    if let Action::Dispatch { department: d } | Action::AddTask { department: d } = action {
        let dept = department::Entity::find_by_id(*d).one(txn).await?;
        if !dept.is_some_and(|d| d.active) {
            return Err(StoreError::refused(api::RefusalCode::NoSuchDepartment, d.to_string(), "no such active department"));
        }
    }
    let cal = calendar::load(txn).await?;
    let after = &effect.state;
    let mut row: service_case::ActiveModel = c.clone().into();
    row.stage = Set(after.stage.as_str().to_owned());
    row.mode = Set(after.mode.map(|m| m.as_str().to_owned()));
    row.department_id = Set(after.department);
    row.pending_extension = Set(after.pending_extension.and_then(|d| i32::try_from(d).ok()));
    row.replied_by = Set(after.replied_by);
    row.updated_at = Set(now);
    // The clock.
    let mut deadline = c.deadline_at;
    let mut paused = c.paused_at;
    if effect.start_clock {
        let mode = after.mode.unwrap_or(Mode::Promised);
        deadline = limit_for(txn, c, mode).await?.map(|l| cal.deadline(now, l));
        paused = None;
    }
    if effect.pause_clock {
        paused = Some(now);
    }
    if effect.resume_clock {
        if let (Some(d), Some(p)) = (deadline, paused) {
            deadline = Some(cal.resumed_deadline(d, p, now));
        }
        paused = None;
    }
    if let (Some(n), Some(d)) = (effect.extend_by, deadline) {
        deadline = Some(cal.extended(d, n));
    }
    if let Some(day) = effect.due_on {
        deadline = Some(end_of_day(day));
        paused = None;
    }
    // A new deadline is reminded of, urged and supervised afresh.
    if deadline != c.deadline_at {
        row.reminded_at = Set(None);
        row.urged_at = Set(None);
        row.supervised_at = Set(None);
    }
    row.deadline_at = Set(deadline);
    row.paused_at = Set(paused);
    if after.stage != before.stage {
        row.stage_deadline_at = Set(stage_limit(txn, after.stage).await?.map(|l| cal.deadline(now, l)));
    }
    if effect.to_safety_department {
        let safety = department::Entity::find()
            .filter(department::Column::Code.eq(SAFETY_DEPARTMENT))
            .filter(department::Column::Active.eq(true))
            .one(txn)
            .await?
            .ok_or_else(|| {
                StoreError::refused(
                    api::RefusalCode::NoSafetyDepartment,
                    SAFETY_DEPARTMENT,
                    "no active department with the code safety to send a major hazard to",
                )
            })?;
        row.department_id = Set(Some(safety.id));
    }
    if let Action::SubmitPlan { plan } = action {
        row.rectification_plan = Set(serde_json::to_string(plan).ok());
    }
    // The manager's attention: asked for by the effect; given by any action of the center.
    let center = matches!(actor, Actor::User { role: Role::Admin | Role::Manager, .. });
    row.flagged = Set(effect.flag_manager || (c.flagged && !center));
    if let Action::Rate { satisfaction, solved, .. } = action {
        row.rating = Set(Some(satisfaction.as_str().to_owned()));
        row.rated_solved = Set(Some(*solved));
    }
    if matches!(action, Action::Reopen { .. }) {
        row.rating = Set(None);
        row.rated_solved = Set(None);
        row.rated_at = Set(None);
    }
    // What the figures read (issue 15): when it was closed, 返工, 延期, when it was rated.
    if after.stage == Stage::Closed && before.stage != Stage::Closed {
        row.closed_at = Set(Some(now));
    } else if after.stage != Stage::Closed {
        row.closed_at = Set(None);
    }
    match action {
        Action::Verify { solved: false, .. } => row.rework_count = Set(c.rework_count.saturating_add(1)),
        Action::DecideExtension { grant: true } => row.extension_count = Set(c.extension_count.saturating_add(1)),
        Action::Rate { .. } => row.rated_at = Set(Some(now)),
        _ => {}
    }
    // 首问负责: a case registered by the enterprise is owned by whoever takes it on first.
    if c.owner_id.is_none() && center {
        row.owner_id = Set(actor_id);
    }
    let updated = row.update(txn).await?;
    if let Action::Rate { satisfaction, solved, .. } = action {
        crate::entities::case_rating::ActiveModel {
            case_id: Set(c.id),
            at: Set(now),
            satisfaction: Set(satisfaction.as_str().to_owned()),
            solved: Set(*solved),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    sync_finding(txn, &updated, after.stage, now).await?;
    sync_tasks(txn, c.id, &before, after, actor_id, action, now).await?;
    let actor_kind = if actor == Actor::Enterprise { "enterprise" } else { "user" };
    let kind = action.kind().as_str();
    add_event(txn, &updated, actor_id, actor_kind, kind, Some(before.stage), after.stage, Some(action), now, record).await?;
    audit::record(
        txn,
        audit::Event {
            actor: actor_id,
            action: &format!("case.{kind}"),
            entity: "case",
            entity_id: Some(c.id.to_string()),
            before: Some(serde_json::json!({ "stage": before.stage.as_str() })),
            after: audit::snapshot(action),
        },
    )
    .await?;
    Ok(updated)
}

/// A 全程代理 case's sub-tasks as the rules left them: one added, one done with its answer,
/// all open again after a failed verification.
async fn sync_tasks(
    txn: &DatabaseTransaction,
    case: i64,
    before: &CaseState,
    after: &CaseState,
    actor_id: Option<i64>,
    action: &Action,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    if let Action::AddTask { department } = action {
        case_task::ActiveModel {
            case_id: Set(case),
            department_id: Set(*department),
            done: Set(false),
            reply: Set(None),
            created_at: Set(now),
            done_at: Set(None),
            done_by: Set(None),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        return Ok(());
    }
    let finished: Vec<i64> = before.open_tasks.iter().copied().filter(|d| !after.open_tasks.contains(d)).collect();
    let reply = match action {
        Action::FinishTask { reply } => Some(reply.clone()),
        _ => None,
    };
    if !finished.is_empty() {
        case_task::Entity::update_many()
            .col_expr(case_task::Column::Done, Expr::value(true))
            .col_expr(case_task::Column::Reply, Expr::value(reply))
            .col_expr(case_task::Column::DoneAt, Expr::value(Some(now)))
            .col_expr(case_task::Column::DoneBy, Expr::value(actor_id))
            .filter(case_task::Column::CaseId.eq(case))
            .filter(case_task::Column::DepartmentId.is_in(finished))
            .exec(txn)
            .await?;
    }
    let reopened: Vec<i64> = after.open_tasks.iter().copied().filter(|d| !before.open_tasks.contains(d)).collect();
    if !reopened.is_empty() {
        case_task::Entity::update_many()
            .col_expr(case_task::Column::Done, Expr::value(false))
            .col_expr(case_task::Column::DoneAt, Expr::value(None::<DateTime<Utc>>))
            .filter(case_task::Column::CaseId.eq(case))
            .filter(case_task::Column::DepartmentId.is_in(reopened))
            .exec(txn)
            .await?;
    }
    Ok(())
}

/// The code of the department a major hazard goes to.
pub const SAFETY_DEPARTMENT: &str = "safety";

/// A finding is closed while its case is, open otherwise (a failed verification, a reopening).
async fn sync_finding(txn: &DatabaseTransaction, c: &service_case::Model, stage: Stage, now: DateTime<Utc>) -> Result<(), StoreError> {
    let (true, Some(id)) = (c.kind == "finding", c.source_record.as_deref()) else { return Ok(()) };
    let closed = stage == Stage::Closed;
    let status = if closed { RecordStatus::Closed } else { RecordStatus::Open };
    finding::Entity::update_many()
        .col_expr(finding::Column::Status, Expr::value(status.as_str()))
        .col_expr(finding::Column::ClosedAt, Expr::value(closed.then_some(now)))
        .filter(finding::Column::Id.eq(id))
        .filter(finding::Column::Status.ne(status.as_str()))
        .exec(txn)
        .await?;
    Ok(())
}

/// A re-inspection of a finding recorded in the field (`record`: its id; `photo`: its first
/// photo and where it was taken), within the sync's transaction, as its case's rules have it:
/// "fixed" reports the rectification (办理答复, to be verified by someone else) or, when
/// someone else reported it, verifies it; "not fixed" fails a verification (返工) or, while
/// the case is being rectified, sets the new deadline. The photo becomes the case's
/// after-photo, with its distance from the finding.
pub(crate) async fn rectification_from_field(
    txn: &DatabaseTransaction,
    user_id: i64,
    record: &str,
    r: &domain::field::Reinspection,
    photo: Option<(String, Option<Fix>)>,
) -> Result<Result<(), api::Rejection>, StoreError> {
    use api::Rejection;
    let finding_id = r.finding_id.clone();
    let Some(c) = service_case::Entity::find().filter(service_case::Column::SourceRecord.eq(finding_id.as_str())).lock_exclusive().one(txn).await? else {
        return Err(StoreError::NotFound("case"));
    };
    let user = app_user::Entity::find_by_id(user_id).one(txn).await?.ok_or(StoreError::NotFound("user"))?;
    let not_yours = Rejection::NotYourGrid { enterprise_id: c.enterprise_id };
    // The sync found that the worker held the finding's grid when they inspected it (a phone
    // offline since may send it after the worker moved on): they act as its grid's worker.
    let Some(role) = crate::users::role_of(&user) else { return Ok(Err(not_yours)) };
    let actor = Actor::User { id: user_id, role, holds_grid: true, department: user.department_id };
    let mut c = c;
    if let Some((id, fix)) = photo {
        let spot = c.spot_lon.zip(c.spot_lat).map(|(lon, lat)| Fix { lon, lat, accuracy_m: None });
        let distance = spot.zip(fix.or(r.fix)).map(|(a, b)| domain::field::distance_m(a, b));
        let mut row: service_case::ActiveModel = c.into();
        row.after_photo = Set(Some(id));
        row.after_distance_m = Set(distance);
        c = row.update(txn).await?;
    }
    let stage = Stage::parse(&c.stage).unwrap_or(Stage::Registered);
    let notes = r.notes.trim();
    let action = match (r.result, stage) {
        (RectificationResult::Fixed, Stage::Verifying) => Action::Verify { solved: true, note: notes.to_owned() },
        (RectificationResult::Fixed, _) => Action::Reply { reply: if notes.is_empty() { "复查：已整改".to_owned() } else { notes.to_owned() } },
        (_, Stage::Verifying) => {
            Action::Verify { solved: false, note: if notes.is_empty() { "复查：未整改完成".to_owned() } else { notes.to_owned() } }
        }
        (_, _) => {
            // Still being rectified: the new deadline, on the finding and its case.
            let Some(new_deadline) = r.new_deadline else {
                return Ok(Err(Rejection::Invalid { detail: domain::field::RecordError::NewDeadlineRequired.to_string() }));
            };
            if !stage.is_open() || stage == Stage::Registered || stage == Stage::Dispatched {
                return Ok(Err(Rejection::RectificationNotOpen { finding_id }));
            }
            set_deadline(txn, &c, new_deadline).await?;
            add_event(txn, &c, Some(user_id), "user", "reinspect", Some(stage), stage, None, r.inspected_at, Some(record)).await?;
            return Ok(Ok(()));
        }
    };
    use domain::case::{TransitionError, Why};
    match apply(txn, &c, actor, Some(user_id), &action, Some(record)).await {
        Ok(updated) => {
            if let (false, Some(d)) = (r.result == RectificationResult::Fixed, r.new_deadline) {
                set_deadline(txn, &updated, d).await?;
            }
            Ok(Ok(()))
        }
        Err(StoreError::Transition(TransitionError::NotInStage { .. })) => Ok(Err(Rejection::RectificationNotOpen { finding_id })),
        Err(StoreError::Transition(TransitionError::NotPermitted { .. })) => Ok(Err(not_yours)),
        Err(StoreError::Transition(TransitionError::Invalid(Why::VerifierIsNotAnswerer))) => Ok(Err(Rejection::FixReportedByYou { finding_id })),
        Err(StoreError::Transition(TransitionError::Invalid(why))) => Ok(Err(Rejection::Invalid { detail: why.to_string() })),
        Err(e) => Err(e),
    }
}

/// A finding's new rectification deadline, on the finding and its case (reminders afresh).
async fn set_deadline(txn: &DatabaseTransaction, c: &service_case::Model, deadline: DateTime<Utc>) -> Result<(), StoreError> {
    if let Some(id) = c.source_record.as_deref() {
        finding::Entity::update_many().col_expr(finding::Column::Deadline, Expr::value(deadline)).filter(finding::Column::Id.eq(id)).exec(txn).await?;
    }
    let mut row: service_case::ActiveModel = c.clone().into();
    row.deadline_at = Set(Some(deadline));
    row.reminded_at = Set(None);
    row.urged_at = Set(None);
    row.supervised_at = Set(None);
    row.updated_at = Set(crate::now());
    row.update(txn).await?;
    Ok(())
}

/// The cases waiting for the user, for the top bar's badge: for the center (in the park the
/// pages show) new, flagged, extension requests and overdue; for a department officer, sent
/// and not taken yet, or overdue; for a worker, to verify or to have rated.
pub async fn waiting<C: ConnectionTrait>(db: &C, access: &Access, chosen_park: Option<&str>) -> Result<u64, StoreError> {
    let now = crate::now();
    // On every page (the top bar's badge): boxes that need no calendar, so no calendar is read.
    let boxes = |bs: &[CaseBox]| bs.iter().fold(Condition::any(), |c, b| c.add_option(by_clock(*b, now)));
    let (park, attention) = match access.role {
        Some(Role::Admin | Role::Manager) => {
            let park = match access.current_park(db, chosen_park).await {
                Ok(p) => Some(p.id),
                // No park yet (a new installation): nothing waits.
                Err(_) => return Ok(0),
            };
            (park, boxes(&[CaseBox::New, CaseBox::Flagged, CaseBox::Extensions, CaseBox::Overdue]))
        }
        Some(Role::Department) => {
            let mut attention = boxes(&[CaseBox::Overdue]).add(service_case::Column::Stage.eq(Stage::Dispatched.as_str()));
            if let Some(d) = access.user.department_id {
                let open = task_cases(db, d, true).await?;
                if !open.is_empty() {
                    attention = attention.add(service_case::Column::Id.is_in(open));
                }
            }
            (None, attention)
        }
        Some(Role::Worker) => (
            None,
            Condition::any().add(service_case::Column::Stage.eq(Stage::Verifying.as_str())).add(
                Condition::all()
                    .add(service_case::Column::Stage.eq(Stage::Closed.as_str()))
                    .add(service_case::Column::Rating.is_null())
                    // Asked at the next visits of a month, then no more.
                    .add(service_case::Column::UpdatedAt.gte(now - Duration::days(RATE_WITHIN_DAYS))),
            ),
        ),
        None => return Ok(0),
    };
    let scope = scope(db, access, park).await?;
    Ok(service_case::Entity::find().filter(scope).filter(attention).count(db).await?)
}

/// The park's active enterprises by name, for registering a demand at the hall.
pub async fn enterprise_names<C: ConnectionTrait>(db: &C, park_id: i64) -> Result<Vec<(i64, String)>, StoreError> {
    Ok(enterprise::Entity::find()
        .filter(enterprise::Column::ParkId.eq(park_id))
        .filter(enterprise::Column::Active.eq(true))
        .order_by_asc(enterprise::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e.name))
        .collect())
}

/// What became of a case's work recorded in the field.
pub(crate) enum FieldOutcome {
    Applied,
    /// The same record came before.
    Duplicate,
    /// Not a case of a grid the worker holds now (a manager may yet assign it): retried.
    NotYours,
    /// The case is past what the record did (someone else acted first): final.
    MovedOn,
    /// The record breaks a rule (why, in English): final.
    Invalid(String),
}

/// A worker's verification or rating recorded in the field (`record`: the phone's id), within
/// the sync's transaction. The rules are the same as on the case page.
pub(crate) async fn act_from_field(txn: &DatabaseTransaction, user_id: i64, record: &str, case_id: i64, action: &Action) -> Result<FieldOutcome, StoreError> {
    if case_event::Entity::find().filter(case_event::Column::RecordId.eq(record)).count(txn).await? > 0 {
        return Ok(FieldOutcome::Duplicate);
    }
    let user = app_user::Entity::find_by_id(user_id).one(txn).await?.ok_or(StoreError::NotFound("user"))?;
    let access = Access::of(txn, user).await?;
    let Some(c) = service_case::Entity::find_by_id(case_id).lock_exclusive().one(txn).await? else {
        return Ok(FieldOutcome::Invalid(format!("no case {case_id}")));
    };
    let actor = match actor_on(txn, &access, &c).await {
        Ok(a) => a,
        Err(StoreError::Forbidden(_)) => return Ok(FieldOutcome::NotYours),
        Err(e) => return Err(e),
    };
    match apply(txn, &c, actor, Some(user_id), action, Some(record)).await {
        Ok(_) => Ok(FieldOutcome::Applied),
        Err(StoreError::Transition(domain::case::TransitionError::NotInStage { .. })) => Ok(FieldOutcome::MovedOn),
        Err(StoreError::Transition(domain::case::TransitionError::NotPermitted { .. })) => Ok(FieldOutcome::NotYours),
        Err(StoreError::Transition(domain::case::TransitionError::Invalid(why))) => Ok(FieldOutcome::Invalid(why.to_string())),
        Err(e) => Err(e),
    }
}

/// The cases waiting for a worker in the field: to verify, or closed in the last 30 days and
/// not rated yet — of the enterprises of the grids they hold now.
pub async fn field_cases<C: ConnectionTrait>(db: &C, user_id: i64) -> Result<Vec<api::FieldCase>, StoreError> {
    let Some(user) = app_user::Entity::find_by_id(user_id).one(db).await? else { return Ok(Vec::new()) };
    let access = Access::of(db, user).await?;
    let held = held_enterprises(db, &access).await?;
    if held.is_empty() {
        return Ok(Vec::new());
    }
    let since = crate::now() - Duration::days(RATE_WITHIN_DAYS);
    let rows = service_case::Entity::find()
        .filter(service_case::Column::EnterpriseId.is_in(held))
        .filter(
            Condition::any().add(service_case::Column::Stage.eq(Stage::Verifying.as_str())).add(
                Condition::all()
                    .add(service_case::Column::Stage.eq(Stage::Closed.as_str()))
                    .add(service_case::Column::Rating.is_null())
                    .add(service_case::Column::UpdatedAt.gte(since)),
            ),
        )
        .order_by_desc(service_case::Column::UpdatedAt)
        .limit(PAGE)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for c in rows {
        let answer = last_answer(db, c.id).await?;
        let Some(enterprise_id) = c.enterprise_id else { continue };
        out.push(api::FieldCase {
            id: c.id,
            enterprise_id,
            category: c.category,
            description: c.description,
            answer,
            to_verify: c.stage == Stage::Verifying.as_str(),
        });
    }
    Ok(out)
}

/// The time limits table, most specific first.
pub async fn limits<C: ConnectionTrait>(db: &C) -> Result<Vec<api::cases::TimeLimitRow>, StoreError> {
    let mut rows: Vec<api::cases::TimeLimitRow> = case_time_limit::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|r| {
            Some(api::cases::TimeLimitRow {
                mode: Mode::parse(&r.mode)?,
                kind: r.kind,
                category: r.category,
                working_days: u32::try_from(r.working_days).ok()?,
                hours: r.hours.and_then(|h| u32::try_from(h).ok()),
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        (a.kind.as_str(), a.category == "*", a.category.as_str(), a.mode.as_str()).cmp(&(
            b.kind.as_str(),
            b.category == "*",
            b.category.as_str(),
            b.mode.as_str(),
        ))
    });
    Ok(rows)
}

/// The most working days a limit may be.
pub const MAX_LIMIT_DAYS: u32 = 60;

/// Sets (or adds) a row of the time limits table; a case's deadline uses the row of its
/// category, else the `*` row, when its clock starts. Refused with the reason: a mode without
/// a deadline, a category that is not one, days outside 1–60.
pub async fn set_limit<C: ConnectionTrait>(db: &C, access: &Access, row: &api::cases::TimeLimitRow) -> Result<(), StoreError> {
    if !matches!(row.mode, Mode::Promised | Mode::Escalated | Mode::Proxy) {
        return Err(StoreError::refused(api::RefusalCode::LimitMode, row.mode.as_str(), "only promised, escalated and proxy cases have a deadline"));
    }
    if row.kind != "demand" || (row.category != "*" && domain::field::DemandCategory::parse(&row.category).is_none()) {
        return Err(StoreError::refused(api::RefusalCode::LimitCategory, row.category.clone(), "not a category of demands"));
    }
    let (days, hours) = check_amount(row.working_days, row.hours)?;
    let model = case_time_limit::ActiveModel {
        kind: Set(row.kind.clone()),
        category: Set(row.category.clone()),
        mode: Set(row.mode.as_str().to_owned()),
        working_days: Set(days),
        hours: Set(hours),
    };
    case_time_limit::Entity::insert(model)
        .on_conflict(
            OnConflict::columns([case_time_limit::Column::Kind, case_time_limit::Column::Category, case_time_limit::Column::Mode])
                .update_columns([case_time_limit::Column::WorkingDays, case_time_limit::Column::Hours])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    audit::record(
        db,
        audit::Event {
            actor: Some(access.user.id),
            action: "case.limit",
            entity: "case_time_limit",
            entity_id: None,
            before: None,
            after: audit::snapshot(row),
        },
    )
    .await?;
    Ok(())
}

/// The last answer a case was given (办理答复, 即时办结, 退回答复), for the enterprise and the
/// worker who checks it.
pub(crate) async fn last_answer<C: ConnectionTrait>(db: &C, case_id: i64) -> Result<Option<String>, StoreError> {
    Ok(case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(case_id))
        .filter(case_event::Column::Action.is_in([ActionKind::Reply.as_str(), ActionKind::SolveAtOnce.as_str(), ActionKind::AnswerNotOurs.as_str()]))
        .order_by_desc(case_event::Column::Id)
        .one(db)
        .await?
        .and_then(|e| e.detail)
        .and_then(|d| serde_json::from_str::<Action>(&d).ok())
        .and_then(|a| match a {
            Action::Reply { reply } | Action::SolveAtOnce { reply } | Action::AnswerNotOurs { reply } => Some(reply),
            _ => None,
        }))
}
