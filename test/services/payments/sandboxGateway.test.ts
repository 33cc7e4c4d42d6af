import { describe, expect, it } from 'vitest';
import { emptySandboxState, JsonSandboxRecords, type SandboxState } from '../../../data/jsonSandboxRecords.js';
import { SandboxGateway } from '../../../services/payments/sandboxGateway.js';
import type { ChargeRequest } from '../../../services/ports.js';
import { memoryDocument } from '../../support/memoryDocument.js';
import { TestClock } from '../../support/memoryLedgerStore.js';

const request = (over: Partial<ChargeRequest> = {}): ChargeRequest => ({
  tenantId: 't1',
  idempotencyKey: 'purchase:offer-1',
  amountMinor: 5000,
  currency: 'USD',
  purpose: 'funds',
  actor: 'aad-admin',
  ...over,
});

function sandbox(state: SandboxState = emptySandboxState()) {
  const document = memoryDocument(state);
  return { gateway: new SandboxGateway(new JsonSandboxRecords(document), new TestClock(), { cardForNewTenants: 'visa-success' }), document };
}

describe('sandbox gateway: one key, one charge, one set of parameters', () => {
  it('a success states what was charged: amount and currency', async () => {
    const { gateway } = sandbox();
    expect(await gateway.charge(request())).toEqual({ ok: true, chargeId: expect.stringMatching(/^ch_[0-9a-f]{24}$/), amountMinor: 5000, currency: 'USD' });
  });

  it('the same key with the same parameters answers the first outcome and charges once', async () => {
    const { gateway, document } = sandbox();
    const first = await gateway.charge(request());
    expect(await gateway.charge(request({ actor: 'someone-else' }))).toEqual(first);
    expect(Object.keys(document.data.charges)).toHaveLength(1);
  });

  it.each([
    ['another amount', { amountMinor: 1_000_000 }],
    ['another currency', { currency: 'EUR' }],
    ['another purpose', { purpose: 'auto-recharge' as const }],
  ])('the same key with %s is refused, not replayed, and charges nothing', async (_name, other) => {
    const { gateway, document } = sandbox();
    await gateway.charge(request());
    const refused = await gateway.charge(request(other));
    expect(refused).toMatchObject({ ok: false, reason: 'key-reused', first: { amountMinor: 5000, currency: 'USD', purpose: 'funds' } });
    expect(Object.values(document.data.charges)).toEqual([expect.objectContaining({ amountMinor: 5000, currency: 'USD', purpose: 'funds' })]);
    expect(await gateway.settledCharges(0)).toEqual([expect.objectContaining({ amountMinor: 5000 })]);
  });

  it('a declined key reused with other parameters is refused too', async () => {
    const { gateway } = sandbox();
    await gateway.chooseTestCard('t1', 'mastercard-decline');
    expect(await gateway.charge(request())).toMatchObject({ ok: false, reason: 'declined' });
    await gateway.chooseTestCard('t1', 'visa-success');
    expect(await gateway.charge(request())).toMatchObject({ ok: false, reason: 'declined' });
    expect(await gateway.charge(request({ amountMinor: 10 }))).toMatchObject({ ok: false, reason: 'key-reused' });
  });

  it('concurrent requests for one key with different amounts: one is charged, the others refused', async () => {
    const { gateway } = sandbox();
    const amounts = [1000, 1_000_000, 2500, 1000, 7700];
    const outcomes = await Promise.all(amounts.map((amountMinor) => gateway.charge(request({ amountMinor }))));
    const charged = await gateway.settledCharges(0);
    expect(charged).toHaveLength(1);
    outcomes.forEach((outcome, i) => {
      if (amounts[i] === charged[0]!.amountMinor) expect(outcome).toMatchObject({ ok: true, amountMinor: charged[0]!.amountMinor });
      else expect(outcome).toMatchObject({ ok: false, reason: 'key-reused' });
    });
  });

  it('keys of different tenants never meet', async () => {
    const { gateway } = sandbox();
    await gateway.charge(request());
    expect(await gateway.charge(request({ tenantId: 't2', amountMinor: 99 }))).toMatchObject({ ok: true, amountMinor: 99 });
  });

  it('answers charges recorded before outcomes carried amounts with the recorded amount', async () => {
    const { gateway } = sandbox({
      cards: {},
      charges: {
        't1\u0000op-old': {
          ...request({ idempotencyKey: 'op-old', amountMinor: 4000 }),
          outcome: { ok: true, chargeId: 'ch_t1\u0000op-old' },
          at: '2026-01-15T11:00:00.000Z',
        },
      },
    });
    expect(await gateway.charge(request({ idempotencyKey: 'op-old', amountMinor: 4000 }))).toEqual({
      ok: true,
      chargeId: 'ch_t1\u0000op-old',
      amountMinor: 4000,
      currency: 'USD',
    });
    expect(await gateway.charge(request({ idempotencyKey: 'op-old', amountMinor: 1_000_000 }))).toMatchObject({ ok: false, reason: 'key-reused' });
  });
});

describe('sandbox gateway: a new tenant', () => {
  it('has no card on file until an admin chooses one, and a charge then finds none', async () => {
    const gateway = new SandboxGateway(new JsonSandboxRecords(memoryDocument(emptySandboxState())), new TestClock());
    expect(await gateway.cardOnFile('t-new')).toBeNull();
    expect(await gateway.charge(request({ tenantId: 't-new' }))).toMatchObject({ ok: false, reason: 'no-payment-method' });
    await gateway.chooseTestCard('t-new', 'visa-success');
    expect(await gateway.cardOnFile('t-new')).toMatchObject({ brand: 'Visa', last4: '4242' });
  });
});
