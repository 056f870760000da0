//! Deterministic synthetic data for demos, tests and benchmarks: realistic names (Han and
//! minority), valid ID numbers, phones, employers, events and services of every kind.

use crate::domain::idcard::check_digit;
use crate::domain::refdata::{self, KindForm};
use crate::domain::{HealthCheck, LegalAid, Membership, ServiceInput, WorkerInput};
use crate::store::bulk;
use crate::store::services::insert_service;
use crate::store::workers::{audit, insert_unique_worker, insert_worker};
use crate::store::{Result, Store};
use chrono::{Duration, NaiveDate};
use rusqlite::Transaction;
use std::collections::HashSet;

mod aid;

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
    "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏",
    "韦", "付", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛", "闫", "段", "雷", "侯",
    "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵", "万", "钱", "严", "覃", "武", "戴",
    "莫", "孔", "向", "汤", "单", "解", "仇", "查", "朴", "翟", "欧阳", "司马", "上官", "诸葛",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "英", "华", "建", "国", "志", "文", "红", "玉", "海", "林",
    "春", "飞", "鹏", "辉", "宇", "浩", "俊", "峰", "波", "斌", "亮", "凤", "兰", "梅", "琴", "云",
    "金", "东", "晓", "丹", "宏", "德", "福", "长", "永", "新", "中", "学", "生", "庆", "荣", "成",
    "盛", "兵", "利", "燕", "莉", "雪", "萍", "红", "彬", "旭", "雷", "龙", "江", "山", "水", "田",
];
const MINORITY_NAMES: &[&str] = &[
    "买买提·艾力",
    "阿依古丽·买买提",
    "热依拉·艾山",
    "艾尔肯·吐尔逊",
    "古丽娜·阿不都",
    "扎西·多吉",
    "努尔兰·沙肯",
    "迪丽拜尔·吾守尔",
];
const REGIONS: &[&str] = &[
    "120101", "120102", "120103", "120104", "120105", "120106", "120110", "120111", "120112",
    "120113", "120114", "120115", "120116", "120117", "120118", "120119", "130102", "130603",
    "130902", "131002", "140105", "150102", "210102", "220102", "230102", "320102", "340102",
    "341202", "360102", "370102", "371302", "410102", "410303", "411302", "420102", "430102",
    "500101", "510104", "511302", "520102", "610102", "620102", "650102", "370882", "412726",
];
const EMPLOYERS: &[&str] = &[
    "中建八局天津分公司",
    "天津港建设工程有限公司",
    "顺丰速运天津分公司",
    "天津大桥新材集团",
    "泰森集团",
    "西青区王稳庄工业园某机械厂",
    "美团外卖天津站",
    "天津地铁七号线项目部",
    "滨海新区某物流园",
    "天津一汽丰田协作厂",
    "河西区某物业公司",
    "北辰区某家具厂",
    "东丽区某电子厂",
    "津南区某建筑劳务公司",
    "武清区某服装厂",
    "宝坻区某食品厂",
];
const TRADES: &[&str] = &[
    "电工",
    "木工",
    "钢筋工",
    "瓦工",
    "架子工",
    "混凝土工",
    "电焊工",
    "快递员",
    "外卖骑手",
    "保洁员",
    "保安员",
    "厨师",
    "装卸工",
    "油漆工",
    "司机",
    "家政服务员",
    "车工",
    "装配工",
];
const PLACES: &[&str] = &[
    "工地生活区",
    "职工之家",
    "项目部会议室",
    "宿舍楼下",
    "街道工会",
    "园区服务站",
];

/// SplitMix64: small, fast and the same everywhere, so a seed always gives the same data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

pub fn synthetic_name(rng: &mut Rng) -> String {
    if rng.chance(1) {
        return (*rng.pick(MINORITY_NAMES)).to_string();
    }
    let mut name = (*rng.pick(SURNAMES)).to_string();
    name.push_str(rng.pick::<&str>(GIVEN));
    if rng.chance(65) {
        name.push_str(rng.pick::<&str>(GIVEN));
    }
    name
}

/// A valid 18-character ID number born between 1960 and 2006.
pub fn synthetic_id_number(rng: &mut Rng) -> String {
    let base = NaiveDate::from_ymd_opt(1960, 1, 1).expect("valid date");
    let birth = base + Duration::days(rng.below(46 * 365) as i64);
    let first17 = format!(
        "{}{}{:03}",
        rng.pick(REGIONS),
        birth.format("%Y%m%d"),
        rng.below(1000)
    );
    let check = check_digit(first17.as_bytes());
    format!("{first17}{check}")
}

pub fn synthetic_phone(rng: &mut Rng) -> String {
    format!("1{}{:09}", 3 + rng.below(7), rng.below(1_000_000_000))
}

