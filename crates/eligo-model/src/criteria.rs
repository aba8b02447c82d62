//! Structured eligibility criteria.
//!
//! The criteria engine turns free text into [`Criterion`]s; the matcher
//! evaluates them against a patient. Both sides meet here. Offsets are in
//! Unicode scalar values (chars) into the trial's `criteria_text`, the way
//! brat counts them, so that evidence can be highlighted in any UI.

use serde::{Deserialize, Serialize};

use crate::duration::Duration;
use crate::enums::Sex;

/// Which list a criterion belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    Inclusion,
    Exclusion,
    /// Text without an inclusion/exclusion heading; read as inclusion by the matcher.
    Unspecified,
}

/// A concept in a vocabulary (`ICD10CM:M35.0`, `MESH:D012595`, `DRUG:rituximab`, `ELIGO:lab.egfr`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ConceptRef {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityType {
    Condition,
    Drug,
    Procedure,
    Measurement,
    Comparison,
    Age,
    Sex,
    Temporal,
    Negation,
    Pregnancy,
    /// A word that narrows a condition or procedure: severity, course, stage, subtype, activity,
    /// a tumour marker ("progressive", "stage IV", "HER2-positive"); its `kind` says which.
    Qualifier,
    /// The cue that opens an exception ("other than", "except", "with the exception of").
    Exception,
}

/// What a qualifier narrows a concept by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QualifierKind {
    /// mild, moderate, severe, life-threatening, massive
    Severity,
    /// acute, subacute, chronic
    Acuteness,
    /// stable, unstable, progressive, relapsing, refractory, recurrent
    Course,
    /// stage, grade, metastatic, localized, advanced
    Stage,
    /// a named form or type ("type 1", "pustular", "IgM", "CNS")
    Subtype,
    /// active, inactive, uncontrolled, symptomatic
    Activity,
    /// an event of the disease rather than the disease: exacerbation, flare, hospital stay,
    /// emergency visit, "requiring oxygen"
    Event,
    /// a tumour marker or genomic alteration with its result ("HER2-negative", "EGFR-mutant")
    Biomarker,
    Other,
}

/// The qualifier value of a therapy taken now ("no concurrent thalidomide", "currently taking
/// warfarin"): the criteria engine writes it, the matcher reads it against the record's status.
pub const CURRENT_USE: &str = "current";

/// The qualifier value of a therapy or procedure the patient is expected to need ("anticipated need
/// for systemic chemotherapy during the study", "likely to require surgery"): about the future, so
/// only a planned therapy in the record meets it; one given or taken now leaves it open.
pub const ANTICIPATED_USE: &str = "anticipated";

/// The result a biomarker qualifier asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    Positive,
    Negative,
}

/// One qualifier of a concept, normalised: `value` is the lower-case canonical word or phrase
/// ("progressive", "stage iv", "chronic"); a biomarker names its marker concept and result.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Qualifier {
    pub kind: QualifierKind,
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concept: Option<ConceptRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub polarity: Option<Polarity>,
}

/// What a condition, infection, therapy or procedure reading is about beyond its concepts: the
/// qualifiers that narrow it, the concepts an exception removes, whether it means a disease
/// *besides* the one the trial is for ("other malignancy", "second primary"), and the disease a
/// therapy or procedure treats ("prior endocrine therapy for breast cancer": the therapy is asked
/// about, breast cancer is only its target).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Scope {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub qualifiers: Vec<Qualifier>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exceptions: Vec<ConceptRef>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub besides_target: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub target: Vec<ConceptRef>,
}

impl Scope {
    pub fn is_empty(&self) -> bool {
        self.qualifiers.is_empty() && self.exceptions.is_empty() && !self.besides_target && self.target.is_empty()
    }
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Operator {
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = ">=")]
    Ge,
    #[serde(rename = "=")]
    Eq,
    #[serde(rename = "!=")]
    Ne,
    /// Inclusive range `value ..= value_high`.
    #[serde(rename = "range")]
    Range,
}

