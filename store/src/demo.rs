//! The demo park: the real Zhongli industrial area (556 factories), partitioned into balanced
//! grids by the partitioner, with a manager, a department officer, an administrator and one
//! worker per grid.
//!
//! Idempotent: when the park is already there, nothing changes.

use crate::entities::{app_user, grid_assignment, grid_plan};
use crate::parks::{self, ImportError, ParkImport};
use crate::plans::{self, NewGrid};
use crate::users::{self, NewUser};
use crate::{StoreError, now};
use domain::enterprise::Location;
use domain::{Boundary, EnterpriseRecord, GridCode, Role};
use sea_orm::{ActiveModelTrait, DatabaseConnection, Set};

pub const PARK_CODE: &str = "ZL";
pub const PARK_NAME: &str = "中壢工業區";
/// How long the demo park has been run with its plan and workers, in days.
pub const RUNNING_DAYS: i64 = 90;
/// Every demo account's password.
pub const PASSWORD: &str = "parkgrid-demo";

const WORKER_NAMES: [&str; 24] = [
    "王芳", "李娜", "张伟", "刘洋", "陈静", "杨磊", "赵敏", "黄勇", "周婷", "吴强", "徐丽", "孙杰", "马超", "朱琳", "胡斌", "郭倩", "何涛", "高燕", "林峰",
    "罗欣", "郑浩", "梁雪", "谢鹏", "宋佳",
];

/// The accounts the demo creates: (login, display name, role).
pub fn accounts(grids: usize) -> Vec<(String, String, Role)> {
    let mut out = vec![
        ("admin".to_owned(), "系统管理员".to_owned(), Role::Admin),
        ("manager".to_owned(), "陈主任".to_owned(), Role::Manager),
        ("safety".to_owned(), "应急管理局 刘科长".to_owned(), Role::Department),
    ];
    for i in 0..grids {
        let name = WORKER_NAMES.get(i).map_or_else(|| format!("网格员{:02}", i + 1), |n| n.to_string());
        out.push((format!("worker{:02}", i + 1), name, Role::Worker));
    }
    out
}

#[derive(Debug)]
pub enum Outcome {
    AlreadyLoaded,
    Loaded { enterprises: usize, grids: usize },
}

/// Loads the demo park from its boundary and enterprises (parsed by the caller), in one
/// transaction: an interrupted load leaves nothing behind.
pub async fn load(db: &DatabaseConnection, boundary: Boundary, enterprises: Vec<EnterpriseRecord>) -> Result<Outcome, ImportError> {
    if parks::find_by_code(db, PARK_CODE).await?.is_some() {
        return Ok(Outcome::AlreadyLoaded);
    }
    let txn = crate::db::write(db).await?;
    let db = &txn;
    let sites: Vec<partition::Site> = enterprises
        .iter()
        .map(|r| partition::Site { id: r.external_id.clone(), lon: r.position.lon, lat: r.position.lat, weight: r.weight.unwrap_or(1.0) })
        .collect();
    let n = enterprises.len();
    let locations = (0..n).map(Location::Feature).collect();
    let summary =
        parks::import(db, ParkImport { code: PARK_CODE.into(), name: PARK_NAME.into(), boundary: boundary.clone(), enterprises, locations }, None).await?;
    let plan = partition::partition(boundary.multi_polygon(), &sites, partition::Limits::default(), PARK_CODE)
        .map_err(|e| StoreError::Conflict(format!("the demo park cannot be partitioned: {e}")))?;
    let grids: Vec<NewGrid> = plan
        .grids
        .into_iter()
        .enumerate()
        .map(|(i, g)| NewGrid { code: GridCode::new(PARK_CODE, i as u32 + 1), name: format!("第{}网格", i + 1), area: Boundary::from_multi_polygon(g.area) })
        .collect();
    let grid_count = grids.len();
    let plan = plans::create_draft(db, summary.park_id, "初始网格划分", grids, None).await?;
    let plan = plans::activate(db, plan.id, None).await?;
    // The demo park has been run this way for a while: its plan and its workers' assignments
    // date from `RUNNING_DAYS` ago, so records of the last weeks are theirs to sync.
    let since = now() - chrono::Duration::days(RUNNING_DAYS);
    let mut am: grid_plan::ActiveModel = plan.into();
    am.activated_at = Set(Some(since));
    am.update(db).await.map_err(StoreError::from)?;
    let grid_rows = crate::views::park_map(db, Some(PARK_CODE)).await?.map(|v| v.grids).unwrap_or_default();
    let mut unassigned = grid_rows.iter();
    for (i, (login, name, role)) in accounts(grid_count).into_iter().enumerate() {
        let user = users::create(db, NewUser { login: &login, display_name: &name, password: PASSWORD, role }).await?;
        // The administrator works in every park; everyone else in the demo park; the officer
        // in the safety department.
        let mut am: app_user::ActiveModel = user.clone().into();
        am.all_parks = Set(role == Role::Admin);
        if role == Role::Department {
            am.department_id = Set(crate::departments::find_by_code(db, "safety").await?.map(|d| d.id));
        }
        // About half the workers have their name and a work phone on the public page.
        if role == Role::Worker {
            let (publish_name, phone) = public_contact(i);
            am.publish_name = Set(publish_name);
            am.public_phone = Set(phone);
        }
        am.update(db).await.map_err(StoreError::from)?;
        if role != Role::Admin {
            users::set_parks(db, user.id, &[summary.park_id]).await?;
        }
        if role == Role::Worker {
            let grid = unassigned.next().ok_or(StoreError::NotFound("grid"))?;
            grid_assignment::ActiveModel { grid_id: Set(grid.id), user_id: Set(user.id), assigned_at: Set(since), ..Default::default() }
                .insert(db)
                .await
                .map_err(StoreError::from)?;
        }
    }
    load_public(db, summary.park_id).await?;
    txn.commit().await?;
    Ok(Outcome::Loaded { enterprises: n, grids: grid_count })
}

