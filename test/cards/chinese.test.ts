import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { zhCN } from '../../cards/i18n/index.js';
import { destinationName, regionCodeOf } from '../../cards/destinations.js';
import { renderBalanceCard, renderUsageCard, renderWelcomeCard, renderHistoryCard, renderAlertCard } from '../../cards/index.js';
import { ALERTS, autoRecharge, balance, history, historyEntries, usage } from './fixtures.js';
import { cardCatalogue } from './fixtures.js';
import { cardText, cardTexts } from './validateCard.js';

const HAN = /\p{Script=Han}/u;
const SAMPLE_RATES = JSON.parse(readFileSync(new URL('../../data/rates/sample-rates.json', import.meta.url), 'utf8')) as {
  rates: Array<{ destination: string }>;
};
const COUNTRIES = [...new Set(SAMPLE_RATES.rates.map((r) => r.destination).filter((d) => !['Domestic', 'International', '*'].includes(d)))];

/** Every string of the Chinese table, functions called with sample arguments. */
const leaves = (table: unknown): string[] =>
  typeof table === 'string'
    ? [table]
    : typeof table === 'function'
      ? [String((table as (...args: unknown[]) => unknown)('1', '2', 3))]
      : typeof table === 'object' && table !== null
        ? Object.values(table).flatMap(leaves)
        : [];

describe('destinations in Chinese', () => {
  it('the sample rate table names countries', () => {
    expect(COUNTRIES.length).toBeGreaterThanOrEqual(6);
  });

  it.each(COUNTRIES)('%s has a region code and a Chinese name', (country) => {
    expect(regionCodeOf(country)).toMatch(/^[A-Z]{2}$/);
    const zh = destinationName(country, 'zh-CN');
    expect(zh).toMatch(HAN);
    expect(zh).not.toBe(country);
    expect(destinationName(country, 'en-US')).toBe(country);
  });

  it.each([
    ['Sierra Leone', '塞拉利昂'],
    ['United States', '美国'],
    ['United Kingdom', '英国'],
    ['Korea, Republic of', '韩国'],
    ['Russian Federation', '俄罗斯'],
    ['Viet Nam', '越南'],
    ['Myanmar', '缅甸'],
    ['Burma', '缅甸'],
    ["Côte d'Ivoire", '科特迪瓦'],
    ['Saint Lucia', '圣卢西亚'],
    ['Turkey', '土耳其'],
    ['Hong Kong', '香港'],
  ])('%s reads %s', (name, zh) => {
    expect(destinationName(name, 'zh-CN')).toBe(zh);
  });

  it('a name that matches no country is shown as it came', () => {
    expect(destinationName('Atlantis', 'zh-CN')).toBe('Atlantis');
    expect(regionCodeOf('Domestic')).toBeNull();
  });

  it('usage rows and new-destination alerts name countries in Chinese', () => {
    const rows = COUNTRIES.map((country, i) => ({ callType: 'user_out', destination: country, count: i + 1, minutes: 2, amountMinor: 100 }));
    const text = cardText(renderUsageCard(usage({ rows, totalMinor: rows.length * 100 }), 'zh-CN'));
    for (const country of COUNTRIES) expect(text).toContain(`呼出通话 · ${destinationName(country, 'zh-CN')}`);
    expect(text).not.toMatch(/United|Canada|China|Germany|Japan/);
    expect(cardText(renderAlertCard(ALERTS[13]!, 'zh-CN'))).toContain('有通话拨往塞拉利昂，');
  });
});

describe('one term per concept in Chinese', () => {
  const texts = leaves(zhCN);

  it('the card on file is 已登记的卡 or 付款方式, never 银行卡 (a debit card) or another word', () => {
    expect(texts.filter((text) => /银行卡|付款卡|扣款卡|信用卡/.test(text))).toEqual([]);
    expect(zhCN.payment.current).toBe('已登记的卡');
  });

  it('paging is 较新 / 较早, and the two pauses have their own names', () => {
    expect([zhCN.actions.newer, zhCN.actions.older, zhCN.actions.newest]).toEqual(['较新', '较早', '最新']);
    expect(zhCN.status.suspended).toBe('通话已暂停');
    expect(zhCN.autoRecharge.paused(3)).toContain('自动充值已暂停');
    expect(texts.filter((text) => /(^|[^话值])已暂停/.test(text))).toEqual([]);
  });

  it('says 历史记录 for the history', () => {
    expect([zhCN.actions.history, zhCN.history.title]).toEqual(['历史记录', '历史记录']);
  });

  it('no space after "。" anywhere, in the tables or on a card', () => {
    expect(texts.filter((text) => /。 /.test(text))).toEqual([]);
    for (const { name, card } of cardCatalogue('zh-CN'))
      expect(
        cardTexts(card).filter((text) => /。 /.test(text)),
        name,
      ).toEqual([]);
  });

  it('keeps 通信点数 as the product and says once that the admin center calls it 通信额度', () => {
    expect(zhCN.product).toBe('通信点数');
    const mentions = texts.filter((text) => text.includes('通信额度'));
    expect(mentions).toHaveLength(1);
    expect(cardText(renderWelcomeCard({}, 'zh-CN'))).toContain('通信额度');
    expect(
      cardText(
        renderBalanceCard(balance({ balanceMinor: 0, status: 'suspended', autoRecharge: autoRecharge({ state: 'paused', consecutiveFailures: 3 }) }), 'zh-CN'),
      ),
    ).toMatch(/通话已暂停[\s\S]*自动充值已暂停|自动充值已暂停[\s\S]*通话已暂停/);
    expect(cardText(renderHistoryCard(history({ entries: historyEntries(3), olderCursor: '1', newerCursor: '9' }), 'zh-CN'))).toMatch(/较早[\s\S]*较新/);
  });
});
