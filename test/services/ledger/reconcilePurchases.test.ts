import { describe, expect, it } from 'vitest';
import { RECOVERED_NOTE } from '../../../services/ledgerService.js';
import type { SandboxGateway } from '../../../services/payments/sandboxGateway.js';
import type { PaymentGateway } from '../../../services/ports.js';
import { ledgerFixture, sandboxCharges } from '../../support/ledgerFixture.js';

const ADMIN = 'aad-admin';

/** A gateway whose next charge goes through and then the process "dies" before the ledger hears of it. */
function dyingAfterCharge(sandbox: SandboxGateway): PaymentGateway & { die: boolean } {
  const gateway = {
    die: true,
    cardOnFile: (tenantId: string) => sandbox.cardOnFile(tenantId),
    settledCharges: (since: number) => sandbox.settledCharges(since),
    async charge(request: Parameters<PaymentGateway['charge']>[0]) {
      const outcome = await sandbox.charge(request);
      if (gateway.die) throw new Error('process killed after the charge');
      return outcome;
    },
  };
  return gateway;
}

describe('purchases charged before a crash', () => {
  it('are added once at restart, exactly as charged, with the admin as actor; Confirm again shows the receipt', async () => {
    let gateway!: ReturnType<typeof dyingAfterCharge>;
    const f = ledgerFixture({}, { wrapGateway: (sandbox) => (gateway = dyingAfterCharge(sandbox)) });
    await f.ledger.offerPurchase('t1', { offerId: 'offer-lost', amount: '40', offeredTo: ADMIN });
    await expect(f.ledger.confirmPurchase('t1', 'offer-lost', ADMIN)).rejects.toThrow('killed');
    gateway.die = false;
    // Declined charges and recharge attempts are not purchases to recover.
    await f.gateway.chooseTestCard('t2', 'mastercard-decline');
    await f.gateway.charge({ tenantId: 't2', idempotencyKey: 'purchase:declined', amountMinor: 4000, currency: 'USD', purpose: 'funds', actor: ADMIN });
    await f.gateway.charge({
      tenantId: 't3',
      idempotencyKey: 'recharge:recharge-1',
      amountMinor: 4000,
      currency: 'USD',
      purpose: 'auto-recharge',
      actor: 'system',
    });

    expect(await f.ledger.reconcilePurchases()).toBe(1);
    expect(await f.ledger.reconcilePurchases()).toBe(0);
    const added = f.store.entries.get('t1')!.filter((e) => e.kind === 'funds-added');
    expect(added).toEqual([
      expect.objectContaining({
        idempotencyKey: 'purchase:offer-lost',
        amountMinor: 4000,
        actor: ADMIN,
        detail: expect.objectContaining({ note: RECOVERED_NOTE }),
      }),
    ]);
    expect((await f.ledger.account('t1'))!.offers).toEqual({});
    expect(await f.ledger.account('t2')).toBeUndefined();
    expect(await f.ledger.account('t3')).toBeUndefined();
    expect(await f.ledger.confirmPurchase('t1', 'offer-lost', ADMIN)).toMatchObject({ ok: true, value: { replayed: true, amountMinor: 4000 } });
    expect(await f.ledger.cancelPurchase('t1', 'offer-lost', ADMIN)).toMatchObject({ ok: true, value: { kind: 'added' } });
    expect(sandboxCharges(f.gateway).filter((c) => c.tenantId === 't1')).toHaveLength(1);
  });

  it('a Confirm pressed again after the crash finds the charge and adds it once', async () => {
    let gateway!: ReturnType<typeof dyingAfterCharge>;
    const f = ledgerFixture({}, { wrapGateway: (sandbox) => (gateway = dyingAfterCharge(sandbox)) });
    await f.ledger.offerPurchase('t1', { offerId: 'offer-1', amount: '40', offeredTo: ADMIN });
    await expect(f.ledger.confirmPurchase('t1', 'offer-1', ADMIN)).rejects.toThrow('killed');
    gateway.die = false;
    // The offer is being charged: Cancel cannot claim nothing was charged.
    expect(await f.ledger.cancelPurchase('t1', 'offer-1', ADMIN)).toMatchObject({ ok: true, value: { kind: 'charging' } });
    expect(await f.ledger.confirmPurchase('t1', 'offer-1', ADMIN)).toMatchObject({ ok: true, value: { replayed: false, amountMinor: 4000 } });
    expect(await f.ledger.reconcilePurchases()).toBe(0);
    expect(sandboxCharges(f.gateway)).toHaveLength(1);
    expect((await f.ledger.account('t1'))!.balanceMinor).toBe(4000);
  });
});
