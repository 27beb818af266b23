//! Request limits per key (an address and what it asks) in fixed windows, kept in the
//! database so that they hold across server processes: the enterprise link's (issue 13) —
//! it needs no account, so the address is what can be limited.

use crate::StoreError;
use crate::entities::rate_window;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

/// A limit: at most `hits` requests per `window`.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    pub hits: i32,
    pub window: Duration,
}

/// Counts a request under `key` at `now` (one atomic statement however many run at once):
/// refused with the seconds to wait when the window's allowance is spent.
pub async fn hit<C: ConnectionTrait>(db: &C, key: &str, limit: Limit, now: DateTime<Utc>) -> Result<(), StoreError> {
    let lapsed = Expr::col((rate_window::Entity, rate_window::Column::StartedAt)).lte(now - limit.window);
    let hits = Expr::case(lapsed.clone(), 1).finally(Expr::col((rate_window::Entity, rate_window::Column::Hits)).add(1));
    let started = Expr::case(lapsed, now).finally(Expr::col((rate_window::Entity, rate_window::Column::StartedAt)));
    let row = rate_window::ActiveModel { key: Set(key.to_owned()), hits: Set(1), started_at: Set(now) };
    let counted = rate_window::Entity::insert(row)
        .on_conflict(
            OnConflict::column(rate_window::Column::Key).value(rate_window::Column::Hits, hits).value(rate_window::Column::StartedAt, started).to_owned(),
        )
        .exec_with_returning(db)
        .await?;
    if counted.hits > limit.hits {
        let wait = Ord::max((counted.started_at + limit.window - now).num_seconds(), 1);
        return Err(StoreError::refused(
            api::RefusalCode::RateLimited,
            wait.to_string(),
            format!("too many requests from this address: try again in {wait} s"),
        ));
    }
    Ok(())
}

/// Forgets windows that started before `before` (every limit's window is shorter than a day):
/// run with the deadline sweep, so the table holds only the addresses of the last day.
pub async fn prune<C: ConnectionTrait>(db: &C, before: DateTime<Utc>) -> Result<u64, StoreError> {
    Ok(rate_window::Entity::delete_many().filter(rate_window::Column::StartedAt.lt(before)).exec(db).await?.rows_affected)
}
