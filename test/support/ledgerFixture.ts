import type { UsageRecord } from '../../services/ledger/applyUsage.js';
import type { LedgerPolicy } from '../../services/ledger/policy.js';
import { LedgerService } from '../../services/ledgerService.js';
import { SandboxGateway, type TestCardId } from '../../services/payments/sandboxGateway.js';
import { emptySandboxState, JsonSandboxRecords } from '../../data/jsonSandboxRecords.js';
import type { LedgerStore, PaymentGateway } from '../../services/ports.js';
import { pricer, type RateTable } from '../../services/rates.js';
import { memoryDocument } from './memoryDocument.js';
import { MemoryLedgerStore, TestClock } from './memoryLedgerStore.js';

export const POLICY: LedgerPolicy = {
  defaultCurrency: 'USD',
  lowBalanceAlert: '10.00',
  minAddition: '10.00',
  maxAddition: '10000.00',
  maxUsageCharge: '10000.00',
  usageWindowDays: 90,
  offerLifetimeHours: 24,
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

type FixtureOptions = { wrapGateway?: (sandbox: SandboxGateway) => PaymentGateway; cardForNewTenants?: TestCardId | null };

/**
 * A LedgerService over an in-memory store, the sandbox gateway and a clock the test moves.
 * `wrapGateway` puts something between the ledger and the sandbox (to hold a charge mid-way).
 */
export function ledgerFixture(policy: Partial<LedgerPolicy> = {}, options: FixtureOptions = {}) {
  return ledgerFixtureOver(new MemoryLedgerStore(), policy, options);
}

/** The same over another store. */
export function ledgerFixtureOver<S extends LedgerStore>(store: S, policy: Partial<LedgerPolicy> = {}, options: FixtureOptions = {}) {
  const clock = new TestClock();
  // Tenants start with the paying test card, as if an admin had chosen it, unless a test says otherwise.
  const gateway = new SandboxGateway(new JsonSandboxRecords(memoryDocument(emptySandboxState())), clock, {
    cardForNewTenants: options.cardForNewTenants === undefined ? 'visa-success' : options.cardForNewTenants,
  });
  const errors: unknown[] = [];
  const ledger = new LedgerService({
    store,
    gateway: options.wrapGateway?.(gateway) ?? gateway,
    clock,
    policy: { ...POLICY, ...policy },
    price: pricer(RATES),
    log: { info: () => undefined, warn: () => undefined, error: (details) => void errors.push((details as { err: unknown }).err) },
  });
  return { clock, store, gateway, ledger, errors };
}

let offerSeq = 0;

/** An admin's purchase as the bot makes it: the offer its confirmation card shows, then Confirm. */
export async function purchase(ledger: LedgerService, tenantId: string, amount: string, actor = 'aad-admin') {
  const offer = await ledger.offerPurchase(tenantId, { offerId: `offer-${++offerSeq}`, amount, offeredTo: actor });
  if (!offer.ok) return offer;
  return ledger.confirmPurchase(tenantId, offer.value.offerId, actor);
}

/** The sandbox's charges as it recorded them. */
export const sandboxCharges = (gateway: SandboxGateway) => Object.values((gateway['records'] as JsonSandboxRecords).data.charges);

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
