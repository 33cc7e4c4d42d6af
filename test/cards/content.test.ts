import { describe, expect, it } from 'vitest';
import { TEST_CARDS } from '../../services/payments/sandboxGateway.js';
import {
  AMOUNT_INPUT_ID,
  AUTO_RECHARGE_INPUT_IDS,
  HISTORY_MAX_ROWS,
  renderAddFundsCard,
  renderAlertCard,
  renderAlertThresholdCard,
  renderAutoRechargeCard,
  renderBalanceCard,
  renderCancelledCard,
  renderConfirmationCard,
  renderHelpCard,
  renderHistoryCard,
  renderHistoryExportCard,
  renderPaymentFailedCard,
  renderPaymentMethodCard,
  renderProblemCard,
  renderReceiptCard,
  renderUsageCard,
  renderWelcomeCard,
  THRESHOLD_INPUT_ID,
  HELP_TOPIC_NAMES,
  type AdaptiveCard,
} from '../../cards/index.js';
import {
  ALERTS,
  autoRecharge,
  balance,
  confirmation,
  CSV_LINK,
  history,
  historyEntries,
  OPERATION_ID,
  PROBLEMS,
  receipt,
  settings,
  usage,
} from './fixtures.js';
import { cardActions, cardInputs, cardText, executeActions } from './validateCard.js';

const verbs = (card: AdaptiveCard) => executeActions(card).map((a) => a.verb);
const titles = (card: AdaptiveCard) => cardActions(card).map((a) => a.title);
const json = (card: AdaptiveCard) => JSON.stringify(card);

describe('balance card', () => {
  it('shows balance, status, auto-recharge, alert threshold, lots and money in and out, with four buttons and More', () => {
    const card = renderBalanceCard(balance({ insight: { runwayDays: 17, lastUsageSyncAt: '2026-03-05T14:00:00.000Z' } }), 'en-US');
    const text = cardText(card);
    expect(card.body[1]).toMatchObject({ type: 'TextBlock', text: '$37.66', size: 'extraLarge', weight: 'bolder' });
    expect(text).toContain('Active');
    expect(text).toContain('On: below $20.00, add $100.00');
    expect(text).toContain('Below $10.00');
    expect(text).toContain('expires Jun 1, 2026');
    expect(text).not.toMatch(/\d UTC/);
    expect(text.match(/Times are in UTC\./g)).toHaveLength(1);
    expect(text).toContain('Auto-recharge added funds');
    expect(text).toContain('-$1.20 · Mar 5, 2026, 10:00');
    expect(text).toContain('about 17 more days');
    expect(text).toContain('Usage last synced Mar 5, 2026, 14:00.');
    expect(card.actions?.map((a) => (a.type === 'Action.Execute' ? a.verb : a.title))).toEqual(['funds.start', 'autoRecharge.open', 'history.page', 'More']);
    expect(verbs(card)).toEqual(['funds.start', 'autoRecharge.open', 'history.page', 'paymentMethod.open', 'usage.open', 'alerts.open', 'balance.refresh']);
    expect(titles(card)).toContain('Change alert threshold');
    expect(text).toContain('Forecast');
    expect(text).not.toContain('Outlook');
    expect(card.body[0]).toMatchObject({ type: 'Container', style: 'emphasis' });
  });

  it('explains a suspension in attention colour', () => {
    const text = cardText(renderBalanceCard(balance({ balanceMinor: 0, status: 'suspended' }), 'en-US'));
    expect(text).toContain('Suspended');
    expect(text).toMatch(/calling with Communications Credits is suspended until the balance is above zero/i);
    expect(json(renderBalanceCard(balance({ balanceMinor: 0, status: 'suspended' }), 'en-US'))).toContain('"style":"attention"');
    expect(cardText(renderBalanceCard(balance(), 'en-US'))).not.toMatch(/suspended until/);
  });

  it.each([
    [autoRecharge({ state: 'off' }), 'Off'],
    [autoRecharge({ state: 'paused', consecutiveFailures: 3 }), 'Paused after 3 failed payments in a row'],
    [autoRecharge({ state: 'waiting-for-payment-method' }), 'Waiting for a new payment method'],
    [autoRecharge({ state: 'in-progress', inFlightMinor: 10_000 }), 'Adding $100.00 now'],
    [autoRecharge({ state: 'retrying', nextRetryAt: '2026-03-05T14:45:00.000Z' }), 'trying again Mar 5, 2026, 14:45'],
  ])('says auto-recharge is %j', (ar, expected) => {
    expect(cardText(renderBalanceCard(balance({ autoRecharge: ar }), 'en-US'))).toContain(expected);
  });

  it('lists the 3 lots expiring soonest and the 5 newest transactions', () => {
    const lots = [5, 1, 4, 2, 3].map((month) => ({ remainingMinor: month * 100, expiresAt: new Date(Date.UTC(2026, month, 1)).toISOString() }));
    const recent = Array.from({ length: 8 }, (_, i) => ({
      kind: 'usage' as const,
      amountMinor: -(i + 1),
      at: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
    }));
    const text = cardText(renderBalanceCard(balance({ lots, recent }), 'en-US'));
    expect(text).toContain('$1.00\n');
    expect(text).toContain('$2.00');
    expect(text).toContain('$3.00');
    expect(text).not.toContain('$4.00');
    expect(text).toContain('and 2 more');
    expect(text).toContain('-$0.08');
    expect(text).toContain('-$0.04');
    expect(text).not.toContain('-$0.03');
  });

  it('says so when there are no lots and no transactions', () => {
    const text = cardText(renderBalanceCard(balance({ lots: [], recent: [] }), 'en-US'));
    expect(text).toContain('No funds to expire');
    expect(text).toContain('No money in or out yet.');
  });
});

