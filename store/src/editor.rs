//! The plan editor's server side: load a plan for editing, preview an edit (the geometry work
//! is `partition::edit`, pure), save a draft's grids, copy a plan into a new draft.
//!
//! The editor is stateless on the server: the browser holds the grids being edited (and its
//! undo history) and sends them with each edit, so any server process can answer.

use crate::entities::{enterprise, grid, grid_member, grid_plan, park};
use crate::plans::{NewGrid, active_plan, summary_of};
use crate::{StoreError, audit};
use api::{EditGrid, EditOp, EditRefusal, EditRefusalKind, GridMove, PlanPreview, PlanProblem, PlanProblemKind, PreviewGrid};
use domain::{Boundary, GridCode, PlanStatus};
use geo::{BoundingRect, Coord, Intersects, MultiPolygon};
use partition::edit::{self, Edit, EditError, Grids};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// What a preview needs from the database, loaded once per request.
struct Context {
    park_code: String,
    park: MultiPolygon<f64>,
    /// Active enterprises, by id.
    enterprises: Vec<enterprise::Model>,
    sites: Vec<partition::Site>,
    /// Under the active plan: enterprise id → grid code, grid code → workers.
    active_code_of: HashMap<i64, String>,
    workers: HashMap<String, Vec<String>>,
    /// The checks of the grids previewed so far, kept grid by grid: an edit re-checks only
    /// the grids it changes.
    checker: Mutex<partition::Checker>,
    /// Grids parsed so far, by a hash of their GeoJSON.
    parsed: Mutex<HashMap<u64, (serde_json::Value, MultiPolygon<f64>)>>,
}

/// A park's context, kept between previews while the rows it was read from are unchanged.
///
/// Reading a city's context (10,492 enterprises, the active plan's members and workers) takes
/// 110–160 ms on SQLite, more than an edit's whole budget; checking that it is still current
/// is one query of counts and maxima ([`FINGERPRINT`]). What the fingerprint cannot see — a
/// worker renamed — is read again after [`CONTEXT_TTL`] at the latest. Each server process
/// keeps its own; nothing depends on which process answers.
struct CachedContext {
    fingerprint: Vec<String>,
    read_at: std::time::Instant,
    ctx: Arc<Context>,
}

/// The contexts a server keeps for the plan editor, by park: one per database (a server
/// holds one in its state; each test its own), cloned cheaply.
#[derive(Clone, Default)]
pub struct Contexts(Arc<Mutex<HashMap<i64, CachedContext>>>);

/// The longest a context is kept, even when its fingerprint holds.
const CONTEXT_TTL: std::time::Duration = std::time::Duration::from_secs(60);
/// Parks whose contexts are kept at once (the least recently read go first).
const CONTEXTS_KEPT: usize = 16;

/// What a park's context is read from, summed up in one row: its enterprises (how many, the
/// latest change — every write to an enterprise sets `updated_at`), its boundary, the active
/// plan and the assignments of the park's grids (how many, how many ended, the newest).
const FINGERPRINT: &str = "SELECT \
    CAST(count(*) AS TEXT), \
    CAST(max(updated_at) AS TEXT), \
    CAST(sum(CASE WHEN active THEN id ELSE 0 END) AS TEXT), \
    CAST((SELECT length(boundary) FROM park WHERE id = $1) AS TEXT), \
    CAST((SELECT max(id) FROM grid_plan WHERE park_id = $1 AND status = 'active') AS TEXT), \
    (SELECT CAST(count(*) AS TEXT) || '/' || CAST(count(a.ended_at) AS TEXT) || '/' || CAST(coalesce(max(a.id), 0) AS TEXT) \
       FROM grid_assignment a JOIN grid g ON g.id = a.grid_id JOIN grid_plan p ON p.id = g.plan_id WHERE p.park_id = $1) \
    FROM enterprise WHERE park_id = $1";

