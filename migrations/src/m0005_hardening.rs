//! Hardening (issue 14): what the worker recorded can no longer be deleted by a cascade, a
//! worker's grids keep their history, sessions know when they were last used, photos are
//! stored in chunks.
//!
//! - The foreign keys of field records (visits, demands, findings, re-inspections) and of
//!   grid assignments become `ON DELETE RESTRICT`: deleting a grid, an enterprise or a user
//!   that a record refers to fails instead of deleting the record with it. (A draft's grids,
//!   which hold no records, are still replaced freely.)
//! - `grid_assignment.ended_at`: an unassignment ends the row instead of deleting it, so the
//!   sync can authorize a record against when its worker held the grid; one *current* row per
//!   (grid, worker).
//! - `session.last_seen_at`, for the idle timeout.
//! - `photo_chunk`: a photo's bytes as the chunks they arrived in, appended, never rewritten;
//!   the whole-blob column `photo.data` goes.
//!
//! SQLite cannot change a foreign key in place: those tables are rebuilt as its manual
//! describes (foreign keys off on the migrating connection, a new table from the stored
//! definition with `RESTRICT` for `CASCADE`, rows copied, the old table dropped, the new one
//! renamed, its indexes recreated, `foreign_key_check`), all in one transaction on one
//! connection. PostgreSQL drops and re-adds each constraint.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables whose foreign keys become `RESTRICT`.
const RESTRICTED: [&str; 5] = ["visit", "demand", "finding", "reinspection", "grid_assignment"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let backend = db.get_database_backend();
        let rest = match backend {
            DatabaseBackend::Sqlite => the_rest(SqliteQueryBuilder),
            _ => the_rest(PostgresQueryBuilder),
        };
        match backend {
            // One script, one connection, one transaction: all of it or nothing.
            DatabaseBackend::Sqlite => restrict_sqlite(db, &rest).await,
            // The migrator runs a PostgreSQL migration in a transaction.
            _ => {
                restrict_postgres(db).await?;
                for sql in rest {
                    db.execute_unprepared(&sql).await?;
                }
                Ok(())
            }
        }
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("m0005 (hardening) cannot be undone: restore a backup taken before it".into()))
    }
}

/// `CREATE TABLE` text of a table with every `ON DELETE CASCADE` made `RESTRICT`.
fn restricted(sql: &str) -> String {
    sql.replace("ON DELETE CASCADE", "ON DELETE RESTRICT")
}

/// Everything but the foreign keys, as SQL for the engine of `builder`.
fn the_rest<B: SchemaBuilder + Default>(_builder: B) -> Vec<String> {
    vec![
        Table::alter()
            .table(GridAssignment::Table)
            .add_column(ColumnDef::new(GridAssignment::EndedAt).timestamp_with_time_zone().null())
            .to_owned()
            .to_string(B::default()),
        Index::drop().name("ux_grid_assignment").to_owned().to_string(B::default()),
        "CREATE UNIQUE INDEX ux_grid_assignment_current ON grid_assignment (grid_id, user_id) WHERE ended_at IS NULL".to_owned(),
        Table::alter()
            .table(Session::Table)
            .add_column(ColumnDef::new(Session::LastSeenAt).timestamp_with_time_zone().null())
            .to_owned()
            .to_string(B::default()),
        "UPDATE session SET last_seen_at = created_at".to_owned(),
        Table::create()
            .table(PhotoChunk::Table)
            .col(ColumnDef::new(PhotoChunk::PhotoId).string_len(36).not_null())
            .col(ColumnDef::new(PhotoChunk::ByteOffset).big_integer().not_null())
            .col(ColumnDef::new(PhotoChunk::Data).binary().not_null())
            .primary_key(Index::create().col(PhotoChunk::PhotoId).col(PhotoChunk::ByteOffset))
            .foreign_key(ForeignKey::create().from(PhotoChunk::Table, PhotoChunk::PhotoId).to(Photo::Table, Photo::Id).on_delete(ForeignKeyAction::Restrict))
            .to_owned()
            .to_string(B::default()),
        "INSERT INTO photo_chunk (photo_id, byte_offset, data) SELECT id, 0, data FROM photo WHERE received > 0".to_owned(),
        Table::alter().table(Photo::Table).drop_column(Photo::Data).to_owned().to_string(B::default()),
    ]
}

