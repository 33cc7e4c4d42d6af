/**
 * Writes random ledger changes through the real store until killed, for the crash test. Waits for
 * "go" on stdin first, so the parent can start it while another child still owns the folder.
 * Prints one line per acknowledged (durable) change:
 *   ready
 *   funds <tenant> <key> <amount>       usage <tenant> <record id prefix> <count>
 * (usage record ids starting `o-` are of old calls, which a prune in between may forget)
 *   alert <id>    acking <id>    acked <id>
 * Arguments: data folder, seed, checkpoint interval in ms.
 */
import { once } from 'node:events';
import { openLowdbLedgerStore } from '../../data/lowdbLedgerStore.js';
import { dayNumber } from '../../services/calendar.js';
import { addFunds, recordUsage, T0, usageBatch } from './ledgerFixtures.js';
import { mulberry32 } from './seededRandom.js';

/** Old calls (prefix `o-`) start before `PRUNE_BEFORE_DAY`; the others (prefix `u-`) after it. */
const OLD_CALLS_AT = T0 - 60 * 86_400_000;
const PRUNE_BEFORE_DAY = dayNumber(T0 - 30 * 86_400_000);

const CRASH_TENANTS = ['t0', 't1', 't2', 't3', '00000000-aaaa-bbbb-cccc-000000000005', 'local'];

const [dir, seedText, checkpointText] = process.argv.slice(2) as [string, string, string];
const random = mulberry32(Number(seedText));
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const print = (line: string) => process.stdout.write(`${line}\n`);
/**
 * Prints and resolves once the line is in the pipe. A write to a full pipe is queued in the process
 * (stdout is asynchronous on POSIX pipes) and dies with it: an acknowledgement must not reach the
 * WAL while the line announcing it can still be lost, or the parent would count its alert as gone.
 */
const printNow = (line: string) => new Promise<void>((resolve) => process.stdout.write(`${line}\n`, () => resolve()));

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
    } else if (dice < 0.7) {
      const count = 1 + Math.floor(random() * 20);
      // Some changes first forget old calls' keys, as the sweep does: the next checkpoint rewrites the key file.
      const prune = random() < 0.3;
      const charge = recordUsage(tenant, usageBatch(`u-${name}`, count, 1 + Math.floor(random() * 500)));
      await store.change(tenant, (account) => {
        if (prune) account?.keys.pruneUsageBefore(PRUNE_BEFORE_DAY);
        return charge(account);
      });
      print(`usage ${tenant} u-${name} ${count}`);
    } else if (dice < 0.93) {
      // Calls from long ago, whose keys a prune drops: here at once, in the same change (a replay of
      // the WAL brings them back until a checkpoint has rewritten the key file without them).
      const count = 1 + Math.floor(random() * 5);
      const charge = recordUsage(tenant, usageBatch(`o-${name}`, count, 1 + Math.floor(random() * 100)), OLD_CALLS_AT);
      await store.change(tenant, (account) => {
        const change = charge(account);
        change.account?.keys.pruneUsageBefore(PRUNE_BEFORE_DAY);
        return change;
      });
      print(`usage ${tenant} o-${name} ${count}`);
    } else {
      const pending = await store.pendingAlerts();
      if (pending.length === 0) continue;
      const { id } = pick(pending);
      await printNow(`acking ${id}`);
      await store.acknowledgeAlert(id);
      print(`acked ${id}`);
    }
  }
}

await Promise.all(Array.from({ length: 24 }, worker));
