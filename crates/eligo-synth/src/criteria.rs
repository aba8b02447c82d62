//! Eligibility criteria text in the registry's real layouts.

use rand::seq::IndexedRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::data::{Area, Cond, Drug, Kind, SexP};

/// The five layouts eligibility text comes in on ClinicalTrials.gov.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// "Inclusion Criteria:\n\n* ..." with `*` bullets (the current registry rendering).
    Modern,
    /// Legacy indented layout: 8-space headings, `-  ` bullets, hard-wrapped at 80 columns.
    Legacy,
    /// Numbered items `1.` / `1)` with nested `a)` sub-items.
    Numbered,
    /// Heading variants: "Key Inclusion Criteria", "INCLUSION CRITERIA:", "... include:".
    Headings,
    /// Run-on prose without list markers or line breaks.
    RunOn,
}

/// An age bound: value and unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Age {
    pub n: u32,
    pub months: bool,
}

impl Age {
    pub(crate) fn years(self) -> f64 {
        if self.months {
            self.n as f64 / 12.0
        } else {
            self.n as f64
        }
    }
    pub(crate) fn api(self) -> String {
        let unit = match (self.months, self.n) {
            (true, 1) => "Month",
            (true, _) => "Months",
            (false, 1) => "Year",
            (false, _) => "Years",
        };
        format!("{} {unit}", self.n)
    }
    fn phrase(self) -> String {
        if self.months {
            format!("{} months", self.n)
        } else {
            format!("{} years", self.n)
        }
    }
}

pub(crate) struct Vars<'a> {
    /// Index of the study's condition in its area, for `[n]`-tagged templates.
    pub ci: usize,
    pub cond: &'a Cond,
    pub drug: &'a Drug,
    pub brand: &'a str,
}

/// A template without its `[n]` condition tag, if it applies to condition `ci`.
pub(crate) fn applies(tpl: &str, ci: usize) -> Option<&str> {
    let b = tpl.as_bytes();
    if b.len() > 3 && b[0] == b'[' && b[2] == b']' && b[1].is_ascii_digit() {
        return (usize::from(b[1] - b'0') == ci).then(|| &tpl[3..]);
    }
    Some(tpl)
}

/// Expands a template (see `data.rs` for the placeholders).
pub(crate) fn fill(out: &mut String, tpl: &str, v: &Vars, rng: &mut ChaCha8Rng) {
    let mut rest = tpl;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let j = after.find('}').expect("unclosed placeholder in template");
        let key = &after[..j];
        if key.contains('|') {
            let n = key.split('|').count();
            let k = rng.random_range(0..n);
            out.push_str(key.split('|').nth(k).unwrap_or(""));
        } else {
            match key {
                "c" => out.push_str(v.cond.name),
                "a" => out.push_str(if v.cond.abbr.is_empty() { v.cond.name } else { v.cond.abbr }),
                "d" => push_lower_first(out, v.drug.name),
                "b" => out.push_str(v.brand),
                "k" => out.push_str(v.drug.class),
                _ => {
                    debug_assert!(false, "unknown placeholder {key}");
                    out.push_str(key)
                }
            }
        }
        rest = &after[j + 1..];
    }
    out.push_str(rest);
}