/// What the public page shows of the `i`-th demo account (a worker): every other worker's
/// name and a synthetic work phone (none of these numbers is real).
fn public_contact(i: usize) -> (bool, Option<String>) {
    if i % 2 == 1 { (true, Some(format!("0571-8690 {:04}", 2000 + i))) } else { (false, None) }
}

/// The demo park's public side (issue 15): a hotline, the figures published, a service list
/// across the service areas of 8.1/8.2, two policies (one with its guide as a PDF) and a piece
/// of news. Synthetic: written for the demo, not the real park's.
async fn load_public<C: sea_orm::ConnectionTrait>(db: &C, park_id: i64) -> Result<(), StoreError> {
    use crate::publish::{NewFile, insert_notice, insert_service_item, write_park_public};
    use api::public::{DemandCategory as C, Mode as M, NoticeDraft, NoticeKind, ServiceItemDraft};
    use sea_orm::EntityTrait;
    let park = crate::entities::park::Entity::find_by_id(park_id).one(db).await?.ok_or(StoreError::NotFound("park"))?;
    write_park_public(db, None, park, Some("0571-8690 1000".to_owned()), true).await?;
    let mut dept = std::collections::HashMap::new();
    for code in ["hrss", "market", "safety", "environment", "tax"] {
        if let Some(d) = crate::departments::find_by_code(db, code).await? {
            dept.insert(code, d.id);
        }
    }
    let services: [(&str, C, M, Option<u32>, Option<&str>); 10] = [
        ("惠企政策咨询与申报辅导", C::Policy, M::Immediate, None, None),
        ("企业招聘用工对接", C::HumanResources, M::Escalated, Some(5), Some("hrss")),
        ("产学研合作与检验检测对接", C::Technology, M::Promised, Some(15), None),
        ("营业执照变更、涉税事项全程代办", C::ProfessionalServices, M::Proxy, Some(5), Some("market")),
        ("安全生产现场指导与隐患整改咨询", C::ProfessionalServices, M::Escalated, Some(7), Some("safety")),
        ("创业孵化场地与入驻申请", C::Incubation, M::Promised, Some(10), None),
        ("银企融资对接", C::Resources, M::Promised, Some(10), None),
        ("职工社保转移接续", C::SocialSecurity, M::Escalated, Some(15), Some("hrss")),
        ("职业技能培训补贴申领", C::Jobs, M::Escalated, Some(10), Some("hrss")),
        ("职工子女入学、租房与通勤咨询", C::Living, M::Promised, Some(5), None),
    ];
    for (name, category, mode, limit_days, department) in services {
        let draft = ServiceItemDraft { name: name.to_owned(), category, mode, limit_days, department_id: department.and_then(|d| dept.get(d).copied()) };
        insert_service_item(db, None, park_id, &draft).await?;
    }
    let guide = tiny_pdf(&["Technical upgrade subsidy: application guide (demo)", "Apply at the park service center before the deadline."]);
    let notices = [
        (
            NoticeKind::Policy,
            "关于开展工业企业技术改造项目补助申报的通知",
            "园区内规模以上工业企业今年完成的设备更新、数字化改造项目，可按设备投资额申请补助。\n申报材料：项目备案文件、设备发票、验收报告。\n请于下月底前将材料交园区服务中心，网格员可上门辅导。",
            40,
            Some(NewFile { name: "技术改造补助申报指南.pdf", content_type: "application/pdf", bytes: &guide }),
        ),
        (
            NoticeKind::Policy,
            "企业招工和职工技能培训补贴政策解读",
            "新招用本地户籍或外省来浙人员并缴纳社保满三个月的企业，可申请一次性招工补贴；组织职工参加职业技能培训并取得证书的，按证书等级给予培训补贴。\n具体条件请咨询服务中心或所在网格的网格员。",
            15,
            None,
        ),
        (
            NoticeKind::News,
            "园区网格化管理服务中心启用",
            "园区按 DB33/T 2320-2021 划分网格，每个网格配备网格员定期走访企业，收集诉求、排查隐患。企业可拨打服务中心电话，或联系所在网格的网格员。",
            3,
            None,
        ),
    ];
    for (kind, title, body, days_ago, file) in notices {
        let draft = NoticeDraft { kind, title: title.to_owned(), body: body.to_owned() };
        let files: Vec<NewFile<'_>> = file.into_iter().collect();
        insert_notice(db, None, park_id, &draft, &files, now() - chrono::Duration::days(days_ago)).await?;
    }
    Ok(())
}

