//! Passwords (argon2id), database-stored sessions, and throttling of repeated failures.
//!
//! A session is a random 256-bit token in an HttpOnly cookie; the database keeps only its
//! SHA-256, so any server process can check it and a copy of the database yields no live
//! cookie. Failed sign-ins are counted per login name (existing or not, so the throttle says
//! nothing about which names exist): after [`FREE_ATTEMPTS`] failures every further attempt
//! must wait, doubling from one second up to [`MAX_DELAY_SECS`].

use crate::entities::{app_user, login_throttle, session};
use crate::{StoreError, now};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use chrono::Duration;
use rand::RngCore;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

/// A session ends this long after sign-in, however active.
pub const SESSION_DAYS: i64 = 30;
/// A session unused for this long ends (a phone or laptop left signed in). Generous enough
/// for a grid worker's days offline in the field: their records wait in the phone's outbox
/// whatever happens to the session.
pub const IDLE_HOURS: i64 = 72;
/// How often a session's last use is written (not on every request).
const TOUCH_SECS: i64 = 60;
pub const FREE_ATTEMPTS: i32 = 5;
pub const MAX_DELAY_SECS: i64 = 300;

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// Unknown login, wrong password or deactivated account: deliberately one case.
    #[error("wrong login or password")]
    BadCredentials,
    #[error("too many failed attempts; try again in {retry_after_secs} s")]
    Throttled { retry_after_secs: i64 },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for AuthError {
    fn from(e: sea_orm::DbErr) -> Self {
        AuthError::Store(StoreError::Db(e))
    }
}

/// An argon2id PHC string of `password` with a fresh salt.
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        // Hashing fails only for parameters out of range, which the defaults are not.
        .unwrap_or_default()
}

fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// Hashing is CPU work of tens of milliseconds: keep it off the async workers.
pub async fn hash_password_blocking(password: String) -> String {
    tokio::task::spawn_blocking(move || hash_password(&password)).await.unwrap_or_default()
}

async fn verify_blocking(hash: String, password: String) -> bool {
    tokio::task::spawn_blocking(move || verify_password(&hash, &password)).await.unwrap_or(false)
}

/// A hash of nothing anyone knows, verified against when the login does not exist so that an
/// unknown login costs as much time as a wrong password.
fn decoy_hash() -> String {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_password("parkgrid decoy password")).clone()
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn throttle_key(login: &str) -> String {
    login.trim().to_lowercase()
}

fn delay_after(failures: i32) -> i64 {
    if failures < FREE_ATTEMPTS {
        return 0;
    }
    let exp = (failures - FREE_ATTEMPTS).min(20) as u32;
    (1i64 << exp).min(MAX_DELAY_SECS)
}

/// A successful sign-in: the token goes into the cookie, never into the database.
pub struct SignedIn {
    pub token: String,
    pub user: app_user::Model,
}

pub async fn sign_in<C: ConnectionTrait>(db: &C, login: &str, password: &str) -> Result<SignedIn, AuthError> {
    let key = throttle_key(login);
    let now = now();
    if let Some(t) = login_throttle::Entity::find_by_id(key.clone()).one(db).await? {
        let wait_ms = (t.last_failure_at + Duration::seconds(delay_after(t.failures)) - now).num_milliseconds();
        if t.failures >= FREE_ATTEMPTS && wait_ms > 0 {
            // Whole seconds, rounded up: "try again in 0 s" would be a lie.
            return Err(AuthError::Throttled { retry_after_secs: (wait_ms + 999) / 1000 });
        }
    }
    let user = app_user::Entity::find().filter(app_user::Column::Login.eq(login.trim())).one(db).await?;
    let hash = user.as_ref().map_or_else(decoy_hash, |u| u.password_hash.clone());
    let ok = verify_blocking(hash, password.to_owned()).await;
    match user {
        Some(user) if ok && user.active => {
            login_throttle::Entity::delete_by_id(key).exec(db).await?;
            let token = new_token();
            session::Entity::insert(session::ActiveModel {
                token_hash: Set(token_hash(&token)),
                user_id: Set(user.id),
                created_at: Set(now),
                expires_at: Set(now + Duration::days(SESSION_DAYS)),
                last_seen_at: Set(Some(now)),
            })
            .exec_without_returning(db)
            .await?;
            Ok(SignedIn { token, user })
        }
        _ => {
            record_failure(db, &key).await?;
            Err(AuthError::BadCredentials)
        }
    }
}