static CONSENT: &[&str] = &[
    "Able and willing to provide written informed consent",
    "Written informed consent obtained prior to any study-specific procedures",
    "Signed informed consent form (ICF) prior to any screening procedures",
    "Willing and able to comply with scheduled visits, treatment plan, laboratory tests and other study procedures",
    "Participant (or legally authorized representative) is able to understand and sign the informed consent",
    "Provision of signed and dated informed consent form",
];
static CONSENT_PEDS: &[&str] = &[
    "Parent or legal guardian provides written informed consent and the participant provides assent as appropriate for age",
    "Written informed consent from a parent/legal guardian and assent from participants aged {7|12} years and older",
];
static CONTRA_F: &[&str] = &[
    "Women of childbearing potential must have a negative serum pregnancy test at screening and agree to use highly effective contraception for the duration of the study and for {30|90|120} days after the last dose",
    "Female participants of childbearing potential must use an acceptable method of birth control from screening until {4|12|16} weeks after the final dose of study drug",
    "Women of childbearing potential must have a negative urine pregnancy test at baseline and agree to use two forms of contraception",
];
static CONTRA_M: &[&str] = &[
    "Male participants must agree to use a condom during the treatment period and for at least {90|180} days after the last dose",
    "Men with a partner of childbearing potential must agree to use effective contraception and refrain from donating sperm during the study",
];
static PREGNANCY: &[&str] = &[
    "Pregnant or breastfeeding women",
    "Pregnancy, lactation, or plans to become pregnant during the study",
    "Women who are pregnant, nursing, or planning pregnancy within {6|12} months",
    "Female participants who are pregnant or lactating",
];
static INFECTIONS: &[&str] = &[
    "{Positive hepatitis B surface antigen|Positive hepatitis B surface antigen (HBsAg) or hepatitis B core antibody (anti-HBc) with detectable HBV DNA|Evidence of active or chronic hepatitis B infection}",
    "Positive hepatitis C virus antibody with detectable HCV RNA",
    "{Known HIV infection|Known history of human immunodeficiency virus (HIV) infection or positive HIV test at screening}",
    "{Active tuberculosis|Active tuberculosis or latent TB infection not adequately treated (positive QuantiFERON-TB Gold test)|History of active TB or untreated latent TB}",
    "Active or recurrent bacterial, viral, fungal, mycobacterial or other infection requiring intravenous antibiotics within {4|8} weeks before screening",
    "History of herpes zoster infection within {3|6} months",
    "Serious infection requiring hospitalization within 60 days before Day 1",
];
static VACCINES: &[&str] = &[
    "Received a live-attenuated vaccine within {30|60} days of Day 0",
    "Receipt of a live or live-attenuated vaccine within {4|12} weeks before the first dose",
];
static GENERAL: &[&str] = &[
    "Participation in another interventional clinical trial within {30 days|3 months|5 half-lives} before screening",
    "History of malignancy within the past 5 years, except adequately treated basal cell or squamous cell carcinoma of the skin or carcinoma in situ of the cervix",
    "Known hypersensitivity to {d} or any of its excipients",
    "History of alcohol or drug abuse within {1 year|2 years} prior to screening",
    "Major surgery within {4|8} weeks before randomization or planned surgery during the study",
    "Clinically significant cardiovascular disease, including myocardial infarction, unstable angina or stroke within {3|6} months before screening",
    "QTcF > {450|470|480} ms on the screening ECG",
    "Inability to attend study visits or comply with study procedures",
];
static JUDGEMENT: &[&str] = &[
    "Any condition that, in the opinion of the investigator, would interfere with the evaluation of the study drug or interpretation of participant safety or study results",
    "Any medical or psychiatric condition which, in the opinion of the investigator, would make the participant unsuitable for the study",
    "Any other reason that, in the investigator's judgement, makes the participant unsuitable for participation",
];
static LABS: &[&str] = &[
    "eGFR < {30|45|60} mL/min/1.73m2",
    "ALT or AST > {2|2.5|3} x ULN",
    "Hemoglobin < {8|9} g/dL",
    "Platelets < {50|75|100} x 10^9/L",
    "Total bilirubin > 1.5 × ULN (unless due to Gilbert's syndrome)",
    "Absolute neutrophil count < {1.0|1.5} x 10^9/L",
    "White blood cell count < 3.0 x 10^9/L",
    "Serum creatinine > {1.5|2.0} mg/dL",
    "HbA1c > {9|10}% at screening",
];
static ORGAN_HEAD: &[&str] = &[
    "Adequate organ function at screening, defined as",
    "Adequate hematologic, hepatic and renal function, as follows",
    "Laboratory values at screening within the following limits",
];
static ORGAN: &[&str] = &[
    "Absolute neutrophil count (ANC) ≥ 1.5 × 10^9/L",
    "Platelets ≥ {75|100} × 10^9/L",
    "Hemoglobin ≥ {8|9} g/dL",
    "Creatinine clearance ≥ {30|45|60} mL/min (Cockcroft-Gault)",
    "AST and ALT ≤ {2.5|3} × ULN",
    "Total bilirubin ≤ 1.5 × ULN",
    "eGFR ≥ {30|45} mL/min/1.73m2",
];
static ONC_INCL: &[&str] = &[
    "ECOG performance status 0-1",
    "ECOG performance status of 0, 1 or 2",
    "Karnofsky performance status ≥ {60|70}",
    "At least one measurable lesion per RECIST v1.1",
    "Life expectancy ≥ {12 weeks|3 months|6 months}",
    "Adequate tumor tissue available (archival or fresh biopsy)",
];
static ONC_EXCL: &[&str] = &[
    "Untreated or symptomatic central nervous system metastases",
    "Prior treatment with {d} or another agent with the same mechanism of action",
    "Active autoimmune disease requiring systemic treatment in the past 2 years",
    "Received anticancer therapy (chemotherapy, targeted therapy, or immunotherapy) within {14|21|28} days before the first dose",
    "Radiotherapy within 2 weeks before the first dose of study treatment",
    "Unresolved toxicities from prior therapy > Grade 1 (NCI CTCAE v5.0), except alopecia",
];
static PSYCH_EXCL: &[&str] = &[
    "Significant risk of suicide, as judged by the investigator or a 'yes' answer to item 4 or 5 of the C-SSRS within the past {6|12} months",
    "Substance use disorder (DSM-5) within the previous {6|12} months, excluding nicotine and caffeine",
    "Positive urine drug screen at screening",
];
static HEALTHY_INCL: &[&str] = &[
    "Healthy as determined by medical history, physical examination, vital signs, 12-lead ECG and clinical laboratory tests",
    "Body mass index of 18.0 to {30.0|32.0} kg/m2 and body weight ≥ 50 kg",
    "Non-smoker for at least 3 months before screening",
];
static OBS_INCL: &[&str] = &[
    "Patients diagnosed with {c} followed at a participating centre",
    "Clinical decision to initiate treatment with {d} made before enrolment",
    "Available medical records covering at least {6|12} months before enrolment",
];

