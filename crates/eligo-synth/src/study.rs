//! Assembly of one API v2 study object.

use std::fmt::Write;

use rand::seq::IndexedRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde_json::{Map, Value};

/// Builds a JSON object without `serde_json::json!`, which would re-serialize
/// (deep-copy) every `Value` argument.
macro_rules! obj {
    ({ $($k:literal : $v:expr),* $(,)? }) => {{
        let mut m = Map::new();
        $( m.insert(String::from($k), Value::from($v)); )*
        Value::Object(m)
    }};
}

use crate::criteria::{self, Age, CritBuf, Input, Style, Vars};
use crate::data::{self, Ages, Area, City, Drug, IType, Kind, SexP, AREAS, CITIES};

/// Day number of the corpus's "today" (see [`crate::AS_OF`]).
fn as_of() -> i64 {
    days_from_civil(2025, 6, 15)
}

/// Days since 1970-01-01 (proleptic Gregorian; H. Hinnant's algorithm).
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, m, d)
}

fn date(days: i64, month_only: bool) -> String {
    let (y, m, d) = civil_from_days(days);
    if month_only {
        format!("{y:04}-{m:02}")
    } else {
        format!("{y:04}-{m:02}-{d:02}")
    }
}

fn date_struct(days: i64, actual: bool, month_only: bool) -> Value {
    obj!({"date": date(days, month_only), "type": if actual { "ACTUAL" } else { "ESTIMATED" }})
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Status {
    Recruiting,
    NotYet,
    Active,
    Completed,
    Terminated,
    Withdrawn,
    ByInvitation,
    Unknown,
    Suspended,
}

impl Status {
    fn api(self) -> &'static str {
        match self {
            Status::Recruiting => "RECRUITING",
            Status::NotYet => "NOT_YET_RECRUITING",
            Status::Active => "ACTIVE_NOT_RECRUITING",
            Status::Completed => "COMPLETED",
            Status::Terminated => "TERMINATED",
            Status::Withdrawn => "WITHDRAWN",
            Status::ByInvitation => "ENROLLING_BY_INVITATION",
            Status::Unknown => "UNKNOWN",
            Status::Suspended => "SUSPENDED",
        }
    }
    fn open(self) -> bool {
        matches!(self, Status::Recruiting | Status::NotYet | Status::ByInvitation)
    }
}

fn pick_status(rng: &mut ChaCha8Rng, old: bool) -> Status {
    if old {
        return match rng.random_range(0..100) {
            0..60 => Status::Completed,
            60..75 => Status::Terminated,
            75..95 => Status::Unknown,
            _ => Status::Withdrawn,
        };
    }
    match rng.random_range(0..100) {
        0..34 => Status::Completed,
        34..53 => Status::Recruiting,
        53..59 => Status::NotYet,
        59..68 => Status::Active,
        68..76 => Status::Terminated,
        76..80 => Status::Withdrawn,
        80..84 => Status::ByInvitation,
        84..99 => Status::Unknown,
        _ => Status::Suspended,
    }
}

static WHY_TERMINATED: &[&str] = &[
    "Slow enrollment",
    "Sponsor decision",
    "Business decision; not related to safety",
    "Futility at interim analysis",
    "The study was stopped early on the recommendation of the Data Monitoring Committee",
    "Funding ended",
    "PI left the institution",
    "Drug supply issues",
    "Enrollment halted due to the COVID-19 pandemic",
];
static WHY_WITHDRAWN: &[&str] = &[
    "No participants enrolled",
    "Study was not initiated",
    "Sponsor decision prior to enrollment",
    "Funding not obtained",
    "Protocol replaced by a new study",
];
static WHY_SUSPENDED: &[&str] =
    &["Temporary halt for protocol amendment", "Pending safety review", "Drug supply interruption"];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Early1,
    P1,
    P1P2,
    P2,
    P2P3,
    P3,
    P4,
    Na,
}

impl Phase {
    fn api(self) -> &'static [&'static str] {
        match self {
            Phase::Early1 => &["EARLY_PHASE1"],
            Phase::P1 => &["PHASE1"],
            Phase::P1P2 => &["PHASE1", "PHASE2"],
            Phase::P2 => &["PHASE2"],
            Phase::P2P3 => &["PHASE2", "PHASE3"],
            Phase::P3 => &["PHASE3"],
            Phase::P4 => &["PHASE4"],
            Phase::Na => &["NA"],
        }
    }
    fn label(self) -> &'static str {
        match self {
            Phase::Early1 => "Phase 0",
            Phase::P1 => "Phase 1",
            Phase::P1P2 => "Phase 1/2",
            Phase::P2 => "Phase 2",
            Phase::P2P3 => "Phase 2/3",
            Phase::P3 => "Phase 3",
            Phase::P4 => "Phase 4",
            Phase::Na => "",
        }
    }
    fn early(self) -> bool {
        matches!(self, Phase::Early1 | Phase::P1)
    }
}

fn pick_phase(rng: &mut ChaCha8Rng, product: bool) -> Phase {
    if !product {
        return if rng.random_bool(0.9) { Phase::Na } else { *[Phase::P2, Phase::P3].choose(rng).unwrap() };
    }
    match rng.random_range(0..100) {
        0..2 => Phase::Early1,
        2..16 => Phase::P1,
        16..23 => Phase::P1P2,
        23..50 => Phase::P2,
        50..54 => Phase::P2P3,
        54..80 => Phase::P3,
        80..92 => Phase::P4,
        _ => Phase::Na,
    }
}

fn person(rng: &mut ChaCha8Rng) -> (&'static str, &'static str) {
    (data::FIRST_NAMES.choose(rng).unwrap(), data::LAST_NAMES.choose(rng).unwrap())
}

fn email(first: &str, last: &str, out: &mut String) {
    for (k, part) in [first, last].into_iter().enumerate() {
        if k > 0 {
            out.push('.');
        }
        for ch in part.chars() {
            let c = match ch {
                'á' | 'à' | 'ã' | 'â' => 'a',
                'é' | 'è' | 'ê' => 'e',
                'í' => 'i',
                'ó' | 'ö' => 'o',
                'ü' | 'ú' => 'u',
                'ç' => 'c',
                'ñ' => 'n',
                c if c.is_ascii_alphanumeric() => c.to_ascii_lowercase(),
                '-' => '-',
                _ => continue,
            };
            out.push(c);
        }
    }
    out.push_str("@example.org");
}

