//! Evaluation: the store's changes since the last run against every active subscription.
//!
//! For each changed trial, what changed is read from its previous version (the store's history):
//! new, starts recruiting, a new or reopened site, changed eligibility, closing. The first three
//! concern every subscription the trial fits: the percolator selects candidates, the real query
//! (run once per distinct request on an in-memory index of the batch) confirms them, and a
//! pre-screen's confirmed candidates are screened by the matcher (each trial prepared once per
//! batch), only `eligible` and `possible` verdicts going on. The last two
//! concern the subscriptions that follow the trial (were notified about it before). The
//! notifications of each batch are written with the cursor in one transaction.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use eligo_match::{CachedTrial, Verdict};
use eligo_model::{GeoPoint, Trial};
use eligo_search::{SearchIndex, DEFAULT_RADIUS_KM};
use eligo_store::alerts::{NewMessage, SubscriptionStatus};
use eligo_store::{Store, StoreError, StoredTrial};
use serde::{Deserialize, Serialize};

use crate::keys::SigningKey;
use crate::percolator::{site_point, Percolator, TrialKeys};
use crate::prescreen::{self, Screened};
use crate::subscription::{Channel, Follows, Subscription};
use crate::Result;

/// Changed trials evaluated (and committed with the cursor) together.
pub const BATCH: usize = 1_000;

/// What happened to a trial, as a notification says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    NewTrial,
    NowRecruiting,
    SiteOpened,
    EligibilityChanged,
    Closed,
}

impl Event {
    pub fn as_str(self) -> &'static str {
        match self {
            Event::NewTrial => "new_trial",
            Event::NowRecruiting => "now_recruiting",
            Event::SiteOpened => "site_opened",
            Event::EligibilityChanged => "eligibility_changed",
            Event::Closed => "closed",
        }
    }

    /// The phrase a message leads with.
    pub fn headline(self) -> &'static str {
        match self {
            Event::NewTrial => "New trial",
            Event::NowRecruiting => "Now recruiting",
            Event::SiteOpened => "New site near you",
            Event::EligibilityChanged => "Eligibility changed",
            Event::Closed => "No longer recruiting",
        }
    }
}

/// One notification's content, as queued (JSON in the outbox).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    pub event: Event,
    pub trial_id: String,
    pub title: String,
    pub status: Option<String>,
    pub conditions: Vec<String>,
    /// The new site, for `site_opened`.
    pub site: Option<String>,
    /// For a pre-screen: `eligible` or `possible`, as the matcher found from the kept answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<String>,
    /// For a pre-screen: what the trial still asks, in the words the check pages use.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub open_questions: Vec<String>,
}

/// What an evaluation did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Evaluation {
    pub from_seq: u64,
    pub to_seq: u64,
    pub subscriptions: usize,
    pub trials: usize,
    /// (subscription, trial) pairs the percolator selected.
    pub candidates: usize,
    /// Distinct queries run to confirm them.
    pub queries: usize,
    /// (pre-screen, trial) pairs the matcher screened.
    pub screened: usize,
    pub notifications: usize,
}

/// A changed trial and its version as of the start of the range (`None`: new in the range).
struct Change {
    seq: u64,
    trial: Trial,
    before: Option<Trial>,
}

impl Change {
    fn started_recruiting(&self) -> bool {
        self.trial.is_recruiting() && self.before.as_ref().is_some_and(|b| !b.is_recruiting())
    }

    fn closed(&self) -> bool {
        !self.trial.is_recruiting() && self.before.as_ref().is_some_and(Trial::is_recruiting)
    }

    fn eligibility_changed(&self) -> bool {
        self.before.as_ref().is_some_and(|b| b.eligibility != self.trial.eligibility)
    }

    /// Sites open now that were not open (or not there) before.
    fn opened_sites(&self) -> Vec<(GeoPoint, String)> {
        let Some(before) = &self.before else { return Vec::new() };
        let open = |l: &eligo_model::Location| l.status.as_ref().is_none_or(|s| s.is_open());
        let was_open: HashSet<(Option<&str>, Option<&str>)> =
            before.locations.iter().filter(|l| open(l)).map(|l| (l.facility.as_deref(), l.city.as_deref())).collect();
        self.trial
            .locations
            .iter()
            .filter(|l| open(l) && !was_open.contains(&(l.facility.as_deref(), l.city.as_deref())))
            .filter_map(|l| Some((site_point(l)?, site_label(l))))
            .collect()
    }