// Legacy PDQ lines (positive form).
static PDQ_HEMATO: &[&str] = &[
    "Absolute neutrophil count at least 1,500/mm^3",
    "Platelet count at least {75,000|100,000}/mm^3",
    "Hemoglobin at least {8|9} g/dL",
    "WBC at least 3,000/mm^3",
];
static PDQ_HEPATIC: &[&str] = &[
    "Bilirubin no greater than {1.5|2.0} times upper limit of normal (ULN)",
    "SGOT and SGPT no greater than {2.5|3} times ULN",
    "No active hepatitis",
];
static PDQ_RENAL: &[&str] =
    &["Creatinine no greater than {1.5|2.0} mg/dL", "Creatinine clearance at least {50|60} mL/min", "No dialysis"];
static PDQ_CARDIO: &[&str] = &[
    "No myocardial infarction within the past 6 months",
    "No uncontrolled congestive heart failure",
    "No uncontrolled hypertension",
];
static PDQ_OTHER: &[&str] = &[
    "No other malignancy within the past 5 years except nonmelanoma skin cancer or carcinoma in situ of the cervix",
    "No active infection requiring antibiotics",
    "HIV negative",
    "No known hypersensitivity to study drugs",
];
static PDQ_PRIOR: &[&str] = &[
    "At least 4 weeks since prior chemotherapy (6 weeks for nitrosoureas or mitomycin)",
    "At least 4 weeks since prior radiotherapy",
    "No prior immunotherapy",
    "No concurrent investigational agents",
    "More than 30 days since prior investigational drugs",
    "Recovered from prior therapy",
];

#[derive(Clone, Copy)]
struct Item {
    start: u32,
    end: u32,
    sub: bool,
}

/// Reusable buffers for composing criteria text.
#[derive(Default)]
pub(crate) struct CritBuf {
    arena: String,
    incl: Vec<Item>,
    excl: Vec<Item>,
    picks: Vec<usize>,
}

pub(crate) struct Input<'a> {
    pub area: &'a Area,
    pub vars: Vars<'a>,
    pub sex: SexP,
    pub min: Option<Age>,
    pub max: Option<Age>,
    pub healthy: bool,
    pub observational: bool,
    pub style: Style,
}

