import { describe, expect, it } from 'vitest';
import { renderAlertCard, renderAutoRechargeCard, renderBalanceCard, renderGetStartedCard, renderUsageCard, type AdaptiveCard } from '../../cards/index.js';
import { ALERTS, autoRecharge, balance, settings, usage } from './fixtures.js';
import { cardActions, cardInputs, cardText, executeActions } from './validateCard.js';

const verbs = (card: AdaptiveCard) => executeActions(card).map((a) => a.verb);
const MASTERCARD = { brand: 'Mastercard', last4: '0002', expMonth: 12, expYear: 2034, test: true };
const suspendedAfterDecline = balance({
  balanceMinor: -450,
  status: 'suspended',
  lots: [],
  autoRecharge: autoRecharge({ state: 'paused', consecutiveFailures: 3 }),
  rechargeFailure: 'declined',
  cardOnFile: MASTERCARD,
  insight: { runwayDays: 0, runwayUntil: 'trigger' },
});

describe('suspended after a declined recharge', () => {
  it.each([
    [
      'en-US',
      'Auto-recharge could not add funds: Mastercard •••• 0002, expires 12/2034 (test card) was declined.',
      'Change payment method',
      'The balance is already below the auto-recharge trigger.',
    ],
    ['zh-CN', '自动充值未能充值：Mastercard •••• 0002，有效期至 12/2034（测试卡） 被拒绝。', '更换付款方式', '余额已低于自动充值触发金额。'],
  ])('in %s the red panel names the declined card and the first button changes it', (locale, panel, primary, runway) => {
    const card = renderBalanceCard(suspendedAfterDecline, locale);
    const text = cardText(card);
    expect(text).toContain(panel);
    expect(JSON.stringify(card.body.find((e) => e.type === 'Container' && e.style === 'attention'))).toContain(panel.slice(0, 12));
    expect(card.actions![0]).toMatchObject({ type: 'Action.Execute', verb: 'paymentMethod.open', title: primary, style: 'positive' });
    expect(text).toContain(runway);
    expect(text).not.toMatch(/about 0 days|大约 0 天/);
  });

  it('a suspension with nothing wrong with the card still leads with Add funds', () => {
    const card = renderBalanceCard(balance({ balanceMinor: 0, status: 'suspended', autoRecharge: autoRecharge({ state: 'off' }) }), 'en-US');
    expect(card.actions![0]).toMatchObject({ verb: 'funds.start', style: 'positive' });
  });
});

describe('the balance card', () => {
  it('has at most four buttons in its row, the rest under More, and shows the card on file', () => {
    for (const vm of [balance(), suspendedAfterDecline]) {
      const card = renderBalanceCard({ ...vm, cardOnFile: MASTERCARD }, 'en-US');
      expect(card.actions!.length).toBeLessThanOrEqual(4);
      expect(card.actions!.at(-1)).toMatchObject({ type: 'Action.ShowCard', title: 'More' });
      expect(card.body.filter((e) => e.type === 'ActionSet')).toEqual([]);
      expect(cardText(card)).toContain('Payment method\nMastercard •••• 0002, expires 12/2034 (test card)');
    }
    const zh = renderBalanceCard(balance(), 'zh-CN');
    expect(zh.actions!.at(-1)).toMatchObject({ type: 'Action.ShowCard', title: '更多' });
    expect(cardText(zh)).toContain('资金进出');
  });
});

describe('a new tenant', () => {
  it.each([
    [
      'en-US',
      'Get started with Communications Credits',
      'Choose a payment method',
      ['toll-free dial-in', 'Add funds: nothing is charged until you confirm.', 'Set up auto-recharge'],
    ],
    ['zh-CN', '开始使用通信点数', '选择付款方式', ['免费电话拨入', '充值：确认之前不会扣款。', '设置自动充值']],
  ] as const)('in %s sees how to start, not a red suspension', (locale, title, first, lines) => {
    const card = renderGetStartedCard({ currency: 'USD', cardOnFile: null }, locale);
    const text = cardText(card);
    expect(text).toContain(title);
    for (const line of lines) expect(text).toContain(line);
    expect(text).not.toMatch(/Suspended|已暂停/);
    expect(JSON.stringify(card)).not.toContain('attention');
    expect(card.actions![0]).toMatchObject({ verb: 'paymentMethod.open', title: first, style: 'positive' });
    expect(verbs(card)).toEqual(['paymentMethod.open', 'funds.start', 'autoRecharge.open', 'help']);
  });

  it('once a card is chosen, Add funds comes first and the card is named', () => {
    const card = renderGetStartedCard({ currency: 'USD', cardOnFile: { brand: 'Visa', last4: '4242', expMonth: 12, expYear: 2034, test: true } }, 'en-US');
    expect(verbs(card)[0]).toBe('funds.start');
    expect(cardText(card)).toContain('Payment method: Visa •••• 4242, expires 12/2034 (test card).');
  });
});

