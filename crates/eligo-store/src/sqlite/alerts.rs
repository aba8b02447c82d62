//! Alerts in SQLite: subscriptions, follows and the outbox (see [`crate::alerts`]).

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row};

use super::error::DbContext;
use super::SqliteStore;
use crate::alerts::*;
use crate::Result;
use crate::StateStore;

const SUBSCRIPTION_COLUMNS: &str = "id, status, address, spec, channel, frequency, salt, manage_hash, feed_token, \
                                    since_seq, failures, stop_reason, created_at, sealed_answers";
const MESSAGE_COLUMNS: &str =
    "id, subscription_id, delivery_key, kind, trial_id, payload, created_at, due_at, attempts, sent_at, last_error";

fn time(text: String) -> DateTime<Utc> {
    crate::records::time(&text)
}

fn subscription_row(row: &Row) -> rusqlite::Result<SubscriptionRecord> {
    Ok(SubscriptionRecord {
        id: row.get(0)?,
        status: SubscriptionStatus::parse(&row.get::<_, String>(1)?),
        address: row.get(2)?,
        spec: row.get(3)?,
        channel: row.get(4)?,
        frequency: row.get(5)?,
        salt: row.get(6)?,
        manage_hash: row.get(7)?,
        feed_token: row.get(8)?,
        since_seq: row.get::<_, i64>(9)? as u64,
        failures: row.get(10)?,
        stop_reason: row.get(11)?,
        created_at: time(row.get(12)?),
        sealed_answers: row.get(13)?,
    })
}

fn message_row(row: &Row) -> rusqlite::Result<OutboxMessage> {
    Ok(OutboxMessage {
        id: row.get(0)?,
        subscription_id: row.get(1)?,
        delivery_key: row.get(2)?,
        kind: row.get(3)?,
        trial_id: row.get(4)?,
        payload: row.get(5)?,
        created_at: time(row.get(6)?),
        due_at: time(row.get(7)?),
        attempts: row.get(8)?,
        sent_at: row.get::<_, Option<String>>(9)?.map(time),
        last_error: row.get(10)?,
    })
}

/// Queues messages inside an open transaction; a key already queued keeps its first copy. A
/// notification about a trial makes its subscription follow that trial.
fn queue(tx: &rusqlite::Transaction, messages: &[NewMessage]) -> Result<()> {
    let now = Utc::now().to_rfc3339();
    let mut insert = tx
        .prepare_cached(
            "INSERT INTO alert_outbox (subscription_id, delivery_key, kind, trial_id, payload, created_at, due_at, sent_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(delivery_key) DO NOTHING",
        )
        .doing("queueing alert messages")?;
    let mut follow = tx
        .prepare_cached("INSERT OR IGNORE INTO alert_follows (subscription_id, trial_id) VALUES (?1, ?2)")
        .doing("recording followed trials")?;
    for m in messages {
        let sent = m.delivered.then_some(now.as_str());
        insert
            .execute(params![
                m.subscription_id,
                m.delivery_key,
                m.kind,
                m.trial_id,
                m.payload,
                now,
                m.due_at.to_rfc3339(),
                sent
            ])
            .doing("queueing alert messages")?;
        if let Some(trial) = &m.trial_id {
            follow.execute(params![m.subscription_id, trial]).doing("recording followed trials")?;
        }
    }
    Ok(())
}

impl SqliteStore {
    fn one_subscription(&self, condition: &str, value: &dyn rusqlite::ToSql) -> Result<Option<SubscriptionRecord>> {
        let sql = format!("SELECT {SUBSCRIPTION_COLUMNS} FROM alert_subscriptions WHERE {condition} = ?1");
        self.reader()?.query_row(&sql, [value], subscription_row).optional().doing("reading a subscription")
    }

    fn placeholders(count: usize) -> String {
        vec!["?"; count].join(",")
    }
}