impl CritBuf {
    fn push(&mut self, excl: bool, sub: bool, tpl: &str, v: &Vars, rng: &mut ChaCha8Rng) {
        let start = self.arena.len() as u32;
        fill(&mut self.arena, tpl, v, rng);
        let item = Item { start, end: self.arena.len() as u32, sub };
        if excl {
            self.excl.push(item)
        } else {
            self.incl.push(item)
        }
    }

    fn push_text(&mut self, excl: bool, text: &str) {
        let start = self.arena.len() as u32;
        self.arena.push_str(text);
        let item = Item { start, end: self.arena.len() as u32, sub: false };
        if excl {
            self.excl.push(item)
        } else {
            self.incl.push(item)
        }
    }

    /// Pushes `lo..=hi` distinct random entries of `pool` (fewer if the pool is small).
    fn some(&mut self, excl: bool, pool: &[&str], lo: usize, hi: usize, v: &Vars, rng: &mut ChaCha8Rng) {
        if pool.is_empty() {
            return;
        }
        let n = rng.random_range(lo..=hi).min(pool.len());
        self.picks.clear();
        self.picks.extend(0..pool.len());
        let mut pushed = 0;
        for k in 0..pool.len() {
            if pushed == n {
                break;
            }
            let j = rng.random_range(k..pool.len());
            self.picks.swap(k, j);
            let Some(tpl) = applies(pool[self.picks[k]], v.ci) else { continue };
            if !v.drug.kind.is_product() && tpl.contains("{d}") {
                continue;
            }
            self.push(excl, false, tpl, v, rng);
            pushed += 1;
        }
    }

    fn text(&self, item: Item) -> &str {
        &self.arena[item.start as usize..item.end as usize]
    }

    /// Writes eligibility text for one study into `out`.
    pub(crate) fn write(&mut self, inp: &Input, rng: &mut ChaCha8Rng, out: &mut String) {
        self.arena.clear();
        self.incl.clear();
        self.excl.clear();
        let pdq = inp.style == Style::Legacy
            && !inp.observational
            && rng.random_bool(if inp.area.kind == Kind::Onc { 0.7 } else { 0.3 });
        if pdq {
            self.write_pdq(inp, rng, out);
            return;
        }
        self.compose(inp, rng);
        let period = rng.random_bool(0.25);
        match inp.style {
            Style::Modern => self.render_list(out, rng, ListKind::Modern, period),
            Style::Numbered => self.render_list(out, rng, ListKind::Numbered, period),
            Style::Headings => self.render_list(out, rng, ListKind::Headings, period),
            Style::Legacy => self.render_legacy(out),
            Style::RunOn => self.render_runon(out, rng),
        }
    }

    fn age_item(&mut self, inp: &Input, rng: &mut ChaCha8Rng) {
        let who = match (inp.healthy, inp.sex) {
            (true, SexP::Female) => "Healthy women",
            (true, SexP::Male) => "Healthy men",
            (true, SexP::Any) => "Healthy male or female volunteers",
            (false, SexP::Female) => "Women",
            (false, SexP::Male) => "Men",
            (false, SexP::Any) => "Male or female participants",
        };
        let start = self.arena.len() as u32;
        let s = &mut self.arena;
        use std::fmt::Write;
        let _ = match (inp.min, inp.max) {
            (Some(lo), Some(hi)) => {
                let (l, h) = (lo.phrase(), hi.phrase());
                let ln = lo.n;
                let hn = hi.n;
                match rng.random_range(0..5) {
                    0 if !lo.months && !hi.months => write!(s, "Age {ln} to {hn} years"),
                    1 if !lo.months && !hi.months => write!(s, "Aged ≥ {ln} and ≤ {hn} years"),
                    2 => write!(s, "{who}, {l} to {h} of age at the time of signing informed consent"),
                    3 if !lo.months && !hi.months => write!(s, "{who} between {ln} and {hn} years old"),
                    _ => write!(s, "Aged {l} to {h} (inclusive) at screening"),
                }
            }
            (Some(lo), None) => {
                let l = lo.phrase();
                let ln = lo.n;
                match rng.random_range(0..4) {
                    0 if !lo.months => write!(s, "Age ≥ {ln} years"),
                    1 => write!(s, "{who} aged {l} or older"),
                    2 => write!(s, "{l} of age or older at screening"),
                    _ => write!(s, "Age ≥ {l} at the time of signing the informed consent"),
                }
            }
            (None, Some(hi)) => write!(s, "Age ≤ {} at enrolment", hi.phrase()),
            (None, None) => return,
        };
        let item = Item { start, end: self.arena.len() as u32, sub: false };
        self.incl.push(item);
    }

