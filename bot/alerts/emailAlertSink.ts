import { createHash } from 'node:crypto';
import { EMAILED_ALERTS, type StoredAlert } from '../../services/alerts.js';
import type { Clock } from '../../services/ports.js';
import type { Mailbox, Mailer } from '../notices/mailer.js';
import { noticeEmail } from '../notices/noticeEmail.js';
import type { AdminDirectory } from './adminDirectory.js';
import type { AlertSink } from './alertDispatcher.js';
import type { DeliveryLog } from './deliveryLog.js';

export interface EmailAlertSinkDeps {
  mailer: Mailer;
  from: Mailbox;
  admins: AdminDirectory;
  log: DeliveryLog;
  clock: Clock;
}

/**
 * The three notices the source document promises by email (auto-recharge succeeded, failed,
 * balance below zero): one mail per admin the bot knows, in the language that admin last used.
 * With no admin known yet, one mail in English to nobody in particular, so the outbox still holds
 * the notice.
 */
export class EmailAlertSink implements AlertSink {
  readonly name = 'email';

  constructor(private readonly deps: EmailAlertSinkDeps) {}

  async deliver(stored: StoredAlert): Promise<void> {
    if (!EMAILED_ALERTS.has(stored.alert.type)) return;
    const people = await this.deps.admins.people(stored.alert.tenantId);
    const recipients = people.length > 0 ? people.map((p) => ({ key: p.key, name: p.name, address: p.email, locale: p.locale })) : [{ key: 'nobody', name: null, address: null, locale: null }];
    for (const recipient of recipients) {
      const logKey = `mail:${recipient.key}`;
      if (this.deps.log.has(stored.id, logKey)) continue;
      const content = noticeEmail(stored.alert, recipient);
      await this.deps.mailer.send({
        id: `alert-${stored.id}-${createHash('sha256').update(recipient.key).digest('hex').slice(0, 12)}`,
        from: this.deps.from,
        to: { name: recipient.name, address: recipient.address },
        language: content.language,
        subject: content.subject,
        text: content.text,
        html: content.html,
        date: new Date(this.deps.clock.now()),
      });
      await this.deps.log.record(stored.id, logKey);
    }
  }
}
