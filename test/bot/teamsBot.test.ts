import { describe, expect, it } from 'vitest';
import { Verb, type AdaptiveCard } from '../../cards/index.js';
import { claimOffer } from '../../services/ledger/confirmPurchase.js';
import { journalSum, sandboxCharges } from '../support/ledgerFixture.js';
import { cardText, executeActions } from '../cards/validateCard.js';
import { verifyExportToken } from '../../bot/exports/exportLink.js';
import { ALEX, EXPORT_SECRET, MEGAN, teamsBotFixture } from './support/teamsBotFixture.js';

const fundsAdded = (f: ReturnType<typeof teamsBotFixture>, tenantId = 'tenant-a') =>
  (f.store.entries.get(tenantId) ?? []).filter((e) => e.kind === 'funds-added');

/** The offer the ledger recorded for a confirmation card. */
const offerOf = (f: ReturnType<typeof teamsBotFixture>, card: AdaptiveCard, tenantId = 'tenant-a') => {
  const operationId = executeActions(card).find((a) => a.verb === Verb.fundsCancel)?.data.operationId;
  return f.store.accounts.get(tenantId)?.offers[`purchase:${String(operationId)}`];
};

describe('Teams bot: balance and adding funds', () => {
  it('answers "balance" with the balance card, opening the account on first contact', async () => {
    const f = teamsBotFixture();
    const { card } = await f.say("what's my balance?");
    expect(cardText(card)).toContain('$0.00');
    expect(f.store.accounts.get('tenant-a')?.balanceMinor).toBe(0);
  });

  it('tells when usage was last synced from Graph and how long the credit lasts', async () => {
    const f = teamsBotFixture();
    await f.ledger.grantFunds('tenant-a', { amount: '100', currency: 'USD', idempotencyKey: 'seed', actor: 'operator' });
    const { usage } = await import('../support/ledgerFixture.js');
    await f.ledger.ingestUsage([usage('tenant-a', '30.00', f.clock)]);
    f.usageSyncedAt.set('tenant-a', '2026-01-15T06:00:00.000Z');
    const { card } = await f.say('balance');
    expect(cardText(card)).toMatch(/Usage last synced .*2026/);
    // 30.00 over the trailing 30 days is 1.00 a day: 70.00 lasts 70 days.
    expect(cardText(card)).toMatch(/lasts about 70 more days/);
  });

  it('"add 50" shows a confirmation card and moves no money until Confirm', async () => {
    const f = teamsBotFixture();
    const { card } = await f.say('add 50');
    expect(cardText(card)).toContain('$50.00');
    expect(executeActions(card).map((a) => a.verb)).toEqual([Verb.fundsConfirm, Verb.fundsCancel]);
    expect(fundsAdded(f)).toHaveLength(0);
    expect(f.store.accounts.get('tenant-a')?.balanceMinor ?? 0).toBe(0);
  });

  it('Confirm pressed twice through Action.Execute adds the funds once and answers the same receipt', async () => {
    const f = teamsBotFixture();
    const { card } = await f.say('add $50');
    const first = await f.execute(card, Verb.fundsConfirm);
    const second = await f.execute(card, Verb.fundsConfirm);
    expect(first.status).toBe(200);
    expect(first.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(first.body.value)).toContain('Funds added');
    expect(cardText(second.body.value)).toContain('already added');
    expect(fundsAdded(f)).toHaveLength(1);
    expect(f.store.accounts.get('tenant-a')!.balanceMinor).toBe(5000);
    expect(journalSum(f.store, 'tenant-a')).toBe(5000);
  });

  it('Confirm pressed on two devices at the same moment still adds the funds once', async () => {
    const f = teamsBotFixture();
    const { card } = await f.say('add 40');
    const presses = await Promise.all([f.execute(card, Verb.fundsConfirm), f.execute(card, Verb.fundsConfirm), f.execute(card, Verb.fundsConfirm)]);
    expect(presses.every((p) => cardText(p.body.value).includes('Funds added'))).toBe(true);
    expect(fundsAdded(f)).toHaveLength(1);
    expect(f.store.accounts.get('tenant-a')!.balanceMinor).toBe(4000);
  });

  it('Confirm through Action.Submit replaces the confirmation card, and a resent activity moves nothing', async () => {
    const f = teamsBotFixture();
    const confirmation = await f.say('add funds 50 USD');
    const sent = await f.submit(confirmation, Verb.fundsConfirm);
    expect(sent).toHaveLength(0); // the card was updated in place, nothing new was posted
    expect(cardText(f.shown(confirmation.id))).toContain('Funds added');
    expect(executeActions(f.shown(confirmation.id)).map((a) => a.verb)).not.toContain(Verb.fundsConfirm);
    await f.submit(confirmation, Verb.fundsConfirm);
    expect(fundsAdded(f)).toHaveLength(1);
    expect(await f.gateway.cardId('tenant-a')).toBe('visa-success');
  });

  it('Cancel adds nothing, and a Cancel arriving after Confirm shows the receipt rather than claiming a cancellation', async () => {
    const f = teamsBotFixture();
    const { card } = await f.say('add 20');
    const cancelled = await f.execute(card, Verb.fundsCancel);
    expect(cardText(cancelled.body.value)).toContain('Cancelled');
    expect(fundsAdded(f)).toHaveLength(0);

    const second = await f.say('add 30');
    await f.execute(second.card, Verb.fundsConfirm);
    const late = await f.execute(second.card, Verb.fundsCancel);
    expect(cardText(late.body.value)).toContain('Funds added');
    expect(fundsAdded(f)).toHaveLength(1);
  });

  it('a stale copy of a cancelled confirmation card cannot charge the card or add funds', async () => {
    const f = teamsBotFixture();
    const { card } = await f.say('add 20');
    await f.execute(card, Verb.fundsCancel);
    // Another device still shows the confirmation card and its Confirm is pressed.
    const stale = await f.execute(card, Verb.fundsConfirm);
    expect(cardText(stale.body.value)).toContain('This card is no longer valid');
    expect(cardText(stale.body.value)).toContain('cancelled, so nothing was charged');
    expect(fundsAdded(f)).toHaveLength(0);
    expect(sandboxCharges(f.gateway)).toHaveLength(0);
  });

  it('Confirm charges the amount the card was shown for, whatever its data is edited to say', async () => {
    const f = teamsBotFixture();
    const { card } = await f.say('add 50');
    const receipt = await f.execute(card, Verb.fundsConfirm, { amount: '10000.00', currency: 'USD' });
    expect(cardText(receipt.body.value)).toContain('$50.00');
    expect(f.store.accounts.get('tenant-a')!.balanceMinor).toBe(5000);
    expect(sandboxCharges(f.gateway).map((c) => c.amountMinor)).toEqual([5000]);
  });

  it('a Cancel that loses the race to Confirm says the payment is under way, in English and Chinese', async () => {
    const f = teamsBotFixture();
    const { card } = await f.say('add 50');
    const operationId = executeActions(card).find((a) => a.verb === Verb.fundsCancel)!.data.operationId as string;
    // Confirm has claimed the offer and is waiting for the payment service.
    await f.store.change('tenant-a', (current) => claimOffer(current, 'tenant-a', operationId, ALEX.aadObjectId!, f.clock.now()));
    const cancel = await f.execute(card, Verb.fundsCancel);
    expect(cardText(cancel.body.value)).toContain('Payment under way');
    expect(cardText(cancel.body.value)).toContain('can no longer be cancelled');
    expect(cardText(cancel.body.value)).not.toMatch(/nothing was charged|Cancelled/);
    const zh = await f.execute(card, Verb.fundsCancel, {}, { locale: 'zh-CN' });
    expect(cardText(zh.body.value)).toContain('付款处理中');
    expect(f.store.entries.get('tenant-a')!.some((e) => e.kind === 'purchase-cancelled')).toBe(false);
  });

  it('reads amounts written many ways, exactly, and records the offer the card shows', async () => {
    const f = teamsBotFixture();
    for (const [text, minor] of [
      ['add $12.50', 1250],
      ['top up 12.5 dollars', 1250],
      ['充值 100', 10_000],
      ['五十美元', 5000],
      ['充值 50块', 5000],
      ['add 1,000.25', 100_025],
    ] as const) {
      const { card } = await f.say(text, text.match(/[\u4e00-\u9fff]/) ? { locale: 'zh-CN' } : {});
      expect(offerOf(f, card), text).toMatchObject({ amountMinor: minor, currency: 'USD', offeredTo: ALEX.aadObjectId, state: 'open' });
    }
  });

  it('an amount it cannot use is explained on the add-funds card and moves nothing', async () => {
    const f = teamsBotFixture();
    for (const [text, why] of [
      ['add -5', 'positive'],
      ['add 12.345', 'decimal'],
      ['add 5', 'at least'],
      ['add 50 euros', 'USD'],
      ['add 20 30', '“20, 30”'],
      ['add 0.30000000000000004', '0.30000000000000004'],
    ]) {
      const { card } = await f.say(text!);
      expect(cardText(card), text).toContain(why);
      expect(
        executeActions(card).map((a) => a.verb),
        text,
      ).toContain(Verb.fundsReview);
    }
    expect(fundsAdded(f)).toHaveLength(0);
  });

  it('the add-funds card: a preset reviews, an empty amount is refused on the card', async () => {
    const f = teamsBotFixture();
    const { card } = await f.say('add funds');
    const empty = await f.execute(card, Verb.fundsReview, { amount: '' });
    expect(cardText(empty.body.value)).toContain('Enter an amount');
    const typed = await f.execute(card, Verb.fundsReview, { amount: '75' });
    expect(offerOf(f, typed.body.value as AdaptiveCard)).toMatchObject({ amountMinor: 7500 });
  });

  it('a declined test card fails the payment, says so, and adds nothing', async () => {
    const f = teamsBotFixture();
    const payment = await f.say('payment method');
    await f.execute(payment.card, Verb.paymentMethodChoose, { testCardId: 'mastercard-decline' });
    expect(await f.gateway.cardId('tenant-a')).toBe('mastercard-decline');
    const { card } = await f.say('add 50');
    const failed = await f.execute(card, Verb.fundsConfirm);
    expect(cardText(failed.body.value)).toContain('declined');
    expect(fundsAdded(f)).toHaveLength(0);
  });
});

