//! Alerts in PostgreSQL: subscriptions, follows and the outbox (see [`crate::alerts`]).

use chrono::{DateTime, Utc};
use postgres::{Row, Transaction};

use super::{column, PgContext, PostgresStore};
use crate::alerts::{
    AlertStore, DeliveryFailure, NewMessage, NewSubscription, OutboxMessage, SubscriptionRecord, SubscriptionStatus,
    CURSOR_KEY, MAX_PERMANENT_FAILURES,
};
use crate::records::time;
use crate::{Result, StateStore};

const SUBSCRIPTION_COLUMNS: &str = "id, status, address, spec, channel, frequency, salt, manage_hash, feed_token, \
                                    since_seq, failures, stop_reason, created_at, sealed_answers";
const MESSAGE_COLUMNS: &str =
    "id, subscription_id, delivery_key, kind, trial_id, payload, created_at, due_at, attempts, sent_at, last_error";

fn subscription_row(row: &Row) -> Result<SubscriptionRecord> {
    const DOING: &str = "reading a subscription";
    Ok(SubscriptionRecord {
        id: column(row, 0, DOING)?,
        status: SubscriptionStatus::parse(column(row, 1, DOING)?),
        address: column(row, 2, DOING)?,
        spec: column(row, 3, DOING)?,
        channel: column(row, 4, DOING)?,
        frequency: column(row, 5, DOING)?,
        salt: column(row, 6, DOING)?,
        manage_hash: column(row, 7, DOING)?,
        feed_token: column(row, 8, DOING)?,
        since_seq: column::<i64>(row, 9, DOING)? as u64,
        failures: column::<i64>(row, 10, DOING)? as u32,
        stop_reason: column(row, 11, DOING)?,
        created_at: time(column(row, 12, DOING)?),
        sealed_answers: column(row, 13, DOING)?,
    })
}

fn message_row(row: &Row) -> Result<OutboxMessage> {
    const DOING: &str = "reading a message";
    Ok(OutboxMessage {
        id: column(row, 0, DOING)?,
        subscription_id: column(row, 1, DOING)?,
        delivery_key: column(row, 2, DOING)?,
        kind: column(row, 3, DOING)?,
        trial_id: column(row, 4, DOING)?,
        payload: column(row, 5, DOING)?,
        created_at: time(column(row, 6, DOING)?),
        due_at: time(column(row, 7, DOING)?),
        attempts: column::<i64>(row, 8, DOING)? as u32,
        sent_at: column::<Option<&str>>(row, 9, DOING)?.map(time),
        last_error: column(row, 10, DOING)?,
    })
}

/// Queues messages inside an open transaction; a key already queued keeps its first copy. A
/// notification about a trial makes its subscription follow that trial.
fn queue(tx: &mut Transaction, messages: &[NewMessage]) -> Result<()> {
    let now = Utc::now().to_rfc3339();
    for m in messages {
        let sent = m.delivered.then_some(now.as_str());
        tx.execute(
            "INSERT INTO alert_outbox (subscription_id, delivery_key, kind, trial_id, payload, created_at, due_at, sent_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (delivery_key) DO NOTHING",
            &[&m.subscription_id, &m.delivery_key, &m.kind, &m.trial_id, &m.payload, &now, &m.due_at.to_rfc3339(), &sent],
        )
        .doing("queueing alert messages")?;
        if let Some(trial) = &m.trial_id {
            tx.execute(
                "INSERT INTO alert_follows (subscription_id, trial_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                &[&m.subscription_id, trial],
            )
            .doing("recording followed trials")?;
        }
    }
    Ok(())
}

