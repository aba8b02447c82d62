//! Static vocabulary tables: condition areas with their conditions, drugs,
//! disease scores and typical criteria; cities; sponsors; names.
//!
//! Templates may contain placeholders filled per study (see `fill` in
//! `criteria.rs`): `{c}` condition name, `{a}` abbreviation (or the name),
//! `{d}` study drug, `{b}` brand name (or the drug), `{k}` drug class and
//! `{x|y|z}` — one of the alternatives, picked at random.
//!
//! Condition MeSH descriptors are the real ones as far as we know; they are
//! there to look like registry data, not to serve as a MeSH reference.

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Kind {
    Onc,
    Immune,
    Neuro,
    Psych,
    Cardio,
    Metab,
    Resp,
    Infect,
    Vaccine,
    Other,
}

/// Who an area's trials enrol.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Ages {
    Adult,
    Older,
    /// Adults, adolescents and sometimes children.
    Mixed,
    /// Mostly children.
    Peds,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum SexP {
    Any,
    Female,
    Male,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum IType {
    Drug,
    Bio,
    Device,
    Behav,
    Proc,
    Radiation,
    Other,
}

impl IType {
    pub(crate) fn api(self) -> &'static str {
        match self {
            IType::Drug => "DRUG",
            IType::Bio => "BIOLOGICAL",
            IType::Device => "DEVICE",
            IType::Behav => "BEHAVIORAL",
            IType::Proc => "PROCEDURE",
            IType::Radiation => "RADIATION",
            IType::Other => "OTHER",
        }
    }
    pub(crate) fn label(self) -> &'static str {
        match self {
            IType::Drug => "Drug",
            IType::Bio => "Biological",
            IType::Device => "Device",
            IType::Behav => "Behavioral",
            IType::Proc => "Procedure",
            IType::Radiation => "Radiation",
            IType::Other => "Other",
        }
    }
    pub(crate) fn is_product(self) -> bool {
        matches!(self, IType::Drug | IType::Bio)
    }
}

pub(crate) struct Cond {
    pub name: &'static str,
    /// Abbreviation used in titles and criteria, "" when none.
    pub abbr: &'static str,
    pub mesh: (&'static str, &'static str),
    /// Extra entries for conditionsModule.conditions.
    pub syn: &'static [&'static str],
}

pub(crate) struct Drug {
    pub name: &'static str,
    pub brands: &'static [&'static str],
    pub kind: IType,
    pub class: &'static str,
    /// Dose and schedule, used in arm descriptions.
    pub dose: &'static str,
    pub mesh: Option<&'static str>,
}

pub(crate) struct Area {
    pub conds: &'static [Cond],
    pub drugs: &'static [Drug],
    pub kind: Kind,
    pub ages: Ages,
    pub sex: SexP,
    pub specialty: &'static str,
    pub keywords: &'static [&'static str],
    /// One sentence of background for descriptions.
    pub bg: &'static str,
    /// MeSH ancestors for conditionBrowseModule.
    pub anc: &'static [(&'static str, &'static str)],
    /// Diagnosis inclusion criteria.
    pub dx: &'static [&'static str],
    /// Disease activity / severity inclusion criteria.
    pub act: &'static [&'static str],
    /// Other inclusion criteria (background therapy, biomarkers).
    pub incl: &'static [&'static str],
    /// Disease-specific exclusions and comorbidities.
    pub excl: &'static [&'static str],
    /// Prior or concomitant therapy exclusions, with wash-out windows.
    pub prior: &'static [&'static str],
    /// Typical laboratory exclusions.
    pub labs: &'static [&'static str],
    /// Primary outcome (measure, time frame).
    pub outc: &'static [(&'static str, &'static str)],
}

const fn c(name: &'static str, abbr: &'static str, id: &'static str, term: &'static str) -> Cond {
    Cond { name, abbr, mesh: (id, term), syn: &[] }
}
const fn cs(
    name: &'static str,
    abbr: &'static str,
    id: &'static str,
    term: &'static str,
    syn: &'static [&'static str],
) -> Cond {
    Cond { name, abbr, mesh: (id, term), syn }
}
const fn d(
    name: &'static str,
    brands: &'static [&'static str],
    kind: IType,
    class: &'static str,
    dose: &'static str,
    mesh: Option<&'static str>,
) -> Drug {
    Drug { name, brands, kind, class, dose, mesh }
}

use IType::*;

const AUTOIMMUNE: (&str, &str) = ("D001327", "Autoimmune Diseases");
const IMMUNE_SYS: (&str, &str) = ("D007154", "Immune System Diseases");
const CONNECTIVE: (&str, &str) = ("D003240", "Connective Tissue Diseases");
const SKIN_CT: (&str, &str) = ("D017437", "Skin and Connective Tissue Diseases");
const RHEUMATIC: (&str, &str) = ("D012216", "Rheumatic Diseases");
const NEOPLASMS: (&str, &str) = ("D009369", "Neoplasms");
const NERVOUS: (&str, &str) = ("D009422", "Nervous System Diseases");
const MENTAL: (&str, &str) = ("D001523", "Mental Disorders");
const CARDIO: (&str, &str) = ("D002318", "Cardiovascular Diseases");
const HEART: (&str, &str) = ("D006331", "Heart Diseases");
const METAB: (&str, &str) = ("D008659", "Metabolic Diseases");
const ENDOCRINE: (&str, &str) = ("D004700", "Endocrine System Diseases");
const RESP: (&str, &str) = ("D012140", "Respiratory Tract Diseases");
const LUNG: (&str, &str) = ("D008171", "Lung Diseases");
const INFECT: (&str, &str) = ("D007239", "Infections");
const VIRUS: (&str, &str) = ("D014777", "Virus Diseases");
const DIGESTIVE: (&str, &str) = ("D004066", "Digestive System Diseases");
const IBD: (&str, &str) = ("D015212", "Inflammatory Bowel Diseases");
const SKIN: (&str, &str) = ("D012871", "Skin Diseases");
const KIDNEY: (&str, &str) = ("D007674", "Kidney Diseases");
const HEMATO: (&str, &str) = ("D006402", "Hematologic Diseases");
const MUSCULO: (&str, &str) = ("D009140", "Musculoskeletal Diseases");

const RITUXIMAB: Drug = d(
    "Rituximab",
    &["Rituxan", "MabThera"],
    Bio,
    "anti-CD20 monoclonal antibody",
    "1000 mg intravenously on Days 1 and 15",
    Some("D000069283"),
);
const HCQ: Drug =
    d("Hydroxychloroquine", &["Plaquenil"], Drug, "antimalarial", "200 to 400 mg orally once daily", Some("D006886"));
const MMF: Drug = d(
    "Mycophenolate mofetil",
    &["CellCept"],
    Drug,
    "antimetabolite immunosuppressant",
    "1.5 to 3 g/day orally in two divided doses",
    Some("D009173"),
);
const TOCILIZUMAB: Drug = d(
    "Tocilizumab",
    &["Actemra", "RoActemra"],
    Bio,
    "anti-IL-6 receptor monoclonal antibody",
    "162 mg subcutaneously every week",
    None,
);
const ADALIMUMAB: Drug = d(
    "Adalimumab",
    &["Humira"],
    Bio,
    "TNF-alpha inhibitor",
    "40 mg subcutaneously every other week",
    Some("D000068879"),
);
const UPADACITINIB: Drug =
    d("Upadacitinib", &["Rinvoq"], Drug, "selective JAK1 inhibitor", "15 mg orally once daily", None);
const SECUKINUMAB: Drug = d(
    "Secukinumab",
    &["Cosentyx"],
    Bio,
    "anti-IL-17A monoclonal antibody",
    "300 mg subcutaneously every 4 weeks",
    None,
);
const DUPILUMAB: Drug = d(
    "Dupilumab",
    &["Dupixent"],
    Bio,
    "anti-IL-4 receptor alpha monoclonal antibody",
    "300 mg subcutaneously every 2 weeks",
    None,
);
const SEMAGLUTIDE: Drug = d(
    "Semaglutide",
    &["Ozempic", "Wegovy"],
    Drug,
    "GLP-1 receptor agonist",
    "up to 2.4 mg subcutaneously once weekly",
    None,
);
const TIRZEPATIDE: Drug = d(
    "Tirzepatide",
    &["Mounjaro", "Zepbound"],
    Drug,
    "dual GIP/GLP-1 receptor agonist",
    "5 to 15 mg subcutaneously once weekly",
    None,
);
const DAPAGLIFLOZIN: Drug =
    d("Dapagliflozin", &["Farxiga", "Forxiga"], Drug, "SGLT2 inhibitor", "10 mg orally once daily", None);
const EMPAGLIFLOZIN: Drug =
    d("Empagliflozin", &["Jardiance"], Drug, "SGLT2 inhibitor", "10 mg orally once daily", None);
const NINTEDANIB: Drug =
    d("Nintedanib", &["Ofev"], Drug, "tyrosine kinase inhibitor", "150 mg orally twice daily", None);
const NIVOLUMAB: Drug = d(
    "Nivolumab",
    &["Opdivo"],
    Bio,
    "anti-PD-1 monoclonal antibody",
    "480 mg intravenously every 4 weeks",
    Some("D000077594"),
);
const PEMBROLIZUMAB: Drug =
    d("Pembrolizumab", &["Keytruda"], Bio, "anti-PD-1 monoclonal antibody", "200 mg intravenously every 3 weeks", None);
const BEVACIZUMAB: Drug = d(
    "Bevacizumab",
    &["Avastin"],
    Bio,
    "anti-VEGF monoclonal antibody",
    "5 mg/kg intravenously every 2 weeks",
    Some("D000068258"),
);
const VEDOLIZUMAB: Drug = d(
    "Vedolizumab",
    &["Entyvio"],
    Bio,
    "anti-alpha4beta7 integrin monoclonal antibody",
    "300 mg intravenously at Weeks 0, 2 and 6, then every 8 weeks",
    None,
);
const RISANKIZUMAB: Drug = d(
    "Risankizumab",
    &["Skyrizi"],
    Bio,
    "anti-IL-23 p19 monoclonal antibody",
    "600 mg intravenously at Weeks 0, 4 and 8",
    None,
);
const FINERENONE: Drug = d(
    "Finerenone",
    &["Kerendia"],
    Drug,
    "non-steroidal mineralocorticoid receptor antagonist",
    "10 to 20 mg orally once daily",
    None,
);

