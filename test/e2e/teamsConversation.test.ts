import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Verb } from '../../cards/index.js';
import { zhCN } from '../../cards/i18n/index.js';
import { cardText, expectValidCard } from '../cards/validateCard.js';
import { headerOf, isTo, readEml } from '../bot/notices/eml.js';
import { buttons, startBot, useBotUnderTest, type BotUnderTest, type Member } from './support/botHarness.js';
import { startFakeConnector, waitFor, type FakeConnector } from './support/fakeConnector.js';

const ALEX: Member = { id: '29:alex', aadObjectId: 'aad-alex', name: 'Alex Wilber' };
const WEI: Member = { id: '29:wei', aadObjectId: 'aad-wei', name: '王伟', locale: 'zh-CN' };
const TENANT = 'contoso-e2e';

/**
 * The whole story over real HTTP, as Teams would drive it: install, balance, add funds with a
 * confirmation (pressed twice, money moves once), auto-recharge, usage through the operator API,
 * and the proactive alerts and notice emails that follow.
 */
describe('a tenant admin in Teams, end to end', () => {
  let connector: FakeConnector;
  let bot: BotUnderTest;
  const fundsAdded = async () => (await bot.journal(TENANT)).filter((e) => e.kind === 'funds-added');
  const alertsIn = (conversationId: string, title: RegExp) => connector.cardsIn(conversationId).filter((c) => title.test(cardText(c.card)));

  beforeAll(async () => {
    connector = await startFakeConnector();
    connector.member(ALEX.id, { email: 'alex@contoso.com', name: ALEX.name });
    connector.member(WEI.id, { email: 'wei@contoso.com', name: WEI.name });
    bot = await startBot(connector);
  });
  afterAll(async () => {
    await bot?.stop();
    await connector?.close();
  });

  it('welcomes on install, shows the balance, and adds funds only after Confirm, once however often it is pressed', async () => {
    const alex = bot.teams(TENANT, ALEX);
    expect((await alex.install()).status).toBe(200);
    expect(cardText(connector.cardsIn(alex.conversationId)[0]!.card)).toContain('Welcome');

    expect(cardText((await alex.say('balance')).card)).toContain('$0.00');

    const confirmation = await alex.say('add 50');
    expectValidCard(confirmation.card);
    expect(await fundsAdded()).toHaveLength(0);
    const confirm = buttons(confirmation.card)[Verb.fundsConfirm]!;
    const first = await alex.execute(confirm, confirmation.id);
    const again = await alex.execute(confirm, confirmation.id);
    expect(first.status).toBe(200);
    expect(first.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(first.body.value)).toContain('Funds added');
    expect(cardText(again.body.value)).toContain('already added');
    expect((await bot.account(TENANT)).balance).toBe('50.00');
    expect(await fundsAdded()).toHaveLength(1);
  });

  it('an Action.Submit confirm updates the card in place; the same activity resent moves nothing', async () => {
    const alex = bot.teams(TENANT, ALEX);
    const confirmation = await alex.say('top up 20');
    const confirm = buttons(confirmation.card)[Verb.fundsConfirm]!;
    expect((await alex.submit(confirm, confirmation.id, 'resent-activity')).status).toBe(200);
    expect((await alex.submit(confirm, confirmation.id, 'resent-activity')).status).toBe(200);
    const updates = connector.calls.filter((c) => c.kind === 'update' && c.activityId === confirmation.id);
    expect(updates.length).toBeGreaterThanOrEqual(1);
    expect(cardText(updates[0]!.body.attachments[0].content)).toContain('Funds added');
    expect(updates[0]!.body.text ?? '').toBe('');
    expect((await bot.account(TENANT)).balance).toBe('70.00');
    expect(await fundsAdded()).toHaveLength(2);
  });

  it('auto-recharge on, usage crosses the trigger: a proactive alert arrives and a notice email is written', async () => {
    const alex = bot.teams(TENANT, ALEX);
    const wei = bot.teams(TENANT, WEI);
    expect(cardText((await wei.say('余额')).card)).toContain('余额');
    await alex.say('auto-recharge below 30 add 100');
    expect((await bot.account(TENANT)).autoRecharge).toMatchObject({ enabled: true, triggerMinor: 3000, amountMinor: 10000 });

    const usage = await bot.usage(TENANT, '45.00');
    expect(usage.body).toMatchObject({ accepted: 1 });
    await waitFor('the recharge', async () => (await bot.account(TENANT)).balance === '125.00');

    const alexAlert = await waitFor("the alert in Alex's chat", () => alertsIn(alex.conversationId, /Auto-recharge added funds/)[0]);
    expect(cardText(alexAlert.card)).toContain('$100.00');
    expectValidCard(alexAlert.card);
    const weiAlert = await waitFor(
      "the alert in Wei's chat, in Chinese",
      () => alertsIn(wei.conversationId, new RegExp(zhCN.alerts.rechargeSucceededTitle))[0],
    );
    expect(cardText(weiAlert.card)).toMatch(/100\.00/);

    await bot.app.alerts.idle();
    const mails = await Promise.all((await bot.outbox()).map((f) => readEml(f.text)));
    const toAlex = mails.find((m) => isTo(m, 'alex@contoso.com') && /Auto-recharge added funds/.test(m.subject ?? ''));
    const toWei = mails.find((m) => isTo(m, 'wei@contoso.com') && m.subject?.includes(zhCN.alerts.rechargeSucceededTitle));
    expect(toAlex?.text).toContain('$100.00');
    expect(toWei && headerOf(toWei, 'Content-Language')).toBe('zh-CN');
    expect(toWei?.subject).toMatch(/^通信点数/);
  });

  it('a declined test card: the recharge fails, the admins hear why, by card and by email', async () => {
    const alex = bot.teams(TENANT, ALEX);
    const payment = await alex.say('payment method');
    const choose = await alex.execute({ ...buttons(payment.card)[Verb.paymentMethodChoose]!, testCardId: 'mastercard-decline' }, payment.id);
    expect(cardText(choose.body.value)).toContain('0002');

    await bot.usage(TENANT, '100.00'); // 125 → 25, below the trigger of 30
    const alert = await waitFor('the failure alert', () => alertsIn(alex.conversationId, /Auto-recharge failed/)[0]);
    expect(cardText(alert.card)).toContain('declined');
    await bot.app.alerts.idle();
    const mail = (await Promise.all((await bot.outbox()).map((f) => readEml(f.text)))).find((m) => /Auto-recharge failed/.test(m.subject ?? ''));
    expect(mail?.text).toContain('declined');
    expect((await bot.account(TENANT)).balance).toBe('25.00');
  });

  it('below zero: calling is suspended and the admins are told, by card and by email', async () => {
    const alex = bot.teams(TENANT, ALEX);
    await bot.usage(TENANT, '40.00'); // 25 → -15
    expect((await bot.account(TENANT)).status).toBe('suspended');
    const alert = await waitFor('the suspension alert', () => alertsIn(alex.conversationId, /Calling suspended/)[0]);
    expect(cardText(alert.card)).toContain('-$15.00');
    await bot.app.alerts.idle();
    const mails = await Promise.all((await bot.outbox()).map((f) => readEml(f.text)));
    expect(mails.some((m) => /Calling suspended/.test(m.subject ?? '') && isTo(m, 'alex@contoso.com'))).toBe(true);
    expect(mails.some((m) => m.subject?.includes(zhCN.alerts.suspendedTitle) && isTo(m, 'wei@contoso.com'))).toBe(true);
  });

  it('each alert reaches each admin conversation once', async () => {
    await bot.app.alerts.idle();
    const alex = bot.teams(TENANT, ALEX);
    for (const title of [/Auto-recharge added funds/, /Auto-recharge failed/, /Calling suspended/])
      expect(alertsIn(alex.conversationId, title), String(title)).toHaveLength(1);
  });

  it('Chinese phrasings work end to end', async () => {
    const wei = bot.teams(TENANT, WEI);
    const payment = await wei.say('付款方式');
    expect(cardText(payment.card)).toContain('0002');
    await wei.execute({ ...buttons(payment.card)[Verb.paymentMethodChoose]!, testCardId: 'visa-success' }, payment.id);
    // A new card lets the recharge that was declined run again: -15 + 100.
    await waitFor('the recharge with the new card', async () => (await bot.account(TENANT)).balance === '85.00');
    const confirmation = await wei.say('充值50美元');
    expect(cardText(confirmation.card)).toMatch(/确认/);
    const receipt = await wei.execute(buttons(confirmation.card)[Verb.fundsConfirm]!, confirmation.id);
    expect(cardText(receipt.body.value)).toMatch(/[\u4e00-\u9fff]/);
    expect((await bot.account(TENANT)).balance).toBe('135.00');
    expect(cardText((await wei.say('查看历史')).card)).toContain(zhCN.entryKind['funds-added']);
  });

  it('keeps tenants apart: another tenant sees its own account and none of these alerts', async () => {
    const other = bot.teams('fabrikam-e2e', { id: '29:olga', aadObjectId: 'aad-olga', name: 'Olga' });
    expect(cardText((await other.say('balance')).card)).toContain('$0.00');
    const confirmation = await other.say('add 10');
    // A button from Contoso's chat pressed in Fabrikam's moves Fabrikam's money, never Contoso's.
    await other.execute({ ...buttons(confirmation.card)[Verb.fundsConfirm]!, tenantId: TENANT });
    expect((await bot.account('fabrikam-e2e')).balance).toBe('10.00');
    expect((await bot.account(TENANT)).balance).toBe('135.00');
    expect(connector.cardsIn(other.conversationId).some((c) => /Auto-recharge added funds|Auto-recharge failed|Calling suspended/.test(cardText(c.card)))).toBe(
      false,
    );
  });

  it('junk bodies and junk card payloads get no 5xx and move no money', async () => {
    const alex = bot.teams(TENANT, ALEX);
    const before = (await bot.account(TENANT)).balanceMinor;
    for (const body of [
      'not json',
      '[]',
      '{}',
      JSON.stringify({ type: 'message' }),
      JSON.stringify({ type: 'message', serviceUrl: 'ftp://x', conversation: { id: 'c' }, from: { id: 'u' } }),
    ]) {
      const response = await bot.http('POST', '/api/messages', body);
      expect(response.status, body).toBeLessThan(500);
    }
    const junk = [
      { type: 'message', text: '💸💸💸 ;; DROP TABLE' },
      { type: 'message', value: { verb: Verb.fundsConfirm, operationId: 'op', amount: '-50', currency: 'USD' } },
      { type: 'message', value: { verb: Verb.fundsConfirm, operationId: 'op', amount: '50.00', currency: 'EUR' } },
      { type: 'message', value: { verb: 'funds.steal' } },
      { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: Verb.fundsConfirm, data: { amount: '1000000' } } } },
      { type: 'invoke', name: 'adaptiveCard/action', value: 'junk' },
      { type: 'invoke', name: 'adaptiveCard/action' },
      { type: 'invoke', name: 'task/fetch', value: {} },
      { type: 'message', value: [1, 2, 3] },
    ];
    for (const fields of junk) {
      const response = await alex.post(fields);
      expect(response.status, JSON.stringify(fields)).toBeLessThan(500);
    }
    expect((await bot.account(TENANT)).balanceMinor).toBe(before);
  });
});