async fn fingerprint<C: ConnectionTrait>(db: &C, park_id: i64) -> Result<Vec<String>, StoreError> {
    let backend = db.get_database_backend();
    let sql = match backend {
        sea_orm::DatabaseBackend::Postgres => FINGERPRINT.to_owned(),
        _ => FINGERPRINT.replace("$1", "?1"),
    };
    let row = db
        .query_one_raw(sea_orm::Statement::from_sql_and_values(backend, sql, [park_id.into()]))
        .await?
        .ok_or_else(|| StoreError::Conflict("the park's fingerprint query returned no row".into()))?;
    (0..6).map(|i| row.try_get_by_index::<Option<String>>(i).map(Option::unwrap_or_default).map_err(StoreError::from)).collect()
}

/// The park's context: the kept one while current, else read afresh (and kept).
async fn context<C: ConnectionTrait>(db: &C, kept: &Contexts, park_id: i64) -> Result<Arc<Context>, StoreError> {
    let print = fingerprint(db, park_id).await?;
    {
        let kept = kept.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(c) = kept.get(&park_id).filter(|c| c.fingerprint == print && c.read_at.elapsed() < CONTEXT_TTL) {
            return Ok(c.ctx.clone());
        }
    }
    let ctx = Arc::new(load_context(db, park_id).await?);
    {
        let mut kept = kept.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if kept.len() >= CONTEXTS_KEPT && !kept.contains_key(&park_id) {
            if let Some(oldest) = kept.iter().min_by_key(|(_, c)| c.read_at).map(|(k, _)| *k) {
                kept.remove(&oldest);
            }
        }
        kept.insert(park_id, CachedContext { fingerprint: print, read_at: std::time::Instant::now(), ctx: ctx.clone() });
    }
    Ok(ctx)
}

async fn load_context<C: ConnectionTrait>(db: &C, park_id: i64) -> Result<Context, StoreError> {
    let park = park::Entity::find_by_id(park_id).one(db).await?.ok_or(StoreError::NotFound("park"))?;
    let boundary = Boundary::from_geojson_str(&park.boundary).map_err(|e| StoreError::Conflict(format!("the park's stored boundary is invalid: {e}")))?;
    let enterprises = enterprise::Entity::find()
        .filter(enterprise::Column::ParkId.eq(park_id))
        .filter(enterprise::Column::Active.eq(true))
        .order_by_asc(enterprise::Column::Id)
        .all(db)
        .await?;
    let sites: Vec<partition::Site> = enterprises.iter().map(|e| partition::Site { id: e.id.to_string(), lon: e.lon, lat: e.lat, weight: e.workload_weight }).collect();
    let mut active_code_of = HashMap::new();
    let mut workers: HashMap<String, Vec<String>> = HashMap::new();
    if let Some(active) = active_plan(db, park_id).await? {
        let grids = grid::Entity::find().filter(grid::Column::PlanId.eq(active.id)).all(db).await?;
        let code_of: HashMap<i64, String> = grids.iter().map(|g| (g.id, g.code.clone())).collect();
        let ids: Vec<i64> = grids.iter().map(|g| g.id).collect();
        for m in grid_member::Entity::find().filter(grid_member::Column::GridId.is_in(ids.clone())).all(db).await? {
            if let Some(c) = code_of.get(&m.grid_id) {
                active_code_of.insert(m.enterprise_id, c.clone());
            }
        }
        for (grid, names) in crate::workers::by_grid(db, ids).await? {
            if let Some(code) = code_of.get(&grid) {
                workers.insert(code.clone(), names);
            }
        }
    }
    let checker = Mutex::new(partition::Checker::new(Some(boundary.multi_polygon().clone()), sites.clone()));
    Ok(Context {
        park_code: park.code,
        park: boundary.multi_polygon().clone(),
        enterprises,
        sites,
        active_code_of,
        workers,
        checker,
        parsed: Mutex::new(HashMap::new()),
    })
}