pub(crate) static AREAS: &[Area] = &[
    // 0 — Systemic lupus erythematosus
    Area {
        conds: &[
            cs("Systemic Lupus Erythematosus", "SLE", "D008180", "Lupus Erythematosus, Systemic", &["Lupus", "SLE"]),
        ],
        drugs: &[
            d("Belimumab", &["Benlysta"], Bio, "BLyS-specific inhibitor", "10 mg/kg intravenously every 4 weeks", None),
            d("Anifrolumab", &["Saphnelo"], Bio, "type I interferon receptor antagonist", "300 mg intravenously every 4 weeks", None),
            RITUXIMAB,
            HCQ,
            d("Deucravacitinib", &["Sotyktu"], Drug, "allosteric TYK2 inhibitor", "3 mg orally twice daily", None),
            d("Obinutuzumab", &["Gazyva", "Gazyvaro"], Bio, "type II anti-CD20 monoclonal antibody", "1000 mg intravenously on Day 1, Weeks 2, 24 and 26", None),
        ],
        kind: Kind::Immune,
        ages: Ages::Mixed,
        sex: SexP::Any,
        specialty: "Rheumatology",
        keywords: &["lupus", "autoantibodies", "anti-dsDNA", "type I interferon", "B cells", "flare"],
        bg: "{c} is a chronic autoimmune disease with a relapsing-remitting course that can affect the skin, joints, kidneys, blood and central nervous system.",
        anc: &[AUTOIMMUNE, IMMUNE_SYS, CONNECTIVE, SKIN_CT],
        dx: &[
            "Diagnosis of SLE according to the 2019 EULAR/ACR classification criteria",
            "Fulfils at least 4 of the 11 1997 ACR classification criteria for SLE",
            "Diagnosis of {c} ({a}) for at least {6|12|24} weeks before screening",
            "Meets the 2012 SLICC classification criteria for systemic lupus erythematosus",
        ],
        act: &[
            "SLEDAI-2K ≥ {4|6|8} at screening, including clinical features",
            "Clinical SLEDAI-2K score ≥ {4|6} (excluding serology) at screening",
            "At least one BILAG-2004 A or two BILAG-2004 B organ domain scores",
            "Physician's Global Assessment (PGA) ≥ 1.0 on a 0-3 scale",
        ],
        incl: &[
            "Positive antinuclear antibody (ANA) titre ≥ 1:80 and/or positive anti-dsDNA antibodies at screening",
            "On a stable SLE treatment regimen for at least {30|60} days before Day 0, including prednisone ≤ {10|15|20} mg/day",
            "Low complement C3 and/or C4 at screening",
        ],
        excl: &[
            "Active severe lupus nephritis (proteinuria > 6 g/24 h or requiring hemodialysis)",
            "Active central nervous system lupus, including seizures, psychosis or cerebrovascular accident, within 60 days",
            "History of antiphospholipid syndrome with thrombosis within the past 12 months",
            "Drug-induced lupus",
        ],
        prior: &[
            "Treatment with rituximab or other B cell-depleting therapy within {6|12} months before screening",
            "Received cyclophosphamide within {3|6} months of Day 0",
            "Prior treatment with {d} or any other biologic targeting BLyS or type I interferon",
            "Intravenous or high-dose oral glucocorticoids (> 40 mg/day prednisone) within {30|60} days of Day 0",
            "Received intravenous immunoglobulin (IVIG) or plasmapheresis within 90 days before screening",
        ],
        labs: &["IgG < {4|5} g/L", "IgA deficiency (IgA < 10 mg/dL)", "Urine protein-to-creatinine ratio > {3|4} mg/mg"],
        outc: &[
            ("Percentage of Participants Achieving SLE Responder Index (SRI-4) Response", "Week 52"),
            ("BICLA Response Rate", "Week 52"),
            ("Percentage of Participants Achieving Lupus Low Disease Activity State (LLDAS)", "Week 24"),
        ],
    },
    // 1 — Lupus nephritis
    Area {
        conds: &[cs("Lupus Nephritis", "LN", "D008181", "Lupus Nephritis", &["Systemic Lupus Erythematosus"])],
        drugs: &[
            d("Voclosporin", &["Lupkynis"], Drug, "calcineurin inhibitor", "23.7 mg orally twice daily", None),
            d("Obinutuzumab", &["Gazyva"], Bio, "type II anti-CD20 monoclonal antibody", "1000 mg intravenously on Day 1, Weeks 2, 24 and 26", None),
            d("Belimumab", &["Benlysta"], Bio, "BLyS-specific inhibitor", "10 mg/kg intravenously every 4 weeks", None),
            MMF,
            d("Cyclophosphamide", &["Endoxan", "Cytoxan"], Drug, "alkylating agent", "500 mg intravenously every 2 weeks for 6 doses (Euro-Lupus)", Some("D003520")),
        ],
        kind: Kind::Immune,
        ages: Ages::Adult,
        sex: SexP::Any,
        specialty: "Nephrology",
        keywords: &["lupus nephritis", "proteinuria", "kidney biopsy", "complete renal response"],
        bg: "{c} affects up to half of patients with systemic lupus erythematosus and remains a major cause of end-stage kidney disease.",
        anc: &[("D008180", "Lupus Erythematosus, Systemic"), KIDNEY, AUTOIMMUNE, IMMUNE_SYS],
        dx: &[
            "Kidney biopsy within {6|12} months showing ISN/RPS 2003 Class III or IV lupus nephritis, with or without Class V",
            "Diagnosis of SLE according to the 2019 EULAR/ACR classification criteria with biopsy-proven active {c}",
        ],
        act: &["Urine protein-to-creatinine ratio (UPCR) ≥ {1.0|1.5} g/g at screening", "Proteinuria ≥ 0.5 g/24 h"],
        incl: &["Requires induction therapy in the opinion of the investigator", "eGFR ≥ {30|45} mL/min/1.73m2 at screening"],
        excl: &[
            "Sclerosis in > 50% of glomeruli on kidney biopsy",
            "Kidney transplant or planned transplant during the study",
            "Dialysis within the past 12 months",
        ],
        prior: &[
            "Treatment with rituximab or other B cell-depleting therapy within 6 months before screening",
            "Received cyclophosphamide within 3 months of screening",
            "Use of a calcineurin inhibitor within 30 days before randomization",
        ],
        labs: &["eGFR < {30|45} mL/min/1.73m2", "Hemoglobin < 8 g/dL", "IgG < 5 g/L"],
        outc: &[("Percentage of Participants With Complete Renal Response (CRR)", "Week 52"), ("Change From Baseline in UPCR", "Week 24")],
    },
    // 2 — Sjögren's
    Area {
        conds: &[
            cs("Sjögren's Syndrome", "pSS", "D012859", "Sjogren's Syndrome", &["Primary Sjögren's Syndrome", "Sjogren Syndrome"]),
        ],
        drugs: &[
            d("Ianalumab", &[], Bio, "anti-BAFF receptor monoclonal antibody", "300 mg subcutaneously every 4 weeks", None),
            d("Dazodalibep", &[], Bio, "CD40 ligand antagonist", "1000 mg intravenously every 4 weeks", None),
            d("Nipocalimab", &[], Bio, "anti-FcRn monoclonal antibody", "15 mg/kg intravenously every 2 weeks", None),
            HCQ,
            d("Pilocarpine", &["Salagen"], Drug, "muscarinic agonist", "5 mg orally four times daily", None),
        ],
        kind: Kind::Immune,
        ages: Ages::Adult,
        sex: SexP::Any,
        specialty: "Rheumatology",
        keywords: &["sicca", "dry eye", "dry mouth", "anti-SSA/Ro", "salivary gland"],
        bg: "{c} is a systemic autoimmune disease characterized by lymphocytic infiltration of exocrine glands, causing dryness, fatigue and pain.",
        anc: &[AUTOIMMUNE, IMMUNE_SYS, CONNECTIVE, ("D014987", "Xerostomia")],
        dx: &[
            "Diagnosis of {c} ({a}) according to the 2016 ACR/EULAR classification criteria",
            "Classified as primary Sjögren's syndrome according to the 2002 American-European Consensus Group criteria",
        ],
        act: &[
            "ESSDAI ≥ {5|6} at screening",
            "ESSPRI ≥ {5|6} at screening",
            "Moderate to severe systemic disease activity (ESSDAI ≥ 5) in at least one domain",
        ],
        incl: &[
            "Positive anti-SSA/Ro antibodies at screening",
            "Unstimulated whole salivary flow ≥ 0.{01|05} mL/min",
            "Stimulated whole salivary flow rate ≥ 0.1 mL/min",
        ],
        excl: &[
            "Secondary Sjögren's syndrome associated with another connective tissue disease",
            "History of lymphoma or current lymphoproliferative disease",
            "Prior head and neck radiation therapy",
        ],
        prior: &[
            "Treatment with rituximab or other B cell-depleting therapy within {6|12} months before screening",
            "Use of pilocarpine or cevimeline within 14 days before screening (unless on a stable dose)",
            "Received any biologic agent within 5 half-lives or {3|6} months, whichever is longer",
        ],
        labs: &["IgG < 4 g/L", "Absolute neutrophil count < 1.0 x 10^9/L", "Cryoglobulinaemia with vasculitis"],
        outc: &[("Change From Baseline in ESSDAI Score", "Week 24"), ("Change From Baseline in ESSPRI", "Week 48")],
    },
    // 3 — Systemic sclerosis
    Area {
        conds: &[
            cs("Systemic Sclerosis", "SSc", "D012595", "Scleroderma, Systemic", &["Scleroderma"]),
            c("Diffuse Cutaneous Systemic Sclerosis", "dcSSc", "D045743", "Scleroderma, Diffuse"),
            c("Systemic Sclerosis-Associated Interstitial Lung Disease", "SSc-ILD", "D017563", "Lung Diseases, Interstitial"),
        ],
        drugs: &[NINTEDANIB, TOCILIZUMAB, MMF, RITUXIMAB, d("Belumosudil", &["Rezurock"], Drug, "ROCK2 inhibitor", "200 mg orally once daily", None)],
        kind: Kind::Immune,
        ages: Ages::Adult,
        sex: SexP::Any,
        specialty: "Rheumatology",
        keywords: &["scleroderma", "skin fibrosis", "interstitial lung disease", "Raynaud's phenomenon", "mRSS"],
        bg: "{c} is a rare autoimmune connective tissue disease marked by vasculopathy and progressive fibrosis of the skin and internal organs.",
        anc: &[AUTOIMMUNE, CONNECTIVE, SKIN_CT, ("D012594", "Scleroderma, Diffuse")],
        dx: &[
            "Fulfils the 2013 ACR/EULAR classification criteria for systemic sclerosis",
            "Diffuse cutaneous SSc (dcSSc) as defined by LeRoy and Medsger",
        ],
        act: &[
            "mRSS ≥ {10|15} and ≤ {40|45} at screening",
            "Disease duration ≤ {3|5} years from the first non-Raynaud's symptom",
            "FVC ≥ {40|45|50}% of predicted normal",
        ],
        incl: &[
            "Extent of lung fibrosis ≥ 10% on high-resolution computed tomography (HRCT)",
            "DLCO 30-89% of predicted, corrected for hemoglobin",
        ],
        excl: &[
            "Pulmonary arterial hypertension requiring parenteral therapy",
            "Scleroderma renal crisis within 6 months",
            "Limited cutaneous disease only",
        ],
        prior: &[
            "Treatment with rituximab within {6|12} months before baseline",
            "Prior autologous hematopoietic stem cell transplantation",
            "Cyclophosphamide within 6 months prior to randomization",
            "Prednisone > {10|15} mg/day or equivalent within 4 weeks of screening",
        ],
        labs: &["Hemoglobin < 9 g/dL", "eGFR < 45 mL/min/1.73m2"],
        outc: &[
            ("Change From Baseline in Modified Rodnan Skin Score (mRSS)", "Week 52"),
            ("Annual Rate of Decline in Forced Vital Capacity (FVC)", "52 weeks"),
            ("Revised CRISS Score", "Week 52"),
        ],
    },
    // 4 — IgG4-related disease
    Area {
        conds: &[cs("IgG4-Related Disease", "IgG4-RD", "D000075622", "Immunoglobulin G4-Related Disease", &["IgG4 Related Disease"])],
        drugs: &[
            d("Inebilizumab", &["Uplizna"], Bio, "anti-CD19 monoclonal antibody", "300 mg intravenously on Days 1 and 15, then every 26 weeks", None),
            RITUXIMAB,
            d("Prednisone", &["Deltasone"], Drug, "glucocorticoid", "0.6 mg/kg/day orally with taper over 12 weeks", Some("D011241")),
            d("Obexelimab", &[], Bio, "CD19 x FcγRIIb bifunctional antibody", "250 mg subcutaneously every week", None),
            d("Zanubrutinib", &["Brukinsa"], Drug, "BTK inhibitor", "160 mg orally twice daily", None),
        ],
        kind: Kind::Immune,
        ages: Ages::Adult,
        sex: SexP::Any,
        specialty: "Rheumatology",
        keywords: &["IgG4", "autoimmune pancreatitis", "sclerosing cholangitis", "fibroinflammatory", "plasmablasts"],
        bg: "{c} is an immune-mediated fibroinflammatory condition that can affect nearly any organ, most often the pancreas, biliary tree, salivary glands and retroperitoneum.",
        anc: &[AUTOIMMUNE, IMMUNE_SYS, ("D000081207", "Primary Immunodeficiency Diseases")],
        dx: &[
            "Diagnosis of IgG4-RD fulfilling the 2019 ACR/EULAR classification criteria",
            "Clinical diagnosis of {c} with at least 2 organs involved",
            "Meets the 2020 revised comprehensive diagnostic criteria for IgG4-RD",
        ],
        act: &["IgG4-RD Responder Index (RI) ≥ {2|3} at screening", "Active disease requiring glucocorticoid treatment", "History of at least one flare within 12 months"],
        incl: &["Serum IgG4 > 135 mg/dL at diagnosis", "Able to taper glucocorticoids to ≤ 5 mg/day prednisone"],
        excl: &["Malignancy or a condition mimicking IgG4-RD (e.g., lymphoma, ANCA-associated vasculitis)", "Decompensated liver disease"],
        prior: &[
            "Treatment with rituximab or other B cell-depleting therapy within 6 months before screening",
            "Received a live-attenuated vaccine within {30|60} days of Day 0",
            "Azathioprine, mycophenolate or methotrexate within 8 weeks of randomization",
        ],
        labs: &["IgG < {4|5} g/L", "Total bilirubin > {1.5|2} × ULN", "Absolute lymphocyte count < 0.5 x 10^9/L"],
        outc: &[("Time to First IgG4-RD Flare", "52 weeks"), ("Proportion of Participants in Complete Remission", "Week 52")],
    },
    // 5 — Rheumatoid arthritis
    Area {
        conds: &[cs("Rheumatoid Arthritis", "RA", "D001172", "Arthritis, Rheumatoid", &["Arthritis, Rheumatoid"])],
        drugs: &[
            ADALIMUMAB,
            TOCILIZUMAB,
            UPADACITINIB,
            d("Baricitinib", &["Olumiant"], Drug, "JAK1/JAK2 inhibitor", "4 mg orally once daily", None),
            d("Abatacept", &["Orencia"], Bio, "T-cell costimulation modulator", "125 mg subcutaneously once weekly", None),
            d("Methotrexate", &["Trexall", "Otrexup"], Drug, "antimetabolite", "15 to 25 mg orally once weekly", Some("D008727")),
            d("Tofacitinib", &["Xeljanz"], Drug, "JAK inhibitor", "5 mg orally twice daily", None),
            d("Etanercept", &["Enbrel"], Bio, "TNF inhibitor", "50 mg subcutaneously once weekly", Some("D000068800")),
        ],
        kind: Kind::Immune,
        ages: Ages::Adult,
        sex: SexP::Any,
        specialty: "Rheumatology",
        keywords: &["DMARD", "synovitis", "ACPA", "rheumatoid factor", "DAS28", "JAK inhibitor"],
        bg: "{c} is a chronic inflammatory arthritis that, if uncontrolled, leads to joint destruction, disability and increased cardiovascular risk.",
        anc: &[RHEUMATIC, ("D001168", "Arthritis"), AUTOIMMUNE, MUSCULO, CONNECTIVE],
        dx: &[
            "Diagnosis of RA according to the 2010 ACR/EULAR classification criteria for at least {3|6} months",
            "Adult-onset {c} ({a}) meeting the 1987 revised ACR criteria",
        ],
        act: &[
            "≥ 6 swollen joints (of 66) and ≥ 6 tender joints (of 68) at screening and baseline",
            "DAS28-CRP ≥ {3.2|5.1} at screening",
            "CDAI > {10|22} at baseline",
            "hsCRP ≥ {3|6} mg/L at screening",
        ],
        incl: &[
            "Inadequate response to methotrexate given for at least 12 weeks at a stable dose of 15-25 mg/week",
            "Inadequate response or intolerance to at least one TNF inhibitor",
            "Positive for rheumatoid factor or anti-cyclic citrullinated peptide (anti-CCP) antibodies",
        ],
        excl: &[
            "Inflammatory joint disease other than RA (e.g., gout, psoriatic arthritis, reactive arthritis)",
            "Functional class IV as defined by the ACR 1991 revised criteria",
            "History of {venous thromboembolism|deep vein thrombosis or pulmonary embolism}",
        ],
        prior: &[
            "Prior exposure to any JAK inhibitor",
            "Treatment with rituximab or other B cell-depleting therapy within 12 months before screening",
            "Intra-articular or parenteral corticosteroids within {4|6} weeks before baseline",
            "Use of leflunomide within 8 weeks unless cholestyramine washout was completed",
        ],
        labs: &["ALT or AST > {1.5|2} x ULN", "Absolute lymphocyte count < 0.5 x 10^9/L", "Hemoglobin < 8 g/dL"],
        outc: &[
            ("Percentage of Participants Achieving ACR20 Response", "Week 12"),
            ("Change From Baseline in DAS28-CRP", "Week 24"),
            ("Percentage of Participants Achieving Clinical Remission (CDAI ≤ 2.8)", "Week 24"),
        ],
    },
    // 6 — Spondyloarthritis
    Area {
        conds: &[
            cs("Psoriatic Arthritis", "PsA", "D015535", "Arthritis, Psoriatic", &["Arthritis, Psoriatic"]),
            cs("Axial Spondyloarthritis", "axSpA", "D025241", "Spondylarthritis", &["Ankylosing Spondylitis"]),
        ],
        drugs: &[
            SECUKINUMAB,
            d("Ixekizumab", &["Taltz"], Bio, "anti-IL-17A monoclonal antibody", "80 mg subcutaneously every 4 weeks", None),
            d("Bimekizumab", &["Bimzelx"], Bio, "anti-IL-17A/F monoclonal antibody", "160 mg subcutaneously every 4 weeks", None),
            ADALIMUMAB,
            UPADACITINIB,
        ],
        kind: Kind::Immune,
        ages: Ages::Adult,
        sex: SexP::Any,
        specialty: "Rheumatology",
        keywords: &["spondyloarthritis", "enthesitis", "dactylitis", "IL-17", "HLA-B27"],
        bg: "{c} is a chronic inflammatory disease of the joints, entheses and spine associated with psoriasis, uveitis and inflammatory bowel disease.",
        anc: &[RHEUMATIC, ("D025242", "Spondylarthropathies"), MUSCULO],
        dx: &["[0]Diagnosis of PsA meeting the CASPAR criteria for ≥ 6 months", "[1]Fulfils the ASAS classification criteria for axial SpA", "Diagnosis of {c} ({a}) for at least 3 months"],
        act: &["[1]BASDAI ≥ 4 and spinal pain ≥ 4 (0-10 NRS) at baseline", "[0]≥ 3 tender and ≥ 3 swollen joints", "[1]ASDAS-CRP ≥ 2.1"],
        incl: &["Inadequate response to at least two NSAIDs over 4 weeks", "[0]Active plaque psoriasis or documented history of psoriasis"],
        excl: &["[1]Total spinal ankylosis", "Active inflammatory bowel disease", "History of uveitis flare within 6 weeks"],
        prior: &["Previous exposure to any IL-17 or IL-23 inhibitor", "Use of more than one TNF inhibitor previously"],
        labs: &["Neutrophils < 1.5 x 10^9/L", "ALT > 2 x ULN"],
        outc: &[("Percentage of Participants Achieving ASAS40 Response", "Week 16"), ("ACR50 Response Rate", "Week 16")],
    },
    // 7 — ANCA-associated vasculitis
    Area {
        conds: &[
            cs("ANCA-Associated Vasculitis", "AAV", "D056648", "Anti-Neutrophil Cytoplasmic Antibody-Associated Vasculitis", &["Granulomatosis With Polyangiitis", "Microscopic Polyangiitis"]),
            c("Granulomatosis With Polyangiitis", "GPA", "D014890", "Granulomatosis with Polyangiitis"),
        ],
        drugs: &[
            d("Avacopan", &["Tavneos"], Drug, "C5a receptor antagonist", "30 mg orally twice daily", None),
            RITUXIMAB,
            d("Cyclophosphamide", &["Endoxan", "Cytoxan"], Drug, "alkylating agent", "15 mg/kg intravenously every 2-3 weeks", Some("D003520")),
            d("Plasma exchange", &[], Proc, "apheresis", "seven exchanges within 14 days", None),
        ],
        kind: Kind::Immune,
        ages: Ages::Adult,
        sex: SexP::Any,
        specialty: "Rheumatology",
        keywords: &["vasculitis", "ANCA", "glucocorticoid-sparing", "relapse", "BVAS"],
        bg: "{c} is a small-vessel vasculitis with a high relapse rate and substantial morbidity from both the disease and long-term glucocorticoid exposure.",
        anc: &[("D014657", "Vasculitis"), ("D014652", "Vascular Diseases"), CARDIO, AUTOIMMUNE],
        dx: &["Diagnosis of GPA or MPA according to the 2022 ACR/EULAR classification criteria", "New-onset or relapsing {c} ({a}) requiring induction therapy"],
        act: &["Birmingham Vasculitis Activity Score (BVAS) version 3 ≥ {1|3}", "At least one major or three minor BVAS items"],
        incl: &["Positive test for anti-PR3 or anti-MPO antibodies (current or historical)"],
        excl: &["Alveolar hemorrhage requiring invasive ventilation", "Other systemic autoimmune disease such as SLE or anti-GBM disease", "Eosinophilic granulomatosis with polyangiitis (EGPA)"],
        prior: &["Received rituximab within 12 months", "Cyclophosphamide within 12 weeks of screening", "Plasma exchange within 12 weeks"],
        labs: &["eGFR < 15 mL/min/1.73m2", "White blood cell count < 3.5 x 10^9/L"],
        outc: &[("Proportion of Participants in Sustained Remission", "Week 52"), ("Time to First Relapse", "52 weeks")],
    },
    // 7b — Giant cell arteritis
    Area {
        conds: &[cs("Giant Cell Arteritis", "GCA", "D013700", "Giant Cell Arteritis", &["Temporal Arteritis"])],
        drugs: &[
            TOCILIZUMAB,
            UPADACITINIB,
            SECUKINUMAB,
            d("Prednisone", &["Deltasone"], Drug, "glucocorticoid", "tapered over 26 weeks", Some("D011241")),
        ],
        kind: Kind::Immune,
        ages: Ages::Older,
        sex: SexP::Any,
        specialty: "Rheumatology",
        keywords: &["large-vessel vasculitis", "temporal arteritis", "glucocorticoid taper", "relapse"],
        bg: "{c} is the most common primary vasculitis in people over 50 and can cause sudden vision loss; long glucocorticoid courses cause frequent adverse events.",
        anc: &[("D014657", "Vasculitis"), ("D014652", "Vascular Diseases"), CARDIO, AUTOIMMUNE],
        dx: &["Diagnosis of GCA according to the 2022 ACR/EULAR classification criteria", "New-onset or relapsing {c} with temporal artery biopsy or imaging (ultrasound, MRA or PET) consistent with large-vessel vasculitis"],
        act: &["Age ≥ 50 years at diagnosis of GCA", "Erythrocyte sedimentation rate ≥ 30 mm/hour or CRP ≥ 1 mg/dL", "Active disease within 6 weeks of baseline"],
        incl: &["Receiving prednisone 20 to 60 mg/day at baseline, with a taper planned per protocol"],
        excl: &["Major ischemic event related to GCA within 12 weeks", "Other systemic vasculitis or polymyalgia rheumatica without GCA"],
        prior: &["Prior treatment with an IL-6 inhibitor or JAK inhibitor", "Methotrexate within 6 weeks of baseline"],
        labs: &["Neutrophils < 1.0 x 10^9/L", "ALT or AST > 3 x ULN"],
        outc: &[("Proportion of Participants in Sustained Remission", "Week 52"), ("Cumulative Glucocorticoid Dose", "52 weeks")],
    },
    // 8 — Psoriasis
    Area {
        conds: &[cs("Plaque Psoriasis", "PsO", "D011565", "Psoriasis", &["Psoriasis"])],
        drugs: &[
            d("Guselkumab", &["Tremfya"], Bio, "anti-IL-23 p19 monoclonal antibody", "100 mg subcutaneously at Weeks 0 and 4, then every 8 weeks", None),
            RISANKIZUMAB,
            SECUKINUMAB,
            d("Deucravacitinib", &["Sotyktu"], Drug, "allosteric TYK2 inhibitor", "6 mg orally once daily", None),
            d("Apremilast", &["Otezla"], Drug, "PDE4 inhibitor", "30 mg orally twice daily", None),
            d("Narrowband UVB phototherapy", &[], Device, "phototherapy", "three sessions per week", None),
        ],
        kind: Kind::Immune,
        ages: Ages::Mixed,
        sex: SexP::Any,
        specialty: "Dermatology",
        keywords: &["psoriasis", "PASI", "IL-23", "IL-17", "skin"],
        bg: "{c} is a chronic immune-mediated skin disease affecting about 2-3% of the population, frequently associated with arthritis and cardiometabolic comorbidities.",
        anc: &[SKIN, ("D017444", "Skin Diseases, Papulosquamous"), SKIN_CT],
        dx: &["Chronic plaque-type psoriasis diagnosed at least {6|12} months before baseline", "Stable moderate-to-severe {c}"],
        act: &["PASI ≥ {10|12} at screening and baseline", "BSA involvement ≥ 10%", "sPGA ≥ 3 (moderate) on a 5-point scale", "IGA score ≥ 3"],
        incl: &["Candidate for systemic therapy or phototherapy"],
        excl: &["Erythrodermic, pustular or guttate psoriasis", "Drug-induced psoriasis"],
        prior: &[
            "Prior exposure to {d} or any drug targeting IL-17 or IL-23",
            "Topical therapy for psoriasis within 2 weeks of baseline (except low-potency corticosteroids on face and groin)",
            "Phototherapy (UVB or PUVA) within {4|8} weeks",
        ],
        labs: &["ALT or AST > 2 x ULN"],
        outc: &[("Percentage of Participants Achieving PASI 90", "Week 16"), ("Percentage of Participants Achieving sPGA 0/1", "Week 16")],
    },
    // 9 — Atopic dermatitis
    Area {
        conds: &[cs("Atopic Dermatitis", "AD", "D003876", "Dermatitis, Atopic", &["Eczema"])],
        drugs: &[
            DUPILUMAB,
            d("Tralokinumab", &["Adbry", "Adtralza"], Bio, "anti-IL-13 monoclonal antibody", "300 mg subcutaneously every 2 weeks", None),
            d("Lebrikizumab", &["Ebglyss"], Bio, "anti-IL-13 monoclonal antibody", "250 mg subcutaneously every 2 weeks", None),
            d("Abrocitinib", &["Cibinqo"], Drug, "selective JAK1 inhibitor", "100 or 200 mg orally once daily", None),
            UPADACITINIB,
            d("Nemolizumab", &["Nemluvio"], Bio, "anti-IL-31 receptor A monoclonal antibody", "30 mg subcutaneously every 4 weeks", None),
        ],
        kind: Kind::Immune,
        ages: Ages::Mixed,
        sex: SexP::Any,
        specialty: "Dermatology",
        keywords: &["eczema", "pruritus", "EASI", "type 2 inflammation", "itch"],
        bg: "{c} is the most common chronic inflammatory skin disease, with intense itch, sleep disturbance and a substantial burden on quality of life.",
        anc: &[SKIN, ("D003872", "Dermatitis"), ("D006967", "Hypersensitivity"), IMMUNE_SYS],
        dx: &["Chronic AD diagnosed according to the Hanifin and Rajka criteria, present for ≥ {1|3} years", "Diagnosis of {c} per American Academy of Dermatology consensus criteria"],
        act: &["EASI ≥ 16 at screening and baseline", "vIGA-AD ≥ 3", "BSA involvement ≥ 10%", "Weekly average Peak Pruritus NRS ≥ 4"],
        incl: &["Documented inadequate response to topical corticosteroids or calcineurin inhibitors within 6 months", "Applied a stable dose of emollient twice daily for at least 7 days before baseline"],
        excl: &["Active skin infection requiring systemic treatment", "Other skin conditions that may interfere with assessment (e.g., scabies, psoriasis, cutaneous T-cell lymphoma)"],
        prior: &["Prior treatment with dupilumab, tralokinumab or lebrikizumab", "Systemic immunosuppressants (cyclosporine, methotrexate, azathioprine) within 4 weeks", "Received a live-attenuated vaccine within 12 weeks of Day 1"],
        labs: &["Eosinophils > 5 x 10^9/L"],
        outc: &[("Percentage of Participants Achieving EASI-75", "Week 16"), ("Percentage of Participants With vIGA-AD 0/1 and ≥ 2-Point Improvement", "Week 16")],
    },
    // 10 — Crohn's disease
    Area {
        conds: &[cs("Crohn's Disease", "CD", "D003424", "Crohn Disease", &["Crohn Disease", "Inflammatory Bowel Diseases"])],
        drugs: &[
            d("Ustekinumab", &["Stelara"], Bio, "anti-IL-12/23 monoclonal antibody", "approximately 6 mg/kg IV induction, then 90 mg subcutaneously every 8 weeks", Some("D000069549")),
            VEDOLIZUMAB,
            d("Infliximab", &["Remicade", "Inflectra"], Bio, "TNF-alpha inhibitor", "5 mg/kg intravenously at Weeks 0, 2, 6 then every 8 weeks", Some("D000069285")),
            RISANKIZUMAB,
            UPADACITINIB,
            d("Exclusive enteral nutrition", &["Modulen"], Behav, "dietary therapy", "for 8 weeks", None),
        ],
        kind: Kind::Immune,
        ages: Ages::Mixed,
        sex: SexP::Any,
        specialty: "Gastroenterology",
        keywords: &["inflammatory bowel disease", "IBD", "mucosal healing", "endoscopic response", "fistula"],
        bg: "{c} is a chronic, progressive inflammatory bowel disease that can involve any part of the gastrointestinal tract and often leads to strictures, fistulas and surgery.",
        anc: &[IBD, ("D005759", "Gastroenteritis"), DIGESTIVE],
        dx: &["Diagnosis of CD for at least 3 months confirmed by endoscopy and histology", "Ileal, colonic or ileocolonic {c}"],
        act: &["CDAI score of 220 to 450 at baseline", "SES-CD ≥ {6|4 for isolated ileal disease}", "Average daily stool frequency ≥ 4 and abdominal pain score ≥ 2"],
        incl: &["Inadequate response, loss of response or intolerance to conventional therapy or biologics"],
        excl: &["Short bowel syndrome or ostomy", "Symptomatic bowel stricture or abdominal abscess", "Current or suspected Clostridioides difficile infection"],
        prior: &["Bowel resection within 6 months", "Prior exposure to {d}", "Received an anti-TNF agent within 8 weeks of baseline"],
        labs: &["Hemoglobin < 8 g/dL", "Stool positive for enteric pathogens"],
        outc: &[("Percentage of Participants With Clinical Remission (CDAI < 150)", "Week 12"), ("Percentage of Participants With Endoscopic Response", "Week 52")],
    },
    // 11 — Ulcerative colitis
    Area {
        conds: &[cs("Ulcerative Colitis", "UC", "D003093", "Colitis, Ulcerative", &["Colitis, Ulcerative"])],
        drugs: &[
            d("Mirikizumab", &["Omvoh"], Bio, "anti-IL-23 p19 monoclonal antibody", "300 mg intravenously every 4 weeks", None),
            d("Ozanimod", &["Zeposia"], Drug, "S1P receptor modulator", "0.92 mg orally once daily", None),
            d("Etrasimod", &["Velsipity"], Drug, "S1P receptor modulator", "2 mg orally once daily", None),
            VEDOLIZUMAB,
            d("Mesalamine", &["Lialda", "Asacol"], Drug, "aminosalicylate", "4.8 g orally once daily", None),
            d("Fecal microbiota transplantation", &[], Proc, "microbiome therapy", "via colonoscopy", None),
        ],
        kind: Kind::Immune,
        ages: Ages::Mixed,
        sex: SexP::Any,
        specialty: "Gastroenterology",
        keywords: &["inflammatory bowel disease", "colitis", "Mayo score", "mucosal healing"],
        bg: "{c} is a chronic inflammatory disease of the colonic mucosa characterized by bloody diarrhea, urgency and a relapsing course.",
        anc: &[IBD, ("D003092", "Colitis"), DIGESTIVE],
        dx: &["UC diagnosed ≥ 3 months before screening and extending ≥ 15 cm from the anal verge"],
        act: &["Modified Mayo score of 5 to 9 with an endoscopic subscore ≥ 2", "Rectal bleeding subscore ≥ 1"],
        incl: &["Stable dose of oral 5-ASA for at least 4 weeks before screening"],
        excl: &["Crohn's disease or indeterminate colitis", "Toxic megacolon", "Colonic dysplasia or adenomas not removed"],
        prior: &["Previous colectomy", "Treatment with an S1P receptor modulator at any time", "Received a JAK inhibitor within 4 weeks"],
        labs: &["Positive Clostridioides difficile toxin", "Lymphocytes < 0.8 x 10^9/L"],
        outc: &[("Percentage of Participants in Clinical Remission per Modified Mayo Score", "Week 12"), ("Endoscopic Improvement", "Week 52")],
    },
    // 12 — Multiple sclerosis
    Area {
        conds: &[
            cs("Relapsing Multiple Sclerosis", "RMS", "D009103", "Multiple Sclerosis", &["Multiple Sclerosis"]),
            c("Primary Progressive Multiple Sclerosis", "PPMS", "D020528", "Multiple Sclerosis, Chronic Progressive"),
        ],
        drugs: &[
            d("Ocrelizumab", &["Ocrevus"], Bio, "anti-CD20 monoclonal antibody", "600 mg intravenously every 24 weeks", None),
            d("Ofatumumab", &["Kesimpta"], Bio, "anti-CD20 monoclonal antibody", "20 mg subcutaneously monthly", None),
            d("Natalizumab", &["Tysabri"], Bio, "alpha4-integrin antagonist", "300 mg intravenously every 4 weeks", Some("D000069442")),
            d("Fingolimod", &["Gilenya"], Drug, "S1P receptor modulator", "0.5 mg orally once daily", Some("D000068876")),
            d("Tolebrutinib", &[], Drug, "brain-penetrant BTK inhibitor", "60 mg orally once daily", None),
            d("Aerobic exercise training", &[], Behav, "exercise", "three 40-minute sessions per week", None),
        ],
        kind: Kind::Neuro,
        ages: Ages::Adult,
        sex: SexP::Any,
        specialty: "Neurology",
        keywords: &["demyelinating disease", "relapses", "MRI lesions", "disability progression", "EDSS"],
        bg: "{c} is a chronic immune-mediated demyelinating disease of the central nervous system and a leading cause of non-traumatic disability in young adults.",
        anc: &[("D020278", "Demyelinating Autoimmune Diseases, CNS"), ("D003711", "Demyelinating Diseases"), NERVOUS, AUTOIMMUNE],
        dx: &["Diagnosis of MS according to the 2017 revised McDonald criteria", "Diagnosis of {a} per the 2017 McDonald criteria"],
        act: &["EDSS score of {0|1.0|2.0} to {5.5|6.5} at screening", "[0]At least 1 documented relapse in the previous 12 months or ≥ 1 gadolinium-enhancing lesion in the prior 6 months", "[1]Evidence of disability progression in the 2 years before screening"],
        incl: &["Neurologically stable for ≥ 30 days prior to randomization"],
        excl: &["Diagnosis of neuromyelitis optica spectrum disorder", "Contraindication to MRI or gadolinium", "History of progressive multifocal leukoencephalopathy (PML)"],
        prior: &["Treatment with alemtuzumab, cladribine or mitoxantrone at any time", "Prior anti-CD20 therapy within 12 months", "Systemic corticosteroids within 30 days before screening"],
        labs: &["Lymphocyte count < 0.8 x 10^9/L", "IgG < 5 g/L", "Positive anti-JCV antibody with index > 1.5"],
        outc: &[("Annualized Relapse Rate (ARR)", "Up to 96 weeks"), ("Time to 12-Week Confirmed Disability Progression", "Up to 120 weeks")],
    },
    // 13 — Myasthenia gravis
    Area {
        conds: &[cs("Generalized Myasthenia Gravis", "gMG", "D009157", "Myasthenia Gravis", &["Myasthenia Gravis"])],
        drugs: &[
            d("Efgartigimod alfa", &["Vyvgart"], Bio, "neonatal Fc receptor blocker", "10 mg/kg intravenously once weekly for 4 weeks", None),
            d("Eculizumab", &["Soliris"], Bio, "complement C5 inhibitor", "900 mg intravenously weekly, then 1200 mg every 2 weeks", None),
            d("Ravulizumab", &["Ultomiris"], Bio, "long-acting complement C5 inhibitor", "weight-based intravenously every 8 weeks", None),
            d("Rozanolixizumab", &["Rystiggo"], Bio, "anti-FcRn monoclonal antibody", "7 mg/kg subcutaneously once weekly", None),
            d("Thymectomy", &[], Proc, "surgery", "extended transsternal", None),
        ],
        kind: Kind::Neuro,
        ages: Ages::Adult,
        sex: SexP::Any,
        specialty: "Neurology",
        keywords: &["neuromuscular junction", "acetylcholine receptor", "FcRn", "complement", "MG-ADL"],
        bg: "{c} is an autoantibody-mediated disorder of the neuromuscular junction causing fluctuating, fatigable muscle weakness.",
        anc: &[("D020511", "Neuromuscular Junction Diseases"), ("D009468", "Neuromuscular Diseases"), NERVOUS, AUTOIMMUNE],
        dx: &["Diagnosis of gMG with MGFA clinical classification Class II to IV", "Confirmed diagnosis of {c}"],
        act: &["MG-ADL total score ≥ {5|6} with > 50% from non-ocular items", "QMG score ≥ 11"],
        incl: &["Seropositive for anti-acetylcholine receptor (AChR) antibodies", "Vaccinated against Neisseria meningitidis at least 2 weeks before the first dose"],
        excl: &["MGFA Class V (myasthenic crisis) at screening", "Thymoma not resected or thymectomy within 12 months"],
        prior: &["IVIG or plasma exchange within 4 weeks of baseline", "Rituximab within 6 months", "Prior treatment with a complement inhibitor"],
        labs: &["IgG < 6 g/L", "Total IgG < 6 g/L"],
        outc: &[("Change From Baseline in MG-ADL Total Score", "Week 26"), ("Percentage of MG-ADL Responders", "Week 4")],
    },
    // 14 — Alzheimer's disease
    Area {
        conds: &[
            cs("Alzheimer's Disease", "AD", "D000544", "Alzheimer Disease", &["Alzheimer Disease", "Dementia"]),
            c("Mild Cognitive Impairment", "MCI", "D060825", "Cognitive Dysfunction"),
        ],
        drugs: &[
            d("Lecanemab", &["Leqembi"], Bio, "anti-amyloid protofibril monoclonal antibody", "10 mg/kg intravenously every 2 weeks", None),
            d("Donanemab", &["Kisunla"], Bio, "anti-N3pG amyloid monoclonal antibody", "1400 mg intravenously every 4 weeks", None),
            d("Donepezil", &["Aricept"], Drug, "acetylcholinesterase inhibitor", "10 mg orally once daily", Some("D000077265")),
            d("Memantine", &["Namenda", "Ebixa"], Drug, "NMDA receptor antagonist", "10 mg orally twice daily", Some("D008559")),
            d("Multidomain lifestyle intervention", &[], Behav, "lifestyle", "diet, exercise, cognitive training and vascular risk monitoring", None),
        ],
        kind: Kind::Neuro,
        ages: Ages::Older,
        sex: SexP::Any,
        specialty: "Neurology",
        keywords: &["dementia", "amyloid", "tau", "cognition", "neurodegeneration", "ARIA"],
        bg: "{c} is the most common cause of dementia, with amyloid-beta plaques and tau tangles accumulating years before clinical symptoms.",
        anc: &[("D003704", "Dementia"), ("D001927", "Brain Diseases"), ("D019636", "Neurodegenerative Diseases"), NERVOUS],
        dx: &["Mild cognitive impairment due to AD or mild AD dementia according to NIA-AA criteria", "Probable Alzheimer's disease according to NINCDS-ADRDA criteria"],
        act: &["MMSE score of {20|22} to {26|28} at screening", "CDR global score of 0.5 or 1.0", "Amyloid positivity confirmed by PET or cerebrospinal fluid"],
        incl: &["Has a reliable study partner who spends at least 8 hours per week with the participant", "Stable dose of acetylcholinesterase inhibitor or memantine for ≥ 12 weeks"],
        excl: &["More than 4 microhemorrhages or any macrohemorrhage on MRI", "Any neurological condition other than AD that may contribute to cognitive impairment", "Geriatric Depression Scale score ≥ 8"],
        prior: &["Prior treatment with an anti-amyloid monoclonal antibody", "Use of anticoagulants within 4 weeks of baseline"],
        labs: &["Vitamin B12 below the lower limit of normal", "TSH outside normal range"],
        outc: &[("Change From Baseline in CDR-SB", "Week 76"), ("Change From Baseline in ADAS-Cog14", "Week 78")],
    },
    // 15 — Parkinson's disease
    Area {
        conds: &[cs("Parkinson's Disease", "PD", "D010300", "Parkinson Disease", &["Parkinson Disease"])],
        drugs: &[
            d("Levodopa/carbidopa", &["Sinemet", "Duopa"], Drug, "dopamine precursor", "individually titrated three to five times daily", Some("D007980")),
            d("Pramipexole", &["Mirapex"], Drug, "dopamine agonist", "0.375 to 4.5 mg/day orally", None),
            d("Rasagiline", &["Azilect"], Drug, "MAO-B inhibitor", "1 mg orally once daily", None),
            d("Subthalamic deep brain stimulation", &[], Device, "neuromodulation", "bilateral implantation", None),
            d("Tai chi training", &[], Behav, "exercise", "60-minute sessions twice weekly", None),
        ],
        kind: Kind::Neuro,
        ages: Ages::Older,
        sex: SexP::Any,
        specialty: "Neurology",
        keywords: &["movement disorder", "dopamine", "motor fluctuations", "dyskinesia", "alpha-synuclein"],
        bg: "{c} is the second most common neurodegenerative disorder, characterized by bradykinesia, rigidity and tremor due to loss of dopaminergic neurons.",
        anc: &[("D020734", "Parkinsonian Disorders"), ("D001480", "Basal Ganglia Diseases"), ("D019636", "Neurodegenerative Diseases"), NERVOUS],
        dx: &["Diagnosis of idiopathic PD according to the MDS clinical diagnostic criteria", "Clinically established {c} for ≥ {3|5} years"],
        act: &["Modified Hoehn and Yahr stage ≤ {2.5|3} in the ON state", "At least 2.5 hours of daily OFF time", "MDS-UPDRS Part III score ≥ 20 in the OFF state"],
        incl: &["Stable dose of antiparkinsonian medication for ≥ 4 weeks"],
        excl: &["Atypical or secondary parkinsonism", "Montreal Cognitive Assessment < 24", "Prior neurosurgical procedure for PD"],
        prior: &["Use of antipsychotics or metoclopramide within 3 months"],
        labs: &["Creatinine clearance < 50 mL/min"],
        outc: &[("Change From Baseline in MDS-UPDRS Part III Score", "Week 12"), ("Change From Baseline in Daily OFF Time", "Week 18")],
    },
    // 16 — Epilepsy
    Area {
        conds: &[
            cs("Focal Epilepsy", "", "D004827", "Epilepsy", &["Epilepsy", "Partial-Onset Seizures"]),
            c("Dravet Syndrome", "DS", "D004831", "Epilepsies, Myoclonic"),
            c("Lennox-Gastaut Syndrome", "LGS", "D065768", "Lennox Gastaut Syndrome"),
        ],
        drugs: &[
            d("Cenobamate", &["Xcopri"], Drug, "antiseizure medication", "up to 400 mg/day orally", None),
            d("Levetiracetam", &["Keppra"], Drug, "SV2A ligand", "1000 to 3000 mg/day orally", Some("D000077287")),
            d("Lacosamide", &["Vimpat"], Drug, "sodium channel modulator", "200 to 400 mg/day orally", Some("D000078334")),
            d("Cannabidiol", &["Epidiolex", "Epidyolex"], Drug, "cannabinoid", "10 to 20 mg/kg/day orally", Some("D002185")),
            d("Fenfluramine", &["Fintepla"], Drug, "serotonin releasing agent", "0.2 to 0.7 mg/kg/day orally", None),
            d("Ketogenic diet", &[], Behav, "dietary therapy", "4:1 ratio for 3 months", None),
        ],
        kind: Kind::Neuro,
        ages: Ages::Mixed,
        sex: SexP::Any,
        specialty: "Neurology",
        keywords: &["seizures", "antiseizure medication", "drug-resistant epilepsy", "seizure diary"],
        bg: "{c} affects millions of people worldwide, and about one third of patients continue to have seizures despite adequate trials of two or more medications.",
        anc: &[("D001927", "Brain Diseases"), ("D002493", "Central Nervous System Diseases"), NERVOUS],
        dx: &["Diagnosis of epilepsy according to the ILAE 2017 classification", "Confirmed diagnosis of {c} with onset before age {5|11} years"],
        act: &["At least {4|8} countable seizures per 28 days during the 8-week baseline", "Seizure-free interval of no more than 25 days during baseline"],
        incl: &["On a stable regimen of 1 to 3 antiseizure medications for ≥ 4 weeks", "Caregiver able to complete the electronic seizure diary"],
        excl: &["Status epilepticus within 6 months", "Psychogenic non-epileptic seizures", "Progressive neurological disease"],
        prior: &["Vagus nerve stimulation settings changed within 3 months", "Use of felbamate for less than 18 months"],
        labs: &["ALT or AST > 3 x ULN"],
        outc: &[("Percent Change From Baseline in Monthly Seizure Frequency", "Week 12"), ("50% Responder Rate", "Maintenance period (12 weeks)")],
    },
    // 17 — Migraine
    Area {
        conds: &[cs("Migraine", "", "D008881", "Migraine Disorders", &["Chronic Migraine", "Episodic Migraine"])],
        drugs: &[
            d("Erenumab", &["Aimovig"], Bio, "anti-CGRP receptor monoclonal antibody", "70 or 140 mg subcutaneously monthly", None),
            d("Fremanezumab", &["Ajovy"], Bio, "anti-CGRP monoclonal antibody", "225 mg monthly or 675 mg quarterly", None),
            d("Galcanezumab", &["Emgality"], Bio, "anti-CGRP monoclonal antibody", "120 mg subcutaneously monthly", None),
            d("Rimegepant", &["Nurtec ODT", "Vydura"], Drug, "CGRP receptor antagonist", "75 mg orally every other day", None),
            d("Atogepant", &["Qulipta"], Drug, "CGRP receptor antagonist", "60 mg orally once daily", None),
        ],
        kind: Kind::Neuro,
        ages: Ages::Mixed,
        sex: SexP::Any,
        specialty: "Neurology",
        keywords: &["headache", "CGRP", "prevention", "monthly migraine days"],
        bg: "{c} is a common disabling primary headache disorder, ranked among the leading causes of years lived with disability.",
        anc: &[("D020773", "Headache Disorders, Primary"), ("D001927", "Brain Diseases"), NERVOUS],
        dx: &["History of migraine with or without aura for ≥ 12 months according to ICHD-3", "Migraine onset before age 50"],
        act: &["4 to 14 monthly migraine days during the 28-day baseline", "≥ 15 headache days per month, of which ≥ 8 are migraine days"],
        incl: &["≥ 80% compliance with the electronic headache diary during baseline"],
        excl: &["Medication overuse headache attributable to opioids or barbiturates", "Cluster headache or hemiplegic migraine"],
        prior: &["OnabotulinumtoxinA injection in the head or neck within {3|4} months", "Prior CGRP pathway monoclonal antibody", "Failure of more than 4 classes of preventive treatment"],
        labs: &[],
        outc: &[("Change From Baseline in Mean Monthly Migraine Days", "Weeks 9-12"), ("≥ 50% Reduction in Monthly Migraine Days", "Week 12")],
    },
    // 18 — Stroke
    Area {
        conds: &[
            cs("Acute Ischemic Stroke", "AIS", "D000083242", "Ischemic Stroke", &["Stroke"]),
        ],
        drugs: &[
            d("Tenecteplase", &["TNKase", "Metalyse"], Bio, "thrombolytic", "0.25 mg/kg intravenous bolus", Some("D000077593")),
            d("Alteplase", &["Activase", "Actilyse"], Bio, "tissue plasminogen activator", "0.9 mg/kg intravenously", None),
            d("Endovascular thrombectomy", &[], Proc, "mechanical thrombectomy", "with a stent retriever or aspiration", None),
            d("Intensive blood pressure lowering", &[], IType::Other, "blood pressure management", "target systolic < 140 mmHg", None),
            d("Robot-assisted upper limb rehabilitation", &[], Device, "rehabilitation", "45 minutes daily for 4 weeks", None),
        ],
        kind: Kind::Cardio,
        ages: Ages::Older,
        sex: SexP::Any,
        specialty: "Stroke",
        keywords: &["thrombolysis", "thrombectomy", "large vessel occlusion", "modified Rankin Scale", "neurorehabilitation"],
        bg: "{c} is a leading cause of death and long-term disability; outcomes depend critically on time to reperfusion and early rehabilitation.",
        anc: &[("D020521", "Stroke"), ("D002561", "Cerebrovascular Disorders"), ("D014652", "Vascular Diseases"), NERVOUS, CARDIO],
        dx: &["Clinical diagnosis of acute ischemic stroke with symptom onset within {4.5|6|24} hours", "Occlusion of the internal carotid artery or M1 segment on CT or MR angiography"],
        act: &["NIHSS ≥ {4|6} at randomization", "ASPECTS ≥ 6 on non-contrast CT"],
        incl: &["Pre-stroke modified Rankin Scale score 0-1"],
        excl: &["Evidence of intracranial hemorrhage on baseline imaging", "Blood glucose < 50 mg/dL or > 400 mg/dL", "Sustained systolic blood pressure > 185 mmHg despite treatment"],
        prior: &["Therapeutic anticoagulation with INR > 1.7 or direct oral anticoagulant within 48 hours"],
        labs: &["Platelets < 100 x 10^9/L", "INR > 1.7"],
        outc: &[("Modified Rankin Scale (mRS) Score 0-2", "Day 90"), ("Symptomatic Intracranial Hemorrhage", "36 hours")],
    },
    // 19 — Major depressive disorder
    Area {
        conds: &[
            cs("Major Depressive Disorder", "MDD", "D003865", "Depressive Disorder, Major", &["Depression"]),
            c("Treatment-Resistant Depression", "TRD", "D061218", "Depressive Disorder, Treatment-Resistant"),
        ],
        drugs: &[
            d("Esketamine", &["Spravato"], Drug, "NMDA receptor antagonist", "56 or 84 mg intranasally twice weekly", None),
            d("Vortioxetine", &["Trintellix", "Brintellix"], Drug, "multimodal antidepressant", "10 to 20 mg orally once daily", None),
            d("Escitalopram", &["Lexapro", "Cipralex"], Drug, "SSRI", "10 to 20 mg orally once daily", Some("D015283")),
            d("Zuranolone", &["Zurzuvae"], Drug, "GABA-A receptor positive allosteric modulator", "50 mg orally once daily for 14 days", None),
            d("Cognitive behavioral therapy", &[], Behav, "psychotherapy", "16 weekly sessions", None),
            d("Repetitive transcranial magnetic stimulation", &[], Device, "neuromodulation", "daily sessions for 6 weeks", None),
        ],
        kind: Kind::Psych,
        ages: Ages::Adult,
        sex: SexP::Any,
        specialty: "Psychiatry",
        keywords: &["depression", "antidepressant", "MADRS", "anhedonia", "suicidality"],
        bg: "{c} is a leading cause of disability worldwide, and fewer than half of patients achieve remission with a first antidepressant.",
        anc: &[("D003866", "Depressive Disorder"), ("D019964", "Mood Disorders"), MENTAL],
        dx: &["Diagnosis of MDD, single or recurrent episode, without psychotic features according to DSM-5, confirmed by the MINI", "Current major depressive episode of at least {4|8} weeks' duration"],
        act: &["MADRS total score ≥ {26|28} at screening and baseline", "HAM-D17 total score ≥ {20|22}", "CGI-S ≥ 4"],
        incl: &["Inadequate response to at least 2 antidepressants in the current episode", "Stable antidepressant dose for ≥ 6 weeks"],
        excl: &["Lifetime history of bipolar disorder, schizophrenia or other psychotic disorder", "Current posttraumatic stress disorder, obsessive-compulsive disorder or eating disorder as the primary diagnosis"],
        prior: &["Electroconvulsive therapy within the current episode", "Use of ketamine or esketamine within 6 months"],
        labs: &["Positive urine drug screen for illicit substances"],
        outc: &[("Change From Baseline in MADRS Total Score", "Day 28"), ("Change From Baseline in HAM-D17", "Week 8")],
    },
    // 20 — Schizophrenia
    Area {
        conds: &[cs("Schizophrenia", "", "D012559", "Schizophrenia", &["Psychotic Disorders"])],
        drugs: &[
            d("Xanomeline-trospium", &["Cobenfy"], Drug, "muscarinic agonist", "50/20 to 125/30 mg orally twice daily", None),
            d("Aripiprazole", &["Abilify", "Abilify Maintena"], Drug, "dopamine partial agonist", "400 mg intramuscularly monthly", Some("D000068180")),
            d("Olanzapine", &["Zyprexa"], Drug, "second-generation antipsychotic", "10 to 20 mg orally once daily", Some("D000077152")),
            d("Paliperidone palmitate", &["Invega Sustenna", "Xeplion"], Drug, "long-acting injectable antipsychotic", "monthly intramuscular injection", None),
            d("Cognitive remediation", &[], Behav, "psychosocial intervention", "twice weekly for 12 weeks", None),
        ],
        kind: Kind::Psych,
        ages: Ages::Adult,
        sex: SexP::Any,
        specialty: "Psychiatry",
        keywords: &["psychosis", "antipsychotic", "PANSS", "negative symptoms", "relapse prevention"],
        bg: "{c} is a severe chronic mental illness with positive, negative and cognitive symptoms and a high risk of relapse after treatment discontinuation.",
        anc: &[("D019967", "Schizophrenia Spectrum and Other Psychotic Disorders"), MENTAL],
        dx: &["DSM-5 diagnosis of schizophrenia confirmed by the SCID-CT", "Primary diagnosis of {c} for at least 1 year"],
        act: &["PANSS total score of {80|70} to 120 at screening", "CGI-S ≥ 4 (moderately ill)", "Acute exacerbation of psychosis with onset < 2 months before screening"],
        incl: &["Has an identified caregiver or case manager"],
        excl: &["Primary DSM-5 diagnosis other than schizophrenia", "Treatment-resistant schizophrenia (failure of clozapine)", "History of neuroleptic malignant syndrome"],
        prior: &["Clozapine within 12 weeks", "Long-acting injectable antipsychotic within one dosing interval before screening"],
        labs: &["Positive drug screen for cocaine, amphetamines or opiates", "Prolactin > 200 ng/mL"],
        outc: &[("Change From Baseline in PANSS Total Score", "Week 5"), ("Time to Relapse", "Up to 52 weeks")],
    },
    // 21 — ADHD
    Area {
        conds: &[cs("Attention Deficit Hyperactivity Disorder", "ADHD", "D001289", "Attention Deficit Disorder with Hyperactivity", &["ADHD"])],
        drugs: &[
            d("Methylphenidate extended-release", &["Concerta", "Ritalin LA"], Drug, "CNS stimulant", "18 to 54 mg orally once daily", Some("D008774")),
            d("Lisdexamfetamine", &["Vyvanse", "Elvanse"], Drug, "CNS stimulant prodrug", "30 to 70 mg orally once daily", None),
            d("Atomoxetine", &["Strattera"], Drug, "norepinephrine reuptake inhibitor", "1.2 mg/kg/day orally", None),
            d("Viloxazine extended-release", &["Qelbree"], Drug, "norepinephrine reuptake inhibitor", "200 to 400 mg orally once daily", None),
            d("Behavioral parent training", &[], Behav, "parent training", "10 weekly group sessions", None),
        ],
        kind: Kind::Psych,
        ages: Ages::Peds,
        sex: SexP::Any,
        specialty: "Child Psychiatry",
        keywords: &["ADHD", "stimulant", "inattention", "hyperactivity", "children"],
        bg: "{c} is a common neurodevelopmental disorder of childhood that often persists into adulthood and impairs academic and social functioning.",
        anc: &[("D019958", "Attention Deficit and Disruptive Behavior Disorders"), ("D065886", "Neurodevelopmental Disorders"), MENTAL],
        dx: &["Meets DSM-5 criteria for ADHD (any presentation) confirmed by the K-SADS-PL", "Primary diagnosis of {a}"],
        act: &["ADHD-RS-5 total score ≥ {28|24} at baseline", "CGI-S ≥ 4"],
        incl: &["Parent or legal guardian willing to complete rating scales", "Attending school full time"],
        excl: &["Intellectual disability (IQ < 70)", "Autism spectrum disorder as the primary diagnosis", "Structural cardiac abnormality or family history of sudden cardiac death"],
        prior: &["Failure of two adequate stimulant trials", "Use of clonidine or guanfacine within 2 weeks"],
        labs: &["Blood pressure > 95th percentile for age and sex"],
        outc: &[("Change From Baseline in ADHD-RS-5 Total Score", "Week 6")],
    },
    // 22 — Type 2 diabetes
    Area {
        conds: &[cs("Type 2 Diabetes", "T2D", "D003924", "Diabetes Mellitus, Type 2", &["Diabetes Mellitus, Type 2", "T2DM"])],
        drugs: &[
            SEMAGLUTIDE,
            TIRZEPATIDE,
            EMPAGLIFLOZIN,
            DAPAGLIFLOZIN,
            d("Metformin", &["Glucophage"], Drug, "biguanide", "1500 to 2000 mg/day orally", Some("D008687")),
            d("Insulin glargine", &["Lantus", "Toujeo"], Drug, "basal insulin analogue", "titrated once daily subcutaneously", Some("D000069036")),
            d("Orforglipron", &[], Drug, "oral non-peptide GLP-1 receptor agonist", "up to 36 mg orally once daily", None),
            d("Intensive lifestyle intervention", &[], Behav, "lifestyle", "diet and 150 minutes/week of physical activity", None),
        ],
        kind: Kind::Metab,
        ages: Ages::Adult,
        sex: SexP::Any,
        specialty: "Endocrinology",
        keywords: &["glycemic control", "HbA1c", "incretin", "insulin resistance", "cardiovascular outcomes"],
        bg: "{c} affects more than 500 million adults worldwide and is a major driver of cardiovascular, kidney and eye disease.",
        anc: &[("D003920", "Diabetes Mellitus"), ("D044882", "Glucose Metabolism Disorders"), METAB, ENDOCRINE],
        dx: &["Diagnosed with T2D at least {90|180} days before screening", "Type 2 diabetes mellitus according to ADA criteria"],
        act: &["HbA1c ≥ 7.0% and ≤ {10.0|10.5}% at screening", "BMI ≥ {23|25|27} kg/m2", "Fasting plasma glucose ≤ 270 mg/dL"],
        incl: &["Stable metformin ≥ 1500 mg/day for ≥ 90 days before screening", "Treated with diet and exercise alone or on a stable dose of up to 2 oral antidiabetic drugs"],
        excl: &["Type 1 diabetes or latent autoimmune diabetes in adults", "History of pancreatitis", "Proliferative retinopathy or maculopathy requiring acute treatment", "Personal or family history of medullary thyroid carcinoma or MEN2"],
        prior: &["Treatment with a GLP-1 receptor agonist within 90 days", "Insulin use within 90 days except short-term use ≤ 14 days", "Systemic corticosteroids within 8 weeks"],
        labs: &["eGFR < {30|45} mL/min/1.73m2", "Calcitonin ≥ 50 ng/L", "Fasting triglycerides > 500 mg/dL"],
        outc: &[("Change From Baseline in HbA1c", "Week 40"), ("Change From Baseline in Body Weight", "Week 52"), ("Time to First MACE", "Up to 5 years")],
    },
    // 23 — Type 1 diabetes
    Area {
        conds: &[cs("Type 1 Diabetes", "T1D", "D003922", "Diabetes Mellitus, Type 1", &["Diabetes Mellitus, Type 1"])],
        drugs: &[
            d("Teplizumab", &["Tzield"], Bio, "anti-CD3 monoclonal antibody", "14-day intravenous course", None),
            d("Insulin aspart", &["NovoLog", "Fiasp"], Drug, "rapid-acting insulin analogue", "mealtime subcutaneous bolus", None),
            d("Hybrid closed-loop insulin delivery system", &["MiniMed 780G"], Device, "automated insulin delivery", "continuous use", None),
            d("Continuous glucose monitoring", &["Dexcom G7"], Device, "glucose sensor", "continuous wear", None),
            d("Verapamil", &["Calan"], Drug, "calcium channel blocker", "120 to 360 mg/day orally", None),
        ],
        kind: Kind::Metab,
        ages: Ages::Peds,
        sex: SexP::Any,
        specialty: "Pediatric Endocrinology",
        keywords: &["beta cell", "C-peptide", "islet autoantibodies", "automated insulin delivery", "time in range"],
        bg: "{c} results from autoimmune destruction of pancreatic beta cells and requires lifelong insulin therapy.",
        anc: &[("D003920", "Diabetes Mellitus"), AUTOIMMUNE, METAB, ENDOCRINE],
        dx: &["Clinical diagnosis of T1D for ≥ {1|6|12} months", "Diagnosis of stage 3 {c} within 100 days of randomization"],
        act: &["HbA1c ≤ {10|10.5}%", "Peak stimulated C-peptide ≥ 0.2 pmol/mL during MMTT"],
        incl: &["Positive for at least one islet autoantibody (GAD65, IA-2, ZnT8 or insulin)", "Using multiple daily injections or an insulin pump"],
        excl: &["Severe hypoglycemia requiring assistance within 6 months", "Diabetic ketoacidosis within 3 months", "Celiac disease not on a gluten-free diet"],
        prior: &["Use of non-insulin glucose-lowering medication within 3 months"],
        labs: &["Hemoglobin < 10 g/dL", "Lymphocytes < 1.0 x 10^9/L"],
        outc: &[("Percentage of Time in Range 70-180 mg/dL", "Week 26"), ("Change From Baseline in C-peptide AUC", "Week 78")],
    },
    // 24 — Obesity
    Area {
        conds: &[cs("Obesity", "", "D009765", "Obesity", &["Overweight"])],
        drugs: &[
            SEMAGLUTIDE,
            TIRZEPATIDE,
            d("Liraglutide", &["Saxenda", "Victoza"], Drug, "GLP-1 receptor agonist", "3.0 mg subcutaneously once daily", Some("D000069450")),
            d("Retatrutide", &[], Drug, "GIP/GLP-1/glucagon receptor agonist", "up to 12 mg subcutaneously once weekly", None),
            d("Laparoscopic sleeve gastrectomy", &[], Proc, "bariatric surgery", "single procedure", None),
            d("Structured weight management programme", &[], Behav, "behavioral", "weekly group sessions for 12 months", None),
        ],
        kind: Kind::Metab,
        ages: Ages::Mixed,
        sex: SexP::Any,
        specialty: "Obesity Medicine",
        keywords: &["weight loss", "BMI", "incretin", "bariatric surgery", "cardiometabolic"],
        bg: "{c} is a chronic, relapsing disease that increases the risk of type 2 diabetes, cardiovascular disease, osteoarthritis and several cancers.",
        anc: &[("D050177", "Overweight"), ("D044343", "Overnutrition"), ("D009748", "Nutrition Disorders"), METAB],
        dx: &["BMI ≥ 30 kg/m2, or ≥ 27 kg/m2 with at least one weight-related comorbidity", "BMI ≥ {35|40} kg/m2"],
        act: &["History of at least one unsuccessful dietary effort to lose body weight"],
        incl: &["Stable body weight (< 5 kg change) during the 90 days before screening"],
        excl: &["Diabetes mellitus (HbA1c ≥ 6.5%)", "Prior or planned obesity surgery", "Obesity due to an endocrine disorder or monogenic obesity"],
        prior: &["Use of anti-obesity medication within 90 days"],
        labs: &["TSH > 6 mIU/L or < 0.4 mIU/L", "Calcitonin ≥ 50 ng/L"],
        outc: &[("Percent Change From Baseline in Body Weight", "Week 72"), ("Percentage of Participants Achieving ≥ 5% Weight Reduction", "Week 68")],
    },
    // 25 — Heart failure
    Area {
        conds: &[
            cs("Heart Failure With Reduced Ejection Fraction", "HFrEF", "D006333", "Heart Failure", &["Heart Failure"]),
            c("Heart Failure With Preserved Ejection Fraction", "HFpEF", "D006333", "Heart Failure"),
        ],
        drugs: &[
            d("Sacubitril/valsartan", &["Entresto"], Drug, "angiotensin receptor-neprilysin inhibitor", "97/103 mg orally twice daily", None),
            DAPAGLIFLOZIN,
            EMPAGLIFLOZIN,
            d("Vericiguat", &["Verquvo"], Drug, "soluble guanylate cyclase stimulator", "10 mg orally once daily", None),
            FINERENONE,
            d("Home-based cardiac rehabilitation", &[], Behav, "exercise training", "12 weeks", None),
            d("Cardiac contractility modulation", &["Optimizer"], Device, "implantable device", "implant", None),
        ],
        kind: Kind::Cardio,
        ages: Ages::Older,
        sex: SexP::Any,
        specialty: "Cardiology",
        keywords: &["heart failure", "ejection fraction", "NT-proBNP", "hospitalization", "cardiovascular death"],
        bg: "{c} affects more than 60 million people worldwide and carries a high risk of hospitalization and death despite guideline-directed therapy.",
        anc: &[HEART, CARDIO],
        dx: &["Diagnosis of symptomatic chronic heart failure for ≥ {3|6} months", "Hospitalized for acute decompensated heart failure"],
        act: &["[0]LVEF ≤ {35|40}% within 12 months", "[1]LVEF ≥ 50% with evidence of structural heart disease or elevated filling pressures", "NYHA functional class II-IV", "NT-proBNP ≥ {400|600|1000} pg/mL (≥ 900 pg/mL if atrial fibrillation)"],
        incl: &["On optimal guideline-directed medical therapy for at least 4 weeks", "Systolic blood pressure ≥ 100 mmHg"],
        excl: &["Acute coronary syndrome, stroke or cardiac surgery within 90 days", "Hypertrophic or infiltrative cardiomyopathy", "Planned heart transplantation or LVAD implantation"],
        prior: &["Current treatment with an SGLT2 inhibitor", "Use of intravenous inotropes within 30 days"],
        labs: &["eGFR < {20|25|30} mL/min/1.73m2", "Serum potassium > 5.0 mmol/L"],
        outc: &[("Time to First Occurrence of Cardiovascular Death or Heart Failure Hospitalization", "Up to 36 months"), ("Change From Baseline in KCCQ Total Symptom Score", "Month 8")],
    },
    // 26 — Atrial fibrillation
    Area {
        conds: &[cs("Atrial Fibrillation", "AF", "D001281", "Atrial Fibrillation", &["AFib"])],
        drugs: &[
            d("Apixaban", &["Eliquis"], Drug, "factor Xa inhibitor", "5 mg orally twice daily", None),
            d("Rivaroxaban", &["Xarelto"], Drug, "factor Xa inhibitor", "20 mg orally once daily", None),
            d("Abelacimab", &[], Bio, "factor XI inhibitor", "150 mg subcutaneously monthly", None),
            d("Pulsed field ablation", &["Farapulse"], Device, "catheter ablation system", "single procedure", None),
            d("Catheter ablation", &[], Proc, "pulmonary vein isolation", "single procedure", None),
        ],
        kind: Kind::Cardio,
        ages: Ages::Older,
        sex: SexP::Any,
        specialty: "Cardiology",
        keywords: &["arrhythmia", "anticoagulation", "stroke prevention", "ablation", "rhythm control"],
        bg: "{c} is the most common sustained arrhythmia and increases the risk of ischemic stroke about five-fold.",
        anc: &[("D001145", "Arrhythmias, Cardiac"), HEART, CARDIO],
        dx: &["Paroxysmal or persistent AF documented by ECG within {6|12} months", "Non-valvular {c}"],
        act: &["CHA2DS2-VASc score ≥ {2|3}"],
        incl: &["Symptomatic AF refractory or intolerant to at least one class I or III antiarrhythmic drug"],
        excl: &["Moderate to severe mitral stenosis or mechanical heart valve", "Left atrial diameter > 50 mm", "Active bleeding or high bleeding risk (HAS-BLED ≥ 4)"],
        prior: &["Previous left atrial ablation", "Amiodarone use within 90 days"],
        labs: &["Creatinine clearance < 25 mL/min", "Platelets < 100 x 10^9/L"],
        outc: &[("Freedom From Atrial Arrhythmia Recurrence", "12 months"), ("Time to First Stroke or Systemic Embolism", "Up to 30 months")],
    },
    // 27 — Hypertension
    Area {
        conds: &[cs("Hypertension", "HTN", "D006973", "Hypertension", &["High Blood Pressure", "Resistant Hypertension"])],
        drugs: &[
            d("Zilebesiran", &[], Drug, "angiotensinogen siRNA", "300 mg subcutaneously every 6 months", None),
            d("Aprocitentan", &["Tryvio"], Drug, "dual endothelin receptor antagonist", "12.5 mg orally once daily", None),
            d("Amlodipine", &["Norvasc"], Drug, "calcium channel blocker", "5 to 10 mg orally once daily", Some("D017311")),
            d("Renal denervation", &["Symplicity Spyral"], Device, "catheter-based denervation", "single procedure", None),
            d("Pharmacist-led blood pressure management", &[], Behav, "care model", "monthly visits", None),
        ],
        kind: Kind::Cardio,
        ages: Ages::Adult,
        sex: SexP::Any,
        specialty: "Cardiology",
        keywords: &["blood pressure", "resistant hypertension", "ambulatory blood pressure monitoring", "cardiovascular risk"],
        bg: "{c} is the leading modifiable risk factor for stroke, myocardial infarction and kidney disease, and fewer than a quarter of patients are controlled.",
        anc: &[("D014652", "Vascular Diseases"), CARDIO],
        dx: &["Primary hypertension treated with ≥ {2|3} antihypertensive drugs at stable doses for ≥ 4 weeks", "Diagnosis of essential {c}"],
        act: &["Mean seated office systolic blood pressure ≥ {140|150} and < 180 mmHg", "24-hour ambulatory systolic BP ≥ 130 mmHg", "Mean seated diastolic blood pressure ≥ 90 mmHg"],
        incl: &["Willing to discontinue current antihypertensive medication during the run-in period"],
        excl: &["Secondary hypertension (e.g., primary aldosteronism, renal artery stenosis, pheochromocytoma)", "New York Heart Association class IV heart failure", "Orthostatic hypotension with symptoms"],
        prior: &["Prior renal denervation", "Use of a mineralocorticoid receptor antagonist within 4 weeks"],
        labs: &["eGFR < {30|45} mL/min/1.73m2", "Serum potassium > 5.0 mmol/L", "Serum sodium < 135 mmol/L"],
        outc: &[("Change From Baseline in Mean Seated Office SBP", "Month 3"), ("Change From Baseline in 24-hour Mean Ambulatory SBP", "Month 6")],
    },
    // 27b — Atherosclerotic cardiovascular disease and hypercholesterolaemia
    Area {
        conds: &[
            cs("Hypercholesterolemia", "", "D006937", "Hypercholesterolemia", &["Dyslipidemias"]),
            c("Coronary Artery Disease", "CAD", "D003324", "Coronary Artery Disease"),
            c("Atherosclerotic Cardiovascular Disease", "ASCVD", "D050197", "Atherosclerosis"),
        ],
        drugs: &[
            d("Inclisiran", &["Leqvio"], Drug, "PCSK9 siRNA", "284 mg subcutaneously on Day 1, Day 90 and every 6 months", None),
            d("Evolocumab", &["Repatha"], Bio, "PCSK9 inhibitor", "140 mg subcutaneously every 2 weeks", None),
            d("Atorvastatin", &["Lipitor"], Drug, "statin", "40 to 80 mg orally once daily", Some("D000069059")),
            d("Bempedoic acid", &["Nexletol", "Nilemdo"], Drug, "ACL inhibitor", "180 mg orally once daily", None),
            d("Ticagrelor", &["Brilinta", "Brilique"], Drug, "P2Y12 inhibitor", "90 mg orally twice daily", Some("D000077486")),
        ],
        kind: Kind::Cardio,
        ages: Ages::Adult,
        sex: SexP::Any,
        specialty: "Cardiology",
        keywords: &["LDL cholesterol", "PCSK9", "secondary prevention", "atherosclerosis", "lipid lowering"],
        bg: "Elevated LDL cholesterol is a causal risk factor for {c}, and many patients do not reach guideline targets on statins alone.",
        anc: &[("D014652", "Vascular Diseases"), CARDIO, ("D006949", "Hyperlipidemias"), METAB],
        dx: &["History of atherosclerotic cardiovascular disease (myocardial infarction, ischemic stroke or symptomatic peripheral artery disease)", "Heterozygous familial hypercholesterolemia by genetic testing or Dutch Lipid Clinic Network score > 8"],
        act: &["LDL-C ≥ {70|100} mg/dL despite maximally tolerated statin therapy", "Fasting LDL-C ≥ 1.8 mmol/L at screening"],
        incl: &["On a stable lipid-lowering regimen for ≥ 4 weeks before screening", "Fasting triglycerides < 400 mg/dL"],
        excl: &["Homozygous familial hypercholesterolemia", "Acute coronary syndrome or revascularization within 3 months", "Planned cardiac surgery"],
        prior: &["Previous treatment with a PCSK9 inhibitor within 90 days", "Lipid apheresis within 3 months"],
        labs: &["Creatine kinase > 5 x ULN", "eGFR < 30 mL/min/1.73m2", "ALT or AST > 3 x ULN"],
        outc: &[("Percent Change From Baseline in LDL-C", "Day 510"), ("Time to First Major Adverse Cardiovascular Event (MACE)", "Up to 5 years")],
    },
    // 28 — Asthma
    Area {
        conds: &[cs("Asthma", "", "D001249", "Asthma", &["Severe Asthma", "Eosinophilic Asthma"])],
        drugs: &[
            DUPILUMAB,
            d("Mepolizumab", &["Nucala"], Bio, "anti-IL-5 monoclonal antibody", "100 mg subcutaneously every 4 weeks", None),
            d("Benralizumab", &["Fasenra"], Bio, "anti-IL-5 receptor alpha monoclonal antibody", "30 mg subcutaneously every 8 weeks", None),
            d("Tezepelumab", &["Tezspire"], Bio, "anti-TSLP monoclonal antibody", "210 mg subcutaneously every 4 weeks", None),
            d("Budesonide/formoterol", &["Symbicort"], Drug, "ICS/LABA", "160/4.5 µg as needed", Some("D019819")),
            d("Omalizumab", &["Xolair"], Bio, "anti-IgE monoclonal antibody", "dose by IgE and weight every 2-4 weeks", Some("D000069444")),
        ],
        kind: Kind::Resp,
        ages: Ages::Mixed,
        sex: SexP::Any,
        specialty: "Pulmonology",
        keywords: &["asthma exacerbations", "eosinophils", "FeNO", "biologic", "type 2 inflammation"],
        bg: "{c} affects more than 300 million people; patients with severe disease have frequent exacerbations despite high-dose inhaled corticosteroids.",
        anc: &[("D001982", "Bronchial Diseases"), LUNG, RESP, ("D006969", "Hypersensitivity, Immediate")],
        dx: &["Physician-diagnosed asthma for ≥ 12 months according to GINA 2023", "Diagnosis of {c} with documented reversibility"],
        act: &["Pre-bronchodilator FEV1 {40|50}-{80|85}% of predicted", "≥ 2 asthma exacerbations requiring systemic corticosteroids in the previous 12 months", "ACQ-6 score ≥ 1.5", "Blood eosinophils ≥ {150|300} cells/µL"],
        incl: &["Bronchodilator reversibility of FEV1 ≥ 12% and ≥ 200 mL", "On medium- to high-dose ICS plus at least one controller for ≥ 3 months"],
        excl: &["Current smoker or former smoker with ≥ 10 pack-years", "Clinically important lung disease other than asthma (e.g., COPD, bronchiectasis)", "Life-threatening asthma requiring intubation within 5 years"],
        prior: &["Treatment with any marketed or investigational biologic within {4|6} months or 5 half-lives", "Bronchial thermoplasty within 3 years"],
        labs: &["Helminth infection within 6 months"],
        outc: &[("Annualized Rate of Severe Asthma Exacerbations", "52 weeks"), ("Change From Baseline in Pre-bronchodilator FEV1", "Week 12")],
    },
    // 29 — COPD
    Area {
        conds: &[cs("Chronic Obstructive Pulmonary Disease", "COPD", "D029424", "Pulmonary Disease, Chronic Obstructive", &["Emphysema", "Chronic Bronchitis"])],
        drugs: &[
            d("Tiotropium", &["Spiriva"], Drug, "long-acting muscarinic antagonist", "18 µg inhaled once daily", Some("D000069447")),
            d("Ensifentrine", &["Ohtuvayre"], Drug, "PDE3/PDE4 inhibitor", "3 mg nebulized twice daily", None),
            DUPILUMAB,
            d("Budesonide/glycopyrronium/formoterol", &["Breztri", "Trixeo"], Drug, "ICS/LAMA/LABA", "320/18/9.6 µg inhaled twice daily", None),
            d("Pulmonary rehabilitation", &[], Behav, "rehabilitation", "8 weeks of supervised exercise and education", None),
            d("Endobronchial valves", &["Zephyr"], Device, "bronchoscopic lung volume reduction", "single procedure", None),
        ],
        kind: Kind::Resp,
        ages: Ages::Older,
        sex: SexP::Any,
        specialty: "Pulmonology",
        keywords: &["COPD", "exacerbations", "bronchodilator", "emphysema", "spirometry"],
        bg: "{c} is the third leading cause of death worldwide and is characterized by persistent airflow limitation and recurrent exacerbations.",
        anc: &[("D008173", "Lung Diseases, Obstructive"), LUNG, RESP],
        dx: &["Physician-diagnosed COPD for ≥ 1 year", "Post-bronchodilator FEV1/FVC < 0.70"],
        act: &["Post-bronchodilator FEV1 {30|40}-{70|80}% of predicted", "≥ 2 moderate or ≥ 1 severe exacerbation in the previous year", "mMRC dyspnea grade ≥ 2", "CAT score ≥ 10"],
        incl: &["Current or former smoker with ≥ 10 pack-years", "Blood eosinophils ≥ 300 cells/µL"],
        excl: &["Current diagnosis of asthma", "Alpha-1 antitrypsin deficiency", "Long-term oxygen therapy > 4 L/min"],
        prior: &["COPD exacerbation within 4 weeks before screening", "Lung volume reduction surgery within 12 months"],
        labs: &["Hemoglobin < 10 g/dL"],
        outc: &[("Annualized Rate of Moderate or Severe COPD Exacerbations", "52 weeks"), ("Change From Baseline in Trough FEV1", "Week 12")],
    },
    // 30 — Idiopathic pulmonary fibrosis
    Area {
        conds: &[cs("Idiopathic Pulmonary Fibrosis", "IPF", "D054990", "Idiopathic Pulmonary Fibrosis", &["Pulmonary Fibrosis"])],
        drugs: &[
            NINTEDANIB,
            d("Pirfenidone", &["Esbriet"], Drug, "antifibrotic", "801 mg orally three times daily", None),
            d("Nerandomilast", &[], Drug, "preferential PDE4B inhibitor", "18 mg orally twice daily", None),
            d("Inhaled treprostinil", &["Tyvaso"], Drug, "prostacyclin analogue", "up to 12 breaths four times daily", None),
        ],
        kind: Kind::Resp,
        ages: Ages::Older,
        sex: SexP::Any,
        specialty: "Pulmonology",
        keywords: &["interstitial lung disease", "fibrosis", "FVC decline", "antifibrotic"],
        bg: "{c} is a progressive fibrosing lung disease with a median survival of 3 to 5 years from diagnosis.",
        anc: &[("D017563", "Lung Diseases, Interstitial"), ("D011658", "Pulmonary Fibrosis"), LUNG, RESP],
        dx: &["Diagnosis of IPF according to the 2022 ATS/ERS/JRS/ALAT guideline", "UIP or probable UIP pattern on HRCT confirmed by central review"],
        act: &["FVC ≥ {45|50}% of predicted", "DLCO ≥ 25% of predicted (corrected for hemoglobin)"],
        incl: &["On stable antifibrotic therapy for ≥ 12 weeks, or not receiving antifibrotic therapy"],
        excl: &["FEV1/FVC < 0.7 (pre-bronchodilator)", "Acute exacerbation of IPF within 3 months", "Listed for lung transplantation"],
        prior: &["Systemic corticosteroids > 15 mg/day prednisone within 4 weeks"],
        labs: &["AST or ALT > 1.5 x ULN", "Total bilirubin > 1.5 x ULN"],
        outc: &[("Absolute Change From Baseline in FVC (mL)", "Week 52"), ("Time to First Acute Exacerbation", "Up to 52 weeks")],
    },
    // 31 — Non-small cell lung cancer
    Area {
        conds: &[
            cs("Non-Small Cell Lung Cancer", "NSCLC", "D002289", "Carcinoma, Non-Small-Cell Lung", &["Lung Cancer", "Carcinoma, Non-Small-Cell Lung"]),
        ],
        drugs: &[
            PEMBROLIZUMAB,
            d("Osimertinib", &["Tagrisso"], Drug, "third-generation EGFR tyrosine kinase inhibitor", "80 mg orally once daily", None),
            NIVOLUMAB,
            d("Durvalumab", &["Imfinzi"], Bio, "anti-PD-L1 monoclonal antibody", "1500 mg intravenously every 4 weeks", None),
            d("Carboplatin", &["Paraplatin"], Drug, "platinum chemotherapy", "AUC 5 intravenously every 3 weeks", Some("D016190")),
            d("Pemetrexed", &["Alimta"], Drug, "antifolate chemotherapy", "500 mg/m2 intravenously every 3 weeks", Some("D000068437")),
            d("Amivantamab", &["Rybrevant"], Bio, "EGFR-MET bispecific antibody", "1050 mg intravenously weekly then every 2 weeks", None),
            d("Stereotactic body radiotherapy", &[], Radiation, "radiotherapy", "50 Gy in 5 fractions", None),
        ],
        kind: Kind::Onc,
        ages: Ages::Adult,
        sex: SexP::Any,
        specialty: "Oncology",
        keywords: &["lung cancer", "EGFR", "PD-L1", "immunotherapy", "targeted therapy"],
        bg: "{c} accounts for about 85% of lung cancers, which remain the leading cause of cancer death worldwide.",
        anc: &[("D002283", "Carcinoma, Bronchogenic"), ("D001984", "Bronchial Neoplasms"), ("D008175", "Lung Neoplasms"), NEOPLASMS],
        dx: &["Histologically or cytologically confirmed {c}", "Stage IIIB/IIIC or IV NSCLC according to AJCC 8th edition", "Locally advanced unresectable or metastatic non-squamous NSCLC"],
        act: &["EGFR exon 19 deletion or L858R mutation detected by a validated test", "PD-L1 tumor proportion score (TPS) ≥ {1|50}%", "No prior systemic therapy for metastatic disease"],
        incl: &["Tumor tissue available for central PD-L1 testing"],
        excl: &["Known ALK or ROS1 rearrangement", "Symptomatic or untreated brain metastases", "History of interstitial lung disease or pneumonitis requiring steroids"],
        prior: &["Prior therapy with an anti-PD-1, anti-PD-L1 or anti-CTLA-4 antibody", "Thoracic radiotherapy > 30 Gy within 6 months"],
        labs: &["Absolute neutrophil count < 1.5 x 10^9/L", "Creatinine clearance < 45 mL/min"],
        outc: &[("Progression-Free Survival (PFS) per RECIST 1.1 by BICR", "Up to 48 months"), ("Overall Survival (OS)", "Up to 60 months"), ("Objective Response Rate (ORR)", "Up to 24 months")],
    },
    // 32 — Breast cancer
    Area {
        conds: &[
            cs("Breast Cancer", "", "D001943", "Breast Neoplasms", &["Breast Neoplasms"]),
            cs("Metastatic Breast Cancer", "MBC", "D001943", "Breast Neoplasms", &["Breast Neoplasms"]),
        ],
        drugs: &[
            d("Trastuzumab", &["Herceptin"], Bio, "anti-HER2 monoclonal antibody", "8 mg/kg loading then 6 mg/kg every 3 weeks", Some("D000068878")),
            d("Trastuzumab deruxtecan", &["Enhertu"], Bio, "HER2-directed antibody-drug conjugate", "5.4 mg/kg intravenously every 3 weeks", None),
            d("Palbociclib", &["Ibrance"], Drug, "CDK4/6 inhibitor", "125 mg orally daily, 3 weeks on/1 week off", None),
            d("Abemaciclib", &["Verzenio"], Drug, "CDK4/6 inhibitor", "150 mg orally twice daily", None),
            d("Letrozole", &["Femara"], Drug, "aromatase inhibitor", "2.5 mg orally once daily", Some("D000077289")),
            d("Sacituzumab govitecan", &["Trodelvy"], Bio, "Trop-2-directed antibody-drug conjugate", "10 mg/kg on Days 1 and 8 every 21 days", None),
            d("Hypofractionated whole-breast irradiation", &[], Radiation, "radiotherapy", "26 Gy in 5 fractions", None),
        ],
        kind: Kind::Onc,
        ages: Ages::Adult,
        sex: SexP::Female,
        specialty: "Oncology",
        keywords: &["breast cancer", "HER2", "hormone receptor", "CDK4/6", "antibody-drug conjugate"],
        bg: "{c} is the most frequently diagnosed cancer in women; treatment is guided by hormone receptor and HER2 status.",
        anc: &[("D001941", "Breast Diseases"), SKIN, ("D009371", "Neoplasms by Site"), NEOPLASMS],
        dx: &["Histologically confirmed invasive {c}", "Locally advanced or metastatic breast cancer not amenable to curative treatment"],
        act: &["HER2 and hormone receptor status documented by local testing per ASCO/CAP guidelines", "Measurable or evaluable disease per RECIST v1.1", "Disease progression on or after the most recent line of therapy"],
        incl: &["LVEF ≥ 50% by echocardiogram or MUGA", "Postmenopausal status or receiving ovarian suppression"],
        excl: &["Leptomeningeal disease", "History of interstitial lung disease", "Prior CDK4/6 inhibitor in the metastatic setting"],
        prior: &["More than {1|2} prior lines of chemotherapy for advanced disease", "Prior treatment with an antibody-drug conjugate containing a topoisomerase I inhibitor"],
        labs: &["ANC < 1.5 x 10^9/L", "Total bilirubin > 1.5 × ULN"],
        outc: &[("Progression-Free Survival per RECIST v1.1", "Up to 36 months"), ("Invasive Disease-Free Survival (iDFS)", "Up to 5 years"), ("Pathologic Complete Response (pCR)", "At surgery")],
    },
    // 33 — Prostate cancer
    Area {
        conds: &[
            cs("Prostate Cancer", "", "D011471", "Prostatic Neoplasms", &["Prostatic Neoplasms"]),
            c("Metastatic Castration-Resistant Prostate Cancer", "mCRPC", "D064129", "Prostatic Neoplasms, Castration-Resistant"),
        ],
        drugs: &[
            d("Enzalutamide", &["Xtandi"], Drug, "androgen receptor inhibitor", "160 mg orally once daily", None),
            d("Abiraterone acetate", &["Zytiga"], Drug, "CYP17 inhibitor", "1000 mg orally once daily with prednisone 5 mg", None),
            d("Darolutamide", &["Nubeqa"], Drug, "androgen receptor inhibitor", "600 mg orally twice daily", None),
            d("Lutetium Lu 177 vipivotide tetraxetan", &["Pluvicto"], Drug, "PSMA-targeted radioligand", "7.4 GBq intravenously every 6 weeks", None),
            d("Stereotactic radiotherapy", &[], Radiation, "radiotherapy", "36.25 Gy in 5 fractions", None),
        ],
        kind: Kind::Onc,
        ages: Ages::Older,
        sex: SexP::Male,
        specialty: "Urologic Oncology",
        keywords: &["prostate cancer", "androgen deprivation", "PSA", "PSMA", "castration resistance"],
        bg: "{c} is the second most common cancer in men; most patients eventually progress to castration-resistant disease.",
        anc: &[("D005834", "Genital Neoplasms, Male"), ("D011469", "Prostatic Diseases"), NEOPLASMS],
        dx: &["Histologically confirmed adenocarcinoma of the prostate without neuroendocrine differentiation", "Metastatic disease documented by bone scan, CT/MRI or PSMA PET"],
        act: &["Progressive disease by PSA (PCWG3) or imaging", "PSA ≥ {1|2} ng/mL at screening"],
        incl: &["Castrate serum testosterone < 50 ng/dL (1.7 nmol/L)", "Ongoing androgen deprivation therapy with a GnRH analogue or prior bilateral orchiectomy"],
        excl: &["Known brain metastases", "Superscan on bone scintigraphy", "Seizure or known condition that may predispose to seizure"],
        prior: &["Prior treatment with a second-generation androgen receptor inhibitor", "Radiotherapy within 4 weeks of randomization"],
        labs: &["Platelets < 100 x 10^9/L", "Albumin < 3.0 g/dL"],
        outc: &[("Radiographic Progression-Free Survival (rPFS)", "Up to 48 months"), ("Overall Survival", "Up to 60 months")],
    },
    // 34 — Colorectal cancer
    Area {
        conds: &[cs("Colorectal Cancer", "CRC", "D015179", "Colorectal Neoplasms", &["Metastatic Colorectal Cancer"])],
        drugs: &[
            BEVACIZUMAB,
            d("Cetuximab", &["Erbitux"], Bio, "anti-EGFR monoclonal antibody", "500 mg/m2 intravenously every 2 weeks", Some("D000068818")),
            d("FOLFOX", &[], Drug, "chemotherapy regimen", "oxaliplatin, leucovorin and 5-fluorouracil every 2 weeks", None),
            d("Fruquintinib", &["Fruzaqla"], Drug, "VEGFR inhibitor", "5 mg orally daily, 3 weeks on/1 week off", None),
            d("Trifluridine/tipiracil", &["Lonsurf"], Drug, "nucleoside analogue", "35 mg/m2 orally twice daily on Days 1-5 and 8-12", None),
            PEMBROLIZUMAB,
        ],
        kind: Kind::Onc,
        ages: Ages::Adult,
        sex: SexP::Any,
        specialty: "Oncology",
        keywords: &["colorectal cancer", "RAS", "microsatellite instability", "anti-EGFR", "liver metastases"],
        bg: "{c} is the third most common cancer worldwide; molecular subtypes such as RAS mutation and MSI-H status guide treatment.",
        anc: &[("D007414", "Intestinal Neoplasms"), ("D005770", "Gastrointestinal Neoplasms"), ("D004067", "Digestive System Neoplasms"), NEOPLASMS],
        dx: &["Histologically confirmed adenocarcinoma of the colon or rectum", "Unresectable metastatic {c}"],
        act: &["RAS/BRAF wild-type tumor", "MSI-H or dMMR status determined by local testing", "Disease progression after fluoropyrimidine, oxaliplatin and irinotecan"],
        incl: &["At least one measurable lesion per RECIST v1.1"],
        excl: &["Bowel obstruction or gastrointestinal perforation within 6 months", "Uncontrolled hypertension (> 150/90 mmHg)"],
        prior: &["Prior anti-VEGF therapy within 4 weeks", "More than 2 prior lines of therapy for metastatic disease"],
        labs: &["Urine protein ≥ 2+ by dipstick", "Total bilirubin > 1.5 × ULN"],
        outc: &[("Overall Survival", "Up to 36 months"), ("Progression-Free Survival", "Up to 24 months")],
    },
    // 35 — Lymphoma
    Area {
        conds: &[
            cs("Diffuse Large B-Cell Lymphoma", "DLBCL", "D016403", "Lymphoma, Large B-Cell, Diffuse", &["Lymphoma", "Non-Hodgkin Lymphoma"]),
            c("Follicular Lymphoma", "FL", "D008224", "Lymphoma, Follicular"),
        ],
        drugs: &[
            RITUXIMAB,
            d("Glofitamab", &["Columvi"], Bio, "CD20xCD3 bispecific antibody", "step-up dosing to 30 mg every 3 weeks", None),
            d("Axicabtagene ciloleucel", &["Yescarta"], Bio, "CD19-directed CAR T-cell therapy", "single infusion of 2 x 10^6 CAR T cells/kg", None),
            d("Epcoritamab", &["Epkinly", "Tepkinly"], Bio, "CD20xCD3 bispecific antibody", "48 mg subcutaneously after step-up dosing", None),
            d("Polatuzumab vedotin", &["Polivy"], Bio, "CD79b-directed antibody-drug conjugate", "1.8 mg/kg intravenously every 21 days", None),
        ],
        kind: Kind::Onc,
        ages: Ages::Adult,
        sex: SexP::Any,
        specialty: "Hematology",
        keywords: &["B-cell lymphoma", "bispecific antibody", "CAR T", "relapsed/refractory", "hematologic malignancy"],
        bg: "Patients with relapsed or refractory {c} have limited options, and T-cell redirecting therapies have changed the treatment landscape.",
        anc: &[("D008228", "Lymphoma, Non-Hodgkin"), ("D008223", "Lymphoma"), HEMATO, NEOPLASMS],
        dx: &["Histologically confirmed {c} per WHO 2016 classification", "Relapsed or refractory disease after ≥ {1|2} prior lines of systemic therapy including an anti-CD20 antibody"],
        act: &["At least one bi-dimensionally measurable lesion (> 1.5 cm) per Lugano 2014", "FDG-avid disease on PET-CT"],
        incl: &["Adequate hematologic function independent of transfusion for 7 days"],
        excl: &["Active central nervous system lymphoma", "Prior allogeneic stem cell transplantation", "Richter's transformation"],
        prior: &["Autologous stem cell transplant within 100 days", "Prior CD19-directed therapy", "Received anti-CD20 therapy within 4 weeks"],
        labs: &["Platelets < 50 x 10^9/L", "ANC < 1.0 x 10^9/L", "Creatinine clearance < 40 mL/min"],
        outc: &[("Complete Response Rate per Lugano 2014", "Up to 2 years"), ("Progression-Free Survival", "Up to 3 years")],
    },
    // 35b — Multiple myeloma
    Area {
        conds: &[
            cs("Multiple Myeloma", "MM", "D009101", "Multiple Myeloma", &["Plasma Cell Neoplasms"]),
            c("Relapsed/Refractory Multiple Myeloma", "RRMM", "D009101", "Multiple Myeloma"),
        ],
        drugs: &[
            d("Teclistamab", &["Tecvayli"], Bio, "BCMAxCD3 bispecific antibody", "1.5 mg/kg subcutaneously weekly", None),
            d("Daratumumab", &["Darzalex", "Darzalex Faspro"], Bio, "anti-CD38 monoclonal antibody", "1800 mg subcutaneously weekly then every 2-4 weeks", None),
            d("Lenalidomide", &["Revlimid"], Drug, "immunomodulatory drug", "25 mg orally on Days 1-21 of 28-day cycles", Some("D000077269")),
            d("Bortezomib", &["Velcade"], Drug, "proteasome inhibitor", "1.3 mg/m2 subcutaneously on Days 1, 8, 15 and 22", Some("D000069286")),
            d("Ciltacabtagene autoleucel", &["Carvykti"], Bio, "BCMA-directed CAR T-cell therapy", "single infusion", None),
        ],
        kind: Kind::Onc,
        ages: Ages::Adult,
        sex: SexP::Any,
        specialty: "Hematology",
        keywords: &["myeloma", "BCMA", "CD38", "minimal residual disease", "plasma cell"],
        bg: "{c} is an incurable plasma cell malignancy; most patients relapse and become refractory to the main drug classes.",
        anc: &[("D054219", "Neoplasms, Plasma Cell"), ("D019337", "Hematologic Neoplasms"), HEMATO, NEOPLASMS],
        dx: &["Documented diagnosis of multiple myeloma according to IMWG criteria", "Relapsed or refractory disease after ≥ {2|3} prior lines including a proteasome inhibitor, an IMiD and an anti-CD38 antibody"],
        act: &["Measurable disease: serum M-protein ≥ 0.5 g/dL or urine M-protein ≥ 200 mg/24 h", "Serum free light chain ≥ 10 mg/dL with an abnormal kappa/lambda ratio"],
        incl: &["Documented disease progression on or after the last regimen"],
        excl: &["Plasma cell leukemia, POEMS syndrome or primary AL amyloidosis", "Active CNS involvement by myeloma", "Prior allogeneic stem cell transplantation within 6 months"],
        prior: &["Prior BCMA-directed therapy", "Autologous stem cell transplant within 12 weeks"],
        labs: &["Platelets < 50 x 10^9/L", "Creatinine clearance < 40 mL/min", "Corrected serum calcium > 3.5 mmol/L"],
        outc: &[("Overall Response Rate per IMWG Criteria", "Up to 2 years"), ("Minimal Residual Disease Negativity Rate", "Month 12")],
    },
    // 36 — HIV
    Area {
        conds: &[cs("HIV-1 Infection", "HIV", "D015658", "HIV Infections", &["HIV Infections"])],
        drugs: &[
            d("Bictegravir/emtricitabine/tenofovir alafenamide", &["Biktarvy"], Drug, "integrase inhibitor-based single-tablet regimen", "50/200/25 mg orally once daily", None),
            d("Dolutegravir", &["Tivicay"], Drug, "integrase strand transfer inhibitor", "50 mg orally once daily", None),
            d("Cabotegravir + rilpivirine long-acting", &["Cabenuva"], Drug, "long-acting injectable regimen", "intramuscular every 2 months", None),
            d("Lenacapavir", &["Sunlenca", "Yeztugo"], Drug, "capsid inhibitor", "927 mg subcutaneously every 6 months", None),
            d("Peer navigation", &[], Behav, "adherence support", "monthly contact for 12 months", None),
        ],
        kind: Kind::Infect,
        ages: Ages::Adult,
        sex: SexP::Any,
        specialty: "Infectious Diseases",
        keywords: &["antiretroviral therapy", "viral suppression", "long-acting injectable", "PrEP", "CD4"],
        bg: "About 39 million people live with {c}; long-acting regimens could improve adherence and viral suppression.",
        anc: &[("D086982", "Blood-Borne Infections"), ("D016180", "Lentivirus Infections"), VIRUS, INFECT],
        dx: &["Documented HIV-1 infection", "Antiretroviral-naive adults with HIV-1"],
        act: &["Plasma HIV-1 RNA < 50 copies/mL for ≥ {6|12} months on a stable regimen", "Plasma HIV-1 RNA ≥ 1000 copies/mL at screening"],
        incl: &["CD4+ T-cell count ≥ {200|350} cells/mm3"],
        excl: &["Known resistance to integrase inhibitors", "Active AIDS-defining opportunistic infection within 30 days", "Chronic hepatitis B co-infection"],
        prior: &["Previous virologic failure on an integrase inhibitor-containing regimen"],
        labs: &["Creatinine clearance < 30 mL/min", "ALT > 5 × ULN"],
        outc: &[("Percentage of Participants With HIV-1 RNA ≥ 50 copies/mL (FDA Snapshot)", "Week 48")],
    },
    // 37 — Hepatitis C / B
    Area {
        conds: &[cs("Chronic Hepatitis C", "HCV", "D019698", "Hepatitis C, Chronic", &["Hepatitis C"])],
        drugs: &[
            d("Sofosbuvir/velpatasvir", &["Epclusa"], Drug, "pangenotypic NS5B/NS5A inhibitor", "400/100 mg orally once daily for 12 weeks", None),
            d("Glecaprevir/pibrentasvir", &["Mavyret", "Maviret"], Drug, "pangenotypic NS3/4A/NS5A inhibitor", "300/120 mg orally once daily for 8 weeks", None),
            d("Ledipasvir/sofosbuvir", &["Harvoni"], Drug, "NS5A/NS5B inhibitor", "90/400 mg orally once daily", None),
            d("Test-and-treat in harm reduction services", &[], Behav, "care model", "point-of-care testing with same-day treatment", None),
        ],
        kind: Kind::Infect,
        ages: Ages::Adult,
        sex: SexP::Any,
        specialty: "Hepatology",
        keywords: &["hepatitis C", "direct-acting antiviral", "sustained virologic response", "cirrhosis", "people who inject drugs"],
        bg: "{c} affects about 50 million people and can be cured with short courses of direct-acting antivirals.",
        anc: &[("D006505", "Hepatitis"), ("D008107", "Liver Diseases"), ("D006525", "Hepatitis, Viral, Human"), VIRUS, DIGESTIVE],
        dx: &["Chronic HCV infection (≥ 6 months) of any genotype", "HCV genotype {1|1 to 6|3} infection"],
        act: &["HCV RNA ≥ 10^4 IU/mL at screening", "Compensated cirrhosis (Child-Pugh A) or no cirrhosis"],
        incl: &["Treatment-naive or experienced with interferon-based therapy"],
        excl: &["Decompensated liver disease (ascites, encephalopathy or variceal bleeding)", "Hepatocellular carcinoma", "Positive hepatitis B surface antigen"],
        prior: &["Prior exposure to an NS5A inhibitor"],
        labs: &["Platelets < 50 x 10^9/L", "Albumin < 3 g/dL", "INR > 1.5 × ULN"],
        outc: &[("Sustained Virologic Response 12 Weeks After Treatment (SVR12)", "Post-treatment Week 12")],
    },
    // 38 — COVID-19
    Area {
        conds: &[cs("COVID-19", "", "D000086382", "COVID-19", &["SARS-CoV-2 Infection"])],
        drugs: &[
            d("Nirmatrelvir/ritonavir", &["Paxlovid"], Drug, "SARS-CoV-2 main protease inhibitor", "300/100 mg orally twice daily for 5 days", None),
            d("mRNA-1273", &["Spikevax"], Bio, "mRNA vaccine", "50 µg intramuscular single dose", None),
            d("Remdesivir", &["Veklury"], Drug, "nucleotide analogue RNA polymerase inhibitor", "200 mg IV on Day 1 then 100 mg daily", None),
            d("Ensitrelvir", &["Xocova"], Drug, "3CL protease inhibitor", "375 mg on Day 1 then 125 mg daily orally", None),
        ],
        kind: Kind::Vaccine,
        ages: Ages::Mixed,
        sex: SexP::Any,
        specialty: "Infectious Diseases",
        keywords: &["SARS-CoV-2", "vaccine", "antiviral", "immunogenicity", "long COVID"],
        bg: "{c} continues to cause substantial morbidity, particularly in older adults and immunocompromised people.",
        anc: &[("D011024", "Pneumonia, Viral"), ("D012141", "Respiratory Tract Infections"), ("D012327", "RNA Virus Infections"), VIRUS, INFECT],
        dx: &["Laboratory-confirmed SARS-CoV-2 infection by RT-PCR or rapid antigen test within {3|5} days", "Healthy or medically stable participants as determined by medical history and physical examination"],
        act: &["Symptom onset ≤ {3|5} days before randomization", "At least one risk factor for progression to severe COVID-19"],
        incl: &["Willing to complete an electronic diary for solicited adverse events for 7 days after each vaccination"],
        excl: &["Hospitalized or requiring supplemental oxygen at screening", "Immunocompromising condition or immunosuppressive therapy"],
        prior: &["Received any COVID-19 vaccine within 6 months", "Receipt of anti-SARS-CoV-2 monoclonal antibodies or convalescent plasma within 90 days"],
        labs: &[],
        outc: &[("Time to Sustained Alleviation of COVID-19 Symptoms", "Up to Day 28"), ("Geometric Mean Titers of Neutralizing Antibodies", "Day 29")],
    },
    // 38b — Influenza
    Area {
        conds: &[cs("Influenza", "", "D007251", "Influenza, Human", &["Influenza, Human"])],
        drugs: &[
            d("Baloxavir marboxil", &["Xofluza"], Drug, "cap-dependent endonuclease inhibitor", "single oral dose of 40 or 80 mg", None),
            d("Oseltamivir", &["Tamiflu"], Drug, "neuraminidase inhibitor", "75 mg orally twice daily for 5 days", Some("D053139")),
            d("High-dose quadrivalent influenza vaccine", &["Fluzone High-Dose", "Efluelda"], Bio, "inactivated influenza vaccine", "single 0.7 mL intramuscular dose", None),
            d("mRNA-1010", &[], Bio, "mRNA influenza vaccine", "single intramuscular dose", None),
        ],
        kind: Kind::Vaccine,
        ages: Ages::Mixed,
        sex: SexP::Any,
        specialty: "Infectious Diseases",
        keywords: &["influenza", "vaccine", "antiviral", "hemagglutination inhibition", "reactogenicity"],
        bg: "Seasonal {c} causes 3 to 5 million cases of severe illness each year, particularly in older adults and young children.",
        anc: &[("D009976", "Orthomyxoviridae Infections"), ("D012141", "Respiratory Tract Infections"), ("D012327", "RNA Virus Infections"), VIRUS, INFECT],
        dx: &["Influenza-like illness with a positive rapid influenza diagnostic test", "Healthy or medically stable adults as determined by medical history and physical examination"],
        act: &["Fever ≥ 38.0 °C and at least one respiratory symptom of moderate severity", "Symptom onset ≤ 48 hours before randomization"],
        incl: &["Willing to complete an electronic diary for solicited adverse events for 7 days after vaccination"],
        excl: &["History of Guillain-Barré syndrome within 6 weeks of a previous influenza vaccination", "Severe allergy to egg proteins or any vaccine component"],
        prior: &["Received any influenza vaccine within 6 months", "Receipt of an influenza antiviral within 30 days"],
        labs: &[],
        outc: &[("Time to Alleviation of Influenza Symptoms", "Up to Day 14"), ("Hemagglutination Inhibition Geometric Mean Titer", "Day 29")],
    },
    // 38c — RSV
    Area {
        conds: &[cs("Respiratory Syncytial Virus Infection", "RSV", "D018357", "Respiratory Syncytial Virus Infections", &["RSV Lower Respiratory Tract Disease"])],
        drugs: &[
            d("RSVPreF3 OA", &["Arexvy"], Bio, "adjuvanted RSV prefusion F vaccine", "single 0.5 mL intramuscular dose", None),
            d("Nirsevimab", &["Beyfortus"], Bio, "long-acting anti-RSV F monoclonal antibody", "single intramuscular dose", None),
            d("RSVpreF", &["Abrysvo"], Bio, "bivalent prefusion F vaccine", "single 120 µg intramuscular dose", None),
        ],
        kind: Kind::Vaccine,
        ages: Ages::Mixed,
        sex: SexP::Any,
        specialty: "Infectious Diseases",
        keywords: &["RSV", "vaccine", "monoclonal antibody", "lower respiratory tract disease", "infants"],
        bg: "{c} is a leading cause of hospitalization in infants and a major cause of lower respiratory tract disease in older adults.",
        anc: &[("D009400", "Paramyxoviridae Infections"), ("D012141", "Respiratory Tract Infections"), VIRUS, INFECT],
        dx: &["Healthy or medically stable participants as determined by medical history and physical examination", "Participants at increased risk of severe RSV disease"],
        act: &["No previous RSV vaccination or prophylaxis"],
        incl: &["Willing to complete an electronic diary for solicited adverse events for 7 days after vaccination"],
        excl: &["Immunocompromising condition or immunosuppressive therapy", "Serious chronic disease that is unstable"],
        prior: &["Received any RSV vaccine or RSV monoclonal antibody", "Receipt of blood products or immunoglobulins within 3 months"],
        labs: &[],
        outc: &[("Incidence of RSV Lower Respiratory Tract Disease", "Up to 150 days"), ("Incidence of Solicited Local and Systemic Reactions", "7 days after vaccination")],
    },
    // 39 — Chronic kidney disease
    Area {
        conds: &[
            cs("Chronic Kidney Disease", "CKD", "D051436", "Renal Insufficiency, Chronic", &["Diabetic Kidney Disease"]),
            c("IgA Nephropathy", "IgAN", "D005922", "Glomerulonephritis, IGA"),
        ],
        drugs: &[
            FINERENONE,
            DAPAGLIFLOZIN,
            d("Sparsentan", &["Filspari"], Drug, "dual endothelin angiotensin receptor antagonist", "400 mg orally once daily", None),
            d("Atrasentan", &["Vanrafia"], Drug, "endothelin A receptor antagonist", "0.75 mg orally once daily", None),
            d("Roxadustat", &["Evrenzo"], Drug, "HIF prolyl hydroxylase inhibitor", "three times weekly orally, titrated", None),
        ],
        kind: Kind::Metab,
        ages: Ages::Adult,
        sex: SexP::Any,
        specialty: "Nephrology",
        keywords: &["kidney function", "albuminuria", "eGFR slope", "proteinuria", "dialysis"],
        bg: "{c} affects about one in ten adults and progresses to kidney failure in a substantial proportion despite renin-angiotensin system blockade.",
        anc: &[("D051437", "Renal Insufficiency"), KIDNEY, ("D052776", "Female Urogenital Diseases")],
        dx: &["[1]Biopsy-verified IgA nephropathy", "[0]CKD with eGFR {25|30} to {75|90} mL/min/1.73m2", "[0]Type 2 diabetes with chronic kidney disease"],
        act: &["Urine albumin-to-creatinine ratio (UACR) ≥ {200|300} mg/g", "Proteinuria ≥ 1.0 g/day"],
        incl: &["On a maximally tolerated stable dose of ACE inhibitor or ARB for ≥ 12 weeks"],
        excl: &["Dialysis or kidney transplant", "Polycystic kidney disease", "Rapidly progressive glomerulonephritis"],
        prior: &["Systemic immunosuppressants within 12 weeks", "Use of a mineralocorticoid receptor antagonist within 4 weeks"],
        labs: &["Serum potassium > 4.8 mmol/L", "Hemoglobin < 9 g/dL", "ALT > 3 x ULN"],
        outc: &[("Change From Baseline in UPCR", "Week 36"), ("eGFR Total Slope", "Up to 110 weeks"), ("Time to Kidney Failure, Sustained eGFR Decline ≥ 57% or Renal Death", "Up to 4 years")],
    },
    // 40 — Osteoporosis and osteoarthritis
    Area {
        conds: &[
            cs("Postmenopausal Osteoporosis", "PMO", "D015663", "Osteoporosis, Postmenopausal", &["Osteoporosis"]),
        ],
        drugs: &[
            d("Denosumab", &["Prolia"], Bio, "RANKL inhibitor", "60 mg subcutaneously every 6 months", Some("D000069448")),
            d("Romosozumab", &["Evenity"], Bio, "sclerostin inhibitor", "210 mg subcutaneously monthly for 12 months", None),
            d("Zoledronic acid", &["Reclast", "Aclasta"], Drug, "bisphosphonate", "5 mg intravenously once yearly", Some("D000077211")),
            d("Alendronate", &["Fosamax"], Drug, "bisphosphonate", "70 mg orally once weekly", Some("D019386")),
            d("Progressive resistance and impact training", &[], Behav, "exercise", "twice weekly for 8 months", None),
        ],
        kind: Kind::Other,
        ages: Ages::Older,
        sex: SexP::Female,
        specialty: "Endocrinology",
        keywords: &["bone mineral density", "fracture", "osteoporosis", "DXA"],
        bg: "{c} leads to fragility fractures, which cause pain, loss of independence and excess mortality in older women.",
        anc: &[("D001851", "Bone Diseases, Metabolic"), ("D001847", "Bone Diseases"), MUSCULO],
        dx: &["Postmenopausal women (≥ 2 years since last menses)", "Diagnosis of osteoporosis by DXA"],
        act: &["BMD T-score ≤ {-2.5|-2.0} at the lumbar spine, total hip or femoral neck", "At least one prevalent vertebral fragility fracture"],
        incl: &["Ambulatory and able to lie supine for DXA scanning"],
        excl: &["Metabolic bone disease other than osteoporosis (e.g., Paget's disease, osteomalacia)", "Vitamin D deficiency (25-hydroxyvitamin D < 20 ng/mL)", "History of osteonecrosis of the jaw"],
        prior: &["Oral bisphosphonate use within 12 months", "Prior denosumab or teriparatide"],
        labs: &["Serum calcium outside normal range", "eGFR < 35 mL/min/1.73m2"],
        outc: &[("Percent Change From Baseline in Lumbar Spine BMD", "Month 12"), ("Incidence of New Vertebral Fractures", "Month 24")],
    },
    // 41 — Knee osteoarthritis
    Area {
        conds: &[cs("Knee Osteoarthritis", "OA", "D020370", "Osteoarthritis, Knee", &["Osteoarthritis"])],
        drugs: &[
            d("Triamcinolone acetonide extended-release", &["Zilretta"], Drug, "intra-articular corticosteroid", "32 mg single intra-articular injection", None),
            d("Celecoxib", &["Celebrex"], Drug, "COX-2 inhibitor", "200 mg orally once daily", Some("D000068579")),
            d("Total knee arthroplasty", &[], Proc, "joint replacement", "single procedure", None),
            d("Supervised exercise therapy", &[], Behav, "physiotherapy", "twice weekly for 12 weeks", None),
            d("Genicular artery embolization", &[], Proc, "interventional radiology", "single procedure", None),
        ],
        kind: Kind::Other,
        ages: Ages::Older,
        sex: SexP::Any,
        specialty: "Orthopedics",
        keywords: &["osteoarthritis", "knee pain", "WOMAC", "physical function", "joint replacement"],
        bg: "{c} is a leading cause of chronic pain and disability in older adults.",
        anc: &[("D010003", "Osteoarthritis"), ("D001168", "Arthritis"), ("D007592", "Joint Diseases"), MUSCULO],
        dx: &["Symptomatic knee OA according to ACR clinical and radiographic criteria", "Kellgren-Lawrence grade {2|2 or 3|3 or 4} in the index knee"],
        act: &["WOMAC pain subscale ≥ {4|5} (0-10 NRS)", "Knee pain on most days for ≥ 3 months"],
        incl: &["Body mass index ≤ {35|40} kg/m2"],
        excl: &["Inflammatory arthritis", "Knee surgery or arthroscopy within 6 months", "Fibromyalgia or widespread pain"],
        prior: &["Intra-articular corticosteroid within 3 months", "Intra-articular hyaluronic acid within 6 months"],
        labs: &[],
        outc: &[("Change From Baseline in WOMAC Pain Score", "Week 12"), ("Change From Baseline in KOOS Function", "Month 12")],
    },
    // 42 — Sickle cell disease and haemophilia
    Area {
        conds: &[
            cs("Sickle Cell Disease", "SCD", "D000755", "Anemia, Sickle Cell", &["Sickle Cell Anemia"]),
        ],
        drugs: &[
            d("Hydroxyurea", &["Droxia", "Siklos"], Drug, "antimetabolite", "20 to 35 mg/kg/day orally", Some("D006918")),
            d("Crizanlizumab", &["Adakveo"], Bio, "anti-P-selectin monoclonal antibody", "5 mg/kg intravenously every 4 weeks", None),
            d("Exagamglogene autotemcel", &["Casgevy"], Bio, "CRISPR-edited autologous CD34+ cell therapy", "single infusion after myeloablative busulfan", None),
            d("L-glutamine", &["Endari"], Drug, "amino acid", "0.3 g/kg orally twice daily", None),
            d("Haploidentical bone marrow transplantation", &[], Proc, "hematopoietic cell transplantation", "single procedure", None),
        ],
        kind: Kind::Other,
        ages: Ages::Peds,
        sex: SexP::Any,
        specialty: "Hematology",
        keywords: &["sickle cell", "vaso-occlusive crisis", "hemoglobin S", "fetal hemoglobin", "gene therapy"],
        bg: "{c} is an inherited hemoglobinopathy causing chronic hemolysis, painful vaso-occlusive crises and progressive organ damage.",
        anc: &[("D000745", "Anemia, Hemolytic, Congenital"), ("D000743", "Anemia, Hemolytic"), HEMATO, ("D030342", "Genetic Diseases, Inborn")],
        dx: &["Confirmed diagnosis of SCD (HbSS or HbSβ0-thalassemia) by hemoglobin electrophoresis or genotyping"],
        act: &["≥ {2|4} vaso-occlusive crises in the previous 12 months", "Hemoglobin ≥ 5.5 and ≤ 10.5 g/dL"],
        incl: &["If receiving hydroxyurea, on a stable dose for ≥ 3 months"],
        excl: &["Receiving chronic red blood cell transfusion therapy", "History of overt stroke within 2 years", "Transcranial Doppler velocity ≥ 200 cm/s"],
        prior: &["Red blood cell transfusion within {30|60} days", "Prior gene therapy or hematopoietic stem cell transplant"],
        labs: &["ALT > 4 × ULN", "eGFR < 60 mL/min/1.73m2"],
        outc: &[("Annualized Rate of Vaso-occlusive Crises", "52 weeks"), ("Proportion Free of Severe VOCs for ≥ 12 Months", "Up to 24 months")],
    },
    // 43 — Smoking cessation
    Area {
        conds: &[cs("Tobacco Use Disorder", "", "D014029", "Tobacco Use Disorder", &["Smoking Cessation", "Nicotine Dependence"])],
        drugs: &[
            d("Varenicline", &["Chantix", "Champix"], Drug, "nicotinic receptor partial agonist", "1 mg orally twice daily for 12 weeks", Some("D000068580")),
            d("Cytisinicline", &["Tabex"], Drug, "nicotinic receptor partial agonist", "3 mg orally three times daily", None),
            d("Nicotine replacement therapy", &["NicoDerm CQ"], Drug, "nicotine patch", "21 mg/24 h transdermal patch", None),
            d("Text-message quitting support", &[], Behav, "behavioral support", "daily messages for 12 weeks", None),
        ],
        kind: Kind::Psych,
        ages: Ages::Adult,
        sex: SexP::Any,
        specialty: "Addiction Medicine",
        keywords: &["smoking cessation", "nicotine", "abstinence", "quit rate"],
        bg: "{c} is the leading preventable cause of death; effective cessation treatments remain underused.",
        anc: &[("D019966", "Substance-Related Disorders"), ("D064419", "Chemically-Induced Disorders"), MENTAL],
        dx: &["Current daily smoker of ≥ {5|10} cigarettes per day for at least 1 year"],
        act: &["Exhaled carbon monoxide ≥ 10 ppm at screening", "Motivated to quit smoking within 30 days"],
        incl: &["Has a mobile phone able to receive text messages"],
        excl: &["Use of other tobacco products or e-cigarettes more than 4 days in the past month", "Acute suicidality or psychosis requiring hospitalization"],
        prior: &["Used smoking cessation medication within 30 days"],
        labs: &[],
        outc: &[("Biochemically Verified Continuous Abstinence Weeks 9-24", "Week 24")],
    },
    // 43b — Opioid use disorder
    Area {
        conds: &[cs("Opioid Use Disorder", "OUD", "D009293", "Opioid-Related Disorders", &["Opioid Dependence"])],
        drugs: &[
            d("Extended-release buprenorphine", &["Sublocade", "Buvidal"], Drug, "partial opioid agonist", "monthly subcutaneous injection", None),
            d("Extended-release naltrexone", &["Vivitrol"], Drug, "opioid antagonist", "380 mg intramuscularly every 4 weeks", None),
            d("Methadone", &["Dolophine"], Drug, "full opioid agonist", "individually titrated daily oral dose", Some("D008691")),
            d("Contingency management", &[], Behav, "behavioral incentive", "escalating vouchers for negative urine tests", None),
        ],
        kind: Kind::Psych,
        ages: Ages::Adult,
        sex: SexP::Any,
        specialty: "Addiction Medicine",
        keywords: &["opioids", "medication for opioid use disorder", "harm reduction", "retention in treatment", "overdose"],
        bg: "{c} is a chronic relapsing condition driving record numbers of overdose deaths; medications reduce mortality but retention remains poor.",
        anc: &[("D019966", "Substance-Related Disorders"), ("D064419", "Chemically-Induced Disorders"), MENTAL],
        dx: &["Moderate to severe opioid use disorder according to DSM-5", "Seeking treatment for {c}"],
        act: &["Positive urine drug screen for opioids at screening", "Clinical Opiate Withdrawal Scale (COWS) score ≥ {8|12} before induction"],
        incl: &["Has a stable address or contact method for follow-up"],
        excl: &["Current severe alcohol or benzodiazepine use disorder requiring medically supervised withdrawal", "Chronic pain requiring ongoing opioid analgesia"],
        prior: &["Methadone maintenance within 30 days", "Received extended-release naltrexone within 60 days"],
        labs: &["ALT or AST > 5 x ULN", "QTcF > 500 ms"],
        outc: &[("Retention in Treatment", "Week 24"), ("Proportion of Opioid-Negative Urine Samples", "Weeks 5-24")],
    },
];

