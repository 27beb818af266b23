//! Passwords (argon2id), database-stored sessions, and throttling of repeated failures.
//!
//! A session is a random 256-bit token in an HttpOnly cookie; the database keeps only its
//! SHA-256, so any server process can check it and a copy of the database yields no live
//! cookie.
//!
//! # Sign-in that cannot be used to lock people out, nor to guess in parallel
//! Failed sign-ins are counted per login name (existing or not, so the throttle says nothing
//! about which names exist) and per client address. An attempt is **counted before its
//! password is verified**: of many sent at once, only those within the allowance are verified
//! at all, the others are answered "wait" without a hash being computed. After
//! [`FREE_ATTEMPTS`] failures of a login ([`FREE_ATTEMPTS_PER_ADDRESS`] from an address) an
//! attempt must wait, doubling from one second up to [`MAX_DELAY_SECS`]; failures older than
//! [`FORGET_AFTER_MINUTES`] are forgotten, so a wrong password now and then never keeps an
//! account locked. The owner of the right password signs in from a **known device** (a browser
//! they signed in from before: a long-lived cookie whose hash the database keeps) whatever the
//! login's throttle says — the address throttle still holds. At most [`HASHES_AT_ONCE`]
//! password hashes run at once; more wait their turn.

use crate::entities::{app_user, known_device, login_throttle, session};
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
pub const FREE_ATTEMPTS_PER_ADDRESS: i32 = 20;
pub const MAX_DELAY_SECS: i64 = 300;
pub const FORGET_AFTER_MINUTES: i64 = 15;
/// Password hashes computed at once (each takes tens of milliseconds of a core).
pub const HASHES_AT_ONCE: usize = 4;
/// A known device's cookie lasts a year.
pub const DEVICE_DAYS: i64 = 365;

static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(HASHES_AT_ONCE);

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

/// Hashing is CPU work of tens of milliseconds: off the async workers, and at most
/// [`HASHES_AT_ONCE`] at a time.
pub async fn hash_password_blocking(password: String) -> String {
    let _turn = HASHING.acquire().await;
    tokio::task::spawn_blocking(move || hash_password(&password)).await.unwrap_or_default()
}

pub(crate) async fn verify_blocking(hash: String, password: String) -> bool {
    let _turn = HASHING.acquire().await;
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

fn login_key(login: &str) -> String {
    format!("login:{}", login.trim().to_lowercase())
}

fn address_key(address: std::net::IpAddr) -> String {
    format!("addr:{address}")
}

fn delay_after(failures: i32, free: i32) -> i64 {
    if failures < free {
        return 0;
    }
    let exp = (failures - free).min(20) as u32;
    (1i64 << exp).min(MAX_DELAY_SECS)
}

/// A successful sign-in: the token goes into the cookie, never into the database; `device`, a
/// new known-device token for a cookie, when the browser had none for this user.
pub struct SignedIn {
    pub token: String,
    pub user: app_user::Model,
    pub device: Option<String>,
}

/// One sign-in attempt: the login and password typed, where from, and the known-device
/// cookie the browser sent, if any.
pub struct Attempt<'a> {
    pub login: &'a str,
    pub password: &'a str,
    pub address: Option<std::net::IpAddr>,
    pub device: Option<&'a str>,
}

/// A throttle counter as it stands: failures not yet forgotten, and the last one.
struct Count {
    failures: i32,
    last: chrono::DateTime<chrono::Utc>,
}

/// The count under `key`; failures older than [`FORGET_AFTER_MINUTES`] are forgotten: their
/// row goes (only the row as read: a failure counted meanwhile stays).
async fn count<C: ConnectionTrait>(db: &C, key: &str, at: chrono::DateTime<chrono::Utc>) -> Result<Option<Count>, sea_orm::DbErr> {
    let Some(t) = login_throttle::Entity::find_by_id(key.to_owned()).one(db).await? else { return Ok(None) };
    if t.last_failure_at + Duration::minutes(FORGET_AFTER_MINUTES) > at {
        return Ok(Some(Count { failures: t.failures, last: t.last_failure_at }));
    }
    login_throttle::Entity::delete_many()
        .filter(login_throttle::Column::Login.eq(key))
        .filter(login_throttle::Column::LastFailureAt.eq(t.last_failure_at))
        .exec(db)
        .await?;
    Ok(None)
}

/// Seconds to wait before the next attempt under `key`, or 0.
fn wait_secs(c: &Option<Count>, free: i32, at: chrono::DateTime<chrono::Utc>) -> i64 {
    let Some(c) = c else { return 0 };
    let wait_ms = (c.last + Duration::seconds(delay_after(c.failures, free)) - at).num_milliseconds();
    // Whole seconds, rounded up: "try again in 0 s" would be a lie.
    if c.failures >= free && wait_ms > 0 { (wait_ms + 999) / 1000 } else { 0 }
}

