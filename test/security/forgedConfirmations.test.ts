import { describe, expect, it } from 'vitest';
import { Verb } from '../../cards/index.js';
import { zhCN } from '../../cards/i18n/index.js';
import { cardText } from '../cards/validateCard.js';
import { buttons, startBot, useBotUnderTest, type Member } from '../e2e/support/botHarness.js';
import { startFakeConnector, waitFor } from '../e2e/support/fakeConnector.js';

/**
 * Threat: a tenant admin (or anyone who can press or forge a card button) getting credit without
 * paying, or paying other than what the card showed. Confirmation cards, their data, and the
 * operator's grant keys, attacked over real HTTP against the started app (SPEC §1.8).
 */

const ALEX: Member = { id: '29:alex', aadObjectId: 'aad-alex', name: 'Alex Wilber' };
const MEGAN: Member = { id: '29:megan', aadObjectId: 'aad-megan', name: 'Megan Bowen' };
const WEI: Member = { id: '29:wei', aadObjectId: 'aad-wei', name: '王伟', locale: 'zh-CN' };
const OLGA: Member = { id: '29:olga', aadObjectId: 'aad-olga', name: 'Olga' };
const INVALID = 'This card is no longer valid';

describe('forged and tampered confirmations', () => {
  const harness = useBotUnderTest();
  let tenantSeq = 0;
  /** A fresh tenant per test, so each one's money is its own. */
  const freshTenant = () => `contoso-sec-${++tenantSeq}`;

  const balanceMinor = async (tenantId: string) => (await harness.bot.account(tenantId)).balanceMinor as number;
  const charges = async (tenantId: string) => (await harness.bot.app.gateway.settledCharges(0)).filter((c) => c.tenantId === tenantId);
  const fundsAdded = async (tenantId: string) => (await harness.bot.journal(tenantId)).filter((e) => e.kind === 'funds-added');
  /** A confirmation card for `amount` shown to `member`, and its buttons' data. */
  async function confirmation(tenantId: string, member: Member, amount: string) {
    const shown = await harness.bot.teams(tenantId, member).say(`add ${amount}`);
    const confirm = buttons(shown.card)[Verb.fundsConfirm]!;
    const cancel = buttons(shown.card)[Verb.fundsCancel]!;
    expect(Object.keys(confirm).sort()).toEqual(['operationId', 'verb']);
    return { id: shown.id, confirm, cancel, operationId: confirm.operationId as string };
  }
  /** Presses a button with `data` and returns the card the bot answered with. */
  async function press(tenantId: string, member: Member, data: Record<string, unknown>, replyToId?: string) {
    const response = await harness.bot.teams(tenantId, member).execute(data, replyToId);
    expect(response.status).toBe(200);
    return cardText(response.body.value);
  }

  it('an operation id the server never issued moves nothing and says the card is no longer valid', async () => {
    const tenant = freshTenant();
    await harness.bot.teams(tenant, ALEX).say('balance');
    for (const operationId of ['3f2a8c1e-5b7d-4e9a-9c1f-2d4e6a8b0c1d', 'op-1', 'purchase:op-1', 'grant:seed', 'legacy:x']) {
      const text = await press(tenant, ALEX, { verb: Verb.fundsConfirm, operationId, amount: '10000.00', currency: 'USD' });
      expect(text, operationId).toContain(INVALID);
      expect(text).toContain('nothing was charged');
    }
    // Submit (the fallback) reaches the same rule.
    const submitted = await harness.bot
      .teams(tenant, ALEX)
      .post({ type: 'message', value: { verb: Verb.fundsConfirm, operationId: 'op-2', amount: '10000.00', currency: 'USD' } });
    expect(submitted.status).toBe(200);
    expect(await balanceMinor(tenant)).toBe(0);
    expect(await charges(tenant)).toEqual([]);
  });

  it('auto-recharge ids (recharge:…, auto-recharge-N, recharge-N) cannot be confirmed, before or after the recharge', async () => {
    const tenant = freshTenant();
    const alex = harness.bot.teams(tenant, ALEX);
    const forged = ['recharge:recharge-1', 'auto-recharge-1', 'recharge-1', 'recharge:recharge-2', 'auto-recharge-2'];
    await alex.say('balance');
    // Before: an id the next recharge will use cannot pre-empt it with a small amount.
    for (const operationId of forged)
      expect(await press(tenant, ALEX, { verb: Verb.fundsConfirm, operationId, amount: '10.00', currency: 'USD' })).toContain(INVALID);
    await alex.say('auto-recharge below 30 add 100');
    await waitFor('the first recharge', async () => (await balanceMinor(tenant)) === 10_000);
    // After: replaying the recharge's ids for ten thousand gets nothing.
    for (const operationId of forged)
      expect(await press(tenant, ALEX, { verb: Verb.fundsConfirm, operationId, amount: '10000.00', currency: 'USD' })).toContain(INVALID);
    expect(await balanceMinor(tenant)).toBe(10_000);
    expect((await charges(tenant)).map((c) => [c.idempotencyKey, c.amountMinor])).toEqual([['recharge:recharge-1', 10_000]]);
    expect((await fundsAdded(tenant)).map((e) => e.amountMinor)).toEqual([10_000]);
  });

  it("another tenant's offer cannot be confirmed or cancelled here, and stays usable there", async () => {
    const contoso = freshTenant();
    const fabrikam = freshTenant();
    await harness.bot.teams(contoso, ALEX).say('balance');
    const olgas = await confirmation(fabrikam, OLGA, '50');
    expect(await press(contoso, ALEX, olgas.confirm)).toContain(INVALID);
    expect(await press(contoso, ALEX, olgas.cancel)).toContain(INVALID);
    expect(await balanceMinor(contoso)).toBe(0);
    expect(await balanceMinor(fabrikam)).toBe(0);
    expect(await charges(contoso)).toEqual([]);
    expect(await charges(fabrikam)).toEqual([]);
    expect(await press(fabrikam, OLGA, olgas.confirm, olgas.id)).toContain('Funds added');
    expect(await balanceMinor(fabrikam)).toBe(5000);
  });

  it('an offer shown to another admin cannot be confirmed or cancelled by someone else', async () => {
    const tenant = freshTenant();
    const alexs = await confirmation(tenant, ALEX, '50');
    const text = await press(tenant, MEGAN, alexs.confirm, alexs.id);
    expect(text).toContain(INVALID);
    expect(text).toContain('prepared for someone else');
    expect(await press(tenant, MEGAN, alexs.cancel, alexs.id)).toContain(INVALID);
    expect(await balanceMinor(tenant)).toBe(0);
    expect(await charges(tenant)).toEqual([]);
  });

  it('an expired offer moves nothing', async () => {
    const tenant = freshTenant();
    const card = await confirmation(tenant, ALEX, '50');
    harness.bot.clock.advance(24 * 3_600_000 + 1);
    const text = await press(tenant, ALEX, card.confirm, card.id);
    expect(text).toContain(INVALID);
    expect(text).toContain('expired');
    expect(await balanceMinor(tenant)).toBe(0);
    expect(await charges(tenant)).toEqual([]);
  });

  it('a cancelled offer can never be confirmed, in either language', async () => {
    const tenant = freshTenant();
    const card = await confirmation(tenant, ALEX, '50');
    expect(await press(tenant, ALEX, card.cancel, card.id)).toContain('Cancelled');
    const text = await press(tenant, ALEX, card.confirm, card.id);
    expect(text).toContain(INVALID);
    expect(text).toContain('cancelled');
    const weis = await confirmation(tenant, WEI, '60');
    await press(tenant, WEI, weis.cancel, weis.id);
    const zh = await press(tenant, WEI, weis.confirm, weis.id);
    expect(zh).toContain(zhCN.errors.offerInvalidTitle);
    expect(zh).toContain(zhCN.errors.offerInvalid.cancelled);
    expect(await balanceMinor(tenant)).toBe(0);
    expect(await charges(tenant)).toEqual([]);
  });

  it('an edited amount or currency on a real offer charges and credits what the card showed', async () => {
    const tenant = freshTenant();
    const card = await confirmation(tenant, ALEX, '50');
    const text = await press(tenant, ALEX, { ...card.confirm, amount: '10000.00', currency: 'EUR' }, card.id);
    expect(text).toContain('Funds added');
    expect(text).toContain('$50.00');
    expect(await balanceMinor(tenant)).toBe(5000);
    expect((await charges(tenant)).map((c) => [c.amountMinor, c.currency])).toEqual([[5000, 'USD']]);
  });

  it('two concurrent confirms of one offer charge once and credit once', async () => {
    const tenant = freshTenant();
    const card = await confirmation(tenant, ALEX, '40');
    const [first, second, submitted] = await Promise.all([
      press(tenant, ALEX, card.confirm, card.id),
      press(tenant, ALEX, { ...card.confirm, amount: '10000.00' }, card.id),
      harness.bot.teams(tenant, ALEX).submit(card.confirm, card.id),
    ]);
    expect(first).toContain('Funds added');
    expect(second).toContain('Funds added');
    expect(submitted.status).toBe(200);
    expect(await balanceMinor(tenant)).toBe(4000);
    expect(await charges(tenant)).toHaveLength(1);
    expect(await fundsAdded(tenant)).toHaveLength(1);
  });

  it('a Cancel after Confirm shows the receipt, never a cancellation', async () => {
    const tenant = freshTenant();
    const card = await confirmation(tenant, ALEX, '30');
    await press(tenant, ALEX, card.confirm, card.id);
    const text = await press(tenant, ALEX, card.cancel, card.id);
    expect(text).toContain('Funds added');
    expect(text).not.toMatch(/Cancelled|No funds were added/);
    expect(await balanceMinor(tenant)).toBe(3000);
  });
});

