import { CSV_LINK } from './fixtures.js';
import { describe, expect, it } from 'vitest';
import { newAccount, type Account } from '../../services/ledger/account.js';
import type { JournalEntry } from '../../services/ledger/journal.js';
import { RECOVERED_NOTE } from '../../services/ledgerService.js';
import {
  autoRechargeViewModel,
  balanceViewModel,
  cardOnFileViewModel,
  historyEntryViewModel,
  renderBalanceCard,
  renderHistoryCard,
  renderUsageCard,
  usageViewModel,
} from '../../cards/index.js';
import { cardProblems, cardText } from './validateCard.js';

const NOW = Date.parse('2026-03-05T14:30:00.000Z');

function account(over: (a: Account) => unknown = () => {}): Account {
  const a = newAccount('contoso-tenant-id', 'USD', NOW - 86_400_000, {
    lowBalanceAlertMinor: 1000,
    autoRecharge: { enabled: true, triggerMinor: 2000, amountMinor: 10_000 },
  });
  over(a);
  return a;
}

const entry = (over: Partial<JournalEntry> & Pick<JournalEntry, 'detail'>): JournalEntry => ({
  id: '7',
  tenantId: 'contoso-tenant-id',
  kind: over.detail.kind,
  amountMinor: 0,
  balanceAfterMinor: 3766,
  at: '2026-03-05T10:00:00.000Z',
  actor: 'system',
  idempotencyKey: null,
  ...over,
});

describe('autoRechargeViewModel', () => {
  it.each([
    ['off', (a) => Object.assign(a.autoRecharge, { enabled: false })],
    ['on', () => {}],
    ['in-progress', (a) => Object.assign(a.recharge, { inFlight: { attemptId: 'recharge-1', startedAt: NOW, amountMinor: 10_000 } })],
    ['paused', (a) => Object.assign(a.recharge, { paused: true, consecutiveFailures: 3 })],
    ['waiting-for-payment-method', (a) => Object.assign(a.recharge, { waitingForPaymentMethod: true, consecutiveFailures: 1 })],
    ['retrying', (a) => Object.assign(a.recharge, { nextRetryAt: NOW + 900_000, consecutiveFailures: 1 })],
  ] satisfies Array<[string, (a: Account) => unknown]>)('%s', (state, change) => {
    const vm = autoRechargeViewModel(account(change));
    expect(vm.state).toBe(state);
    expect(vm).toMatchObject({ triggerMinor: 2000, amountMinor: 10_000 });
  });

  it('switched off wins over a pause', () => {
    const a = account();
    a.autoRecharge.enabled = false;
    a.recharge.paused = true;
    expect(autoRechargeViewModel(a).state).toBe('off');
  });
});

describe('cardOnFileViewModel', () => {
  it('marks a card expired after its month ends (UTC)', () => {
    const card = { brand: 'Visa', last4: '0069', expMonth: 2, expYear: 2026 };
    expect(cardOnFileViewModel(card, Date.parse('2026-02-28T23:59:59Z'))?.expired).toBe(false);
    expect(cardOnFileViewModel(card, Date.parse('2026-03-01T00:00:00Z'))?.expired).toBe(true);
    expect(cardOnFileViewModel(null, NOW)).toBeNull();
  });
});

describe('balanceViewModel', () => {
  it('shows money-moving entries only, and renders a valid card', () => {
    const a = account((x) => {
      x.balanceMinor = 3766;
      x.lots = [
        {
          id: 'lot-2',
          purchasedAt: NOW - 1000,
          expiresAt: Date.parse('2027-03-05T00:00:00Z'),
          originalMinor: 5000,
          remainingMinor: 3766,
          source: 'manual',
          addedBy: 'u1',
          remindersSent: [],
        },
      ];
    });
    const recent = [
      entry({ id: '5', detail: { kind: 'settings-changed', lowBalanceAlertMinor: 500 } }),
      entry({
        id: '6',
        amountMinor: 5000,
        detail: { kind: 'funds-added', lotId: 'lot-2', source: 'auto-recharge', expiresAt: '2027-03-05T00:00:00.000Z', note: null },
      }),
    ];
    const vm = balanceViewModel(a, recent, { now: NOW, insight: { runwayDays: 12, runwayUntil: 'trigger' } });
    expect(vm).toMatchObject({ currency: 'USD', balanceMinor: 3766, status: 'active', lowBalanceAlertMinor: 1000, asOf: '2026-03-05T14:30:00.000Z' });
    expect(vm.recent).toEqual([{ kind: 'funds-added', amountMinor: 5000, at: '2026-03-05T10:00:00.000Z', source: 'auto-recharge' }]);
    expect(vm.lots).toEqual([{ remainingMinor: 3766, expiresAt: '2027-03-05T00:00:00.000Z', source: 'manual' }]);
    const card = renderBalanceCard(vm, 'en-US');
    expect(cardProblems(card)).toEqual([]);
    expect(cardText(card)).toContain('reaches the auto-recharge trigger in about 12 days');
    expect(JSON.stringify(card)).not.toContain('contoso-tenant-id');
  });

  it('a zero balance is suspended', () => {
    expect(balanceViewModel(account(), [], { now: NOW }).status).toBe('suspended');
  });
});

