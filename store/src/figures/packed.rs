//! The facts of a park read compactly: each query answers with a single row whose one column
//! carries every record packed by the database (`group_concat` on SQLite, `string_agg` on
//! PostgreSQL), unpacked here.
//!
//! Why: a row costs a few microseconds in the drivers whatever it holds, and a city's year is
//! ~190,000 rows of visits, cases and ratings — most of a dashboard request's time when read one
//! row per fact (measured on the Taoyuan year: 600 ms a request on SQLite). Packed, the database
//! only scans and concatenates; `GROUP BY` (a row per enterprise) measured slower than one row,
//! for the sorting it needs, and so did `strftime` on SQLite's instants: they travel as the
//! driver wrote them (RFC 3339 text, read by [`rfc3339_secs`]), PostgreSQL's as epoch seconds.
//! What the records mean stays with `domain::figures`; here is only how they travel.
//!
//! Fields are separated by U+001F and records by U+001E (ASCII unit and record separators),
//! which no code, count or instant contains; a record that does not have its fields is an error,
//! never a figure computed from a misread row.

use crate::StoreError;
use chrono::{DateTime, Utc};
use domain::case::{Satisfaction, Stage};
use domain::field::HazardGrade;
use domain::figures::CaseFacts;
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement, Value};
use std::collections::HashMap;

const UNIT: char = '\u{1f}';
const RECORD: char = '\u{1e}';

/// SQL of the pieces that differ between the engines.
struct Dialect {
    /// Packs the text `expr` of every row into one, records apart.
    pack: fn(&str) -> String,
    /// An instant column as text: PostgreSQL's epoch seconds, SQLite's text as stored.
    instant: fn(&str) -> String,
    /// Joins text expressions with the unit separator; each must not be NULL.
    fields: fn(&[String]) -> String,
    /// An expression as text ('' for NULL).
    text: fn(&str) -> String,
    /// The `n`th bound parameter.
    param: fn(usize) -> String,
}

fn dialect(backend: DatabaseBackend) -> Dialect {
    match backend {
        DatabaseBackend::Postgres => Dialect {
            pack: |e| format!("string_agg({e}, chr(30))"),
            instant: |c| format!("floor(extract(epoch from {c}))::bigint"),
            fields: |fs| format!("concat_ws(chr(31), {})", fs.join(", ")),
            text: |e| format!("coalesce(({e})::text, '')"),
            param: |n| format!("${n}"),
        },
        _ => Dialect {
            pack: |e| format!("group_concat({e}, char(30))"),
            instant: |c| c.to_owned(),
            fields: |fs| fs.join(" || char(31) || "),
            text: |e| format!("coalesce(CAST(({e}) AS TEXT), '')"),
            param: |n| format!("?{n}"),
        },
    }
}

fn bad(what: &str, record: &str) -> StoreError {
    StoreError::Db(sea_orm::DbErr::Custom(format!("figures: a packed {what} the store cannot read: {record:?}")))
}

fn int(what: &str, s: &str, record: &str) -> Result<i64, StoreError> {
    s.parse().map_err(|_| bad(what, record))
}

fn opt_int(what: &str, s: &str, record: &str) -> Result<Option<i64>, StoreError> {
    if s.is_empty() { Ok(None) } else { int(what, s, record).map(Some) }
}

/// Seconds since 1970 of an instant field: epoch seconds (PostgreSQL) or RFC 3339 (SQLite).
fn secs(what: &str, s: &str, record: &str) -> Result<i64, StoreError> {
    s.parse::<i64>().ok().or_else(|| rfc3339_secs(s)).or_else(|| DateTime::parse_from_rfc3339(s).ok().map(|d| d.timestamp())).ok_or_else(|| bad(what, record))
}

