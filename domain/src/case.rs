//! Cases (事项): a demand (诉求) or a finding handled to the end (clause 5.4.3 handling modes,
//! 6.4 departments, 6.5 satisfaction).
//!
//! A case moves through the stages of grid practice — 登记 → 受理 → 派遣/交办 → 办理 → 核查 →
//! 办结 — by [`Action`]s. [`transition`] is the whole rule book: given where a case stands, who
//! acts and what they do, it answers the case's next state, or why not — an action the stage
//! does not allow (the API's 409, naming the stage and what is allowed), an actor who may not
//! (403), or an input that is wrong (422). The store records every accepted transition as an
//! event; it never changes a case's stage any other way.
//!
//! The handling modes of 5.4.3 map onto actions: 首问负责 is the case's owner, the one who
//! took it first (it never changes); 即时办理 is [`Action::SolveAtOnce`]; 承诺办理
//! [`Action::Accept`] with [`Mode::Promised`]; 上报办理 [`Mode::Escalated`] then
//! [`Action::Dispatch`] to a department, which takes it or returns it (退回) with a reason;
//! 补办告知 [`Action::RequestMaterial`] (the clock stops) and [`Action::MaterialArrived`];
//! 退回答复 [`Action::AnswerNotOurs`] (the enterprise is told why and who does it).
//! Extensions (延期) are asked for before the deadline and granted by a manager; a failed
//! verification (返工) sends the case back to its handler; 挂账 keeps a case that cannot be
//! solved now on a ledger with a written explanation, for review.

use crate::Role;
use serde::{Deserialize, Serialize};

/// Where a case stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 登记: recorded (by a worker, at the hall, by the enterprise), not yet taken on.
    Registered,
    /// 受理: the center took it on and chose how to handle it (or a department returned it).
    Accepted,
    /// 派遣/交办: sent to a department, which has not taken it yet.
    Dispatched,
    /// 办理: being handled, by the center or a department.
    InProgress,
    /// 补办告知: waiting for material from the enterprise; the clock stops.
    AwaitingMaterial,
    /// 核查: the handler answered; someone else checks the result.
    Verifying,
    /// 办结: done; the enterprise may rate it.
    Closed,
    /// 挂账: cannot be solved now; kept on the ledger with an explanation.
    OnLedger,
}

impl Stage {
    pub const ALL: [Stage; 8] =
        [Stage::Registered, Stage::Accepted, Stage::Dispatched, Stage::InProgress, Stage::AwaitingMaterial, Stage::Verifying, Stage::Closed, Stage::OnLedger];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Registered => "registered",
            Stage::Accepted => "accepted",
            Stage::Dispatched => "dispatched",
            Stage::InProgress => "in_progress",
            Stage::AwaitingMaterial => "awaiting_material",
            Stage::Verifying => "verifying",
            Stage::Closed => "closed",
            Stage::OnLedger => "on_ledger",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// Whether the case's clock runs (a deadline can pass) in this stage.
    pub fn clock_runs(self) -> bool {
        matches!(self, Stage::Accepted | Stage::Dispatched | Stage::InProgress | Stage::Verifying)
    }

    /// Whether the case is still to be handled.
    pub fn is_open(self) -> bool {
        !matches!(self, Stage::Closed | Stage::OnLedger)
    }
}

/// How the center handles a case it takes on (5.4.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// 即时办理: solved at first contact.
    Immediate,
    /// 承诺办理: the center handles it by a promised deadline.
    Promised,
    /// 上报办理: a department handles it.
    Escalated,
    /// 退回答复: not the center's to do; the enterprise is told why and by whom.
    NotOurs,
    /// 全程代理: center staff act for the enterprise across several departments, one sub-task
    /// per department; the case is answered when every sub-task is done.
    Proxy,
}

impl Mode {
    pub const ALL: [Mode; 5] = [Mode::Immediate, Mode::Promised, Mode::Escalated, Mode::NotOurs, Mode::Proxy];

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Immediate => "immediate",
            Mode::Promised => "promised",
            Mode::Escalated => "escalated",
            Mode::NotOurs => "not_ours",
            Mode::Proxy => "proxy",
        }
    }

    pub fn parse(s: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// The enterprise's word on a closed case (6.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Satisfaction {
    /// 满意
    Satisfied,
    /// 基本满意
    Acceptable,
    /// 不满意: flags the case for the manager.
    Unsatisfied,
}

impl Satisfaction {
    pub fn as_str(self) -> &'static str {
        match self {
            Satisfaction::Satisfied => "satisfied",
            Satisfaction::Acceptable => "acceptable",
            Satisfaction::Unsatisfied => "unsatisfied",
        }
    }

    pub fn parse(s: &str) -> Option<Satisfaction> {
        [Satisfaction::Satisfied, Satisfaction::Acceptable, Satisfaction::Unsatisfied].into_iter().find(|v| v.as_str() == s)
    }
}

/// What someone does to a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// 即时办理: solved at first contact, closed with the answer given.
    SolveAtOnce { reply: String },
    /// 受理: the center takes it on, to handle itself by a promise or to escalate.
    Accept { mode: Mode },
    /// A major hazard's rectification plan (重大隐患整改方案), handed in by the enterprise and
    /// recorded by the center or the grid's worker: the case goes to the safety department,
    /// due on the plan's deadline.
    SubmitPlan { plan: RectificationPlan },
    /// 退回答复: not the center's to do; the answer says why and who does it.
    AnswerNotOurs { reply: String },
    /// 派遣: sent to a department (an escalated case).
    Dispatch { department: i64 },
    /// 全程代理: a sub-task for one more department.
    AddTask { department: i64 },
    /// A department's sub-task done, with its answer; the last one sends the case to
    /// verification.
    FinishTask { reply: String },
    /// The department takes the case on.
    Take,
    /// 退回: the department returns it to the center, with the reason.
    Return { reason: String },
    /// 补办告知: the enterprise is told what is missing; the clock stops.
    RequestMaterial { missing: String },
    /// The material arrived; the clock runs again.
    MaterialArrived,
    /// The handler's answer (with what was done); the case goes to verification.
    Reply { reply: String },
    /// 核查: the result checked with the enterprise; not solved (返工) sends it back.
    Verify { solved: bool, note: String },
    /// 延期: more working days, asked for before the deadline.
    AskExtension { days: u32, reason: String },
    /// A manager grants or refuses the pending extension.
    DecideExtension { grant: bool },
    /// 挂账: cannot be solved now; the explanation is kept on the ledger.
    PutOnLedger { explanation: String },
    /// A case on the ledger, or a closed one the enterprise was not satisfied with, taken on
    /// again.
    Reopen { reason: String },
    /// 督办: the center's head presses the handler (any open stage).
    Supervise { note: String },
    /// The enterprise's rating of a closed case.
    Rate { satisfaction: Satisfaction, solved: bool, comment: String },
}