describe('add funds card', () => {
  it('offers preset amounts that skip the inputs, an amount input and Review', () => {
    const card = renderAddFundsCard({ currency: 'USD', limits: { minMinor: 1000, maxMinor: 1_000_000 } }, 'en-US');
    const presets = executeActions(card).filter((a) => a.data.amount !== undefined);
    expect(presets.map((a) => [a.title, a.data.amount, a.associatedInputs])).toEqual([
      ['$25.00', '25.00', 'none'],
      ['$50.00', '50.00', 'none'],
      ['$100.00', '100.00', 'none'],
      ['$250.00', '250.00', 'none'],
    ]);
    expect(cardInputs(card)).toEqual([expect.objectContaining({ type: 'Input.Text', id: AMOUNT_INPUT_ID, isRequired: true })]);
    const review = executeActions(card).find((a) => a.title === 'Review');
    expect(review).toMatchObject({ verb: 'funds.review', data: { verb: 'funds.review' } });
    expect(review?.associatedInputs).toBeUndefined();
    // Buttons that only navigate never trip over the required input.
    expect(executeActions(card).find((a) => a.verb === 'balance.refresh')?.associatedInputs).toBe('none');
    expect(cardText(card)).toContain('Between $10.00 and $10,000.00.');
  });

  it('keeps presets within the limits', () => {
    const card = renderAddFundsCard({ currency: 'USD', limits: { minMinor: 5000, maxMinor: 10_000 } }, 'en-US');
    expect(
      executeActions(card)
        .filter((a) => a.data.amount !== undefined)
        .map((a) => a.data.amount),
    ).toEqual(['50.00', '100.00']);
  });

  it('shows why an amount was refused, under the input, and keeps what was typed', () => {
    const card = renderAddFundsCard({ currency: 'USD', amount: '5', error: { code: 'amount-too-small', minMinor: 1000, currency: 'USD' } }, 'en-US');
    expect(cardText(card)).toContain('Enter at least $10.00.');
    expect(cardInputs(card)[0]).toMatchObject({ value: '5' });
    expect(json(card)).toMatch(/"text":"Enter at least \$10\.00\.","wrap":true,"color":"attention"/);
  });

  it.each([
    [{ code: 'amount-too-large', maxMinor: 1_000_000, currency: 'USD' }, 'Enter at most $10,000.00.'],
    [
      { code: 'balance-out-of-range', maxMinor: 10_000_000_000_000, currency: 'USD' },
      'That would take the balance above $100,000,000,000.00, the most an account can hold.',
    ],
    [{ code: 'invalid-amount', input: 'fifty', reason: 'not-a-number' }, "“fifty” isn't an amount"],
    [{ code: 'invalid-amount', input: '', reason: 'not-a-number' }, 'Enter an amount'],
    [{ code: 'invalid-amount', input: '1.234', reason: 'too-many-decimals' }, 'USD amounts have at most 2 decimal places.'],
    [{ code: 'invalid-amount', input: '-5', reason: 'negative' }, 'Enter a positive amount.'],
    [{ code: 'currency-mismatch', expected: 'USD', got: 'EUR' }, 'This account is in USD, not EUR.'],
  ] as const)('explains %j', (error, expected) => {
    expect(cardText(renderAddFundsCard({ currency: 'USD', error }, 'en-US'))).toContain(expected);
  });

  it('explains in Chinese, with the limit', () => {
    const text = cardText(renderAddFundsCard({ currency: 'USD', error: { code: 'amount-too-small', minMinor: 1000, currency: 'USD' } }, 'zh-CN'));
    expect(text).toContain('金额至少为 US$10.00。');
    const range = cardText(
      renderAddFundsCard({ currency: 'USD', error: { code: 'balance-out-of-range', maxMinor: 10_000_000_000_000, currency: 'USD' } }, 'zh-CN'),
    );
    expect(range).toContain('这会使余额超过 US$100,000,000,000.00，即账户所能持有的上限。');
  });
});

