import type pg from 'pg';
import type { MailQueueStore, QueuedMail, SentMail } from '../../services/mailQueue.js';
import { keyFromText, keyText } from './keyText.js';

interface MailRow {
  tenant_id: string;
  mail_id: string;
  recipients: string[];
  subject: string;
  text_body: string;
  html_body: string | null;
  queued_at: string;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  sent_at: string | null;
}

/**
 * The notice-mail queue in PostgreSQL (`notice_mail`), shared by every instance. A mail stays its
 * row once sent (with `sent_at`) until the tenant's next send forgets the old ones, so queuing it
 * again is one insert that does nothing. Claims are in the row: `FOR UPDATE SKIP LOCKED` lets
 * instances claim different mails at once, and `claimed_until` keeps a mail from a second sender
 * while the first works on it.
 */
export class PostgresMailQueueStore implements MailQueueStore {
  constructor(private readonly pool: pg.Pool) {}

  async add(mail: QueuedMail): Promise<void> {
    await this.pool.query(
      `INSERT INTO notice_mail (tenant_id, mail_id, recipients, subject, text_body, html_body, queued_at, attempts, next_attempt_at, last_error)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (tenant_id, mail_id) DO NOTHING`,
      [
        keyText(mail.tenantId),
        keyText(mail.id),
        JSON.stringify(mail.to),
        mail.subject,
        mail.text,
        mail.html,
        mail.queuedAt,
        mail.attempts,
        mail.nextAttemptAt,
        mail.lastError,
      ],
    );
  }

  async claimDue(now: number, leaseMs: number, skip: ReadonlySet<string>): Promise<QueuedMail | null> {
    const { rows } = await this.pool.query<MailRow>(
      `UPDATE notice_mail SET claimed_until = $2
       WHERE (tenant_id, mail_id) = (
         SELECT tenant_id, mail_id FROM notice_mail
         WHERE sent_at IS NULL AND next_attempt_at <= $1 AND claimed_until <= $1 AND mail_id <> ALL($3)
         ORDER BY queued_at, tenant_id, mail_id
         LIMIT 1
         FOR UPDATE SKIP LOCKED
       )
       RETURNING *`,
      [now, now + leaseMs, [...skip].map(keyText)],
    );
    return rows[0] ? mailOf(rows[0]) : null;
  }

  async markSent(tenantId: string, id: string, at: number, forgetBefore: number): Promise<void> {
    await this.pool.query(
      `WITH sent AS (
         UPDATE notice_mail SET sent_at = $3, claimed_until = 0 WHERE tenant_id = $1 AND mail_id = $2
       )
       DELETE FROM notice_mail WHERE tenant_id = $1 AND sent_at < $4`,
      [keyText(tenantId), keyText(id), at, forgetBefore],
    );
  }

  async retryLater(tenantId: string, id: string, nextAttemptAt: number, lastError: string): Promise<void> {
    await this.pool.query(
      `UPDATE notice_mail SET attempts = attempts + 1, next_attempt_at = $3, last_error = $4, claimed_until = 0
       WHERE tenant_id = $1 AND mail_id = $2 AND sent_at IS NULL`,
      [keyText(tenantId), keyText(id), nextAttemptAt, lastError],
    );
  }

  async pending(): Promise<QueuedMail[]> {
    const { rows } = await this.pool.query<MailRow>('SELECT * FROM notice_mail WHERE sent_at IS NULL ORDER BY queued_at, tenant_id, mail_id');
    return rows.map(mailOf);
  }

  async sent(): Promise<SentMail[]> {
    const { rows } = await this.pool.query<MailRow>('SELECT tenant_id, mail_id, sent_at FROM notice_mail WHERE sent_at IS NOT NULL ORDER BY sent_at');
    return rows.map((row) => ({ tenantId: keyFromText(row.tenant_id), id: keyFromText(row.mail_id), at: Number(row.sent_at) }));
  }
}

function mailOf(row: MailRow): QueuedMail {
  return {
    tenantId: keyFromText(row.tenant_id),
    id: keyFromText(row.mail_id),
    to: row.recipients,
    subject: row.subject,
    text: row.text_body,
    html: row.html_body,
    queuedAt: Number(row.queued_at),
    attempts: row.attempts,
    nextAttemptAt: Number(row.next_attempt_at),
    lastError: row.last_error,
  };
}
