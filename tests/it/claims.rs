//! Mutual-aid claims (互助保障) through the real binary: each rule of the catalog with
//! hand-computed cases, every status and checklist step, and that a refusal writes nothing.

use crate::support::fixture::TestDb;
use serde_json::Value;

/// A woman (second-to-last digit even).
const ID_MEMBER: &str = "620102199708155206";
/// A man.
const ID_OTHER: &str = "120111200007156699";

fn output(cmd: &mut assert_cmd::Command) -> std::process::Output {
    cmd.output().expect("run jingong")
}

fn run_ok(cmd: &mut assert_cmd::Command) -> (String, String) {
    let out = output(cmd);
    assert!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8(out.stdout).expect("utf-8"),
        String::from_utf8(out.stderr).expect("utf-8"),
    )
}

/// (exit code, stderr) of a command that must be refused.
fn refused(cmd: &mut assert_cmd::Command) -> (i32, String) {
    let out = output(cmd);
    assert!(!out.status.success(), "should be refused");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stderr).expect("utf-8"),
    )
}

/// A database with a card-holding member protected 2025-07-01 to 2026-06-30 (the period is
/// typed with her first claim, so it is set on the first `claim add` that passes).
fn with_member() -> TestDb {
    let t = TestDb::with_officer();
    run_ok(t.cmd().args([
        "worker",
        "add",
        "--name",
        "毛洋",
        "--id-number",
        ID_MEMBER,
        "--phone",
        "13800138000",
        "--membership",
        "member",
        "--card-no",
        "6217000012345678",
    ]));
    t
}

const PERIOD: [&str; 4] = [
    "--protection-start",
    "2025-07-01",
    "--protection-end",
    "2026-06-30",
];

fn claim_add(t: &TestDb, args: &[&str]) -> std::process::Output {
    output(
        t.cmd()
            .args(["claim", "add", "--worker", ID_MEMBER])
            .args(PERIOD)
            .args(args),
    )
}