describe('operator grant keys', () => {
  const harness = useBotUnderTest();
  const grant = (tenantId: string, idempotencyKey: string, amount: string, currency = 'USD') =>
    harness.bot.operator('POST', `/api/tenants/${tenantId}/funds`, { amount, currency, idempotencyKey, note: 'goodwill' });

  it("a reused key with other parameters is 409 with a clear error (Stripe's rule); the same parameters replay", async () => {
    const tenant = 'grant-reuse';
    expect(await grant(tenant, 'refund-2026-12-03', '25.00')).toMatchObject({ status: 200, body: { replayed: false, amountMinor: 2500 } });
    expect(await grant(tenant, 'refund-2026-12-03', '25')).toMatchObject({ status: 200, body: { replayed: true, amountMinor: 2500 } });
    for (const [amount, currency] of [
      ['30.00', 'USD'],
      ['25.00', 'EUR'],
    ] as const) {
      const reused = await grant(tenant, 'refund-2026-12-03', amount, currency);
      expect(reused.status, `${amount} ${currency}`).toBe(409);
      expect(reused.body).toEqual({
        error: 'key-reused-with-different-parameters',
        message: expect.stringMatching(/already used with other parameters \(25\.00 USD\).*new key/),
        reference: expect.any(String),
      });
    }
    expect((await harness.bot.account(tenant)).balanceMinor).toBe(2500);
  });

  it("an admin's card can never pre-empt an operator grant key, and a grant never pre-empts a card", async () => {
    const tenant = 'grant-collide';
    const alex = harness.bot.teams(tenant, ALEX);
    // The admin forges a Confirm with the key the operator will use: nothing happens.
    const forged = await alex.execute({ verb: Verb.fundsConfirm, operationId: 'refund-2026-12-03', amount: '10.00', currency: 'USD' });
    expect(cardText(forged.body.value)).toContain(INVALID);
    expect(await grant(tenant, 'refund-2026-12-03', '25.00')).toMatchObject({ status: 200, body: { replayed: false } });

    // The operator uses a real card's operation id (shown on the card) as a grant key: both apply.
    const shown = await alex.say('add 50');
    const confirm = buttons(shown.card)[Verb.fundsConfirm]!;
    expect(await grant(tenant, confirm.operationId as string, '40.00')).toMatchObject({ status: 200, body: { replayed: false } });
    expect(cardText((await alex.execute(confirm, shown.id)).body.value)).toContain('Funds added');
    expect((await harness.bot.account(tenant)).balanceMinor).toBe(2500 + 4000 + 5000);
    const keys = (await harness.bot.journal(tenant))
      .filter((e) => e.kind === 'funds-added')
      .map((e) => (e as unknown as { idempotencyKey: string }).idempotencyKey);
    expect(keys).toEqual(['grant:refund-2026-12-03', `grant:${confirm.operationId}`, `purchase:${confirm.operationId}`]);
  });
});

