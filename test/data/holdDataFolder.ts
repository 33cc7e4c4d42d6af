// Opens the ledger in the folder given as argument and keeps it open until killed.
import { openLowdbLedgerStore } from '../../data/lowdbLedgerStore.js';

const store = await openLowdbLedgerStore({ dir: process.argv[2]! });
await store.change('held', () => ({ result: null }));
process.stdout.write('holding\n');
setInterval(() => undefined, 60_000);