    fn organ_group(&mut self, rng: &mut ChaCha8Rng, v: &Vars) {
        let head = *ORGAN_HEAD.choose(rng).unwrap();
        self.push(false, false, head, v, rng);
        let n = rng.random_range(3..=5);
        let first = rng.random_range(0..ORGAN.len());
        for k in 0..n {
            let tpl = ORGAN[(first + k * 2) % ORGAN.len()];
            self.push(false, true, tpl, v, rng);
        }
    }

    fn compose(&mut self, inp: &Input, rng: &mut ChaCha8Rng) {
        let a = inp.area;
        let v = &inp.vars;
        let peds = inp.min.is_some_and(|m| m.years() < 18.0);
        let consent_first = rng.random_bool(0.3);
        let consent = if peds { *CONSENT_PEDS.choose(rng).unwrap() } else { *CONSENT.choose(rng).unwrap() };
        if consent_first {
            self.push(false, false, consent, v, rng);
        }
        if rng.random_bool(0.92) {
            self.age_item(inp, rng);
        }
        if inp.healthy {
            self.some(false, HEALTHY_INCL, 1, 3, v, rng);
        } else if inp.observational {
            self.some(false, a.dx, 1, 1, v, rng);
            self.some(false, OBS_INCL, 0, 2, v, rng);
        } else {
            self.some(false, a.dx, 1, 2, v, rng);
            if a.act.len() >= 2 && rng.random_bool(if inp.style == Style::Numbered { 0.4 } else { 0.15 }) {
                self.push_text(false, "Active disease at screening, defined by at least one of the following");
                let n = rng.random_range(2..=a.act.len().min(3));
                for tpl in a.act[..n].iter().filter_map(|t| applies(t, v.ci)) {
                    self.push(false, true, tpl, v, rng);
                }
            } else {
                self.some(false, a.act, 0, 3, v, rng);
            }
            self.some(false, a.incl, 0, 2, v, rng);
        }
        let mut grouped = self.incl.iter().any(|i| i.sub);
        if a.kind == Kind::Onc && !inp.observational {
            self.some(false, ONC_INCL, 1, 3, v, rng);
            if rng.random_bool(0.7) {
                self.organ_group(rng, v);
                grouped = true;
            }
        }
        if !inp.observational && (!grouped && (inp.style == Style::Numbered || rng.random_bool(0.15))) {
            self.organ_group(rng, v);
        }
        if !inp.observational && v.drug.kind.is_product() {
            if inp.sex != SexP::Male && rng.random_bool(0.75) {
                self.some(false, CONTRA_F, 1, 1, v, rng);
            }
            if inp.sex != SexP::Female && rng.random_bool(0.3) {
                self.some(false, CONTRA_M, 1, 1, v, rng);
            }
        }
        if !consent_first && rng.random_bool(0.85) {
            self.push(false, false, consent, v, rng);
        }

        // Exclusions.
        if inp.healthy {
            self.some(true, INFECTIONS, 1, 3, v, rng);
            self.some(true, LABS, 1, 2, v, rng);
            self.some(true, GENERAL, 2, 4, v, rng);
        } else {
            self.some(true, a.excl, 1, 3, v, rng);
            let obs = inp.observational;
            self.some(true, a.prior, usize::from(!obs), if obs { 1 } else { 3 }, v, rng);
            if !obs {
                self.some(true, a.labs, 0, 2, v, rng);
                self.some(true, LABS, 0, 2, v, rng);
            }
            match a.kind {
                Kind::Onc => self.some(true, ONC_EXCL, 1, 3, v, rng),
                Kind::Psych => self.some(true, PSYCH_EXCL, 1, 2, v, rng),
                Kind::Infect | Kind::Vaccine => {}
                Kind::Immune => {
                    self.some(true, INFECTIONS, 1, 3, v, rng);
                    if !a.prior.iter().any(|p| p.contains("vaccine")) && rng.random_bool(0.5) {
                        self.some(true, VACCINES, 1, 1, v, rng);
                    }
                }
                _ => self.some(true, INFECTIONS, 0, 2, v, rng),
            }
            self.some(true, GENERAL, usize::from(!obs), 3, v, rng);
        }
        if inp.sex != SexP::Male && !inp.observational && rng.random_bool(0.8) {
            self.some(true, PREGNANCY, 1, 1, v, rng);
        }
        if rng.random_bool(0.7) {
            self.some(true, JUDGEMENT, 1, 1, v, rng);
        }
    }