describe('confirmation card', () => {
  it('shows amount, card on file, balance after and the operation id; Confirm carries the operation and amount', () => {
    const card = renderConfirmationCard(confirmation(), 'en-US');
    const text = cardText(card);
    expect(text).toContain('Visa •••• 4242, expires 12/2034');
    expect(text).toContain('$87.66');
    expect(text).toContain(`Operation ${OPERATION_ID}`);
    expect(verbs(card)).toEqual(['funds.confirm', 'funds.cancel']);
    const [confirm, cancel] = executeActions(card);
    expect(confirm).toMatchObject({ title: 'Confirm $50.00', style: 'positive', data: { verb: 'funds.confirm', operationId: OPERATION_ID } });
    expect(Object.keys(confirm!.data)).toEqual(['verb', 'operationId']);
    expect(cancel?.data).toEqual({ verb: 'funds.cancel', operationId: OPERATION_ID });
  });

  it.each([
    ['no card', null, 'No card on file'],
    ['an expired card', { brand: 'Visa', last4: '0069', expMonth: 1, expYear: 2024, expired: true }, 'has expired'],
  ])('offers Payment method instead of Confirm with %s', (_name, onFile, expected) => {
    const card = renderConfirmationCard(confirmation({ card: onFile }), 'en-US');
    expect(verbs(card)).toEqual(['paymentMethod.open', 'funds.cancel']);
    expect(cardText(card)).toContain(expected);
    expect(json(card)).not.toContain('funds.confirm');
  });
});