impl PostgresStore {
    /// The subscriptions meeting `condition`, by id.
    fn subscriptions_where(
        &self,
        condition: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<SubscriptionRecord>> {
        let sql = format!("SELECT {SUBSCRIPTION_COLUMNS} FROM alert_subscriptions WHERE {condition} ORDER BY id");
        let rows = self.client()?.query(&sql, params).doing("reading subscriptions")?;
        rows.iter().map(subscription_row).collect()
    }
}

impl AlertStore for PostgresStore {
    fn add_subscription(
        &self,
        s: &NewSubscription,
        messages: &[NewMessage],
        max_per_address: u64,
    ) -> Result<Option<i64>> {
        let mut client = self.client()?;
        let mut tx = client.transaction().doing("adding a subscription")?;
        if let Some(address) = &s.address {
            // Sign-ups to one address take turns, so that their counts cannot both pass the limit.
            tx.execute("SELECT pg_advisory_xact_lock(hashtext($1))", &[address])
                .doing("counting an address's subscriptions")?;
            let held = tx
                .query_one("SELECT count(*) FROM alert_subscriptions WHERE address = $1", &[address])
                .doing("counting an address's subscriptions")?;
            if column::<i64>(&held, 0, "counting an address's subscriptions")? as u64 >= max_per_address {
                return Ok(None);
            }
        }
        let row = tx
            .query_one(
                "INSERT INTO alert_subscriptions (status, address, spec, channel, frequency, salt, manage_hash,
                     feed_token, since_seq, created_at, sealed_answers)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
                &[
                    &s.status.as_str(),
                    &s.address,
                    &s.spec,
                    &s.channel,
                    &s.frequency,
                    &s.salt,
                    &s.manage_hash,
                    &s.feed_token,
                    &(s.since_seq as i64),
                    &Utc::now().to_rfc3339(),
                    &s.sealed_answers,
                ],
            )
            .doing("adding a subscription")?;
        let id: i64 = column(&row, 0, "adding a subscription")?;
        let messages: Vec<NewMessage> =
            messages.iter().map(|m| NewMessage { subscription_id: id, ..m.clone() }).collect();
        queue(&mut tx, &messages)?;
        tx.commit().doing("adding a subscription")?;
        Ok(Some(id))
    }

    fn subscriptions(&self) -> Result<Vec<SubscriptionRecord>> {
        self.subscriptions_where("TRUE", &[])
    }

    fn subscription(&self, id: i64) -> Result<Option<SubscriptionRecord>> {
        Ok(self.subscriptions_where("id = $1", &[&id])?.pop())
    }

    fn subscription_by_manage_hash(&self, manage_hash: &str) -> Result<Option<SubscriptionRecord>> {
        Ok(self.subscriptions_where("manage_hash = $1", &[&manage_hash])?.pop())
    }

    fn subscription_by_feed_token(&self, feed_token: &str) -> Result<Option<SubscriptionRecord>> {
        Ok(self.subscriptions_where("feed_token = $1", &[&feed_token])?.pop())
    }

    fn subscriptions_to(&self, address: &str) -> Result<Vec<SubscriptionRecord>> {
        self.subscriptions_where("address = $1", &[&address])
    }

    fn set_subscription_status(&self, id: i64, status: SubscriptionStatus) -> Result<()> {
        self.client()?
            .execute("UPDATE alert_subscriptions SET status = $2 WHERE id = $1", &[&id, &status.as_str()])
            .doing("updating a subscription")?;
        Ok(())
    }

    fn update_subscription(&self, id: i64, spec: &str, sealed_answers: Option<&[u8]>, frequency: &str) -> Result<()> {
        self.client()?
            .execute(
                "UPDATE alert_subscriptions SET spec = $2, sealed_answers = $3, frequency = $4 WHERE id = $1",
                &[&id, &spec, &sealed_answers, &frequency],
            )
            .doing("updating a subscription")?;
        Ok(())
    }

    fn delete_subscription(&self, id: i64) -> Result<bool> {
        let deleted = self
            .client()?
            .execute("DELETE FROM alert_subscriptions WHERE id = $1", &[&id])
            .doing("deleting a subscription")?;
        Ok(deleted > 0)
    }

    fn alerts_cursor(&self) -> Result<u64> {
        Ok(self.get_state(CURSOR_KEY)?.and_then(|v| v.parse().ok()).unwrap_or(0))
    }

    fn record_evaluation(&self, to_seq: u64, messages: &[NewMessage]) -> Result<()> {
        let mut client = self.client()?;
        let mut tx = client.transaction().doing("recording an alert evaluation")?;
        queue(&mut tx, messages)?;
        tx.execute(
            "INSERT INTO state (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[&CURSOR_KEY, &to_seq.to_string()],
        )
        .doing("advancing the alerts cursor")?;
        tx.commit().doing("recording an alert evaluation")
    }