async fn restrict_sqlite(db: &SchemaManagerConnection<'_>, rest: &[String]) -> Result<(), DbErr> {
    let mut script = String::from("PRAGMA foreign_keys=OFF;\nBEGIN;\n");
    for table in RESTRICTED {
        let rows = db
            .query_all_raw(Statement::from_sql_and_values(
                DatabaseBackend::Sqlite,
                "SELECT type, sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL ORDER BY type DESC",
                [table.into()],
            ))
            .await?;
        let mut create = None;
        let mut indexes = Vec::new();
        for row in rows {
            let kind: String = row.try_get("", "type")?;
            let sql: String = row.try_get("", "sql")?;
            match kind.as_str() {
                "table" => create = Some(sql),
                "index" => indexes.push(sql),
                _ => {}
            }
        }
        let create = create.ok_or_else(|| DbErr::Migration(format!("table {table} not found")))?;
        let new = format!("{table}_m0005");
        // The stored text starts `CREATE TABLE "visit" (`: name the copy instead.
        let body = create.split_once('(').map(|(_, rest)| rest).ok_or_else(|| DbErr::Migration(format!("unexpected definition of {table}")))?;
        script.push_str(&format!("CREATE TABLE \"{new}\" ({};\n", restricted(body)));
        script.push_str(&format!("INSERT INTO \"{new}\" SELECT * FROM \"{table}\";\n"));
        script.push_str(&format!("DROP TABLE \"{table}\";\n"));
        script.push_str(&format!("ALTER TABLE \"{new}\" RENAME TO \"{table}\";\n"));
        for index in indexes {
            script.push_str(&index);
            script.push_str(";\n");
        }
    }
    for sql in rest {
        script.push_str(sql);
        script.push_str(";\n");
    }
    script.push_str("COMMIT;\nPRAGMA foreign_keys=ON;\n");
    db.execute_unprepared(&script).await?;
    let broken = db.query_all_raw(Statement::from_string(DatabaseBackend::Sqlite, "PRAGMA foreign_key_check")).await?;
    if !broken.is_empty() {
        return Err(DbErr::Migration(format!("{} row(s) refer to rows that do not exist", broken.len())));
    }
    Ok(())
}

async fn restrict_postgres(db: &SchemaManagerConnection<'_>) -> Result<(), DbErr> {
    for table in RESTRICTED {
        let rows = db
            .query_all_raw(Statement::from_sql_and_values(
                DatabaseBackend::Postgres,
                "SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'f'",
                [table.into()],
            ))
            .await?;
        for row in rows {
            let name: String = row.try_get("", "conname")?;
            let def: String = row.try_get("", "def")?;
            db.execute_unprepared(&format!("ALTER TABLE \"{table}\" DROP CONSTRAINT \"{name}\"")).await?;
            let def = if def.contains("ON DELETE") { restricted(&def) } else { format!("{def} ON DELETE RESTRICT") };
            db.execute_unprepared(&format!("ALTER TABLE \"{table}\" ADD CONSTRAINT \"{name}\" {def}")).await?;
        }
    }
    Ok(())
}

#[derive(DeriveIden)]
enum GridAssignment {
    Table,
    EndedAt,
}

#[derive(DeriveIden)]
enum Session {
    Table,
    LastSeenAt,
}

#[derive(DeriveIden)]
enum Photo {
    Table,
    Id,
    Data,
}

#[derive(DeriveIden)]
enum PhotoChunk {
    Table,
    PhotoId,
    ByteOffset,
    Data,
}

#[cfg(test)]
mod tests {
    use super::restricted;

    #[test]
    fn every_cascade_of_a_definition_becomes_restrict() {
        let sql =
            r#""a" integer, FOREIGN KEY ("g") REFERENCES "grid" ("id") ON DELETE CASCADE, FOREIGN KEY ("e") REFERENCES "enterprise" ("id") ON DELETE CASCADE)"#;
        let out = restricted(sql);
        assert_eq!(out.matches("ON DELETE RESTRICT").count(), 2);
        assert!(!out.contains("CASCADE"));
    }
}