pub(crate) struct City {
    pub city: &'static str,
    pub state: &'static str,
    pub zip: &'static str,
    pub country: &'static str,
    pub lat: f64,
    pub lon: f64,
    /// Telephone country/area prefix for fake numbers.
    pub phone: &'static str,
}

const fn city(
    city: &'static str,
    state: &'static str,
    zip: &'static str,
    country: &'static str,
    lat: f64,
    lon: f64,
    phone: &'static str,
) -> City {
    City { city, state, zip, country, lat, lon, phone }
}

/// Real cities with their true coordinates (city centres, 4 decimals).
pub(crate) static CITIES: &[City] = &[
    city("Boston", "Massachusetts", "02114", "United States", 42.3601, -71.0589, "+1 617"),
    city("Houston", "Texas", "77030", "United States", 29.7604, -95.3698, "+1 713"),
    city("New York", "New York", "10016", "United States", 40.7128, -74.0060, "+1 212"),
    city("Chicago", "Illinois", "60611", "United States", 41.8781, -87.6298, "+1 312"),
    city("Los Angeles", "California", "90095", "United States", 34.0522, -118.2437, "+1 310"),
    city("San Francisco", "California", "94143", "United States", 37.7749, -122.4194, "+1 415"),
    city("Seattle", "Washington", "98109", "United States", 47.6062, -122.3321, "+1 206"),
    city("Baltimore", "Maryland", "21287", "United States", 39.2904, -76.6122, "+1 410"),
    city("Rochester", "Minnesota", "55905", "United States", 44.0121, -92.4802, "+1 507"),
    city("Atlanta", "Georgia", "30322", "United States", 33.7490, -84.3880, "+1 404"),
    city("Philadelphia", "Pennsylvania", "19104", "United States", 39.9526, -75.1652, "+1 215"),
    city("Nashville", "Tennessee", "37232", "United States", 36.1627, -86.7816, "+1 615"),
    city("Denver", "Colorado", "80045", "United States", 39.7392, -104.9903, "+1 303"),
    city("Miami", "Florida", "33136", "United States", 25.7617, -80.1918, "+1 305"),
    city("Toronto", "Ontario", "M5G 2C4", "Canada", 43.6532, -79.3832, "+1 416"),
    city("Montreal", "Quebec", "H3A 1A1", "Canada", 45.5017, -73.5673, "+1 514"),
    city("Vancouver", "British Columbia", "V5Z 1M9", "Canada", 49.2827, -123.1207, "+1 604"),
    city("Mexico City", "Ciudad de México", "14080", "Mexico", 19.4326, -99.1332, "+52 55"),
    city("São Paulo", "SP", "01246-903", "Brazil", -23.5505, -46.6333, "+55 11"),
    city("Rio de Janeiro", "RJ", "20231-050", "Brazil", -22.9068, -43.1729, "+55 21"),
    city("Porto Alegre", "RS", "90035-903", "Brazil", -30.0346, -51.2177, "+55 51"),
    city("Buenos Aires", "", "C1425", "Argentina", -34.6037, -58.3816, "+54 11"),
    city("Santiago", "Región Metropolitana", "8380456", "Chile", -33.4489, -70.6693, "+56 2"),
    city("Bogotá", "Cundinamarca", "110111", "Colombia", 4.7110, -74.0721, "+57 1"),
    city("Lima", "", "15072", "Peru", -12.0464, -77.0428, "+51 1"),
    city("London", "", "SW3 6JJ", "United Kingdom", 51.5074, -0.1278, "+44 20"),
    city("Manchester", "", "M13 9WL", "United Kingdom", 53.4808, -2.2426, "+44 161"),
    city("Edinburgh", "", "EH16 4SA", "United Kingdom", 55.9533, -3.1883, "+44 131"),
    city("Paris", "", "75013", "France", 48.8566, 2.3522, "+33 1"),
    city("Lyon", "", "69003", "France", 45.7640, 4.8357, "+33 4"),
    city("Berlin", "", "10117", "Germany", 52.5200, 13.4050, "+49 30"),
    city("Munich", "Bavaria", "81377", "Germany", 48.1351, 11.5820, "+49 89"),
    city("Heidelberg", "Baden-Württemberg", "69120", "Germany", 49.3988, 8.6724, "+49 6221"),
    city("Milan", "Lombardy", "20122", "Italy", 45.4642, 9.1900, "+39 02"),
    city("Rome", "Lazio", "00168", "Italy", 41.9028, 12.4964, "+39 06"),
    city("Madrid", "", "28041", "Spain", 40.4168, -3.7038, "+34 91"),
    city("Barcelona", "Catalonia", "08036", "Spain", 41.3851, 2.1734, "+34 93"),
    city("Amsterdam", "", "1105 AZ", "Netherlands", 52.3676, 4.9041, "+31 20"),
    city("Leuven", "", "3000", "Belgium", 50.8798, 4.7005, "+32 16"),
    city("Stockholm", "", "171 76", "Sweden", 59.3293, 18.0686, "+46 8"),
    city("Copenhagen", "", "2100", "Denmark", 55.6761, 12.5683, "+45 35"),
    city("Oslo", "", "0424", "Norway", 59.9139, 10.7522, "+47 22"),
    city("Zürich", "", "8091", "Switzerland", 47.3769, 8.5417, "+41 44"),
    city("Vienna", "", "1090", "Austria", 48.2082, 16.3738, "+43 1"),
    city("Warsaw", "Masovian", "02-097", "Poland", 52.2297, 21.0122, "+48 22"),
    city("Prague", "", "128 08", "Czechia", 50.0755, 14.4378, "+420 2"),
    city("Athens", "Attica", "115 27", "Greece", 37.9838, 23.7275, "+30 21"),
    city("Istanbul", "", "34093", "Turkey", 41.0082, 28.9784, "+90 212"),
    city("Tel Aviv", "", "6423906", "Israel", 32.0853, 34.7818, "+972 3"),
    city("Moscow", "", "119991", "Russian Federation", 55.7558, 37.6173, "+7 495"),
    city("Cairo", "", "11562", "Egypt", 30.0444, 31.2357, "+20 2"),
    city("Lagos", "Lagos State", "100254", "Nigeria", 6.5244, 3.3792, "+234 1"),
    city("Nairobi", "", "00202", "Kenya", -1.2921, 36.8219, "+254 20"),
    city("Kampala", "", "", "Uganda", 0.3476, 32.5825, "+256 41"),
    city("Johannesburg", "Gauteng", "2193", "South Africa", -26.2041, 28.0473, "+27 11"),
    city("Cape Town", "Western Cape", "7925", "South Africa", -33.9249, 18.4241, "+27 21"),
    city("Riyadh", "", "11211", "Saudi Arabia", 24.7136, 46.6753, "+966 11"),
    city("Tehran", "", "1419733141", "Iran, Islamic Republic of", 35.6892, 51.3890, "+98 21"),
    city("Karachi", "Sindh", "74800", "Pakistan", 24.8607, 67.0011, "+92 21"),
    city("Mumbai", "Maharashtra", "400012", "India", 19.0760, 72.8777, "+91 22"),
    city("New Delhi", "Delhi", "110029", "India", 28.6139, 77.2090, "+91 11"),
    city("Bangalore", "Karnataka", "560029", "India", 12.9716, 77.5946, "+91 80"),
    city("Beijing", "Beijing", "100730", "China", 39.9042, 116.4074, "+86 10"),
    city("Shanghai", "Shanghai", "200025", "China", 31.2304, 121.4737, "+86 21"),
    city("Guangzhou", "Guangdong", "510080", "China", 23.1291, 113.2644, "+86 20"),
    city("Chengdu", "Sichuan", "610041", "China", 30.5728, 104.0668, "+86 28"),
    city("Wuhan", "Hubei", "430022", "China", 30.5928, 114.3055, "+86 27"),
    city("Hong Kong", "", "", "Hong Kong", 22.3193, 114.1694, "+852"),
    city("Taipei", "", "100", "Taiwan", 25.0330, 121.5654, "+886 2"),
    city("Seoul", "", "03080", "Korea, Republic of", 37.5665, 126.9780, "+82 2"),
    city("Tokyo", "Tokyo", "113-8655", "Japan", 35.6762, 139.6503, "+81 3"),
    city("Osaka", "Osaka", "565-0871", "Japan", 34.6937, 135.5023, "+81 6"),
    city("Singapore", "", "169608", "Singapore", 1.3521, 103.8198, "+65"),
    city("Bangkok", "", "10700", "Thailand", 13.7563, 100.5018, "+66 2"),
    city("Hanoi", "", "100000", "Vietnam", 21.0278, 105.8342, "+84 24"),
    city("Sydney", "New South Wales", "2050", "Australia", -33.8688, 151.2093, "+61 2"),
    city("Melbourne", "Victoria", "3050", "Australia", -37.8136, 144.9631, "+61 3"),
    city("Brisbane", "Queensland", "4029", "Australia", -27.4698, 153.0251, "+61 7"),
    city("Auckland", "", "1023", "New Zealand", -36.8485, 174.7633, "+64 9"),
];

