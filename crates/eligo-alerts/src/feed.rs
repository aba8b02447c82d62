//! The Atom feed of a subscription (`/feeds/{token}.atom`), readable by any feed reader.

use atom_syndication::{Entry, Feed, Link, Text};
use chrono::{DateTime, FixedOffset};
use eligo_store::Store;

use crate::evaluate::Notification;
use crate::keys::token_hash;
use crate::message::{trial_url, CONFIRM};
use crate::subscription::Subscription;
use crate::{AlertSettings, Result};

/// Entries a feed shows.
pub const FEED_ENTRIES: usize = 100;

/// The feed document for a subscription: its newest notifications, newest first.
pub fn render(store: &dyn Store, settings: &AlertSettings, subscription: &Subscription) -> Result<String> {
    let token = subscription.feed_token.as_deref().unwrap_or_default();
    let self_url = format!("{}/feeds/{token}.atom", settings.base_url);
    let mut entries = Vec::new();
    let mut updated: DateTime<FixedOffset> = subscription.created_at.fixed_offset();
    for message in store.recent_messages(subscription.id, FEED_ENTRIES)? {
        let Ok(item) = serde_json::from_str::<Notification>(&message.payload) else { continue };
        if message.kind == CONFIRM {
            continue;
        }
        let at = message.created_at.fixed_offset();
        updated = updated.max(at);
        let url = trial_url(settings, &item.trial_id);
        let summary = match &item.site {
            Some(site) => format!("{} ({}): {site}", item.event.headline(), item.trial_id),
            None => format!("{} ({})", item.event.headline(), item.trial_id),
        };
        entries.push(Entry {
            id: format!("urn:eligo:alert:{}", message.delivery_key),
            title: Text::plain(format!("{}: {}", item.event.headline(), item.title)),
            updated: at,
            links: vec![Link { href: url, ..Link::default() }],
            summary: Some(Text::plain(summary)),
            ..Entry::default()
        });
    }
    let feed = Feed {
        // An id that does not reveal the token (feed ids end up in readers' databases).
        id: format!("urn:eligo:feed:{}", &token_hash(&format!("feed-id:{token}"))[..32]),
        title: Text::plain(format!("Eligo alert: {}", subscription.follows.describe())),
        updated,
        links: vec![Link { href: self_url, rel: "self".into(), ..Link::default() }],
        entries,
        ..Feed::default()
    };
    Ok(feed.to_string())
}