impl Operator {
    /// Whether `x` satisfies `x OP value` (or the range).
    pub fn holds(self, x: f64, value: f64, value_high: Option<f64>) -> bool {
        const EPS: f64 = 1e-9;
        match self {
            Operator::Lt => x < value - EPS,
            Operator::Le => x <= value + EPS,
            Operator::Gt => x > value + EPS,
            Operator::Ge => x >= value - EPS,
            Operator::Eq => (x - value).abs() <= EPS.max(value.abs() * 1e-9),
            Operator::Ne => (x - value).abs() > EPS,
            Operator::Range => x >= value - EPS && x <= value_high.unwrap_or(value) + EPS,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Operator::Lt => "<",
            Operator::Le => "≤",
            Operator::Gt => ">",
            Operator::Ge => "≥",
            Operator::Eq => "=",
            Operator::Ne => "≠",
            Operator::Range => "between",
        }
    }
}

/// A character span inside the criteria text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// The unit of a comparison that asks only whether a test has a result, whatever it is ("Known
/// hormone receptor status": `= 1 known`; "HER2 status unknown": `≠ 1 known`).
pub const KNOWN_RESULT_UNIT: &str = "known";

/// The unit of a threshold stated against the lower limit of normal ("potassium ≥ LLN": `≥ 1 lln`);
/// the matcher compares it with the reference range the result came with.
pub const LOWER_LIMIT_UNIT: &str = "lln";

/// The concept a criterion names when it means the trial's own intervention ("the study drug",
/// "investigational product"); the matcher resolves it to the interventions the record lists.
pub const TRIAL_INTERVENTION: &str = "ELIGO:trial.intervention";

/// The concept a criterion names when it states only a stage, extent, course or form of a disease
/// without naming it ("Clinical stage IIB-IIIC", "Relapsed or refractory"): the disease the trial
/// studies. The matcher resolves it to the conditions the record lists.
pub const TRIAL_CONDITION: &str = "ELIGO:trial.condition";

/// A numeric comparison with sub-spans for operator, value and unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub operator: Operator,
    pub value: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_high: Option<f64>,
    /// Canonical unit spelling ("mL/min/1.73m2", "g/L", "x10^9/L", "ULN").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator_span: Option<Span>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_span: Option<Span>,
    /// The upper bound of a range ("18-65": the "65").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_high_span: Option<Span>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_span: Option<Span>,
}

impl Comparison {
    /// A comparison read without its place in a text (no spans): `operator value [value_high] unit`.
    pub fn new(operator: Operator, value: f64, value_high: Option<f64>, unit: Option<&str>) -> Comparison {
        Comparison {
            operator,
            value,
            value_high,
            unit: unit.map(str::to_string),
            operator_span: None,
            value_span: None,
            value_high_span: None,
            unit_span: None,
        }
    }
}

/// A typed mention inside a criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    #[serde(rename = "type")]
    pub kind: EntityType,
    pub start: usize,
    pub end: usize,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concept: Option<ConceptRef>,
    /// For `comparison` entities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comparison: Option<Comparison>,
    /// For `temporal` entities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<TimeWindow>,
    /// For `qualifier` entities: what the qualifier narrows by.
    #[serde(rename = "kind", default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<QualifierKind>,
}

/// Where in time a fact must lie, relative to the evaluation date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct TimeWindow {
    /// Within the last N ("within 6 months", "in the 30 days before Day 0").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within: Option<Duration>,
    /// At least N ago ("at least 4 weeks prior to screening").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least_ago: Option<Duration>,
    /// Lasting at least N ("for more than 3 months").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub for_at_least: Option<Duration>,
    /// Reference point as written ("Day 0", "screening", "randomization").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor: Option<String>,
}

