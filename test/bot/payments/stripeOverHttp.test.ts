import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardText, expectValidCard } from '../../cards/validateCard.js';
import { buttons, OPERATOR_KEY, startBot, type BotUnderTest, type Member } from '../../e2e/support/botHarness.js';
import { rawRequest } from '../../security/support/rawRequest.js';
import { ApiContract } from '../operatorApi/apiContract.js';
import { startFakeConnector, waitFor, type FakeConnector } from '../../e2e/support/fakeConnector.js';
import { TestClock } from '../../support/memoryLedgerStore.js';
import { startStripeDouble, type CardBehaviour, type StripeDouble } from './stripeDouble.js';

const ADMIN: Member = { id: '29:ana', aadObjectId: 'aad-ana', name: 'Ana' };
const WEI: Member = { id: '29:wei', aadObjectId: 'aad-wei', name: '王伟', locale: 'zh-CN' };

/**
 * The bot with PAYMENT_GATEWAY=stripe against a local Stripe double, driven over real HTTP: Teams
 * activities into /api/messages, Stripe's signed events into /api/stripe/webhook, refunds through
 * the operator API. The real `stripe` library talks to the double.
 */
describe('the Stripe gateway over HTTP', () => {
  let connector: FakeConnector;
  let stripe: StripeDouble;
  let bot: BotUnderTest;
  const clock = new TestClock(Date.now());

  beforeAll(async () => {
    connector = await startFakeConnector();
    stripe = await startStripeDouble({ now: () => clock.now() });
    bot = await startBot(connector, stripe.env, { clock, cardForNewTenants: null });
    // The first activity loads botbuilder and the amount recognizers (seconds on a busy machine): here, not in a test.
    await bot.teams('stripe-warm-up', ADMIN).say('help');
  });
  afterAll(async () => {
    await bot?.stop();
    await stripe?.close();
    await connector?.close();
  });

  /** A person's Teams client: say something and get the card back; press a button and get the card that replaces it. */
  function client(tenantId: string, member: Member) {
    const teams = bot.teams(tenantId, member);
    return {
      async say(text: string) {
        const card = (await teams.say(text)).card;
        expectValidCard(card, text);
        return { card, text: cardText(card) };
      },
      async press(data: Record<string, unknown>) {
        const response = await teams.execute(data);
        expect(response.status).toBe(200);
        const card = response.body.value;
        expectValidCard(card, String(data.verb));
        return { card, text: cardText(card) };
      },
    };
  }

  /** The OpenUrl buttons of a card, by title. */
  const links = (card: unknown): Record<string, string> => {
    const out: Record<string, string> = {};
    JSON.stringify(card, (_key, value) => {
      if (value && typeof value === 'object' && value.type === 'Action.OpenUrl') out[value.title] = value.url;
      return value;
    });
    return out;
  };

  /** An admin of `tenantId` saves a card with `behaviour` on Stripe's page; Stripe's events reach the webhook. */
  async function saveCard(tenantId: string, behaviour: CardBehaviour = 'succeed', member = ADMIN) {
    const shown = await client(tenantId, member).say('payment method');
    const url = Object.values(links(shown.card))[0]!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/c\/pay\//);
    const saved = stripe.saveCard(url, { behaviour, last4: behaviour === 'succeed' ? '4242' : '0002' });
    expect((await stripe.deliver(bot.base, saved.completed)).status).toBe(200);
    return saved;
  }

  async function buy(tenantId: string, amount: string, member = ADMIN) {
    const admin = client(tenantId, member);
    const confirmation = await admin.say(`add ${amount}`);
    return admin.press(buttons(confirmation.card)['funds.confirm']!);
  }

  const funds = async (tenantId: string) => (await bot.journal(tenantId)).filter((e) => e.kind === 'funds-added').map((e) => e.amountMinor);
  const succeededFor = (tenantId: string) => [...stripe.intents.values()].filter((i) => i.metadata.tenantId === tenantId && i.status === 'succeeded');

  it('saves a card through Stripe Checkout and its webhook, never in chat', async () => {
    const tenant = 'stripe-card';
    const before = await client(tenant, ADMIN).say('payment method');
    expect(before.text).toContain('No card on file');
    expect(Object.keys(links(before.card))).toEqual(['Add or change card']);
    const session = [...stripe.sessions.values()].at(-1)!;
    expect(session).toMatchObject({
      mode: 'setup',
      currency: 'usd',
      success_url: 'https://bot.contoso.test/payments/card-saved?lang=en',
      metadata: { tenantId: tenant },
    });
    // The Customer is made once, and kept with the account.
    await client(tenant, ADMIN).say('payment method');
    expect([...stripe.customers.values()].filter((c) => c.metadata.tenantId === tenant)).toHaveLength(1);

    const saved = stripe.saveCard(Object.values(links(before.card))[0]!, { brand: 'mastercard', last4: '4444', expMonth: 3, expYear: 2031 });
    expect(await stripe.deliver(bot.base, saved.completed)).toMatchObject({ status: 200, body: { handled: 'handled' } });
    expect((await client(tenant, ADMIN).say('payment method')).text).toContain('Mastercard •••• 4444, expires 03/2031');
    // The admin saved it outside Teams: the chat hears of it.
    const notice = await waitFor('the card-saved notice', () =>
      connector.calls.find((c) => c.conversationId === `a:personal-${tenant}-${ADMIN.id}` && c.body?.summary === 'Card saved: Mastercard •••• 4444'),
    );
    expect(cardText(notice.body.attachments[0].content)).toContain('Payment method changed to Mastercard •••• 4444, expires 03/2031.');
    // setup_intent.succeeded says the same again: nothing more changes.
    const entries = (await bot.journal(tenant)).length;
    expect((await stripe.deliver(bot.base, saved.succeeded)).status).toBe(200);
    expect((await bot.journal(tenant)).filter((e) => e.kind === 'payment-method-changed')).toHaveLength(1);
    expect((await bot.journal(tenant)).length).toBe(entries + 1);
  });

  it('a purchase charges an off-session PaymentIntent keyed by the ledger key, and adds exactly one lot', async () => {
    const tenant = 'stripe-buy';
    await saveCard(tenant);
    const receipt = await buy(tenant, '50');
    expect(receipt.text).toContain('Funds added');
    const [intent] = succeededFor(tenant);
    expect(intent).toMatchObject({ amount: 5000, currency: 'usd', metadata: { purpose: 'funds', tenantId: tenant } });
    const create = stripe.requests.find((r) => r.path === '/v1/payment_intents' && r.method === 'POST' && r.params.metadata?.tenantId === tenant)!;
    expect(create.idempotencyKey).toBe(`${tenant}/${intent!.metadata.ledgerKey}`);
    expect(create.params).toMatchObject({ off_session: 'true', confirm: 'true' });
    // Stripe's payment_intent.succeeded arrives after the receipt, twice: the lot is there once.
    const succeeded = stripe.event('payment_intent.succeeded', intent!);
    expect((await stripe.deliver(bot.base, succeeded)).status).toBe(200);
    expect((await stripe.deliver(bot.base, succeeded)).body).toMatchObject({ handled: 'duplicate' });
    expect(await funds(tenant)).toEqual([5000]);
    expect((await bot.account(tenant)).balanceMinor).toBe(5000);
  });

  it.each([
    ['card_declined', 'the card was declined'],
    ['insufficient_funds', 'the card has insufficient funds'],
    ['expired_card', 'the card has expired'],
  ] as const)('a %s decline adds nothing and says why in the admin language', async (behaviour, reason) => {
    const tenant = `stripe-${behaviour}`;
    await saveCard(tenant, behaviour);
    const failed = await buy(tenant, '25');
    expect(failed.text).toContain('Payment failed');
    expect(failed.text).toContain(`Reason given by the bank: ${reason}`);
    expect(await funds(tenant)).toEqual([]);
    expect((await bot.journal(tenant)).some((e) => e.kind === 'purchase-failed')).toBe(true);
    // The same in Chinese.
    const chinese = await buy(tenant, '25', WEI);
    expect(chinese.text).toContain('银行给出的原因');
    expect(chinese.text).not.toContain(reason);
  });

  it('3-D Secure: the admin gets the bank link, and the lot comes only with payment_intent.succeeded, once, whatever the order', async () => {
    const tenant = 'stripe-3ds';
    await saveCard(tenant, 'authentication_required');
    const held = await buy(tenant, '40');
    const intent = [...stripe.intents.values()].find((i) => i.metadata.tenantId === tenant)!;
    expect(intent.status).toBe('requires_action');
    expect(links(held.card)).toEqual({ 'Confirm with your bank': `${stripe.base}/3ds/${intent.id}` });
    expect(intent.return_url).toBe('https://bot.contoso.test/payments/authenticated');
    expect(await funds(tenant)).toEqual([]);
    const waiting = stripe.event('payment_intent.requires_action', intent);

    const succeeded = stripe.authenticate(intent.id);
    expect((await stripe.deliver(bot.base, succeeded)).status).toBe(200);
    expect(await funds(tenant)).toEqual([4000]);
    // Redelivered, and an older event arriving late: nothing more.
    await stripe.deliver(bot.base, succeeded);
    expect((await stripe.deliver(bot.base, waiting)).status).toBe(200);
    expect(await funds(tenant)).toEqual([4000]);
    // Pressing Confirm again shows the receipt: charged once.
    const admin = client(tenant, ADMIN);
    const offerId = (await bot.journal(tenant)).find((e) => e.kind === 'funds-added') as unknown as { idempotencyKey: string };
    const again = await admin.press({ verb: 'funds.confirm', operationId: offerId.idempotencyKey.replace(/^purchase:/, '') });
    expect(again.text).toContain('Funds added');
    expect(succeededFor(tenant)).toHaveLength(1);
  });

  it('3-D Secure not passed: nothing is added and the purchase fails, in the journal and on Confirm', async () => {
    const tenant = 'stripe-3ds-failed';
    await saveCard(tenant, 'requires_action');
    await buy(tenant, '35');
    const intent = [...stripe.intents.values()].find((i) => i.metadata.tenantId === tenant)!;
    expect((await stripe.deliver(bot.base, stripe.authenticate(intent.id, false))).status).toBe(200);
    expect(await funds(tenant)).toEqual([]);
    const failed = (await bot.journal(tenant)).find((e) => e.kind === 'purchase-failed') as unknown as { idempotencyKey: string };
    expect(failed).toBeDefined();
    const again = await client(tenant, ADMIN).press({ verb: 'funds.confirm', operationId: failed.idempotencyKey.replace(/^purchase:/, '') });
    expect(again.text).toContain('Payment failed');
    expect(succeededFor(tenant)).toEqual([]);
  });

  it('refuses unsigned, forged and stale events with 400 and changes nothing', async () => {
    const tenant = 'stripe-forged';
    await saveCard(tenant, 'requires_action');
    await buy(tenant, '30');
    const intent = [...stripe.intents.values()].find((i) => i.metadata.tenantId === tenant)!;
    const forged = stripe.event('payment_intent.succeeded', { ...intent, status: 'succeeded', amount_received: intent.amount });
    const before = await bot.journal(tenant);
    expect((await stripe.deliver(bot.base, forged, { header: null })).status).toBe(400);
    expect((await stripe.deliver(bot.base, forged, { secret: 'whsec_not0the0right0secret' })).status).toBe(400);
    expect((await stripe.deliver(bot.base, forged, { timestamp: Math.floor(Date.now() / 1000) - 600 })).status).toBe(400);
    expect((await stripe.deliver(bot.base, forged, { header: 't=1,v1=deadbeef' })).status).toBe(400);
    // A signed body changed after signing.
    const payload = JSON.stringify(forged);
    const header = (await import('stripe')).default.webhooks.generateTestHeaderString({ payload, secret: stripe.env.STRIPE_WEBHOOK_SECRET });
    expect((await stripe.deliver(bot.base, payload.replace('"amount":3000', '"amount":3'), { header })).status).toBe(400);
    expect(await bot.journal(tenant)).toEqual(before);
    // A real event about the held payment reads it from Stripe: still not succeeded, so no lot.
    expect((await stripe.deliver(bot.base, forged)).status).toBe(200);
    expect(await funds(tenant)).toEqual([]);
  });

  it('refunds part of a purchase through Stripe against its lot, never more than remains', async () => {
    const tenant = 'stripe-refund';
    await saveCard(tenant);
    await buy(tenant, '100');
    const lotKey = (await bot.journal(tenant)).find((e) => e.kind === 'funds-added') as unknown as { idempotencyKey: string };
    const operationId = lotKey.idempotencyKey.replace(/^purchase:/, '');
    const refund = (amount: string, key: string) => bot.operator('POST', `/api/tenants/${tenant}/refunds`, { operationId, amount, idempotencyKey: key });

    const partial = await refund('30.00', 'refund-1');
    expect(partial.status).toBe(200);
    expect(partial.body).toMatchObject({
      amountMinor: -3000,
      balanceAfterMinor: 7000,
      replayed: false,
      account: { lots: [{ remainingMinor: 7000, originalMinor: 10000 }] },
    });
    expect([...stripe.refunds.values()]).toMatchObject([{ amount: 3000, payment_intent: succeededFor(tenant)[0]!.id }]);
    // Asked again with the key: the first answer, no second refund.
    expect((await refund('30.00', 'refund-1')).body).toMatchObject({ replayed: true, amountMinor: -3000 });
    expect((await refund('31.00', 'refund-1')).status).toBe(409);
    // Usage draws the lot down to 50.00; a refund of 60.00 is more than remains.
    expect((await bot.usage(tenant, '20.00')).status).toBe(200);
    const over = await refund('60.00', 'refund-2');
    expect(over).toMatchObject({ status: 409, body: { error: 'refund-exceeds-lot' } });
    expect(over.body.message).toContain('50.00 USD');
    expect(stripe.refunds.size).toBe(1);
    expect((await refund('50.00', 'refund-3')).status).toBe(200);
    expect((await bot.account(tenant)).balanceMinor).toBe(0);
    expect((await refund('0.01', 'refund-4')).body).toMatchObject({ error: 'refund-exceeds-lot' });
    expect((await bot.operator('POST', `/api/tenants/${tenant}/refunds`, { operationId: 'no-such', amount: '1', idempotencyKey: 'r5' })).status).toBe(404);
    const journal = await bot.journal(tenant);
    expect(journal.filter((e) => e.kind === 'funds-refunded').map((e) => e.amountMinor)).toEqual([-3000, -5000]);
  });

  it('an auto-recharge held for 3-D Secure alerts the admins with the link and adds its lot when Stripe says it succeeded', async () => {
    const tenant = 'stripe-recharge';
    const saved = await saveCard(tenant);
    await buy(tenant, '30');
    expect((await client(tenant, ADMIN).say('auto-recharge below 20 add 50')).text).toContain('Auto-recharge');
    // The bank starts asking for 3-D Secure; calls take the balance below the trigger.
    stripe.setBehaviour(saved.method.id, 'requires_action');
    await bot.usage(tenant, '15.00');
    await bot.app.ledger.idle();
    const intent = await waitFor('the recharge PaymentIntent', () =>
      [...stripe.intents.values()].find((i) => i.metadata.tenantId === tenant && i.metadata.purpose === 'auto-recharge'),
    );
    expect(intent.status).toBe('requires_action');
    const alert = await waitFor('the alert with the bank link', () => connector.calls.find((c) => JSON.stringify(c.body ?? {}).includes(`/3ds/${intent.id}`)));
    expect(cardText(alert.body.attachments[0].content)).toContain('asks an admin to confirm');
    expect(await funds(tenant)).toEqual([3000]);
    expect((await stripe.deliver(bot.base, stripe.authenticate(intent.id))).status).toBe(200);
    expect(await funds(tenant)).toEqual([3000, 5000]);
    expect((await bot.account(tenant)).autoRecharge).toMatchObject({ status: 'ready' });
  });

  it('answers refunds and journals with the Stripe entries as the OpenAPI document describes them', async () => {
    const contract = await ApiContract.load(bot.base);
    const kinds = new Set<string>();
    const described = async (method: string, route: string, body?: unknown) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const headers = { authorization: `Bearer ${OPERATOR_KEY}`, ...(payload ? { 'content-type': 'application/json' } : {}) };
      const response = await rawRequest(bot.base, method, route, headers, payload);
      expect(contract.answerProblems(method, route, response), `${method} ${route} → ${response.text.slice(0, 300)}`).toEqual([]);
      return response;
    };
    for (const tenant of ['stripe-card', 'stripe-3ds', 'stripe-refund', 'stripe-recharge']) {
      for (const entry of (await described('GET', `/api/tenants/${tenant}/journal?limit=1000`)).json.entries) kinds.add(entry.kind);
    }
    expect([...kinds]).toEqual(expect.arrayContaining(['payment-customer-linked', 'payment-authenticating', 'gateway-event', 'funds-refunded']));
    const operationId = 'no-such-operation';
    expect(contract.requestProblems('POST', '/api/tenants/t/refunds', { operationId, amount: '1.00', idempotencyKey: 'doc-1' })).toEqual([]);
    expect((await described('POST', '/api/tenants/stripe-refund/refunds', { operationId, amount: '1.00', idempotencyKey: 'doc-1' })).status).toBe(404);
    expect((await described('POST', '/api/tenants/stripe-refund/refunds', { operationId: 'x', amount: 'ten', idempotencyKey: 'doc-2' })).status).toBe(400);
    const paid = (await bot.journal('stripe-3ds')).find((e) => e.kind === 'funds-added') as unknown as { idempotencyKey: string };
    expect(
      (await described('POST', '/api/tenants/stripe-3ds/refunds', { operationId: paid.idempotencyKey, amount: '10.00', idempotencyKey: 'doc-3' })).status,
    ).toBe(200);
    expect(
      (await described('POST', '/api/tenants/stripe-3ds/refunds', { operationId: paid.idempotencyKey, amount: '100.00', idempotencyKey: 'doc-4' })).status,
    ).toBe(409);
  });

  it('a crash between the PaymentIntent and the lot: the lot is added once at the next start', async () => {
    const tenant = 'stripe-crash';
    await saveCard(tenant);
    await client(tenant, ADMIN).say('add 20');
    const offer = (await bot.journal(tenant)).find((e) => e.kind === 'purchase-offered') as unknown as { idempotencyKey: string };
    // The card is charged, and the process stops before the ledger hears of it.
    const charged = await bot.app.gateway.charge({
      tenantId: tenant,
      idempotencyKey: offer.idempotencyKey,
      amountMinor: 2000,
      currency: 'USD',
      purpose: 'funds',
      actor: ADMIN.aadObjectId,
    });
    expect(charged.ok).toBe(true);
    await bot.stop({ keepData: true });
    for (let start = 0; start < 2; start++) {
      bot = await startBot(connector, stripe.env, { clock, cardForNewTenants: null, dataDir: bot.dataDir });
      expect(await funds(tenant)).toEqual([2000]);
      if (start === 0) await bot.stop({ keepData: true });
    }
    expect(succeededFor(tenant)).toHaveLength(1);
  });
});

describe('the Stripe gateway when Stripe does not answer', () => {
  it('starts all the same (start-up reconciliation waits for the sweep), and the payment-method card says Stripe is away', async () => {
    const connector = await startFakeConnector();
    const gone = await startStripeDouble();
    const env = { ...gone.env };
    await gone.close();
    const bot = await startBot(connector, env, { cardForNewTenants: null });
    try {
      expect((await bot.http('GET', '/healthz')).status).toBe(200);
      const card = (await bot.teams('stripe-down', ADMIN).say('payment method')).card;
      expect(cardText(card)).toContain("Stripe's page could not be opened just now");
    } finally {
      await bot.stop();
      await connector.close();
    }
  });
});