#[derive(Debug, Clone, Copy)]
pub struct DemoOptions {
    pub workers: u64,
    pub services_per_worker: u64,
    pub seed: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DemoSummary {
    pub workers: u64,
    pub services: u64,
    pub events: u64,
    pub needs: u64,
    pub claims: u64,
}

/// Workers per transaction when adding to a database that already holds records: large
/// enough to amortise the fsync, small enough that an interrupted demo keeps most of its work.
const CHUNK: u64 = 20_000;

/// Fills `store`. `progress` is called with the number of workers written so far.
///
/// Into an empty database everything goes in one transaction with the secondary indexes
/// built at the end (several times faster); otherwise in chunks through the normal checks.
pub fn fill(
    store: &mut Store,
    options: DemoOptions,
    mut progress: impl FnMut(u64),
) -> Result<DemoSummary> {
    let officer = store.officer_id()?;
    let clock = store.clock();
    let mut generator = Generator {
        rng: Rng::new(options.seed),
        seen_ids: HashSet::new(),
        event_uids: Vec::new(),
        summary: DemoSummary::default(),
        search_terms: Vec::new(),
        officer,
        officer_name: store.officer()?.map(|o| o.name).unwrap_or_default(),
        today: clock.today(),
        now: clock.stamp(),
        services_per_worker: options.services_per_worker,
        aid: aid::AidGenerator::new(options.seed, clock.today(), clock.stamp(), officer),
    };
    // Millions of index entries land in random places of the name, ID and search-key
    // indexes: a page cache that holds them saves re-reading pages from disk for each insert.
    let cache_pages: i64 = store
        .conn()
        .pragma_query_value(None, "cache_size", |r| r.get(0))?;
    store.conn().pragma_update(None, "cache_size", -512_000)?;
    // A rollback journal only saves pages that existed before: almost nothing in an empty
    // database, where WAL would write every page twice (once to the log, once back).
    let journal = if bulk::is_empty(store.conn())? {
        Some(bulk::rollback_journal(store.conn())?)
    } else {
        None
    };
    let tx = store.conn_mut().transaction()?;
    // Checked again under the write lock: another process may have written meanwhile.
    if bulk::is_empty(&tx)? {
        let indexes = bulk::drop_secondary_indexes(&tx)?;
        let rollup_triggers = bulk::suspend_rollups(&tx)?;
        let started = std::time::Instant::now();
        let mut written = 0;
        while written < options.workers {
            let chunk_end = (written + CHUNK).min(options.workers);
            generator.write_workers(&tx, chunk_end - written, Known::Unique)?;
            written = chunk_end;
            progress(written);
        }
        let rows = started.elapsed();
        let threads = bulk::sort_threads(&tx, 2)?;
        bulk::restore_indexes(&tx, &indexes)?;
        let indexed = started.elapsed();
        bulk::resume_rollups(&tx, &rollup_triggers)?;
        bulk::sort_threads(&tx, threads)?;
        let rolled_up = started.elapsed();
        tx.commit()?;
        tracing::info!(
            rows_ms = rows.as_millis() as u64,
            indexes_ms = (indexed - rows).as_millis() as u64,
            rollups_ms = (rolled_up - indexed).as_millis() as u64,
            commit_ms = (started.elapsed() - rolled_up).as_millis() as u64,
            needs = generator.aid.needs,
            claims = generator.aid.claims,
            needs_and_claims_ms = generator.aid.spent.as_millis() as u64,
            "demo bulk load"
        );
    } else {
        tx.commit()?;
        let mut written = 0;
        while written < options.workers {
            let chunk_end = (written + CHUNK).min(options.workers);
            let tx = store.conn_mut().transaction()?;
            generator.write_workers(&tx, chunk_end - written, Known::MayExist)?;
            tx.commit()?;
            written = chunk_end;
            progress(written);
        }
    }
    if let Some(journal) = journal {
        bulk::restore_journal(store.conn(), journal)?;
    }
    store
        .conn()
        .pragma_update(None, "cache_size", cache_pages)?;
    generator.summary.needs = generator.aid.needs;
    generator.summary.claims = generator.aid.claims;
    Ok(generator.summary)
}

/// Whether a generated ID number can already be in the database.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Known {
    Unique,
    MayExist,
}

struct Generator {
    rng: Rng,
    seen_ids: HashSet<String>,
    /// One event per 200 workers: a realistic share of services come from events.
    event_uids: Vec<String>,
    summary: DemoSummary,
    /// Search keys of a chunk of new workers, inserted sorted at the end of the chunk.
    search_terms: Vec<(String, i64)>,
    officer: i64,
    officer_name: String,
    today: NaiveDate,
    now: String,
    services_per_worker: u64,
    /// Needs and claims, from a random stream of their own.
    aid: aid::AidGenerator,
}