describe('outcome cards', () => {
  it('receipt: amount, new balance, expiry, operation, in good colour', () => {
    const card = renderReceiptCard(receipt(), 'en-US');
    const text = cardText(card);
    expect(text).toContain('+$50.00');
    expect(text).toContain('$87.66');
    expect(text).toContain('Mar 5, 2027');
    expect(text).toContain('Mar 5, 2026, 14:30 (UTC)');
    expect(text).toContain(`Operation ${OPERATION_ID}`);
    expect(card.body[0]).toMatchObject({ style: 'good' });
    expect(text).not.toContain('already added');
  });

  it('receipt for a replay: the same receipt with a note', () => {
    const text = cardText(renderReceiptCard(receipt({ replayed: true }), 'en-US'));
    expect(text).toContain('+$50.00');
    expect(text).toContain('already added by this operation; nothing was charged twice');
  });

  it('cancelled and payment failed', () => {
    expect(cardText(renderCancelledCard({ by: 'Adele Vance' }, 'en-US'))).toContain('Cancelled by Adele Vance.');
    const failed = renderPaymentFailedCard({ reason: 'declined', operationId: OPERATION_ID, amountMinor: 5000, currency: 'USD' }, 'en-US');
    expect(cardText(failed)).toContain('was declined');
    expect(failed.body[0]).toMatchObject({ style: 'attention' });
    expect(verbs(failed)).toEqual(['paymentMethod.open', 'funds.start']);
    expect(executeActions(failed)[1]?.data).toEqual({ verb: 'funds.start', amount: '50.00' });
  });
});

describe('auto-recharge card', () => {
  it('has the toggle, trigger and amount inputs with current values, and Save', () => {
    const card = renderAutoRechargeCard(settings(), 'en-US');
    expect(cardInputs(card).map((i) => [i.type, i.id, i.value])).toEqual([
      ['Input.Toggle', AUTO_RECHARGE_INPUT_IDS.enabled, 'true'],
      ['Input.Text', AUTO_RECHARGE_INPUT_IDS.trigger, '20.00'],
      ['Input.Text', AUTO_RECHARGE_INPUT_IDS.amount, '100.00'],
    ]);
    expect(verbs(card)[0]).toBe('autoRecharge.save');
    expect(cardInputs(renderAutoRechargeCard(settings({ autoRecharge: autoRecharge({ state: 'off' }) }), 'en-US'))[0]?.value).toBe('false');
  });

  it('shows a refused field with its reason and keeps the typed values', () => {
    const card = renderAutoRechargeCard(
      settings({
        values: { enabled: true, trigger: '20', amount: '5' },
        error: { field: 'amount', error: { code: 'amount-too-small', minMinor: 1000, currency: 'USD' } },
      }),
      'en-US',
    );
    expect(cardText(card)).toContain('Enter at least $10.00.');
    expect(cardText(card)).not.toContain('Amount: Enter');
    expect(cardInputs(card).map((i) => i.value)).toEqual(['true', '20', '5']);
    const body = JSON.stringify(card.body);
    expect(body.indexOf('Enter at least')).toBeGreaterThan(body.indexOf('"id":"amount"'));
  });

  it('explains a pause and offers to resume it and change the card', () => {
    const card = renderAutoRechargeCard(settings({ autoRecharge: autoRecharge({ state: 'paused', consecutiveFailures: 3 }) }), 'en-US');
    expect(cardText(card)).toContain('paused itself after 3 failed payments in a row');
    expect(executeActions(card).find((a) => a.verb === 'autoRecharge.toggle')?.data).toEqual({ verb: 'autoRecharge.toggle', enabled: true });
    expect(verbs(card)).toContain('paymentMethod.open');
  });

  it('explains waiting for a new payment method', () => {
    const card = renderAutoRechargeCard(settings({ autoRecharge: autoRecharge({ state: 'waiting-for-payment-method' }) }), 'zh-CN');
    expect(cardText(card)).toContain('更换付款方式之前自动充值不会再次尝试');
  });

  it('threshold card reads the threshold input and saves with alerts.threshold', () => {
    const card = renderAlertThresholdCard({ currency: 'USD', thresholdMinor: 1000 }, 'en-US');
    expect(cardInputs(card)).toEqual([expect.objectContaining({ id: THRESHOLD_INPUT_ID, value: '10.00' })]);
    expect(verbs(card)[0]).toBe('alerts.threshold');
  });
});

