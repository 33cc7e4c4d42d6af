import { describe, expect, it } from 'vitest';
import { alertSummary, AUTO_RECHARGE_INPUT_IDS, renderAlertCard, renderAutoRechargeCard, renderBalanceCard, Verb } from '../../cards/index.js';
import { MAX_REFRESH_USERS } from '../../cards/action.js';
import type { Alert } from '../../services/alerts.js';
import { ALERTS, autoRecharge, balance, settings, spendControls } from './fixtures.js';
import { cardInputs, cardText, executeActions, expectValidCard } from './validateCard.js';

const alertOf = <T extends Alert['type']>(type: T, limit?: 'amount' | 'count') =>
  ALERTS.find((a) => a.type === type && (limit === undefined || (a as { limit?: string }).limit === limit)) as Extract<Alert, { type: T }>;
const shanghai = (locale: string) => ({ locale, timeZone: 'Asia/Shanghai' });

describe('spend control cards', () => {
  it('the monthly-cap alert says why auto-recharge paused, until when, and how to lift it, in both languages', () => {
    const count = alertOf('auto-recharge-limited', 'count');
    const en = renderAlertCard(count, shanghai('en-US'));
    expectValidCard(en);
    expect(cardText(en)).toContain('Auto-recharge paused for the month');
    expect(cardText(en)).toContain('made 3 recharges this month');
    // 16:00 UTC on 31 March is midnight on 1 April in Shanghai.
    expect(cardText(en)).toMatch(/Apr(il)? 1/);
    expect(cardText(en)).toContain('remove the recharge limit');
    expect(executeActions(en)[0]).toMatchObject({ verb: Verb.autoRechargeOpen });
    const zh = renderAlertCard(count, shanghai('zh-CN'));
    expect(cardText(zh)).toContain('本月自动充值已暂停');
    expect(cardText(zh)).toContain('取消自动充值上限');
    expect(cardText(renderAlertCard(alertOf('auto-recharge-limited', 'amount'), 'en-US'))).toContain('monthly cap of $500.00');
    expect(alertSummary(count, 'en-US')).toMatch(/^Auto-recharge paused for the month: paused until/);
  });

  it('the daily spend alert names the tenant day as written, whatever the reader’s zone', () => {
    const daily = alertOf('daily-spend-exceeded');
    for (const zone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'UTC']) {
      const card = renderAlertCard(daily, { locale: 'en-US', timeZone: zone });
      expectValidCard(card);
      expect(cardText(card)).toContain('Calls on Mar 5, 2026 cost $213.37, more than the $200.00 a day');
    }
    expect(cardText(renderAlertCard(daily, 'zh-CN'))).toContain('2026年3月5日的通话费用为 US$213.37');
    expect(alertSummary(daily, 'en-US')).toBe('Daily spend above your alert: $213.37 spent in a day');
  });

  it('the auto-recharge card shows the caps, what the month took, and inputs that are empty for no cap', () => {
    const card = renderAutoRechargeCard(settings({ spendControls: spendControls() }), shanghai('en-US'));
    expectValidCard(card);
    expect(cardText(card)).toContain('$500.00 or 3 recharges, whichever comes first');
    expect(cardText(card)).toContain('$100.00 in 2 recharges');
    expect(cardText(card)).toContain('More than $200.00 a day');
    const ids = cardInputs(card).map((input) => input.id);
    expect(ids).toEqual(expect.arrayContaining([AUTO_RECHARGE_INPUT_IDS.monthlyMax, AUTO_RECHARGE_INPUT_IDS.monthlyCount, AUTO_RECHARGE_INPUT_IDS.dailyAlert]));
    const none = renderAutoRechargeCard(
      settings({ spendControls: spendControls({ monthlyMaxMinor: null, monthlyMaxCount: null, dailyAlertMinor: null }) }),
      'en-US',
    );
    const spendInputs = new Set<unknown>([AUTO_RECHARGE_INPUT_IDS.monthlyMax, AUTO_RECHARGE_INPUT_IDS.monthlyCount, AUTO_RECHARGE_INPUT_IDS.dailyAlert]);
    expect(
      cardInputs(none)
        .filter((input) => spendInputs.has(input.id))
        .map((input) => input.value),
    ).toEqual(['', '', '']);
    const limited = renderAutoRechargeCard(
      settings({ autoRecharge: autoRecharge({ state: 'limited', resumesAt: '2026-03-31T16:00:00.000Z' }), spendControls: spendControls() }),
      shanghai('zh-CN'),
    );
    expect(cardText(limited)).toContain('自动充值已达到每月上限');
  });

  it('the balance card carries a refresh for at most 60 users, each once, and none without users', () => {
    const ids = Array.from({ length: 80 }, (_, i) => `29:user-${i % 70}`);
    const card = renderBalanceCard(balance({ refreshUserIds: ids }), 'en-US');
    expectValidCard(card);
    expect(card.refresh?.action).toMatchObject({ type: 'Action.Execute', verb: Verb.balanceRefresh });
    expect(card.refresh?.userIds).toHaveLength(MAX_REFRESH_USERS);
    expect(new Set(card.refresh?.userIds).size).toBe(MAX_REFRESH_USERS);
    expect(renderBalanceCard(balance(), 'en-US').refresh).toBeUndefined();
  });
});