fn opt_secs(what: &str, s: &str, record: &str) -> Result<Option<i64>, StoreError> {
    if s.is_empty() { Ok(None) } else { secs(what, s, record).map(Some) }
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` (as the driver writes instants) into seconds
/// since 1970; none for anything else (the caller falls back to the general parser).
fn rfc3339_secs(t: &str) -> Option<i64> {
    let b = t.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> { b.get(r)?.iter().try_fold(0i64, |n, c| c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0'))) };
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b' ') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hh, mm, ss) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let mut k = 19;
    if b.get(k) == Some(&b'.') {
        k += 1;
        while b.get(k).is_some_and(u8::is_ascii_digit) {
            k += 1;
        }
    }
    let offset = match b.get(k)? {
        b'Z' => 0,
        c @ (b'+' | b'-') => {
            let o = num(k + 1..k + 3)? * 3600 + num(k + 4..k + 6)? * 60;
            if *c == b'+' { o } else { -o }
        }
        _ => return None,
    };
    // Days from the civil date (H. Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + hh * 3600 + mm * 60 + ss - offset)
}

fn instant(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap_or_default()
}

/// The records of a packed column, each split into its fields.
fn records(packed: &str) -> impl Iterator<Item = (&str, Vec<&str>)> {
    packed.split(RECORD).filter(|r| !r.is_empty()).map(|r| (r, r.split(UNIT).collect()))
}

/// The one packed column of `sql`'s one row ('' when no row matched).
async fn packed<C: ConnectionTrait>(db: &C, sql: String, values: Vec<Value>) -> Result<String, StoreError> {
    let row = db.query_one_raw(Statement::from_sql_and_values(db.get_database_backend(), sql, values)).await?;
    Ok(match row {
        Some(row) => row.try_get_by_index::<Option<String>>(0)?.unwrap_or_default(),
        None => String::new(),
    })
}

/// The start of every visit to an enterprise of the park in `[lo, hi)`, by enterprise (seconds
/// since 1970, in no order).
pub(super) async fn visit_times<C: ConnectionTrait>(db: &C, park_id: i64, lo: DateTime<Utc>, hi: DateTime<Utc>) -> Result<HashMap<i64, Vec<i64>>, StoreError> {
    let d = dialect(db.get_database_backend());
    let sql = format!(
        "SELECT {} FROM visit v WHERE v.started_at >= {} AND v.started_at < {} \
         AND v.enterprise_id IN (SELECT e.id FROM enterprise e WHERE e.park_id = {})",
        (d.pack)(&(d.fields)(&[(d.text)("v.enterprise_id"), (d.text)(&(d.instant)("v.started_at"))])),
        (d.param)(1),
        (d.param)(2),
        (d.param)(3),
    );
    let clock = std::time::Instant::now();
    let all = packed(db, sql, vec![lo.into(), hi.into(), park_id.into()]).await?;
    let query_ms = clock.elapsed().as_secs_f64() * 1000.0;
    let mut out: HashMap<i64, Vec<i64>> = HashMap::new();
    for (record, f) in records(&all) {
        let [enterprise, at] = f[..] else { return Err(bad("visit", record)) };
        out.entry(int("visit", enterprise, record)?).or_default().push(secs("visit", at, record)?);
    }
    tracing::debug!(query_ms, total_ms = clock.elapsed().as_secs_f64() * 1000.0, "figures: visit times");
    Ok(out)
}

/// The park's cases registered before `until` that are open, closed since `since` or rated
/// since, with the ratings given in `[since, until)` (a reopened case keeps its past ones), each
/// with its enterprise.
pub(super) async fn cases<C: ConnectionTrait>(
    db: &C,
    park_id: i64,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<(Option<i64>, CaseFacts)>, StoreError> {
    let d = dialect(db.get_database_backend());
    let (p1, p2, p3) = ((d.param)(1), (d.param)(2), (d.param)(3));
    let fields: Vec<String> = vec![
        (d.text)("c.id"),
        (d.text)("c.enterprise_id"),
        "c.kind".into(),
        "c.category".into(),
        (d.text)("c.grade"),
        (d.text)("c.department_id"),
        "c.stage".into(),
        (d.text)(&(d.instant)("c.registered_at")),
        (d.text)(&(d.instant)("c.deadline_at")),
        (d.text)(&(d.instant)("c.closed_at")),
        (d.text)("c.rework_count"),
        (d.text)("c.extension_count"),
    ];
    let sql = format!(
        "SELECT {} FROM service_case c WHERE c.park_id = {p1} AND c.registered_at < {p3} \
         AND (c.closed_at IS NULL OR c.closed_at >= {p2} OR c.rated_at >= {p2})",
        (d.pack)(&(d.fields)(&fields)),
    );
    let clock = std::time::Instant::now();
    let all = packed(db, sql, vec![park_id.into(), since.into(), until.into()]).await?;
    let cases_ms = clock.elapsed().as_secs_f64() * 1000.0;

    let rating = [(d.text)("r.case_id"), "r.satisfaction".into(), (d.text)(&(d.instant)("r.at"))];
    let sql = format!(
        "SELECT {} FROM case_rating r WHERE r.at >= {p2} AND r.at < {p3} \
         AND r.case_id IN (SELECT c.id FROM service_case c WHERE c.park_id = {p1})",
        (d.pack)(&(d.fields)(&rating)),
    );
    let given = packed(db, sql, vec![park_id.into(), since.into(), until.into()]).await?;
    let ratings_ms = clock.elapsed().as_secs_f64() * 1000.0 - cases_ms;
    let mut ratings: HashMap<i64, Vec<(Satisfaction, DateTime<Utc>)>> = HashMap::new();
    for (record, f) in records(&given) {
        let [case, satisfaction, at] = f[..] else { return Err(bad("rating", record)) };
        // A rating of a kind this version does not know counts for nothing.
        if let Some(s) = Satisfaction::parse(satisfaction) {
            ratings.entry(int("rating", case, record)?).or_default().push((s, instant(secs("rating", at, record)?)));
        }
    }

    let mut out = Vec::new();
    for (record, f) in records(&all) {
        let [id, enterprise, kind, category, grade, department, stage, registered, deadline, closed, rework, extension] = f[..] else {
            return Err(bad("case", record));
        };
        let facts = CaseFacts {
            finding: kind == "finding",
            category: category.to_owned(),
            grade: HazardGrade::parse(grade),
            department: opt_int("case", department, record)?,
            stage: Stage::parse(stage).unwrap_or(Stage::Registered),
            registered_at: instant(secs("case", registered, record)?),
            deadline: opt_secs("case", deadline, record)?.map(instant),
            closed_at: opt_secs("case", closed, record)?.map(instant),
            reworked: int("case", rework, record)? > 0,
            extended: int("case", extension, record)? > 0,
            ratings: ratings.remove(&int("case", id, record)?).unwrap_or_default(),
        };
        out.push((opt_int("case", enterprise, record)?, facts));
    }
    tracing::debug!(cases_ms, ratings_ms, total_ms = clock.elapsed().as_secs_f64() * 1000.0, "figures: cases");
    Ok(out)
}

/// The members of each grid of the plan: (grid id, enterprise id).
pub(super) async fn members<C: ConnectionTrait>(db: &C, plan_id: i64) -> Result<Vec<(i64, i64)>, StoreError> {
    let d = dialect(db.get_database_backend());
    let sql = format!(
        "SELECT {} FROM grid_member m WHERE m.grid_id IN (SELECT g.id FROM grid g WHERE g.plan_id = {})",
        (d.pack)(&(d.fields)(&[(d.text)("m.grid_id"), (d.text)("m.enterprise_id")])),
        (d.param)(1),
    );
    let all = packed(db, sql, vec![plan_id.into()]).await?;
    records(&all)
        .map(|(record, f)| match f[..] {
            [grid, enterprise] => Ok((int("member", grid, record)?, int("member", enterprise, record)?)),
            _ => Err(bad("member", record)),
        })
        .collect()
}

/// Every enterprise of the park: (id, active).
pub(super) async fn enterprises<C: ConnectionTrait>(db: &C, park_id: i64) -> Result<Vec<(i64, bool)>, StoreError> {
    let d = dialect(db.get_database_backend());
    let active = match db.get_database_backend() {
        DatabaseBackend::Postgres => "CASE WHEN e.active THEN '1' ELSE '0' END",
        _ => "CAST(e.active AS TEXT)",
    };
    let sql = format!("SELECT {} FROM enterprise e WHERE e.park_id = {}", (d.pack)(&(d.fields)(&[(d.text)("e.id"), active.to_owned()])), (d.param)(1),);
    let all = packed(db, sql, vec![park_id.into()]).await?;
    records(&all)
        .map(|(record, f)| match f[..] {
            [id, active] => Ok((int("enterprise", id, record)?, active == "1")),
            _ => Err(bad("enterprise", record)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_is_split_into_its_fields_and_empty_records_are_skipped() {
        let packed = format!("1{UNIT}a{RECORD}{RECORD}2{UNIT}{UNIT}b");
        let got: Vec<Vec<&str>> = records(&packed).map(|(_, f)| f).collect();
        assert_eq!(got, vec![vec!["1", "a"], vec!["2", "", "b"]]);
    }

    #[test]
    fn a_misread_field_is_an_error_naming_the_record() {
        let err = int("case", "x1", "x1\u{1f}demand").expect_err("not a number");
        assert!(err.to_string().contains("x1"), "{err}");
        assert_eq!(opt_int("case", "", "r").expect("empty is none"), None);
        assert!(secs("case", "yesterday", "r").is_err());
    }

    #[test]
    fn instants_are_read_to_the_second_as_either_engine_sends_them() {
        for t in
            ["2026-11-09T13:58:12.139156091+00:00", "2026-11-09T21:58:12+08:00", "2026-11-09 13:58:12Z", "1999-02-28T23:59:59.5-05:30", "2028-02-29T00:00:00Z"]
        {
            assert_eq!(rfc3339_secs(t), DateTime::parse_from_rfc3339(&t.replace(' ', "T")).ok().map(|d| d.timestamp()), "{t}");
            assert_eq!(secs("t", t, t).ok(), DateTime::parse_from_rfc3339(&t.replace(' ', "T")).ok().map(|d| d.timestamp()), "{t}");
        }
        assert_eq!(secs("t", "1794750000", "r").expect("epoch seconds"), 1_794_750_000);
        assert_eq!(rfc3339_secs("2026-11-09"), None);
        assert_eq!(rfc3339_secs("2026-11-09T13:58:12.1+0000"), None);
    }
}
