import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UsageSyncRecords } from '../../services/usageSyncState.js';
import type { StorePlaces } from './storePlaces.js';

/** The behaviour every UsageSyncRecords must have, for each implementation. */
export function describeUsageSyncRecordsContract(name: string, places: StorePlaces<UsageSyncRecords>): void {
  describe(`UsageSyncRecords contract: ${name}`, () => {
    let place: string;
    beforeEach(async () => {
      place = await places.create();
    });
    afterEach(() => places.remove(place));

    it('sets only the fields given, per tenant, durably', async () => {
      const records = await places.open(place);
      expect(await records.status('t1')).toEqual({ syncedThrough: null, lastSyncAt: null, lastAttemptAt: null, problem: null });
      await records.record('t1', { lastAttemptAt: '2026-03-01T10:00:00.000Z' });
      await records.record('t1', { problem: { kind: 'unavailable', message: 'Graph answered 503', at: '2026-03-01T10:00:05.000Z' } });
      await records.record('t2', { syncedThrough: '2026-03-01T09:00:00.000Z' });
      const reopened = await places.open(place);
      expect(await reopened.status('t1')).toEqual({
        syncedThrough: null,
        lastSyncAt: null,
        lastAttemptAt: '2026-03-01T10:00:00.000Z',
        problem: { kind: 'unavailable', message: 'Graph answered 503', at: '2026-03-01T10:00:05.000Z' },
      });
      await reopened.record('t1', { syncedThrough: '2026-03-01T10:00:00.000Z', lastSyncAt: '2026-03-01T10:01:00.000Z', problem: null });
      expect(await reopened.status('t1')).toEqual({
        syncedThrough: '2026-03-01T10:00:00.000Z',
        lastSyncAt: '2026-03-01T10:01:00.000Z',
        lastAttemptAt: '2026-03-01T10:00:00.000Z',
        problem: null,
      });
      expect((await (await places.open(place)).all()).sort((a, b) => a.tenantId.localeCompare(b.tenantId))).toEqual([
        {
          tenantId: 't1',
          syncedThrough: '2026-03-01T10:00:00.000Z',
          lastSyncAt: '2026-03-01T10:01:00.000Z',
          lastAttemptAt: '2026-03-01T10:00:00.000Z',
          problem: null,
        },
        { tenantId: 't2', syncedThrough: '2026-03-01T09:00:00.000Z', lastSyncAt: null, lastAttemptAt: null, problem: null },
      ]);
    });

    it('loses no field when two are set at once', async () => {
      const records = await places.open(place);
      await Promise.all([
        records.record('t1', { lastAttemptAt: '2026-03-01T10:00:00.000Z' }),
        records.record('t1', { syncedThrough: '2026-03-01T09:00:00.000Z' }),
        records.record('t1', { lastSyncAt: '2026-03-01T10:02:00.000Z' }),
      ]);
      expect(await (await places.open(place)).status('t1')).toMatchObject({
        lastAttemptAt: '2026-03-01T10:00:00.000Z',
        syncedThrough: '2026-03-01T09:00:00.000Z',
        lastSyncAt: '2026-03-01T10:02:00.000Z',
      });
    });
  });
}