async fn draft_or_plan<C: ConnectionTrait>(db: &C, plan_id: i64) -> Result<grid_plan::Model, StoreError> {
    grid_plan::Entity::find_by_id(plan_id).one(db).await?.ok_or(StoreError::NotFound("grid plan"))
}

async fn stored_grids<C: ConnectionTrait>(db: &C, plan_id: i64) -> Result<Vec<EditGrid>, StoreError> {
    Ok(grid::Entity::find()
        .filter(grid::Column::PlanId.eq(plan_id))
        .order_by_asc(grid::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|g| EditGrid { code: g.code, geometry: serde_json::from_str(&g.geometry).unwrap_or(serde_json::Value::Null) })
        .collect())
}

/// A plan, its park and enterprises, and the figures of its grids as stored.
pub async fn load(db: &DatabaseConnection, kept: &Contexts, plan_id: i64) -> Result<api::PlanEditor, StoreError> {
    let plan = draft_or_plan(db, plan_id).await?;
    let park = park::Entity::find_by_id(plan.park_id).one(db).await?.ok_or(StoreError::NotFound("park"))?;
    let ctx = context(db, kept, plan.park_id).await?;
    let grids = stored_grids(db, plan_id).await?;
    let grid_count = grids.len();
    let (ctx, preview) = tokio::task::spawn_blocking(move || {
        let p = preview_of(&ctx, &grids, &EditOp::None);
        (ctx, p)
    })
    .await
    .map_err(|e| StoreError::Conflict(format!("the preview stopped: {e}")))?;
    Ok(api::PlanEditor {
        plan: summary_of(plan, grid_count),
        park_name: park.name,
        park_boundary: serde_json::from_str(&park.boundary).unwrap_or(serde_json::Value::Null),
        enterprises: ctx.enterprises.iter().map(|e| api::EditorEnterprise { id: e.id, name: e.name.clone(), lon: e.lon, lat: e.lat }).collect(),
        preview,
    })
}

/// Plans `a` and `b` of one park compared: the enterprises that change grid (and worker)
/// from `a` to `b`, plan `b` as the editor shows it, and `a`'s grids.
pub async fn compare(db: &DatabaseConnection, kept: &Contexts, a: i64, b: i64) -> Result<api::PlanComparison, StoreError> {
    let diff = crate::plans::diff(db, a, b).await?;
    let from = draft_or_plan(db, a).await?;
    let park_id = from.park_id;
    let from_grids = stored_grids(db, a).await?;
    let to = load(db, kept, b).await?;
    Ok(api::PlanComparison { from: summary_of(from, from_grids.len()), from_grids, to, diff, plans: crate::plans::list(db, park_id).await? })
}

/// What `op` applied to `grids` (the editor's current grids of plan `plan_id`) gives: the new
/// grids with their counts, the enterprises that change grid, the validator's problems; or
/// why the edit is refused. Nothing is written.
pub async fn preview(db: &DatabaseConnection, kept: &Contexts, plan_id: i64, grids: Vec<EditGrid>, op: EditOp) -> Result<PlanPreview, StoreError> {
    let clock = std::time::Instant::now();
    let plan = draft_or_plan(db, plan_id).await?;
    let ctx = context(db, kept, plan.park_id).await?;
    tracing::debug!(context_ms = clock.elapsed().as_secs_f64() * 1000.0, "editor: context");
    tokio::task::spawn_blocking(move || preview_of(&ctx, &grids, &op)).await.map_err(|e| StoreError::Conflict(format!("the preview stopped: {e}")))
}

fn refused(kind: EditRefusalKind, grids: Vec<String>, message: String) -> PlanPreview {
    PlanPreview {
        refused: Some(EditRefusal { kind, grids, message }),
        grids: vec![],
        grid_of: vec![],
        moves: vec![],
        changed_since_active: 0,
        problems: vec![],
    }
}

