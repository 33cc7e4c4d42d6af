import { iso } from '../calendar.js';
import type { Alert } from '../alerts.js';
import type { Change, NoChange } from '../ports.js';
import { accountStatus, invariantViolation, type Account } from './account.js';
import { applyEntry } from './applyEntry.js';
import type { AccountDefaults } from './account.js';
import type { EntryDetail, JournalEntry } from './journal.js';
import type { Minor } from '../money.js';

export interface EntryRequest {
  detail: EntryDetail;
  amountMinor: Minor;
  actor: string;
  idempotencyKey: string | null;
}

/**
 * One change to one account in the making: opens the account on first contact, numbers and
 * applies each entry, and on `finish` raises the balance alerts the change caused (once per
 * crossing: only when the change itself crossed the line).
 */
export class ChangeDraft {
  readonly entries: JournalEntry[] = [];
  readonly alerts: Alert[] = [];
  private before: { balanceMinor: Minor; lowBalanceAlertMinor: Minor } | null;
  private current: Account | undefined;
  /** `now` as ISO text, made once: every entry of a change carries the same time. */
  private nowIso: string | undefined;

  constructor(
    account: Account | undefined,
    readonly tenantId: string,
    readonly now: number,
  ) {
    this.current = account;
    this.before = account ? { balanceMinor: account.balanceMinor, lowBalanceAlertMinor: account.lowBalanceAlertMinor } : null;
  }

  get account(): Account | undefined {
    return this.current;
  }

  /** The account, opened in `currency` with `defaults` if this is the tenant's first contact. */
  open(currency: string, defaults: AccountDefaults): Account {
    if (this.current) return this.current;
    this.record({
      detail: { kind: 'account-opened', currency, ...defaults },
      amountMinor: 0,
      actor: 'system',
      idempotencyKey: null,
    });
    return this.current!;
  }

  record(request: EntryRequest): JournalEntry {
    const entry: JournalEntry = {
      id: String((this.current?.entryCount ?? 0) + 1),
      tenantId: this.tenantId,
      kind: request.detail.kind,
      amountMinor: request.amountMinor,
      balanceAfterMinor: 0,
      at: (this.nowIso ??= iso(this.now)),
      actor: request.actor,
      idempotencyKey: request.idempotencyKey,
      detail: request.detail,
    };
    this.current = applyEntry(this.current, entry);
    entry.balanceAfterMinor = this.current.balanceMinor;
    this.entries.push(entry);
    return entry;
  }

  raise(alert: Alert): void {
    this.alerts.push(alert);
  }

  finish<T>(result: T): Change<T> | NoChange<T> {
    const account = this.current;
    if (!account || this.entries.length === 0) return { result };
    // Checked on every change, not only at recovery: a rule that let one break it is a bug to stop at.
    const violation = invariantViolation(account);
    if (violation) throw new Error(`A change to the account of ${this.tenantId} breaks the ledger invariant: ${violation}.`);
    return { account, entries: this.entries, alerts: [...balanceAlerts(this.before, account, this.now), ...this.alerts], result };
  }
}

/** Low balance, suspension and resumption, raised when a change crosses their line. */
function balanceAlerts(before: { balanceMinor: Minor; lowBalanceAlertMinor: Minor } | null, after: Account, now: number): Alert[] {
  // A new account starts at zero: suspended and low, but nothing has crossed yet.
  const was = before ?? { balanceMinor: 0, lowBalanceAlertMinor: after.lowBalanceAlertMinor };
  const base = { tenantId: after.tenantId, currency: after.currency, balanceMinor: after.balanceMinor, at: iso(now) };
  const alerts: Alert[] = [];
  const wasLow = was.balanceMinor < was.lowBalanceAlertMinor;
  const isLow = after.balanceMinor < after.lowBalanceAlertMinor;
  if (!wasLow && isLow) alerts.push({ ...base, type: 'low-balance', thresholdMinor: after.lowBalanceAlertMinor });
  const wasSuspended = accountStatus(was) === 'suspended';
  const isSuspended = accountStatus(after) === 'suspended';
  if (!wasSuspended && isSuspended) alerts.push({ ...base, type: 'suspended' });
  // Only an account that has been used can resume; its very first funds are no news.
  if (wasSuspended && !isSuspended && after.lastUsageAt !== null) alerts.push({ ...base, type: 'resumed' });
  return alerts;
}
