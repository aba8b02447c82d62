//! A criterion that states only a stage, extent, course or form of a disease it does not name:
//! "Clinical stage IIB-IIIC.", "Metastatic or locally advanced", "Relapsed or refractory",
//! "No squamous cell histology".
//!
//! Registries list such lines under the trial's own disease, and a physician reads them as
//! qualifiers of it: in a breast cancer trial "Stage IV" means stage IV breast cancer. The reading
//! is a condition of [`TRIAL_CONDITION`] carrying the qualifiers, which the matcher resolves to the
//! conditions the trial lists; a patient with that disease is then met, contradicted or asked about
//! the qualifier ("Is your breast cancer stage IIB?").
//!
//! Only a criterion that says nothing else is read this way: every content word must be a
//! qualifier, a filler ("histologically confirmed", "disease", "at the time of enrollment"), a time
//! or in parentheses, except one word that may be the disease's own abbreviation ("STS that is
//! metastatic"). A word that names another disease or a toxicity ("co-morbidity", "other",
//! "neurotoxicity") makes the line about something else, and a grade alone is not read: a grade
//! is as often a toxicity's as a tumour's.

use eligo_model::{Computable, ConceptRef, Qualifier, QualifierKind, Scope, TRIAL_CONDITION};

use crate::cues::CueKind;
use crate::parse::Analysis;
use crate::scope::QualifierCue;
use crate::text::{TokenKind, WordSet};

/// Words a line about the trial's disease may hold besides its qualifiers.
static FILLERS: WordSet = WordSet::new(
    "must have has had having be is are was were been that which with the a an of or and nor any either both \
     histologically cytologically pathologically clinically radiologically histological cytological \
     pathological clinical radiological confirmed documented proven diagnosed diagnosis evidence disease \
     diseases tumor tumors tumour tumours cancer cancers malignancy neoplasm carcinoma patients patient \
     subjects subject participants participant time enrollment enrolment entry registration screening study \
     based per according staging ajcc uicc figo tnm edition criteria classification guidelines system \
     histology histologies histologic subtype type form cell predominantly predominant phase status stage pathologic nodal node nodes regional course \
     ann arbor rai binet lugano lymph ipsilateral assessment evaluation can by locally nottingham elston fuhrman isup \
     nuclear made established since minimum",
);

/// Grading systems of a tumour: a grade beside one of them is the tumour's, not a toxicity's
/// ("Nottingham grade 1 or 2", "histologic grade 3", "nuclear grade 2/3").
static TUMOUR_GRADING: WordSet =
    WordSet::new("nottingham elston fuhrman isup histologic histological nuclear tumor tumour");

/// Words that make the line about something other than the trial's disease: another disease, a
/// toxicity, an event, a reaction.
static ELSEWHERE: WordSet = WordSet::new(
    "other another second additional concurrent concomitant comorbidity comorbidities morbidity illness \
     illnesses condition conditions disorder disorders toxicity toxicities neurotoxicity infection infections \
     event events reaction reactions allergy allergic drug drugs medication treatment therapy",
);

/// Course values that describe the patient's state in general ("neurologically stable") rather
/// than the disease's course.
/// (The table's canonical values: "worsening" reads as "progressive", which is a disease's course.)
static GENERAL_COURSES: WordSet = WordSet::new("stable unstable persistent intermittent change changes");

/// The qualifiers of the trial's own disease, when the criterion states nothing else; see the
/// module comment.
pub(crate) fn own_disease_condition(a: &Analysis) -> Option<Computable> {
    if let Some(groups) = eye_groups(a) {
        return Some(groups);
    }
    let qualifiers: Vec<&QualifierCue> = a.qualifiers.iter().filter(|q| qualifies_a_disease(q)).collect();
    let tumour_graded = a.tokens.iter().any(|t| TUMOUR_GRADING.contains(&t.lower));
    let names_a_form = qualifiers.iter().any(|q| !q.value.starts_with("grade") || tumour_graded);
    let window = a.quantities.iter().find_map(|q| crate::parse::window(a, q));
    // "Diagnosed within the past 8 weeks", "Minimum of 3 years since diagnosis": when the trial's
    // disease was diagnosed.
    let dated_diagnosis =
        window.is_some() && a.tokens.iter().any(|t| matches!(t.lower.as_str(), "diagnosis" | "diagnosed"));
    if !(names_a_form || dated_diagnosis) || !only_the_disease_is_named(a) || !only_an_abbreviation_uncovered(a) {
        return None;
    }
    let qualifiers = qualifiers
        .into_iter()
        .map(|q| Qualifier { kind: q.kind, value: q.value.clone(), concept: None, polarity: None })
        .collect();
    let concept = ConceptRef { id: TRIAL_CONDITION.to_string(), name: "the disease this trial studies".to_string() };
    let scope = Scope { qualifiers, ..Scope::default() };
    Some(Computable::Condition { concepts: vec![concept], status: None, window, scope })
}