/// Countries whose sites make a EudraCT / CTIS number plausible.
pub(crate) fn in_eu(country: &str) -> bool {
    matches!(
        country,
        "France"
            | "Germany"
            | "Italy"
            | "Spain"
            | "Netherlands"
            | "Belgium"
            | "Sweden"
            | "Denmark"
            | "Austria"
            | "Poland"
            | "Czechia"
            | "Greece"
    )
}

/// Fictional companies: (name, protocol-number prefix).
pub(crate) static INDUSTRY: &[(&str, &str)] = &[
    ("Northwind Therapeutics", "NWT"),
    ("Helixa Biopharma", "HLX"),
    ("Aurelia Pharmaceuticals", "AUR"),
    ("Meridian Biosciences", "MBS"),
    ("Calloway Pharma", "CP"),
    ("Vantara Bio", "VTB"),
    ("Brightwater Biologics", "BWB"),
    ("Kestrel Pharmaceuticals", "KES"),
    ("Solenne Therapeutics", "SOL"),
    ("Orinoco Biotech", "ORB"),
    ("Tamsin Pharma AG", "TPA"),
    ("Hokuto Pharmaceutical Co., Ltd.", "HK"),
    ("Lindqvist Pharma AB", "LQP"),
    ("Sunfield Biotech (Shanghai) Co., Ltd.", "SFB"),
    ("Arcadia Medical Devices", "AMD"),
    ("Pellucid Neuroscience", "PN"),
    ("Quillon Biologics", "QB"),
    ("Estuary Health Sciences", "EHS"),
];

