//! The alert pages: sign-up (a volunteer's category, place, radius, age and sex, the search a
//! Find page was showing, or the answers of a check the person chose to keep), confirm, manage (everything the address follows: change how often,
//! delete), unsubscribe (the link, and the one-click POST of RFC 8058 that mail clients send),
//! and the Atom feed of a feed subscription. Every step that changes something is a POST; what
//! a person types never goes in a URL. The work is [`crate::alerts`]'s.

use eligo_store::Store;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use eligo_alerts::subscription::{self, Subscription};
use eligo_alerts::{Answers, Follows, Frequency};
use eligo_model::{Patient, PatientSex, Trial};
use eligo_search::SearchRequest;
use eligo_store::alerts::SubscriptionStatus;
use maud::{html, Markup};

use super::find::{person_filters, place_filters};
use super::{page, PageError};
use crate::alerts::{alerts_error, channel_name, service, AlertsService, PreScreenInput, SignUpInput, SignedUp};
use crate::error::ApiError;
use crate::rate_limit::ClientIp;
use crate::state::AppState;

/// Fields of the sign-up form that are not search parameters.
const OWN_FIELDS: &[&str] = &["email", "category", "every", "step", PRE_SCREEN];
/// Marks a sign-up for a pre-screen alert.
const PRE_SCREEN: &str = "pre_screen";
/// Prefix of the answers a person keeps for a pre-screen alert (`keep.age`, `keep.sex`,
/// `keep.condition`): ticked boxes, so an answer not ticked is never sent.
const KEEP_PREFIX: &str = "keep.";
/// Search parameters the form shows as inputs (the others ride along hidden).
const SHOWN_SEARCH_FIELDS: &[&str] = &["near", "radius_km", "age", "sex"];
const FREQUENCIES: &[(&str, &str)] =
    &[("immediately", "As soon as there is news"), ("daily", "Once a day"), ("weekly", "Once a week")];

/// The empty sign-up form (a volunteer choosing a category).
pub async fn new_form() -> Markup {
    sign_up_page(&[], None)
}

/// The sign-up form posted: with `step=sign-up` it signs up; otherwise it is a search or a trial
/// handing its fields over, and the form is shown filled with them.
pub async fn sign_up(
    State(state): State<Arc<AppState>>,
    ClientIp(client): ClientIp,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let pairs: Vec<(String, String)> = pairs.into_iter().filter(|(_, v)| !v.trim().is_empty()).collect();
    if !pairs.iter().any(|(k, v)| k == "step" && v == "sign-up") {
        return sign_up_page(&pairs, None).into_response();
    }
    let field = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let input = SignUpInput {
        email: Some(field("email").unwrap_or_default()),
        category: field("category"),
        pre_screen: pre_screen_input(&pairs),
        search: pairs
            .iter()
            .filter(|(k, _)| !OWN_FIELDS.contains(&k.as_str()) && !k.starts_with(KEEP_PREFIX))
            .cloned()
            .collect(),
        every: field("every"),
        ..SignUpInput::default()
    };
    let signed_up = match service(&state) {
        Ok(alerts) => alerts.sign_up(client, input).await,
        Err(error) => Err(error),
    };
    match signed_up {
        Ok(SignedUp::ConfirmationSent | SignedUp::Feed { .. } | SignedUp::Webhook { .. }) => check_your_inbox(),
        Err(error) => {
            let status = error.status;
            let response = (status, sign_up_page(&pairs, Some(&error))).into_response();
            crate::error::with_retry_after(response, error.retry_after)
        }
    }
}

/// The kept answers of a pre-screen sign-up, when it is one.
fn pre_screen_input(pairs: &[(String, String)]) -> Option<PreScreenInput> {
    if !pairs.iter().any(|(k, _)| k == PRE_SCREEN) {
        return None;
    }
    let kept = |name: &str| -> Vec<String> {
        pairs.iter().filter(|(k, _)| k.strip_prefix(KEEP_PREFIX) == Some(name)).map(|(_, v)| v.clone()).collect()
    };
    Some(PreScreenInput {
        age: kept("age").into_iter().next(),
        sex: kept("sex").into_iter().next(),
        conditions: kept("condition"),
    })
}

fn check_your_inbox() -> Response {
    page(
        "Check your inbox",
        html! {
            h1 { "Check your inbox" }
            p { "If the address can receive mail, a message with a confirmation link is on its way. "
                "Nothing else is sent until you follow that link." }
            p.muted { "The link works for 7 days. If no message comes, check the spam folder." }
            p { a href="/" { "Back to the search" } }
        },
    )
    .into_response()
}