describe('payment method card', () => {
  it('offers every sandbox test card, clearly labelled, and never asks for a card number', () => {
    const card = renderPaymentMethodCard(
      { current: { brand: 'Visa', last4: '4242', expMonth: 12, expYear: 2034 }, currentTestCardId: 'visa-success', sandbox: true },
      'en-US',
    );
    const text = cardText(card);
    expect(text).toContain('Sandbox test cards');
    expect(text).toContain('no real money');
    expect(text).toContain('never asks for a card number');
    expect(text).toContain('Mastercard •••• 0002');
    expect(text).toContain('Visa •••• 0069, expires 01/2024');
    const choices = executeActions(card)
      .filter((a) => a.verb === 'paymentMethod.choose')
      .map((a) => a.data.testCardId);
    expect(choices).toEqual(Object.keys(TEST_CARDS).filter((id) => id !== 'visa-success'));
    expect(text).toContain('In use');
    expect(cardInputs(card)).toEqual([]);
  });

  it('calls every sandbox card a test card, the one on file too, in both languages', () => {
    const current = { brand: 'Visa', last4: '4242', expMonth: 12, expYear: 2034, test: true };
    const en = cardText(renderPaymentMethodCard({ current, currentTestCardId: 'visa-success', sandbox: true }, 'en-US'));
    expect(en).toContain('Card on file\nVisa •••• 4242, expires 12/2034 (test card)');
    expect(en.match(/\(test card\)/g)).toHaveLength(1 + Object.keys(TEST_CARDS).length);
    expect(cardText(renderConfirmationCard(confirmation({ card: current }), 'en-US'))).toContain('Visa •••• 4242, expires 12/2034 (test card)');
    expect(cardText(renderConfirmationCard(confirmation({ card: current }), 'zh-CN'))).toContain('Visa •••• 4242，有效期至 12/2034（测试卡）');
    expect(cardText(renderConfirmationCard(confirmation(), 'en-US'))).not.toContain('test card');
  });

  it.each([
    ['en-US', 'mastercard-decline', 'the next recharge will fail'],
    ['zh-CN', 'mastercard-decline', '下一次自动充值会失败'],
    ['en-US', 'visa-expired', 'no recharge will be tried until another card is chosen'],
    ['zh-CN', 'visa-expired', '在选择其他卡之前不会尝试自动充值'],
  ] as const)('in %s, warns that auto-recharge cannot charge the %s card', (locale, id, warning) => {
    const current = { ...TEST_CARDS[id], test: true, expired: id === 'visa-expired' };
    const on = renderPaymentMethodCard({ current, currentTestCardId: id, sandbox: true, changed: true, autoRechargeOn: true }, locale);
    expect(cardText(on)).toContain(warning);
    expect(JSON.stringify(on)).toContain('"style":"warning"');
    expect(cardText(renderPaymentMethodCard({ current, currentTestCardId: id, sandbox: true, autoRechargeOn: false }, locale))).not.toContain(warning);
  });

  it('no warning for the paying card', () => {
    const current = { ...TEST_CARDS['visa-success'], test: true };
    expect(JSON.stringify(renderPaymentMethodCard({ current, currentTestCardId: 'visa-success', sandbox: true, autoRechargeOn: true }, 'en-US'))).not.toContain(
      '"style":"warning"',
    );
  });

  it('offers no test cards with a real gateway', () => {
    const card = renderPaymentMethodCard({ current: null, sandbox: false }, 'en-US');
    expect(verbs(card)).not.toContain('paymentMethod.choose');
    expect(cardText(card)).toContain('No card on file');
  });
});