    /// Whether it may interest subscriptions that do not follow it yet.
    fn may_fit(&self) -> bool {
        self.before.is_none() || self.started_recruiting() || !self.opened_sites().is_empty()
    }
}

fn site_label(location: &eligo_model::Location) -> String {
    [location.facility.as_deref(), location.city.as_deref(), location.country.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ")
}

/// Evaluates everything written since the last evaluation. Cheap when nothing changed or no
/// subscription is active (the cursor just moves on). `key` opens pre-screen answers; one that
/// does not is an error, and the cursor stays where it was.
pub fn evaluate(store: &dyn Store, key: &SigningKey, now: DateTime<Utc>) -> Result<Evaluation> {
    let cursor = store.alerts_cursor()?;
    let to_seq = store.max_seq()?;
    let mut subscriptions: Vec<Subscription> =
        crate::subscription::all(store)?.into_iter().filter(|s| s.status == SubscriptionStatus::Active).collect();
    for subscription in &mut subscriptions {
        subscription.open_answers(key, now.date_naive())?;
    }
    let mut report =
        Evaluation { from_seq: cursor, to_seq, subscriptions: subscriptions.len(), ..Evaluation::default() };
    let from = subscriptions.iter().map(|s| s.since_seq).min().map_or(to_seq, |oldest| oldest.max(cursor));
    if from >= to_seq {
        if to_seq != cursor {
            store.record_evaluation(to_seq, &[])?;
        }
        return Ok(report);
    }
    let percolator = Percolator::new(subscriptions.iter().map(|s| &s.follows))?;
    let range = Range { from, subscriptions: &subscriptions, percolator: &percolator, now };
    // The changes are evaluated as they are read, a batch at a time, so that memory does not grow
    // with the number of changes (a fresh ingest of a whole registry is all new trials).
    let mut batch: Vec<StoredTrial> = Vec::with_capacity(BATCH);
    let mut failure = None;
    let walked = store.changed_since(from, &mut |stored| {
        // Written after this evaluation began: the next one's.
        if stored.seq > to_seq {
            return Ok(());
        }
        batch.push(stored);
        if batch.len() < BATCH {
            return Ok(());
        }
        let batch_end = batch.last().map_or(to_seq, |s| s.seq);
        match range.evaluate(store, std::mem::take(&mut batch), batch_end, &mut report) {
            Ok(()) => Ok(()),
            Err(error) => {
                failure = Some(error);
                Err(StoreError::Stopped("alert evaluation failed".into()))
            }
        }
    });
    if let Some(error) = failure {
        return Err(error);
    }
    walked?;
    range.evaluate(store, batch, to_seq, &mut report)?;
    Ok(report)
}

/// What every batch of one evaluation shares.
struct Range<'a> {
    /// The cursor the evaluation started from: a change's previous version is its version then.
    from: u64,
    subscriptions: &'a [Subscription],
    percolator: &'a Percolator,
    now: DateTime<Utc>,
}

impl Range<'_> {
    /// Evaluates one batch of changes and commits its notifications with the cursor at `up_to`.
    fn evaluate(&self, store: &dyn Store, batch: Vec<StoredTrial>, up_to: u64, report: &mut Evaluation) -> Result<()> {
        let changes = with_previous(store, batch, self.from)?;
        let messages = if changes.is_empty() {
            Vec::new()
        } else {
            evaluate_batch(store, self.subscriptions, self.percolator, &changes, self.now, report)?
        };
        report.trials += changes.len();
        report.notifications += messages.len();
        store.record_evaluation(up_to, &messages)?;
        Ok(())
    }
}

/// Each trial with its version as of `from` (the oldest replaced after it).
fn with_previous(store: &dyn Store, batch: Vec<StoredTrial>, from: u64) -> Result<Vec<Change>> {
    batch
        .into_iter()
        .map(|stored| {
            let before =
                store.history(&stored.trial.id)?.into_iter().rfind(|h| h.replaced_at_seq > from).map(|h| h.trial);
            Ok(Change { seq: stored.seq, trial: stored.trial, before })
        })
        .collect()
}

