import type { UsageRecord } from '../../services/ledger/applyUsage.js';
import type { LedgerPolicy } from '../../services/ledger/policy.js';
import { LedgerService } from '../../services/ledgerService.js';
import { emptySandboxState, SandboxGateway } from '../../services/payments/sandboxGateway.js';
import type { LedgerStore } from '../../services/ports.js';
import { pricer, type RateTable } from '../../services/rates.js';
import { memoryDocument } from './memoryDocument.js';
import { MemoryLedgerStore, TestClock } from './memoryLedgerStore.js';

export const POLICY: LedgerPolicy = {
  defaultCurrency: 'USD',
  lowBalanceAlert: '10.00',
  minAddition: '10.00',
  maxAddition: '10000.00',
  usageWindowDays: 90,
};

export const RATES: RateTable = {
  label: 'test rates',
  currency: 'USD',
  rates: [
    { callType: 'user_out', destination: 'Domestic', perMinute: '0.019', connectionFee: '0.00' },
    { callType: 'user_out', destination: 'Japan', perMinute: '0.085', connectionFee: '0.01' },
    { callType: '*', destination: 'International', perMinute: '0.25', connectionFee: '0.02' },
  ],
};

/** A LedgerService over an in-memory store (or the one given), the sandbox gateway and a clock the test moves. */
export function ledgerFixture<S extends LedgerStore = MemoryLedgerStore>(policy: Partial<LedgerPolicy> = {}, store: S = new MemoryLedgerStore() as LedgerStore as S) {
  const clock = new TestClock();
  const gateway = new SandboxGateway(memoryDocument(emptySandboxState()), clock);
  const errors: unknown[] = [];
  const ledger = new LedgerService({
    store,
    gateway,
    clock,
    policy: { ...POLICY, ...policy },
    price: pricer(RATES),
    onError: (e) => errors.push(e),
  });
  return { clock, store, gateway, ledger, errors };
}

let recordSeq = 0;

/** A usage record for `tenantId` that started a minute ago by the fixture's clock. */
export function usage(tenantId: string, charge: string | null, clock: TestClock, extra: Partial<UsageRecord> = {}): UsageRecord {
  return {
    id: `call-${++recordSeq}`,
    tenantId,
    startDateTime: new Date(clock.now() - 60_000).toISOString(),
    endDateTime: new Date(clock.now()).toISOString(),
    durationSeconds: 60,
    charge,
    currency: 'USD',
    callType: 'user_out',
    destinationContext: 'Domestic',
    destinationName: 'United States',
    licenseCapability: 'MCOPSTNPP',
    userId: 'user-1',
    conferenceId: null,
    ...extra,
  };
}

/** Σ journal amounts, which must always equal the balance. */
export function journalSum(store: MemoryLedgerStore, tenantId: string): number {
  return (store.entries.get(tenantId) ?? []).reduce((sum, e) => sum + e.amountMinor, 0);
}