    fn render_list(&self, out: &mut String, rng: &mut ChaCha8Rng, kind: ListKind, period: bool) {
        let (hi, he, bullet, subb, numbered, paren): (&str, &str, &str, &str, bool, bool) = match kind {
            ListKind::Modern => ("Inclusion Criteria:", "Exclusion Criteria:", "* ", "  * ", false, false),
            ListKind::Numbered => {
                let paren = rng.random_bool(0.4);
                let (hi, he) = if rng.random_bool(0.8) {
                    ("Inclusion Criteria:", "Exclusion Criteria:")
                } else {
                    ("Inclusion criteria", "Exclusion criteria")
                };
                (hi, he, "", if rng.random_bool(0.5) { "   " } else { "    " }, true, paren)
            }
            ListKind::Headings => {
                let (hi, he) = *[
                    ("Key Inclusion Criteria:", "Key Exclusion Criteria:"),
                    ("INCLUSION CRITERIA:", "EXCLUSION CRITERIA:"),
                    ("Inclusion criteria include:", "Exclusion criteria include:"),
                    (
                        "Participants are eligible to be included in the study only if all of the following criteria apply:",
                        "Participants are excluded from the study if any of the following criteria apply:",
                    ),
                    ("Main inclusion criteria:", "Main exclusion criteria:"),
                ]
                .choose(rng)
                .unwrap();
                let (b, s) = *[("- ", "  - "), ("• ", "  o "), ("* ", "    * ")].choose(rng).unwrap();
                (hi, he, b, s, false, false)
            }
        };
        for (section, (head, items)) in [(hi, &self.incl), (he, &self.excl)].into_iter().enumerate() {
            if section > 0 {
                out.push_str("\n\n");
            }
            out.push_str(head);
            out.push_str("\n\n");
            let mut n = 0;
            let mut letter = 0u8;
            for (k, item) in items.iter().enumerate() {
                let has_subs = !item.sub && items.get(k + 1).is_some_and(|i| i.sub);
                if item.sub {
                    out.push_str(subb);
                    if numbered {
                        out.push((b'a' + letter) as char);
                        out.push_str(") ");
                        letter += 1;
                    }
                } else {
                    letter = 0;
                    n += 1;
                    if numbered {
                        push_num(out, n);
                        out.push_str(if paren { ") " } else { ". " });
                    } else {
                        out.push_str(bullet);
                    }
                }
                out.push_str(self.text(*item));
                if has_subs {
                    out.push(':');
                } else if period {
                    out.push('.');
                }
                if k + 1 < items.len() {
                    out.push('\n');
                }
            }
        }
        if kind == ListKind::Headings && hi.starts_with("Key") {
            out.push_str("\n\nOther protocol-defined inclusion/exclusion criteria may apply.");
        }
    }

    fn render_legacy(&self, out: &mut String) {
        out.push_str("\n        Inclusion Criteria:\n\n");
        self.legacy_items(out, &self.incl);
        out.push_str("\n        Exclusion Criteria:\n\n");
        self.legacy_items(out, &self.excl);
        out.push_str("      ");
    }