fn refusal(e: &EditError) -> PlanPreview {
    use EditRefusalKind as K;
    let (kind, grids): (EditRefusalKind, Vec<String>) = match e {
        EditError::NoSuchCorner { .. } => (K::NoSuchCorner, vec![]),
        EditError::NoSuchGrid(g) => (K::NoSuchGrid, vec![g.clone()]),
        EditError::EdgesCross { grid } => (K::EdgesCross, vec![grid.clone()]),
        EditError::Overlap { a, b, .. } => (K::Overlap, vec![a.clone(), b.clone()]),
        EditError::Gap { .. } => (K::Gap, vec![]),
        EditError::OutsidePark { grid, .. } => (K::OutsidePark, vec![grid.clone()]),
        EditError::SplitMissed { grid } => (K::SplitMissed, vec![grid.clone()]),
        EditError::SplitTooMany { grid, .. } => (K::SplitTooMany, vec![grid.clone()]),
        EditError::CodeTaken(c) => (K::CodeTaken, vec![c.clone()]),
        EditError::NotNeighbours { a, b } => (K::NotNeighbours, vec![a.clone(), b.clone()]),
        EditError::SameGrid => (K::SameGrid, vec![]),
        EditError::TooFewToRebalance => (K::TooFewToRebalance, vec![]),
        EditError::NothingToRebalance => (K::NothingToRebalance, vec![]),
        EditError::Partition(_) => (K::Partition, vec![]),
        EditError::ClipSwallows(g) => (K::ClipSwallows, vec![g.clone()]),
        EditError::DrawnTooSmall => (K::DrawnTooSmall, vec![]),
        EditError::NothingToDraw => (K::NothingToDraw, vec![]),
    };
    refused(kind, grids, e.to_string())
}

/// The most grids a plan may have in the editor (the Taoyuan city has 701).
pub const MAX_GRIDS: usize = 5_000;
/// The most points of a line or outline drawn in the editor.
pub const MAX_DRAWN_POINTS: usize = 2_000;

/// Parses the editor's grids, naming the grid whose geometry is not a valid (multi)polygon.
pub fn parse_grids(grids: &[EditGrid]) -> Result<Grids, PlanPreview> {
    parse_grids_kept(grids, None)
}