describe('history card', () => {
  it('labels every entry kind, with actor, and pages with cursors', () => {
    const card = renderHistoryCard(history({ entries: historyEntries(9), olderCursor: '491', newerCursor: '501' }), 'en-US');
    const text = cardText(card);
    for (const label of [
      'Account opened',
      'Funds added',
      'Mar 5, 2026 · 1 call',
      'Funds expired',
      'Settings changed',
      'Payment method changed',
      'Auto-recharge started',
      'Auto-recharge failed',
      'Expiry reminder',
    ]) {
      expect(text).toContain(label);
    }
    expect(text).toContain('Mar 5, 2026, 14:30 · System');
    expect(text).toContain('Times are in UTC.');
    expect(text).toContain('· Operator');
    expect(text).toContain('· Adele Vance');
    const paging = executeActions(card).filter((a) => a.verb === 'history.page');
    expect(paging.map((a) => a.data)).toEqual([
      { verb: 'history.page', direction: 'older', cursor: '491' },
      { verb: 'history.page', direction: 'newer', cursor: '501' },
      { verb: 'history.page' },
      { verb: 'history.page', view: 'money' },
    ]);
  });

  it('has no Older or Newer on the only page', () => {
    const card = renderHistoryCard(history({ entries: historyEntries(2), olderCursor: null, newerCursor: null }), 'en-US');
    expect(titles(card)).toEqual(['Money in and out only', 'Download CSV', 'Show balance']);
  });

  it('offers the whole history as CSV through the signed link, and says how long it works', () => {
    for (const locale of ['en-US', 'zh-CN']) {
      const card = renderHistoryCard(history({ entries: historyEntries(2), olderCursor: null, newerCursor: null }), locale);
      const download = (card.actions ?? []).find((a) => a.type === 'Action.OpenUrl');
      expect(download).toEqual({ type: 'Action.OpenUrl', title: locale === 'en-US' ? 'Download CSV' : '下载 CSV', url: CSV_LINK.url });
      expect(cardText(card)).toContain(locale === 'en-US' ? 'works for 15 minutes' : '15 分钟内有效');
      expect(cardText(card)).not.toContain('journal.csv');
    }
  });

  it('answers "export history" with the download button, until when it works, and the history button', () => {
    const en = renderHistoryExportCard(CSV_LINK, 'en-US');
    expect(en.actions?.[0]).toEqual({ type: 'Action.OpenUrl', title: 'Download CSV', url: CSV_LINK.url });
    expect(titles(en)).toEqual(['Download CSV', 'History']);
    expect(cardText(en)).toContain('until 14:30; until then');
    const zh = renderHistoryExportCard(CSV_LINK, { locale: 'zh-CN', timeZone: 'Asia/Shanghai' });
    expect(zh.actions?.[0]).toMatchObject({ title: '下载 CSV', url: CSV_LINK.url });
    expect(cardText(zh)).toContain('链接在 22:30 前有效');
  });

  it('cuts a long page and continues Older right after the last row shown', () => {
    const card = renderHistoryCard(history({ entries: historyEntries(HISTORY_MAX_ROWS + 5, 100, { kind: 'settings-changed' }), olderCursor: '75' }), 'en-US');
    expect(executeActions(card).find((a) => a.title === 'Older')?.data.cursor).toBe(String(100 - HISTORY_MAX_ROWS + 1));
    expect(cardText(card).match(/Balance \$/g)).toHaveLength(HISTORY_MAX_ROWS);
  });

  it('labels entries in Chinese', () => {
    const text = cardText(renderHistoryCard(history({ entries: historyEntries(9) }), 'zh-CN'));
    for (const label of [
      '开通账户',
      '充值',
      '2026年3月5日 · 1 通电话',
      '资金到期',
      '设置变更',
      '更换付款方式',
      '开始自动充值',
      '自动充值失败',
      '到期提醒',
      '系统',
      '运营方',
    ]) {
      expect(text).toContain(label);
    }
  });
});

describe('usage card', () => {
  it('breaks usage down by call type and destination, with the total and the runway', () => {
    const text = cardText(renderUsageCard(usage(), 'en-US'));
    expect(text).toContain('Feb 4, 2026 – Mar 5, 2026');
    expect(text).toContain('Outgoing · International');
    expect(text).toContain('Meeting dial-out · Domestic');
    expect(text).toContain('Auto attendant out · United Kingdom');
    expect(text).toContain('Toll-free dial-in');
    expect(text).toContain('318.5');
    expect(text).toContain('960.0');
    expect(text).toContain('$68.05');
    expect(text).toContain('about 17 more days');
    expect(text).toContain('Suggested recharge: $70.00, about a month at this pace.');
    expect(cardText(renderUsageCard(usage(), 'zh-CN'))).toContain('呼出通话 · 国际');
  });

  it('says so when there is no usage', () => {
    expect(cardText(renderUsageCard(usage({ rows: [], totalMinor: 0, runway: { daysLeft: null, until: 'zero' } }), 'en-US'))).toContain(
      'No usage in this period.',
    );
  });
});