/// A small valid PDF (one page, Helvetica) with these lines of ASCII text: the demo policy's
/// guide.
fn tiny_pdf(lines: &[&str]) -> Vec<u8> {
    let mut text = String::from("BT /F1 12 Tf 50 780 Td 16 TL");
    for l in lines {
        let escaped = l.replace('\\', "\\\\").replace('(', "\\(").replace(')', "\\)");
        text.push_str(&format!(" ({escaped}) '"));
    }
    text.push_str(" ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>".to_owned(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{text}\nendstream", text.len()),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        pdf.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes());
    pdf
}

/// The demo's service loop (issue 13): demands its workers heard over the last weeks, taken
/// through the stages by the demo's manager and safety officer — new ones, dispatched ones, one
/// returned, one overdue, closed and rated ones — so that every inbox has something in it.
/// Synthetic (the real park's demands are not public). Done once: a park with cases keeps them.
pub async fn load_cases(db: &DatabaseConnection) -> Result<usize, StoreError> {
    use crate::cases::{self, NewDemand, Source};
    use crate::entities::service_case;
    use domain::case::{Action, Mode, Satisfaction};
    use domain::field::DemandCategory;
    use sea_orm::{EntityTrait, PaginatorTrait};
    if service_case::Entity::find().count(db).await? > 0 {
        return Ok(0);
    }
    let access = |login: &'static str| async move {
        let user = users::find_by_login(db, login).await?.ok_or(StoreError::NotFound("demo account"))?;
        crate::access::Access::of(db, user).await
    };
    let manager = access("manager").await?;
    let officer = access("safety").await?;
    let safety = crate::departments::find_by_code(db, "safety").await?.ok_or(StoreError::NotFound("department"))?.id;
    let demands: [(DemandCategory, &str); 10] = [
        (DemandCategory::Jobs, "旺季临近，需要招聘 30 名普工，希望对接人社部门的招聘会"),
        (DemandCategory::Policy, "想了解今年技术改造补贴的申报条件和截止时间"),
        (DemandCategory::Resources, "新生产线投产，需要办理用电增容"),
        (DemandCategory::Living, "园区夜班员工反映食堂晚上九点后无餐"),
        (DemandCategory::ProfessionalServices, "出口订单需要知识产权侵权风险评估"),
        (DemandCategory::Technology, "希望对接高校做产品检测"),
        (DemandCategory::SocialSecurity, "外地员工社保转移接续手续不清楚"),
        (DemandCategory::Resources, "厂区门口道路积水，货车进出困难"),
        (DemandCategory::Jobs, "技术工人流失，希望了解技能培训补贴"),
        (DemandCategory::Policy, "危化品仓库改造需要安全评估指导"),
    ];
    let mut made = Vec::new();
    for (i, (category, text)) in demands.iter().enumerate() {
        let worker = users::find_by_login(db, &format!("worker{:02}", i % 6 + 1)).await?.ok_or(StoreError::NotFound("demo worker"))?;
        let enterprises = cases_enterprises(db, worker.id).await?;
        let Some(&enterprise) = enterprises.get(i % enterprises.len().max(1)) else { continue };
        let at = now() - chrono::Duration::days(20 - 2 * i as i64);
        let txn = crate::db::write(db).await?;
        let case = cases::register(
            &txn,
            NewDemand { enterprise_id: enterprise, category: *category, description: text, source: Source::Visit, record: None, owner: Some(worker.id), at },
        )
        .await?;
        txn.commit().await?;
        if let Some(c) = case {
            made.push(c.id);
        }
    }
    let act = |who: &crate::access::Access, id: usize, action: Action| {
        let who = who.clone();
        let case = made.get(id).copied();
        async move {
            match case {
                Some(c) => cases::act(db, &who, c, &action).await.map(|_| ()),
                None => Ok(()),
            }
        }
    };
    let text = |s: &str| s.to_owned();
    // The tenth: escalated, taken and answered by the safety department, closed, rated satisfied.
    act(&manager, 9, Action::Accept { mode: Mode::Escalated }).await?;
    act(&manager, 9, Action::Dispatch { department: safety }).await?;
    act(&officer, 9, Action::Take).await?;
    act(&officer, 9, Action::Reply { reply: text("已安排安全评价机构上门指导，并出具整改建议") }).await?;
    act(&manager, 9, Action::Verify { solved: true, note: text("") }).await?;
    // …rated by the enterprise at the worker's next visit (the tenth demand was worker04's).
    let worker = access("worker04").await?;
    act(&worker, 9, Action::Rate { satisfaction: Satisfaction::Satisfied, solved: true, comment: text("响应很快") }).await?;
    // The second: promised by the center, answered, waiting for verification.
    act(&manager, 1, Action::Accept { mode: Mode::Promised }).await?;
    act(&manager, 1, Action::Reply { reply: text("已发送申报指南，并约定下周三上门辅导") }).await?;
    // The third: escalated to safety, not taken yet (in the officer's inbox).
    act(&manager, 2, Action::Accept { mode: Mode::Escalated }).await?;
    act(&manager, 2, Action::Dispatch { department: safety }).await?;
    // The eighth: escalated, returned by the department: waiting for the manager.
    act(&manager, 7, Action::Accept { mode: Mode::Escalated }).await?;
    act(&manager, 7, Action::Dispatch { department: safety }).await?;
    act(&officer, 7, Action::Return { reason: text("道路积水属住建部门职责，请转交") }).await?;
    // The fifth: 全程代理 — the center acts for the enterprise with two departments; the
    // safety department's part is done, the market regulator's still open.
    let market = crate::departments::find_by_code(db, "market").await?.map(|d| d.id);
    act(&manager, 4, Action::Accept { mode: Mode::Proxy }).await?;
    act(&manager, 4, Action::AddTask { department: safety }).await?;
    if let Some(market) = market {
        act(&manager, 4, Action::AddTask { department: market }).await?;
    }
    act(&officer, 4, Action::FinishTask { reply: text("已提供出口产品安全合规评估机构名单") }).await?;
    // The seventh: solved at first contact.
    act(&manager, 6, Action::SolveAtOnce { reply: text("现场讲解了社保转移流程，并提供办事指南") }).await?;
    // The first: promised and late: its deadline set back, so it shows overdue.
    act(&manager, 0, Action::Accept { mode: Mode::Promised }).await?;
    if let Some(&late) = made.first() {
        use sea_orm::ActiveModelTrait;
        if let Some(row) = service_case::Entity::find_by_id(late).one(db).await? {
            let mut am: service_case::ActiveModel = row.into();
            am.deadline_at = Set(Some(now() - chrono::Duration::days(5)));
            am.update(db).await?;
        }
    }
    let findings = load_findings(db, &manager).await?;
    Ok(made.len() + findings)
}

/// The demo's after-photo of a rectification (synthetic: a switch room with its new cable
/// tray and breaker box).
const AFTER_PHOTO: &[u8] = include_bytes!("../../data/demo/after-rectification.jpg");

/// A UUID-shaped id for a demo record, as a phone makes one.
fn demo_id() -> String {
    let t = crate::auth::new_token();
    format!("{}-{}-{}-{}-{}", &t[0..8], &t[8..12], &t[12..16], &t[16..20], &t[20..32])
}

/// The demo's findings (7.1, 7.2), sent as worker01's phone sends them, so that they become
/// cases by the same path: a general hazard being rectified, a major hazard waiting for its
/// plan, a wastewater finding whose fix worker01 reported with an after-photo (waiting for
/// someone else's verification), and a noise finding verified and closed by the manager.
async fn load_findings(db: &DatabaseConnection, manager: &crate::access::Access) -> Result<usize, StoreError> {
    use crate::entities::service_case;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let worker = users::find_by_login(db, "worker01").await?.ok_or(StoreError::NotFound("demo worker"))?;
    let author = crate::field::Author { user_id: worker.id };
    let data = crate::field::field_data(db, worker.id).await?;
    // The grid's last enterprises: the first ones are where the browser tests record their own.
    let spots: Vec<(i64, f64, f64)> = data.enterprises.iter().rev().take(4).map(|e| (e.id, e.lon, e.lat)).collect();
    if spots.len() < 4 {
        return Ok(0);
    }
    let t = |days: i64| (now() - chrono::Duration::days(days)).to_rfc3339();
    let finding = |(e, lon, lat): (i64, f64, f64), kind: &str, grade: Option<&str>, text: &str, found: i64, due_in: i64| {
        serde_json::json!({ "type": "finding", "id": demo_id(), "enterprise_id": e, "kind": kind, "grade": grade, "description": text,
            "found_at": t(found), "fix": { "lon": lon, "lat": lat, "accuracy_m": 9.0 },
            "deadline": (now() + chrono::Duration::days(due_in)).to_rfc3339(), "photos": [] })
    };
    let records = [
        finding(spots[0], "safety_hazard", Some("general"), "消防通道堆放纸箱和托盘，堵塞约三分之一通道", 6, 10),
        finding(spots[1], "safety_hazard", Some("major"), "配电房电缆老化裸露，地面有积水，存在触电风险", 2, 30),
        finding(spots[2], "wastewater", None, "雨水管网排口有泡沫，疑似混入清洗废水", 12, 3),
        finding(spots[3], "noise", None, "夜间空压机噪声扰民，居民投诉", 20, 0),
    ];
    let mut sent = records.to_vec();
    // The wastewater and noise findings: fixed, reported by worker01 with an after-photo taken
    // some 30 m from the spot (the photo's bytes uploaded as the phone does).
    let mut photos = Vec::new();
    for (i, r) in [(2usize, 1i64), (3, 4)] {
        let (_, lon, lat) = spots[i];
        let photo = demo_id();
        photos.push(photo.clone());
        sent.push(serde_json::json!({ "type": "reinspection", "id": demo_id(), "finding_id": records[i]["id"], "result": "fixed",
            "inspected_at": t(r), "notes": "企业已整改，现场复查拍照", "fix": { "lon": lon + 0.0003, "lat": lat, "accuracy_m": 7.0 },
            "photos": [{ "id": photo, "content_type": "image/jpeg", "size": AFTER_PHOTO.len(), "taken_at": t(r), "fix": { "lon": lon + 0.0003, "lat": lat, "accuracy_m": 7.0 } }] }));
    }
    crate::field::sync(db, author, &sent).await?;
    for p in photos {
        crate::field::put_photo_chunk(db, author, &p, 0, AFTER_PHOTO).await.map_err(|e| StoreError::Conflict(e.to_string()))?;
    }
    // The noise finding: verified by the manager, closed.
    let noise = records[3]["id"].as_str().unwrap_or_default();
    if let Some(c) = service_case::Entity::find().filter(service_case::Column::SourceRecord.eq(noise)).one(db).await? {
        crate::cases::act(db, manager, c.id, &domain::case::Action::Verify { solved: true, note: "照片与现场一致，已加装隔音罩".to_owned() }).await?;
    }
    Ok(records.len())
}

/// The enterprises of a demo worker's grid.
async fn cases_enterprises(db: &DatabaseConnection, worker: i64) -> Result<Vec<i64>, StoreError> {
    let data = crate::field::field_data(db, worker).await?;
    Ok(data.enterprises.into_iter().map(|e| e.id).collect())
}