/// The eye groups of the International Intraocular Retinoblastoma Classification, alone on a line
/// ("Group C and Group D eyes", "Group D eye"): the stage of the trial's disease in each eye.
fn eye_groups(a: &Analysis) -> Option<Computable> {
    let words: Vec<&str> = a.tokens.iter().filter(|t| t.kind == TokenKind::Word).map(|t| t.lower.as_str()).collect();
    let eyes = words.last().is_some_and(|w| matches!(*w, "eye" | "eyes"));
    let only_groups = words
        .iter()
        .all(|w| matches!(*w, "group" | "groups" | "and" | "or" | "eye" | "eyes" | "a" | "b" | "c" | "d" | "e"));
    let mut values: Vec<String> = Vec::new();
    for pair in words.windows(2).filter(|p| p[0] == "group") {
        let value = format!("group {}", pair[1]);
        if pair[1].len() == 1 && !values.contains(&value) {
            values.push(value);
        }
    }
    if !eyes || !only_groups || values.is_empty() || !a.mentions.is_empty() {
        return None;
    }
    let qualifiers = values
        .into_iter()
        .map(|value| Qualifier { kind: QualifierKind::Stage, value, concept: None, polarity: None })
        .collect();
    let concept = ConceptRef { id: TRIAL_CONDITION.to_string(), name: "the disease this trial studies".to_string() };
    let scope = Scope { qualifiers, ..Scope::default() };
    Some(Computable::Condition { concepts: vec![concept], status: None, window: None, scope })
}

/// Stage, extent, course, form and activity qualify a disease; severity, acuteness, events and
/// sites say too little without one.
fn qualifies_a_disease(q: &QualifierCue) -> bool {
    match q.kind {
        QualifierKind::Stage | QualifierKind::Subtype => true,
        // "Treated with WBRT" names a treatment, not a state of the disease.
        QualifierKind::Activity => q.value != "treated",
        QualifierKind::Course => !GENERAL_COURSES.contains(&q.value),
        _ => false,
    }
}

/// No mention but generic disease words ("disease", "tumor"), no event of the disease
/// ("exacerbations"), no age or sex ("advanced age"), and no word that points elsewhere.
fn only_the_disease_is_named(a: &Analysis) -> bool {
    // A generic head with the qualifiers before it ("relapsing-remitting disease") is still only
    // the disease.
    // A site among them ("brain metastases") names another place, not the disease's form.
    let qualified = |k: usize| a.qualifiers.iter().any(|q| q.tokens.0 <= k && k < q.tokens.1 && qualifies_a_disease(q));
    let generic = |r: (usize, usize)| {
        (r.0..r.1).all(|k| qualified(k) || a.tokens.get(k).is_some_and(|t| FILLERS.contains(&t.lower)))
    };
    let demographic = a.cues.iter().any(|c| matches!(c.kind, CueKind::Age | CueKind::Sex(_) | CueKind::Pregnancy(_)));
    a.mentions.iter().all(|(_, r)| generic(*r))
        && !demographic
        && !a.qualifiers.iter().any(|q| q.kind == QualifierKind::Event)
        && !a.tokens.iter().any(|t| ELSEWHERE.contains(&t.lower))
}

