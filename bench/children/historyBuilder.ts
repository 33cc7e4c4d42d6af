/**
 * Builds a ledger folder whose one tenant has `entries` journal entries, fast: straight through the
 * store, with the ledger's own rules (applyUsage, grantFunds) in changes of 10,000 records. Usage
 * starts 80 days ago and moves forward in time (all inside the 90-day key window, so every usage
 * key is kept); a $10,000 lot is added every 100,000 records and five at the end.
 */
import { loadConfig } from '../../bot/config.js';
import { openLowdbLedgerStore } from '../../data/lowdbLedgerStore.js';
import { grantFunds } from '../../services/ledger/grantFunds.js';
import { applyUsage } from '../../services/ledger/applyUsage.js';
import { serveParent } from '../lib/child.js';
import { usageRecord } from '../lib/records.js';
import { samplePricer } from '../peers/backend.js';

export const HISTORY_TENANT = 'bench-history';
const CHANGE_SIZE = 10_000;
const DAY_MS = 86_400_000;

serveParent(async (message) => {
  if (message.type !== 'build') throw new Error(`unknown request ${message.type}`);
  const dir = message.dir as string;
  const entries = message.entries as number;
  const config = loadConfig({ DATA_DIR: dir });
  const policy = { defaultCurrency: config.defaultCurrency, ...config.ledger };
  const price = await samplePricer();
  const t0 = performance.now();
  const store = await openLowdbLedgerStore({ dir, checkpointIntervalMs: config.checkpointMs });
  const now = Date.now();
  const first = now - 80 * DAY_MS;
  let funds = 0;
  const grant = () =>
    store.change(HISTORY_TENANT, (current) =>
      grantFunds(
        current,
        HISTORY_TENANT,
        { amountMinor: 1_000_000, currency: 'USD', actor: 'bench', operatorKey: `grant-${++funds}`, note: null },
        policy,
        now,
      ),
    );
  await grant();
  // Entries so far: 1 account-opened + 1 funds-added; keep room for the five final lots.
  const usageTotal = Math.max(0, entries - 2 - 5);
  let made = 0;
  while (made < usageTotal) {
    if (made > 0 && made % 100_000 === 0) await grant();
    const count = Math.min(CHANGE_SIZE, usageTotal - made, 100_000 - (made % 100_000));
    const items = Array.from({ length: count }, (_, k) => {
      const n = made + k;
      const record = usageRecord(`hist-${n}`, HISTORY_TENANT, n, now);
      // In time order over the 80 days, as Graph would deliver them.
      const start = first + Math.floor((n / Math.max(1, usageTotal)) * 79 * DAY_MS);
      record.startDateTime = new Date(start).toISOString();
      record.endDateTime = new Date(start + (record.durationSeconds ?? 0) * 1000).toISOString();
      return { index: k, record };
    });
    const outcome = await store.change(HISTORY_TENANT, (current) => applyUsage(current, HISTORY_TENANT, items, price, policy, now));
    if (outcome.accepted !== count) throw new Error(`history build: ${JSON.stringify(outcome).slice(0, 300)}`);
    made += count;
  }
  const account = await store.account(HISTORY_TENANT);
  for (let i = account!.entryCount; i < entries; i++) await grant();
  const final = await store.account(HISTORY_TENANT);
  await store.close();
  return { entries: final!.entryCount, usageKeys: final!.keys.usageCount, buildMs: performance.now() - t0 };
});