describe('Teams bot: the sandbox says what it is', () => {
  it('a new tenant has no card on file until an admin chooses one, and then it is a test card', async () => {
    const f = teamsBotFixture({ cardForNewTenants: null });
    expect(cardText((await f.say('payment method')).card)).toContain('Card on file\nNo card on file');
    const { card } = await f.say('add 50');
    expect(executeActions(card).map((a) => a.verb)).toEqual([Verb.paymentMethodOpen, Verb.fundsCancel]);
    expect(cardText(card)).toContain('No card on file');

    const payment = await f.say('payment method');
    const chosen = await f.execute(payment.card, Verb.paymentMethodChoose, { testCardId: 'visa-success' });
    expect(cardText(chosen.body.value)).toContain('Card on file\nVisa •••• 4242, expires 12/2034 (test card)');
    expect(cardText((await f.say('add 50')).card)).toContain('Pay with\nVisa •••• 4242, expires 12/2034 (test card)');
  });

  it('choosing the always-declining test card while auto-recharge is on warns that the next recharge will fail', async () => {
    const f = teamsBotFixture();
    await f.ledger.grantFunds('tenant-a', { amount: '100', currency: 'USD', idempotencyKey: 'seed', actor: 'operator' });
    await f.say('auto-recharge below 20 add 100');
    const payment = await f.say('payment method', { locale: 'zh-CN' });
    const chosen = await f.execute(payment.card, Verb.paymentMethodChoose, { testCardId: 'mastercard-decline' }, { locale: 'zh-CN' });
    expect(cardText(chosen.body.value)).toContain('下一次自动充值会失败');
    await f.say('turn off auto-recharge');
    expect(cardText((await f.say('payment method')).card)).not.toContain('will fail');
  });
});

