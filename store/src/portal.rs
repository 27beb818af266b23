//! The enterprise's own link (issue 13): no account — an unguessable token per enterprise
//! (256 random bits; the database keeps only its SHA-256, as for sessions), issued by the
//! service center and printed as a QR code. Through it the enterprise sees its cases and their
//! status (nothing of any other enterprise), rates closed ones (不满意 flags the case for the
//! manager) and submits a demand of its own, at most [`SUBMISSIONS_PER_DAY`] a day.

use crate::StoreError;
use crate::access::Access;
use crate::auth::{new_token, token_hash};
use crate::cases::{self, NewDemand, Source};
use crate::entities::{enterprise, enterprise_link, park, service_case};
use crate::rate::Limit;
use api::cases::{Action, Portal, PortalCase, Satisfaction, Stage};
use domain::case::Actor;
use domain::field::DemandCategory;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait};
use std::net::IpAddr;

/// Demands an enterprise may submit through its link in 24 hours.
pub const SUBMISSIONS_PER_DAY: u64 = 5;
/// Cases the link shows, newest first.
pub const SHOWN: u64 = 50;

/// Issues the enterprise's link (a new one revokes the old): the token, to be shown once.
pub async fn issue<C: ConnectionTrait>(db: &C, access: &Access, enterprise_id: i64) -> Result<String, StoreError> {
    access.enterprise(db, enterprise_id).await?;
    let token = new_token();
    let row = enterprise_link::ActiveModel {
        enterprise_id: Set(enterprise_id),
        token_hash: Set(token_hash(&token)),
        created_at: Set(crate::now()),
        created_by: Set(Some(access.user.id)),
    };
    enterprise_link::Entity::insert(row)
        .on_conflict(
            OnConflict::column(enterprise_link::Column::EnterpriseId)
                .update_columns([enterprise_link::Column::TokenHash, enterprise_link::Column::CreatedAt, enterprise_link::Column::CreatedBy])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    crate::audit::record(
        db,
        crate::audit::Event {
            actor: Some(access.user.id),
            action: "enterprise.link",
            entity: "enterprise",
            entity_id: Some(enterprise_id.to_string()),
            before: None,
            after: None,
        },
    )
    .await?;
    Ok(token)
}

/// The enterprise a token opens; `NotFound` for any other string.
async fn enterprise_of<C: ConnectionTrait>(db: &C, token: &str) -> Result<enterprise::Model, StoreError> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(StoreError::NotFound("link"));
    }
    let link =
        enterprise_link::Entity::find().filter(enterprise_link::Column::TokenHash.eq(token_hash(token))).one(db).await?.ok_or(StoreError::NotFound("link"))?;
    enterprise::Entity::find_by_id(link.enterprise_id).one(db).await?.filter(|e| e.active).ok_or(StoreError::NotFound("link"))
}

/// Views of links from one address: 120 per 10 minutes (a factory's staff share one address
/// behind its router; a scan of tokens does not get far).
pub fn views() -> Limit {
    Limit { hits: 120, window: chrono::Duration::minutes(10) }
}

/// Ratings and demands sent through links from one address: 30 an hour.
pub fn writes() -> Limit {
    Limit { hits: 30, window: chrono::Duration::hours(1) }
}

/// Counts a request from `from` (whatever its token: a wrong one counts too).
async fn limit<C: ConnectionTrait>(db: &C, from: Option<IpAddr>, what: &str, l: Limit) -> Result<(), StoreError> {
    match from {
        Some(ip) => crate::rate::hit(db, &format!("portal:{what}:{ip}"), l, crate::now()).await,
        None => Ok(()),
    }
}

/// What the link shows: the enterprise's cases, newest first, with the last answer given.
pub async fn view<C: ConnectionTrait>(db: &C, token: &str, from: Option<IpAddr>) -> Result<Portal, StoreError> {
    limit(db, from, "view", views()).await?;
    let e = enterprise_of(db, token).await?;
    let park = park::Entity::find_by_id(e.park_id).one(db).await?.map(|p| p.name).unwrap_or_default();
    let rows = service_case::Entity::find()
        .filter(service_case::Column::EnterpriseId.eq(e.id))
        .order_by_desc(service_case::Column::RegisteredAt)
        .limit(SHOWN)
        .all(db)
        .await?;
    let mut cases = Vec::with_capacity(rows.len());
    for c in rows {
        let stage = Stage::parse(&c.stage).unwrap_or(Stage::Registered);
        let answer = cases::last_answer(db, c.id).await?;
        let rating = c.rating.as_deref().and_then(Satisfaction::parse);
        cases.push(PortalCase {
            id: c.id,
            category: c.category,
            description: c.description,
            stage,
            registered_at: c.registered_at.to_rfc3339(),
            answer,
            rating,
            can_rate: stage == Stage::Closed && rating.is_none(),
        });
    }
    Ok(Portal { enterprise: e.name, park, cases })
}

/// The enterprise rates one of its closed cases.
pub async fn rate<D>(db: &D, token: &str, from: Option<IpAddr>, case_id: i64, satisfaction: Satisfaction, solved: bool, comment: &str) -> Result<(), StoreError>
where
    D: ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>,
{
    limit(db, from, "write", writes()).await?;
    let e = enterprise_of(db, token).await?;
    let action = Action::Rate { satisfaction, solved, comment: comment.trim().to_owned() };
    let txn = crate::db::write(db).await?;
    let c = service_case::Entity::find_by_id(case_id).lock_exclusive().one(&txn).await?.ok_or(StoreError::NotFound("case"))?;
    // Another enterprise's case is not found through this link.
    if c.enterprise_id != Some(e.id) {
        return Err(StoreError::NotFound("case"));
    }
    cases::apply(&txn, &c, Actor::Enterprise, None, &action, None).await?;
    txn.commit().await?;
    Ok(())
}

/// The enterprise submits a demand of its own (at 登记, owned by whoever at the center takes
/// it on first).
pub async fn submit<D>(db: &D, token: &str, from: Option<IpAddr>, category: DemandCategory, description: &str) -> Result<i64, StoreError>
where
    D: ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>,
{
    limit(db, from, "write", writes()).await?;
    let e = enterprise_of(db, token).await?;
    let txn = crate::db::write(db).await?;
    let today = service_case::Entity::find()
        .filter(service_case::Column::EnterpriseId.eq(e.id))
        .filter(service_case::Column::Source.eq("enterprise"))
        .filter(service_case::Column::RegisteredAt.gte(crate::now() - chrono::Duration::hours(24)))
        .count(&txn)
        .await?;
    if today >= SUBMISSIONS_PER_DAY {
        return Err(StoreError::refused(api::RefusalCode::TooManyToday, SUBMISSIONS_PER_DAY.to_string(), "too many demands submitted through this link today"));
    }
    let case = cases::register(
        &txn,
        NewDemand { enterprise_id: e.id, category, description, source: Source::Enterprise, record: None, owner: None, at: crate::now() },
    )
    .await?
    .ok_or(StoreError::NotFound("case"))?;
    txn.commit().await?;
    Ok(case.id)
}