impl AlertStore for SqliteStore {
    fn add_subscription(
        &self,
        s: &NewSubscription,
        messages: &[NewMessage],
        max_per_address: u64,
    ) -> Result<Option<i64>> {
        let mut conn = self.writer()?;
        let tx = conn.transaction().doing("adding a subscription")?;
        if let Some(address) = &s.address {
            let held: i64 = tx
                .query_row("SELECT count(*) FROM alert_subscriptions WHERE address = ?1", [address], |row| row.get(0))
                .doing("counting an address's subscriptions")?;
            if held as u64 >= max_per_address {
                return Ok(None);
            }
        }
        tx.execute(
            "INSERT INTO alert_subscriptions (status, address, spec, channel, frequency, salt, manage_hash,
                 feed_token, since_seq, created_at, sealed_answers)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                s.status.as_str(),
                s.address,
                s.spec,
                s.channel,
                s.frequency,
                s.salt,
                s.manage_hash,
                s.feed_token,
                s.since_seq as i64,
                Utc::now().to_rfc3339(),
                s.sealed_answers
            ],
        )
        .doing("adding a subscription")?;
        let id = tx.last_insert_rowid();
        let messages: Vec<NewMessage> =
            messages.iter().map(|m| NewMessage { subscription_id: id, ..m.clone() }).collect();
        queue(&tx, &messages)?;
        tx.commit().doing("adding a subscription")?;
        Ok(Some(id))
    }

    fn subscriptions(&self) -> Result<Vec<SubscriptionRecord>> {
        let conn = self.reader()?;
        let sql = format!("SELECT {SUBSCRIPTION_COLUMNS} FROM alert_subscriptions ORDER BY id");
        let mut stmt = conn.prepare(&sql).doing("listing subscriptions")?;
        let rows = stmt.query_map([], subscription_row).doing("listing subscriptions")?;
        rows.collect::<rusqlite::Result<_>>().doing("listing subscriptions")
    }

    fn subscription(&self, id: i64) -> Result<Option<SubscriptionRecord>> {
        self.one_subscription("id", &id)
    }

    fn subscription_by_manage_hash(&self, manage_hash: &str) -> Result<Option<SubscriptionRecord>> {
        self.one_subscription("manage_hash", &manage_hash)
    }

    fn subscription_by_feed_token(&self, feed_token: &str) -> Result<Option<SubscriptionRecord>> {
        self.one_subscription("feed_token", &feed_token)
    }

    fn subscriptions_to(&self, address: &str) -> Result<Vec<SubscriptionRecord>> {
        let conn = self.reader()?;
        let sql = format!("SELECT {SUBSCRIPTION_COLUMNS} FROM alert_subscriptions WHERE address = ?1 ORDER BY id");
        let mut stmt = conn.prepare(&sql).doing("listing an address's subscriptions")?;
        let rows = stmt.query_map([address], subscription_row).doing("listing an address's subscriptions")?;
        rows.collect::<rusqlite::Result<_>>().doing("listing an address's subscriptions")
    }

    fn set_subscription_status(&self, id: i64, status: SubscriptionStatus) -> Result<()> {
        let conn = self.writer()?;
        conn.execute("UPDATE alert_subscriptions SET status = ?2 WHERE id = ?1", params![id, status.as_str()])
            .doing("updating a subscription")?;
        Ok(())
    }

    fn update_subscription(&self, id: i64, spec: &str, sealed_answers: Option<&[u8]>, frequency: &str) -> Result<()> {
        let conn = self.writer()?;
        conn.execute(
            "UPDATE alert_subscriptions SET spec = ?2, sealed_answers = ?3, frequency = ?4 WHERE id = ?1",
            params![id, spec, sealed_answers, frequency],
        )
        .doing("updating a subscription")?;
        Ok(())
    }

    fn delete_subscription(&self, id: i64) -> Result<bool> {
        let conn = self.writer()?;
        let deleted =
            conn.execute("DELETE FROM alert_subscriptions WHERE id = ?1", [id]).doing("deleting a subscription")?;
        if deleted > 0 {
            // The write-ahead log still holds the pages as they were before the delete; copying the
            // zeroed pages into the database and emptying the log removes those copies too. The
            // deletion has committed by now, so neither a reader holding the log back (the
            // checkpoint does what it can) nor a failed checkpoint makes it a failure: SQLite's own
            // checkpoints copy the zeroed pages later, and the log is overwritten as it is reused.
            let _done = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        }
        Ok(deleted > 0)
    }

    fn alerts_cursor(&self) -> Result<u64> {
        Ok(self.get_state(CURSOR_KEY)?.and_then(|v| v.parse().ok()).unwrap_or(0))
    }

    fn record_evaluation(&self, to_seq: u64, messages: &[NewMessage]) -> Result<()> {
        let mut conn = self.writer()?;
        let tx = conn.transaction().doing("recording an alert evaluation")?;
        queue(&tx, messages)?;
        tx.execute(
            "INSERT INTO state (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![CURSOR_KEY, to_seq.to_string()],
        )
        .doing("advancing the alerts cursor")?;
        tx.commit().doing("recording an alert evaluation")
    }

    fn followers(&self, trial_ids: &[&str]) -> Result<Vec<(String, i64)>> {
        let conn = self.reader()?;
        let mut found = Vec::new();
        for chunk in trial_ids.chunks(500) {
            let sql = format!(
                "SELECT trial_id, subscription_id FROM alert_follows WHERE trial_id IN ({})",
                Self::placeholders(chunk.len())
            );
            let mut stmt = conn.prepare(&sql).doing("reading followers")?;
            let rows = stmt
                .query_map(rusqlite::params_from_iter(chunk), |row| Ok((row.get(0)?, row.get(1)?)))
                .doing("reading followers")?;
            found.extend(rows.collect::<rusqlite::Result<Vec<_>>>().doing("reading followers")?);
        }
        Ok(found)
    }

    fn due_messages(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<OutboxMessage>> {
        let conn = self.reader()?;
        let sql = format!(
            "SELECT {MESSAGE_COLUMNS} FROM alert_outbox WHERE sent_at IS NULL AND due_at <= ?1 ORDER BY id LIMIT ?2"
        );
        let mut stmt = conn.prepare(&sql).doing("reading due messages")?;
        let rows =
            stmt.query_map(params![now.to_rfc3339(), limit as i64], message_row).doing("reading due messages")?;
        rows.collect::<rusqlite::Result<_>>().doing("reading due messages")
    }

    fn claim_messages(
        &self,
        message_ids: &[i64],
        now: DateTime<Utc>,
        claimed_until: DateTime<Utc>,
    ) -> Result<Vec<OutboxMessage>> {
        // Under the write lock: claimers in this process and in others take turns.
        let mut conn = self.writer()?;
        let tx = conn.transaction().doing("claiming messages")?;
        let mut claimed = Vec::with_capacity(message_ids.len());
        {
            let sql = format!(
                "UPDATE alert_outbox SET due_at = ?3 WHERE id = ?1 AND sent_at IS NULL AND due_at <= ?2
                 RETURNING {MESSAGE_COLUMNS}"
            );
            let mut claim = tx.prepare(&sql).doing("claiming messages")?;
            for id in message_ids {
                let row = claim
                    .query_row(params![id, now.to_rfc3339(), claimed_until.to_rfc3339()], message_row)
                    .optional()
                    .doing("claiming messages")?;
                claimed.extend(row);
            }
        }
        tx.commit().doing("claiming messages")?;
        Ok(claimed)
    }

    fn mark_sent(&self, message_ids: &[i64], at: DateTime<Utc>) -> Result<()> {
        let mut conn = self.writer()?;
        let tx = conn.transaction().doing("marking messages sent")?;
        for id in message_ids {
            tx.execute(
                "UPDATE alert_outbox SET sent_at = ?2, attempts = attempts + 1, last_error = NULL WHERE id = ?1",
                params![id, at.to_rfc3339()],
            )
            .doing("marking messages sent")?;
        }
        tx.commit().doing("marking messages sent")
    }

    fn mark_failed(&self, message_ids: &[i64], failure: &DeliveryFailure) -> Result<()> {
        let mut conn = self.writer()?;
        let tx = conn.transaction().doing("recording a delivery failure")?;
        for id in message_ids {
            match failure {
                DeliveryFailure::Retry { error, next_attempt } => tx.execute(
                    "UPDATE alert_outbox SET attempts = attempts + 1, last_error = ?2, due_at = ?3 WHERE id = ?1",
                    params![id, error, next_attempt.to_rfc3339()],
                ),
                // Given up (closed with its error kept): a permanent refusal will not change by
                // asking again.
                DeliveryFailure::Permanent { error } => tx.execute(
                    "UPDATE alert_outbox SET attempts = attempts + 1, last_error = ?2, sent_at = ?3 WHERE id = ?1",
                    params![id, error, Utc::now().to_rfc3339()],
                ),
            }
            .doing("recording a delivery failure")?;
        }
        if let (DeliveryFailure::Permanent { error }, Some(first)) = (failure, message_ids.first()) {
            tx.execute(
                "UPDATE alert_subscriptions SET failures = failures + 1,
                     status = CASE WHEN failures + 1 >= ?2 THEN 'stopped' ELSE status END,
                     stop_reason = CASE WHEN failures + 1 >= ?2 THEN ?3 ELSE stop_reason END
                 WHERE id = (SELECT subscription_id FROM alert_outbox WHERE id = ?1)",
                params![first, MAX_PERMANENT_FAILURES, error],
            )
            .doing("recording a delivery failure")?;
        }
        tx.commit().doing("recording a delivery failure")
    }

    fn recent_messages(&self, subscription_id: i64, limit: usize) -> Result<Vec<OutboxMessage>> {
        let conn = self.reader()?;
        let sql =
            format!("SELECT {MESSAGE_COLUMNS} FROM alert_outbox WHERE subscription_id = ?1 ORDER BY id DESC LIMIT ?2");
        let mut stmt = conn.prepare(&sql).doing("reading messages")?;
        let rows = stmt.query_map(params![subscription_id, limit as i64], message_row).doing("reading messages")?;
        rows.collect::<rusqlite::Result<_>>().doing("reading messages")
    }
}
