import { ROLE_TEMPLATES } from '../../services/access.js';
import { EMAILED_ALERTS, wantsAlert, type Alert, type StoredAlert } from '../../services/alerts.js';
import type { RoleHolderDirectory } from '../../services/graphPorts.js';
import type { Clock } from '../../services/ports.js';
import type { AdminDirectory } from '../alerts/adminDirectory.js';
import type { Delivered, ReportingAlertSink } from '../alerts/alertDispatcher.js';
import type { DeliveryRecord } from '../../services/alertDeliveries.js';
import type { Mailbox, Mailer } from '../notices/mailer.js';
import { mailNotice } from '../notices/mailNotice.js';

/** Everyone who may manage, or view and receive alerts (SPEC §1.12), gets the notices. */
const NOTICE_ROLES = Object.values(ROLE_TEMPLATES);

export interface DirectoryEmailAlertSinkDeps {
  directory: RoleHolderDirectory;
  /** Admins the bot met in Teams: allow-listed ones hold no directory role but get the notices too. */
  admins: Pick<AdminDirectory, 'people'>;
  mailer: Mailer;
  from: Mailbox;
  log: DeliveryRecord;
  clock: Clock;
}

interface Recipient {
  address: string;
  name: string | null;
  locale: string | null;
  timeZone: string | null;
}

/**
 * The three notice emails when Graph is configured: to every mailbox in the tenant's directory
 * holding an admin role of §1.12 (and any other admin the bot knows), each in the admin's
 * preferred language, else the language their Teams client last used (and the time zone it last sent). When the directory cannot
 * be read the delivery fails, and the alert stays pending and is tried again.
 */
export class DirectoryEmailAlertSink implements ReportingAlertSink {
  readonly name = 'email';

  constructor(private readonly deps: DirectoryEmailAlertSinkDeps) {}

  async deliver(stored: StoredAlert): Promise<Delivered[]> {
    if (!EMAILED_ALERTS.has(stored.alert.type)) return [];
    const recipients = await this.recipients(stored.alert);
    if (recipients.length === 0) console.warn(`[graph] no admin mailbox is known for tenant ${stored.alert.tenantId}; notice ${stored.id} is not emailed`);
    return mailNotice(
      stored,
      recipients.map((r) => ({ ...r, logKey: `mail:${r.address.toLowerCase()}` })),
      this.deps,
    );
  }

  /** The tenant's admin mailboxes, but not those of admins who switched a weekly report off. */
  private async recipients(alert: Alert): Promise<Recipient[]> {
    const tenantId = alert.tenantId;
    const mailboxes = await this.deps.directory.mailboxesInRoles(tenantId, NOTICE_ROLES);
    if (!mailboxes.ok)
      throw new Error(`the admins of tenant ${tenantId} could not be read from the directory (${mailboxes.error.kind}): ${mailboxes.error.message}`);
    const people = await this.deps.admins.people(tenantId);
    const known = new Map(people.filter((p) => p.aadObjectId).map((p) => [p.aadObjectId!.toLowerCase(), p]));
    const byAddress = new Map<string, Recipient>();
    for (const m of mailboxes.value) {
      if (!wantsAlert(alert, m.userObjectId.toLowerCase()) || !wantsAlert(alert, m.userObjectId)) continue;
      const person = known.get(m.userObjectId.toLowerCase());
      byAddress.set(m.address.toLowerCase(), {
        address: m.address,
        name: m.displayName,
        locale: m.preferredLanguage ?? person?.locale ?? null,
        timeZone: person?.timeZone ?? null,
      });
    }
    for (const p of people) {
      if (!wantsAlert(alert, p.aadObjectId ?? p.userId)) continue;
      if (p.email && !byAddress.has(p.email.toLowerCase()))
        byAddress.set(p.email.toLowerCase(), { address: p.email, name: p.name, locale: p.locale, timeZone: p.timeZone ?? null });
    }
    return [...byAddress.values()];
  }
}
