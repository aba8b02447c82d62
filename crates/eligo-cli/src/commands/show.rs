use std::process::ExitCode;

use eligo_model::{LinkReason, Publication, PublicationLink, Trial};
use eligo_store::Store;
use serde::Serialize;

use crate::context::{print_json, Context};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// NCT ID, org study ID or any secondary ID (case-insensitive), or a
    /// publication as PMID:n, DOI:x or PMCID:x.
    id: String,
    /// Print the record as JSON (the canonical trial model).
    #[arg(long)]
    json: bool,
    /// Also list where each field came from.
    #[arg(long)]
    provenance: bool,
    /// Show earlier versions instead (newest first).
    #[arg(long)]
    history: bool,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let store = ctx.open_store()?;
    let Some(trial) = store.get_trial(&args.id)? else {
        if let Some(publication) = store.get_publication(&args.id)? {
            return show_publication(&*store, &publication, args.json);
        }
        eprintln!("no trial or publication with identifier {:?}", args.id);
        return Ok(ExitCode::FAILURE);
    };
    if args.history {
        let history = store.history(&trial.id)?;
        if args.json {
            print_json(&history)?;
        } else if history.is_empty() {
            println!("{}: no earlier versions", trial.id);
        }
        for entry in history.iter().filter(|_| !args.json) {
            let status = entry.trial.overall_status.as_ref().map(|s| s.label()).unwrap_or("-");
            println!("replaced {} (change {}): status {status}", entry.replaced_at.to_rfc3339(), entry.replaced_at_seq);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let evidence = linked_publications(&*store, store.links_for_trial(&trial.id)?)?;
    if args.json {
        print_json(&TrialWithEvidence { trial: &trial, publications: &evidence })?;
    } else {
        print!("{}", render(&trial, args.provenance));
        print!("{}", render_evidence(&trial, &evidence));
    }
    Ok(ExitCode::SUCCESS)
}

/// `show --json` of a trial: the canonical record plus its linked publications.
#[derive(Serialize)]
struct TrialWithEvidence<'a> {
    #[serde(flatten)]
    trial: &'a Trial,
    publications: &'a [LinkedPublication],
}

/// One trial–publication link as `show --json` prints it.
#[derive(Serialize)]
struct LinkedPublication {
    trial_id: String,
    key: String,
    pmid: Option<String>,
    title: String,
    reason: LinkReason,
    score: f32,
    /// True when the article reports this trial; false for related work.
    reports_results: bool,
}

fn linked_publications(store: &dyn Store, links: Vec<PublicationLink>) -> anyhow::Result<Vec<LinkedPublication>> {
    let mut out = Vec::with_capacity(links.len());
    for link in links {
        let publication = store.get_publication(&link.publication_key)?;
        let title = publication.as_ref().map(|p| p.title.clone()).unwrap_or_default();
        out.push(LinkedPublication {
            trial_id: link.trial_id,
            key: link.publication_key,
            pmid: publication.and_then(|p| p.pmid),
            title,
            reason: link.reason,
            score: link.score,
            reports_results: link.reports_results,
        });
    }
    Ok(out)
}

fn show_publication(store: &dyn Store, publication: &Publication, json: bool) -> anyhow::Result<ExitCode> {
    let key = publication.key().unwrap_or_default();
    let links = linked_publications(store, store.links_for_publication(&key)?)?;
    if json {
        #[derive(Serialize)]
        struct PublicationWithTrials<'a> {
            #[serde(flatten)]
            publication: &'a Publication,
            trials: &'a [LinkedPublication],
        }
        print_json(&PublicationWithTrials { publication, trials: &links })?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = format!("{key}\n{}\n\n", publication.title);
    let authors = list(publication.authors.iter().map(|a| a.name.as_str()));
    line(&mut out, "Authors", authors);
    let issue = [&publication.journal, &publication.volume, &publication.issue, &publication.pages];
    line(&mut out, "Journal", list(issue.into_iter().flatten()));
    line(&mut out, "Published", publication.published.map(|d| d.to_string()).unwrap_or_default());
    let ids = [
        ("PMID", &publication.pmid),
        ("PMCID", &publication.pmcid),
        ("DOI", &publication.doi),
        ("Scopus", &publication.scopus_id),
    ];
    line(&mut out, "Identifiers", list(ids.iter().filter_map(|(k, v)| v.as_ref().map(|v| format!("{k} {v}")))));
    line(&mut out, "Keywords", list(publication.keywords.iter().chain(&publication.mesh_terms)));
    line(&mut out, "Names trials", list(publication.nct_ids.iter()));
    if let Some(text) = &publication.abstract_text {
        out.push_str(&format!("\nAbstract\n{text}\n"));
    }
    out.push_str("\nTrials\n");
    for link in &links {
        out.push_str(&format!("  {} {} (score {:.2})\n", link.trial_id, describe(link), link.score));
    }
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

fn describe(link: &LinkedPublication) -> &'static str {
    match (link.reason, link.reports_results) {
        (_, true) => "results of this trial",
        (LinkReason::NamesNctId, false) => "names this trial",
        (LinkReason::ListedInReferences, false) => "listed in the trial's references",
        (LinkReason::Related, false) => "related work",
    }
}

