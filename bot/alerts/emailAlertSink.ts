import { EMAILED_ALERTS, wantsAlert, type StoredAlert } from '../../services/alerts.js';
import type { Clock } from '../../services/ports.js';
import type { Mailbox, Mailer } from '../notices/mailer.js';
import { mailNotice } from '../notices/mailNotice.js';
import type { AdminDirectory } from './adminDirectory.js';
import type { Delivered, ReportingAlertSink } from './alertDispatcher.js';
import type { DeliveryRecord } from '../../services/alertDeliveries.js';

export interface EmailAlertSinkDeps {
  mailer: Mailer;
  from: Mailbox;
  admins: AdminDirectory;
  log: DeliveryRecord;
  clock: Clock;
}

/**
 * The three notices the source document promises by email (auto-recharge succeeded, failed,
 * balance below zero): one mail per admin the bot knows, in the language and time zone that admin
 * last used.
 * With no admin known yet, one mail in English to nobody in particular, so the outbox still holds
 * the notice (not the weekly report, which is for the admins who did not switch it off).
 */
export class EmailAlertSink implements ReportingAlertSink {
  readonly name = 'email';

  constructor(private readonly deps: EmailAlertSinkDeps) {}

  async deliver(stored: StoredAlert): Promise<Delivered[]> {
    const { alert } = stored;
    if (!EMAILED_ALERTS.has(alert.type)) return [];
    const people = (await this.deps.admins.people(alert.tenantId)).filter((p) => wantsAlert(alert, p.aadObjectId ?? p.userId));
    const recipients =
      people.length > 0
        ? people.map((p) => ({ logKey: `mail:${p.key}`, name: p.name, address: p.email, locale: p.locale, timeZone: p.timeZone ?? null }))
        : alert.type === 'weekly-report'
          ? []
          : [{ logKey: 'mail:nobody', name: null, address: null, locale: null }];
    return mailNotice(stored, recipients, this.deps);
  }
}