describe('offers across a restart', () => {
  it('are recovered from the journal: an open one can still be confirmed once, a cancelled one never', async () => {
    const connector = await startFakeConnector();
    let bot = await startBot(connector);
    try {
      const tenant = 'restart-offers';
      const open = await bot.teams(tenant, ALEX).say('add 50');
      const cancelled = await bot.teams(tenant, ALEX).say('add 70');
      await bot.teams(tenant, ALEX).execute(buttons(cancelled.card)[Verb.fundsCancel]!, cancelled.id);
      const { dataDir, clock } = bot;
      await bot.stop({ keepData: true });
      bot = await startBot(connector, {}, { dataDir, clock });

      const confirmed = await bot.teams(tenant, ALEX).execute(buttons(open.card)[Verb.fundsConfirm]!, open.id);
      expect(cardText(confirmed.body.value)).toContain('Funds added');
      const again = await bot.teams(tenant, ALEX).execute(buttons(open.card)[Verb.fundsConfirm]!, open.id);
      expect(cardText(again.body.value)).toContain('already added');
      const stale = await bot
        .teams(tenant, ALEX)
        .execute({ verb: Verb.fundsConfirm, operationId: buttons(cancelled.card)[Verb.fundsCancel]!.operationId }, cancelled.id);
      expect(cardText(stale.body.value)).toContain(INVALID);
      expect((await bot.account(tenant)).balanceMinor).toBe(5000);
      expect(await bot.app.gateway.settledCharges(0)).toHaveLength(1);
    } finally {
      await bot.stop();
      await connector.close();
    }
  });
});