/// A major hazard's rectification plan (重大隐患整改方案: 措施、责任人、资金、时限、整改期间的
/// 安全防范措施).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RectificationPlan {
    /// 整改措施
    pub measures: String,
    /// 责任人
    pub responsible: String,
    /// 整改资金, in yuan.
    pub funds_yuan: u64,
    /// 整改时限: the last day (24:00 Beijing time).
    pub deadline: chrono::NaiveDate,
    /// 整改期间的安全防范措施
    pub interim: String,
}

/// The actions by name, for "what is allowed" answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    SolveAtOnce,
    Accept,
    SubmitPlan,
    AnswerNotOurs,
    Dispatch,
    AddTask,
    FinishTask,
    Take,
    Return,
    RequestMaterial,
    MaterialArrived,
    Reply,
    Verify,
    AskExtension,
    DecideExtension,
    PutOnLedger,
    Reopen,
    Supervise,
    Rate,
}

impl ActionKind {
    pub const ALL: [ActionKind; 19] = [
        ActionKind::SolveAtOnce,
        ActionKind::Accept,
        ActionKind::SubmitPlan,
        ActionKind::AnswerNotOurs,
        ActionKind::Dispatch,
        ActionKind::AddTask,
        ActionKind::FinishTask,
        ActionKind::Take,
        ActionKind::Return,
        ActionKind::RequestMaterial,
        ActionKind::MaterialArrived,
        ActionKind::Reply,
        ActionKind::Verify,
        ActionKind::AskExtension,
        ActionKind::DecideExtension,
        ActionKind::PutOnLedger,
        ActionKind::Reopen,
        ActionKind::Supervise,
        ActionKind::Rate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::SolveAtOnce => "solve_at_once",
            ActionKind::Accept => "accept",
            ActionKind::SubmitPlan => "submit_plan",
            ActionKind::AnswerNotOurs => "answer_not_ours",
            ActionKind::Dispatch => "dispatch",
            ActionKind::AddTask => "add_task",
            ActionKind::FinishTask => "finish_task",
            ActionKind::Take => "take",
            ActionKind::Return => "return",
            ActionKind::RequestMaterial => "request_material",
            ActionKind::MaterialArrived => "material_arrived",
            ActionKind::Reply => "reply",
            ActionKind::Verify => "verify",
            ActionKind::AskExtension => "ask_extension",
            ActionKind::DecideExtension => "decide_extension",
            ActionKind::PutOnLedger => "put_on_ledger",
            ActionKind::Reopen => "reopen",
            ActionKind::Supervise => "supervise",
            ActionKind::Rate => "rate",
        }
    }
}

impl Action {
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::SolveAtOnce { .. } => ActionKind::SolveAtOnce,
            Action::Accept { .. } => ActionKind::Accept,
            Action::SubmitPlan { .. } => ActionKind::SubmitPlan,
            Action::AnswerNotOurs { .. } => ActionKind::AnswerNotOurs,
            Action::Dispatch { .. } => ActionKind::Dispatch,
            Action::AddTask { .. } => ActionKind::AddTask,
            Action::FinishTask { .. } => ActionKind::FinishTask,
            Action::Take => ActionKind::Take,
            Action::Return { .. } => ActionKind::Return,
            Action::RequestMaterial { .. } => ActionKind::RequestMaterial,
            Action::MaterialArrived => ActionKind::MaterialArrived,
            Action::Reply { .. } => ActionKind::Reply,
            Action::Verify { .. } => ActionKind::Verify,
            Action::AskExtension { .. } => ActionKind::AskExtension,
            Action::DecideExtension { .. } => ActionKind::DecideExtension,
            Action::PutOnLedger { .. } => ActionKind::PutOnLedger,
            Action::Reopen { .. } => ActionKind::Reopen,
            Action::Supervise { .. } => ActionKind::Supervise,
            Action::Rate { .. } => ActionKind::Rate,
        }
    }
}

/// What the rules need to know of a case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseState {
    pub stage: Stage,
    pub mode: Option<Mode>,
    /// The department it is dispatched to (an escalated case).
    pub department: Option<i64>,
    /// Working days asked for and not yet decided.
    pub pending_extension: Option<u32>,
    /// Who gave the answer under verification (not the one to verify it).
    pub replied_by: Option<i64>,
    /// Whether the deadline has passed (an extension must be asked for before).
    pub overdue: bool,
    /// The enterprise's last rating, if any.
    pub rating: Option<Satisfaction>,
    /// A finding's facts (a demand: `None`).
    pub finding: Option<FindingFacts>,
    /// 全程代理: the departments with a sub-task, and those whose sub-task is still open.
    pub tasks: Vec<i64>,
    pub open_tasks: Vec<i64>,
}

/// What the rules need to know of a finding's case (7.1, 7.2: rectification).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct FindingFacts {
    /// A major hazard (重大隐患): it needs a rectification plan and the safety department.
    pub major: bool,
    /// Its rectification plan is recorded.
    pub plan: bool,
    /// An after-photo of the rectification is on the case (the verification's evidence).
    pub after_photo: bool,
}

impl CaseState {
    /// A case just recorded.
    pub fn registered() -> Self {
        CaseState {
            stage: Stage::Registered,
            mode: None,
            department: None,
            pending_extension: None,
            replied_by: None,
            overdue: false,
            rating: None,
            finding: None,
            tasks: Vec::new(),
            open_tasks: Vec::new(),
        }
    }

    fn major_hazard(&self) -> bool {
        self.finding.is_some_and(|f| f.major)
    }

    /// A major hazard whose rectification plan is not recorded yet.
    fn awaits_plan(&self) -> bool {
        self.finding.is_some_and(|f| f.major && !f.plan)
    }
}

/// Who acts, with the facts about them the rules need (the store finds them out).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
    /// A signed-in user working in the case's park.
    User {
        id: i64,
        role: Role,
        /// A worker holding the case's grid.
        holds_grid: bool,
        /// A department officer's department.
        department: Option<i64>,
    },
    /// The enterprise itself, through its link.
    Enterprise,
}

