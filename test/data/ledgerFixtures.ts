import { addCalendarMonths, iso } from '../../services/calendar.js';
import type { Account, AccountDefaults } from '../../services/ledger/account.js';
import { ChangeDraft } from '../../services/ledger/changeDraft.js';
import type { JournalEntry } from '../../services/ledger/journal.js';
import type { Change, LedgerStore, NoChange } from '../../services/ports.js';

/** Real ledger changes built with the domain's ChangeDraft, for storage tests. */

export const DEFAULTS: AccountDefaults = {
  lowBalanceAlertMinor: 1000,
  autoRecharge: { enabled: false, triggerMinor: 0, amountMinor: 0 },
};

export const T0 = Date.UTC(2025, 0, 15, 9, 30);

export type Decide<T> = (account: Account | undefined) => Change<T> | NoChange<T>;

/** Adds a lot (opening the account on first contact); a repeated key is a no-op returning the first entry id. */
export function addFunds(tenantId: string, amountMinor: number, key: string, now = T0): Decide<string> {
  return (account) => {
    const first = account?.keys.operations.get(key);
    if (first) return { result: first.entryId };
    const draft = new ChangeDraft(account, tenantId, now);
    draft.open('USD', DEFAULTS);
    const entry = draft.record({
      detail: {
        kind: 'funds-added',
        lotId: `lot-${key}`,
        source: 'manual',
        expiresAt: iso(addCalendarMonths(now, 12)),
        note: null,
        purpose: 'grant',
        chargeId: null,
      },
      amountMinor,
      actor: 'tester',
      idempotencyKey: key,
    });
    return draft.finish(entry.id);
  };
}

export interface UsageRecord {
  recordId: string;
  chargeMinor: number;
}

/** Charges usage records (one entry each), skipping record ids already charged; returns how many were charged. */
export function recordUsage(tenantId: string, records: readonly UsageRecord[], now = T0): Decide<number> {
  return (account) => {
    const draft = new ChangeDraft(account, tenantId, now);
    draft.open('USD', DEFAULTS);
    let charged = 0;
    for (const { recordId, chargeMinor } of records) {
      if (draft.account!.keys.hasUsage(recordId)) continue;
      draft.record({
        detail: {
          kind: 'usage',
          usage: {
            recordId,
            startDateTime: iso(now - 120_000),
            durationSeconds: 120,
            callType: 'user_out',
            destinationContext: 'International',
            destinationName: 'Germany',
            userId: 'user-1',
            conferenceId: null,
            pricedFrom: 'charge',
          },
        },
        amountMinor: -chargeMinor,
        actor: 'system',
        idempotencyKey: recordId,
      });
      charged++;
    }
    return draft.finish(charged);
  };
}

export function usageBatch(prefix: string, count: number, chargeMinor = 7): UsageRecord[] {
  return Array.from({ length: count }, (_, i) => ({ recordId: `${prefix}-${i}`, chargeMinor }));
}

/** Reads a tenant's whole journal through the paged API. */
export async function wholeJournal(store: LedgerStore, tenantId: string, pageSize = 5_000): Promise<JournalEntry[]> {
  const entries: JournalEntry[] = [];
  for (;;) {
    const page = await store.journal(tenantId, entries.length, pageSize);
    entries.push(...page);
    if (page.length < pageSize) return entries;
  }
}
