import { openLowdbLedgerStore } from '../../data/lowdbLedgerStore.js';
import { describeLedgerStoreContract } from './ledgerStoreContract.js';

// A long interval keeps checkpoints where the suite puts them (settle, close).
describeLedgerStoreContract('lowdb', (dir) => openLowdbLedgerStore({ dir, checkpointIntervalMs: 600_000 }), {
  settle: (store) => store.checkpoint(),
});
