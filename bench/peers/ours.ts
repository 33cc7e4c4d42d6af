import path from 'node:path';
import { loadConfig } from '../../bot/config.js';
import { openLowdbLedgerStore } from '../../data/lowdbLedgerStore.js';
import type { UsageBatchOutcome, UsageRecord } from '../../services/ledger/applyUsage.js';
import { LedgerService } from '../../services/ledgerService.js';
import { SandboxGateway } from '../../services/payments/sandboxGateway.js';
import { JsonSandboxRecords } from '../../data/jsonSandboxRecords.js';
import { systemClock } from '../../services/ports.js';
import { samplePricer, type LedgerBackend } from './backend.js';

/**
 * This project's ledger as bot/app.ts composes it: LedgerService over the lowdb store (WAL with
 * group commit, checkpoints every 2 s), the sandbox gateway and the sample rate table.
 */
export async function openOurs(dir: string): Promise<LedgerBackend> {
  const config = loadConfig({ DATA_DIR: dir });
  const store = await openLowdbLedgerStore({ dir, checkpointIntervalMs: config.checkpointMs });
  const gateway = new SandboxGateway(await JsonSandboxRecords.open(path.join(dir, 'sandbox-gateway.json')), systemClock);
  const ledger = new LedgerService({
    store,
    gateway,
    clock: systemClock,
    price: await samplePricer(),
    policy: { defaultCurrency: config.defaultCurrency, ...config.ledger },
  });
  return {
    name: 'ours',
    durability: 'WAL written and fdatasync-ed (group commit) before the answer',
    async prefund(tenants, extraLots) {
      await Promise.all(
        tenants.map(async (tenant, i) => {
          for (let k = 0; k <= (i === 0 ? extraLots : 0); k++) {
            const result = await ledger.grantFunds(tenant, { amount: '10000.00', currency: 'USD', actor: 'bench', idempotencyKey: `prefund-${k}` });
            if (!result.ok) throw new Error(`prefund failed: ${JSON.stringify(result.error)}`);
          }
        }),
      );
    },
    ingest: (records: UsageRecord[]): Promise<UsageBatchOutcome> => ledger.ingestUsage(records),
    async close() {
      await ledger.idle();
      await store.close();
    },
  };
}
