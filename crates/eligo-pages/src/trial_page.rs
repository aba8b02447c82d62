//! A listing page's sections → a [`Trial`].
//!
//! Each section's value is read by its field ([`Field`]); values a page
//! states in a shape Eligo cannot read are reported as warnings, never
//! guessed. Values derived indirectly (interventions and condition taken
//! from a patient-facing title, ages from a plain-language paraphrase) get a
//! lower confidence than values read from a label.

use eligo_model::{
    Actuality, AgencyClass, Allocation, ArmGroup, ArmGroupType, Contact, Enrollment, FieldSource, InterventionModel,
    InterventionType, Location, Masking, OverallStatus, PartialDate, Phase, PlainLanguageItem, PrimaryPurpose,
    SecondaryId, Sex, Sponsor, StudyType, Trial, TrialDate,
};

use crate::clean::dedupe;
use crate::layouts::Field;
use crate::sections::{label_key, Section};
use crate::values::{age_range, first_count, yes_no};

/// Confidence of values inferred rather than read from a label.
const INFERRED_CONFIDENCE: f32 = 0.5;

/// Lines that are never page content, wherever they appear.
pub fn is_boilerplate(line: &str) -> bool {
    let key = label_key(line);
    const EXACT: [&str; 6] = ["menu", "loading...", "clinicaltrials.veeva", "skip to main content", "share", "print"];
    let parts: Vec<&str> = line.split(" | ").collect();
    // "Home | Studies | About us": a breadcrumb or menu bar.
    let navigation = parts.len() >= 2 && parts.iter().all(|part| part.split_whitespace().count() <= 3);
    navigation
        || EXACT.contains(&key.as_str())
        || key.starts_with('©')
        || key.contains("sign up")
        || key.contains("cookie")
}

/// A trial being filled from a page's sections.
#[derive(Default)]
pub struct TrialBuilder {
    pub trial: Trial,
    pub warnings: Vec<String>,
    /// Fields whose value was inferred, with their confidence.
    inferred: Vec<&'static str>,
    criteria: Vec<String>,
}

impl TrialBuilder {
    /// Reads the preamble: the title, and a sponsor named by its logo.
    pub fn preamble(&mut self, lines: &[String]) {
        let mut content = lines.iter().filter(|line| !is_boilerplate(line));
        let mut previous_logo: Option<String> = None;
        for line in content.by_ref() {
            if let Some(name) = line.strip_suffix(" logo") {
                previous_logo = Some(name.trim().to_string());
            } else if self.trial.brief_title.is_none() {
                self.trial.brief_title = Some(line.clone());
            } else if previous_logo.as_deref() == Some(line.as_str()) {
                self.set_sponsor(line);
            }
        }
        if let (Some(name), None) = (previous_logo, &self.trial.lead_sponsor) {
            self.set_sponsor(&name);
        }
    }

