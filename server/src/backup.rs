//! `parkgrid backup` and `parkgrid restore`: the whole database to a file and back.
//!
//! SQLite: `VACUUM INTO` writes a consistent, compacted copy while the server keeps serving
//! (readers and the one writer go on; WAL mode). A restore checks that the file is a parkgrid
//! database (it opens, passes `PRAGMA integrity_check` and has the migrations table), keeps the
//! current file as `<file>.before-restore`, and moves the backup in place; the server must be
//! stopped. PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --if-exists
//! --single-transaction` (the client tools of the server's version must be on PATH).

use crate::cli::BadInput;
use anyhow::{Context, bail};
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
use std::path::{Path, PathBuf};

/// The database file an `sqlite://` URL names.
fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    Some(PathBuf::from(rest.split('?').next().unwrap_or(rest)))
}

fn refuse_existing(out: &Path) -> anyhow::Result<()> {
    if out.exists() {
        return Err(BadInput(vec![format!("{}: exists already; choose a new file", out.display())]).into());
    }
    Ok(())
}

pub async fn backup(db: &store::DatabaseConnection, url: &str, out: &Path) -> anyhow::Result<()> {
    refuse_existing(out)?;
    if store::db::is_sqlite(url) {
        let target = out.to_str().context("the backup path is not UTF-8")?;
        db.execute_raw(Statement::from_sql_and_values(DatabaseBackend::Sqlite, "VACUUM INTO ?", [target.into()])).await.context("VACUUM INTO")?;
        return Ok(());
    }
    let status = tokio::process::Command::new("pg_dump")
        .args(["--format=custom", "--no-owner", "--file"])
        .arg(out)
        .arg(url)
        .status()
        .await
        .context("running pg_dump (install the PostgreSQL client tools)")?;
    if !status.success() {
        bail!("pg_dump failed ({status})");
    }
    Ok(())
}

pub async fn restore(url: &str, from: &Path) -> anyhow::Result<()> {
    if !from.is_file() {
        return Err(BadInput(vec![format!("{}: no such file", from.display())]).into());
    }
    let Some(target) = sqlite_path(url) else {
        let status = tokio::process::Command::new("pg_restore")
            .args(["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error", "--dbname"])
            .arg(url)
            .arg(from)
            .status()
            .await
            .context("running pg_restore (install the PostgreSQL client tools)")?;
        if !status.success() {
            bail!("pg_restore failed ({status}); the database is unchanged");
        }
        return Ok(());
    };
    // A copy next to the database, checked before it replaces anything.
    let staged = target.with_extension("restoring");
    std::fs::copy(from, &staged).with_context(|| format!("copying {}", from.display()))?;
    if let Err(e) = check_sqlite(&staged).await {
        let _ = std::fs::remove_file(&staged);
        return Err(BadInput(vec![format!("{}: not a parkgrid database backup: {e:#}", from.display())]).into());
    }
    if target.exists() {
        std::fs::rename(&target, target.with_extension("db.before-restore")).context("keeping the current database")?;
    }
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", target.display()));
        if side.exists() {
            std::fs::remove_file(&side).with_context(|| format!("removing {}", side.display()))?;
        }
    }
    std::fs::rename(&staged, &target).context("moving the backup in place")?;
    Ok(())
}

async fn check_sqlite(path: &Path) -> anyhow::Result<()> {
    let db = sea_orm::Database::connect(format!("sqlite://{}?mode=ro", path.display())).await?;
    let ok = db.query_one_raw(Statement::from_string(DatabaseBackend::Sqlite, "PRAGMA integrity_check")).await?.context("no answer")?;
    let verdict: String = ok.try_get_by_index(0)?;
    if verdict != "ok" {
        bail!("integrity check: {verdict}");
    }
    db.query_one_raw(Statement::from_string(DatabaseBackend::Sqlite, "SELECT count(*) FROM seaql_migrations")).await.context("no migrations table")?;
    db.close().await?;
    Ok(())
}