describe('help and welcome', () => {
  it('help lists example phrasings in the locale language', () => {
    const en = cardText(renderHelpCard(HELP_TOPIC_NAMES, 'en-US'));
    for (const phrase of ['balance', 'add 50', 'turn on auto-recharge', 'auto-recharge below 20 add 100', 'history', 'usage', 'payment method'])
      expect(en).toContain(phrase);
    const zh = cardText(renderHelpCard(HELP_TOPIC_NAMES, 'zh-CN'));
    for (const phrase of ['余额', '充值50美元', '开启自动充值', '关闭自动充值', '历史', '帮助']) expect(zh).toContain(phrase);
  });

  it('welcome greets by name and offers buttons', () => {
    const card = renderWelcomeCard({ userName: 'Adele' }, 'en-US');
    expect(cardText(card)).toContain('Hi Adele!');
    expect(verbs(card)).toEqual(['balance.refresh', 'funds.start', 'autoRecharge.open', 'help']);
  });
});

describe('alert cards', () => {
  const card = (i: number, locale = 'en-US') => renderAlertCard(ALERTS[i]!, locale);

  it('every alert has a title, what happened, the balance once, when, and a button to act', () => {
    for (const alert of ALERTS) {
      const rendered = renderAlertCard(alert, 'en-US');
      expect(rendered.body[0]).toMatchObject({ type: 'Container' });
      const balance = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(alert.balanceMinor / 100);
      expect(cardText(rendered).split(balance).length - 1, alert.type).toBe(1);
      expect(cardText(rendered)).toContain('When');
      expect(executeActions(rendered).length).toBeGreaterThan(0);
      expect(json(rendered)).not.toContain(alert.tenantId);
    }
  });

  it.each([
    [0, 'below your alert threshold of $10.00', 'funds.start', 'warning'],
    [1, 'suspended until the balance is above zero', 'funds.start', 'attention'],
    [2, 'works again', 'balance.refresh', 'good'],
    [3, '$100.00 was added automatically. The balance is now $108.50.', 'balance.refresh', 'good'],
    [4, 'It will try again Mar 5, 2026, 14:45.', 'paymentMethod.open', 'attention'],
    [5, 'After 3 failed attempts in a row auto-recharge is paused.', 'paymentMethod.open', 'attention'],
    [6, 'The card on file has expired. Auto-recharge will not try again until the payment method changes.', 'paymentMethod.open', 'attention'],
    [9, 'expires in 30 days, on Apr 4, 2026.', 'balance.refresh', 'warning'],
    [10, 'expires in 1 day', 'balance.refresh', 'warning'],
    [11, 'has expired', 'funds.start', 'warning'],
    [12, 'far above the usual $3.50 an hour', 'usage.open', 'attention'],
    [13, 'Calls were made to Sierra Leone, a country this organization has not called before.', 'usage.destination', 'attention'],
    [
      14,
      'Calls were made to Sierra Leone, Somalia, Nauru, Tuvalu, Cuba and 9,995 more destinations this organization has not called before.',
      'usage.destination',
      'attention',
    ],
    [
      14,
      'so a destination not on the record counts as new each time. New destinations will not raise another alert until Mar 5, 2026, 15:00:',
      'usage.destination',
      'attention',
    ],
    [15, 'Calls were made to Somalia and Nauru, countries this organization has not called before.', 'usage.destination', 'attention'],
  ] as const)('alert %i says %j and acts with %s', (i, text, verb, style) => {
    expect(cardText(card(i))).toContain(text);
    expect(verbs(card(i))[0]).toBe(verb);
    expect(card(i).body[0]).toMatchObject({ style });
  });

  it('a paused recharge offers to turn it back on', () => {
    expect(executeActions(card(5)).some((a) => a.verb === 'autoRecharge.toggle' && a.data.enabled === true)).toBe(true);
    expect(executeActions(card(4)).some((a) => a.verb === 'autoRecharge.toggle')).toBe(false);
  });

  it('alerts in Chinese', () => {
    expect(cardText(card(1, 'zh-CN'))).toContain('通话已暂停');
    expect(cardText(card(5, 'zh-CN'))).toContain('自动充值已暂停');
    expect(cardText(card(14, 'zh-CN'))).toContain('有通话拨往塞拉利昂、索马里、瑙鲁、图瓦卢、古巴以及另外 9,995 个目的地');
    expect(cardText(card(14, 'zh-CN'))).toContain('之前，新的目的地不会再触发提醒');
    expect(cardText(card(15, 'zh-CN'))).toContain('有通话拨往索马里和瑙鲁，');
  });
});