fn sign_up_page(pairs: &[(String, String)], error: Option<&ApiError>) -> Markup {
    let value = |key: &str| pairs.iter().find(|(k, _)| k == key).map_or(String::new(), |(_, v)| v.clone());
    let query = value("q");
    let pre_screen = pre_screen_input(pairs);
    let hidden: Vec<&(String, String)> = pairs
        .iter()
        .filter(|(k, _)| !OWN_FIELDS.contains(&k.as_str()) && !SHOWN_SEARCH_FIELDS.contains(&k.as_str()))
        .filter(|(k, _)| !k.starts_with(KEEP_PREFIX))
        .collect();
    let body = html! {
        h1 { "Get e-mail alerts about new trials" }
        p { "Tell us once what you are looking for; we write when a fitting trial opens, a site opens near you, "
            "or a trial we told you about changes. You can change or stop this at any time." }
        @if let Some(error) = error { p.error role="alert" { (error.message) } }
        form method="post" action="/alerts/new" {
            input type="hidden" name="step" value="sign-up";
            @for (k, v) in &hidden { input type="hidden" name=(k) value=(v); }
            @if let Some(kept) = &pre_screen {
                input type="hidden" name=(PRE_SCREEN) value="1";
                (kept_answers(kept, "From your answers"))
            } @else if query.is_empty() {
                div.field {
                    label for="category" { "Medical category" }
                    input #category type="text" name="category" required maxlength="200" value=(value("category"))
                        placeholder="breast cancer, asthma, type 2 diabetes…" aria-describedby="category-help";
                    p.muted id="category-help" { "A condition by its name; narrower conditions are included." }
                }
            } @else {
                p { "Alerts for the search " strong { "“" (query) "”" } "." }
            }
            div.facets {
                (place_filters(&value))
                // A pre-screen's age and sex are among the answers kept above.
                @if pre_screen.is_none() { (person_filters(&value)) }
                div {
                    label for="every" { "How often" }
                    (frequency_select("every", &value("every")))
                }
            }
            div.field {
                label for="email" { "Your e-mail address" }
                input #email type="email" name="email" required maxlength="254" autocomplete="email" value=(value("email"));
            }
            button type="submit" { "Send me a confirmation link" }
        }
        p.muted { "We keep your address only for these alerts; unsubscribing deletes it." }
    };
    page("Get alerts", body)
}

fn frequency_select(id: &str, current: &str) -> Markup {
    html! {
        select id=(id) name="every" {
            @for (code, label) in FREQUENCIES { option value=(code) selected[current == *code] { (label) } }
        }
    }
}

/// "Tell me about trials like this": a form that opens the sign-up page on this trial's first
/// condition (as a category when the vocabulary knows it, as search words otherwise), open
/// trials only.
pub fn like_this(trial: &Trial) -> Markup {
    let Some(condition) = trial.conditions.first() else { return html! {} };
    let known = Follows::category(condition, SearchRequest::default()).is_ok();
    html! {
        form.inline method="post" action="/alerts/new" {
            input type="hidden" name=(if known { "category" } else { "q" }) value=(condition);
            input type="hidden" name="status" value="open";
            button.link type="submit" { "Tell me about trials like this →" }
        }
    }
}

/// The answers a pre-screen would keep, each a ticked box the person may untick (an unticked box
/// is not sent). Conditions are vocabulary concepts, shown by name.
fn kept_answers(kept: &PreScreenInput, legend: &str) -> Markup {
    let mut boxes: Vec<(&str, String, String)> = Vec::new();
    boxes.extend(kept.age.iter().map(|age| ("age", age.clone(), format!("My age: {age}"))));
    boxes.extend(kept.sex.iter().map(|sex| ("sex", sex.clone(), format!("Sex: {sex}"))));
    for condition in &kept.conditions {
        let name = Answers::condition(condition).map_or_else(|_| condition.clone(), |c| c.name);
        boxes.push(("condition", condition.clone(), format!("I have: {name}")));
    }
    html! {
        fieldset {
            legend { (legend) }
            p.muted { "Keep the answers you want new trials checked against. They are stored encrypted, "
                "used only to check new trials for you, and deleted when you unsubscribe." }
            // One answer a line: a condition's name can be long, and must wrap on a phone.
            @for (i, (name, value, label)) in boxes.iter().enumerate() {
                p {
                    input id={ "keep-" (i) } type="checkbox" name={ (KEEP_PREFIX) (name) } value=(value) checked;
                    label for={ "keep-" (i) } { (label) }
                }
            }
        }
    }
}