    pub fn section(&mut self, section: &Section<Field>) {
        let Some(field) = section.field else { return };
        let value = section.value().unwrap_or_default();
        let lines: Vec<&str> = section.lines().collect();
        match field {
            Field::Title => {
                self.trial.brief_title = self.trial.brief_title.take().or(section.value().map(String::from))
            }
            Field::LastUpdated => self.trial.last_update_posted = self.date(value, None),
            Field::Sponsor => self.set_sponsor(value),
            Field::SponsorClass => self.sponsor_class(value),
            Field::Status => self.status(value),
            Field::Phase => lines.iter().for_each(|line| self.phase(line)),
            Field::StatusAndPhase => lines.iter().for_each(|line| self.status_or_phase(line)),
            Field::Conditions => self.trial.conditions.extend(lines.iter().map(|l| l.to_string())),
            Field::Treatments => lines.iter().for_each(|line| self.intervention(line)),
            Field::Identifiers => lines.iter().for_each(|line| self.identifier_line(line)),
            Field::Summary => self.trial.brief_summary = paragraphs(&lines),
            Field::PlainSummary => lines.iter().for_each(|line| self.plain(topic_of(line), line)),
            Field::PlainEligibility => self.plain_eligibility(&lines),
            Field::Criteria => self.criteria.extend(lines.iter().map(|l| l.to_string())),
            Field::Inclusion | Field::Exclusion => self.criteria_part(field, &lines),
            Field::Enrollment => self.enrollment(value, actuality_in(value)),
            Field::TargetEnrollment => self.enrollment(value, Some(Actuality::Estimated)),
            Field::StartDate => self.trial.start_date = self.date(value, actuality_in(&section.heading)),
            Field::CompletionDate => self.trial.completion_date = self.date(value, actuality_in(&section.heading)),
            Field::EstimatedCompletionDate => self.trial.completion_date = self.date(value, Some(Actuality::Estimated)),
            Field::Sex => self.sex(value),
            Field::Ages => self.ages(value, false),
            Field::HealthyVolunteers => self.trial.eligibility.healthy_volunteers = yes_no(value),
            Field::StudyType => self.trial.study_type = Some(StudyType::parse(value)),
            Field::PrimaryPurpose => self.trial.design.primary_purpose = Some(PrimaryPurpose::parse(value)),
            Field::Allocation => self.trial.design.allocation = Some(Allocation::parse(value)),
            Field::InterventionModel => self.trial.design.intervention_model = Some(InterventionModel::parse(value)),
            Field::Masking => self.trial.design.masking = Some(Masking::parse(value)),
            Field::Arms => self.arms(section),
            Field::ParticipantGroups => self.participant_groups(&section.body),
            Field::Sites => self.trial.locations.extend(sites(&section.body)),
            Field::CentralContact => self.trial.central_contacts.extend(contact(&section.body)),
            Field::Skip | Field::Boilerplate => {}
        }
    }

    fn set_sponsor(&mut self, name: &str) {
        if !name.is_empty() && self.trial.lead_sponsor.is_none() {
            self.trial.lead_sponsor = Some(Sponsor { name: name.to_string(), class: None });
        }
    }

    fn sponsor_class(&mut self, value: &str) {
        if let Some(sponsor) = &mut self.trial.lead_sponsor {
            sponsor.class = Some(AgencyClass::parse(value));
        }
    }

    fn status(&mut self, value: &str) {
        let status = OverallStatus::parse(value);
        if !status.is_known() {
            self.warnings.push(format!("status {value:?} is not a registry status; kept as written"));
        }
        self.trial.overall_status.get_or_insert(status);
    }

    fn phase(&mut self, line: &str) {
        // Some services print the bare number under a "Phase" label.
        let spelled = if line.chars().all(|c| c.is_ascii_digit()) { format!("Phase {line}") } else { line.into() };
        for phase in Phase::parse_list(&spelled) {
            if !phase.is_known() {
                self.warnings.push(format!("phase {line:?} is not a registry phase; kept as written"));
            }
            if !self.trial.phases.contains(&phase) {
                self.trial.phases.push(phase);
            }
        }
    }

    fn status_or_phase(&mut self, line: &str) {
        if OverallStatus::parse(line).is_known() {
            self.status(line);
        } else {
            self.phase(line);
        }
    }

    fn intervention(&mut self, line: &str) {
        let (kind, name) = match line.split_once(':') {
            Some((kind, name)) if InterventionType::parse(kind).is_known() => {
                (Some(InterventionType::parse(kind)), name.trim())
            }
            _ => (None, line.trim()),
        };
        let known = self.trial.interventions.iter().any(|i| i.name.eq_ignore_ascii_case(name));
        if !name.is_empty() && !known {
            self.trial.interventions.push(eligo_model::Intervention {
                kind,
                name: name.to_string(),
                ..Default::default()
            });
        }
    }