/// Why a transition is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// The action is not one the case's stage allows (409).
    #[error("a case in stage {} cannot {}; it allows: {}", stage.as_str(), action.as_str(), allowed.iter().map(|a| a.as_str()).collect::<Vec<_>>().join(", "))]
    NotInStage { stage: Stage, action: ActionKind, allowed: Vec<ActionKind> },
    /// The actor may not do it (403).
    #[error("{who} may not {} this case", action.as_str())]
    NotPermitted { who: &'static str, action: ActionKind },
    /// The input is wrong (422): what and why.
    #[error("{0}")]
    Invalid(Why),
}

/// Why an action's input is refused: a code the interface translates, and English words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Why {
    /// A text the action needs is empty (the answer, the reason, what is missing…).
    TextNeeded,
    TextTooLong,
    /// Accept with 即时办理: that is `solve_at_once`.
    ImmediateIsSolveAtOnce,
    /// Accept with 退回答复: that is `answer_not_ours`.
    NotOursIsAnswer,
    OnlyEscalatedDispatched,
    EscalatedAnsweredByDepartment,
    VerifierIsNotAnswerer,
    ExtensionRange,
    ExtensionAfterDeadline,
    ExtensionPending,
    NoExtensionPending,
    /// A finding closes only by a verification of its rectification.
    FindingClosesByVerification,
    /// A major hazard is taken on with its rectification plan (`submit_plan`).
    PlanNeeded,
    /// Only a major hazard has a rectification plan.
    PlanOnlyForMajorHazard,
    /// A rectification is verified with an after-photo (the field app's re-inspection).
    AfterPhotoNeeded,
    /// Sub-tasks are for a case handled by 全程代理.
    OnlyProxyHasTasks,
    /// The department has a sub-task on this case already.
    TaskExists,
    /// A 全程代理 case is answered by its sub-tasks (the last one done).
    ProxyAnsweredByTasks,
}

impl Why {
    pub fn as_str(self) -> &'static str {
        match self {
            Why::TextNeeded => "text_needed",
            Why::TextTooLong => "text_too_long",
            Why::ImmediateIsSolveAtOnce => "immediate_is_solve_at_once",
            Why::NotOursIsAnswer => "not_ours_is_answer",
            Why::OnlyEscalatedDispatched => "only_escalated_dispatched",
            Why::EscalatedAnsweredByDepartment => "escalated_answered_by_department",
            Why::VerifierIsNotAnswerer => "verifier_is_not_answerer",
            Why::ExtensionRange => "extension_range",
            Why::ExtensionAfterDeadline => "extension_after_deadline",
            Why::ExtensionPending => "extension_pending",
            Why::NoExtensionPending => "no_extension_pending",
            Why::FindingClosesByVerification => "finding_closes_by_verification",
            Why::PlanNeeded => "plan_needed",
            Why::PlanOnlyForMajorHazard => "plan_only_for_major_hazard",
            Why::AfterPhotoNeeded => "after_photo_needed",
            Why::OnlyProxyHasTasks => "only_proxy_has_tasks",
            Why::TaskExists => "task_exists",
            Why::ProxyAnsweredByTasks => "proxy_answered_by_tasks",
        }
    }
}

impl std::fmt::Display for Why {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Why::TextNeeded => "the action needs its text (the answer, the reason, what is missing)",
            Why::TextTooLong => "a text of at most 2000 characters",
            Why::ImmediateIsSolveAtOnce => "a case solved at first contact is closed with its answer (solve_at_once)",
            Why::NotOursIsAnswer => "a case that is not ours is answered (answer_not_ours)",
            Why::OnlyEscalatedDispatched => "only an escalated case goes to a department",
            Why::EscalatedAnsweredByDepartment => "an escalated case is answered by its department",
            Why::VerifierIsNotAnswerer => "the result is verified by someone other than the one who answered",
            Why::ExtensionRange => "an extension of 1 to 30 working days",
            Why::ExtensionAfterDeadline => "an extension is asked for before the deadline",
            Why::ExtensionPending => "an extension is already waiting for a decision",
            Why::NoExtensionPending => "no extension is waiting for a decision",
            Why::FindingClosesByVerification => "a finding is closed only by verifying its rectification",
            Why::PlanNeeded => "a major hazard is taken on with its rectification plan (submit_plan)",
            Why::PlanOnlyForMajorHazard => "only a major hazard has a rectification plan",
            Why::AfterPhotoNeeded => "a rectification is verified with an after-photo taken at the spot (the field app's re-inspection)",
            Why::OnlyProxyHasTasks => "only a case handled for the enterprise across departments (proxy) has sub-tasks",
            Why::TaskExists => "that department has a sub-task on this case already",
            Why::ProxyAnsweredByTasks => "a proxy case is answered by its sub-tasks: the last one done sends it to verification",
        })
    }
}

/// What an accepted transition changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Effect {
    pub state: CaseState,
    /// The deadline starts (or starts again) with the mode's limit.
    pub start_clock: bool,
    /// The clock stops (补办).
    pub pause_clock: bool,
    /// The clock runs again from now, with the working days left at the pause.
    pub resume_clock: bool,
    /// Working days added to the deadline.
    pub extend_by: Option<u32>,
    /// The case asks for the manager's attention (不满意, a return, an extension request).
    pub flag_manager: bool,
    /// The case goes to the safety department (a major hazard's plan); the store finds it.
    pub to_safety_department: bool,
    /// The deadline becomes the end of this day (a rectification plan's).
    pub due_on: Option<chrono::NaiveDate>,
}

impl Effect {
    fn to(state: CaseState) -> Self {
        Effect {
            state,
            start_clock: false,
            pause_clock: false,
            resume_clock: false,
            extend_by: None,
            flag_manager: false,
            to_safety_department: false,
            due_on: None,
        }
    }
}

/// The most working days one extension may add.
pub const MAX_EXTENSION_DAYS: u32 = 30;
/// The longest text an action carries.
pub const MAX_TEXT: usize = 2000;

/// A text an action needs: not empty, not too long.
fn text(s: &str) -> Result<(), TransitionError> {
    if s.trim().is_empty() {
        return Err(TransitionError::Invalid(Why::TextNeeded));
    }
    if s.chars().count() > MAX_TEXT {
        return Err(TransitionError::Invalid(Why::TextTooLong));
    }
    Ok(())
}

