import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toDecimalString } from '../../services/money.js';
import { formatter, renderAddFundsCard, renderBalanceCard, renderConfirmationCard, renderHistoryCard, renderReceiptCard } from '../../cards/index.js';
import { balance, confirmation, history, historyEntries, receipt } from './fixtures.js';
import { cardText, executeActions } from './validateCard.js';

describe('amounts on cards', () => {
  it('are exact in the user locale', () => {
    const en = formatter('en-US');
    expect(en.money(3766, 'USD')).toBe('$37.66');
    expect(en.money(0, 'USD')).toBe('$0.00');
    expect(en.money(-1234, 'USD')).toBe('-$12.34');
    expect(en.money(123_456, 'JPY')).toBe('¥123,456');
    expect(en.money(1234, 'KWD')).toBe('KWD\u00a01.234');
    expect(en.money(900_719_925_474_099, 'USD')).toBe('$9,007,199,254,740.99');
    expect(formatter('zh-CN').money(3766, 'USD')).toBe('US$37.66');
    expect(formatter('zh-CN').money(123_456, 'JPY')).toBe('JP¥123,456');
    expect(formatter('en-GB').money(3766, 'GBP')).toBe('£37.66');
  });

  it('show a change with its sign, and no change as a dash', () => {
    const en = formatter('en-US');
    expect(en.signedMoney(5000, 'USD')).toBe('+$50.00');
    expect(en.signedMoney(-137, 'USD')).toBe('-$1.37');
    expect(en.signedMoney(0, 'USD')).toBe('—');
  });

  it('keep every digit for any amount and currency precision', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e14, max: 1e14 }),
        fc.constantFrom('USD', 'EUR', 'JPY', 'KWD', 'CLF'),
        fc.constantFrom('en-US', 'en-GB', 'zh-CN'),
        (minor, currency, locale) => {
          const text = formatter(locale).money(minor, currency);
          expect(text.replace(/[^\d.-]/g, '').replace(/^-?\.+|\.+$/g, '')).toBe(toDecimalString(minor, currency));
        },
      ),
    );
  });

  it('show the balance big, in the account currency', () => {
    expect(cardText(renderBalanceCard(balance(), 'en-US'))).toContain('$37.66');
    expect(cardText(renderBalanceCard(balance(), 'zh-CN'))).toContain('US$37.66');
    const jpy = cardText(renderBalanceCard(balance({ currency: 'JPY', balanceMinor: 123_456, lots: [], recent: [] }), 'en-US'));
    expect(jpy).toContain('¥123,456');
    expect(jpy).not.toMatch(/¥[\d,]+\.\d/);
  });

  it('show a negative balance as negative, and what is owed', () => {
    const card = renderBalanceCard(balance({ balanceMinor: -1234, status: 'suspended', lots: [] }), 'en-US');
    const big = card.body[1] as { text: string; color: string; size: string };
    expect(big).toMatchObject({ text: '-$12.34', color: 'attention', size: 'extraLarge' });
    expect(cardText(card)).toContain('New funds first pay off the $12.34 owed.');
  });

  it('carry amounts in card data as exact decimal strings, and none in Confirm (it charges the recorded offer)', () => {
    const usd = executeActions(renderConfirmationCard(confirmation({ amountMinor: 5005 }), 'en-US')).find((a) => a.verb === 'funds.confirm');
    expect(usd?.data).toEqual({ verb: 'funds.confirm', operationId: confirmation().operationId });
    const presets = executeActions(renderAddFundsCard({ currency: 'JPY' }, 'en-US')).filter((a) => a.data.amount !== undefined);
    expect(presets.map((a) => [a.title, a.data.amount])).toEqual([
      ['¥25', '25'],
      ['¥50', '50'],
      ['¥100', '100'],
      ['¥250', '250'],
    ]);
  });

  it('show signed changes and the balance after in history', () => {
    const text = cardText(renderHistoryCard(history({ entries: historyEntries(3) }), 'en-US'));
    expect(text).toContain('+$50.00');
    expect(text).toContain('-$1.37');
    expect(text).toContain('Balance $100.00');
  });

  it('show times in UTC for a reader whose zone is unknown, and say so once', () => {
    expect(cardText(renderReceiptCard(receipt(), 'en-US'))).toContain('Mar 5, 2027');
    expect(cardText(renderReceiptCard(receipt(), 'zh-CN'))).toContain('2027年3月5日');
    expect(cardText(renderReceiptCard(receipt({ at: '2026-03-05T23:30:00.000Z' }), 'en-US'))).toContain('Mar 5, 2026, 23:30 (UTC)');
    expect(cardText(renderReceiptCard(receipt({ at: '2026-03-05T23:30:00.000Z' }), 'zh-CN'))).toContain('2026年3月5日 23:30（UTC）');
  });
});
