import { describe, expect, it } from 'vitest';
import {
  addFundsSummary,
  alertSummary,
  alertThresholdSummary,
  alertsHereSummary,
  autoRechargeSettingsSummary,
  balanceSummary,
  confirmationSummary,
  paymentFailedSummary,
  paymentMethodSummary,
  problemSummary,
  receiptSummary,
  usageSummary,
} from '../../cards/index.js';
import { ALERTS, balance, confirmation, PROBLEMS, receipt, settings, threshold, usage } from './fixtures.js';

const HAN = /\p{Script=Han}/u;

/** Every summary the bot can send with a card, in one locale. */
function everySummary(locale: string): Array<[string, string]> {
  return [
    ...ALERTS.map((alert, i): [string, string] => [`alert ${i} ${alert.type}`, alertSummary(alert, locale)]),
    ...PROBLEMS.map((problem, i): [string, string] => [`problem ${i} ${problem.code}`, problemSummary(problem, locale, 'USD')]),
    ['balance', balanceSummary(balance(), locale)],
    ['balance, suspended', balanceSummary(balance({ balanceMinor: -450, status: 'suspended' }), locale)],
    ['add funds', addFundsSummary({ currency: 'USD', balanceMinor: 3766 }, locale)],
    ['confirmation', confirmationSummary(confirmation(), locale)],
    ['receipt', receiptSummary(receipt(), locale)],
    ['payment failed', paymentFailedSummary({ reason: 'declined', operationId: 'op', amountMinor: 5000, currency: 'USD' }, locale)],
    ['auto-recharge', autoRechargeSettingsSummary(settings(), locale)],
    ['threshold', alertThresholdSummary(threshold(), locale)],
    ['payment method', paymentMethodSummary({ current: null, sandbox: true }, locale)],
    ['usage', usageSummary(usage(), locale)],
    ['alerts here', alertsHereSummary({ state: 'offer', scope: 'channel' }, locale)],
  ];
}

describe('summaries: the line Teams shows for a card in the chat list and the notification', () => {
  it.each(['en-US', 'zh-CN'])('every one in %s is a single line in that language, and names no tenant', (locale) => {
    for (const [name, summary] of everySummary(locale)) {
      expect(summary.trim(), name).not.toBe('');
      expect(summary, name).not.toMatch(/\n/);
      expect(summary, name).not.toContain('contoso-tenant-id');
      if (locale === 'zh-CN') expect(summary, name).toMatch(HAN);
      else expect(summary, name).not.toMatch(HAN);
    }
  });

  it.each([
    [0, 'Low balance: $8.50, below $10.00', '余额不足：US$8.50，低于 US$10.00'],
    [1, 'Calling suspended: balance -$4.20', '通话已暂停：余额 -US$4.20'],
    [2, 'Calling resumed: balance $45.80', '通话已恢复：余额 US$45.80'],
    [3, 'Auto-recharge added funds: +$100.00 · balance $108.50', '自动充值成功：+US$100.00 · 余额 US$108.50'],
    [4, 'Auto-recharge failed: The card on file was declined.', '自动充值失败：已登记的卡被拒绝。'],
    [5, 'Auto-recharge paused: The card on file was declined.', '自动充值已暂停：已登记的卡被拒绝。'],
    [11, 'Funds expired: $12.66', '资金已到期：US$12.66'],
    [12, 'Unusual spend: $480.00 in one hour', '异常花费：一小时内花费 US$480.00'],
    [13, 'Unusual spend: calls to Sierra Leone', '异常花费：有通话拨往塞拉利昂'],
    [14, 'Unusual spend: calls to Sierra Leone and 9,999 more destinations', '异常花费：有通话拨往塞拉利昂及另外 9,999 个目的地'],
  ] as const)('alert %i reads %j', (i, en, zh) => {
    expect(alertSummary(ALERTS[i]!, 'en-US')).toBe(en);
    expect(alertSummary(ALERTS[i]!, 'zh-CN')).toBe(zh);
  });
});