/// Counts an attempt under `key` before it is verified (one atomic increment, however many
/// run at once); the count after it.
async fn count_attempt<C: ConnectionTrait>(db: &C, key: &str, at: chrono::DateTime<chrono::Utc>) -> Result<i32, sea_orm::DbErr> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    let bump = Expr::col((login_throttle::Entity, login_throttle::Column::Failures)).add(1);
    let row = login_throttle::Entity::insert(login_throttle::ActiveModel { login: Set(key.to_owned()), failures: Set(1), last_failure_at: Set(at) })
        .on_conflict(
            OnConflict::column(login_throttle::Column::Login)
                .value(login_throttle::Column::Failures, bump)
                .value(login_throttle::Column::LastFailureAt, at)
                .to_owned(),
        )
        .exec_with_returning(db)
        .await?;
    Ok(row.failures)
}

/// Whether an attempt counted as `now_count` may be verified: within the allowance, or the
/// one attempt allowed after a wait (nobody else counted in between).
fn may_verify(seen: &Option<Count>, now_count: i32, free: i32) -> bool {
    now_count <= free || now_count == seen.as_ref().map_or(0, |c| c.failures) + 1
}

pub async fn sign_in<C: ConnectionTrait>(db: &C, attempt: Attempt<'_>) -> Result<SignedIn, AuthError> {
    let at = now();
    let user = app_user::Entity::find().filter(app_user::Column::Login.eq(attempt.login.trim())).one(db).await?;
    // A browser this user signed in from before is not held back by the login's throttle.
    let known_device = match (attempt.device, &user) {
        (Some(token), Some(u)) => known_device::Entity::find_by_id(token_hash(token)).one(db).await?.is_some_and(|d| d.user_id == u.id),
        _ => false,
    };
    let mut keys: Vec<(String, i32)> = Vec::new();
    if !known_device {
        keys.push((login_key(attempt.login), FREE_ATTEMPTS));
    }
    if let Some(a) = attempt.address {
        keys.push((address_key(a), FREE_ATTEMPTS_PER_ADDRESS));
    }
    let mut seen = Vec::new();
    for (key, free) in &keys {
        let c = count(db, key, at).await?;
        let wait = wait_secs(&c, *free, at);
        if wait > 0 {
            return Err(AuthError::Throttled { retry_after_secs: wait });
        }
        seen.push(c);
    }
    // Counted before it is verified, under every key: a burst of attempts sent at once is
    // mostly refused here, and each counts against its address all the same.
    let mut refused = None;
    for ((key, free), c) in keys.iter().zip(&seen) {
        let n = count_attempt(db, key, at).await?;
        if !may_verify(c, n, *free) {
            refused = refused.or(Some(delay_after(n, *free).max(1)));
        }
    }
    if let Some(retry_after_secs) = refused {
        return Err(AuthError::Throttled { retry_after_secs });
    }
    let hash = user.as_ref().map_or_else(decoy_hash, |u| u.password_hash.clone());
    let ok = verify_blocking(hash, attempt.password.to_owned()).await;
    match user {
        Some(user) if ok && user.active => {
            // Right: the login's count starts again, the address's attempt is taken back.
            login_throttle::Entity::delete_by_id(login_key(attempt.login)).exec(db).await?;
            if let Some(a) = attempt.address {
                use sea_orm::sea_query::{Expr, ExprTrait};
                login_throttle::Entity::update_many()
                    .col_expr(login_throttle::Column::Failures, Expr::col(login_throttle::Column::Failures).sub(1))
                    .filter(login_throttle::Column::Login.eq(address_key(a)))
                    .filter(login_throttle::Column::Failures.gt(0))
                    .exec(db)
                    .await?;
            }
            let token = new_token();
            session::Entity::insert(session::ActiveModel {
                token_hash: Set(token_hash(&token)),
                user_id: Set(user.id),
                created_at: Set(at),
                expires_at: Set(at + Duration::days(SESSION_DAYS)),
                last_seen_at: Set(Some(at)),
            })
            .exec_without_returning(db)
            .await?;
            let device = if known_device {
                None
            } else {
                let d = new_token();
                known_device::Entity::insert(known_device::ActiveModel { token_hash: Set(token_hash(&d)), user_id: Set(user.id), created_at: Set(at) })
                    .exec_without_returning(db)
                    .await?;
                Some(d)
            };
            Ok(SignedIn { token, user, device })
        }
        _ => Err(AuthError::BadCredentials),
    }
}

pub(crate) fn new_token() -> String {
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
        assert_eq!(delay_after(FREE_ATTEMPTS - 1, FREE_ATTEMPTS), 0);
        assert_eq!(delay_after(FREE_ATTEMPTS, FREE_ATTEMPTS), 1);
        assert_eq!(delay_after(FREE_ATTEMPTS + 3, FREE_ATTEMPTS), 8);
        assert_eq!(delay_after(FREE_ATTEMPTS + 40, FREE_ATTEMPTS), MAX_DELAY_SECS);
    }

    #[test]
    fn of_attempts_counted_at_once_only_those_within_the_allowance_are_verified() {
        let at = chrono::Utc::now();
        // Nothing counted yet: five of forty sent at once are verified.
        let verified = (1..=40).filter(|n| may_verify(&None, *n, FREE_ATTEMPTS)).count();
        assert_eq!(verified, FREE_ATTEMPTS as usize);
        // After a wait, one attempt — the next counted — and no other.
        let seen = Some(Count { failures: 7, last: at });
        assert!(may_verify(&seen, 8, FREE_ATTEMPTS) && !may_verify(&seen, 9, FREE_ATTEMPTS));
    }
}