/// [`parse_grids`], taking the grids parsed before from `kept` (by a hash of their GeoJSON)
/// and keeping the new ones there: an edit sends every grid, and changes a few.
fn parse_grids_kept(grids: &[EditGrid], kept: Option<&Mutex<HashMap<u64, (serde_json::Value, MultiPolygon<f64>)>>>) -> Result<Grids, PlanPreview> {
    if grids.len() > MAX_GRIDS {
        return Err(refused(EditRefusalKind::TooManyGrids, vec![], format!("{} grids; a plan may have at most {MAX_GRIDS}", grids.len())));
    }
    let mut kept = kept.map(|k| k.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
    let mut out = Vec::with_capacity(grids.len());
    let mut seen = Vec::with_capacity(grids.len());
    for g in grids {
        let key = json_hash(&g.geometry);
        seen.push(key);
        // A hit is taken only for the same GeoJSON, not merely the same hash.
        if let Some((_, area)) = kept.as_ref().and_then(|k| k.get(&key)).filter(|(json, _)| *json == g.geometry) {
            out.push((g.code.clone(), area.clone()));
            continue;
        }
        match domain::geometry::boundary_from_geometry_json(&g.geometry) {
            Ok(b) => {
                if let Some(k) = kept.as_mut() {
                    k.insert(key, (g.geometry.clone(), b.multi_polygon().clone()));
                }
                out.push((g.code.clone(), b.multi_polygon().clone()))
            }
            Err(e) => return Err(refused(EditRefusalKind::BadGeometry, vec![g.code.clone()], format!("grid {}: {e}", g.code))),
        }
    }
    if let Some(k) = kept.as_mut() {
        // An editor's recent states stay; a day of edits does not pile up.
        if k.len() > 4 * grids.len() + 1_000 {
            let now: std::collections::HashSet<u64> = seen.into_iter().collect();
            k.retain(|key, _| now.contains(key));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// A hash of a JSON value, its numbers by their bits: equal GeoJSON, equal hash.
fn json_hash(v: &serde_json::Value) -> u64 {
    use std::hash::{Hash, Hasher};
    fn walk(v: &serde_json::Value, h: &mut std::collections::hash_map::DefaultHasher) {
        match v {
            serde_json::Value::Null => 0u8.hash(h),
            serde_json::Value::Bool(b) => (1u8, b).hash(h),
            serde_json::Value::Number(n) => {
                2u8.hash(h);
                match n.as_f64() {
                    Some(f) => f.to_bits().hash(h),
                    None => n.to_string().hash(h),
                }
            }
            serde_json::Value::String(s) => (3u8, s).hash(h),
            serde_json::Value::Array(a) => {
                (4u8, a.len()).hash(h);
                a.iter().for_each(|x| walk(x, h));
            }
            serde_json::Value::Object(o) => {
                (5u8, o.len()).hash(h);
                for (k, x) in o {
                    k.hash(h);
                    walk(x, h);
                }
            }
        }
    }
    let mut h = std::collections::hash_map::DefaultHasher::new();
    walk(v, &mut h);
    h.finish()
}

/// The next free grid codes of the park: after the highest serial of `grids` and of the
/// active plan.
fn fresh_codes<'a>(ctx: &'a Context, grids: &'a Grids) -> impl Fn(usize) -> String + 'a {
    let serial = |c: &str| c.strip_prefix(ctx.park_code.as_str()).and_then(|d| d.parse::<u32>().ok()).unwrap_or(0);
    let top = grids.iter().map(|(c, _)| serial(c)).chain(ctx.active_code_of.values().map(|c| serial(c))).max().unwrap_or(0);
    move |n| GridCode::new(&ctx.park_code, top + 1 + n as u32).to_string()
}

fn coord(p: [f64; 2]) -> Coord<f64> {
    Coord { x: p[0], y: p[1] }
}

fn preview_of(ctx: &Context, grids: &[EditGrid], op: &EditOp) -> PlanPreview {
    let drawn = match op {
        EditOp::Split { line } => line.len(),
        EditOp::Draw { ring } => ring.len(),
        _ => 0,
    };
    if drawn > MAX_DRAWN_POINTS {
        return refused(EditRefusalKind::TooManyPoints, vec![], format!("{drawn} points drawn; at most {MAX_DRAWN_POINTS}"));
    }
    let clock = std::time::Instant::now();
    let lap = |what: &str| tracing::debug!(ms = clock.elapsed().as_secs_f64() * 1000.0, "editor: {what}");
    let before = match parse_grids_kept(grids, Some(&ctx.parsed)) {
        Ok(g) => g,
        Err(p) => return p,
    };
    lap("parsed");
    let limits = partition::Limits::default();
    let fresh = fresh_codes(ctx, &before);
    let after = match op {
        EditOp::None => Ok(before.clone()),
        EditOp::MoveVertex { from, to } => edit::apply(&ctx.park, &before, &Edit::MoveVertex { from: coord(*from), to: coord(*to) }),
        EditOp::Merge { a, b } => edit::apply(&ctx.park, &before, &Edit::Merge { a: a.clone(), b: b.clone() }),
        EditOp::Rebalance { grids } => edit::rebalance(&ctx.park, &before, grids, &ctx.sites, limits, &fresh),
        EditOp::Split { line } => split_crossed(ctx, &before, line.iter().map(|p| coord(*p)).collect(), fresh(0)),
        EditOp::MoveOwnVertex { grid, from, to } => {
            edit::apply(&ctx.park, &before, &Edit::MoveOwnCorner { grid: grid.clone(), from: coord(*from), to: coord(*to) })
        }
        EditOp::Clip { grid } => edit::apply(&ctx.park, &before, &Edit::Clip { grid: grid.clone() }),
        EditOp::Draw { ring } => edit::apply(&ctx.park, &before, &Edit::Draw { ring: ring.iter().map(|p| coord(*p)).collect(), new_code: fresh(0) }),
    };
    let after = match after {
        Ok(g) => g,
        Err(e) => return refusal(&e),
    };
    lap("applied");
    // A check that panicked left only whole entries behind (each is inserted once computed).
    let mut checker = ctx.checker.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let m_before = checker.grid_of(&before);
    let checked = checker.check(&after, limits);
    drop(checker);
    let m_after = checked.grid_of;
    lap("checked");
    let code = |g: &Grids, i: Option<usize>| i.map(|i| g[i].0.clone());
    let workers = |c: &Option<String>| c.as_ref().and_then(|c| ctx.workers.get(c)).cloned().unwrap_or_default();
    let mut moves = Vec::new();
    let mut changed_since_active = 0;
    let mut counts = vec![0usize; after.len()];
    for (k, e) in ctx.enterprises.iter().enumerate() {
        let (from, to) = (code(&before, m_before[k]), code(&after, m_after[k]));
        if let Some(i) = m_after[k] {
            counts[i] += 1;
        }
        if ctx.active_code_of.get(&e.id) != to.as_ref() {
            changed_since_active += 1;
        }
        if from != to {
            moves.push(GridMove { enterprise_id: e.id, name: e.name.clone(), from_workers: workers(&from), to_workers: workers(&to), from, to });
        }
    }
    moves.sort_by(|a, b| a.name.cmp(&b.name));
    // Only problems about an enterprise need its name: the map is made for the first of them.
    let names = std::cell::LazyCell::new(|| ctx.enterprises.iter().map(|e| (e.id.to_string(), e.name.as_str())).collect::<HashMap<String, &str>>());
    let name_of = |id: &str| names.get(id).map_or_else(|| id.to_owned(), |n| (*n).to_owned());
    let problems = checked
        .findings
        .into_iter()
        .map(|f| {
            let grids = match &f {
                partition::Finding::Overlap { grids, .. } => grids.to_vec(),
                partition::Finding::OutsidePark { grid, .. } | partition::Finding::InPieces { grid, .. } | partition::Finding::OutsideLimits { grid, .. } => {
                    vec![grid.clone()]
                }
                partition::Finding::InSeveral { grids, .. } => grids.clone(),
                partition::Finding::Gap { .. } | partition::Finding::Unassigned { .. } => vec![],
            };
            let message = match &f {
                partition::Finding::Overlap { grids, square_metres, .. } => format!("grids {} and {} overlap ({square_metres:.0} m²)", grids[0], grids[1]),
                partition::Finding::Gap { square_metres, .. } => format!("{square_metres:.0} m² of the park are in no grid"),
                partition::Finding::OutsidePark { grid, square_metres, .. } => format!("grid {grid} reaches {square_metres:.0} m² outside the park"),
                partition::Finding::InPieces { grid, pieces } => format!("grid {grid} is in {pieces} pieces"),
                partition::Finding::Unassigned { enterprise } => format!("enterprise {} is in no grid", name_of(enterprise)),
                partition::Finding::InSeveral { enterprise, grids } => {
                    format!("enterprise {} lies on the edge of grids {}", name_of(enterprise), grids.join(", "))
                }
                partition::Finding::OutsideLimits { grid, count, min, max } => format!("grid {grid} has {count} enterprises, outside {min}–{max}"),
            };
            let enterprise = match &f {
                partition::Finding::Unassigned { enterprise } | partition::Finding::InSeveral { enterprise, .. } => Some(name_of(enterprise)),
                _ => None,
            };
            let kind = match &f {
                partition::Finding::Overlap { .. } => PlanProblemKind::Overlap,
                partition::Finding::Gap { .. } => PlanProblemKind::Gap,
                partition::Finding::OutsidePark { .. } => PlanProblemKind::OutsidePark,
                partition::Finding::InPieces { .. } => PlanProblemKind::InPieces,
                partition::Finding::Unassigned { .. } => PlanProblemKind::Unassigned,
                partition::Finding::InSeveral { .. } => PlanProblemKind::InSeveral,
                partition::Finding::OutsideLimits { .. } => PlanProblemKind::OutsideLimits,
            };
            PlanProblem { kind, grids, enterprise, message }
        })
        .collect();
    let out = PlanPreview {
        refused: None,
        grids: after
            .iter()
            .zip(&counts)
            .map(|((code, area), &n)| PreviewGrid {
                code: code.clone(),
                geometry: serde_json::to_value(Boundary::from_multi_polygon(area.clone()).to_geojson()).unwrap_or(serde_json::Value::Null),
                enterprise_count: n,
                workers: ctx.workers.get(code).cloned().unwrap_or_default(),
            })
            .collect(),
        grid_of: m_after.iter().map(|m| m.map(|i| i as u32)).collect(),
        moves,
        changed_since_active,
        problems,
    };
    lap("built");
    out
}

/// Splits the one grid that `line` cuts in two. Grids are tried in code order among those
/// whose box the line's box meets; the first clean cut wins. When none is cut, the refusal
/// names the grid the line came closest to cutting.
fn split_crossed(ctx: &Context, grids: &Grids, line: Vec<Coord<f64>>, new_code: String) -> Result<Grids, EditError> {
    let ls = geo::LineString(line.clone());
    let Some(lb) = ls.bounding_rect() else { return Err(EditError::SplitMissed { grid: String::new() }) };
    let mut first_err: Option<EditError> = None;
    for (code, area) in grids {
        if !area.bounding_rect().is_some_and(|b| b.intersects(&lb)) || !area.intersects(&ls) {
            continue;
        }
        match edit::apply(&ctx.park, grids, &Edit::Split { grid: code.clone(), line: line.clone(), new_code: new_code.clone() }) {
            Ok(g) => return Ok(g),
            Err(e) => {
                // A cut into too many pieces says more than a miss.
                if first_err.is_none() || matches!(e, EditError::SplitTooMany { .. }) {
                    first_err = Some(e);
                }
            }
        }
    }
    Err(first_err.unwrap_or(EditError::SplitMissed { grid: String::new() }))
}

/// Replaces the grids of draft `plan_id` with `grids` (membership and figures recomputed), in
/// one transaction. Only a draft can be changed: the plan's status is checked inside the
/// write, on its row locked (`FOR UPDATE`; SQLite's write lock), so an activation racing
/// this save either completes first — and the save is refused — or waits for it.
pub async fn save(db: &DatabaseConnection, plan_id: i64, grids: Vec<EditGrid>, actor: Option<i64>) -> Result<api::PlanSummary, StoreError> {
    let plan = draft_or_plan(db, plan_id).await?;
    refuse_unless_draft(&plan)?;
    // A save's figures are stored with the plan: read from the rows as they are now, never
    // from a kept context (whose fingerprint could miss a change).
    let ctx = load_context(db, plan.park_id).await?;
    // Parsing and validating the grids is CPU work that grows with the input: off the async
    // workers, like the figures.
    let (figures, parsed) = tokio::task::spawn_blocking(move || {
        let parsed = parse_grids(&grids)?;
        Ok::<_, PlanPreview>((figures_of(&ctx, &parsed), parsed))
    })
    .await
    .map_err(|e| StoreError::Conflict(format!("the figures stopped: {e}")))?
    .map_err(|p| StoreError::Conflict(p.refused.map(|r| r.message).unwrap_or_default()))?;
    let txn = crate::db::write(db).await?;
    let plan = grid_plan::Entity::find_by_id(plan_id).lock_exclusive().one(&txn).await?.ok_or(StoreError::NotFound("grid plan"))?;
    refuse_unless_draft(&plan)?;
    let before = grid::Entity::find().filter(grid::Column::PlanId.eq(plan_id)).count(&txn).await?;
    grid::Entity::delete_many().filter(grid::Column::PlanId.eq(plan_id)).exec(&txn).await?;
    let new: Vec<NewGrid> = parsed
        .into_iter()
        .map(|(code, area)| NewGrid { name: format!("{code}网格"), code: GridCode::raw(code), area: Boundary::from_multi_polygon(area) })
        .collect();
    let count = new.len();
    crate::plans::insert_grids(&txn, &plan, new).await?;
    let mut am: grid_plan::ActiveModel = plan.clone().into();
    am.figures = Set(serde_json::to_string(&figures).ok());
    let plan = am.update(&txn).await?;
    audit::record(
        &txn,
        audit::Event {
            actor,
            action: "edit",
            entity: "grid_plan",
            entity_id: Some(plan.id.to_string()),
            before: Some(serde_json::json!({ "grids": before })),
            after: Some(serde_json::json!({ "grids": count })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(summary_of(plan, count))
}

fn refuse_unless_draft(plan: &grid_plan::Model) -> Result<(), StoreError> {
    if plan.status == PlanStatus::Draft.as_str() {
        Ok(())
    } else {
        Err(StoreError::Conflict(format!("plan v{} is {}: only a draft can be changed", plan.version, plan.status)))
    }
}

/// The figures of a hand-edited plan, as the partitioner reports them for its own: workloads
/// are the sums of the enterprises' weights, as the partitioner balances them.
fn figures_of(ctx: &Context, grids: &Grids) -> api::PlanFigures {
    let m = edit::membership(grids, &ctx.sites);
    let mut site_ids: Vec<Vec<String>> = vec![Vec::new(); grids.len()];
    let mut workload = vec![0.0; grids.len()];
    for (k, g) in m.iter().enumerate() {
        if let Some(i) = g {
            site_ids[*i].push(ctx.sites[k].id.clone());
            workload[*i] += ctx.sites[k].weight;
        }
    }
    let p = partition::Partition {
        grids: grids
            .iter()
            .zip(site_ids)
            .zip(workload)
            .map(|(((code, area), ids), workload)| partition::Grid { code: code.clone(), area: area.clone(), workload, site_ids: ids })
            .collect(),
        warnings: vec![],
    };
    crate::plans::figures(&p, &ctx.park, partition::Limits::default(), 0.0)
}

/// A new draft of the park with no grid at all, to be drawn grid by grid in the editor
/// (`api::EditOp::Draw`).
pub async fn create_empty(db: &DatabaseConnection, park_id: i64, actor: Option<i64>) -> Result<api::PlanSummary, StoreError> {
    park::Entity::find_by_id(park_id).one(db).await?.ok_or(StoreError::NotFound("park"))?;
    let draft = crate::plans::create_draft(db, park_id, "空白草稿", vec![], actor).await?;
    Ok(summary_of(draft, 0))
}

/// A new draft holding a copy of plan `plan_id`'s grids, to be edited.
pub async fn copy(db: &DatabaseConnection, plan_id: i64, actor: Option<i64>) -> Result<api::PlanSummary, StoreError> {
    let plan = draft_or_plan(db, plan_id).await?;
    let grids = grid::Entity::find().filter(grid::Column::PlanId.eq(plan_id)).order_by_asc(grid::Column::Code).all(db).await?;
    let new: Vec<NewGrid> = grids
        .into_iter()
        .filter_map(|g| Boundary::from_geojson_str(&g.geometry).ok().map(|b| NewGrid { code: GridCode::raw(g.code), name: g.name, area: b }))
        .collect();
    let count = new.len();
    let txn = crate::db::write(db).await?;
    let draft = crate::plans::create_draft(&txn, plan.park_id, &format!("基于 v{} 调整", plan.version), new, actor).await?;
    let mut am: grid_plan::ActiveModel = draft.into();
    am.figures = Set(plan.figures.clone());
    let draft = am.update(&txn).await?;
    txn.commit().await?;
    Ok(summary_of(draft, count))
}