/// Disease status qualifiers that change what a condition criterion asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConditionStatus {
    Active,
    History,
    Controlled,
    Uncontrolled,
    Severe,
    Remission,
    /// "Suspected or confirmed": a suspected diagnosis is enough.
    Suspected,
    /// In a blood relative, not the patient: "family history of", "first-degree relative with".
    Family,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PregnancyState {
    Pregnant,
    Lactating,
    /// Must use (inclusion) / not using (exclusion) effective contraception.
    Contraception,
    /// A woman who could become pregnant: past menarche, not postmenopausal, not surgically
    /// sterile. Read only where the criterion is *about* it ("Female subjects must be of
    /// non-childbearing potential"); beside a pregnancy or contraception rule it only names the
    /// women that rule concerns.
    ChildbearingPotential,
}

/// Why a criterion cannot be evaluated from data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NonComputableReason {
    Consent,
    Language,
    InvestigatorJudgement,
    Compliance,
    TrialParticipation,
    /// A permission inside a list ("... is allowed", "... are eligible"): excludes nobody.
    Permission,
    /// A requirement whose terms are stated elsewhere, not in the text: "adequate organ function",
    /// "laboratory values as defined in the protocol". The limits are checked at screening.
    ProtocolDefined,
    /// A practical ability checked at the screening visit, not a diagnosis: "able to swallow
    /// tablets", "adequate venous access", "able to perform spirometry".
    Ability,
    /// A heading, connective or boilerplate line ("must have the following:", "OR",
    /// "other protocol-defined criteria may apply"), or the definition of a term other criteria
    /// use ("Non-childbearing potential is defined as ..."): structure, not a requirement.
    Structure,
    /// Understood as a sentence, but no structure could be extracted.
    Unstructured,
}

/// The computable reading of one criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Computable {
    Age {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<Duration>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<Duration>,
    },
    Sex {
        sex: Sex,
    },
    /// The patient has (any of) these conditions.
    Condition {
        concepts: Vec<ConceptRef>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status: Option<ConditionStatus>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        window: Option<TimeWindow>,
        #[serde(default, skip_serializing_if = "Scope::is_empty")]
        scope: Scope,
    },
    /// The patient has an infection (hepatitis B/C, HIV, tuberculosis, ...).
    Infection {
        concepts: Vec<ConceptRef>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status: Option<ConditionStatus>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        window: Option<TimeWindow>,
        #[serde(default, skip_serializing_if = "Scope::is_empty")]
        scope: Scope,
    },
    /// The patient has received (any of) these drugs or drug classes.
    PriorTherapy {
        drugs: Vec<ConceptRef>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        window: Option<TimeWindow>,
        /// A dose limit ("prednisone ≤ 20 mg/day").
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dose: Option<Comparison>,
        #[serde(default, skip_serializing_if = "Scope::is_empty")]
        scope: Scope,
    },
    Procedure {
        concepts: Vec<ConceptRef>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        window: Option<TimeWindow>,
        #[serde(default, skip_serializing_if = "Scope::is_empty")]
        scope: Scope,
    },
    /// A lab value, vital sign or score compared with a threshold.
    Lab {
        test: ConceptRef,
        #[serde(flatten)]
        comparison: Comparison,
        /// True when the threshold is a multiple of the upper limit of normal.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        uln_multiple: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        window: Option<TimeWindow>,
    },
    Pregnancy {
        state: PregnancyState,
    },
    /// The patient is allergic, hypersensitive or intolerant to (any of) these substances: drugs,
    /// drug classes, other agents by name, or the trial's own intervention
    /// ([`TRIAL_INTERVENTION`](crate::TRIAL_INTERVENTION)). An allergy is a record of its own, not
    /// the disease "hypersensitivity" nor an exposure to the drug.
    Allergy {
        substances: Vec<ConceptRef>,
    },
    NotComputable {
        reason: NonComputableReason,
    },
}

