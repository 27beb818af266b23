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

/// Applies every pending migration. Safe to run on every start.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
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
