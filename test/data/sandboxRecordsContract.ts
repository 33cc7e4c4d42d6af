import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxRecords, StoredCharge } from '../../services/payments/sandboxGateway.js';
import type { StorePlaces } from './storePlaces.js';

const charge = (over: Partial<StoredCharge> = {}): StoredCharge => ({
  tenantId: 't1',
  idempotencyKey: 'purchase:offer-1',
  amountMinor: 5_000,
  currency: 'USD',
  purpose: 'funds',
  actor: 'aad-admin',
  outcome: { ok: true, chargeId: 'ch_1' },
  at: '2026-03-01T10:00:00.000Z',
  ...over,
});

/** The behaviour every SandboxRecords must have, for each implementation. */
export function describeSandboxRecordsContract(name: string, places: StorePlaces<SandboxRecords>): void {
  describe(`SandboxRecords contract: ${name}`, () => {
    let place: string;
    beforeEach(async () => {
      place = await places.create();
    });
    afterEach(() => places.remove(place));

    it("keeps each tenant's chosen card across reopening; a tenant that never chose has none", async () => {
      const records = await places.open(place);
      expect(await records.chosenCard('t1')).toBeUndefined();
      await records.chooseCard('t1', 'mastercard-decline');
      await records.chooseCard('t1', 'visa-success');
      await records.chooseCard('t2', 'visa-expired');
      const reopened = await places.open(place);
      expect(await reopened.chosenCard('t1')).toBe('visa-success');
      expect(await reopened.chosenCard('t2')).toBe('visa-expired');
      expect(await reopened.chosenCard('t3')).toBeUndefined();
    });

    it('keeps the first charge of a key, even when two are recorded at once, and answers it for that tenant only', async () => {
      const records = await places.open(place);
      const first = charge();
      const second = charge({ amountMinor: 9_999, outcome: { ok: false, reason: 'declined', message: 'no' } });
      const [a, b] = await Promise.all([records.recordCharge(first), records.recordCharge(second)]);
      expect(b).toEqual(a);
      expect([first, second]).toContainEqual(a);
      expect(await (await places.open(place)).charge('t1', 'purchase:offer-1')).toEqual(a);
      expect(await records.charge('t2', 'purchase:offer-1')).toBeUndefined();
      expect(await records.recordCharge(charge({ tenantId: 't2', amountMinor: 700 }))).toMatchObject({ tenantId: 't2', amountMinor: 700 });
    });

    it('keeps keys PostgreSQL text cannot hold apart, and lists the charges since a time', async () => {
      const records = await places.open(place);
      await records.recordCharge(charge({ idempotencyKey: 'k\u0000a', at: '2026-03-01T00:00:00.000Z' }));
      await records.recordCharge(charge({ idempotencyKey: 'k\u0000b', amountMinor: 6_000, at: '2026-03-02T00:00:00.000Z' }));
      await records.recordCharge(
        charge({ tenantId: 't2', idempotencyKey: 'k', outcome: { ok: false, reason: 'declined', message: 'no' }, at: '2026-03-03T00:00:00.000Z' }),
      );
      expect((await records.charge('t1', 'k\u0000b'))?.amountMinor).toBe(6_000);
      const since = await (await places.open(place)).chargesSince(Date.parse('2026-03-02T00:00:00.000Z'));
      expect(since.map((c) => [c.tenantId, c.idempotencyKey]).sort()).toEqual([
        ['t1', 'k\u0000b'],
        ['t2', 'k'],
      ]);
    });
  });
}