/// One criterion, with its place in the text and its computable reading.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Criterion {
    pub section: Section,
    /// Char offsets into the full criteria text.
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// Alternatives joined by "or" are separate computables; any met means met. A sentence that
    /// states requirements of different kinds becomes several criteria with the same span.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub computable: Vec<Computable>,
    /// True when the criterion is phrased negatively ("no history of ...");
    /// the computables then describe what must be absent.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub negated: bool,
    /// The group the criterion is about ("if male, ...", "women of childbearing potential must
    /// ...", "for patients who had a transplant: ..."): readings the patient must meet for the
    /// criterion to apply at all. A patient outside the group finds it *not applicable*.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub applies_if: Vec<Computable>,
    /// The typed mentions of the text (display mark-up). The store keeps criteria without them;
    /// the criteria engine recomputes them from the text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entities: Vec<Entity>,
}

impl Criterion {
    /// The kind name of the first computable, for display and statistics.
    pub fn kind(&self) -> &'static str {
        match self.computable.first() {
            None => "unstructured",
            Some(Computable::Age { .. }) => "age",
            Some(Computable::Sex { .. }) => "sex",
            Some(Computable::Condition { .. }) => "condition",
            Some(Computable::Infection { .. }) => "infection",
            Some(Computable::PriorTherapy { .. }) => "prior_therapy",
            Some(Computable::Procedure { .. }) => "procedure",
            Some(Computable::Lab { .. }) => "lab",
            Some(Computable::Pregnancy { .. }) => "pregnancy",
            Some(Computable::Allergy { .. }) => "allergy",
            Some(Computable::NotComputable { .. }) => "not_computable",
        }
    }
}

impl std::fmt::Display for Comparison {
    /// "< 30 ml/min", "between 5 and 18 years", "> 2 × ULN".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let number = |v: f64| if v.fract() == 0.0 { format!("{}", v as i64) } else { format!("{v}") };
        match (self.operator, self.value_high) {
            (Operator::Range, Some(high)) => write!(f, "between {} and {}", number(self.value), number(high))?,
            (op, _) => write!(f, "{} {}", op.symbol(), number(self.value))?,
        }
        match self.unit.as_deref() {
            Some("uln") => write!(f, " × ULN"),
            Some(LOWER_LIMIT_UNIT) => write!(f, " × LLN"),
            Some(unit) => write!(f, " {unit}"),
            None => Ok(()),
        }
    }
}

impl std::fmt::Display for Scope {
    /// " [stage iv, her2 negative] besides the trial's condition, for breast cancer, except basal
    /// cell carcinoma"; empty when there is no scope.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.qualifiers.is_empty() {
            let values: Vec<&str> = self.qualifiers.iter().map(|q| q.value.as_str()).collect();
            write!(f, " [{}]", values.join(", "))?;
        }
        if self.besides_target {
            write!(f, " besides the trial's condition")?;
        }
        let list = |concepts: &[ConceptRef]| concepts.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(" or ");
        if !self.target.is_empty() {
            write!(f, " for {}", list(&self.target))?;
        }
        if !self.exceptions.is_empty() {
            write!(f, " except {}", list(&self.exceptions))?;
        }
        Ok(())
    }
}

impl std::fmt::Display for TimeWindow {
    /// "within 6 Months before Day 0", "at least 4 Weeks ago", "for at least 3 Months".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts = Vec::new();
        if let Some(d) = self.within {
            parts.push(format!("within {d}"));
        }
        if let Some(d) = self.at_least_ago {
            parts.push(format!("at least {d} ago"));
        }
        if let Some(d) = self.for_at_least {
            parts.push(format!("for at least {d}"));
        }
        if let Some(anchor) = &self.anchor {
            parts.push(format!("(before {anchor})"));
        }
        write!(f, "{}", parts.join(" "))
    }
}

