import { EmbeddedAlertDeliveries, type DeliveryLogData } from '../../data/embeddedAlertDeliveries.js';
import type { DeliveryRecord } from '../../services/alertDeliveries.js';
import { systemClock } from '../../services/ports.js';
import { memoryDocument } from './memoryDocument.js';

/** Who got which alert, in memory, for tests of the sinks (the embedded store's record on a memory document). */
export function memoryDeliveryRecord(): DeliveryRecord {
  const noOutbox = { pendingAlerts: async () => [], acknowledgeAlert: async () => undefined };
  return new EmbeddedAlertDeliveries(noOutbox, memoryDocument<DeliveryLogData>({}), systemClock, 30_000);
}
