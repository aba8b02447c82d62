//! `eligo patient parse FILE`: the facts Eligo reads from a patient document, with evidence.
//! Also the patient loading shared by `match`, `questions` and `rank`.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use chrono::NaiveDate;
use eligo_match::PatientCase;
use eligo_patient::{read_any, ParsedPatient};
use serde::Deserialize;

use crate::context::print_json;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: PatientCommand,
}

#[derive(Debug, clap::Subcommand)]
enum PatientCommand {
    /// Read a profile (JSON), a FHIR R4 Bundle or a clinical note and show the facts with their evidence.
    Parse(ParseArgs),
}

#[derive(Debug, clap::Args)]
struct ParseArgs {
    /// The patient document (`-` for stdin); its kind is detected from its content.
    file: PathBuf,
    /// Print the facts as JSON.
    #[arg(long)]
    json: bool,
    /// The date the document describes, for "4 months ago" in notes (default: today).
    #[arg(long)]
    as_of: Option<NaiveDate>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let PatientCommand::Parse(args) = args.command;
    let parsed = load_patient(&args.file, as_of_or_today(args.as_of))?;
    if args.json {
        print_json(&parsed)?;
    } else {
        print!("{}", render(&parsed));
    }
    Ok(ExitCode::SUCCESS)
}

/// The evaluation date: as given, else today.
pub fn as_of_or_today(as_of: Option<NaiveDate>) -> NaiveDate {
    as_of.unwrap_or_else(|| chrono::Local::now().date_naive())
}

/// Reads a file (`-` = stdin) whole.
pub fn read_input(path: &Path) -> anyhow::Result<String> {
    if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).context("reading stdin")?;
        return Ok(text);
    }
    std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

/// Reads a patient document of any kind, and reports rejected items on stderr (never their values).
pub fn load_patient(path: &Path, as_of: NaiveDate) -> anyhow::Result<ParsedPatient> {
    let text = read_input(path)?;
    let parsed = read_any(&text, as_of).with_context(|| format!("reading the patient in {}", path.display()))?;
    for rejected in &parsed.rejected {
        eprintln!("{}: {}: {}", path.display(), rejected.location, rejected.reason);
    }
    Ok(parsed)
}

fn render(parsed: &ParsedPatient) -> String {
    let p = &parsed.patient;
    let mut out = String::new();
    if let Some(age) = &p.age {
        out.push_str(&format!("age         {} years  [{}]\n", age.years, age.evidence.text));
    }
    if let Some(birth) = &p.birth_date {
        out.push_str(&format!("birth date  {}\n", birth.value));
    }
    if let Some(sex) = &p.sex {
        out.push_str(&format!("sex         {:?}  [{}]\n", sex.value, sex.evidence.text).to_lowercase());
    }
    let flags = [("pregnant", &p.pregnant), ("lactating", &p.lactating), ("can conceive", &p.childbearing_potential)];
    for (label, flag) in flags {
        if let Some(flag) = flag {
            out.push_str(&format!("{label:<11} {}\n", flag.value));
        }
    }
    for fact in &p.facts {
        let concepts: Vec<&str> = fact.concepts.iter().map(|c| c.id.as_str()).collect();
        let when = fact.start.map(|d| format!(" since {d}")).unwrap_or_default();
        out.push_str(&format!(
            "{:<11} {:<12} {}{when}  {}\n",
            format!("{:?}", fact.kind).to_lowercase(),
            format!("{:?}", fact.assertion).to_lowercase(),
            fact.text,
            concepts.join(", ")
        ));
    }
    for obs in &p.observations {
        let test = obs.test.as_ref().map_or("?", |t| t.id.as_str());
        out.push_str(&format!(
            "observation {} = {} {}  {test}\n",
            obs.text,
            obs.value,
            obs.unit.as_deref().unwrap_or("")
        ));
    }
    for rejected in &parsed.rejected {
        out.push_str(&format!("rejected    {}: {}\n", rejected.location, rejected.reason));
    }
    out
}

/// A line of a patients file as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PatientLine {
    id: serde_json::Value,
    note: Option<String>,
    profile: Option<serde_json::Value>,
    fhir: Option<serde_json::Value>,
}

/// One line of a patients file (`eligo rank`, `eligo screen`): `{"id":..,"note":".."}`,
/// `{"id":..,"profile":{..}}` or `{"id":..,"fhir":{..}}`; a number id is kept as its JSON text.
/// Returns the id, the case and the items the reader rejected (each to be reported).
pub fn read_patient_line(
    line: &str,
    as_of: NaiveDate,
) -> anyhow::Result<(String, PatientCase, Vec<eligo_patient::Rejected>)> {
    let input: PatientLine = serde_json::from_str(line).context("not a patient line")?;
    let id = match input.id {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    };
    let (parsed, note) = match (input.note, input.profile, input.fhir) {
        (Some(note), None, None) => (eligo_patient::note::read_note(&note, as_of), Some(note)),
        (None, Some(profile), None) => (eligo_patient::profile::read_profile(&profile.to_string())?, None),
        (None, None, Some(fhir)) => (eligo_patient::fhir::read_bundle(&fhir.to_string())?, None),
        _ => anyhow::bail!("patient {id}: expected exactly one of note, profile, fhir"),
    };
    let mut patient = parsed.patient;
    patient.id = Some(id.clone());
    Ok((id, PatientCase { patient, note, answers: Default::default() }, parsed.rejected))
}