fn phone(city: &City, rng: &mut ChaCha8Rng) -> String {
    format!("{} 555-01{:02}", city.phone, rng.random_range(0..100))
}

fn contact(rng: &mut ChaCha8Rng, city: &City, role: &str) -> Value {
    let (f, l) = person(rng);
    let mut mail = String::with_capacity(32);
    email(f, l, &mut mail);
    let mut name = format!("{f} {l}");
    if rng.random_bool(0.4) {
        name.push_str([", MD", ", RN", ", PhD", ", MSc"].choose(rng).unwrap());
    }
    obj!({"name": name, "role": role, "phone": phone(city, rng), "email": mail})
}

fn from_pattern(pat: &str, city: &str) -> String {
    pat.replace('#', city)
}

fn pick_age(rng: &mut ChaCha8Rng, area: &Area, healthy: bool) -> (Option<Age>, Option<Age>) {
    let y = |n| Some(Age { n, months: false });
    if healthy {
        return (y(*[18, 18, 18, 19, 20, 21].choose(rng).unwrap()), y(*[45, 50, 55, 60, 65].choose(rng).unwrap()));
    }
    let adult = |rng: &mut ChaCha8Rng| {
        let min = match rng.random_range(0..100) {
            0..4 => None,
            4..84 => y(18),
            84..90 => y(*[19, 20, 21].choose(rng).unwrap()),
            _ => y(*[30, 40, 45, 50].choose(rng).unwrap()),
        };
        let max = if rng.random_bool(0.45) { None } else { y(*[55, 64, 65, 70, 75, 80, 85].choose(rng).unwrap()) };
        (min, max)
    };
    match area.ages {
        Ages::Adult => adult(rng),
        Ages::Older => {
            let min = y(*[40, 45, 50, 55, 60, 65].choose(rng).unwrap());
            let max = if rng.random_bool(0.55) { None } else { y(*[80, 85, 90, 99].choose(rng).unwrap()) };
            (min, max)
        }
        Ages::Mixed | Ages::Peds => {
            let peds_share = if area.ages == Ages::Peds { 0.7 } else { 0.3 };
            if !rng.random_bool(peds_share) {
                return adult(rng);
            }
            let min = match rng.random_range(0..6) {
                0 => Some(Age { n: 6, months: true }),
                1 => Some(Age { n: *[1, 3, 6].choose(rng).unwrap(), months: true }),
                2 => y(2),
                3 => y(6),
                4 => y(12),
                _ => y(*[4, 5, 7, 8].choose(rng).unwrap()),
            };
            let max = match rng.random_range(0..5) {
                0 => None,
                1 => y(18),
                2 => y(21),
                3 => y(65),
                _ => y(17),
            };
            (min, max)
        }
    }
}

/// CT.gov's standard age groups: child 0-17, adult 18-64, older adult 65+.
pub(crate) fn std_ages(min: Option<Age>, max: Option<Age>) -> Vec<Value> {
    let lo = min.map_or(0.0, Age::years);
    let hi = max.map_or(f64::INFINITY, Age::years);
    let mut v = Vec::with_capacity(3);
    if lo < 18.0 {
        v.push(Value::from("CHILD"));
    }
    if lo < 65.0 && hi >= 18.0 {
        v.push(Value::from("ADULT"));
    }
    if hi >= 65.0 {
        v.push(Value::from("OLDER_ADULT"));
    }
    v
}

struct Intv {
    typ: IType,
    name: String,
    desc: String,
    other: Vec<String>,
    arms: Vec<usize>,
}

struct Arm {
    label: String,
    typ: Option<&'static str>,
    desc: String,
    intv: Vec<usize>,
}

fn code_name(prefix: &str, rng: &mut ChaCha8Rng) -> String {
    format!("{prefix}-{}", rng.random_range(100..10000))
}

fn drug_intv(drug: &Drug, code: Option<String>, rng: &mut ChaCha8Rng) -> Intv {
    let mut other: Vec<String> = drug.brands.iter().map(|b| b.to_string()).collect();
    if let Some(code) = code {
        other.push(code);
    }
    let desc = match drug.kind {
        IType::Drug | IType::Bio => match rng.random_range(0..3) {
            0 => format!("{} ({}), {}.", drug.name, drug.class, drug.dose),
            1 => format!("{} administered {}.", drug.name, drug.dose),
            _ => format!("Participants will receive {} {}.", drug.name, drug.dose),
        },
        _ => format!("{} ({}), {}.", drug.name, drug.class, drug.dose),
    };
    Intv { typ: drug.kind, name: drug.name.to_string(), desc, other, arms: Vec::new() }
}