pub(crate) static NIH: &[&str] = &[
    "National Institute of Allergy and Infectious Diseases (NIAID)",
    "National Cancer Institute (NCI)",
    "National Heart, Lung, and Blood Institute (NHLBI)",
    "National Institute of Mental Health (NIMH)",
    "National Institute of Arthritis and Musculoskeletal and Skin Diseases (NIAMS)",
    "National Institute of Diabetes and Digestive and Kidney Diseases (NIDDK)",
    "National Institute of Neurological Disorders and Stroke (NINDS)",
    "National Institute on Aging (NIA)",
    "National Institute on Drug Abuse (NIDA)",
];

/// Patterns for academic sponsors and facilities; `#` is replaced by the city.
pub(crate) static ACADEMIC: &[&str] = &[
    "# University Hospital",
    "University of # Medical Center",
    "# General Hospital",
    "# Children's Hospital",
    "# Clinical Research Institute",
    "# Cancer Centre",
    "# Heart Institute",
    "# Medical University",
    "First Affiliated Hospital of # Medical College",
];

pub(crate) static GOV: &[&str] =
    &["# Regional Health Authority", "National Clinical Research Network (#)", "Ministry of Health Research Office, #"];

pub(crate) static FIRST_NAMES: &[&str] = &[
    "Maria", "Wei", "James", "Aisha", "Hiroshi", "Olga", "Carlos", "Priya", "Johan", "Fatima", "Liam", "Mei", "David",
    "Amara", "Sofia", "Ahmed", "Elena", "Kenji", "Grace", "Mateo", "Ingrid", "Ravi", "Chloé", "Tunde", "Hannah",
    "Yusuf", "Ana", "Min-jun", "Lucas", "Nadia",
];