describe('message cards for every other reply', () => {
  it('the not-admin refusal is polite and shows no data and no buttons', () => {
    const card = renderProblemCard({ code: 'not-admin' }, 'en-US', 'USD');
    expect(cardText(card)).toMatch(/^Not available\nSorry/);
    expect(cardText(card)).not.toMatch(/\$|\d/);
    expect(cardActions(card)).toEqual([]);
  });

  it('consent needed links to the consent page', () => {
    const url = 'https://login.microsoftonline.com/common/adminconsent?client_id=abc';
    const card = renderProblemCard({ code: 'consent-required', consentUrl: url }, 'zh-CN');
    expect(cardActions(card)).toEqual([{ type: 'Action.OpenUrl', title: '授予权限', url }]);
  });

  it('unknown command suggests help', () => {
    const card = renderProblemCard({ code: 'unknown-command', input: 'make me a sandwich' }, 'en-US');
    expect(cardText(card)).toContain("I didn't understand “make me a sandwich”. Type help");
    expect(verbs(card)[0]).toBe('help');
  });

  it('something went wrong says nothing of the internals', () => {
    const gateway = PROBLEMS.find((p) => p.code === 'payment-failed' && p.reason === 'gateway-error')!;
    for (const problem of [gateway, { code: 'internal' as const, reference: 'req-7f3a' }]) {
      const text = cardText(renderProblemCard(problem, 'en-US'));
      expect(text).not.toMatch(/ECONNRESET|gateway\.internal|stack|Error:/);
    }
    expect(cardText(renderProblemCard({ code: 'internal', reference: 'req-7f3a' }, 'en-US'))).toContain('Reference: req-7f3a');
  });

  it.each([
    ['declined', 'was declined'],
    ['expired-card', 'has expired'],
    ['no-payment-method', 'no payment method on file'],
  ] as const)('payment %s points to the payment method', (reason, text) => {
    const card = renderProblemCard({ code: 'payment-failed', reason, message: 'x', amountMinor: 5000, currency: 'USD' }, 'en-US');
    expect(cardText(card)).toContain(text);
    expect(verbs(card)).toEqual(['paymentMethod.open']);
  });

  it('too-many-decimals knows the account currency', () => {
    expect(cardText(renderProblemCard({ code: 'invalid-amount', input: '1.5', reason: 'too-many-decimals' }, 'en-US', 'JPY'))).toContain(
      'JPY amounts have no decimal places.',
    );
  });

  it('every problem has a title and text in both languages, and amount problems lead back to Add funds', () => {
    for (const problem of PROBLEMS) {
      for (const locale of ['en-US', 'zh-CN']) {
        const texts = cardText(renderProblemCard(problem, locale, 'USD')).split('\n');
        expect(texts.length).toBeGreaterThanOrEqual(2);
      }
    }
    expect(verbs(renderProblemCard({ code: 'amount-too-small', minMinor: 1000, currency: 'USD' }, 'en-US'))).toEqual(['funds.start']);
  });
});