    /// An identifier block also carries short facts on some services
    /// ("Ages 5-18", "All Genders").
    fn identifier_line(&mut self, line: &str) {
        let lower = line.to_lowercase();
        if lower.starts_with("ages") || lower.starts_with("age ") {
            return self.ages(line, false);
        }
        if lower.contains("gender") || lower.contains("sexes") || Sex::parse(line).is_known() {
            return self.sex(line);
        }
        if lower.contains("healthy volunteers") {
            self.trial.eligibility.healthy_volunteers = yes_no(line);
            return;
        }
        if line.split_whitespace().count() != 1 {
            return self.warnings.push(format!("identifier {line:?} has spaces; not read as an ID"));
        }
        match eligo_model::normalize_nct_id(line).filter(|_| lower.starts_with("nct")) {
            Some(nct) => {
                self.trial.nct_id.get_or_insert(nct);
            }
            None if !self.trial.secondary_ids.iter().any(|s| s.id == line) => {
                self.trial.secondary_ids.push(SecondaryId::new(line))
            }
            None => {}
        }
    }

    fn sex(&mut self, value: &str) {
        let sex = Sex::parse(value);
        if sex.is_known() {
            self.trial.eligibility.sex.get_or_insert(sex);
        } else {
            self.warnings.push(format!("sex {value:?} not understood"));
        }
    }

    fn ages(&mut self, text: &str, inferred: bool) {
        let Some((min, max)) = age_range(text) else {
            return self.warnings.push(format!("ages {text:?} not understood"));
        };
        let eligibility = &mut self.trial.eligibility;
        if eligibility.minimum_age.is_none() && eligibility.maximum_age.is_none() {
            eligibility.minimum_age = min;
            eligibility.maximum_age = max;
            if inferred {
                self.inferred.push("eligibility");
            }
        }
    }

    fn enrollment(&mut self, value: &str, actuality: Option<Actuality>) {
        match first_count(value) {
            Some(count) => {
                self.trial.enrollment.get_or_insert(Enrollment { count, actuality });
            }
            None => self.warnings.push(format!("enrollment {value:?} has no number")),
        }
    }

    fn date(&mut self, value: &str, actuality: Option<Actuality>) -> Option<TrialDate> {
        match value.parse::<PartialDate>() {
            Ok(date) => Some(TrialDate::new(date, actuality)),
            Err(error) => {
                self.warnings.push(error.to_string());
                None
            }
        }
    }

    fn plain(&mut self, topic: &str, text: &str) {
        let item = PlainLanguageItem { topic: topic.to_string(), text: text.to_string(), source: 0 };
        self.trial.plain_language.push(item);
    }

    /// The service's paraphrase of who can join: kept as plain language; the
    /// age range it states is read, as an inferred value.
    fn plain_eligibility(&mut self, lines: &[&str]) {
        for line in lines {
            self.plain("eligibility", line);
            // Searched in the line itself: lower-casing can move byte offsets.
            if let Some(at) = line.find("aged ").or_else(|| line.find("Aged ")) {
                let phrase: String = line[at + 5..].chars().take_while(|c| *c != ',' && *c != '.').collect();
                let phrase = phrase.split(" with ").next().unwrap_or_default().to_string();
                self.ages(&phrase, true);
            }
        }
    }

    fn criteria_part(&mut self, field: Field, lines: &[&str]) {
        let heading = if field == Field::Inclusion { "Inclusion Criteria:" } else { "Exclusion Criteria:" };
        if !lines.is_empty() {
            self.criteria.push(heading.to_string());
            self.criteria.extend(lines.iter().map(|l| l.to_string()));
        }
    }

    fn arms(&mut self, section: &Section<Field>) {
        if self.trial.enrollment.is_none() {
            self.enrollment(&section.heading, None);
        }
        self.trial.arm_groups.extend(arm_groups(&section.body));
    }

    fn participant_groups(&mut self, body: &[String]) {
        let labels = dedupe(body.to_vec());
        self.trial.arm_groups.extend(labels.into_iter().map(|label| ArmGroup { label, ..Default::default() }));
    }