pub(crate) static LAST_NAMES: &[&str] = &[
    "Chen",
    "Smith",
    "Müller",
    "Okafor",
    "Tanaka",
    "Ivanova",
    "García",
    "Patel",
    "Andersson",
    "Haddad",
    "O'Brien",
    "Wang",
    "Cohen",
    "Mensah",
    "Rossi",
    "Hassan",
    "Novak",
    "Suzuki",
    "Kim",
    "Fernández",
    "Larsen",
    "Sharma",
    "Dubois",
    "Adeyemi",
    "Schmidt",
    "Yilmaz",
    "Silva",
    "Park",
    "Martin",
    "Kowalski",
    "Nguyen",
    "Brown",
    "Li",
    "Moreau",
    "Jensen",
    "Costa",
    "Lee",
    "Nakamura",
    "Wilson",
    "Zhang",
];

pub(crate) static JOURNALS: &[&str] = &[
    "N Engl J Med",
    "Lancet",
    "JAMA",
    "Ann Rheum Dis",
    "Arthritis Rheumatol",
    "J Clin Oncol",
    "Lancet Oncol",
    "Diabetes Care",
    "Circulation",
    "Eur Heart J",
    "Lancet Neurol",
    "Am J Respir Crit Care Med",
    "Gastroenterology",
    "JAMA Psychiatry",
    "Clin Infect Dis",
    "BMJ Open",
    "Trials",
];

pub(crate) static ACRONYM_WORDS: &[&str] = &[
    "ATLAS", "HORIZON", "BEACON", "SUMMIT", "PRISM", "NOVA", "ORBIT", "AURORA", "ZENITH", "VECTOR", "TANGO", "LUMEN",
    "CREST", "HARBOR", "ECHO", "STRIDE", "RESOLVE", "ACHIEVE", "EMERGE", "COMPASS", "PINNACLE", "MERIDIAN", "SPARK",
    "TRINITY", "DAWN", "ASCENT", "KEYSTONE", "ANCHOR",
];
