//! Connecting and migrating. `DATABASE_URL` picks the engine: `sqlite://path` (the embedded
//! default; the file is created and switched to WAL) or `postgres://…`.

use migrations::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, DatabaseTransaction, DbErr, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};
use std::time::Duration;

/// Which engine a URL names.
pub fn is_sqlite(url: &str) -> bool {
    url.starts_with("sqlite:")
}

/// Opens a pool. SQLite files are created when missing and put in WAL mode so that readers
/// never wait for the writer.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let url = if is_sqlite(url) && !url.contains("mode=") { format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' }) } else { url.to_owned() };
    let mut opt = ConnectOptions::new(url);
    opt.max_connections(if is_sqlite(opt.get_url()) { 8 } else { 16 }).connect_timeout(Duration::from_secs(10)).sqlx_logging(false);
    // Every connection of the pool (these are per connection): foreign keys enforced, and a
    // writer that finds the database locked waits up to 30 s for its turn (an activation of a
    // city's plan takes seconds) instead of failing.
    opt.map_sqlx_sqlite_opts(|o| o.foreign_keys(true).busy_timeout(Duration::from_secs(30)));
    let db = Database::connect(opt).await?;
    if db.get_database_backend() == DatabaseBackend::Sqlite {
        db.execute_unprepared("PRAGMA journal_mode=WAL").await?;
        db.execute_unprepared("PRAGMA foreign_keys=ON").await?;
    }
    Ok(db)
}

/// Begins a transaction that writes. On SQLite it takes the write lock at `BEGIN`
/// (`BEGIN IMMEDIATE`): a second writer then waits for the first (up to the busy timeout)
/// instead of failing with "database is locked" when it upgrades a read lock mid-transaction.
/// On PostgreSQL it is a plain transaction; rows the transaction decides on are locked with
/// `SELECT … FOR UPDATE` (`lock_exclusive`) where it matters.
pub async fn write<D: TransactionTrait<Transaction = DatabaseTransaction>>(db: &D) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions { sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate), ..Default::default() }).await
}

/// Applies every pending migration. Safe to run on every start, by several servers starting at
/// once on one database (a cluster's PostgreSQL, or one SQLite file): one migrates while the
/// others wait for it, then find nothing pending.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    let lock = MigrationLock::take(db).await?;
    let migrated = migrate_unlocked(db).await;
    lock.release().await;
    migrated
}

/// The advisory lock key of migrations (any fixed number: "parkgrid" in ASCII).
const MIGRATION_LOCK: i64 = 0x7061_726b_6772_6964;

/// Held while the migrations run, so that servers starting at once take turns: on PostgreSQL a
/// session-level advisory lock on a connection of its own, on SQLite an exclusive lock on a file
/// next to the database's (`<file>.migrate-lock`; SQLite's own lock cannot be held across the
/// migrations, some of which begin and commit their own transactions). Either is released when
/// dropped, and by the operating system if the process dies.
enum MigrationLock {
    Postgres(sea_orm::sqlx::pool::PoolConnection<sea_orm::sqlx::Postgres>),
    Sqlite(std::fs::File),
    /// An in-memory SQLite database: no other process can see it.
    None,
}

impl MigrationLock {
    async fn take(db: &DatabaseConnection) -> Result<MigrationLock, DbErr> {
        let failed = |e: &dyn std::fmt::Display| DbErr::Custom(format!("the migrations' lock could not be taken: {e}"));
        match db.get_database_backend() {
            DatabaseBackend::Postgres => {
                let mut conn = db.get_postgres_connection_pool().acquire().await.map_err(|e| failed(&e))?;
                sea_orm::sqlx::query("SELECT pg_advisory_lock($1)").bind(MIGRATION_LOCK).execute(&mut *conn).await.map_err(|e| failed(&e))?;
                Ok(MigrationLock::Postgres(conn))
            }
            DatabaseBackend::Sqlite => {
                // The main database's file (empty for an in-memory one).
                let row = db.query_one_raw(sea_orm::Statement::from_string(DatabaseBackend::Sqlite, "PRAGMA database_list")).await?;
                let file: String = row.map(|r| r.try_get_by_index::<String>(2)).transpose()?.unwrap_or_default();
                if file.is_empty() {
                    return Ok(MigrationLock::None);
                }
                let path = format!("{file}.migrate-lock");
                let locked = tokio::task::spawn_blocking(move || {
                    let f = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&path)?;
                    f.lock()?;
                    Ok::<_, std::io::Error>(f)
                })
                .await
                .map_err(|e| failed(&e))?
                .map_err(|e| failed(&e))?;
                Ok(MigrationLock::Sqlite(locked))
            }
            _ => Ok(MigrationLock::None),
        }
    }

    /// Releases the lock: closes the PostgreSQL connection that holds it, or the lock file.
    async fn release(self) {
        match self {
            MigrationLock::Postgres(conn) => {
                let _ = conn.close().await;
            }
            MigrationLock::Sqlite(file) => drop(file),
            MigrationLock::None => {}
        }
    }
}

async fn migrate_unlocked(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await?;
    // The official calendar's shipped years, where missing.
    crate::calendar::seed_shipped(db).await.map_err(|e| match e {
        crate::StoreError::Db(e) => e,
        other => DbErr::Custom(other.to_string()),
    })
}

/// The engine's name, for `/health` and logs.
pub fn engine(db: &DatabaseConnection) -> &'static str {
    match db.get_database_backend() {
        DatabaseBackend::Sqlite => "sqlite",
        DatabaseBackend::Postgres => "postgres",
        DatabaseBackend::MySql => "mysql",
        _ => "unknown",
    }
}