    /// Patient-facing titles read "A + B for Condition".
    pub fn interventions_from_title(&mut self) {
        let Some(title) = self.trial.brief_title.clone() else { return };
        let Some((treatments, condition)) = title.split_once(" for ") else { return };
        if self.trial.interventions.is_empty() {
            treatments.split(['+', ',', '&']).flat_map(|t| t.split(" and ")).for_each(|t| self.intervention(t));
            self.inferred.push("interventions");
        }
        if self.trial.conditions.is_empty() && !condition.trim().is_empty() {
            self.trial.conditions.push(condition.trim().to_string());
            self.inferred.push("conditions");
        }
    }

    /// Tidies lists and assembles the criteria text; returns the trial with
    /// provenance for source 0.
    pub fn finish(mut self, confidence: f32) -> (Trial, Vec<String>) {
        self.trial.conditions = dedupe(std::mem::take(&mut self.trial.conditions));
        self.trial.eligibility.criteria_text = criteria_text(&self.criteria);
        self.trial.attribute_present_fields(0, confidence);
        for field in self.inferred {
            let confidence = confidence.min(INFERRED_CONFIDENCE);
            self.trial.provenance.insert(field.to_string(), FieldSource { source: 0, confidence });
        }
        (self.trial, self.warnings)
    }
}

fn actuality_in(text: &str) -> Option<Actuality> {
    let lower = text.to_lowercase();
    if ["estimated", "anticipated", "expected", "target"].iter().any(|w| lower.contains(w)) {
        Some(Actuality::Estimated)
    } else if lower.contains("actual") {
        Some(Actuality::Actual)
    } else {
        None
    }
}

fn paragraphs(lines: &[&str]) -> Option<String> {
    let text = lines.join("\n\n");
    (!text.trim().is_empty()).then_some(text)
}

/// Which question of a patient-facing Q&A a paragraph answers, by its words.
fn topic_of(paragraph: &str) -> &'static str {
    const TOPICS: [(&str, &[&str]); 4] = [
        ("safety", &["safe", "side effect", "risk", "adverse"]),
        ("promise", &["research shows", "may help", "benefit", "effective", "promising", "evidence"]),
        ("requirements", &["requires", "you may need", "medication", "stop", "must"]),
        ("uniqueness", &["unique", "different", "novel", "first"]),
    ];
    let lower = paragraph.to_lowercase();
    let hits = |words: &[&str]| words.iter().filter(|w| lower.contains(**w)).count();
    let (topic, best) = TOPICS.iter().map(|(topic, words)| (*topic, hits(words))).fold(("summary", 0), |best, next| {
        if next.1 > best.1 {
            next
        } else {
            best
        }
    });
    if best == 0 {
        "summary"
    } else {
        topic
    }
}

/// Criteria lines with their headings made uniform ("Inclusion" +
/// "Inclusion Criteria:" → one "Inclusion Criteria:").
fn criteria_text(lines: &[String]) -> Option<String> {
    let mut out: Vec<String> = Vec::new();
    for line in lines {
        let key = label_key(line);
        let heading = match key.as_str() {
            "inclusion" | "inclusion criteria" | "key inclusion criteria" => Some("Inclusion Criteria:"),
            "exclusion" | "exclusion criteria" | "key exclusion criteria" => Some("Exclusion Criteria:"),
            _ => None,
        };
        match heading {
            Some(heading) if out.last().map(String::as_str) == Some(heading) => {}
            Some(heading) => out.push(heading.to_string()),
            None => out.push(line.clone()),
        }
    }
    let has_content = out.iter().any(|l| !l.ends_with("Criteria:"));
    has_content.then(|| out.join("\n"))
}