/// Publications, plain-language content and source conflicts of a trial.
fn render_evidence(trial: &Trial, publications: &[LinkedPublication]) -> String {
    let mut out = String::new();
    let source_name = |index: usize| {
        trial
            .sources
            .get(index)
            .map_or("?".to_string(), |s| format!("{} {}", s.kind.as_str(), s.uri.as_deref().unwrap_or("?")))
    };
    if !trial.conflicts.is_empty() {
        out.push_str("\nConflicts between sources\n");
        for conflict in &trial.conflicts {
            out.push_str(&format!("  {}\n", conflict.field));
            for value in &conflict.values {
                out.push_str(&format!("    {}  ({})\n", value.value, source_name(value.source)));
            }
        }
    }
    if !trial.plain_language.is_empty() {
        out.push_str("\nPlain-language content (not registry data)\n");
        for item in &trial.plain_language {
            out.push_str(&format!("  [{}] {}\n    ({})\n", item.topic, item.text, source_name(item.source)));
        }
    }
    if !publications.is_empty() {
        out.push_str("\nPublications\n");
        for link in publications {
            out.push_str(&format!("  {} {}: {} (score {:.2})\n", link.key, link.title, describe(link), link.score));
        }
    }
    out
}

fn line(out: &mut String, label: &str, value: impl AsRef<str>) {
    let value = value.as_ref();
    if !value.is_empty() {
        out.push_str(&format!("{label:<18} {value}\n"));
    }
}

fn list<T: AsRef<str>>(items: impl Iterator<Item = T>) -> String {
    items.map(|item| item.as_ref().to_string()).collect::<Vec<_>>().join("; ")
}

/// One line per criterion: section, what it asks (each alternative), and its text.
pub fn render_criteria(criteria: &[eligo_model::Criterion]) -> String {
    let mut out = String::new();
    for c in criteria {
        let section = match c.section {
            eligo_model::Section::Inclusion => "INC",
            eligo_model::Section::Exclusion => "EXC",
            eligo_model::Section::Unspecified => "ANY",
        };
        let negated = if c.negated { "NOT " } else { "" };
        let asks = c.computable.iter().map(ToString::to_string).collect::<Vec<_>>().join(" | ");
        out.push_str(&format!("  {section} {negated}{asks}\n      {}\n", c.text));
    }
    out
}

/// A page a coordinator can read in a terminal.
fn render(trial: &Trial, with_provenance: bool) -> String {
    let mut out = String::new();
    out.push_str(&format!("{}\n{}\n\n", trial.id, trial.title()));
    line(&mut out, "Official title", trial.official_title.as_deref().unwrap_or_default());
    line(
        &mut out,
        "Other IDs",
        list(trial.org_study_id.iter().cloned().chain(trial.secondary_ids.iter().map(|s| s.id.clone()))),
    );
    line(&mut out, "Status", trial.overall_status.as_ref().map(|s| s.label()).unwrap_or_default());
    line(&mut out, "Why stopped", trial.why_stopped.as_deref().unwrap_or_default());
    line(&mut out, "Study type", trial.study_type.as_ref().map(|s| s.label()).unwrap_or_default());
    line(&mut out, "Phases", list(trial.phases.iter().map(|p| p.label())));
    line(&mut out, "Sponsor", trial.lead_sponsor.as_ref().map(|s| s.name.as_str()).unwrap_or_default());
    line(&mut out, "Collaborators", list(trial.collaborators.iter().map(|s| s.name.as_str())));
    for (label, date) in [
        ("Start", &trial.start_date),
        ("Primary completion", &trial.primary_completion_date),
        ("Completion", &trial.completion_date),
        ("Last update", &trial.last_update_posted),
    ] {
        if let Some(date) = date {
            let actuality =
                date.actuality.as_ref().map(|a| format!(" ({})", a.label().to_lowercase())).unwrap_or_default();
            line(&mut out, label, format!("{}{actuality}", date.date));
        }
    }
    if let Some(enrollment) = &trial.enrollment {
        let actuality =
            enrollment.actuality.as_ref().map(|a| format!(" ({})", a.label().to_lowercase())).unwrap_or_default();
        line(&mut out, "Enrollment", format!("{}{actuality}", enrollment.count));
    }
    line(&mut out, "Conditions", list(trial.conditions.iter()));
    line(&mut out, "Interventions", list(trial.interventions.iter().map(|i| i.name.as_str())));
    let eligibility = &trial.eligibility;
    line(&mut out, "Sex", eligibility.sex.as_ref().map(|s| s.label()).unwrap_or_default());
    let age = |d: &Option<eligo_model::Duration>| d.map(|d| d.to_string()).unwrap_or_else(|| "no limit".into());
    line(&mut out, "Ages", format!("{} to {}", age(&eligibility.minimum_age), age(&eligibility.maximum_age)));
    line(&mut out, "Sites", format!("{}", trial.locations.len()));
    for location in trial.locations.iter().take(10) {
        let place = list([&location.facility, &location.city, &location.country].into_iter().flatten());
        out.push_str(&format!("  - {place}\n"));
    }
    if let Some(text) = &eligibility.criteria_text {
        out.push_str(&format!("\nEligibility criteria\n{}\n", text.trim_end()));
    }
    if !trial.criteria.is_empty() {
        out.push_str("\nStructured criteria\n");
        out.push_str(&render_criteria(&trial.criteria));
    }
    if with_provenance {
        out.push_str("\nProvenance\n");
        for (field, source) in &trial.provenance {
            let origin = trial.sources.get(source.source);
            let uri = origin.and_then(|s| s.uri.as_deref()).unwrap_or("?");
            let kind = origin.map(|s| s.kind.as_str()).unwrap_or("?");
            let when = origin.map(|s| s.retrieved_at.to_rfc3339()).unwrap_or_default();
            out.push_str(&format!("  {field:<26} {kind} {uri} {when} (confidence {:.2})\n", source.confidence));
        }
    }
    out
}