/// Evaluates `trials` as if they were new against `subscriptions` (pre-screens opened), without
/// writing anything (the percolator benchmark; a preview of what an ingest would send).
pub fn evaluate_new_trials(
    store: &dyn Store,
    subscriptions: &[Subscription],
    trials: Vec<Trial>,
) -> Result<Evaluation> {
    let percolator = Percolator::new(subscriptions.iter().map(|s| &s.follows))?;
    let changes: Vec<Change> = trials.into_iter().map(|trial| Change { seq: u64::MAX, trial, before: None }).collect();
    let mut report = Evaluation { subscriptions: subscriptions.len(), trials: changes.len(), ..Evaluation::default() };
    let messages = evaluate_batch(store, subscriptions, &percolator, &changes, Utc::now(), &mut report)?;
    report.notifications = messages.len();
    Ok(report)
}

fn evaluate_batch(
    store: &dyn Store,
    subscriptions: &[Subscription],
    percolator: &Percolator,
    changes: &[Change],
    now: DateTime<Utc>,
    report: &mut Evaluation,
) -> Result<Vec<NewMessage>> {
    let mut messages = Vec::new();
    let fitting = fitting(subscriptions, percolator, changes, report)?;
    for fit in screen_pre_screens(store, subscriptions, changes, fitting, now, report) {
        let (subscription, change) = (&subscriptions[fit.slot], &changes[fit.change]);
        for (event, site) in fitting_events(subscription, change) {
            messages.push(message(subscription, change, event, site, fit.screened.as_ref(), now));
        }
    }
    let by_id: HashMap<i64, &Subscription> = subscriptions.iter().map(|s| (s.id, s)).collect();
    let ids: Vec<&str> = changes.iter().map(|c| c.trial.id.as_str()).collect();
    let index_of: HashMap<&str, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    for (trial_id, subscription_id) in store.followers(&ids)? {
        let (Some(subscription), Some(&i)) = (by_id.get(&subscription_id), index_of.get(trial_id.as_str())) else {
            continue;
        };
        let change = &changes[i];
        let events = [(change.eligibility_changed(), Event::EligibilityChanged), (change.closed(), Event::Closed)];
        for (_, event) in events.into_iter().filter(|(happened, _)| *happened) {
            messages.push(message(subscription, change, event, None, None, now));
        }
    }
    Ok(messages)
}

/// A subscription a changed trial fits, by their positions.
struct Fit {
    slot: usize,
    change: usize,
    /// A pre-screen's verdict for the trial.
    screened: Option<Screened>,
}

/// (subscription slot, change index) for every subscription a changed trial fits: percolator
/// candidates confirmed by the subscription's query, run once per distinct request.
fn fitting(
    subscriptions: &[Subscription],
    percolator: &Percolator,
    changes: &[Change],
    report: &mut Evaluation,
) -> Result<Vec<Fit>> {
    let interesting: Vec<usize> = (0..changes.len()).filter(|&i| changes[i].may_fit()).collect();
    if interesting.is_empty() {
        return Ok(Vec::new());
    }
    let trials: Vec<Trial> = interesting.iter().map(|&i| changes[i].trial.clone()).collect();
    let keys: Vec<TrialKeys> = trials.iter().map(TrialKeys::of).collect();
    let mut candidates: HashMap<u32, Vec<usize>> = HashMap::new();
    for (k, &i) in interesting.iter().enumerate() {
        for slot in percolator.candidates(&keys[k]) {
            if changes[i].seq > subscriptions[slot as usize].since_seq {
                candidates.entry(slot).or_default().push(k);
            }
        }
    }
    report.candidates += candidates.values().map(Vec::len).sum::<usize>();
    let index = SearchIndex::in_ram(&trials)?;
    let mut matched: HashMap<String, HashSet<String>> = HashMap::new();
    let mut fitting = Vec::new();
    for (slot, ks) in candidates {
        let follows = &subscriptions[slot as usize].follows;
        let request_key = serde_json::to_string(follows.request()).unwrap_or_default();
        if !matched.contains_key(&request_key) {
            let ids = index.matching_ids(follows.request())?;
            matched.insert(request_key.clone(), ids.into_iter().collect());
        }
        let ids = &matched[&request_key];
        for k in ks {
            let in_category = match follows {
                Follows::Category { concept, .. } => keys[k].has_concept(concept),
                Follows::Search { .. } | Follows::PreScreen { .. } => true,
            };
            if in_category && ids.contains(&trials[k].id) {
                fitting.push(Fit { slot: slot as usize, change: interesting[k], screened: None });
            }
        }
    }
    report.queries += matched.len();
    Ok(fitting)
}