    fn legacy_items(&self, out: &mut String, items: &[Item]) {
        for (k, item) in items.iter().enumerate() {
            let has_subs = !item.sub && items.get(k + 1).is_some_and(|i| i.sub);
            let text = self.text(*item);
            if item.sub {
                wrap(out, text, "               -  ", "                  ", "");
            } else {
                wrap(out, text, "          -  ", "             ", if has_subs { ":" } else { "" });
            }
            out.push('\n');
            if !has_subs {
                out.push('\n');
            }
        }
    }

    fn render_runon(&self, out: &mut String, rng: &mut ChaCha8Rng) {
        let (hi, he, sep) = *[
            ("Inclusion Criteria: ", ". Exclusion Criteria: ", "; "),
            (
                "Patients meeting the following conditions are eligible: ",
                ". Patients will be excluded if any of the following apply: ",
                ", ",
            ),
            ("Eligible: ", ". Not eligible: ", "; "),
        ]
        .choose(rng)
        .unwrap();
        out.push_str(hi);
        self.runon_items(out, &self.incl, sep);
        out.push_str(he);
        self.runon_items(out, &self.excl, sep);
        out.push('.');
    }

    fn runon_items(&self, out: &mut String, items: &[Item], sep: &str) {
        let mut first = true;
        let mut in_group = false;
        for item in items {
            let text = self.text(*item);
            if item.sub {
                out.push_str(if in_group { ", " } else { " (" });
                push_lower_first(out, text);
                in_group = true;
                continue;
            }
            if in_group {
                out.push(')');
                in_group = false;
            }
            if !first {
                out.push_str(sep);
                push_lower_first(out, text);
            } else {
                out.push_str(text);
            }
            first = false;
        }
        if in_group {
            out.push(')');
        }
    }

    /// Old NCI PDQ layout with characteristic section headings.
    fn write_pdq(&mut self, inp: &Input, rng: &mut ChaCha8Rng, out: &mut String) {
        let a = inp.area;
        let v = &inp.vars;
        let mut line = String::with_capacity(160);
        out.push('\n');
        pdq_section(out, "DISEASE CHARACTERISTICS:");
        for tpl in pdq_picks(a.dx, 2, v.ci, rng).into_iter().chain(pdq_picks(a.act, rng.random_range(1..=2), v.ci, rng))
        {
            pdq_bullet(out, &mut line, v, tpl, rng);
        }
        pdq_section(out, "PATIENT CHARACTERISTICS:");
        pdq_section(out, "Age:");
        let age = match (inp.min, inp.max) {
            (Some(lo), Some(hi)) => format!("{} to {}", lo.phrase(), hi.phrase()),
            (Some(lo), None) => format!("{} and over", lo.n),
            (None, Some(hi)) => format!("Under {}", hi.phrase()),
            (None, None) => "Not specified".to_string(),
        };
        pdq_bullet(out, &mut line, v, &age, rng);
        pdq_section(out, "Sex:");
        pdq_bullet(
            out,
            &mut line,
            v,
            match inp.sex {
                SexP::Any => "Male or female",
                SexP::Female => "Female",
                SexP::Male => "Male",
            },
            rng,
        );
        if a.kind == Kind::Onc || rng.random_bool(0.3) {
            pdq_section(out, "Performance status:");
            pdq_bullet(
                out,
                &mut line,
                v,
                ["ECOG 0-1", "ECOG 0-2", "Karnofsky 70-100%", "Karnofsky 60-100%"].choose(rng).unwrap(),
                rng,
            );
            if a.kind == Kind::Onc {
                pdq_section(out, "Life expectancy:");
                pdq_bullet(out, &mut line, v, "{At least 12 weeks|More than 3 months|At least 6 months}", rng);
            }
        }
        for (head, pool, n) in [
            ("Hematopoietic:", PDQ_HEMATO, 3),
            ("Hepatic:", PDQ_HEPATIC, 2),
            ("Renal:", PDQ_RENAL, 1),
            ("Cardiovascular:", PDQ_CARDIO, 2),
        ] {
            if head == "Cardiovascular:" && rng.random_bool(0.5) {
                continue;
            }
            pdq_section(out, head);
            for tpl in pdq_picks(pool, rng.random_range(1..=n), v.ci, rng) {
                pdq_bullet(out, &mut line, v, tpl, rng);
            }
        }
        pdq_section(out, "Other:");
        if inp.sex != SexP::Male {
            pdq_bullet(out, &mut line, v, "Not pregnant or nursing", rng);
            pdq_bullet(
                out,
                &mut line,
                v,
                "{Negative pregnancy test|Fertile patients must use effective contraception}",
                rng,
            );
        }
        for tpl in pdq_picks(PDQ_OTHER, rng.random_range(1..=3), v.ci, rng) {
            pdq_bullet(out, &mut line, v, tpl, rng);
        }
        for tpl in pdq_picks(a.excl, 1, v.ci, rng) {
            let mut tmp = String::new();
            fill(&mut tmp, tpl, v, rng);
            let mut text = String::from("No ");
            push_lower_first(&mut text, &tmp);
            pdq_bullet(out, &mut line, v, &text, rng);
        }
        pdq_section(out, "PRIOR CONCURRENT THERAPY:");
        if rng.random_bool(0.4) {
            pdq_bullet(out, &mut line, v, "See Disease Characteristics", rng);
        }
        if v.drug.kind.is_product() {
            pdq_bullet(out, &mut line, v, "No prior {d}", rng);
        }
        for tpl in pdq_picks(PDQ_PRIOR, rng.random_range(1..=3), v.ci, rng) {
            pdq_bullet(out, &mut line, v, tpl, rng);
        }
        // Drop the final blank line, as the registry does.
        while out.ends_with('\n') {
            out.pop();
        }
    }
}