/// "Tell me about trials like this" after a check: the answers the person gave (age, sex, the
/// conditions they said they have) offered for a pre-screen alert, each to keep or not; without
/// any condition among them, the trial's own condition is offered unticked. Falls back to the
/// trial's category when there is nothing to keep.
pub fn after_check(trial: &Trial, patient: &Patient) -> Markup {
    let today = chrono::Utc::now().date_naive();
    let answers = Answers::from_patient(patient, today);
    let trial_condition = trial.conditions.iter().find_map(|c| Answers::condition(c).ok());
    let offered = trial_condition.filter(|c| !answers.conditions.iter().any(|a| a.id == c.id));
    if answers.conditions.is_empty() && offered.is_none() {
        return like_this(trial);
    }
    let kept = PreScreenInput {
        age: answers.age.map(|age| format!("{}", age.floor())),
        sex: answers.sex.map(|sex| sex_word(sex).to_string()),
        conditions: answers.conditions.iter().map(|c| c.id.clone()).collect(),
    };
    html! {
        form method="post" action="/alerts/new" {
            input type="hidden" name=(PRE_SCREEN) value="1";
            (kept_answers(&kept, "Tell me about trials like this"))
            @if let Some(condition) = &offered {
                // A block, not a `.choice` (kept on one line): a condition's name can be long, and the
                // line must wrap on a phone.
                p {
                    input #keep-trial type="checkbox" name={ (KEEP_PREFIX) "condition" } value=(condition.id);
                    label for="keep-trial" { "I have: " (condition.name) " (what this trial is about)" }
                }
            }
            button.secondary type="submit" { "Tell me about trials like this →" }
        }
    }
}

fn sex_word(sex: PatientSex) -> &'static str {
    match sex {
        PatientSex::Female => "female",
        PatientSex::Male => "male",
        PatientSex::Other => "other",
    }
}

/// "Alert me to new trials like these": the Find page's current search handed to the sign-up page.
pub fn for_search(pairs: &[(String, String)]) -> Markup {
    let kept = pairs.iter().filter(|(k, _)| !matches!(k.as_str(), "limit" | "offset" | "sort" | "facets"));
    html! {
        form.inline method="post" action="/alerts/new" {
            @for (k, v) in kept { input type="hidden" name=(k) value=(v); }
            button.link type="submit" { "Alert me to new trials like these →" }
        }
    }
}

/// The subscription a token names, with the service (404/410/503 as pages).
async fn with_subscription<R, F>(state: &AppState, token: String, work: F) -> Result<R, PageError>
where
    R: Send + 'static,
    F: FnOnce(&dyn Store, &eligo_alerts::AlertSettings, Subscription) -> Result<R, ApiError> + Send + 'static,
{
    let alerts = service(state)?;
    Ok(alerts
        .run(move |store, settings| {
            let subscription = AlertsService::by_token(store, settings, &token)?;
            work(store, settings, subscription)
        })
        .await?)
}

/// The confirmation link: what the alert follows and a button (a POST, so that a mail
/// scanner following links does not confirm for the person).
pub async fn confirm_form(State(state): State<Arc<AppState>>, Path(token): Path<String>) -> Result<Markup, PageError> {
    let shown = token.clone();
    let subscription = with_subscription(&state, token, |_, _, s| Ok(s)).await?;
    let body = html! {
        h1 { "Confirm your alert" }
        p { "You asked to hear about: " strong { (subscription.follows.describe()) } "." }
        form method="post" action={ "/alerts/confirm/" (shown) } {
            button type="submit" { "Yes, send me these alerts" }
        }
        p.muted { "If you did not ask for this, close this page: the request is deleted within 7 days." }
    };
    Ok(page("Confirm your alert", body))
}

pub async fn confirm(State(state): State<Arc<AppState>>, Path(token): Path<String>) -> Result<Response, PageError> {
    let target = format!("/alerts/manage/{token}");
    with_subscription(&state, token, |store, _, subscription| {
        subscription::confirm(store, &subscription).map_err(alerts_error)
    })
    .await?;
    Ok(Redirect::to(&target).into_response())
}

/// Everything the address of this subscription follows, each with its own change and delete.
pub async fn manage(State(state): State<Arc<AppState>>, Path(token): Path<String>) -> Result<Markup, PageError> {
    let rows = with_subscription(&state, token, |store, settings, subscription| {
        let siblings = subscription::siblings(store, &subscription).map_err(alerts_error)?;
        Ok(siblings.into_iter().map(|s| (s.manage_token(settings), s)).collect::<Vec<_>>())
    })
    .await?;
    let body = html! {
        h1 { "Your alerts" }
        @if rows.iter().any(|(_, s)| s.status == SubscriptionStatus::Active) {
            p role="status" { "Alerts marked active are on." }
        }
        ul.results {
            @for (token, s) in &rows { li { (alert_item(token, s)) } }
        }
        p { a href="/alerts/new" { "Add another alert" } }
    };
    Ok(page("Your alerts", body))
}