impl Generator {
    fn write_workers(&mut self, tx: &Transaction, count: u64, known: Known) -> Result<()> {
        let kinds = refdata::service_kinds();
        let (officer, now, today) = (self.officer, self.now.clone(), self.today);
        let rng = &mut self.rng;
        for _ in 0..count {
            if self.summary.workers.is_multiple_of(200) {
                let kind = rng.pick(kinds);
                let uid = uuid::Uuid::now_v7().to_string();
                let held_on = today - Duration::days(rng.below(700) as i64);
                let name = format!("{}·{}", kind.zh, rng.pick(PLACES));
                let held_on = held_on.format("%Y-%m-%d").to_string();
                bulk::insert_event_row(
                    tx,
                    &bulk::NewEventRow {
                        uid: &uid,
                        now: &now,
                        officer_id: officer,
                        name: &name,
                        kind: &kind.code,
                        held_on: &held_on,
                        place: rng.pick::<&str>(PLACES),
                        district_code: &rng.pick(refdata::tianjin_districts()).code,
                    },
                )?;
                audit(tx, &now, officer, "event", &uid, 1, "create", "demo")?;
                self.event_uids.push(uid);
                self.summary.events += 1;
            }
            let id_number = loop {
                let candidate = synthetic_id_number(rng);
                if self.seen_ids.insert(candidate.clone()) {
                    break candidate;
                }
            };
            let id = crate::domain::parse_id_number(&id_number, today)
                .expect("synthetic ID numbers are valid");
            let mut input = WorkerInput {
                name: synthetic_name(rng),
                id_number,
                phone: synthetic_phone(rng),
                employer: rng.pick(EMPLOYERS).to_string(),
                worksite: String::new(),
                trade: rng.pick(TRADES).to_string(),
                district_code: rng.pick(refdata::tianjin_districts()).code.clone(),
                membership: match rng.below(10) {
                    0..=3 => Membership::Member,
                    4..=5 => Membership::JoinedHere,
                    _ => Membership::NotMember,
                },
                card_no: String::new(),
                hardship: rng.chance(5),
                note: String::new(),
            };
            self.aid.before_worker(&mut input);
            let worker_uid = uuid::Uuid::now_v7().to_string();
            let inserted = match known {
                Known::Unique => insert_unique_worker(
                    tx,
                    &worker_uid,
                    &input,
                    &id,
                    officer,
                    &now,
                    Some(&mut self.search_terms),
                ),
                Known::MayExist => insert_worker(tx, &worker_uid, &input, &id, officer, &now),
            };
            let worker_id = match inserted {
                Ok(id) => id,
                // Already in this database from an earlier run: skip it.
                Err(crate::store::StoreError::Invalid(_)) => continue,
                Err(e) => return Err(e),
            };
            audit(
                tx,
                &now,
                officer,
                "worker",
                &worker_uid,
                1,
                "create",
                "demo",
            )?;
            self.summary.workers += 1;
            self.aid.needs_of(tx, worker_id, &input, &id)?;
            for _ in 0..self.services_per_worker {
                let kind = rng.pick(kinds);
                let event_uid = if rng.chance(30) && !self.event_uids.is_empty() {
                    Some(rng.pick(&self.event_uids).clone())
                } else {
                    None
                };
                let served_on = today - Duration::days(rng.below(700) as i64);
                let service = ServiceInput {
                    kind: kind.code.clone(),
                    served_on: Some(served_on),
                    place: rng.pick(PLACES).to_string(),
                    quantity: 1,
                    amount_fen: if matches!(kind.code.as_str(), "relief_money" | "winter_warmth") {
                        (200 + rng.below(8) as i64 * 100) * 100
                    } else {
                        0
                    },
                    note: String::new(),
                    event_uid,
                    health: (kind.form == KindForm::HealthCheck).then(|| HealthCheck {
                        provider: "天津市职工医院".into(),
                        blood_pressure: format!("{}/{}", 100 + rng.below(50), 60 + rng.below(30)),
                        glucose_tenths: Some(40 + rng.below(40) as i64),
                        findings: String::new(),
                        referral: rng.chance(10),
                        follow_up_on: rng
                            .chance(10)
                            // Never before the check itself: the batch verifier refuses
                            // that, and a demo database must export and import whole.
                            .then(|| {
                                (today + Duration::days(rng.below(120) as i64 - 60)).max(served_on)
                            }),
                        consent_by: self.officer_name.clone(),
                        consent_at: now.clone(),
                    }),
                    legal: (kind.form == KindForm::LegalAid).then(|| LegalAid {
                        category: rng.pick(refdata::legal_aid_categories()).code.clone(),
                        description: String::new(),
                        status: rng.pick(refdata::legal_aid_statuses()).code.clone(),
                        claimed_fen: (1000 + rng.below(30000) as i64) * 100,
                        recovered_fen: 0,
                        follows_uid: None,
                    }),
                };
                let uid = uuid::Uuid::now_v7().to_string();
                insert_service(tx, &uid, worker_id, &service, today, officer, &now)?;
                audit(tx, &now, officer, "service", &uid, 1, "create", "demo")?;
                self.summary.services += 1;
            }
            self.aid.claim_of(tx, worker_id, &input, &id)?;
        }
        bulk::insert_search_terms_sorted(tx, &mut self.search_terms)?;
        Ok(())
    }
}