/// Whether the content words (three letters or more) outside qualifiers, times, parentheses and
/// fillers are at most one abbreviation in capitals, the disease's short name ("STS", "MBC"). Any
/// other word may be the finding itself ("active caries", "symptomatic warmth").
fn only_an_abbreviation_uncovered(a: &Analysis) -> bool {
    let mut depth = 0usize;
    let mut uncovered = Vec::new();
    for (k, t) in a.tokens.iter().enumerate() {
        match t.lower.as_str() {
            "(" | "[" => depth += 1,
            ")" | "]" => depth = depth.saturating_sub(1),
            _ => {}
        }
        let covered = a.qualifiers.iter().any(|q| q.tokens.0 <= k && k < q.tokens.1)
            || a.quantities.iter().any(|q| q.tokens.0 <= k && k < q.tokens.1)
            || a.cues.iter().any(|c| c.tokens.0 <= k && k < c.tokens.1);
        let content = t.kind == TokenKind::Word && t.lower.chars().count() >= 3 && !FILLERS.contains(&t.lower);
        if depth == 0 && content && !covered {
            uncovered.push(t);
        }
    }
    match uncovered.as_slice() {
        [] => true,
        [word] => {
            let written = &a.prepared.chars[word.start..word.end];
            written.len() <= 6 && written.iter().all(|c| c.is_ascii_uppercase())
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use eligo_model::{Computable, TRIAL_CONDITION};

    use crate::parse_criteria;

    /// The qualifier values of the trial-condition readings of a criterion.
    fn own(text: &str) -> Vec<String> {
        parse_criteria(text)
            .into_iter()
            .flat_map(|c| c.computable)
            .filter_map(|c| match c {
                Computable::Condition { concepts, scope, .. } if concepts[0].id == TRIAL_CONDITION => {
                    Some(scope.qualifiers.into_iter().map(|q| q.value).collect::<Vec<_>>().join("+"))
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_stage_or_course_alone_qualifies_the_trials_disease() {
        assert_eq!(own("Inclusion Criteria:\n- Pathological stage IIIA or IIIB."), vec!["stage iiia+stage iiib"]);
        assert_eq!(own("Relapsed or refractory"), vec!["relapsed+refractory"]);
        assert_eq!(own("Must have histologically confirmed XYZ that is metastatic"), vec!["metastatic"]);
        assert_eq!(own("Stage IV (per AJCC 8th edition) at the time of registration"), vec!["stage iv"]);
        // A generic head with only qualifiers is the trial's disease too.
        assert_eq!(own("Patients with a relapsing-remitting disease course"), vec!["relapsing-remitting"]);
        assert!(own("Previously treated brain metastases").is_empty());
    }

    #[test]
    fn disease_in_a_state_beside_other_words_is_the_trials_disease() {
        // Lines with more than the state: the clause reader makes "disease" the trial's disease.
        assert_eq!(own("Inclusion Criteria:\n- Progressive disease on prior therapy"), vec!["progressive"]);
        assert_eq!(
            own("Exclusion Criteria:\n- Relapsed refractory disease after two prior regimens"),
            vec!["relapsed/refractory"]
        );
        // Another disease stays another disease, and a named one stays itself.
        assert!(own("Exclusion Criteria:\n- Other active disease requiring treatment").is_empty());
        assert!(own("Exclusion Criteria:\n- Active autoimmune disease").is_empty());
    }

    #[test]
    fn retinoblastoma_eye_groups_qualify_the_trials_disease() {
        assert_eq!(own("Inclusion Criteria:\n- Group B or Group E eyes"), vec!["group b+group e"]);
        assert!(own("Group B streptococcus in the eyes").is_empty());
    }

    #[test]
    fn a_dated_diagnosis_is_the_trials_disease_with_its_window() {
        let read: Vec<Computable> = parse_criteria("Inclusion Criteria:\n- Diagnosis made within the last 3 months")
            .into_iter()
            .flat_map(|c| c.computable)
            .collect();
        assert!(
            matches!(read.as_slice(), [Computable::Condition { concepts, window: Some(_), .. }] if concepts[0].id == TRIAL_CONDITION),
            "{read:?}"
        );
        // A diagnosis with no time, or of something named, is not this.
        assert!(own("Diagnosis confirmed by biopsy").is_empty());
    }

    #[test]
    fn a_staging_system_or_a_tumour_grade_qualifies_the_trials_disease() {
        assert_eq!(own("Lugano stage III or IV"), vec!["stage iii+stage iv"]);
        assert_eq!(own("Locally recurrent or metastatic"), vec!["recurrent+metastatic"]);
        assert_eq!(own("Elston grade 2"), vec!["grade 2"]);
        // A grade without a tumour's grading system may be a toxicity's.
        assert!(own("Grade 2").is_empty());
    }

    #[test]
    fn a_histology_alone_qualifies_the_trials_disease() {
        assert_eq!(
            own("Exclusion Criteria:\n- Sarcomatoid or collecting duct histology"),
            vec!["sarcomatoid+collecting duct"]
        );
        assert_eq!(own("Predominantly clear cell histology"), vec!["clear cell"]);
        assert_eq!(own("Spindle cell"), vec!["spindle cell"]);
        // A cell named beside another disease is that disease's.
        assert!(own("Clear cell renal cell carcinoma with brain metastases").is_empty());
        assert!(own("Serous otitis media").is_empty());
    }

    #[test]
    fn other_diseases_toxicities_and_general_states_are_not_the_trials_disease() {
        assert!(own("Other active malignancy").is_empty());
        assert!(own("Severe, active co-morbidity").is_empty());
        assert!(own("Neurotoxicity of grade 2 or higher").is_empty());
        assert!(own("Grade 2 or higher").is_empty());
        assert!(own("Patients must be neurologically stable").is_empty());
        assert!(own("Visited their primary care provider at least twice").is_empty());
        // An unknown word may be the finding itself; an abbreviation in capitals is the disease's.
        assert!(own("Current active frobnitis").is_empty());
        assert!(own("Advanced age").is_empty());
        assert!(own("No recent or active respiratory exacerbations").is_empty());
        assert!(own("Previously treated with XRT").is_empty());
        assert_eq!(own("Advanced XYZ"), vec!["advanced"]);
        // A disease the vocabulary knows keeps its own reading.
        assert!(own("Stage IV breast cancer").is_empty());
    }
}