/// The actions a stage allows, whoever asks.
pub fn allowed_in(stage: Stage) -> &'static [ActionKind] {
    use ActionKind::*;
    match stage {
        Stage::Registered => &[SolveAtOnce, Accept, SubmitPlan, AnswerNotOurs, Supervise],
        Stage::Accepted => &[Dispatch, AddTask, AnswerNotOurs, RequestMaterial, Reply, AskExtension, DecideExtension, PutOnLedger, Supervise],
        Stage::Dispatched => &[Take, Return, AskExtension, DecideExtension, Supervise],
        Stage::InProgress => &[AddTask, FinishTask, Return, RequestMaterial, Reply, AskExtension, DecideExtension, PutOnLedger, Supervise],
        Stage::AwaitingMaterial => &[MaterialArrived, Supervise],
        Stage::Verifying => &[Verify, Supervise],
        Stage::Closed => &[Rate, Reopen],
        Stage::OnLedger => &[Reopen],
    }
}

/// Whether an action applies to this kind of case at all: a rectification plan only to a
/// major hazard, an answer at first contact only to a demand.
fn applies(state: &CaseState, kind: ActionKind) -> bool {
    match kind {
        ActionKind::SubmitPlan => state.awaits_plan(),
        // A major hazard is taken on by its plan.
        ActionKind::Accept => !state.awaits_plan(),
        ActionKind::SolveAtOnce => state.finding.is_none(),
        ActionKind::AddTask | ActionKind::FinishTask => state.mode == Some(Mode::Proxy),
        // A 全程代理 case is answered by its sub-tasks; no department takes it whole.
        ActionKind::Take | ActionKind::Return | ActionKind::Reply => state.mode != Some(Mode::Proxy),
        _ => true,
    }
}

/// The actions a case in `state` allows, whoever asks: its stage's that apply to its kind.
pub fn allowed_for(state: &CaseState) -> Vec<ActionKind> {
    allowed_in(state.stage).iter().copied().filter(|k| applies(state, *k)).collect()
}

/// The rule book: the case's next state when `actor` does `action` to a case in `state`.
pub fn transition(state: &CaseState, actor: Actor, action: &Action) -> Result<Effect, TransitionError> {
    let kind = action.kind();
    if !allowed_in(state.stage).contains(&kind) {
        return Err(TransitionError::NotInStage { stage: state.stage, action: kind, allowed: allowed_for(state) });
    }
    permitted(state, actor, kind)?;
    let mut next = state.clone();
    let effect = match action {
        Action::SolveAtOnce { reply } => {
            text(reply)?;
            if state.finding.is_some() {
                return Err(TransitionError::Invalid(Why::FindingClosesByVerification));
            }
            next.stage = Stage::Closed;
            next.mode = Some(Mode::Immediate);
            Effect::to(next)
        }
        Action::Accept { mode } => {
            match mode {
                Mode::Promised | Mode::Escalated | Mode::Proxy => {}
                Mode::Immediate => return Err(TransitionError::Invalid(Why::ImmediateIsSolveAtOnce)),
                Mode::NotOurs => return Err(TransitionError::Invalid(Why::NotOursIsAnswer)),
            }
            if state.major_hazard() {
                return Err(TransitionError::Invalid(Why::PlanNeeded));
            }
            next.stage = Stage::Accepted;
            next.mode = Some(*mode);
            Effect { start_clock: true, ..Effect::to(next) }
        }
        Action::SubmitPlan { plan } => {
            if !state.major_hazard() {
                return Err(TransitionError::Invalid(Why::PlanOnlyForMajorHazard));
            }
            for t in [&plan.measures, &plan.responsible, &plan.interim] {
                text(t)?;
            }
            next.stage = Stage::Dispatched;
            next.mode = Some(Mode::Escalated);
            next.finding = state.finding.map(|f| FindingFacts { plan: true, ..f });
            Effect { to_safety_department: true, due_on: Some(plan.deadline), ..Effect::to(next) }
        }
        Action::AnswerNotOurs { reply } => {
            text(reply)?;
            next.stage = Stage::Closed;
            next.mode = Some(Mode::NotOurs);
            Effect::to(next)
        }
        Action::Dispatch { department } => {
            if state.mode != Some(Mode::Escalated) {
                return Err(TransitionError::Invalid(Why::OnlyEscalatedDispatched));
            }
            next.stage = Stage::Dispatched;
            next.department = Some(*department);
            Effect::to(next)
        }
        Action::AddTask { department } => {
            if state.mode != Some(Mode::Proxy) {
                return Err(TransitionError::Invalid(Why::OnlyProxyHasTasks));
            }
            if state.tasks.contains(department) {
                return Err(TransitionError::Invalid(Why::TaskExists));
            }
            next.stage = Stage::InProgress;
            next.tasks.push(*department);
            next.open_tasks.push(*department);
            Effect::to(next)
        }
        Action::FinishTask { reply } => {
            text(reply)?;
            let Actor::User { department: Some(d), .. } = actor else {
                return Err(TransitionError::NotPermitted { who: "this user", action: kind });
            };
            next.open_tasks.retain(|t| *t != d);
            if next.open_tasks.is_empty() {
                // The center answered the enterprise through the departments: verified by
                // someone other than the center staff who handled it.
                next.stage = Stage::Verifying;
                next.replied_by = None;
            }
            Effect::to(next)
        }
        Action::Take => {
            next.stage = Stage::InProgress;
            Effect::to(next)
        }
        Action::Return { reason } => {
            text(reason)?;
            next.stage = Stage::Accepted;
            next.department = None;
            next.pending_extension = None;
            Effect { flag_manager: true, ..Effect::to(next) }
        }
        Action::RequestMaterial { missing } => {
            text(missing)?;
            next.stage = Stage::AwaitingMaterial;
            Effect { pause_clock: true, ..Effect::to(next) }
        }
        Action::MaterialArrived => {
            // Back to whoever handled it: a department's case to the department.
            next.stage = if state.department.is_some() || state.mode == Some(Mode::Promised) { Stage::InProgress } else { Stage::Accepted };
            Effect { resume_clock: true, ..Effect::to(next) }
        }
        Action::Reply { reply } => {
            text(reply)?;
            if state.mode == Some(Mode::Proxy) {
                return Err(TransitionError::Invalid(Why::ProxyAnsweredByTasks));
            }
            if state.stage == Stage::Accepted && state.mode != Some(Mode::Promised) {
                return Err(TransitionError::Invalid(Why::EscalatedAnsweredByDepartment));
            }
            next.stage = Stage::Verifying;
            next.replied_by = match actor {
                Actor::User { id, .. } => Some(id),
                Actor::Enterprise => None,
            };
            next.pending_extension = None;
            Effect::to(next)
        }
        Action::Verify { solved, note } => {
            if let (Actor::User { id, .. }, Some(by)) = (actor, state.replied_by) {
                if id == by {
                    return Err(TransitionError::Invalid(Why::VerifierIsNotAnswerer));
                }
            }
            if !solved {
                text(note)?;
            }
            if *solved && state.finding.is_some_and(|f| !f.after_photo) {
                return Err(TransitionError::Invalid(Why::AfterPhotoNeeded));
            }
            if !solved && state.mode == Some(Mode::Proxy) {
                // 返工 across departments: every sub-task is open again.
                next.open_tasks = state.tasks.clone();
            }
            next.stage = if *solved {
                Stage::Closed
            } else if state.department.is_some() || state.finding.is_some() || state.mode == Some(Mode::Proxy) {
                Stage::InProgress
            } else {
                Stage::Accepted
            };
            Effect::to(next)
        }
        Action::AskExtension { days, reason } => {
            text(reason)?;
            if *days == 0 || *days > MAX_EXTENSION_DAYS {
                return Err(TransitionError::Invalid(Why::ExtensionRange));
            }
            if state.overdue {
                return Err(TransitionError::Invalid(Why::ExtensionAfterDeadline));
            }
            if state.pending_extension.is_some() {
                return Err(TransitionError::Invalid(Why::ExtensionPending));
            }
            next.pending_extension = Some(*days);
            Effect { flag_manager: true, ..Effect::to(next) }
        }
        Action::DecideExtension { grant } => {
            let Some(days) = state.pending_extension else {
                return Err(TransitionError::Invalid(Why::NoExtensionPending));
            };
            next.pending_extension = None;
            Effect { extend_by: grant.then_some(days), ..Effect::to(next) }
        }
        Action::PutOnLedger { explanation } => {
            text(explanation)?;
            next.stage = Stage::OnLedger;
            next.pending_extension = None;
            Effect::to(next)
        }
        Action::Reopen { reason } => {
            text(reason)?;
            next.stage = Stage::Accepted;
            next.department = None;
            next.replied_by = None;
            next.mode = Some(next.mode.filter(|m| matches!(m, Mode::Promised | Mode::Escalated)).unwrap_or(Mode::Promised));
            Effect { start_clock: true, ..Effect::to(next) }
        }
        Action::Supervise { note } => {
            text(note)?;
            Effect::to(next)
        }
        Action::Rate { satisfaction, solved, comment } => {
            if comment.chars().count() > MAX_TEXT {
                return Err(TransitionError::Invalid(Why::TextTooLong));
            }
            next.rating = Some(*satisfaction);
            let unhappy = *satisfaction == Satisfaction::Unsatisfied || !solved;
            Effect { flag_manager: unhappy, ..Effect::to(next) }
        }
    };
    Ok(effect)
}

