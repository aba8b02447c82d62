//! What messages say: the confirmation and the notifications (one message per subscription per
//! delivery, listing every notification due), as e-mail parts and as webhook JSON.

use serde::Serialize;

use crate::evaluate::Notification;
use crate::subscription::Subscription;
use crate::AlertSettings;

/// Outbox kind of the confirmation message.
pub const CONFIRM: &str = "confirm";

/// An e-mail's content.
pub struct Composed {
    pub subject: String,
    pub text: String,
    pub html: String,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

pub fn trial_url(settings: &AlertSettings, trial_id: &str) -> String {
    format!("{}/trials/{trial_id}", settings.base_url)
}

pub fn confirmation(subscription: &Subscription, settings: &AlertSettings) -> Composed {
    let what = subscription.follows.describe();
    let confirm = subscription.confirm_url(settings);
    Composed {
        subject: "Confirm your Eligo trial alert".into(),
        text: format!(
            "You (or someone using your address) asked to hear about clinical trials: {what}.\n\n\
             Confirm with this link; nothing is sent until you do:\n{confirm}\n\n\
             If this was not you, ignore this message: the request is deleted in a few days.\n"
        ),
        html: format!(
            "<p>You (or someone using your address) asked to hear about clinical trials: {}.</p>\
             <p><a href=\"{}\">Confirm this alert</a>; nothing is sent until you do.</p>\
             <p>If this was not you, ignore this message: the request is deleted in a few days.</p>",
            escape(&what),
            escape(&confirm)
        ),
    }
}

pub fn digest(subscription: &Subscription, settings: &AlertSettings, items: &[Notification]) -> Composed {
    let subject = match items {
        [one] => format!("{}: {}", one.event.headline(), one.title),
        _ => format!("{} trial updates for your alert", items.len()),
    };
    let mut text = format!("Trial news for your alert: {}\n\n", subscription.follows.describe());
    let mut html = format!("<p>Trial news for your alert: {}</p><ul>", escape(&subscription.follows.describe()));
    for item in items {
        let url = trial_url(settings, &item.trial_id);
        let site = item.site.as_deref().map(|s| format!(" — {s}")).unwrap_or_default();
        let verdict = item.verdict.as_deref().map(verdict_words).unwrap_or_default();
        text.push_str(&format!(
            "* {}: {} ({}){site}{verdict}\n  {url}\n",
            item.event.headline(),
            item.title,
            item.trial_id
        ));
        html.push_str(&format!(
            "<li>{}: <a href=\"{}\">{}</a> ({}){}{}",
            item.event.headline(),
            escape(&url),
            escape(&item.title),
            escape(&item.trial_id),
            escape(&site),
            escape(&verdict)
        ));
        if !item.open_questions.is_empty() {
            text.push_str("  Still open — the study team will want to know:\n");
            html.push_str("<br>Still open — the study team will want to know:<ul>");
            for question in &item.open_questions {
                text.push_str(&format!("  - {question}\n"));
                html.push_str(&format!("<li>{}</li>", escape(question)));
            }
            html.push_str("</ul>");
        }
        html.push_str("</li>");
    }
    let manage = subscription.manage_url(settings);
    let unsubscribe = subscription.unsubscribe_url(settings);
    text.push_str(&format!("\nManage this alert: {manage}\nUnsubscribe: {unsubscribe}\n"));
    html.push_str(&format!(
        "</ul><p><a href=\"{}\">Manage this alert</a> · <a href=\"{}\">Unsubscribe</a></p>",
        escape(&manage),
        escape(&unsubscribe)
    ));
    Composed { subject, text, html }
}

/// A pre-screen's verdict as a message says it (after the trial's line).
fn verdict_words(verdict: &str) -> String {
    match verdict {
        "eligible" => " — from your answers, you may qualify".to_string(),
        _ => " — from your answers, you might qualify; some questions are open".to_string(),
    }
}

/// The JSON a webhook receives.
#[derive(Debug, Serialize)]
pub struct WebhookBody<'a> {
    pub subscription: i64,
    /// Stable for the same set of notifications: a receiver can drop a repeated delivery.
    pub delivery: &'a str,
    pub notifications: &'a [Notification],
}