/// Builds study `index` from its own random stream.
pub(crate) fn build(index: u64, rng: &mut ChaCha8Rng, crit: &mut CritBuf) -> Value {
    let today = as_of();
    let area = &AREAS[rng.random_range(0..AREAS.len())];
    let ci = rng.random_range(0..area.conds.len());
    let cond = &area.conds[ci];
    let style = criteria::pick_style(rng);
    let old = style == Style::Legacy;
    let status = pick_status(rng, old);
    let observational = rng.random_bool(0.2);
    let drug = &area.drugs[rng.random_range(0..area.drugs.len())];
    let brand = drug.brands.choose(rng).copied().unwrap_or(drug.name);
    let product = drug.kind.is_product();
    let phase = if observational { Phase::Na } else { pick_phase(rng, product) };
    let healthy = !observational
        && product
        && area.kind != Kind::Onc
        && ((area.kind == Kind::Vaccine && rng.random_bool(0.5)) || (phase.early() && rng.random_bool(0.3)));
    let (min_age, max_age) = pick_age(rng, area, healthy);
    let sex = match area.sex {
        SexP::Female if rng.random_bool(0.92) => SexP::Female,
        SexP::Male => SexP::Male,
        SexP::Any if rng.random_bool(0.03) => *[SexP::Female, SexP::Male].choose(rng).unwrap(),
        _ => SexP::Any,
    };
    let abbr = if cond.abbr.is_empty() { cond.name } else { cond.abbr };
    let vars = Vars { ci, cond, drug, brand };

    // --- Sponsor -----------------------------------------------------------
    let home = &CITIES[rng.random_range(0..CITIES.len())];
    let class = match rng.random_range(0..100) {
        0..38 => "INDUSTRY",
        38..88 => "OTHER",
        88..94 => "NIH",
        _ => "OTHER_GOV",
    };
    let (lead, prefix): (String, &str) = match class {
        "INDUSTRY" => {
            let (n, p) = data::INDUSTRY.choose(rng).unwrap();
            (n.to_string(), p)
        }
        "NIH" => (data::NIH.choose(rng).unwrap().to_string(), "NIH"),
        "OTHER_GOV" => (from_pattern(data::GOV.choose(rng).unwrap(), home.country), ""),
        _ => (from_pattern(data::ACADEMIC.choose(rng).unwrap(), home.city), ""),
    };
    let industry = class == "INDUSTRY";

    // --- Dates ------------------------------------------------------------
    let span = |rng: &mut ChaCha8Rng, lo: i64, hi: i64| rng.random_range(lo..=hi.max(lo));
    let y2000 = days_from_civil(2000, 1, 1);
    let (mut start, start_act, mut pcd, pcd_act, cd, cd_act);
    match status {
        Status::Completed | Status::Terminated => {
            start = if old {
                span(rng, days_from_civil(1999, 10, 1), days_from_civil(2010, 12, 31))
            } else {
                span(rng, days_from_civil(2005, 1, 1), today - 600)
            };
            let dur = if status == Status::Terminated { span(rng, 120, 1200) } else { span(rng, 180, 2400) };
            pcd = start + dur;
            if pcd > today - 90 {
                let shift = pcd - (today - 90) + span(rng, 0, 365);
                start -= shift;
                pcd -= shift;
            }
            cd = if rng.random_bool(0.4) { pcd } else { (pcd + span(rng, 1, 365)).min(today - 30) };
            (start_act, pcd_act, cd_act) = (true, true, true);
        }
        Status::Recruiting | Status::ByInvitation | Status::Suspended => {
            start = today - span(rng, 30, 1800);
            pcd = today + span(rng, 60, 1800);
            cd = pcd + if rng.random_bool(0.3) { 0 } else { span(rng, 1, 540) };
            (start_act, pcd_act, cd_act) = (true, false, false);
        }
        Status::NotYet => {
            start = today + span(rng, 14, 365);
            pcd = start + span(rng, 365, 1800);
            cd = pcd + span(rng, 0, 365);
            (start_act, pcd_act, cd_act) = (false, false, false);
        }
        Status::Active => {
            start = today - span(rng, 365, 3000);
            let pcd_past = rng.random_bool(0.5);
            pcd = if pcd_past {
                today - span(rng, 30, (today - start - 60).min(700))
            } else {
                today + span(rng, 30, 900)
            };
            cd = pcd.max(today) + span(rng, 30, 1000);
            (start_act, pcd_act, cd_act) = (true, pcd_past, false);
        }
        Status::Unknown => {
            start = if old {
                span(rng, y2000, days_from_civil(2011, 12, 31))
            } else {
                span(rng, days_from_civil(2005, 1, 1), today - 1500)
            };
            pcd = start + span(rng, 180, 1500);
            if pcd > today - 730 {
                let shift = pcd - (today - 730);
                start -= shift;
                pcd -= shift;
            }
            cd = pcd + span(rng, 0, 365);
            (start_act, pcd_act, cd_act) = (rng.random_bool(0.8), false, false);
        }
        Status::Withdrawn => {
            start = if old { span(rng, y2000, days_from_civil(2010, 12, 31)) } else { today - span(rng, 100, 3000) };
            pcd = start + span(rng, 180, 1500);
            cd = pcd + span(rng, 0, 365);
            (start_act, pcd_act, cd_act) = (false, false, false);
        }
    }
    let month_only = civil_from_days(start).0 < 2011 && rng.random_bool(0.6);
    let submit = match status {
        Status::NotYet => today - span(rng, 5, 200),
        _ if rng.random_bool(0.25) => (start + span(rng, 0, 400)).min(today - 5),
        _ => (start - span(rng, 0, 200)).max(days_from_civil(1999, 9, 17)).min(today - 5),
    };
    let first_post = (submit + span(rng, 1, 30)).min(today);
    let last_update = match status {
        Status::Completed | Status::Terminated => (cd + span(rng, 10, 900)).min(today),
        Status::Unknown => span(rng, first_post, today - 730),
        Status::Recruiting | Status::NotYet | Status::ByInvitation => today - span(rng, 0, 200),
        _ => today - span(rng, 0, 700),
    }
    .clamp(first_post, today);

    // --- Design, arms, interventions -------------------------------------
    let mut arms: Vec<Arm> = Vec::with_capacity(4);
    let mut intvs: Vec<Intv> = Vec::with_capacity(3);
    let code = if industry && product && rng.random_bool(0.6) { Some(code_name(prefix, rng)) } else { None };
    let mut masking = "NONE";
    let (allocation, model, purpose);
    let mut comparator: Option<&Drug> = None;
    let mut placebo = false;
    if observational {
        intvs.push(drug_intv(drug, None, rng));
        let n = rng.random_range(1..=3);
        let labels = [
            format!("Patients with {abbr}"),
            format!("{} treated patients", drug.name),
            "Healthy controls".to_string(),
        ];
        for (k, label) in labels.into_iter().take(n).enumerate() {
            let desc = match k {
                0 => format!("Adults with {} followed according to routine clinical practice.", cond.name),
                1 => format!("Patients receiving {} as prescribed by their treating physician.", drug.name),
                _ => "Age- and sex-matched healthy volunteers.".to_string(),
            };
            let intv = if k == 1 { vec![0] } else { Vec::new() };
            arms.push(Arm { label, typ: None, desc, intv });
        }
        allocation = "";
        model = *["COHORT", "COHORT", "CASE_CONTROL", "CASE_ONLY", "OTHER"].choose(rng).unwrap();
        purpose = "";
    } else {
        intvs.push(drug_intv(drug, code.clone(), rng));
        let r = rng.random_range(0..100);
        if phase.early() && product {
            let cohorts = rng.random_range(1..=4);
            for k in 0..cohorts {
                let lvl = [0.3, 1.0, 3.0, 10.0, 30.0][k];
                arms.push(Arm {
                    label: if cohorts == 1 {
                        drug.name.to_string()
                    } else {
                        format!("Cohort {}: {} {lvl} mg/kg", k + 1, drug.name)
                    },
                    typ: Some("EXPERIMENTAL"),
                    desc: format!("Participants receive {} at a dose of {lvl} mg/kg.", drug.name),
                    intv: vec![0],
                });
            }
            allocation = if cohorts == 1 { "NA" } else { "NON_RANDOMIZED" };
            model = if cohorts == 1 { "SINGLE_GROUP" } else { "SEQUENTIAL" };
        } else if r < 15 {
            arms.push(Arm {
                label: drug.name.to_string(),
                typ: Some("EXPERIMENTAL"),
                desc: format!("{} {}.", drug.name, drug.dose),
                intv: vec![0],
            });
            allocation = "NA";
            model = "SINGLE_GROUP";
        } else if product && r < 70 {
            placebo = true;
            let two_doses = rng.random_bool(0.3);
            let labels: &[&str] = if two_doses { &["low dose", "high dose"] } else { &[""] };
            for l in labels {
                arms.push(Arm {
                    label: if l.is_empty() { drug.name.to_string() } else { format!("{} {l}", drug.name) },
                    typ: Some("EXPERIMENTAL"),
                    desc: if l.is_empty() {
                        format!("{} {} in addition to standard therapy.", drug.name, drug.dose)
                    } else {
                        format!("{} {l} ({}), in addition to standard therapy.", drug.name, drug.dose)
                    },
                    intv: vec![0],
                });
            }
            intvs.push(Intv {
                typ: drug.kind,
                name: "Placebo".to_string(),
                desc: format!("Matching placebo administered on the same schedule as {}.", drug.name),
                other: Vec::new(),
                arms: Vec::new(),
            });
            arms.push(Arm {
                label: "Placebo".to_string(),
                typ: Some("PLACEBO_COMPARATOR"),
                desc: "Placebo in addition to standard therapy.".to_string(),
                intv: vec![1],
            });
            masking = *["DOUBLE", "TRIPLE", "QUADRUPLE", "QUADRUPLE"].choose(rng).unwrap();
            allocation = "RANDOMIZED";
            model = if rng.random_bool(0.06) { "CROSSOVER" } else { "PARALLEL" };
        } else {
            // Active or usual-care comparator.
            let others: Vec<&Drug> = area.drugs.iter().filter(|d| d.name != drug.name).collect();
            let other =
                if !others.is_empty() && rng.random_bool(0.7) { Some(*others.choose(rng).unwrap()) } else { None };
            arms.push(Arm {
                label: drug.name.to_string(),
                typ: Some("EXPERIMENTAL"),
                desc: format!("{} {}.", drug.name, drug.dose),
                intv: vec![0],
            });
            match other {
                Some(o) => {
                    comparator = Some(o);
                    intvs.push(drug_intv(o, None, rng));
                    arms.push(Arm {
                        label: o.name.to_string(),
                        typ: Some("ACTIVE_COMPARATOR"),
                        desc: format!("{} {}.", o.name, o.dose),
                        intv: vec![1],
                    });
                }
                None if drug.kind == IType::Device && rng.random_bool(0.5) => {
                    intvs.push(Intv {
                        typ: IType::Device,
                        name: "Sham procedure".to_string(),
                        desc: "Identical procedure without active treatment.".to_string(),
                        other: Vec::new(),
                        arms: Vec::new(),
                    });
                    arms.push(Arm {
                        label: "Sham".to_string(),
                        typ: Some("SHAM_COMPARATOR"),
                        desc: "Sham procedure.".to_string(),
                        intv: vec![1],
                    });
                }
                None => arms.push(Arm {
                    label: "Usual care".to_string(),
                    typ: Some("NO_INTERVENTION"),
                    desc: "Standard of care according to local practice.".to_string(),
                    intv: Vec::new(),
                }),
            }
            masking = *["NONE", "NONE", "SINGLE", "DOUBLE"].choose(rng).unwrap();
            allocation = "RANDOMIZED";
            model = if rng.random_bool(0.05) { "FACTORIAL" } else { "PARALLEL" };
        }
        purpose = if area.kind == Kind::Vaccine && healthy {
            "PREVENTION"
        } else if healthy {
            *["BASIC_SCIENCE", "TREATMENT", "OTHER"].choose(rng).unwrap()
        } else {
            match drug.kind {
                IType::Behav | IType::Other => {
                    *["SUPPORTIVE_CARE", "TREATMENT", "PREVENTION", "HEALTH_SERVICES_RESEARCH", "OTHER"]
                        .choose(rng)
                        .unwrap()
                }
                IType::Device => *["TREATMENT", "TREATMENT", "DEVICE_FEASIBILITY", "DIAGNOSTIC"].choose(rng).unwrap(),
                _ => {
                    if rng.random_bool(0.9) {
                        "TREATMENT"
                    } else {
                        *["PREVENTION", "SUPPORTIVE_CARE"].choose(rng).unwrap()
                    }
                }
            }
        };
    }
    for (a, arm) in arms.iter().enumerate() {
        for &i in &arm.intv {
            intvs[i].arms.push(a);
        }
    }

    // --- Enrollment ------------------------------------------------------
    let planned: u64 = match (observational, phase) {
        (true, _) => rng.random_range(30..5000),
        (_, Phase::Early1 | Phase::P1) => rng.random_range(12..90),
        (_, Phase::P1P2) => rng.random_range(30..200),
        (_, Phase::P2) => rng.random_range(30..400),
        (_, Phase::P2P3 | Phase::P3) => rng.random_range(200..3000),
        (_, Phase::P4) => rng.random_range(50..1200),
        (_, Phase::Na) => rng.random_range(20..600),
    };
    let (count, count_actual) = match status {
        Status::Completed => ((planned as f64 * rng.random_range(0.8..1.1)) as u64, true),
        Status::Terminated => ((planned as f64 * rng.random_range(0.03..0.7)) as u64, true),
        Status::Withdrawn => (0, true),
        Status::Active => (planned, rng.random_bool(0.7)),
        _ => (planned, false),
    };

    // --- Locations -------------------------------------------------------
    let n_loc = match (phase, observational) {
        (_, true) => rng.random_range(1..=5),
        (Phase::Early1 | Phase::P1, _) => rng.random_range(1..=3),
        (Phase::P3 | Phase::P2P3, _) => rng.random_range(3..=8),
        _ if !industry => rng.random_range(1..=3),
        _ => rng.random_range(1..=8),
    };
    let mut loc_cities: Vec<&City> = Vec::with_capacity(n_loc);
    loc_cities.push(home);
    let mut tries = 0;
    while loc_cities.len() < n_loc && tries < 40 {
        tries += 1;
        let c = if rng.random_bool(0.5) {
            let same = CITIES.iter().filter(|c| c.country == home.country).count();
            CITIES.iter().filter(|c| c.country == home.country).nth(rng.random_range(0..same)).unwrap()
        } else {
            &CITIES[rng.random_range(0..CITIES.len())]
        };
        if !loc_cities.iter().any(|l| std::ptr::eq(*l, c)) {
            loc_cities.push(c);
        }
    }
    let n_loc = loc_cities.len();
    let mut locations = Vec::with_capacity(n_loc);
    for c in &loc_cities {
        let facility = if industry && rng.random_bool(0.15) {
            "Research Site".to_string()
        } else if class == "OTHER" && std::ptr::eq(*c, home) {
            lead.clone()
        } else if rng.random_bool(0.2) {
            format!("Department of {}, {}", area.specialty, from_pattern(data::ACADEMIC.choose(rng).unwrap(), c.city))
        } else {
            from_pattern(data::ACADEMIC.choose(rng).unwrap(), c.city)
        };
        let mut loc = Map::new();
        loc.insert("facility".into(), facility.into());
        if status.open() {
            let st = match status {
                Status::NotYet => "NOT_YET_RECRUITING",
                Status::ByInvitation => "ENROLLING_BY_INVITATION",
                _ if rng.random_bool(0.85) => "RECRUITING",
                _ => "NOT_YET_RECRUITING",
            };
            loc.insert("status".into(), st.into());
        }
        loc.insert("city".into(), c.city.into());
        if !c.state.is_empty() {
            loc.insert("state".into(), c.state.into());
        }
        if !c.zip.is_empty() {
            loc.insert("zip".into(), c.zip.into());
        }
        loc.insert("country".into(), c.country.into());
        if status.open() && rng.random_bool(0.4) {
            loc.insert("contacts".into(), Value::Array(vec![contact(rng, c, "CONTACT")]));
        }
        loc.insert("geoPoint".into(), obj!({"lat": c.lat, "lon": c.lon}));
        locations.push(Value::Object(loc));
    }
    let eu = loc_cities.iter().any(|c| data::in_eu(c.country));

    // --- Identification --------------------------------------------------
    let nct = crate::Generator::nct_id(index);
    let (sy, _, _) = civil_from_days(start);
    let org_id = match class {
        "INDUSTRY" => match rng.random_range(0..3) {
            0 => format!("{prefix}-{}-{}", rng.random_range(1000..10000), rng.random_range(100..400)),
            1 => format!("{prefix}{}", rng.random_range(10000..100000)),
            _ => format!("{}-{:03}", code.as_deref().unwrap_or(prefix), rng.random_range(1..400)),
        },
        "NIH" => format!(
            "{:02}-{}-{:04}",
            sy.rem_euclid(100),
            ["AI", "C", "H", "M", "DK", "N"].choose(rng).unwrap(),
            rng.random_range(1..10000)
        ),
        _ => match rng.random_range(0..3) {
            0 => format!("{sy}-{:04}", rng.random_range(1..10000)),
            1 => format!("IRB{:02}-{:05}", sy.rem_euclid(100), rng.random_range(1..100000)),
            _ => format!(
                "{}-{abbr}-{:03}",
                home.city.chars().take(3).collect::<String>().to_uppercase(),
                rng.random_range(1..1000)
            ),
        },
    };
    let mut secondary = Vec::new();
    if eu && (2004..2023).contains(&sy) && rng.random_bool(0.7) {
        secondary.push(obj!({"id": format!("{sy}-{:06}-{:02}", rng.random_range(0..1_000_000), rng.random_range(10..100)), "type": "EUDRACT_NUMBER"}));
    } else if eu && sy >= 2023 && rng.random_bool(0.6) {
        secondary.push(obj!({"id": format!("{sy}-5{:05}-{:02}-00", rng.random_range(0..100000), rng.random_range(10..100)), "type": "CTIS"}));
    }
    if class == "NIH" || rng.random_bool(0.05) {
        let inst = ["AI", "CA", "HL", "MH", "AR", "DK"].choose(rng).unwrap();
        secondary.push(obj!({"id": format!("R01{inst}{:06}", rng.random_range(0..1_000_000)), "type": "NIH", "link": "https://reporter.nih.gov/"}));
    }
    if rng.random_bool(0.1) {
        secondary.push(obj!({"id": format!("U1111-{}-{}", rng.random_range(1000..10000), rng.random_range(1000..10000)), "type": "REGISTRY", "domain": "WHO Universal Trial Number"}));
    }
    if rng.random_bool(0.15) {
        secondary.push(obj!({"id": org_id.to_lowercase().replace('-', "_"), "type": "OTHER", "domain": lead.clone()}));
    }

    let acronym = if !observational && !phase.early() && rng.random_bool(0.25) {
        let w = data::ACRONYM_WORDS.choose(rng).unwrap();
        Some(match rng.random_range(0..3) {
            0 => w.to_string(),
            1 => format!("{w}-{}", rng.random_range(1..5)),
            _ => format!("{}-{w}", abbr.split(' ').next().unwrap_or(abbr).to_uppercase()),
        })
    } else {
        None
    };

    let pop = match (min_age, max_age) {
        _ if healthy => "healthy volunteers",
        (Some(lo), Some(hi)) if lo.years() < 18.0 && hi.years() < 22.0 => "children and adolescents",
        (Some(lo), _) if lo.years() < 18.0 => "children and adults",
        _ if sex == SexP::Female && area.ages == Ages::Older => "postmenopausal women",
        _ if sex == SexP::Female => "women",
        _ if sex == SexP::Male => "men",
        _ => *["adults", "participants", "patients", "adult participants"].choose(rng).unwrap(),
    };
    let pop_cap = title_case(pop);
    let d = drug.name;
    let c = cond.name;
    let brief_title = if observational {
        match rng.random_range(0..5) {
            0 => format!("Registry of Patients With {c}"),
            1 => format!("Biomarkers of Disease Activity in {c}"),
            2 => format!("Real-World Outcomes of {d} in {c}"),
            3 => format!("Long-term Follow-up of Patients With {abbr}"),
            _ => format!("{c} Cohort Study ({})", home.city),
        }
    } else if healthy {
        format!("Safety, Tolerability and Pharmacokinetics of {} in {pop_cap}", code.as_deref().unwrap_or(d))
    } else if let Some(o) = comparator {
        format!("{d} Compared With {} in {c}", o.name)
    } else {
        match rng.random_range(0..6) {
            0 => format!("A Study of {d} in Participants With {c}"),
            1 => format!("Efficacy and Safety of {d} in {pop_cap} With {c}"),
            2 if placebo => format!("{d} Versus Placebo in {abbr}"),
            3 => format!("{d} for the Treatment of {c}"),
            4 if acronym.is_some() => {
                format!("A Study to Evaluate {d} in {abbr} ({})", acronym.as_deref().unwrap_or(""))
            }
            _ if !product => format!("{d} for People With {c}"),
            _ => format!("{} in {c}", code.as_deref().unwrap_or(d)),
        }
    };
    let blind = match masking {
        "NONE" => "Open-label",
        "SINGLE" => "Single-blind",
        _ => "Double-blind",
    };
    let official_title = if observational {
        format!(
            "A {} {} Study of {pop_cap} With {c}",
            ["Prospective", "Retrospective", "Multicenter, Prospective"].choose(rng).unwrap(),
            if model == "CASE_CONTROL" { "Case-Control" } else { "Observational Cohort" }
        )
    } else {
        let mut t = String::with_capacity(200);
        t.push_str("A ");
        if phase != Phase::Na {
            t.push_str(phase.label());
            t.push_str(", ");
        }
        if n_loc > 1 {
            t.push_str("Multicenter, ");
        }
        if allocation == "RANDOMIZED" {
            t.push_str("Randomized, ");
        }
        t.push_str(blind);
        if placebo {
            t.push_str(", Placebo-controlled");
        } else if comparator.is_some() {
            t.push_str(", Active-controlled");
        }
        let _ = write!(
            t,
            " Study to Evaluate the {} of {} in {pop_cap} With {c}",
            if phase.early() { "Safety, Tolerability and Pharmacokinetics" } else { "Efficacy and Safety" },
            code.as_deref().map_or(d.to_string(), |k| format!("{k} ({d})"))
        );
        if let Some(a) = &acronym {
            let _ = write!(t, " ({a})");
        }
        t
    };

    // --- Description -----------------------------------------------------
    let (outc_measure, outc_time) = *area.outc.choose(rng).unwrap();
    let mut summary = String::with_capacity(400);
    if observational {
        let _ = write!(
            summary,
            "{}",
            [
                format!("This prospective registry will collect real-world data on treatment patterns, outcomes and safety in {pop} with {c}."),
                format!("The aim of this observational study is to identify biomarkers associated with disease activity and progression in {c} ({abbr})."),
                format!("This study will describe the long-term effectiveness and safety of {d} as used in routine clinical practice for {c}."),
            ][rng.random_range(0..3)]
        );
    } else if healthy || phase.early() {
        let _ = write!(
            summary,
            "This {} study will evaluate the safety, tolerability, pharmacokinetics and pharmacodynamics of {} {}.",
            if phase == Phase::P1 && rng.random_bool(0.5) { "first-in-human" } else { "open-label, dose-escalation" },
            code.as_deref().unwrap_or(d),
            if healthy { format!("in {pop}") } else { format!("in {pop} with {c}") }
        );
    } else {
        match rng.random_range(0..3) {
            0 => {
                let _ = write!(summary, "The purpose of this study is to evaluate the efficacy and safety of {d} compared with {} in {pop} with {c}.", if placebo { "placebo".to_string() } else { comparator.map_or("usual care".to_string(), |o| o.name.to_string()) });
            }
            1 => {
                let _ = write!(summary, "The main purpose of this study is to find out how well {d} works and how safe it is in people with {c} ({abbr}).");
            }
            _ => {
                let _ = write!(
                    summary,
                    "This {}{} study evaluates {d} ({}) in {pop} with {abbr}. Primary endpoint: {outc_measure}.",
                    if phase == Phase::Na { "" } else { phase.label() },
                    if phase == Phase::Na { blind.to_lowercase() } else { format!(", {}", blind.to_lowercase()) },
                    drug.class
                );
            }
        }
    }
    let detailed = if rng.random_bool(0.65) {
        let mut s = String::with_capacity(1200);
        criteria::fill(&mut s, area.bg, &vars, rng);
        s.push_str("\n\n");
        if observational {
            let _ = write!(s, "Participants will be followed for up to {} months with visits according to routine care. Clinical data, patient-reported outcomes and, where consent is given, blood samples for biomarker analyses will be collected.", [12, 24, 36, 60].choose(rng).unwrap());
        } else if placebo {
            let _ = write!(s, "Participants will be randomized in a {} ratio to receive {d} ({}) or matching placebo for {} weeks, in addition to stable background therapy.", ["1:1", "2:1", "1:1:1", "3:1"].choose(rng).unwrap(), drug.dose, [12, 24, 26, 48, 52].choose(rng).unwrap());
        } else {
            let _ = write!(
                s,
                "Eligible participants will receive {d} {} for {} weeks.",
                drug.dose,
                [8, 12, 16, 24, 52].choose(rng).unwrap()
            );
        }
        let _ = write!(s, "\n\nPrimary outcome: {outc_measure} ({outc_time}). Secondary outcomes include safety, tolerability and patient-reported outcomes.");
        if n_loc > 1 {
            let _ = write!(s, " Approximately {planned} participants will be enrolled at {n_loc} sites.");
        }
        Some(s)
    } else {
        None
    };

    // --- Conditions and keywords -----------------------------------------
    let mut conditions: Vec<Value> = vec![Value::from(cond.name)];
    let n_syn = rng.random_range(0..=2);
    for s in cond.syn.choose_multiple(rng, n_syn) {
        conditions.push(Value::from(*s));
    }
    if healthy {
        conditions.push(Value::from("Healthy Volunteers"));
    }
    let n_kw = rng.random_range(1..=4);
    let keywords: Vec<Value> = area.keywords.choose_multiple(rng, n_kw).map(|k| Value::from(*k)).collect();

    // --- Eligibility -----------------------------------------------------
    let mut crit_text = String::with_capacity(2500);
    let inp = Input { area, vars, sex, min: min_age, max: max_age, healthy, observational, style };
    crit.write(&inp, rng, &mut crit_text);
    let mut elig = Map::new();
    elig.insert("eligibilityCriteria".into(), crit_text.into());
    elig.insert("healthyVolunteers".into(), (healthy || (observational && arms.len() == 3)).into());
    elig.insert(
        "sex".into(),
        match sex {
            SexP::Any => "ALL",
            SexP::Female => "FEMALE",
            SexP::Male => "MALE",
        }
        .into(),
    );
    if let Some(a) = min_age {
        elig.insert("minimumAge".into(), a.api().into());
    }
    if let Some(a) = max_age {
        elig.insert("maximumAge".into(), a.api().into());
    }
    elig.insert("stdAges".into(), Value::Array(std_ages(min_age, max_age)));
    if observational {
        elig.insert(
            "studyPopulation".into(),
            format!("{} with {c} attending participating centres.", capitalize(pop)).into(),
        );
        elig.insert(
            "samplingMethod".into(),
            if rng.random_bool(0.85) { "NON_PROBABILITY_SAMPLE" } else { "PROBABILITY_SAMPLE" }.into(),
        );
    }

    // --- Assemble ---------------------------------------------------------
    let mut ident = Map::new();
    ident.insert("nctId".into(), nct.into());
    ident.insert("orgStudyInfo".into(), obj!({"id": org_id.clone()}));
    if !secondary.is_empty() {
        ident.insert("secondaryIdInfos".into(), Value::Array(secondary));
    }
    ident.insert("organization".into(), obj!({"fullName": lead.clone(), "class": class}));
    ident.insert("briefTitle".into(), brief_title.into());
    ident.insert("officialTitle".into(), official_title.into());
    if let Some(a) = acronym {
        ident.insert("acronym".into(), a.into());
    }

    let mut status_m = Map::new();
    status_m.insert("statusVerifiedDate".into(), date(last_update, true).into());
    status_m.insert("overallStatus".into(), status.api().into());
    let why = match status {
        Status::Terminated => Some(WHY_TERMINATED),
        Status::Withdrawn => Some(WHY_WITHDRAWN),
        Status::Suspended => Some(WHY_SUSPENDED),
        _ => None,
    };
    if let Some(pool) = why {
        status_m.insert("whyStopped".into(), (*pool.choose(rng).unwrap()).into());
    }
    status_m.insert("expandedAccessInfo".into(), obj!({"hasExpandedAccess": false}));
    status_m.insert("startDateStruct".into(), date_struct(start, start_act, month_only));
    status_m.insert("primaryCompletionDateStruct".into(), date_struct(pcd, pcd_act, month_only));
    status_m.insert("completionDateStruct".into(), date_struct(cd, cd_act, month_only));
    status_m.insert("studyFirstSubmitDate".into(), date(submit, false).into());
    status_m.insert("studyFirstSubmitQcDate".into(), date(submit, false).into());
    status_m.insert("studyFirstPostDateStruct".into(), date_struct(first_post, true, false));
    status_m.insert("lastUpdateSubmitDate".into(), date(last_update, false).into());
    status_m.insert("lastUpdatePostDateStruct".into(), date_struct(last_update, true, false));

    let mut collaborators = Vec::new();
    for _ in 0..rng.random_range(0..=if industry { 1 } else { 3 }) {
        let (n, cl) = match rng.random_range(0..3) {
            0 => (data::INDUSTRY.choose(rng).unwrap().0.to_string(), "INDUSTRY"),
            1 => (from_pattern(data::ACADEMIC.choose(rng).unwrap(), CITIES.choose(rng).unwrap().city), "OTHER"),
            _ => (data::NIH.choose(rng).unwrap().to_string(), "NIH"),
        };
        if n != lead {
            collaborators.push(obj!({"name": n, "class": cl}));
        }
    }
    let mut sponsor = Map::new();
    sponsor.insert(
        "responsibleParty".into(),
        if industry || rng.random_bool(0.5) {
            obj!({"type": "SPONSOR"})
        } else {
            let (f, l) = person(rng);
            obj!({"type": "PRINCIPAL_INVESTIGATOR", "investigatorFullName": format!("{f} {l}"), "investigatorTitle": "Professor", "investigatorAffiliation": lead.clone()})
        },
    );
    sponsor.insert("leadSponsor".into(), obj!({"name": lead.clone(), "class": class}));
    if !collaborators.is_empty() {
        sponsor.insert("collaborators".into(), Value::Array(collaborators));
    }

    let us = loc_cities.iter().any(|c| c.country == "United States");
    let oversight = obj!({
        "oversightHasDmc": placebo && !phase.early(),
        "isFdaRegulatedDrug": us && product,
        "isFdaRegulatedDevice": us && drug.kind == IType::Device,
    });

    let mut desc = Map::new();
    desc.insert("briefSummary".into(), summary.into());
    if let Some(d) = detailed {
        desc.insert("detailedDescription".into(), d.into());
    }

    let mut design = Map::new();
    design.insert("studyType".into(), if observational { "OBSERVATIONAL" } else { "INTERVENTIONAL" }.into());
    if observational {
        design.insert("patientRegistry".into(), (rng.random_bool(0.3)).into());
        design.insert(
            "designInfo".into(),
            obj!({"observationalModel": model, "timePerspective": *["PROSPECTIVE", "PROSPECTIVE", "RETROSPECTIVE", "CROSS_SECTIONAL"].choose(rng).unwrap()}),
        );
    } else {
        design.insert("phases".into(), Value::Array(phase.api().iter().map(|p| Value::from(*p)).collect()));
        let mut mi = Map::new();
        mi.insert("masking".into(), masking.into());
        let who: &[&str] = match masking {
            "SINGLE" => &["OUTCOMES_ASSESSOR"],
            "DOUBLE" => &["PARTICIPANT", "INVESTIGATOR"],
            "TRIPLE" => &["PARTICIPANT", "INVESTIGATOR", "OUTCOMES_ASSESSOR"],
            "QUADRUPLE" => &["PARTICIPANT", "CARE_PROVIDER", "INVESTIGATOR", "OUTCOMES_ASSESSOR"],
            _ => &[],
        };
        if !who.is_empty() {
            mi.insert("whoMasked".into(), Value::Array(who.iter().map(|w| Value::from(*w)).collect()));
        }
        design.insert(
            "designInfo".into(),
            obj!({"allocation": allocation, "interventionModel": model, "primaryPurpose": purpose, "maskingInfo": Value::Object(mi)}),
        );
    }
    design.insert(
        "enrollmentInfo".into(),
        obj!({"count": count, "type": if count_actual { "ACTUAL" } else { "ESTIMATED" }}),
    );

    let arm_json: Vec<Value> = arms
        .iter()
        .map(|a| {
            let mut m = Map::new();
            m.insert("label".into(), a.label.clone().into());
            if let Some(t) = a.typ {
                m.insert("type".into(), t.into());
            }
            m.insert("description".into(), a.desc.clone().into());
            if !a.intv.is_empty() {
                let names = a
                    .intv
                    .iter()
                    .map(|&i| Value::from(format!("{}: {}", intvs[i].typ.label(), intvs[i].name)))
                    .collect();
                m.insert("interventionNames".into(), Value::Array(names));
            }
            Value::Object(m)
        })
        .collect();
    let intv_json: Vec<Value> = intvs
        .into_iter()
        .map(|i| {
            let mut m = Map::new();
            m.insert("type".into(), i.typ.api().into());
            m.insert("name".into(), i.name.into());
            m.insert("description".into(), i.desc.into());
            if !i.arms.is_empty() {
                m.insert(
                    "armGroupLabels".into(),
                    Value::Array(i.arms.iter().map(|&a| Value::from(arms[a].label.clone())).collect()),
                );
            }
            if !i.other.is_empty() {
                m.insert("otherNames".into(), Value::Array(i.other.into_iter().map(Value::from).collect()));
            }
            Value::Object(m)
        })
        .collect();

    let mut primary = vec![
        obj!({"measure": outc_measure, "description": format!("{outc_measure}, assessed as defined in the protocol."), "timeFrame": outc_time}),
    ];
    for (m, t) in area.outc.iter().filter(|(m, _)| *m != outc_measure).take(rng.random_range(0..=1)) {
        primary.push(obj!({"measure": *m, "timeFrame": *t}));
    }
    let secondary_outc = vec![
        obj!({"measure": "Number of Participants With Treatment-Emergent Adverse Events", "timeFrame": format!("Up to {} weeks", [12, 24, 52, 104].choose(rng).unwrap())}),
    ];

    let mut cl = Map::new();
    if status.open() {
        let n = rng.random_range(1..=2);
        cl.insert("centralContacts".into(), Value::Array((0..n).map(|_| contact(rng, home, "CONTACT")).collect()));
    }
    let (f, l) = person(rng);
    let official_role = if industry {
        "STUDY_DIRECTOR"
    } else {
        *["PRINCIPAL_INVESTIGATOR", "PRINCIPAL_INVESTIGATOR", "STUDY_CHAIR"].choose(rng).unwrap()
    };
    cl.insert(
        "overallOfficials".into(),
        Value::Array(vec![obj!({"name": format!("{f} {l}, {}", ["MD", "MD, PhD", "PhD", "MBBS"].choose(rng).unwrap()), "affiliation": lead.clone(), "role": official_role})]),
    );
    cl.insert("locations".into(), Value::Array(locations));

    let mut protocol = Map::new();
    protocol.insert("identificationModule".into(), Value::Object(ident));
    protocol.insert("statusModule".into(), Value::Object(status_m));
    protocol.insert("sponsorCollaboratorsModule".into(), Value::Object(sponsor));
    protocol.insert("oversightModule".into(), oversight);
    protocol.insert("descriptionModule".into(), Value::Object(desc));
    protocol.insert("conditionsModule".into(), obj!({"conditions": conditions, "keywords": keywords}));
    protocol.insert("designModule".into(), Value::Object(design));
    protocol.insert("armsInterventionsModule".into(), obj!({"armGroups": arm_json, "interventions": intv_json}));
    protocol.insert("outcomesModule".into(), obj!({"primaryOutcomes": primary, "secondaryOutcomes": secondary_outc}));
    protocol.insert("eligibilityModule".into(), Value::Object(elig));
    protocol.insert("contactsLocationsModule".into(), Value::Object(cl));
    if rng.random_bool(0.3) {
        let n = rng.random_range(1..=3);
        let refs: Vec<Value> = (0..n)
            .map(|_| {
                let year = rng.random_range(1995..=2024);
                let (a1, a2, a3) = (person(rng).1, person(rng).1, person(rng).1);
                let title = match rng.random_range(0..4) {
                    0 => format!("{d} in {c}: a randomized controlled trial"),
                    1 => format!("Long-term safety and efficacy of {d} in {abbr}"),
                    2 => format!("Epidemiology and burden of {c}: a systematic review"),
                    _ => format!("Rationale and design of a trial of {d} in {c}"),
                };
                let typ = if status == Status::Completed && rng.random_bool(0.4) { "RESULT" } else { "BACKGROUND" };
                obj!({
                    "pmid": format!("{}", rng.random_range(10_000_000..40_000_000)),
                    "type": typ,
                    "citation": format!("{a1} A, {a2} B, {a3} C. {title}. {}. {year};{}({}):{}-{}.", data::JOURNALS.choose(rng).unwrap(), rng.random_range(1..400), rng.random_range(1..13), rng.random_range(100..900), rng.random_range(900..1000)),
                })
            })
            .collect();
        protocol.insert("referencesModule".into(), obj!({"references": refs}));
    }

    let mut cond_mesh: Vec<Value> = vec![obj!({"id": cond.mesh.0, "term": cond.mesh.1})];
    let anc: Vec<Value> = area
        .anc
        .iter()
        .filter(|(id, _)| *id != cond.mesh.0)
        .map(|&(id, term)| obj!({"id": id, "term": term}))
        .collect();
    if healthy {
        cond_mesh.truncate(1);
    }
    let mut derived = Map::new();
    derived.insert("miscInfoModule".into(), obj!({"versionHolder": crate::AS_OF}));
    derived.insert("conditionBrowseModule".into(), obj!({"meshes": cond_mesh, "ancestors": anc}));
    let drug_mesh: Vec<Value> = [Some(drug), comparator]
        .into_iter()
        .flatten()
        .filter_map(|d| d.mesh.map(|id| obj!({"id": id, "term": d.name})))
        .collect();
    if !drug_mesh.is_empty() {
        derived.insert("interventionBrowseModule".into(), obj!({"meshes": drug_mesh}));
    }

    obj!({
        "protocolSection": Value::Object(protocol),
        "derivedSection": Value::Object(derived),
        "hasResults": false,
    })
}

fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (k, w) in s.split(' ').enumerate() {
        if k > 0 {
            out.push(' ');
        }
        if k > 0 && matches!(w, "and" | "or" | "with") {
            out.push_str(w);
        } else {
            out.push_str(&capitalize(w));
        }
    }
    out
}

fn capitalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    if let Some(c) = chars.next() {
        out.extend(c.to_uppercase());
    }
    out.push_str(chars.as_str());
    out
}