describe('who may do what, end to end', () => {
  const harness = useBotUnderTest({ ADMIN_USER_IDS: 'aad-alex' });

  it('refuses a non-admin politely with no data, and their button presses move nothing', async () => {
    const alex = harness.bot.teams(TENANT, ALEX);
    const megan = harness.bot.teams(TENANT, { id: '29:megan', aadObjectId: 'aad-megan', name: 'Megan' });
    await alex.say('add 50');
    const refused = await megan.say('balance');
    expect(cardText(refused.card)).toContain('administrators');
    expect(cardText(refused.card)).not.toMatch(/\d+\.\d\d/);

    const confirmation = await alex.say('add 50');
    const pressed = await megan.execute(buttons(confirmation.card)[Verb.fundsConfirm]!, confirmation.id);
    expect(pressed.status).toBe(200);
    expect(pressed.body.type).toBe('application/vnd.microsoft.activity.message');
    expect((await harness.bot.account(TENANT)).balance).toBe('0.00');

    // Alerts go to admins only: Alex hears that the balance fell below zero, Megan does not.
    await alex.execute(buttons(confirmation.card)[Verb.fundsConfirm]!, confirmation.id);
    await harness.bot.usage(TENANT, '60.00');
    await waitFor('the alert to Alex', () => harness.connector.cardsIn(alex.conversationId).some((c) => /Calling suspended/.test(cardText(c.card))));
    await harness.bot.app.alerts.idle();
    expect(harness.connector.cardsIn(megan.conversationId).some((c) => /Calling suspended/.test(cardText(c.card)))).toBe(false);
  });
});
