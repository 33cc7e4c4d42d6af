/**
 * Writes random ledger changes through the real store until killed, for the crash test. Waits for
 * "go" on stdin first, so the parent can start it while another child still owns the folder.
 * Prints one line per acknowledged (durable) change:
 *   ready
 *   funds <tenant> <key> <amount>       usage <tenant> <record id prefix> <count>
 *   alert <id>    acking <id>    acked <id>
 * Arguments: data folder, seed, checkpoint interval in ms.
 */
import { once } from 'node:events';
import { openLowdbLedgerStore } from '../../data/lowdbLedgerStore.js';
import { addFunds, recordUsage, usageBatch } from './ledgerFixtures.js';

const CRASH_TENANTS = ['t0', 't1', 't2', 't3', '00000000-aaaa-bbbb-cccc-000000000005', 'local'];

const [dir, seedText, checkpointText] = process.argv.slice(2) as [string, string, string];
const random = mulberry32(Number(seedText));
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const print = (line: string) => process.stdout.write(`${line}\n`);

await once(process.stdin, 'data');
const store = await openLowdbLedgerStore({ dir, checkpointIntervalMs: Number(checkpointText) });
store.onAlerts((alerts) => alerts.forEach(({ id }) => print(`alert ${id}`)));
print('ready');

let counter = 0;
async function worker(): Promise<never> {
  for (;;) {
    const tenant = pick(CRASH_TENANTS);
    const name = `${seedText}-${counter++}`;
    const dice = random();
    if (dice < 0.45) {
      const amount = 1_000 + Math.floor(random() * 4_000);
      await store.change(tenant, addFunds(tenant, amount, `f-${name}`));
      print(`funds ${tenant} f-${name} ${amount}`);
    } else if (dice < 0.93) {
      const count = 1 + Math.floor(random() * 20);
      await store.change(tenant, recordUsage(tenant, usageBatch(`u-${name}`, count, 1 + Math.floor(random() * 500))));
      print(`usage ${tenant} u-${name} ${count}`);
    } else {
      const pending = await store.pendingAlerts();
      if (pending.length === 0) continue;
      const { id } = pick(pending);
      print(`acking ${id}`);
      await store.acknowledgeAlert(id);
      print(`acked ${id}`);
    }
  }
}

await Promise.all(Array.from({ length: 24 }, worker));

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