fn alert_item(token: &str, subscription: &Subscription) -> Markup {
    let status = match subscription.status {
        SubscriptionStatus::Pending => "waiting for confirmation",
        SubscriptionStatus::Active => "active",
        SubscriptionStatus::Stopped => "stopped",
    };
    let select_id = format!("every-{}", subscription.id);
    html! {
        p { strong { (subscription.follows.describe()) } " " span.badge { (status) } " " span.muted { "by " (channel_name(&subscription.channel)) } }
        @if let Some(reason) = &subscription.stop_reason { p.error { "Stopped because deliveries failed: " (reason) } }
        @if let Some(feed) = &subscription.feed_token { p { a href={ "/feeds/" (feed) ".atom" } { "Atom feed" } } }
        form.inline method="post" action={ "/alerts/manage/" (token) } {
            label for=(select_id) { "How often " }
            (frequency_select(&select_id, subscription.frequency.as_str()))
            " "
            button.secondary type="submit" { "Save" }
        }
        " "
        form.inline method="post" action={ "/alerts/unsubscribe/" (token) } {
            button.secondary type="submit" { "Delete this alert" }
        }
    }
}

/// A change from the manage page: how often.
pub async fn change(
    State(state): State<Arc<AppState>>,
    Path(token): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let every = pairs.iter().find(|(k, _)| k == "every").map(|(_, v)| v.as_str());
    let frequency: Frequency = crate::alerts::frequency(every)?;
    let target = format!("/alerts/manage/{token}");
    with_subscription(&state, token, move |store, settings, subscription| {
        subscription::update(store, &settings.key, &subscription, &subscription.follows, frequency)
            .map_err(alerts_error)
    })
    .await?;
    Ok(Redirect::to(&target).into_response())
}

/// The unsubscribe link: a button (a POST, so that a link scanner does not unsubscribe).
pub async fn unsubscribe_form(
    State(state): State<Arc<AppState>>,
    Path(token): Path<String>,
) -> Result<Markup, PageError> {
    let shown = token.clone();
    let subscription = with_subscription(&state, token, |_, _, s| Ok(s)).await?;
    let body = html! {
        h1 { "Unsubscribe" }
        p { "Stop the alert about " strong { (subscription.follows.describe()) } " and delete your address with it?" }
        form method="post" action={ "/alerts/unsubscribe/" (shown) } {
            button type="submit" { "Unsubscribe and delete" }
        }
    };
    Ok(page("Unsubscribe", body))
}

/// Deletes the subscription with everything about the person. Mail clients send the same POST
/// with `List-Unsubscribe=One-Click` (RFC 8058); the body is not needed.
pub async fn unsubscribe(State(state): State<Arc<AppState>>, Path(token): Path<String>) -> Result<Markup, PageError> {
    with_subscription(&state, token, |store, _, subscription| {
        subscription::remove(store, subscription.id).map_err(alerts_error)
    })
    .await?;
    let body = html! {
        h1 { "You are unsubscribed" }
        p role="status" { "The alert is stopped and your address and what you followed are deleted." }
        p { a href="/" { "Back to the search" } }
    };
    Ok(page("Unsubscribed", body))
}

/// `/feeds/{token}.atom`: the feed of a feed subscription.
pub async fn feed(State(state): State<Arc<AppState>>, Path(file): Path<String>) -> Result<Response, PageError> {
    let unknown =
        || PageError(ApiError::new(StatusCode::NOT_FOUND, "unknown_feed", "there is no feed at this address"));
    let token = file.strip_suffix(".atom").filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()));
    let Some(token) = token.map(str::to_string) else { return Err(unknown()) };
    let xml = service(&state)?
        .run(move |store, settings| {
            let Some(record) = store.subscription_by_feed_token(&token).map_err(ApiError::internal)? else {
                return Ok(None);
            };
            let subscription = Subscription::from_record(record).map_err(alerts_error)?;
            eligo_alerts::feed::render(store, settings, &subscription).map(Some).map_err(alerts_error)
        })
        .await?;
    let xml = xml.ok_or_else(unknown)?;
    Ok(([(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")], xml).into_response())
}