fn pdq_section(out: &mut String, head: &str) {
    out.push_str("        ");
    out.push_str(head);
    out.push_str("\n\n");
}

fn pdq_bullet(out: &mut String, line: &mut String, v: &Vars, tpl: &str, rng: &mut ChaCha8Rng) {
    line.clear();
    fill(line, tpl, v, rng);
    wrap(out, line, "          -  ", "             ", "");
    out.push_str("\n\n");
}

fn pdq_picks(pool: &'static [&'static str], n: usize, ci: usize, rng: &mut ChaCha8Rng) -> Vec<&'static str> {
    let n = n.min(pool.len());
    pool.choose_multiple(rng, n).filter_map(|t| applies(t, ci)).collect()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ListKind {
    Modern,
    Numbered,
    Headings,
}

fn push_num(out: &mut String, n: usize) {
    if n >= 10 {
        out.push((b'0' + (n / 10 % 10) as u8) as char);
    }
    out.push((b'0' + (n % 10) as u8) as char);
}

/// Lower-cases the first letter when it starts an ordinary word ("Active" → "active", "HbA1c" stays).
fn push_lower_first(out: &mut String, text: &str) {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(c0), Some(c1)) if c0.is_ascii_uppercase() && c1.is_ascii_lowercase() => {
            out.push(c0.to_ascii_lowercase());
            out.push_str(&text[1..]);
        }
        _ => out.push_str(text),
    }
}

/// Hard-wraps `text` at 80 columns: the first line after `first`, the rest after `cont`.
fn wrap(out: &mut String, text: &str, first: &str, cont: &str, suffix: &str) {
    const WIDTH: usize = 80;
    out.push_str(first);
    let mut col = first.len();
    let mut at_start = true;
    let mut words = text.split(' ').peekable();
    while let Some(word) = words.next() {
        let last = words.peek().is_none();
        let w = word.chars().count() + if last { suffix.len() } else { 0 };
        if !at_start && col + 1 + w > WIDTH {
            out.push('\n');
            out.push_str(cont);
            col = cont.len();
            at_start = true;
        }
        if !at_start {
            out.push(' ');
            col += 1;
        }
        out.push_str(word);
        col += w;
        at_start = false;
    }
    out.push_str(suffix);
}

/// Picks a criteria style with realistic proportions; legacy layouts belong
/// to older records (the caller dates them accordingly).
pub(crate) fn pick_style(rng: &mut ChaCha8Rng) -> Style {
    match rng.random_range(0..100) {
        0..50 => Style::Modern,
        50..65 => Style::Legacy,
        65..82 => Style::Numbered,
        82..94 => Style::Headings,
        _ => Style::RunOn,
    }
}
