use std::process::ExitCode;

use anyhow::Context as _;
use eligo_search::{Gazetteer, Hit, SearchIndex, SearchRequest, SearchResults, SexFilter, SortOrder};
use eligo_store::TrialStore;

use crate::context::{print_json, Context};

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum SexArg {
    Female,
    Male,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum SortArg {
    Relevance,
    Updated,
    Distance,
}

/// The Find page's filters, shared by `search` and `alerts add`.
#[derive(Debug, Clone, clap::Args)]
pub struct Filters {
    /// Overall status (recruiting, completed, ... or `open` for every status still enrolling).
    #[arg(long, value_delimiter = ',')]
    status: Vec<String>,
    /// Phase (1, 2, 3, 4, early_phase1, na).
    #[arg(long, value_delimiter = ',')]
    phase: Vec<String>,
    /// Study type (interventional, observational, expanded_access).
    #[arg(long, value_delimiter = ',')]
    study_type: Vec<String>,
    /// Intervention type (drug, biological, device, procedure, behavioral, ...).
    #[arg(long, value_delimiter = ',')]
    intervention_type: Vec<String>,
    /// Standard age group (child, adult, older_adult).
    #[arg(long, value_delimiter = ',')]
    age_group: Vec<String>,
    /// Country with a site (name or ISO code).
    #[arg(long, value_delimiter = ',')]
    country: Vec<String>,
    /// Lead sponsor class (industry, nih, other, ...).
    #[arg(long, value_delimiter = ',')]
    sponsor_class: Vec<String>,
    /// Only trials that accept a person of this age (years).
    #[arg(long)]
    age: Option<f64>,
    /// Only trials open to this sex (or to all).
    #[arg(long, value_enum)]
    sex: Option<SexArg>,
    /// A city ("Beijing", "Paris, France") or LAT,LON; keeps trials with a site within --radius.
    #[arg(long, value_name = "PLACE|LAT,LON")]
    near: Option<String>,
    /// Radius around --near in km (default 100).
    #[arg(long, value_name = "KM")]
    radius: Option<f64>,
}

impl Filters {
    /// A request for `query` with these filters (paging and sort at their defaults).
    pub fn request(self, query: String) -> anyhow::Result<SearchRequest> {
        let near = match &self.near {
            Some(place) => Some(Gazetteer::embedded().resolve(place).context("--near")?),
            None => None,
        };
        Ok(SearchRequest {
            query,
            statuses: self.status,
            phases: self.phase,
            study_types: self.study_type,
            intervention_types: self.intervention_type,
            std_ages: self.age_group,
            countries: self.country,
            sponsor_classes: self.sponsor_class,
            age: self.age,
            sex: self.sex.map(|s| match s {
                SexArg::Female => SexFilter::Female,
                SexArg::Male => SexFilter::Male,
            }),
            near,
            radius_km: self.radius,
            ..SearchRequest::default()
        })
    }
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Words, "phrases", field prefixes (condition:, intervention:, sponsor:, title:, id:),
    /// AND / OR / NOT and parentheses. Empty lists every trial that passes the filters.
    #[arg(default_value = "")]
    query: String,
    #[command(flatten)]
    filters: Filters,
    #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
    sort: SortArg,
    #[arg(long, default_value_t = 10)]
    limit: usize,
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// Relative boost of trials still enrolling when scores are close (0 turns it off).
    #[arg(long)]
    recruiting_boost: Option<f32>,
    /// Print the results as JSON on stdout.
    #[arg(long)]
    json: bool,
}

/// Opens the data directory's search index and brings it up to date with the store: after an
/// ingest, or after a crash between a store write and the index write.
pub fn open_index(ctx: &Context, store: &dyn TrialStore) -> anyhow::Result<SearchIndex> {
    let index = open_index_dir(ctx)?;
    update_index(ctx, &index, store)?;
    Ok(index)
}

/// The data directory's search index as it is on disk (not caught up).
pub fn open_index_dir(ctx: &Context) -> anyhow::Result<SearchIndex> {
    let dir = ctx.search_index_path();
    SearchIndex::open(&dir).with_context(|| format!("opening the search index in {}", dir.display()))
}

/// Indexes what the store wrote since the index's last commit; says so when it did anything.
pub fn update_index(ctx: &Context, index: &SearchIndex, store: &dyn TrialStore) -> anyhow::Result<()> {
    let update = index.catch_up(store).context("bringing the search index up to date")?;
    if update.indexed > 0 {
        ctx.inform(&format!("indexed {} trials for search", update.indexed));
    }
    Ok(())
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let store = ctx.open_store()?;
    let index = open_index(ctx, &*store)?;
    let request = SearchRequest {
        sort: match args.sort {
            SortArg::Relevance => SortOrder::Relevance,
            SortArg::Updated => SortOrder::Updated,
            SortArg::Distance => SortOrder::Distance,
        },
        limit: Some(args.limit),
        offset: args.offset,
        recruiting_boost: args.recruiting_boost,
        ..args.filters.request(args.query)?
    };
    let results = index.search(&request)?;
    if args.json {
        print_json(&results)?;
    } else {
        print_results(&request, &results);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_results(request: &SearchRequest, results: &SearchResults) {
    for expansion in &results.expansions {
        eprintln!("{:?} also searched as: {}", expansion.text, expansion.synonyms.join(", "));
    }
    let shown = results.hits.len();
    println!(
        "{} trials match; showing {}–{}",
        results.total,
        if shown == 0 { 0 } else { request.offset + 1 },
        request.offset + shown
    );
    for hit in &results.hits {
        print_hit(hit);
    }
    for (dimension, counts) in &results.facets {
        if counts.is_empty() {
            continue;
        }
        let mut counts: Vec<_> = counts.iter().collect();
        counts.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let listed: Vec<String> = counts.iter().take(8).map(|(value, n)| format!("{value} {n}")).collect();
        println!("{dimension}: {}", listed.join(", "));
    }
}

fn print_hit(hit: &Hit) {
    let status = hit.status.as_deref().unwrap_or("-");
    let phases = if hit.phases.is_empty() { "-".to_string() } else { hit.phases.join("/") };
    println!("\n{}  {status}  {phases}  {}", hit.id, hit.title);
    if !hit.conditions.is_empty() {
        println!("    conditions: {}", hit.conditions.join("; "));
    }
    if let Some(site) = &hit.nearest_site {
        println!("    nearest site: {} ({:.0} km)", site.label, site.distance_km);
    }
    for snippet in hit.snippets.iter().filter(|s| s.field == "summary") {
        println!("    {}", highlighted(&snippet.text, &snippet.highlights).replace('\n', " "));
    }
}

/// The text with each highlighted range in [brackets].
fn highlighted(text: &str, ranges: &[(usize, usize)]) -> String {
    let mut out = String::with_capacity(text.len() + ranges.len() * 2);
    let mut last = 0;
    for &(start, end) in ranges {
        let (Some(before), Some(word)) = (text.get(last..start), text.get(start..end)) else { continue };
        out.push_str(before);
        out.push('[');
        out.push_str(word);
        out.push(']');
        last = end;
    }
    out.push_str(text.get(last..).unwrap_or_default());
    out
}
