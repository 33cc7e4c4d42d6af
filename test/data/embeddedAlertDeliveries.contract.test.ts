import path from 'node:path';
import { EmbeddedAlertDeliveries, type DeliveryLogData } from '../../data/embeddedAlertDeliveries.js';
import { openJsonDocument } from '../../data/jsonDocument.js';
import { openLowdbLedgerStore } from '../../data/lowdbLedgerStore.js';
import { systemClock } from '../../services/ports.js';
import { describeAlertDeliveriesContract } from './alertDeliveriesContract.js';

// One process owns the folder: a second instance on it is refused by the folder lock.
describeAlertDeliveriesContract(
  'embedded',
  async (dir, leaseMs) => {
    const store = await openLowdbLedgerStore({ dir, checkpointIntervalMs: 600_000 });
    const document = await openJsonDocument<DeliveryLogData>(path.join(dir, 'alert-deliveries.json'), {});
    return { store, deliveries: new EmbeddedAlertDeliveries(store, document, systemClock, leaseMs), close: () => store.close() };
  },
  { severalInstances: false },
);