describe('historyEntryViewModel', () => {
  it('keeps the cursor, names people, and adds a detail where one helps', () => {
    const usage = entry({
      id: '42',
      kind: 'usage',
      amountMinor: -137,
      actor: 'system',
      detail: {
        kind: 'usage',
        usage: {
          recordId: 'r1',
          startDateTime: '2026-03-05T09:00:00Z',
          durationSeconds: 60,
          callType: 'user_out',
          destinationContext: 'International',
          destinationName: 'United Kingdom',
          userId: 'u',
          conferenceId: null,
          pricedFrom: 'charge',
        },
      },
    });
    expect(historyEntryViewModel(usage)).toMatchObject({
      id: '42',
      kind: 'usage',
      amountMinor: -137,
      at: '2026-03-05T09:00:00Z',
      note: { kind: 'destination', name: 'United Kingdom' },
      caller: 'u',
    });
    const added = entry({
      actor: '29:1abc',
      amountMinor: 5000,
      detail: { kind: 'funds-added', lotId: 'lot-7', source: 'manual', expiresAt: '2027-03-05T00:00:00Z', note: 'refund' },
    });
    expect(historyEntryViewModel(added, () => 'Adele Vance')).toMatchObject({ actor: 'Adele Vance', source: 'manual', note: { kind: 'text', text: 'refund' } });
    const card = renderHistoryCard(
      {
        currency: 'USD',
        view: 'all',
        csvLink: CSV_LINK,
        entries: [historyEntryViewModel(usage), historyEntryViewModel(added, () => 'Adele Vance')],
        olderCursor: null,
        newerCursor: null,
      },
      'zh-CN',
    );
    expect(cardProblems(card)).toEqual([]);
    expect(cardText(card)).toContain('Adele Vance');
  });

  it("keeps details as data, so the card says them in the reader's language", () => {
    const card = (detail: JournalEntry['detail']) => historyEntryViewModel(entry({ detail }));
    expect(card({ kind: 'payment-method-changed', description: 'Mastercard ending 0002', card: { brand: 'Mastercard', last4: '0002' } }).note).toEqual({
      kind: 'card',
      brand: 'Mastercard',
      last4: '0002',
    });
    // Written before the card was kept as data: read from the words.
    expect(card({ kind: 'payment-method-changed', description: 'Visa ending 4242' }).note).toEqual({ kind: 'card', brand: 'Visa', last4: '4242' });
    expect(card({ kind: 'funds-added', lotId: 'l', source: 'manual', expiresAt: '2027-01-01T00:00:00Z', note: RECOVERED_NOTE }).note).toEqual({
      kind: 'recovered',
    });
    expect(card({ kind: 'purchase-failed', offerId: 'o', reason: 'declined' }).failure).toBe('declined');
    const entries = [
      { kind: 'payment-method-changed', description: 'Mastercard ending 0002', card: { brand: 'Mastercard', last4: '0002' } },
      { kind: 'funds-added', lotId: 'l', source: 'manual', expiresAt: '2027-01-01T00:00:00Z', note: RECOVERED_NOTE },
      { kind: 'settings-changed', autoRecharge: { enabled: true, triggerMinor: 2000, amountMinor: 10_000 }, lowBalanceAlertMinor: 1500 },
      { kind: 'expiry-reminder', lotId: 'l', days: 7, expiresAt: '2027-01-01T00:00:00Z' },
    ].map((detail, i) => historyEntryViewModel(entry({ id: String(i + 1), detail: detail as JournalEntry['detail'] })));
    const zh = cardText(renderHistoryCard({ currency: 'USD', view: 'all', entries, olderCursor: null, newerCursor: null, csvLink: CSV_LINK }, 'zh-CN'));
    expect(zh).toContain('Mastercard •••• 0002');
    expect(zh).not.toContain('ending');
    expect(zh).toContain('重启时补记');
    expect(zh).toContain('自动充值：已开启：余额低于 US$20.00 时充值 US$100.00。余额不足提醒：低于 US$15.00。');
    expect(zh).toContain('2027年1月1日 到期');
    const en = cardText(renderHistoryCard({ currency: 'USD', view: 'all', entries, olderCursor: null, newerCursor: null, csvLink: CSV_LINK }, 'en-US'));
    expect(en).toContain('Auto-recharge: On: below $20.00, add $100.00. Low-balance alert: Below $15.00.');
  });
});

describe('usageViewModel', () => {
  it('turns seconds into minutes and keeps the forecast', () => {
    const vm = usageViewModel(
      { rows: [{ callType: 'user_out', destination: 'Domestic', calls: 3, seconds: 185, minor: 42 }], total: { minor: 42 } },
      { currency: 'USD', from: NOW - 30 * 86_400_000, to: NOW },
      { spentMinor: 42, dailyBurnMinor: 2, daysLeft: 1883, until: 'zero', suggestedRechargeMinor: 1000 },
    );
    expect(vm.rows).toEqual([{ callType: 'user_out', destination: 'Domestic', count: 3, minutes: 3.1, amountMinor: 42 }]);
    expect(vm.runway).toEqual({ daysLeft: 1883, until: 'zero', dailyBurnMinor: 2, suggestedRechargeMinor: 1000 });
    const card = renderUsageCard(vm, 'en-US');
    expect(cardProblems(card)).toEqual([]);
    expect(cardText(card)).toContain('Outgoing · Domestic');
    expect(cardText(card)).toContain('1,883');
  });
});