    fn followers(&self, trial_ids: &[&str]) -> Result<Vec<(String, i64)>> {
        const DOING: &str = "reading followers";
        let rows = self
            .client()?
            .query("SELECT trial_id, subscription_id FROM alert_follows WHERE trial_id = ANY($1)", &[&trial_ids])
            .doing(DOING)?;
        rows.iter().map(|row| Ok((column(row, 0, DOING)?, column(row, 1, DOING)?))).collect()
    }

    fn due_messages(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<OutboxMessage>> {
        let sql = format!(
            "SELECT {MESSAGE_COLUMNS} FROM alert_outbox WHERE sent_at IS NULL AND due_at <= $1 ORDER BY id LIMIT $2"
        );
        let rows = self.client()?.query(&sql, &[&now.to_rfc3339(), &(limit as i64)]).doing("reading due messages")?;
        rows.iter().map(message_row).collect()
    }

    fn claim_messages(
        &self,
        message_ids: &[i64],
        now: DateTime<Utc>,
        claimed_until: DateTime<Utc>,
    ) -> Result<Vec<OutboxMessage>> {
        // Rows another claimer holds are skipped, not waited for; a row it has claimed is no
        // longer due. Either way two replicas delivering at once never both get a message.
        let sql = format!(
            "UPDATE alert_outbox SET due_at = $3 WHERE id IN (
                 SELECT id FROM alert_outbox WHERE id = ANY($1) AND sent_at IS NULL AND due_at <= $2
                 FOR UPDATE SKIP LOCKED)
             RETURNING {MESSAGE_COLUMNS}"
        );
        let rows = self
            .client()?
            .query(&sql, &[&message_ids, &now.to_rfc3339(), &claimed_until.to_rfc3339()])
            .doing("claiming messages")?;
        let mut claimed = rows.iter().map(message_row).collect::<Result<Vec<_>>>()?;
        claimed.sort_by_key(|message| message.id);
        Ok(claimed)
    }

    fn mark_sent(&self, message_ids: &[i64], at: DateTime<Utc>) -> Result<()> {
        self.client()?
            .execute(
                "UPDATE alert_outbox SET sent_at = $2, attempts = attempts + 1, last_error = NULL WHERE id = ANY($1)",
                &[&message_ids, &at.to_rfc3339()],
            )
            .doing("marking messages sent")?;
        Ok(())
    }

    fn mark_failed(&self, message_ids: &[i64], failure: &DeliveryFailure) -> Result<()> {
        let mut client = self.client()?;
        let mut tx = client.transaction().doing("recording a delivery failure")?;
        match failure {
            DeliveryFailure::Retry { error, next_attempt } => tx.execute(
                "UPDATE alert_outbox SET attempts = attempts + 1, last_error = $2, due_at = $3 WHERE id = ANY($1)",
                &[&message_ids, error, &next_attempt.to_rfc3339()],
            ),
            // Given up (closed with its error kept): a permanent refusal will not change by asking again.
            DeliveryFailure::Permanent { error } => tx.execute(
                "UPDATE alert_outbox SET attempts = attempts + 1, last_error = $2, sent_at = $3 WHERE id = ANY($1)",
                &[&message_ids, error, &Utc::now().to_rfc3339()],
            ),
        }
        .doing("recording a delivery failure")?;
        if let (DeliveryFailure::Permanent { error }, Some(first)) = (failure, message_ids.first()) {
            tx.execute(
                "UPDATE alert_subscriptions SET failures = failures + 1,
                     status = CASE WHEN failures + 1 >= $2 THEN 'stopped' ELSE status END,
                     stop_reason = CASE WHEN failures + 1 >= $2 THEN $3 ELSE stop_reason END
                 WHERE id = (SELECT subscription_id FROM alert_outbox WHERE id = $1)",
                &[first, &i64::from(MAX_PERMANENT_FAILURES), error],
            )
            .doing("recording a delivery failure")?;
        }
        tx.commit().doing("recording a delivery failure")
    }

    fn recent_messages(&self, subscription_id: i64, limit: usize) -> Result<Vec<OutboxMessage>> {
        let sql =
            format!("SELECT {MESSAGE_COLUMNS} FROM alert_outbox WHERE subscription_id = $1 ORDER BY id DESC LIMIT $2");
        let rows = self.client()?.query(&sql, &[&subscription_id, &(limit as i64)]).doing("reading messages")?;
        rows.iter().map(message_row).collect()
    }
}