fn claims(t: &TestDb) -> Vec<Value> {
    let (out, _) = run_ok(t.cmd().args(["claim", "list", "--json"]));
    serde_json::from_str::<Value>(&out)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn show(t: &TestDb, uid: &str) -> Value {
    let (out, _) = run_ok(t.cmd().args(["claim", "show", uid, "--json"]));
    serde_json::from_str(&out).unwrap()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn uid_of(out: &std::process::Output) -> String {
    assert!(out.status.success(), "failed: {}", stderr(out));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn a_death_on_day_180_after_the_accident_is_accepted_and_day_181_refused() {
    let t = with_member();
    // 2026-01-01 + 180 days = 2026-06-30 (31 + 28 + 31 + 30 + 31 + 29).
    let late = claim_add(
        &t,
        &[
            "--type",
            "accidental_death",
            "--accident-on",
            "2026-01-01",
            "--died-on",
            "2026-07-01",
        ],
    );
    assert_eq!(late.status.code(), Some(2));
    assert!(
        stderr(&late).contains("身故日期：须在事故后 180 天内，实为第 181 天"),
        "{}",
        stderr(&late)
    );
    assert!(claims(&t).is_empty(), "a refusal writes nothing");
    let ok = claim_add(
        &t,
        &[
            "--type",
            "accidental_death",
            "--accident-on",
            "2026-01-01",
            "--died-on",
            "2026-06-30",
        ],
    );
    let uid = uid_of(&ok);
    let claim = show(&t, &uid);
    assert_eq!(claim["amount_fen"], 2_000_000, "the fixed sum by default");
    assert_eq!(claim["status"], "collecting");
}

#[test]
fn the_amount_reaches_the_maximum_and_not_a_fen_more() {
    let t = with_member();
    let fire = |amount: &str| {
        claim_add(
            &t,
            &[
                "--type",
                "household_fire",
                "--fire-on",
                "2026-02-14",
                "--amount",
                amount,
            ],
        )
    };
    let above = fire("10000.01");
    assert_eq!(above.status.code(), Some(2));
    assert!(stderr(&above).contains("申请金额：此类型最高 10000.00 元，不能超过"));
    let (_, en) = refused(
        t.cmd()
            .args(["--lang", "en", "claim", "add", "--worker", ID_MEMBER])
            .args(PERIOD)
            .args(["--type", "household_fire", "--fire-on", "2026-02-14"])
            .args(["--amount", "10000.01"]),
    );
    assert!(
        en.contains("amount claimed: this type pays at most 10000.00 yuan"),
        "{en}"
    );
    let uid = uid_of(&fire("10000"));
    assert_eq!(show(&t, &uid)["amount_fen"], 1_000_000);
}

#[test]
fn a_non_member_and_a_member_without_a_card_are_refused() {
    let t = TestDb::with_officer();
    t.add_worker("张伟", ID_OTHER, "13900139000");
    let (code, zh) = refused(t.cmd().args([
        "claim",
        "add",
        "--worker",
        ID_OTHER,
        "--type",
        "critical_illness",
        "--diagnosed-on",
        "2026-03-01",
    ]));
    assert_eq!(code, 2);
    assert!(zh.contains("会员状态：互助保障仅限工会会员申请"), "{zh}");
    run_ok(
        t.cmd()
            .args(["worker", "edit", ID_OTHER, "--membership", "member"]),
    );
    let (_, en) = refused(t.cmd().args([
        "--lang",
        "en",
        "claim",
        "add",
        "--worker",
        ID_OTHER,
        "--type",
        "critical_illness",
        "--diagnosed-on",
        "2026-03-01",
    ]));
    assert!(
        en.contains("member card number: a mutual-aid claim needs the member's service card"),
        "{en}"
    );
    assert!(claims(&t).is_empty());
}

#[test]
fn a_diagnosis_outside_the_protection_period_is_refused_and_the_period_is_kept() {
    let t = with_member();
    let (_, none) = refused(t.cmd().args([
        "claim",
        "add",
        "--worker",
        ID_MEMBER,
        "--type",
        "critical_illness",
        "--diagnosed-on",
        "2026-03-01",
    ]));
    assert!(none.contains("保障期起始：此类型须在保障期内"), "{none}");
    let outside = claim_add(
        &t,
        &["--type", "critical_illness", "--diagnosed-on", "2026-07-01"],
    );
    assert!(
        stderr(&outside).contains("确诊日期：不在会员保障期内（2025-07-01 至 2026-06-30）"),
        "{}",
        stderr(&outside)
    );
    // Nothing was written by the refusals: the member still has no period.
    let store = t.store();
    let worker = store.resolve_worker(ID_MEMBER).unwrap();
    assert_eq!(store.claim_member(&worker.uid).unwrap().protection, None);
    assert_eq!(worker.version, 1);
    uid_of(&claim_add(
        &t,
        &["--type", "critical_illness", "--diagnosed-on", "2026-06-30"],
    ));
    let store = t.store();
    let member = store.claim_member(&worker.uid).unwrap();
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    assert_eq!(
        member.protection,
        Some((day("2025-07-01"), day("2026-06-30")))
    );
    assert_eq!(store.resolve_worker(ID_MEMBER).unwrap().version, 2);
    // The recorded period is used when none is typed.
    let again = output(t.cmd().args([
        "claim",
        "add",
        "--worker",
        ID_MEMBER,
        "--type",
        "recovery_condolence",
        "--diagnosed-on",
        "2026-05-01",
        "--amount",
        "2000",
    ]));
    uid_of(&again);
}

#[test]
fn a_second_claim_of_the_same_type_is_saved_with_a_warning() {
    let t = with_member();
    let args = ["--type", "critical_illness", "--diagnosed-on", "2026-03-01"];
    let first = claim_add(&t, &args);
    uid_of(&first);
    assert!(!stderr(&first).contains("提醒"));
    let second = claim_add(&t, &args);
    uid_of(&second);
    assert!(
        stderr(&second).contains("提醒：该会员已有 1 笔「重大疾病首次确诊」申请"),
        "{}",
        stderr(&second)
    );
    assert_eq!(claims(&t).len(), 2);
}

fn update(t: &TestDb, uid: &str, args: &[&str]) -> std::process::Output {
    output(t.cmd().args(["claim", "update", uid]).args(args))
}

#[test]
fn a_claim_goes_through_every_step_and_refuses_a_step_out_of_order() {
    let t = with_member();
    let uid = uid_of(&claim_add(
        &t,
        &[
            "--type",
            "critical_illness",
            "--diagnosed-on",
            "2026-03-01",
            "--docs",
            "diagnosis",
        ],
    ));
    assert_eq!(
        show(&t, &uid)["missing_documents"],
        serde_json::json!(["id_card", "member_card", "bank_card"])
    );
    let early = update(&t, &uid, &["--status", "submitted"]);
    assert_eq!(early.status.code(), Some(2));
    assert!(
        stderr(&early)
            .contains("材料清单：提交前须收齐材料，还缺：身份证复印件、会员服务卡、银行卡"),
        "{}",
        stderr(&early)
    );
    assert_eq!(
        show(&t, &uid)["version"],
        1,
        "a refused step writes nothing"
    );
    let skip = update(&t, &uid, &["--status", "approved"]);
    assert!(stderr(&skip).contains("申请状态：不能从「材料收集中」改为「已审核」"));
    uid_of(&update(
        &t,
        &uid,
        &["--docs", "diagnosis,id_card,member_card,bank_card"],
    ));
    let (text, _) = run_ok(t.cmd().args(["claim", "show", &uid]));
    assert!(text.contains("[x] 银行卡"), "{text}");
    uid_of(&update(&t, &uid, &["--status", "submitted"]));
    let untick = update(&t, &uid, &["--docs", "diagnosis"]);
    assert_eq!(
        untick.status.code(),
        Some(2),
        "the checklist stays complete once submitted"
    );
    uid_of(&update(&t, &uid, &["--status", "approved"]));
    let unpaid = update(&t, &uid, &["--status", "paid"]);
    assert!(
        stderr(&unpaid).contains("发放金额：必填"),
        "{}",
        stderr(&unpaid)
    );
    let too_much = update(
        &t,
        &uid,
        &[
            "--status",
            "paid",
            "--paid",
            "10000.01",
            "--paid-on",
            "2026-11-20",
        ],
    );
    assert!(stderr(&too_much).contains("发放金额：不能超过申请金额"));
    let paid = uid_of(&update(
        &t,
        &uid,
        &[
            "--status",
            "paid",
            "--paid",
            "10000",
            "--paid-on",
            "2026-11-20",
        ],
    ));
    assert_eq!(paid, format!("{uid} v5"));
    let claim = show(&t, &uid);
    assert_eq!(claim["status"], "paid");
    assert_eq!(claim["paid_fen"], 1_000_000);
    assert_eq!(claim["paid_on"], "2026-11-20");
    let (_, en) = refused(t.cmd().args([
        "--lang", "en", "claim", "update", &uid, "--status", "rejected",
    ]));
    assert!(
        en.contains("claim status: cannot move from 'paid' to 'rejected'"),
        "{en}"
    );
}

#[test]
fn a_rejection_needs_its_reason_and_a_rejected_claim_does_not_count_as_a_duplicate() {
    let t = with_member();
    let uid = uid_of(&claim_add(
        &t,
        &[
            "--type",
            "household_fire",
            "--fire-on",
            "2026-02-14",
            "--amount",
            "5000",
            "--docs",
            "fire_certificate,id_card,member_card,bank_card",
        ],
    ));
    uid_of(&update(&t, &uid, &["--status", "submitted"]));
    let bare = update(&t, &uid, &["--status", "rejected"]);
    assert!(
        stderr(&bare).contains("未通过原因：必填"),
        "{}",
        stderr(&bare)
    );
    uid_of(&update(
        &t,
        &uid,
        &["--status", "rejected", "--reason", "损失未达标准"],
    ));
    let claim = show(&t, &uid);
    assert_eq!(claim["status"], "rejected");
    assert_eq!(claim["reason"], "损失未达标准");
    let paid_on_rejected = update(&t, &uid, &["--paid", "100"]);
    assert!(stderr(&paid_on_rejected).contains("只有状态为「已发放」时才填发放金额和日期"));
    let again = claim_add(
        &t,
        &[
            "--type",
            "household_fire",
            "--fire-on",
            "2026-02-14",
            "--amount",
            "3000",
        ],
    );
    uid_of(&again);
    assert!(!stderr(&again).contains("提醒"), "{}", stderr(&again));
}

#[test]
fn women_workers_health_aid_refuses_a_man() {
    let t = TestDb::with_officer();
    run_ok(t.cmd().args([
        "worker",
        "add",
        "--name",
        "张伟",
        "--id-number",
        ID_OTHER,
        "--phone",
        "13900139000",
        "--membership",
        "member",
        "--card-no",
        "6217000099990000",
    ]));
    let (_, zh) = refused(
        t.cmd()
            .args([
                "claim",
                "add",
                "--worker",
                ID_OTHER,
                "--type",
                "women_health",
            ])
            .args(["--diagnosed-on", "2026-03-01", "--amount", "12000"])
            .args(PERIOD),
    );
    assert!(zh.contains("互助保障类型：此类型仅限女会员申请"), "{zh}");
}

#[test]
fn the_list_masks_id_numbers_unless_revealed() {
    let t = with_member();
    uid_of(&claim_add(
        &t,
        &["--type", "critical_illness", "--diagnosed-on", "2026-03-01"],
    ));
    let (text, _) = run_ok(t.cmd().args(["claim", "list"]));
    assert!(
        !text.contains(ID_MEMBER) && text.contains("重大疾病首次确诊"),
        "{text}"
    );
    let (text, _) = run_ok(
        t.cmd()
            .args(["claim", "list", "--reveal", "--status", "collecting"]),
    );
    assert!(text.contains(ID_MEMBER), "{text}");
    let (text, _) = run_ok(t.cmd().args(["claim", "list", "--status", "paid"]));
    assert!(text.trim().is_empty(), "{text}");
}

#[test]
fn erasing_the_member_blanks_and_withdraws_their_claims_and_needs() {
    let t = with_member();
    let claim = uid_of(&claim_add(
        &t,
        &[
            "--type",
            "critical_illness",
            "--diagnosed-on",
            "2026-03-01",
            "--note",
            "肝癌晚期",
        ],
    ));
    run_ok(t.cmd().args([
        "need",
        "add",
        "--worker",
        ID_MEMBER,
        "--kind",
        "health",
        "--note",
        "住院中",
    ]));
    run_ok(
        t.cmd()
            .args(["worker", "erase", ID_MEMBER, "--reason", "request", "--yes"]),
    );
    assert!(claims(&t).is_empty());
    let (needs, _) = run_ok(t.cmd().args(["need", "list", "--json"]));
    assert_eq!(needs.trim(), "[]");
    let store = t.store();
    let (note, diagnosed, deleted, version): (String, Option<String>, bool, i64) = jingong::testing::connection(&store)
        .query_row(
            "SELECT note, diagnosed_on, deleted_at IS NOT NULL, version FROM claim WHERE uid = ?1",
            [&claim],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(
        (note.as_str(), diagnosed, deleted, version),
        ("", None, true, 2)
    );
    let need_note: String = jingong::testing::connection(&store)
        .query_row("SELECT note FROM need", [], |r| r.get(0))
        .unwrap();
    assert_eq!(need_note, "");
}
