import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { emptySandboxState, JsonSandboxRecords } from '../../data/jsonSandboxRecords.js';
import { clientConfig } from '../../data/postgres/connection.js';
import { PostgresDutyLocks } from '../../data/postgres/postgresDutyLocks.js';
import { openPostgresLedgerStore, type PostgresLedgerStore } from '../../data/postgres/postgresLedgerStore.js';
import { Duties } from '../../services/duties.js';
import { LedgerService } from '../../services/ledgerService.js';
import { SandboxGateway } from '../../services/payments/sandboxGateway.js';
import type { ChargeRequest, PaymentGateway } from '../../services/ports.js';
import { pricer } from '../../services/rates.js';
import { POLICY, RATES, usage } from '../support/ledgerFixture.js';
import { memoryDocument } from '../support/memoryDocument.js';
import { TestClock } from '../support/memoryLedgerStore.js';
import { useTestDatabase } from './postgresTestDatabase.js';

const database = useTestDatabase();
const closing: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close();
});

/**
 * One gateway behind every instance (the card network is one), slow enough that instances seeing
 * the same attempt would overlap, counting how often each tenant's key is asked to charge.
 */
function sharedGateway(clock: TestClock) {
  const sandbox = new SandboxGateway(new JsonSandboxRecords(memoryDocument(emptySandboxState())), clock, { cardForNewTenants: 'visa-success' });
  const asked = new Map<string, number>();
  const gateway: PaymentGateway = {
    cardOnFile: (tenantId) => sandbox.cardOnFile(tenantId),
    settledCharges: (since) => sandbox.settledCharges(since),
    async charge(request: ChargeRequest) {
      const key = `${request.tenantId} ${request.idempotencyKey}`;
      asked.set(key, (asked.get(key) ?? 0) + 1);
      await new Promise((resolve) => setTimeout(resolve, 100));
      return sandbox.charge(request);
    },
  };
  return { gateway, asked };
}

/** An instance: a store and duty locks of its own on the shared database, and the ledger service over them. */
async function openInstance(url: string, gateway: PaymentGateway, clock: TestClock) {
  const store: PostgresLedgerStore = await openPostgresLedgerStore({ url, poolSize: 4 });
  const pool = new pg.Pool({ ...clientConfig(url), max: 2 });
  const duties = new Duties(new PostgresDutyLocks(clientConfig(url), pool));
  const errors: unknown[] = [];
  const ledger = new LedgerService({
    store,
    gateway,
    clock,
    policy: POLICY,
    price: pricer(RATES),
    duties,
    log: { info: () => undefined, warn: () => undefined, error: (details) => void errors.push((details as { err: unknown }).err) },
  });
  closing.push(async () => {
    await ledger.idle();
    await duties.close();
    await pool.end();
    await store.close();
  });
  return { store, ledger, errors };
}

describe('auto-recharge with several instances on one database', () => {
  it('charges each attempt once though every instance sees it, and credits it once', async () => {
    const { url } = await database.createSchema();
    const clock = new TestClock();
    const { gateway, asked } = sharedGateway(clock);
    const instances = [await openInstance(url, gateway, clock), await openInstance(url, gateway, clock), await openInstance(url, gateway, clock)];
    const [first] = instances;
    const tenants = ['t1', 't2', 't3', 't4'];
    for (const tenantId of tenants) {
      await first!.ledger.grantFunds(tenantId, { amount: '30', currency: 'USD', actor: 'operator', idempotencyKey: `grant-${tenantId}` });
      await first!.ledger.setAutoRecharge(tenantId, { enabled: true, trigger: '20', amount: '100' }, 'admin');
    }

    // Usage of every tenant through every instance at once: each change after the first that crossed the trigger sees its attempt in flight.
    await Promise.all(
      instances.flatMap(({ ledger }) => tenants.map((tenantId) => ledger.ingestUsage([usage(tenantId, '10.00', clock), usage(tenantId, '2.00', clock)]))),
    );
    await Promise.all(instances.map(({ ledger }) => ledger.idle()));
    // An instance that found another charging left the attempt to it; each looks once more (as the sweep would) and finds nothing left.
    await Promise.all(instances.flatMap(({ ledger }) => ledger.resumeRecharges()));

    expect([...asked.keys()].sort()).toEqual(tenants.map((tenantId) => `${tenantId} recharge:recharge-1`).sort());
    expect([...asked.values()]).toEqual(tenants.map(() => 1));
    for (const tenantId of tenants) {
      const account = await first!.ledger.account(tenantId);
      expect(account?.recharge.inFlight).toBeNull();
      // 30 + 100 recharged − 3 × (10 + 2) of usage.
      expect(account?.balanceMinor).toBe(9_400);
      const journal = await first!.ledger.journal(tenantId, 0, 1_000);
      expect(
        journal.filter((entry) => entry.kind === 'funds-added' && entry.detail.kind === 'funds-added' && entry.detail.purpose === 'recharge'),
      ).toHaveLength(1);
      expect(journal.reduce((sum, entry) => sum + entry.amountMinor, 0)).toBe(9_400);
    }
    for (const { errors } of instances) expect(errors).toEqual([]);
  });
});