/// Veeva arms: a name, "<Type> group", "Treatment:", then "Kind: name" lines.
fn arm_groups(body: &[String]) -> Vec<ArmGroup> {
    let mut arms: Vec<ArmGroup> = Vec::new();
    for line in body {
        let kind = line.strip_suffix(" group").map(ArmGroupType::parse).filter(ArmGroupType::is_known);
        let treatment = line.split_once(':').filter(|(k, _)| InterventionType::parse(k).is_known());
        match (kind, treatment, arms.last_mut()) {
            (Some(kind), _, Some(arm)) if arm.kind.is_none() => arm.kind = Some(kind),
            (_, Some((_, name)), Some(arm)) => arm.intervention_names.push(name.trim().to_string()),
            _ if label_key(line) == "treatment" || label_key(line) == "treatments" => {}
            _ => arms.push(ArmGroup { label: line.clone(), ..Default::default() }),
        }
    }
    arms
}

/// Sites: facility, "City, State ZIP", country, status, repeated.
fn sites(body: &[String]) -> Vec<Location> {
    let mut sites: Vec<Location> = Vec::new();
    for line in body {
        let status = OverallStatus::parse(line);
        let current = sites.last_mut();
        match current {
            Some(site) if status.is_known() => site.status = Some(status),
            Some(site) if site.city.is_none() && line.contains(',') => fill_city_line(site, line),
            Some(site) if site.city.is_some() && site.country.is_none() && site.status.is_none() => {
                site.country = Some(line.clone())
            }
            _ => sites.push(Location { facility: Some(line.clone()), ..Default::default() }),
        }
    }
    sites
}

/// "Beijing, Beijing 100730" → city, state, ZIP.
fn fill_city_line(site: &mut Location, line: &str) {
    let (city, rest) = line.split_once(',').unwrap_or((line, ""));
    site.city = Some(city.trim().to_string());
    let mut words: Vec<&str> = rest.split_whitespace().collect();
    if words.last().is_some_and(|w| w.chars().any(|c| c.is_ascii_digit())) {
        site.zip = words.pop().map(String::from);
    }
    if !words.is_empty() {
        site.state = Some(words.join(" "));
    }
}

/// A contact block: a name, then e-mail and phone lines.
fn contact(body: &[String]) -> Option<Contact> {
    let mut contact = Contact::default();
    for line in body {
        if line.contains('@') {
            contact.email = Some(line.trim().to_string());
        } else if line.chars().filter(|c| c.is_ascii_digit()).count() >= 6 {
            contact.phone = Some(line.trim().to_string());
        } else if contact.name.is_none() {
            contact.name = Some(line.trim().to_string());
        }
    }
    (contact != Contact::default()).then_some(contact)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn criteria_headings_are_made_uniform() {
        let lines: Vec<String> =
            ["Inclusion", "Inclusion Criteria:", "1. Age 5-18.", "Exclusion", "Exclusion Criteria:", "1. Pregnancy"]
                .map(String::from)
                .to_vec();
        assert_eq!(
            criteria_text(&lines).as_deref(),
            Some("Inclusion Criteria:\n1. Age 5-18.\nExclusion Criteria:\n1. Pregnancy")
        );
        assert_eq!(criteria_text(&["Inclusion Criteria".to_string()]), None);
    }

    #[test]
    fn sites_read_facility_city_country_status() {
        let body: Vec<String> =
            ["Peking Union Medical College Hospital", "Beijing, Beijing 100730", "China", "Active - Recruiting"]
                .map(String::from)
                .to_vec();
        let sites = sites(&body);
        assert_eq!(sites.len(), 1);
        assert_eq!(sites[0].city.as_deref(), Some("Beijing"));
        assert_eq!(sites[0].zip.as_deref(), Some("100730"));
        assert_eq!(sites[0].country.as_deref(), Some("China"));
        assert_eq!(sites[0].status, Some(OverallStatus::Recruiting));
    }

    #[test]
    fn plain_language_paragraphs_get_their_topic() {
        assert_eq!(topic_of("Belimumab is generally considered safe, but it may increase the risk"), "safety");
        assert_eq!(topic_of("Research shows that it may help improve skin"), "promise");
        assert_eq!(topic_of("This combination is unique because it uses two different mechanisms"), "uniqueness");
    }
}
