//! The demo park's past (issue 15): three months of synthetic visits and of demands handled to
//! the end, so that the dashboard, the scorecards and the monthly report of the demo show
//! something to look at. Synthetic, written for the demo — none of it happened — and made
//! deterministically (the same every time), loaded once with the demo's cases by `parkgrid
//! demo`.
//!
//! The first grid (worker01's) is left without a past: it is where the browser tests record
//! their first visits, and the dashboard shows what a grid nobody has visited yet looks like.

use crate::entities::{case_event, case_rating, enterprise, grid, grid_assignment, grid_member, service_case, visit};
use crate::{StoreError, now};
use chrono::Duration;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set};

/// A small deterministic generator (SplitMix64): the demo's past is the same on every load.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// 0..n.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const CATEGORIES: [&str; 8] = ["policy", "human_resources", "technology", "professional_services", "resources", "social_security", "jobs", "living"];
const DEMANDS: [&str; 8] = [
    "咨询技改补贴申报条件",
    "急需招聘两名电工",
    "希望对接高校检测实验室",
    "变更经营范围需要指导",
    "申请银行流动资金贷款对接",
    "新员工社保转入手续咨询",
    "申请职业技能培训补贴",
    "职工通勤班车线路调整",
];

/// Loads the past: visits of the last `crate::demo::RUNNING_DAYS` days for the enterprises of
/// every grid but the first, and some 70 demands registered, handled and (mostly) rated
/// then. Returns (visits, cases).
pub async fn load(db: &DatabaseConnection) -> Result<(usize, usize), StoreError> {
    let Some(park) = crate::parks::find_by_code(db, crate::demo::PARK_CODE).await? else { return Ok((0, 0)) };
    let Some(plan) = crate::plans::active_plan(db, park.id).await? else { return Ok((0, 0)) };
    let grids = grid::Entity::find().filter(grid::Column::PlanId.eq(plan.id)).order_by_asc(grid::Column::Code).all(db).await?;
    let departments: Vec<i64> = crate::departments::list(db).await?.into_iter().filter(|d| d.active).map(|d| d.id).collect();
    let now = now();
    let mut dice = Dice(0x5EED_2026);
    let mut visits = Vec::new();
    let mut cases = Vec::new();
    for g in grids.iter().skip(1) {
        let Some(worker) = grid_assignment::Entity::find()
            .filter(grid_assignment::Column::GridId.eq(g.id))
            .filter(grid_assignment::Column::EndedAt.is_null())
            .one(db)
            .await?
            .map(|a| a.user_id)
        else {
            continue;
        };
        let members: Vec<i64> =
            grid_member::Entity::find().filter(grid_member::Column::GridId.eq(g.id)).all(db).await?.into_iter().map(|m| m.enterprise_id).collect();
        let places = enterprise::Entity::find().filter(enterprise::Column::Id.is_in(members)).order_by_asc(enterprise::Column::Id).all(db).await?;
        // Each grid's worker is more or less diligent: their visits come every 24–40 days.
        let diligence = 24 + dice.below(17) as i64;
        for e in &places {
            // Some enterprises are missed this round (the last visit is older than the interval).
            let mut days_ago = dice.below(diligence as u64) as i64 + if dice.chance(12) { 20 } else { 0 };
            while days_ago < crate::demo::RUNNING_DAYS - 2 {
                let at = now - Duration::days(days_ago) - Duration::minutes(dice.below(480) as i64 + 60);
                visits.push(visit::ActiveModel {
                    id: Set(uuid_like(&mut dice)),
                    enterprise_id: Set(e.id),
                    grid_id: Set(g.id),
                    worker_id: Set(worker),
                    started_at: Set(at),
                    ended_at: Set(at + Duration::minutes(25)),
                    lon: Set(Some(e.lon)),
                    lat: Set(Some(e.lat)),
                    accuracy_m: Set(Some(8.0)),
                    met: Set("企业负责人".to_owned()),
                    notes: Set("例行走访，生产经营正常".to_owned()),
                    satisfaction: Set(Some(4 + i16::from(dice.chance(60)))),
                    received_at: Set(at + Duration::minutes(30)),
                });
                days_ago += diligence + dice.below(8) as i64 - 4;
            }
            // About one enterprise in eight raised a demand in the last three months.
            if dice.chance(13) {
                cases.push((e.id, worker));
            }
        }
    }
    let n_visits = visits.len();
    for chunk in visits.chunks(500) {
        visit::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
    }
    let mut n_cases = 0;
    for (i, (enterprise, worker)) in cases.into_iter().enumerate() {
        let k = i % CATEGORIES.len();
        let registered = now - Duration::days(8 + dice.below(78) as i64) - Duration::hours(dice.below(8) as i64);
        let limit = 5 + dice.below(11) as i64;
        let deadline = registered + Duration::days(limit);
        // Most are closed before their deadline; some late; a few sent back once or extended.
        let late = dice.chance(15);
        let closed = registered + Duration::days(if late { limit + 1 + dice.below(6) as i64 } else { 1 + dice.below(limit as u64) as i64 });
        let closed = (closed < now).then_some(closed);
        let escalated = dice.chance(50) && !departments.is_empty();
        let rating = closed.filter(|_| dice.chance(80)).map(|c| {
            let r = dice.below(100);
            (
                if r < 72 {
                    "satisfied"
                } else if r < 92 {
                    "acceptable"
                } else {
                    "unsatisfied"
                },
                c + Duration::days(1 + dice.below(5) as i64),
            )
        });
        let rating = rating.filter(|(_, at)| *at < now);
        let row = service_case::ActiveModel {
            park_id: Set(park.id),
            enterprise_id: Set(Some(enterprise)),
            source: Set("visit".to_owned()),
            source_record: Set(None),
            kind: Set("demand".to_owned()),
            category: Set(CATEGORIES[k].to_owned()),
            description: Set(DEMANDS[k].to_owned()),
            stage: Set(if closed.is_some() { "closed" } else { "in_progress" }.to_owned()),
            mode: Set(Some(if escalated { "escalated" } else { "promised" }.to_owned())),
            department_id: Set(escalated.then(|| departments[i % departments.len()])),
            owner_id: Set(Some(worker)),
            deadline_at: Set(Some(deadline)),
            paused_at: Set(None),
            pending_extension: Set(None),
            replied_by: Set(None),
            rating: Set(rating.map(|r| r.0.to_owned())),
            rated_solved: Set(rating.map(|r| r.0 != "unsatisfied")),
            flagged: Set(false),
            repeat_of: Set(None),
            registered_at: Set(registered),
            updated_at: Set(closed.unwrap_or(registered)),
            closed_at: Set(closed),
            rework_count: Set(i32::from(dice.chance(8))),
            extension_count: Set(i32::from(dice.chance(6))),
            rated_at: Set(rating.map(|r| r.1)),
            ..Default::default()
        };
        let c = service_case::Entity::insert(row).exec(db).await?;
        let mut events = vec![event(c.last_insert_id, registered, Some(worker), "register", None, "registered")];
        if let Some(at) = closed {
            events.push(event(c.last_insert_id, at, Some(worker), "verify", Some("verifying"), "closed"));
        }
        if let Some((satisfaction, at)) = rating {
            events.push(event(c.last_insert_id, at, None, "rate", Some("closed"), "closed"));
            case_rating::ActiveModel {
                case_id: Set(c.last_insert_id),
                at: Set(at),
                satisfaction: Set(satisfaction.to_owned()),
                solved: Set(satisfaction != "unsatisfied"),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
        case_event::Entity::insert_many(events).exec_without_returning(db).await?;
        n_cases += 1;
    }
    Ok((n_visits, n_cases))
}

fn event(case: i64, at: chrono::DateTime<chrono::Utc>, actor: Option<i64>, action: &str, from: Option<&str>, to: &str) -> case_event::ActiveModel {
    case_event::ActiveModel {
        case_id: Set(case),
        at: Set(at),
        actor_id: Set(actor),
        actor_kind: Set(if actor.is_some() { "user" } else { "enterprise" }.to_owned()),
        action: Set(action.to_owned()),
        from_stage: Set(from.map(str::to_owned)),
        to_stage: Set(to.to_owned()),
        detail: Set(None),
        record_id: Set(None),
        ..Default::default()
    }
}

/// A UUID-shaped id, as a phone makes one for its records.
fn uuid_like(dice: &mut Dice) -> String {
    let (a, b) = (dice.next(), dice.next());
    format!("{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}", a >> 32, (a >> 16) & 0xffff, a & 0xfff, (b >> 52) & 0xfff, b & 0xffff_ffff_ffff)
}
