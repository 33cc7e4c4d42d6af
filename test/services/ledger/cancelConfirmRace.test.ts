import { describe, expect, it } from 'vitest';
import type { SandboxGateway } from '../../../services/payments/sandboxGateway.js';
import type { PaymentGateway } from '../../../services/ports.js';
import { ledgerFixture, sandboxCharges } from '../../support/ledgerFixture.js';

const ADMIN = 'aad-admin';

/** A gateway that holds every charge until `release()`, so a Cancel can arrive mid-charge. */
function heldGateway() {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let reached!: () => void;
  const charging = new Promise<void>((resolve) => (reached = resolve));
  const wrap = (sandbox: SandboxGateway): PaymentGateway => ({
    cardOnFile: (tenantId) => sandbox.cardOnFile(tenantId),
    settledCharges: (since) => sandbox.settledCharges(since),
    async charge(request) {
      reached();
      await held;
      return sandbox.charge(request);
    },
  });
  return { wrap, charging, release };
}

describe('Cancel racing Confirm', () => {
  it('a Cancel while Confirm is charging says the payment is under way, never that nothing was charged', async () => {
    const hold = heldGateway();
    const f = ledgerFixture({}, { wrapGateway: hold.wrap });
    await f.ledger.offerPurchase('t1', { offerId: 'offer-1', amount: '50', offeredTo: ADMIN });
    const confirm = f.ledger.confirmPurchase('t1', 'offer-1', ADMIN);
    await hold.charging;
    expect(await f.ledger.cancelPurchase('t1', 'offer-1', ADMIN)).toEqual({ ok: true, value: { kind: 'charging', amountMinor: 5000, currency: 'USD' } });
    hold.release();
    expect(await confirm).toMatchObject({ ok: true, value: { amountMinor: 5000, replayed: false } });
    // Once done, a late Cancel shows the funds.
    expect(await f.ledger.cancelPurchase('t1', 'offer-1', ADMIN)).toMatchObject({ ok: true, value: { kind: 'added', funds: { amountMinor: 5000 } } });
    expect(f.store.entries.get('t1')!.map((e) => e.kind)).toEqual(['account-opened', 'purchase-offered', 'purchase-charging', 'funds-added']);
    expect((await f.ledger.account('t1'))!.balanceMinor).toBe(5000);
  });

  it('a Confirm that claimed the offer is charging: a second Confirm meanwhile charges once and credits once', async () => {
    const hold = heldGateway();
    const f = ledgerFixture({}, { wrapGateway: hold.wrap });
    await f.ledger.offerPurchase('t1', { offerId: 'offer-1', amount: '50', offeredTo: ADMIN });
    const first = f.ledger.confirmPurchase('t1', 'offer-1', ADMIN);
    await hold.charging;
    const second = f.ledger.confirmPurchase('t1', 'offer-1', ADMIN);
    hold.release();
    const results = await Promise.all([first, second]);
    expect(results.every((r) => r.ok && r.value.amountMinor === 5000)).toBe(true);
    expect(sandboxCharges(f.gateway)).toHaveLength(1);
    expect(f.store.entries.get('t1')!.filter((e) => e.kind === 'funds-added')).toHaveLength(1);
  });

  it('Cancel and Confirm sent together agree, whichever the ledger takes first', async () => {
    for (const cancelFirst of [true, false]) {
      const f = ledgerFixture();
      await f.ledger.offerPurchase('t1', { offerId: 'offer-1', amount: '50', offeredTo: ADMIN });
      const cancel = () => f.ledger.cancelPurchase('t1', 'offer-1', ADMIN);
      const confirm = () => f.ledger.confirmPurchase('t1', 'offer-1', ADMIN);
      const [a, b] = cancelFirst ? await Promise.all([cancel(), confirm()]) : await Promise.all([confirm(), cancel()]).then(([c, d]) => [d, c] as const);
      const cancelled = a.ok && a.value.kind === 'cancelled';
      const charged = sandboxCharges(f.gateway).length;
      expect(cancelled, `cancel first: ${cancelFirst}`).toBe(cancelFirst);
      expect(charged).toBe(cancelled ? 0 : 1);
      if (cancelled) expect(b).toEqual({ ok: false, error: { code: 'offer-invalid', reason: 'cancelled' } });
      else expect(a).toMatchObject({ ok: true, value: { kind: expect.stringMatching(/^(charging|added)$/) } });
      expect((await f.ledger.account('t1'))!.balanceMinor).toBe(charged * 5000);
    }
  });
});
