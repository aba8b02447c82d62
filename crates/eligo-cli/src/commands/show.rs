use std::process::ExitCode;

use eligo_model::Trial;
use eligo_store::TrialStore;

use crate::context::{print_json, Context};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// NCT ID, org study ID or any secondary ID (case-insensitive).
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
        eprintln!("no trial with identifier {:?}", args.id);
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
    if args.json {
        print_json(&trial)?;
    } else {
        print!("{}", render(&trial, args.provenance));
    }
    Ok(ExitCode::SUCCESS)
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