describe('Teams bot: a history worth reading', () => {
  const COUNTRIES = ['United Kingdom', 'Germany', 'Japan', 'India', 'Canada', 'China', 'Sierra Leone'];
  const CALLERS = ['aad-alex', 'user-2', 'user-3', 'user-4', 'user-5'];

  /** A month: a $500 purchase, a declined one, then 150 calls over 30 days imported at the end of it. */
  async function aMonth() {
    const f = teamsBotFixture();
    const { usage } = await import('../support/ledgerFixture.js');
    f.clock.set('2026-03-01T08:00:00.000Z');
    await f.execute((await f.say('add 500')).card, Verb.fundsConfirm);
    await f.gateway.chooseTestCard('tenant-a', 'mastercard-decline');
    await f.execute((await f.say('add 50')).card, Verb.fundsConfirm);
    await f.gateway.chooseTestCard('tenant-a', 'visa-success');
    f.clock.set('2026-03-31T12:00:00.000Z');
    const calls = Array.from({ length: 150 }, (_, i) => {
      const start = Date.parse('2026-03-01T09:00:00.000Z') + i * 4.8 * 3_600_000;
      return usage('tenant-a', '0.27', f.clock, {
        startDateTime: new Date(start).toISOString(),
        endDateTime: new Date(start + 120_000).toISOString(),
        userId: CALLERS[i % CALLERS.length]!,
        destinationContext: 'International',
        destinationName: COUNTRIES[i % COUNTRIES.length]!,
      });
    });
    await f.ledger.ingestUsage(calls);
    return f;
  }

  it("sums calls per day in the admin's zone, dated by when they were made, and reaches the first purchase in one Older", async () => {
    const f = await aMonth();
    const shanghai = { entities: [{ type: 'clientInfo', timezone: 'Asia/Shanghai' }] };
    const newest = await f.say('history', shanghai);
    const text = cardText(newest.card);
    expect(text).toContain('Mar 31, 2026 · 3 calls\n02:36–12:12 · user-5, user-4, and user-3');
    expect(text).toMatch(/Mar 30, 2026 · 5 calls\n\d\d:\d\d–\d\d:\d\d · /);
    expect(text).toContain('Alex Wilber');
    expect(text).not.toContain('Confirmation card shown');
    expect(text).toMatch(/Entries \d+–157 of 157/);
    expect(newest.summary).toMatch(/^History: Entries \d+–157 of 157$/);
    const older = await f.execute(newest.card, Verb.historyPage, {}, shanghai);
    const olderText = cardText(older.body.value);
    expect(olderText).toContain('Funds added');
    expect(olderText).toContain('+$500.00');
    expect(olderText).toContain('Card payment failed\nMar 1, 2026, 16:00 · Alex Wilber\nThe card on file was declined.');
    expect(executeActions(older.body.value).some((a) => a.data.direction === 'older')).toBe(false);
  });

  it('the money view shows purchases and the declined payment on its first page, and pages back to everything', async () => {
    const f = await aMonth();
    const { card } = await f.say('history');
    const moneyButton = executeActions(card).find((a) => a.data.view === 'money')!;
    const page = await f.invoke({ action: { type: 'Action.Execute', verb: Verb.historyPage, data: moneyButton.data } });
    const text = cardText(page.body.value);
    expect(text).toContain('+$500.00');
    expect(text).toContain('Card payment failed');
    expect(text).not.toContain('calls');
    const zh = await f.invoke({ action: { type: 'Action.Execute', verb: Verb.historyPage, data: moneyButton.data } }, { locale: 'zh-CN' });
    expect(cardText(zh.body.value)).toContain('资金进出');
  });

  it('the history card and "export history" carry a download link signed for the asker\'s tenant, valid 15 minutes', async () => {
    const f = teamsBotFixture();
    const linkOn = (card: AdaptiveCard) => {
      const open = JSON.stringify(card).match(/"type":"Action.OpenUrl","title":"[^"]+","url":"([^"]+)"/);
      return new URL(open![1]!);
    };
    for (const text of ['history', 'export history', 'download csv']) {
      const url = linkOn((await f.say(text)).card);
      expect(url.pathname).toBe('/api/exports/journal.csv');
      const check = verifyExportToken(EXPORT_SECRET, url.searchParams.get('t')!, f.clock.now());
      expect(check, text).toEqual({ ok: true, grant: { tenantId: 'tenant-a', actor: ALEX.aadObjectId, expiresAt: f.clock.now() + 15 * 60_000 } });
    }
    const other = linkOn((await f.say('export history', { tenantId: 'tenant-b' })).card);
    expect(verifyExportToken(EXPORT_SECRET, other.searchParams.get('t')!, f.clock.now())).toMatchObject({ ok: true, grant: { tenantId: 'tenant-b' } });
  });
});

describe('Teams bot: no dead end after a fraud alert', () => {
  it('"See who called" on a new-destination alert lists that destination\'s calls by person, this tenant\'s only', async () => {
    const f = teamsBotFixture();
    const { usage } = await import('../support/ledgerFixture.js');
    const { renderAlertCard } = await import('../../cards/index.js');
    await f.say('balance'); // Alex is known by name
    await f.ledger.grantFunds('tenant-a', { amount: '100', currency: 'USD', idempotencyKey: 'seed', actor: 'operator' });
    const intl = (tenantId: string, country: string, userId: string) =>
      usage(tenantId, '1.50', f.clock, { destinationContext: 'International', destinationName: country, userId, durationSeconds: 300 });
    await f.ledger.ingestUsage([intl('tenant-a', 'Japan', 'aad-alex')]);
    f.clock.advance(3_600_000);
    await f.ledger.ingestUsage([
      intl('tenant-a', 'Sierra Leone', 'aad-alex'),
      intl('tenant-a', 'Sierra Leone', 'user-9'),
      intl('tenant-a', 'Sierra Leone', 'aad-alex'),
      intl('tenant-a', 'Japan', 'user-9'),
    ]);
    await f.ledger.ingestUsage([intl('tenant-b', 'Sierra Leone', 'user-b')]);
    const alert = f.store.alertsOf('tenant-a', 'unusual-spend').find((a) => a.type === 'unusual-spend' && a.reason === 'new-destination')!;
    expect(alert).toMatchObject({ destination: 'Sierra Leone', firstCallAt: expect.any(String) });
    const alertCard = renderAlertCard(alert, 'zh-CN');
    const drill = await f.execute(alertCard, Verb.destinationCalls, {}, { locale: 'zh-CN' });
    const text = cardText(drill.body.value);
    expect(text).toContain('拨往塞拉利昂的通话');
    expect(text).toContain('此期间共 3 通电话，15.0 分钟，US$4.50。');
    expect(text).toContain('Alex Wilber\n2 通 · 10.0 分钟 · US$3.00');
    expect(text).toContain('user-9\n1 通 · 5.0 分钟 · US$1.50');
    expect(text).not.toContain('user-b');
    expect(text).toContain('Teams 管理中心');
  });

  it('a member who may not view gets no calls', async () => {
    const f = teamsBotFixture({ adminUserIds: ['aad-alex'] });
    const { MEGAN: megan } = await import('./support/teamsBotFixture.js');
    const refused = await f.invoke(
      { action: { type: 'Action.Execute', verb: Verb.destinationCalls, data: { verb: Verb.destinationCalls, destination: 'Sierra Leone' } } },
      { person: megan },
    );
    expect(refused.body.type).toBe('application/vnd.microsoft.activity.message');
  });
});

describe('Teams bot: cards that point at the fix', () => {
  it('a new tenant gets the get-started card until funds are added, then the balance card', async () => {
    const f = teamsBotFixture({ cardForNewTenants: null });
    const first = await f.say('balance');
    expect(cardText(first.card)).toContain('Get started with Communications Credits');
    expect(cardText(first.card)).not.toContain('Suspended');
    expect(first.summary).toBe('Get started with Communications Credits');
    const payment = await f.execute(first.card, Verb.paymentMethodOpen);
    await f.execute(payment.body.value as AdaptiveCard, Verb.paymentMethodChoose, { testCardId: 'visa-success' });
    expect(cardText((await f.say('余额', { locale: 'zh-CN' })).card)).toContain('付款方式：Visa •••• 4242，有效期至 12/2034（测试卡）。');
    const confirmation = await f.say('add 50');
    await f.execute(confirmation.card, Verb.fundsConfirm);
    expect(cardText((await f.say('balance')).card)).toContain('Communications Credits balance');
  });

  it('suspended after a declined recharge: the red panel names the card, Change payment method comes first', async () => {
    const f = teamsBotFixture();
    const { usage } = await import('../support/ledgerFixture.js');
    await f.ledger.grantFunds('tenant-a', { amount: '15', currency: 'USD', idempotencyKey: 'seed', actor: 'operator' });
    await f.gateway.chooseTestCard('tenant-a', 'mastercard-decline');
    await f.say('auto-recharge below 10 add 100');
    await f.ledger.ingestUsage([usage('tenant-a', '20.00', f.clock)]);
    await f.ledger.idle();
    for (const [locale, panel, primary] of [
      ['en-US', 'Auto-recharge could not add funds: Mastercard •••• 0002, expires 12/2034 (test card) was declined.', 'Change payment method'],
      ['zh-CN', '自动充值未能充值：Mastercard •••• 0002，有效期至 12/2034（测试卡） 被拒绝。', '更换付款方式'],
    ] as const) {
      const { card, summary } = await f.say('balance', { locale });
      expect(cardText(card)).toContain(panel);
      expect(card.actions![0]).toMatchObject({ verb: Verb.paymentMethodOpen, title: primary });
      expect(cardText(card)).not.toMatch(/about 0 days|大约 0 天/);
      expect(summary).toMatch(/^(Calling suspended: balance -\$5\.00|通话已暂停：余额 -US\$5\.00)$/);
    }
  });

  it('the balance card lists money in and out, not one-cent calls', async () => {
    const f = teamsBotFixture();
    const { usage } = await import('../support/ledgerFixture.js');
    await f.ledger.grantFunds('tenant-a', { amount: '500', currency: 'USD', idempotencyKey: 'seed', actor: 'operator' });
    await f.ledger.ingestUsage(Array.from({ length: 30 }, () => usage('tenant-a', '0.01', f.clock)));
    const text = cardText((await f.say('balance')).card);
    expect(text).toContain('Money in and out\nFunds added\n+$500.00');
    expect(text).not.toContain('-$0.01');
  });

  it("the usage card's suggestion opens auto-recharge with that amount, nothing saved until Save", async () => {
    const f = teamsBotFixture();
    const { usage } = await import('../support/ledgerFixture.js');
    await f.ledger.grantFunds('tenant-a', { amount: '500', currency: 'USD', idempotencyKey: 'seed', actor: 'operator' });
    await f.ledger.ingestUsage([usage('tenant-a', '95.00', f.clock)]);
    const { card } = await f.say('usage');
    const use = executeActions(card).find((a) => a.verb === Verb.autoRechargeOpen)!;
    expect(use.title).toBe('Use $100.00 for auto-recharge');
    const opened = await f.execute(card, Verb.autoRechargeOpen);
    expect(cardText(opened.body.value)).toContain('100.00');
    expect(executeActions(opened.body.value).length).toBeGreaterThan(0);
    expect(f.store.accounts.get('tenant-a')!.autoRecharge.enabled).toBe(false);
    const add = await f.execute(card, Verb.fundsReview);
    expect(cardText(add.body.value)).toContain('Confirm adding funds');
    expect(cardText(add.body.value)).toContain('$100.00');
  });
});

describe('Teams bot: settings by sentence and by card', () => {
  it('"auto-recharge below 20 add 100" turns it on with those amounts; "turn off auto-recharge" turns it off', async () => {
    const f = teamsBotFixture();
    const on = await f.say('auto-recharge below 20 add 100');
    expect(f.store.accounts.get('tenant-a')!.autoRecharge).toEqual({ enabled: true, triggerMinor: 2000, amountMinor: 10000 });
    expect(cardText(on.card)).toContain('$100.00');
    await f.say('turn off auto-recharge');
    expect(f.store.accounts.get('tenant-a')!.autoRecharge.enabled).toBe(false);
    await f.say('recharge when below 25 with 200');
    expect(f.store.accounts.get('tenant-a')!.autoRecharge).toEqual({ enabled: true, triggerMinor: 2500, amountMinor: 20000 });
    await f.say('关闭自动充值', { locale: 'zh-CN' });
    expect(f.store.accounts.get('tenant-a')!.autoRecharge.enabled).toBe(false);
  });

  it('a refused auto-recharge amount is shown on the settings card and nothing is saved', async () => {
    const f = teamsBotFixture();
    const { card } = await f.say('auto-recharge below 20 add 5');
    expect(cardText(card)).toContain('at least');
    expect(f.store.accounts.get('tenant-a')!.autoRecharge.enabled).toBe(false);
    const saved = await f.execute(card, Verb.autoRechargeSave, { enabled: 'true', trigger: 'abc', amount: '50' });
    expect(cardText(saved.body.value)).toContain('abc');
    expect(f.store.accounts.get('tenant-a')!.autoRecharge.enabled).toBe(false);
  });

  it('turning auto-recharge on below the trigger starts a recharge right away', async () => {
    const f = teamsBotFixture();
    await f.say('turn on auto-recharge');
    await f.ledger.idle();
    const account = f.store.accounts.get('tenant-a')!;
    expect(account.balanceMinor).toBe(account.autoRecharge.amountMinor);
  });

  it('sets the low-balance alert threshold from a sentence', async () => {
    const f = teamsBotFixture();
    await f.say('alert me when the balance is below $15');
    expect(f.store.accounts.get('tenant-a')!.lowBalanceAlertMinor).toBe(1500);
  });

  it('pages through the history', async () => {
    const f = teamsBotFixture();
    for (let i = 0; i < 25; i++) await f.ledger.setLowBalanceAlert('tenant-a', String(10 + i), 'aad-alex');
    const { card } = await f.say('history');
    const older = executeActions(card).find((a) => a.verb === Verb.historyPage && a.data.direction === 'older');
    expect(older).toBeDefined();
    const page = await f.execute(card, Verb.historyPage, { direction: 'older', cursor: older!.data.cursor as string });
    expect(cardText(page.body.value)).toContain('Account opened');
    expect(executeActions(page.body.value).some((a) => a.data.direction === 'newer')).toBe(true);
  });
});

describe('Teams bot: languages', () => {
  it('answers in Simplified Chinese for a zh-CN client', async () => {
    const f = teamsBotFixture();
    expect(cardText((await f.say('余额多少', { locale: 'zh-CN' })).card)).toContain('余额');
    const confirmation = await f.say('充值50美元', { locale: 'zh-CN' });
    expect(cardText(confirmation.card)).toMatch(/确认/);
    const receipt = await f.execute(confirmation.card, Verb.fundsConfirm, {}, { locale: 'zh-CN' });
    expect(cardText(receipt.body.value)).toMatch(/[\u4e00-\u9fff]/);
    expect(cardText((await f.say('帮助', { locale: 'zh-CN' })).card)).toMatch(/[\u4e00-\u9fff]/);
    expect(fundsAdded(f)).toHaveLength(1);
  });
});

describe('Teams bot: who may do what', () => {
  it('refuses someone outside the allow-list politely, with no data and no money moved', async () => {
    const f = teamsBotFixture({ adminUserIds: ['aad-alex'] });
    await f.say('add 50'); // Alex opens the account
    const refused = await f.say('balance', { person: MEGAN });
    expect(cardText(refused.card)).toContain('administrators');
    expect(cardText(refused.card)).not.toMatch(/\$\d/);
    expect(executeActions(refused.card)).toHaveLength(0);

    const alexCard = (await f.say('add 50')).card;
    const pressed = await f.execute(alexCard, Verb.fundsConfirm, {}, { person: MEGAN });
    expect(pressed.body.type).toBe('application/vnd.microsoft.activity.message');
    expect(fundsAdded(f)).toHaveLength(0);
    expect(cardText((await f.say('help', { person: MEGAN })).card)).toContain('What I can do');
  });

  it('a viewer (Teams administrator) sees the balance but may not add funds', async () => {
    const f = teamsBotFixture({ access: { decide: async () => ({ ok: true, permissions: new Set(['view'] as const), via: 'directory' }) } });
    expect(cardText((await f.say('balance')).card)).toContain('$0.00');
    expect(cardText((await f.say('add 50')).card)).toContain('Global and Billing administrators');
  });

  it('fails closed when the directory cannot be asked: the consent link, or a reference, and no data', async () => {
    const consent = teamsBotFixture({
      access: { decide: async () => ({ ok: false, reason: 'no-consent', consentUrl: 'https://login.microsoftonline.com/tenant-a/adminconsent?client_id=x' }) },
    });
    const card = (await consent.say('balance')).card;
    expect(JSON.stringify(card)).toContain('adminconsent');
    expect(cardText(card)).not.toContain('$');
    const down = teamsBotFixture({ access: { decide: async () => ({ ok: false, reason: 'directory-unavailable' }) } });
    expect(cardText((await down.say('balance')).card)).toContain('directory-unavailable');
    expect(down.store.accounts.size).toBe(0);
  });

  it('lets allow-listed admins match by Teams user id as well as object id', async () => {
    const f = teamsBotFixture({ adminUserIds: [MEGAN.id] });
    expect(cardText((await f.say('balance', { person: MEGAN })).card)).toContain('$0.00');
  });

  it("keeps tenants apart: the tenant is the activity's, whatever the card data says", async () => {
    const f = teamsBotFixture();
    const { card } = await f.say('add 50', { tenantId: 'tenant-a' });
    const forged = executeActions(card).find((a) => a.verb === Verb.fundsConfirm)!;
    await f.invoke({ action: { type: 'Action.Execute', verb: Verb.fundsConfirm, data: { ...forged.data, tenantId: 'tenant-b' } } }, { tenantId: 'tenant-a' });
    expect(f.store.accounts.get('tenant-a')!.balanceMinor).toBe(5000);
    expect(f.store.accounts.get('tenant-b')).toBeUndefined();
    expect(cardText((await f.say('balance', { tenantId: 'tenant-b' })).card)).toContain('$0.00');
  });

  it('maps Emulator activities without a tenant to DEFAULT_TENANT_ID', async () => {
    const f = teamsBotFixture();
    await f.say('balance', { channelId: 'emulator', conversation: { id: 'emu-1', isGroup: false, name: '', conversationType: 'personal' }, channelData: {} });
    expect(f.store.accounts.has('local')).toBe(true);
  });

  it('with credentials, a Teams activity without a tenant gets no data', async () => {
    const f = teamsBotFixture({ adminUserIds: ['aad-alex'], localMode: false });
    const { card } = await f.say('balance', { conversation: { id: 'x', isGroup: false, name: '', conversationType: 'personal' }, channelData: {} });
    expect(cardText(card)).toContain('administrators');
    expect(f.store.accounts.size).toBe(0);
  });
});

describe('Teams bot: install, mentions, junk', () => {
  it('welcomes on install and keeps the conversation reference until uninstall', async () => {
    const f = teamsBotFixture();
    const sent = await f.send({ type: 'conversationUpdate', membersAdded: [{ id: '28:bot', name: 'Credits' }] });
    expect(cardText(sent[0]!.attachments![0]!.content)).toContain('Welcome');
    expect(await f.book.conversationsOf('tenant-a')).toHaveLength(1);
    expect((await f.book.person('tenant-a', 'tenant-a/aad-alex'))?.name).toBe('Alex Wilber');
    await f.send({ type: 'installationUpdate', action: 'remove' });
    expect(await f.book.conversationsOf('tenant-a')).toHaveLength(0);
  });

  it('remembers the locale last seen from a person (the language of their emails)', async () => {
    const f = teamsBotFixture();
    await f.say('balance');
    await f.say('余额', { locale: 'zh-CN' });
    expect((await f.book.person('tenant-a', 'tenant-a/aad-alex'))?.locale).toBe('zh-CN');
  });

  it('strips the bot mention in a channel', async () => {
    const f = teamsBotFixture();
    const { card } = await f.say('<at>Credits</at> balance', {
      conversation: { id: '19:general@thread.tacv2;messageid=1', conversationType: 'channel', tenantId: 'tenant-a', isGroup: true, name: '' },
      entities: [{ type: 'mention', mentioned: { id: '28:bot', name: 'Credits' }, text: '<at>Credits</at>' }],
    });
    expect(cardText(card)).toContain('$0.00');
    expect((await f.book.conversation('tenant-a', '19:general@thread.tacv2'))?.scope).toBe('channel');
  });

  it('answers junk text with help and junk card data with a stale-card note, never moving money', async () => {
    const f = teamsBotFixture();
    expect(cardText((await f.say('asdf qwerty')).card)).toContain("didn't");
    const junk: unknown[] = [
      { verb: 'funds.confirm' },
      { verb: 'funds.confirm', operationId: 'x', amount: '1e9', currency: 'USD' },
      { verb: 'funds.confirm', operationId: '../../etc', amount: '50.00', currency: 'USD' },
      { verb: 'no.such.verb' },
      { verb: 42 },
      { verb: 'funds.review', amount: 'x'.repeat(10_000) },
    ];
    for (const data of junk) {
      const viaExecute = await f.invoke({ action: { type: 'Action.Execute', verb: (data as { verb: unknown }).verb, data } });
      expect(viaExecute.status).toBe(200);
      const viaSubmit = await f.send({ type: 'message', value: data as Record<string, unknown> });
      expect(viaSubmit).toHaveLength(1);
    }
    for (const value of [undefined, 'garbage', { action: null }, { action: { type: 'Action.Submit' } }]) {
      const response = await f.invoke(value);
      expect(response.status).toBeLessThan(500);
    }
    expect(fundsAdded(f)).toHaveLength(0);
  });

  it('reads message text that is not a string as no text: the help card, not an error', async () => {
    const f = teamsBotFixture();
    for (const text of [42, { text: 'balance' }, ['add 50']]) {
      const sent = await f.send({ type: 'message', text: text as unknown as string });
      expect(sent).toHaveLength(1);
      expect(cardText(sent[0]!.attachments![0]!.content)).toContain('What I can do');
    }
  });

  it('sends every reply as a card attachment without text', async () => {
    const f = teamsBotFixture();
    for (const text of ['balance', 'add 50', 'auto-recharge', 'history', 'usage', 'payment method', 'help', '帮助', 'hello', '???']) {
      const sent = await f.send({ type: 'message', text });
      expect(
        sent.every((a) => !a.text && a.attachments?.[0]?.contentType === 'application/vnd.microsoft.card.adaptive'),
        text,
      ).toBe(true);
    }
  });
});

describe("Teams bot: the admin's own time zone", () => {
  const clientInfo = (timezone: string) => ({ entities: [{ type: 'clientInfo', locale: 'zh-CN', country: 'CN', platform: 'Web', timezone }] });

  it('shows times in the zone the Teams client sends, remembers it for the person, and uses it where an activity has none', async () => {
    const f = teamsBotFixture();
    f.clock.set('2026-03-05T14:30:00.000Z');
    await f.ledger.grantFunds('tenant-a', { amount: '100', currency: 'USD', idempotencyKey: 'seed', actor: 'operator' });
    const zh = await f.say('余额', { locale: 'zh-CN', ...clientInfo('Asia/Shanghai') });
    expect(cardText(zh.card)).toContain('截至 2026年3月5日 22:30');
    expect(cardText(zh.card)).toContain('时间均为中国标准时间。');
    expect((await f.book.person('tenant-a', 'tenant-a/aad-alex'))?.timeZone).toBe('Asia/Shanghai');
    // A button press (an invoke) that carries no clientInfo: the zone last seen from the person.
    const refreshed = await f.execute(zh.card, Verb.balanceRefresh, {}, { locale: 'zh-CN' });
    expect(cardText(refreshed.body.value)).toContain('截至 2026年3月5日 22:30');
    // `localTimezone` also names the zone; a zone Intl does not know is ignored.
    expect(cardText((await f.say('balance', { localTimezone: 'America/Los_Angeles' })).card)).toContain('As of Mar 5, 2026, 06:30');
    expect(cardText((await f.say('balance', clientInfo('Mars/Olympus_Mons'))).card)).toContain('Times are in Pacific Time.');
  });

  it('reads in UTC, and says so, when no zone was ever seen', async () => {
    const f = teamsBotFixture();
    f.clock.set('2026-03-05T14:30:00.000Z');
    await f.ledger.grantFunds('tenant-a', { amount: '100', currency: 'USD', idempotencyKey: 'seed', actor: 'operator' });
    const text = cardText((await f.say('balance')).card);
    expect(text).toContain('As of Mar 5, 2026, 14:30');
    expect(text).toContain('Times are in UTC.');
  });
});

describe('Teams bot: what the chat list and the notification say', () => {
  it("every reply carries a one-line summary of what it says, in the asker's language", async () => {
    const f = teamsBotFixture();
    await f.ledger.grantFunds('tenant-a', { amount: '37.66', currency: 'USD', idempotencyKey: 'seed', actor: 'operator' });
    expect((await f.say('balance')).summary).toBe('Communications Credits balance: $37.66');
    expect((await f.say('余额', { locale: 'zh-CN' })).summary).toBe('通信点数余额：US$37.66');
    expect((await f.say('add 50')).summary).toBe('Confirm adding funds: $50.00');
    expect((await f.say('add 5')).summary).toBe('Add funds: Enter at least $10.00.');
    expect((await f.say('auto-recharge')).summary).toBe('Auto-recharge: Off');
    expect((await f.say('帮助', { locale: 'zh-CN' })).summary).toBe('我能做什么');
    expect((await f.say('make me a sandwich')).summary).toMatch(/^I didn't catch that: I didn't understand/);
  });

  it('a card replaced in place (Action.Submit) takes the summary of what replaced it', async () => {
    const f = teamsBotFixture();
    const confirmation = await f.say('add 50');
    await f.submit(confirmation, Verb.fundsConfirm);
    expect(cardText(f.shown(confirmation.id))).toContain('Funds added');
    expect(f.shownSummary(confirmation.id)).toBe('Funds added: +$50.00 · balance $50.00');
  });

  it('a refusal says the same in its summary as in its text', async () => {
    const f = teamsBotFixture({ adminUserIds: ['aad-alex'] });
    const refused = await f.say('balance', { person: MEGAN });
    expect(refused.summary).toMatch(/^Sorry, Communications Credits can only be viewed/);
  });
});
