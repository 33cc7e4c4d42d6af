import { createHash } from 'node:crypto';
import type { StoredAlert } from '../../services/alerts.js';
import type { Clock } from '../../services/ports.js';
import type { Delivered } from '../alerts/alertDispatcher.js';
import type { DeliveryRecord } from '../../services/alertDeliveries.js';
import type { Mailbox, Mailer } from './mailer.js';
import { noticeEmail } from './noticeEmail.js';

export interface NoticeRecipient {
  /** Names the recipient in the delivery log, so a retried alert never mails anyone twice. */
  logKey: string;
  address: string | null;
  name: string | null;
  locale: string | null;
  /** The zone the email's times are shown in (the one their Teams client last sent); null: UTC. */
  timeZone?: string | null;
}

export interface MailNoticeDeps {
  mailer: Mailer;
  from: Mailbox;
  log: DeliveryRecord;
  clock: Clock;
}

/** Mails an alert's notice to each recipient not yet mailed, in the recipient's language; resolves with those mailed now. */
export async function mailNotice(stored: StoredAlert, recipients: NoticeRecipient[], deps: MailNoticeDeps): Promise<Delivered[]> {
  const mailed: Delivered[] = [];
  for (const recipient of recipients) {
    if (deps.log.has(stored.id, recipient.logKey)) continue;
    const content = noticeEmail(stored.alert, recipient);
    await deps.mailer.send({
      id: `alert-${stored.id}-${createHash('sha256').update(recipient.logKey).digest('hex').slice(0, 12)}`,
      tenantId: stored.alert.tenantId,
      from: deps.from,
      to: { name: recipient.name, address: recipient.address },
      language: content.language,
      subject: content.subject,
      text: content.text,
      html: content.html,
      date: new Date(deps.clock.now()),
    });
    await deps.log.record(stored.id, recipient.logKey);
    mailed.push({ channel: 'email', to: recipient.address, name: recipient.name });
  }
  return mailed;
}