/// Whether `actor` may take an action of `kind` now (the stage allows it and they may), whatever
/// its input: what a case's page offers them.
pub fn may(state: &CaseState, actor: Actor, kind: ActionKind) -> bool {
    allowed_in(state.stage).contains(&kind) && applies(state, kind) && permitted(state, actor, kind).is_ok()
}

/// Whether `actor` may attach a file to a case in `state` (a reply's documents, a photo):
/// whoever handles it while it is open — the center, the department it is with or one with a
/// sub-task, the worker of its grid.
pub fn may_attach(state: &CaseState, actor: Actor) -> bool {
    if !state.stage.is_open() {
        return false;
    }
    match actor {
        Actor::Enterprise => false,
        Actor::User { role: Role::Manager | Role::Admin, .. } => true,
        Actor::User { role: Role::Department, department: Some(d), .. } => state.department == Some(d) || state.tasks.contains(&d),
        Actor::User { role: Role::Department, department: None, .. } => false,
        Actor::User { role: Role::Worker, holds_grid, .. } => holds_grid,
    }
}

/// Whether `actor` may do `kind` to a case in `state` (the stage already allows it).
fn permitted(state: &CaseState, actor: Actor, kind: ActionKind) -> Result<(), TransitionError> {
    use ActionKind::*;
    let (role, holds_grid, department) = match actor {
        Actor::Enterprise => {
            return if kind == Rate { Ok(()) } else { Err(TransitionError::NotPermitted { who: "the enterprise", action: kind }) };
        }
        Actor::User { role, holds_grid, department, .. } => (role, holds_grid, department),
    };
    let center = matches!(role, Role::Manager | Role::Admin);
    // The department the case is with, acting on it.
    let its_department = role == Role::Department && department.is_some() && department == state.department;
    let ok = match kind {
        // At first contact: the center, or the worker who heard it in their grid.
        SolveAtOnce => center || (role == Role::Worker && holds_grid),
        Accept | AnswerNotOurs | Dispatch | AddTask | DecideExtension | PutOnLedger | Reopen | Supervise => center,
        // A department with an open sub-task.
        FinishTask => role == Role::Department && department.is_some_and(|d| state.open_tasks.contains(&d)),
        // The enterprise's plan, recorded at the center or by the grid's worker.
        SubmitPlan => center || (role == Role::Worker && holds_grid),
        // A finding's rectification is reported by its handler or by the grid's worker, who
        // saw it at a re-inspection.
        Reply if state.finding.is_some() && role == Role::Worker && holds_grid => true,
        Take | Return => its_department,
        // Whoever handles it: its department, or the center for a case it keeps.
        RequestMaterial | MaterialArrived | Reply | AskExtension => {
            if state.department.is_some() {
                its_department
            } else {
                center
            }
        }
        // The worker of the grid checks with the enterprise, or the center.
        Verify => center || (role == Role::Worker && holds_grid),
        // On the enterprise's behalf, at the next visit.
        Rate => role == Role::Worker && holds_grid,
    };
    if ok { Ok(()) } else { Err(TransitionError::NotPermitted { who: role.as_str(), action: kind }) }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANAGER: Actor = Actor::User { id: 1, role: Role::Manager, holds_grid: false, department: None };
    const OTHER_MANAGER: Actor = Actor::User { id: 6, role: Role::Manager, holds_grid: false, department: None };
    const WORKER: Actor = Actor::User { id: 2, role: Role::Worker, holds_grid: true, department: None };
    const OTHER_WORKER: Actor = Actor::User { id: 3, role: Role::Worker, holds_grid: false, department: None };
    const SAFETY: Actor = Actor::User { id: 4, role: Role::Department, holds_grid: false, department: Some(10) };
    const TAX: Actor = Actor::User { id: 5, role: Role::Department, holds_grid: false, department: Some(11) };

    fn s(t: &str) -> String {
        t.to_owned()
    }

    fn plan() -> RectificationPlan {
        RectificationPlan {
            measures: s("更换老化电缆，增设漏电保护"),
            responsible: s("张厂长"),
            funds_yuan: 50_000,
            deadline: chrono::NaiveDate::from_ymd_opt(2026, 12, 31).expect("a date"),
            interim: s("停用二号车间，设警戒线"),
        }
    }

    fn finding(major: bool) -> CaseState {
        CaseState { finding: Some(FindingFacts { major, ..FindingFacts::default() }), ..CaseState::registered() }
    }

    /// One example of every action, with good input.
    fn examples() -> Vec<Action> {
        vec![
            Action::SolveAtOnce { reply: s("已现场解答") },
            Action::Accept { mode: Mode::Escalated },
            Action::SubmitPlan { plan: plan() },
            Action::AnswerNotOurs { reply: s("属税务事项，请联系税务局") },
            Action::Dispatch { department: 10 },
            Action::AddTask { department: 11 },
            Action::FinishTask { reply: s("已办结营业执照变更") },
            Action::Take,
            Action::Return { reason: s("不属本部门") },
            Action::RequestMaterial { missing: s("营业执照复印件") },
            Action::MaterialArrived,
            Action::Reply { reply: s("已处理") },
            Action::Verify { solved: true, note: s("") },
            Action::AskExtension { days: 3, reason: s("需现场复核") },
            Action::DecideExtension { grant: true },
            Action::PutOnLedger { explanation: s("需规划调整") },
            Action::Reopen { reason: s("企业不满意") },
            Action::Supervise { note: s("请尽快办理") },
            Action::Rate { satisfaction: Satisfaction::Satisfied, solved: true, comment: s("") },
        ]
    }

    fn in_stage(stage: Stage) -> CaseState {
        CaseState {
            stage,
            mode: Some(Mode::Escalated),
            department: Some(10),
            pending_extension: Some(2),
            replied_by: Some(4),
            tasks: vec![10],
            open_tasks: vec![10],
            ..CaseState::registered()
        }
    }

    #[test]
    fn every_action_outside_its_stages_is_refused_naming_the_stage_and_what_is_allowed() {
        assert_eq!(examples().len(), ActionKind::ALL.len(), "an example of every action");
        for stage in Stage::ALL {
            for action in examples() {
                let kind = action.kind();
                if allowed_in(stage).contains(&kind) {
                    continue;
                }
                for actor in [MANAGER, WORKER, SAFETY, Actor::Enterprise] {
                    match transition(&in_stage(stage), actor, &action) {
                        Err(TransitionError::NotInStage { stage: st, action: a, allowed }) => {
                            assert_eq!((st, a, allowed), (stage, kind, allowed_for(&in_stage(stage))));
                        }
                        other => panic!("{} in {}: {other:?}", kind.as_str(), stage.as_str()),
                    }
                }
            }
        }
        let e = transition(&CaseState::registered(), MANAGER, &Action::Take).expect_err("refused");
        assert_eq!(e.to_string(), "a case in stage registered cannot take; it allows: solve_at_once, accept, answer_not_ours, supervise");
    }

    #[test]
    fn every_action_a_stage_allows_is_done_by_someone_and_refused_to_someone() {
        // For each stage and allowed action, at least one actor may and at least one may not.
        for stage in Stage::ALL {
            let state = in_stage(stage);
            for action in examples().into_iter().filter(|a| allowed_in(stage).contains(&a.kind())) {
                let results: Vec<_> = [MANAGER, OTHER_MANAGER, WORKER, OTHER_WORKER, SAFETY, TAX, Actor::Enterprise]
                    .into_iter()
                    .map(|actor| transition(&state, actor, &action))
                    .collect();
                let done = results.iter().filter(|r| !matches!(r, Err(TransitionError::NotPermitted { .. }))).count();
                let refused = results.iter().filter(|r| matches!(r, Err(TransitionError::NotPermitted { .. }))).count();
                assert!(done > 0 && refused > 0, "{} in {}: {done} may, {refused} may not", action.kind().as_str(), stage.as_str());
            }
        }
    }

    #[test]
    fn an_escalated_demand_goes_through_every_stage_to_closed_and_rated() {
        let mut c = CaseState::registered();
        let steps: [(Actor, Action, Stage); 6] = [
            (MANAGER, Action::Accept { mode: Mode::Escalated }, Stage::Accepted),
            (MANAGER, Action::Dispatch { department: 10 }, Stage::Dispatched),
            (SAFETY, Action::Take, Stage::InProgress),
            (SAFETY, Action::Reply { reply: s("已整改") }, Stage::Verifying),
            (WORKER, Action::Verify { solved: true, note: s("") }, Stage::Closed),
            (Actor::Enterprise, Action::Rate { satisfaction: Satisfaction::Satisfied, solved: true, comment: s("很好") }, Stage::Closed),
        ];
        for (actor, action, stage) in steps {
            let e = transition(&c, actor, &action).unwrap_or_else(|e| panic!("{}: {e}", action.kind().as_str()));
            assert_eq!(e.state.stage, stage, "after {}", action.kind().as_str());
            c = e.state;
        }
        assert_eq!(c.rating, Some(Satisfaction::Satisfied));
    }

    #[test]
    fn only_the_department_it_was_sent_to_takes_or_returns_it_and_a_return_goes_back_to_the_center() {
        let c = CaseState { stage: Stage::Dispatched, mode: Some(Mode::Escalated), department: Some(10), ..CaseState::registered() };
        assert!(matches!(transition(&c, TAX, &Action::Take), Err(TransitionError::NotPermitted { .. })));
        assert!(matches!(transition(&c, MANAGER, &Action::Take), Err(TransitionError::NotPermitted { .. })));
        assert_eq!(transition(&c, SAFETY, &Action::Return { reason: s("  ") }), Err(TransitionError::Invalid(Why::TextNeeded)));
        let e = transition(&c, SAFETY, &Action::Return { reason: s("不属本部门") }).expect("returned");
        assert_eq!((e.state.stage, e.state.department, e.flag_manager), (Stage::Accepted, None, true));
        // …and the center sends it again, elsewhere.
        let e = transition(&e.state, MANAGER, &Action::Dispatch { department: 11 }).expect("re-dispatched");
        assert_eq!((e.state.stage, e.state.department), (Stage::Dispatched, Some(11)));
    }

    #[test]
    fn missing_material_stops_the_clock_and_its_arrival_returns_the_case_to_its_handler() {
        let c = CaseState { stage: Stage::InProgress, mode: Some(Mode::Escalated), department: Some(10), ..CaseState::registered() };
        let e = transition(&c, SAFETY, &Action::RequestMaterial { missing: s("安全评估报告") }).expect("asked");
        assert!(e.pause_clock && !e.state.stage.clock_runs());
        assert!(matches!(transition(&e.state, TAX, &Action::MaterialArrived), Err(TransitionError::NotPermitted { .. })));
        let e = transition(&e.state, SAFETY, &Action::MaterialArrived).expect("arrived");
        assert!(e.resume_clock);
        assert_eq!(e.state.stage, Stage::InProgress);
    }

    #[test]
    fn the_one_who_answered_does_not_verify_and_a_failed_verification_goes_back_for_rework() {
        let c = CaseState { stage: Stage::InProgress, mode: Some(Mode::Promised), ..CaseState::registered() };
        let e = transition(&c, MANAGER, &Action::Reply { reply: s("已协调") }).expect("answered");
        assert_eq!(e.state.replied_by, Some(1));
        assert!(matches!(transition(&e.state, MANAGER, &Action::Verify { solved: true, note: s("") }), Err(TransitionError::Invalid(_))));
        assert!(matches!(transition(&e.state, OTHER_WORKER, &Action::Verify { solved: true, note: s("") }), Err(TransitionError::NotPermitted { .. })));
        assert!(matches!(transition(&e.state, WORKER, &Action::Verify { solved: false, note: s("") }), Err(TransitionError::Invalid(_))));
        let back = transition(&e.state, WORKER, &Action::Verify { solved: false, note: s("企业称仍未解决") }).expect("rework");
        assert_eq!(back.state.stage, Stage::Accepted, "返工: back to the center that handles it");
        let done = transition(&e.state, OTHER_MANAGER, &Action::Verify { solved: true, note: s("") }).expect("verified");
        assert_eq!(done.state.stage, Stage::Closed);
    }

    #[test]
    fn an_extension_is_asked_before_the_deadline_once_and_granted_by_the_center() {
        let c = CaseState { stage: Stage::InProgress, mode: Some(Mode::Escalated), department: Some(10), ..CaseState::registered() };
        let late = CaseState { overdue: true, ..c.clone() };
        assert_eq!(transition(&late, SAFETY, &Action::AskExtension { days: 3, reason: s("x") }), Err(TransitionError::Invalid(Why::ExtensionAfterDeadline)));
        assert!(matches!(transition(&c, SAFETY, &Action::AskExtension { days: 31, reason: s("x") }), Err(TransitionError::Invalid(_))));
        let asked = transition(&c, SAFETY, &Action::AskExtension { days: 3, reason: s("需复核") }).expect("asked");
        assert_eq!(asked.state.pending_extension, Some(3));
        assert!(matches!(transition(&asked.state, SAFETY, &Action::AskExtension { days: 2, reason: s("x") }), Err(TransitionError::Invalid(_))));
        assert!(matches!(transition(&asked.state, SAFETY, &Action::DecideExtension { grant: true }), Err(TransitionError::NotPermitted { .. })));
        let granted = transition(&asked.state, MANAGER, &Action::DecideExtension { grant: true }).expect("granted");
        assert_eq!((granted.extend_by, granted.state.pending_extension), (Some(3), None));
        let refused = transition(&asked.state, MANAGER, &Action::DecideExtension { grant: false }).expect("refused");
        assert_eq!(refused.extend_by, None);
        assert!(matches!(transition(&c, MANAGER, &Action::DecideExtension { grant: true }), Err(TransitionError::Invalid(_))));
    }

    #[test]
    fn first_contact_closes_a_case_at_once_or_answers_that_it_is_not_ours() {
        let c = CaseState::registered();
        let e = transition(&c, WORKER, &Action::SolveAtOnce { reply: s("现场讲解政策") }).expect("solved");
        assert_eq!((e.state.stage, e.state.mode), (Stage::Closed, Some(Mode::Immediate)));
        assert!(matches!(transition(&c, OTHER_WORKER, &Action::SolveAtOnce { reply: s("x") }), Err(TransitionError::NotPermitted { .. })));
        let e = transition(&c, MANAGER, &Action::AnswerNotOurs { reply: s("请联系市场监管局") }).expect("answered");
        assert_eq!((e.state.stage, e.state.mode), (Stage::Closed, Some(Mode::NotOurs)));
        assert!(matches!(transition(&c, MANAGER, &Action::Accept { mode: Mode::Immediate }), Err(TransitionError::Invalid(_))));
        let promised = transition(&c, MANAGER, &Action::Accept { mode: Mode::Promised }).expect("promised");
        assert!(promised.start_clock);
        assert!(
            matches!(transition(&promised.state, MANAGER, &Action::Dispatch { department: 10 }), Err(TransitionError::Invalid(_))),
            "a promised case stays with the center"
        );
    }

    #[test]
    fn an_unsatisfied_rating_flags_the_manager_who_may_reopen_and_the_ledger_keeps_what_waits() {
        let closed = CaseState { stage: Stage::Closed, mode: Some(Mode::Escalated), department: Some(10), ..CaseState::registered() };
        let e = transition(&closed, Actor::Enterprise, &Action::Rate { satisfaction: Satisfaction::Unsatisfied, solved: false, comment: s("没解决") })
            .expect("rated");
        assert!(e.flag_manager);
        assert!(
            !transition(&closed, Actor::Enterprise, &Action::Rate { satisfaction: Satisfaction::Acceptable, solved: true, comment: s("") })
                .expect("rated")
                .flag_manager
        );
        assert!(matches!(transition(&closed, Actor::Enterprise, &Action::Reopen { reason: s("x") }), Err(TransitionError::NotPermitted { .. })));
        let again = transition(&e.state, MANAGER, &Action::Reopen { reason: s("企业不满意") }).expect("reopened");
        assert_eq!((again.state.stage, again.state.department, again.start_clock), (Stage::Accepted, None, true));
        let ledger = CaseState { stage: Stage::InProgress, mode: Some(Mode::Promised), ..CaseState::registered() };
        assert!(matches!(transition(&ledger, MANAGER, &Action::PutOnLedger { explanation: s("") }), Err(TransitionError::Invalid(_))));
        let on = transition(&ledger, MANAGER, &Action::PutOnLedger { explanation: s("待规划调整后解决") }).expect("on the ledger");
        assert!(!on.state.stage.is_open());
    }

    #[test]
    fn a_major_hazard_is_taken_on_only_with_its_plan_which_sends_it_to_the_safety_department_due_on_its_deadline() {
        let major = finding(true);
        assert_eq!(transition(&major, MANAGER, &Action::Accept { mode: Mode::Escalated }), Err(TransitionError::Invalid(Why::PlanNeeded)));
        assert_eq!(transition(&major, MANAGER, &Action::SolveAtOnce { reply: s("已整改") }), Err(TransitionError::Invalid(Why::FindingClosesByVerification)));
        let blank = RectificationPlan { interim: s(" "), ..plan() };
        assert_eq!(transition(&major, WORKER, &Action::SubmitPlan { plan: blank }), Err(TransitionError::Invalid(Why::TextNeeded)));
        assert!(matches!(transition(&major, OTHER_WORKER, &Action::SubmitPlan { plan: plan() }), Err(TransitionError::NotPermitted { .. })));
        let e = transition(&major, WORKER, &Action::SubmitPlan { plan: plan() }).expect("plan recorded");
        assert_eq!((e.state.stage, e.state.mode, e.to_safety_department, e.due_on), (Stage::Dispatched, Some(Mode::Escalated), true, Some(plan().deadline)));
        assert!(e.state.finding.is_some_and(|f| f.plan));
        // A demand or a general hazard has no plan.
        assert_eq!(transition(&finding(false), MANAGER, &Action::SubmitPlan { plan: plan() }), Err(TransitionError::Invalid(Why::PlanOnlyForMajorHazard)));
        assert_eq!(
            transition(&CaseState::registered(), MANAGER, &Action::SubmitPlan { plan: plan() }),
            Err(TransitionError::Invalid(Why::PlanOnlyForMajorHazard))
        );
    }

    #[test]
    fn a_rectification_is_closed_by_someone_other_than_who_reported_it_with_an_after_photo_and_not_fixed_reopens_it() {
        let rectifying = CaseState { stage: Stage::InProgress, mode: Some(Mode::Promised), ..finding(false) };
        // The grid's worker reports the fix (a re-inspection), not another worker.
        assert!(matches!(transition(&rectifying, OTHER_WORKER, &Action::Reply { reply: s("已整改") }), Err(TransitionError::NotPermitted { .. })));
        let reported = transition(&rectifying, WORKER, &Action::Reply { reply: s("已整改") }).expect("reported").state;
        assert_eq!((reported.stage, reported.replied_by), (Stage::Verifying, Some(2)));
        let with_photo = CaseState { finding: Some(FindingFacts { after_photo: true, ..FindingFacts::default() }), ..reported.clone() };
        assert_eq!(transition(&with_photo, WORKER, &Action::Verify { solved: true, note: s("") }), Err(TransitionError::Invalid(Why::VerifierIsNotAnswerer)));
        assert_eq!(transition(&reported, MANAGER, &Action::Verify { solved: true, note: s("") }), Err(TransitionError::Invalid(Why::AfterPhotoNeeded)));
        assert_eq!(transition(&with_photo, MANAGER, &Action::Verify { solved: true, note: s("") }).expect("closed").state.stage, Stage::Closed);
        // "Not fixed" needs no photo and sends it back to rectification, not to the center's desk.
        let back = transition(&reported, MANAGER, &Action::Verify { solved: false, note: s("电缆仍裸露") }).expect("reopened");
        assert_eq!(back.state.stage, Stage::InProgress);
    }

    #[test]
    fn a_proxy_case_is_answered_when_every_department_s_sub_task_is_done_and_rework_reopens_them_all() {
        let accepted = transition(&CaseState::registered(), MANAGER, &Action::Accept { mode: Mode::Proxy }).expect("全程代理").state;
        assert!(matches!(transition(&accepted, SAFETY, &Action::AddTask { department: 10 }), Err(TransitionError::NotPermitted { .. })));
        let one = transition(&accepted, MANAGER, &Action::AddTask { department: 10 }).expect("safety's task").state;
        let both = transition(&one, MANAGER, &Action::AddTask { department: 11 }).expect("tax's task").state;
        assert_eq!(transition(&both, MANAGER, &Action::AddTask { department: 11 }), Err(TransitionError::Invalid(Why::TaskExists)));
        assert_eq!(transition(&both, MANAGER, &Action::Reply { reply: s("x") }), Err(TransitionError::Invalid(Why::ProxyAnsweredByTasks)));
        assert!(!allowed_for(&both).contains(&ActionKind::Take), "no department takes a proxy case whole");
        assert!(!allowed_for(&both).contains(&ActionKind::Reply), "answered by its sub-tasks");
        let safety_done = transition(&both, SAFETY, &Action::FinishTask { reply: s("安全评价已备案") }).expect("safety done").state;
        assert_eq!((safety_done.stage, safety_done.open_tasks.clone()), (Stage::InProgress, vec![11]));
        assert!(matches!(transition(&safety_done, SAFETY, &Action::FinishTask { reply: s("x") }), Err(TransitionError::NotPermitted { .. })));
        let all_done = transition(&safety_done, TAX, &Action::FinishTask { reply: s("税务登记已变更") }).expect("tax done").state;
        assert_eq!(all_done.stage, Stage::Verifying);
        let rework = transition(&all_done, WORKER, &Action::Verify { solved: false, note: s("企业称税务还未变更") }).expect("rework").state;
        assert_eq!((rework.stage, rework.open_tasks), (Stage::InProgress, vec![10, 11]));
        // A demand handled otherwise has no sub-tasks.
        let promised = transition(&CaseState::registered(), MANAGER, &Action::Accept { mode: Mode::Promised }).expect("promised").state;
        assert_eq!(transition(&promised, MANAGER, &Action::AddTask { department: 10 }), Err(TransitionError::Invalid(Why::OnlyProxyHasTasks)));
    }

    #[test]
    fn files_are_attached_by_whoever_handles_an_open_case_and_by_nobody_once_it_is_done() {
        let with_safety = CaseState { stage: Stage::InProgress, mode: Some(Mode::Escalated), department: Some(10), ..CaseState::registered() };
        assert!(may_attach(&with_safety, SAFETY) && may_attach(&with_safety, MANAGER) && may_attach(&with_safety, WORKER));
        assert!(!may_attach(&with_safety, TAX) && !may_attach(&with_safety, OTHER_WORKER) && !may_attach(&with_safety, Actor::Enterprise));
        let proxy = CaseState { stage: Stage::InProgress, mode: Some(Mode::Proxy), tasks: vec![11], open_tasks: vec![11], ..CaseState::registered() };
        assert!(may_attach(&proxy, TAX) && !may_attach(&proxy, SAFETY));
        let closed = CaseState { stage: Stage::Closed, ..with_safety };
        assert!(!may_attach(&closed, MANAGER));
    }
}