async fn record_failure<C: ConnectionTrait>(db: &C, key: &str) -> Result<(), sea_orm::DbErr> {
    use sea_orm::sea_query::ExprTrait;
    let now = now();
    // Upsert that increments atomically, so concurrent failures all count.
    login_throttle::Entity::insert(login_throttle::ActiveModel { login: Set(key.to_owned()), failures: Set(1), last_failure_at: Set(now) })
        .on_conflict(
            OnConflict::column(login_throttle::Column::Login)
                .value(login_throttle::Column::Failures, sea_orm::sea_query::Expr::col((login_throttle::Entity, login_throttle::Column::Failures)).add(1))
                .value(login_throttle::Column::LastFailureAt, now)
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Whether a session is over at `at`: past its end, or idle for [`IDLE_HOURS`].
fn over(s: &session::Model, at: chrono::DateTime<chrono::Utc>) -> bool {
    let last = s.last_seen_at.unwrap_or(s.created_at);
    s.expires_at <= at || last + Duration::hours(IDLE_HOURS) <= at
}

/// The active user a session token belongs to, if the session exists and is not over (its
/// last use is recorded, at most once a minute).
pub async fn user_for_token<C: ConnectionTrait>(db: &C, token: &str) -> Result<Option<app_user::Model>, StoreError> {
    let Some(s) = session::Entity::find_by_id(token_hash(token)).one(db).await? else {
        return Ok(None);
    };
    let at = now();
    if over(&s, at) {
        session::Entity::delete_by_id(s.token_hash).exec(db).await?;
        return Ok(None);
    }
    if s.last_seen_at.is_none_or(|l| l + Duration::seconds(TOUCH_SECS) <= at) {
        session::Entity::update_many()
            .col_expr(session::Column::LastSeenAt, sea_orm::sea_query::Expr::value(at))
            .filter(session::Column::TokenHash.eq(s.token_hash.clone()))
            .exec(db)
            .await?;
    }
    Ok(app_user::Entity::find_by_id(s.user_id).one(db).await?.filter(|u| u.active))
}

/// Ends a session. Unknown tokens are ignored: signing out twice is not an error.
pub async fn sign_out<C: ConnectionTrait>(db: &C, token: &str) -> Result<(), StoreError> {
    session::Entity::delete_by_id(token_hash(token)).exec(db).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let h = hash_password("correct horse");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password(&h, "correct horse"));
        assert!(!verify_password(&h, "wrong horse"));
        assert!(!verify_password("not a hash", "correct horse"));
    }

    #[test]
    fn a_session_is_over_at_its_end_or_after_being_idle() {
        let t0 = chrono::DateTime::parse_from_rfc3339("2026-11-02T08:00:00Z").map(|t| t.with_timezone(&chrono::Utc)).unwrap_or_default();
        let s = session::Model {
            token_hash: String::new(),
            user_id: 1,
            created_at: t0,
            expires_at: t0 + Duration::days(SESSION_DAYS),
            last_seen_at: Some(t0 + Duration::hours(10)),
        };
        assert!(!over(&s, t0 + Duration::hours(10 + IDLE_HOURS - 1)));
        assert!(over(&s, t0 + Duration::hours(10 + IDLE_HOURS)));
        let busy = session::Model { last_seen_at: Some(t0 + Duration::days(SESSION_DAYS) - Duration::hours(1)), ..s };
        assert!(over(&busy, t0 + Duration::days(SESSION_DAYS)));
    }

    #[test]
    fn the_delay_starts_after_the_free_attempts_and_doubles_up_to_the_cap() {
        assert_eq!(delay_after(FREE_ATTEMPTS - 1), 0);
        assert_eq!(delay_after(FREE_ATTEMPTS), 1);
        assert_eq!(delay_after(FREE_ATTEMPTS + 3), 8);
        assert_eq!(delay_after(FREE_ATTEMPTS + 40), MAX_DELAY_SECS);
    }
}
