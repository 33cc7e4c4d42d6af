import { HOUR_MS, iso } from '../calendar.js';
import type { Alert } from '../alerts.js';
import type { Account } from '../ledger/account.js';
import type { UsageDetail } from '../ledger/journal.js';
import { isInternational, MAX_DESTINATIONS_KEPT, newDestinationAlertsInHour, type UsageStats } from './usageStats.js';

/** New-destination alerts a tenant gets per UTC hour (of the changes, not of the calls)… */
export const NEW_DESTINATION_ALERTS_PER_HOUR = 3;
/** …each naming at most this many destinations, then "and N more". */
export const NEW_DESTINATIONS_NAMED = 5;

/** A call to an international destination not on the tenant's list: never called, or unknown because the list is full. */
export function isNewDestination(stats: UsageStats, usage: UsageDetail): boolean {
  return isInternational(usage) && Boolean(usage.destinationName) && !stats.destinations.has(usage.destinationName!);
}

/**
 * The new-destination rule for one usage change: calls to countries the tenant has never called
 * are an early sign of toll fraud. A change raises at most one alert for all its new destinations,
 * and a tenant at most NEW_DESTINATION_ALERTS_PER_HOUR an hour; the last one says so. The tenant's
 * very first usage raises none (everything is new then). The call whose entry carries the alert is
 * marked (`newDestinationAlert`), so the hour's count is rebuilt when the journal is replayed.
 */
export class NewDestinationWatch {
  private readonly mayAlert: boolean;
  private readonly seen = new Set<string>();
  private readonly named: string[] = [];
  private unnamed = 0;
  private firstCallAt: string | null = null;

  /** `account` as it was before the change. */
  constructor(account: Account | undefined, now: number) {
    this.mayAlert = account !== undefined && account.lastUsageAt !== null && newDestinationAlertsInHour(account.usage, now) < NEW_DESTINATION_ALERTS_PER_HOUR;
  }

  /** Looks at a call before it is recorded; marks the first new one of the change as the one that raises the alert. */
  see(stats: UsageStats | undefined, usage: UsageDetail): void {
    if (!this.mayAlert || !stats || !isNewDestination(stats, usage) || this.seen.has(usage.destinationName!)) return;
    if (this.seen.size === 0) {
      usage.newDestinationAlert = true;
      this.firstCallAt = usage.startDateTime;
    }
    this.seen.add(usage.destinationName!);
    if (this.named.length < NEW_DESTINATIONS_NAMED) this.named.push(usage.destinationName!);
    else this.unnamed++;
  }

  /** The change's alert, once its calls are recorded; null when there is nothing to say. */
  alert(account: Account, now: number): Alert | null {
    const [first, ...others] = this.named;
    if (first === undefined) return null;
    const hourEnds = (Math.floor(now / HOUR_MS) + 1) * HOUR_MS;
    return {
      tenantId: account.tenantId,
      currency: account.currency,
      balanceMinor: account.balanceMinor,
      at: iso(now),
      type: 'unusual-spend',
      reason: 'new-destination',
      hourStart: null,
      spendMinor: null,
      baselineMinor: null,
      destination: first,
      firstCallAt: this.firstCallAt,
      moreDestinations: others,
      unnamedDestinations: this.unnamed,
      quietUntil: newDestinationAlertsInHour(account.usage, now) >= NEW_DESTINATION_ALERTS_PER_HOUR ? iso(hourEnds) : null,
      destinationListFull: account.usage.destinations.size >= MAX_DESTINATIONS_KEPT,
    };
  }
}