impl std::fmt::Display for Computable {
    /// One line a coordinator can read: "lab eGFR < 30 ml/min/1.73m2", "prior therapy: rituximab
    /// within 6 Months", "age 5 Years to 18 Years".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names = |concepts: &[ConceptRef]| concepts.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(" or ");
        let when = |window: &Option<TimeWindow>| window.as_ref().map(|w| format!(" {w}")).unwrap_or_default();
        let status = |s: &Option<ConditionStatus>| s.map(|s| format!(" [{s:?}]").to_lowercase()).unwrap_or_default();
        match self {
            Computable::Age { min, max } => {
                let bound = |d: &Option<Duration>| d.map(|d| d.to_string()).unwrap_or_else(|| "any".into());
                write!(f, "age {} to {}", bound(min), bound(max))
            }
            Computable::Sex { sex } => write!(f, "sex: {}", sex.label()),
            Computable::Condition { concepts, status: s, window, scope } => {
                write!(f, "condition: {}{}{}{scope}", names(concepts), status(s), when(window))
            }
            Computable::Infection { concepts, status: s, window, scope } => {
                write!(f, "infection: {}{}{}{scope}", names(concepts), status(s), when(window))
            }
            Computable::PriorTherapy { drugs, window, dose, scope } => {
                let dose = dose.as_ref().map(|d| format!(" dose {d}")).unwrap_or_default();
                let now = scope.qualifiers.iter().any(|q| q.value == CURRENT_USE);
                let window = if window.is_some() || now { when(window) } else { " (ever)".to_string() };
                write!(f, "prior therapy: {}{dose}{window}{scope}", names(drugs))
            }
            Computable::Procedure { concepts, window, scope } => {
                write!(f, "procedure: {}{}{scope}", names(concepts), when(window))
            }
            Computable::Lab { test, comparison, window, .. } => {
                write!(f, "lab {} {comparison}{}", test.name, when(window))
            }
            Computable::Pregnancy { state } => write!(f, "pregnancy: {state:?}").map(|_| ()),
            Computable::Allergy { substances } => write!(f, "allergy to {}", names(substances)),
            Computable::NotComputable { reason } => write!(f, "not computable ({reason:?})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::duration::TimeUnit;

    #[test]
    fn operators_hold_at_boundaries() {
        assert!(Operator::Lt.holds(29.9, 30.0, None));
        assert!(!Operator::Lt.holds(30.0, 30.0, None));
        assert!(Operator::Le.holds(20.0, 20.0, None));
        assert!(Operator::Range.holds(18.0, 18.0, Some(65.0)));
        assert!(!Operator::Range.holds(66.0, 18.0, Some(65.0)));
    }

    #[test]
    fn computable_json_is_tagged_by_kind() {
        let computable = Computable::PriorTherapy {
            drugs: vec![ConceptRef { id: "DRUG:rituximab".into(), name: "rituximab".into() }],
            window: Some(TimeWindow { within: Some(Duration::new(6.0, TimeUnit::Months)), ..TimeWindow::default() }),
            dose: None,
            scope: Scope::default(),
        };
        let json = serde_json::to_value(&computable).unwrap();
        assert_eq!(json["kind"], "prior_therapy");
        assert_eq!(json["window"]["within"]["unit"], "months");
        let back: Computable = serde_json::from_value(json).unwrap();
        assert_eq!(back, computable);
    }

    #[test]
    fn computables_read_as_one_line() {
        let ritux = ConceptRef { id: "DRUG:rituximab".into(), name: "rituximab".into() };
        let within = TimeWindow { within: Some(Duration::new(6.0, TimeUnit::Months)), ..TimeWindow::default() };
        let c =
            Computable::PriorTherapy { drugs: vec![ritux], window: Some(within), dose: None, scope: Scope::default() };
        assert_eq!(c.to_string(), "prior therapy: rituximab within 6 Months");
        let age = Computable::Age { min: Some(Duration::years(5.0)), max: Some(Duration::years(18.0)) };
        assert_eq!(age.to_string(), "age 5 Years to 18 Years");
    }

    #[test]
    fn lab_comparison_flattens() {
        let lab = Computable::Lab {
            test: ConceptRef { id: "ELIGO:lab.egfr".into(), name: "eGFR".into() },
            comparison: Comparison::new(Operator::Lt, 30.0, None, Some("mL/min/1.73m2")),
            uln_multiple: false,
            window: None,
        };
        let json = serde_json::to_value(&lab).unwrap();
        assert_eq!(json["kind"], "lab");
        assert_eq!(json["operator"], "<");
        assert_eq!(json["value"], 30.0);
    }
}