describe('the usage card', () => {
  it('makes the suggested recharge a button: add it now, or use it for auto-recharge', () => {
    const card = renderUsageCard(usage(), 'en-US');
    const add = executeActions(card).find((a) => a.title === 'Add $70.00');
    expect(add).toMatchObject({ verb: 'funds.review', data: { verb: 'funds.review', amount: '70.00' } });
    const use = executeActions(card).find((a) => a.title === 'Use $70.00 for auto-recharge');
    expect(use).toMatchObject({ verb: 'autoRecharge.open', data: { verb: 'autoRecharge.open', amount: '70.00' } });
    expect(executeActions(renderUsageCard(usage(), 'zh-CN')).map((a) => a.title)).toEqual(expect.arrayContaining(['充值 US$70.00', '自动充值时充 US$70.00']));
  });

  it('writes every minute figure with one decimal and keeps labels short', () => {
    const text = cardText(renderUsageCard(usage(), 'en-US'));
    expect(text).toContain('960.0');
    expect(text).toContain('12.0');
    expect(text).not.toContain('Auto attendant / call queue');
  });
});

describe('the auto-recharge card', () => {
  it("shows the card it charges, starts at the bot's suggestion while off, and puts each limit under its field", () => {
    const card = renderAutoRechargeCard(
      settings({ autoRecharge: autoRecharge({ state: 'off' }), cardOnFile: MASTERCARD, suggestedAmountMinor: 14_000 }),
      'en-US',
    );
    const text = cardText(card);
    expect(text).toContain('Charges\nMastercard •••• 0002, expires 12/2034 (test card)');
    expect(cardInputs(card).find((i) => i.id === 'amount')?.value).toBe('140.00');
    expect(text).toContain('$140.00 is the suggestion from the last 30 days of calls');
    const body = JSON.stringify(card.body);
    expect(body.indexOf('Zero or more.')).toBeGreaterThan(body.indexOf('"id":"trigger"'));
    expect(body.indexOf('Zero or more.')).toBeLessThan(body.indexOf('"id":"amount"'));
    expect(body.indexOf('Between $10.00 and $10,000.00.')).toBeGreaterThan(body.indexOf('"id":"amount"'));
  });

  it('keeps the saved amount once auto-recharge is on, and names each field once', () => {
    const card = renderAutoRechargeCard(settings({ cardOnFile: MASTERCARD, suggestedAmountMinor: 14_000 }), 'en-US');
    expect(cardInputs(card).find((i) => i.id === 'amount')?.value).toBe('100.00');
    // The title and the toggle's label; the amounts by their labels only (no "Trigger:" or "Amount:" besides).
    expect(cardText(card).match(/^Auto-recharge$/gm)?.length).toBe(2);
    expect(cardText(card)).not.toMatch(/trigger|Trigger/);
  });

  it('without a card on file says auto-recharge cannot add funds and offers to choose one', () => {
    const card = renderAutoRechargeCard(settings({ cardOnFile: null }), 'zh-CN');
    expect(cardText(card)).toContain('尚未登记付款方式，选择付款方式之前自动充值无法充值。');
    expect(verbs(card)).toContain('paymentMethod.open');
  });
});

describe('alert cards point at the fix', () => {
  it('buttons say what they do', () => {
    expect(cardActions(renderAlertCard(ALERTS[0]!, 'en-US')).map((a) => a.title)).toEqual(['Add funds', 'Auto-recharge settings', 'Change alert threshold']);
    expect(cardActions(renderAlertCard(ALERTS[4]!, 'en-US')).map((a) => a.title)[0]).toBe('Change payment method');
    expect(cardActions(renderAlertCard(ALERTS[0]!, 'zh-CN')).map((a) => a.title)).toEqual(['充值', '自动充值设置', '更改提醒阈值']);
  });

  it('"When" is the hour a spend spike happened in', () => {
    expect(cardText(renderAlertCard(ALERTS[12]!, 'en-US'))).toContain('When\nMar 5, 2026, 13:00–14:00');
  });
});
