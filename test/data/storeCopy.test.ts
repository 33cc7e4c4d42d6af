import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EMBEDDED_DELIVERY_LOG } from '../../data/embeddedAlertDeliveries.js';
import { openLowdbLedgerStore } from '../../data/lowdbLedgerStore.js';
import { openPostgresLedgerStore } from '../../data/postgres/postgresLedgerStore.js';
import { copyDataFolder, StoreCopyRefused } from '../../data/storeCopy.js';
import { toSnapshot } from '../../services/ledger/accountSnapshot.js';
import type { LedgerStore } from '../../services/ports.js';
import { ledgerFixtureOver, purchase, usage } from '../support/ledgerFixture.js';
import { wholeJournal } from './ledgerFixtures.js';
import { useTestDatabase } from './postgresTestDatabase.js';
import { useTempFolders } from './tempFolders.js';

const db = useTestDatabase();
const DAY_MS = 86_400_000;

/** What a tenant's ledger is, store-independently: the account (keys included) and the journal. */
async function ledgerOf(store: LedgerStore, tenantId: string) {
  const account = await store.account(tenantId);
  return { account: account && toSnapshot(account), usageKeys: account?.keys.usageCount, journal: await wholeJournal(store, tenantId) };
}

describe('copying an embedded data folder into PostgreSQL', () => {
  const folder = useTempFolders('store-copy-');
  const open: LedgerStore[] = [];
  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
  });

  /** Two tenants with history: funds, a purchase, an open offer, usage before and after a sweep pruned old keys, debt, pending alerts. */
  async function folderWithHistory() {
    const dir = await folder();
    const store = await openLowdbLedgerStore({ dir, checkpointIntervalMs: 600_000 });
    const { ledger, clock } = ledgerFixtureOver(store);
    await ledger.grantFunds('t1', { amount: '100', currency: 'USD', idempotencyKey: 'grant-1', actor: 'operator' });
    expect(await purchase(ledger, 't1', '25')).toMatchObject({ ok: true });
    const old = Array.from({ length: 20 }, () => usage('t1', '0.10', clock));
    expect(await ledger.ingestUsage(old)).toMatchObject({ accepted: 20 });
    clock.advance(95 * DAY_MS);
    await ledger.sweep();
    const recent = Array.from({ length: 15 }, () => usage('t1', '0.25', clock));
    expect(await ledger.ingestUsage(recent)).toMatchObject({ accepted: 15 });
    expect(await ledger.offerPurchase('t1', { offerId: 'still-open', amount: '40', offeredTo: 'aad-admin' })).toMatchObject({ ok: true });
    await ledger.grantFunds('t2', { amount: '10', currency: 'USD', idempotencyKey: 'grant-1', actor: 'operator' });
    expect(await ledger.ingestUsage([usage('t2', '12.50', clock), usage('t2', '3.00', clock)])).toMatchObject({ accepted: 2 });
    const before = { t1: await ledgerOf(store, 't1'), t2: await ledgerOf(store, 't2'), alerts: await store.pendingAlerts() };
    await store.close();
    // The first pending alert had reached two of its recipients before the move.
    await writeFile(path.join(dir, EMBEDDED_DELIVERY_LOG), JSON.stringify({ [before.alerts[0]!.id]: ['teams:conv-a', 'mail:someone'] }));
    return { dir, clock, recent, before };
  }

  it('gives PostgreSQL the same accounts, keys, journals and pending alerts, written in chunks, and is safe to run again', { timeout: 60_000 }, async () => {
    const { dir, clock, recent, before } = await folderWithHistory();
    expect(before.t1.usageKeys).toBe(15);
    expect(before.t2.account?.debtMinor).toBeGreaterThan(0);
    expect(before.alerts.length).toBeGreaterThan(0);
    const { url, schema } = await db.createSchema();

    const report = await copyDataFolder({ dataDir: dir, url, chunkEntries: 7 });
    // Who had the first alert is known under its new id: they do not get it again.
    expect(report.alertDeliveries).toBe(2);
    const delivered = await db.query<{ id: string; recipient: string }>(
      `SELECT alert_no || '@' || tenant_id AS id, recipient FROM ${schema}.alert_deliveries ORDER BY recipient`,
    );
    expect(delivered.rows.map((row) => `${row.id} ${row.recipient}`)).toEqual(
      ['mail:someone', 'teams:conv-a'].map((recipient) => `${report.alertIds.get(before.alerts[0]!.id)} ${recipient}`),
    );
    expect(report.tenants).toEqual([
      { tenantId: 't1', entries: before.t1.journal.length, balanceMinor: before.t1.account!.balanceMinor, state: 'copied' },
      { tenantId: 't2', entries: before.t2.journal.length, balanceMinor: before.t2.account!.balanceMinor, state: 'copied' },
    ]);

    const target = await openPostgresLedgerStore({ url, poolSize: 2 });
    open.push(target);
    expect(await ledgerOf(target, 't1')).toEqual(before.t1);
    expect(await ledgerOf(target, 't2')).toEqual(before.t2);
    const pending = await target.pendingAlerts();
    expect(pending.map((stored) => stored.alert)).toEqual(before.alerts.map((stored) => stored.alert));
    expect(pending.map((stored) => stored.id)).toEqual(before.alerts.map((stored) => report.alertIds.get(stored.id)));

    await expect(copyDataFolder({ dataDir: `${dir}-mistyped`, url })).rejects.toThrow(/There is no data folder/);
    // Again: refused as not empty; told to, it finds both tenants already there and checks them.
    await expect(copyDataFolder({ dataDir: dir, url })).rejects.toThrow(StoreCopyRefused);
    expect((await copyDataFolder({ dataDir: dir, url, intoNonEmpty: true })).tenants.map((t) => t.state)).toEqual(['already-copied', 'already-copied']);

    // The keys work on PostgreSQL: the recent records are duplicates, the purchase is not paid twice, the open offer can be confirmed.
    const onDatabase = ledgerFixtureOver(target);
    onDatabase.clock.advance(clock.now() - onDatabase.clock.now());
    const ledger = onDatabase.ledger;
    expect(await ledger.ingestUsage(recent)).toMatchObject({ accepted: 0, duplicates: 15 });
    expect(await ledger.grantFunds('t1', { amount: '100', currency: 'USD', idempotencyKey: 'grant-1', actor: 'operator' })).toMatchObject({
      ok: true,
      value: { replayed: true },
    });
    expect(await ledger.confirmPurchase('t1', 'still-open', 'aad-admin')).toMatchObject({ ok: true, value: { replayed: false } });

    // A tenant that moved on in the database (the confirmed offer) is not overwritten by the folder's older ledger.
    await expect(copyDataFolder({ dataDir: dir, url, intoNonEmpty: true })).rejects.toThrow(/Tenant t1 is already in the database and has \d+ journal entries/);
  });
});