/// The fits of pre-screens screened by the matcher: those found `eligible` or `possible` stay,
/// with their verdict; other subscriptions' fits pass unchanged. Each trial a pre-screen meets is
/// prepared once for the whole batch.
fn screen_pre_screens(
    store: &dyn Store,
    subscriptions: &[Subscription],
    changes: &[Change],
    fits: Vec<Fit>,
    now: DateTime<Utc>,
    report: &mut Evaluation,
) -> Vec<Fit> {
    let (pre_screens, mut kept): (Vec<Fit>, Vec<Fit>) =
        fits.into_iter().partition(|fit| subscriptions[fit.slot].follows.answers().is_some());
    report.screened += pre_screens.len();
    let mut by_slot: HashMap<usize, Vec<usize>> = HashMap::new();
    for fit in &pre_screens {
        by_slot.entry(fit.slot).or_default().push(fit.change);
    }
    let mut needed: Vec<usize> = pre_screens.iter().map(|fit| fit.change).collect();
    needed.sort_unstable();
    needed.dedup();
    let prepared = prepare(changes, &needed);
    for (slot, change_indexes) in by_slot {
        let Some(answers) = subscriptions[slot].follows.answers() else { continue };
        let pool: Vec<Arc<CachedTrial>> = change_indexes.iter().map(|i| Arc::clone(&prepared[i])).collect();
        let index_of: HashMap<&str, usize> =
            change_indexes.iter().map(|&i| (changes[i].trial.id.as_str(), i)).collect();
        for screened in prescreen::screen(store, answers, pool, now.date_naive()) {
            if let Some(&change) = index_of.get(screened.trial_id.as_str()) {
                kept.push(Fit { slot, change, screened: Some(screened) });
            }
        }
    }
    kept
}

/// The changed trials at `indexes` prepared for the matcher, on every core (preparing, which
/// reads criteria a trial has none of yet, costs far more than screening one person).
fn prepare(changes: &[Change], indexes: &[usize]) -> HashMap<usize, Arc<CachedTrial>> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let chunk = indexes.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = indexes
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|&i| (i, Arc::new(CachedTrial::prepare(changes[i].trial.clone(), String::new()))))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    })
}

/// Why a fitting trial is news to this subscription.
fn fitting_events(subscription: &Subscription, change: &Change) -> Vec<(Event, Option<String>)> {
    if change.before.is_none() {
        return vec![(Event::NewTrial, None)];
    }
    let mut events = Vec::new();
    if change.started_recruiting() {
        events.push((Event::NowRecruiting, None));
    }
    let request = subscription.follows.request();
    if let Some(centre) = request.near {
        let radius = request.radius_km.unwrap_or(DEFAULT_RADIUS_KM);
        let near = change.opened_sites().into_iter().find(|(point, _)| point.distance_km(&centre) <= radius);
        events.extend(near.map(|(_, label)| (Event::SiteOpened, Some(label))));
    }
    events
}

fn message(
    subscription: &Subscription,
    change: &Change,
    event: Event,
    site: Option<String>,
    screened: Option<&Screened>,
    now: DateTime<Utc>,
) -> NewMessage {
    let trial = &change.trial;
    let notification = Notification {
        event,
        trial_id: trial.id.clone(),
        title: trial.title().to_string(),
        status: trial.overall_status.as_ref().map(|s| s.as_api_str().to_string()),
        conditions: trial.conditions.clone(),
        site,
        verdict: screened.map(|s| verdict_name(s.verdict).to_string()),
        open_questions: screened.map(|s| s.open_questions.clone()).unwrap_or_default(),
    };
    NewMessage {
        subscription_id: subscription.id,
        delivery_key: format!("{}-{}-{}-{}", subscription.id, trial.id, event.as_str(), change.seq),
        kind: event.as_str().to_string(),
        trial_id: Some(trial.id.clone()),
        payload: serde_json::to_string(&notification).unwrap_or_default(),
        due_at: subscription.frequency.due_at(now),
        delivered: subscription.channel == Channel::Feed,
    }
}

fn verdict_name(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Eligible => "eligible",
        Verdict::Possible => "possible",
        Verdict::Ineligible => "ineligible",
    }
}
