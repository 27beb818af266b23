//! The deadline sweep (issue 13): reminders before a case's deadline, 催办 the working day
//! after it, 督办 to the center's head [`SUPERVISE_AFTER`](crate::cases::SUPERVISE_AFTER)
//! working days later — each once per deadline, as a system event in the case's timeline; 催办
//! and 督办 also flag the case for the center. Run by every server every minute under a lease
//! ([`lease`]) so that one server sweeps at a time; each mark is also written only where it is
//! still missing, so that even two sweeps at once record every event once.

use crate::entities::{case_event, job_lease, service_case};
use crate::{StoreError, calendar};
use chrono::{DateTime, Duration, Utc};
use domain::calendar::{Urgency, end_of_day, local_date};
use domain::case::Stage;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait};

/// The most cases one sweep looks at (the rest wait for the next minute).
pub const SWEEP_BATCH: u64 = 2_000;

/// What a sweep recorded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Swept {
    pub reminded: u64,
    pub urged: u64,
    pub supervised: u64,
}

/// The marks a case may get, in the order they come.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mark {
    Remind,
    Urge,
    Supervise,
}

impl Mark {
    fn column(self) -> service_case::Column {
        match self {
            Mark::Remind => service_case::Column::RemindedAt,
            Mark::Urge => service_case::Column::UrgedAt,
            Mark::Supervise => service_case::Column::SupervisedAt,
        }
    }

    /// The timeline's action name.
    fn action(self) -> &'static str {
        match self {
            Mark::Remind => "remind",
            Mark::Urge => "urge",
            Mark::Supervise => "supervise",
        }
    }
}

/// The marks due for a case at its urgency that it does not have yet.
fn due_marks(urgency: Urgency, c: &service_case::Model) -> Vec<Mark> {
    let wanted: &[Mark] = match urgency {
        Urgency::OnTime | Urgency::Overdue => &[],
        Urgency::DueSoon => &[Mark::Remind],
        Urgency::Urged => &[Mark::Urge],
        Urgency::Supervised => &[Mark::Urge, Mark::Supervise],
    };
    wanted
        .iter()
        .copied()
        .filter(|m| match m {
            Mark::Remind => c.reminded_at.is_none(),
            Mark::Urge => c.urged_at.is_none(),
            Mark::Supervise => c.supervised_at.is_none(),
        })
        .collect()
}

/// Records the reminders, 催办 and 督办 due at `now`.
pub async fn sweep<D>(db: &D, now: DateTime<Utc>) -> Result<Swept, StoreError>
where
    D: ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>,
{
    let cal = calendar::load(db).await?;
    let soon = end_of_day(cal.working_day_after(local_date(now), 1));
    let running: Vec<&str> = Stage::ALL.iter().filter(|s| s.clock_runs()).map(|s| s.as_str()).collect();
    let candidates = service_case::Entity::find()
        .filter(service_case::Column::Stage.is_in(running))
        .filter(service_case::Column::PausedAt.is_null())
        .filter(service_case::Column::DeadlineAt.lte(soon))
        .filter(service_case::Column::SupervisedAt.is_null())
        .order_by_asc(service_case::Column::DeadlineAt)
        .limit(SWEEP_BATCH)
        .all(db)
        .await?;
    let mut swept = Swept::default();
    for c in candidates {
        let Some(deadline) = c.deadline_at else { continue };
        let marks = due_marks(cal.urgency(deadline, now, crate::cases::SUPERVISE_AFTER), &c);
        if marks.is_empty() {
            continue;
        }
        let txn = crate::db::write(db).await?;
        for mark in marks {
            // Only where still missing, and only for the deadline read: a sweep racing another,
            // or an extension granted meanwhile, records nothing twice or stale.
            let mut update = service_case::Entity::update_many().col_expr(mark.column(), Expr::value(now));
            if mark != Mark::Remind {
                update = update.col_expr(service_case::Column::Flagged, Expr::value(true));
            }
            let done = update
                .filter(service_case::Column::Id.eq(c.id))
                .filter(mark.column().is_null())
                .filter(service_case::Column::DeadlineAt.eq(deadline))
                .filter(service_case::Column::Stage.eq(c.stage.as_str()))
                .exec(&txn)
                .await?
                .rows_affected;
            if done == 0 {
                continue;
            }
            case_event::ActiveModel {
                case_id: Set(c.id),
                at: Set(now),
                actor_id: Set(None),
                actor_kind: Set("system".to_owned()),
                action: Set(mark.action().to_owned()),
                from_stage: Set(Some(c.stage.clone())),
                to_stage: Set(c.stage.clone()),
                detail: Set(None),
                record_id: Set(None),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            match mark {
                Mark::Remind => swept.reminded += 1,
                Mark::Urge => swept.urged += 1,
                Mark::Supervise => swept.supervised += 1,
            }
        }
        txn.commit().await?;
    }
    Ok(swept)
}

/// Takes (or keeps) the lease on job `name` for `holder` until `now + ttl`: whether `holder`
/// holds it now. A lease lapses when its holder stops renewing it (a server that died).
pub async fn lease<C: ConnectionTrait>(db: &C, name: &str, holder: &str, now: DateTime<Utc>, ttl: Duration) -> Result<bool, StoreError> {
    let until = now + ttl;
    let row = job_lease::ActiveModel { name: Set(name.to_owned()), holder: Set(holder.to_owned()), until: Set(until) };
    // Taken over only when lapsed or already ours: one atomic statement on both engines.
    let lapsed_or_ours =
        Expr::col((job_lease::Entity, job_lease::Column::Until)).lt(now).or(Expr::col((job_lease::Entity, job_lease::Column::Holder)).eq(holder));
    job_lease::Entity::insert(row)
        .on_conflict(
            OnConflict::column(job_lease::Column::Name)
                .update_columns([job_lease::Column::Holder, job_lease::Column::Until])
                .action_and_where(lapsed_or_ours)
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(job_lease::Entity::find_by_id(name.to_owned()).one(db).await?.is_some_and(|l| l.holder == holder))
}

/// Gives a lease up, if `holder` still holds it (a server that stops gracefully): whoever
/// tries next takes it at once.
pub async fn release<C: ConnectionTrait>(db: &C, name: &str, holder: &str) -> Result<(), StoreError> {
    job_lease::Entity::delete_many().filter(job_lease::Column::Name.eq(name)).filter(job_lease::Column::Holder.eq(holder)).exec(db).await?;
    Ok(())
}

/// The holder of a lease now, if anyone holds it (lapsed or not).
pub async fn holder<C: ConnectionTrait>(db: &C, name: &str) -> Result<Option<String>, StoreError> {
    Ok(job_lease::Entity::find_by_id(name.to_owned()).one(db).await?.map(|l| l.holder))
}

/// A name for this server process among others: the holder of its leases.
pub fn holder_name() -> String {
    let token = crate::auth::new_token();
    format!("{}-{}", std::process::id(), token.get(..12).unwrap_or_default())
}
