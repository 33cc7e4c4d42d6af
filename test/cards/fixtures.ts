import type { Alert } from '../../services/alerts.js';
import type { EntryKind } from '../../services/ledger/journal.js';
import {
  HISTORY_MAX_ROWS,
  renderAddFundsCard,
  renderAlertCard,
  renderAlertThresholdCard,
  renderAlertsHereCard,
  renderAutoRechargeCard,
  renderBalanceCard,
  renderGetStartedCard,
  renderCancelledCard,
  renderPaymentUnderWayCard,
  renderConfirmationCard,
  renderHelpCard,
  HELP_TOPIC_NAMES,
  renderHistoryCard,
  renderHistoryExportCard,
  renderDestinationCallsCard,
  renderMessageCard,
  renderPaymentFailedCard,
  renderPaymentMethodCard,
  renderProblemCard,
  renderReceiptCard,
  renderUsageCard,
  renderWelcomeCard,
  button,
  Verb,
  type AdaptiveCard,
  type AlertThresholdViewModel,
  type AutoRechargeSettingsViewModel,
  type SpendControlsViewModel,
  type AutoRechargeViewModel,
  type BalanceViewModel,
  type ConfirmationViewModel,
  type HistoryEntryViewModel,
  type HistoryViewModel,
  type DestinationCallsViewModel,
  type Problem,
  type ReceiptViewModel,
  type UsageViewModel,
} from '../../cards/index.js';

/** View models with realistic defaults; each factory takes overrides. */

export const AT = '2026-03-05T14:30:00.000Z';
export const OPERATION_ID = '3f6c2a9e-8d41-4b7a-9c55-1e2f3a4b5c6d';

export const autoRecharge = (over: Partial<AutoRechargeViewModel> = {}): AutoRechargeViewModel => ({
  state: 'on',
  triggerMinor: 2000,
  amountMinor: 10000,
  ...over,
});

export const balance = (over: Partial<BalanceViewModel> = {}): BalanceViewModel => ({
  currency: 'USD',
  balanceMinor: 3766,
  status: 'active',
  autoRecharge: autoRecharge(),
  lowBalanceAlertMinor: 1000,
  lots: [
    { remainingMinor: 1266, expiresAt: '2026-06-01T09:00:00.000Z', source: 'manual' },
    { remainingMinor: 2500, expiresAt: '2027-01-15T09:00:00.000Z', source: 'auto-recharge' },
  ],
  recent: [
    { kind: 'usage', amountMinor: -120, at: '2026-03-05T10:00:00.000Z' },
    { kind: 'funds-added', amountMinor: 2500, at: '2026-01-15T09:00:00.000Z', source: 'auto-recharge' },
    { kind: 'expired', amountMinor: -300, at: '2026-01-01T00:00:00.000Z' },
  ],
  asOf: AT,
  ...over,
});

export const confirmation = (over: Partial<ConfirmationViewModel> = {}): ConfirmationViewModel => ({
  operationId: OPERATION_ID,
  amountMinor: 5000,
  currency: 'USD',
  card: { brand: 'Visa', last4: '4242', expMonth: 12, expYear: 2034 },
  balanceMinor: 3766,
  ...over,
});

export const receipt = (over: Partial<ReceiptViewModel> = {}): ReceiptViewModel => ({
  operationId: OPERATION_ID,
  amountMinor: 5000,
  currency: 'USD',
  balanceMinor: 8766,
  expiresAt: '2027-03-05T14:30:00.000Z',
  at: AT,
  addedBy: 'Adele Vance',
  ...over,
});

export const settings = (over: Partial<AutoRechargeSettingsViewModel> = {}): AutoRechargeSettingsViewModel => ({
  currency: 'USD',
  autoRecharge: autoRecharge(),
  limits: { minMinor: 1000, maxMinor: 1_000_000 },
  ...over,
});

export const threshold = (over: Partial<AlertThresholdViewModel> = {}): AlertThresholdViewModel => ({ currency: 'USD', thresholdMinor: 1000, ...over });

const KINDS: EntryKind[] = [
  'account-opened',
  'funds-added',
  'usage',
  'expired',
  'settings-changed',
  'payment-method-changed',
  'auto-recharge-started',
  'auto-recharge-failed',
  'expiry-reminder',
  'purchase-offered',
  'purchase-charging',
  'purchase-failed',
  'purchase-cancelled',
];

/** `count` entries, newest first, numbered down from `newestId`, every kind in turn. */
export function historyEntries(count: number, newestId = 500, over: Partial<HistoryEntryViewModel> = {}): HistoryEntryViewModel[] {
  return Array.from({ length: count }, (_, i) => {
    const kind = KINDS[i % KINDS.length]!;
    const amountMinor = kind === 'funds-added' ? 5000 : kind === 'usage' ? -137 : kind === 'expired' ? -250 : 0;
    return {
      id: String(newestId - i),
      kind,
      amountMinor,
      balanceAfterMinor: 10_000 - i * 137,
      at: new Date(Date.parse(AT) - i * 3_600_000).toISOString(),
      actor: i % 3 === 0 ? 'system' : i % 3 === 1 ? 'operator' : 'Adele Vance',
      ...(kind === 'usage' ? { note: { kind: 'destination' as const, name: 'United Kingdom' }, caller: 'Megan Bowen' } : {}),
      ...over,
    };
  });
}

/** A download link as the bot makes one (the card only shows it). */
export const CSV_LINK = { url: 'https://bot.contoso.com/api/exports/journal.csv?t=token', expiresAt: AT, minutes: 15 };

export const history = (over: Partial<HistoryViewModel> = {}): HistoryViewModel => ({
  currency: 'USD',
  csvLink: CSV_LINK,
  view: 'all',
  span: { first: 491, last: 500, total: 500 },
  entries: historyEntries(10),
  olderCursor: '491',
  newerCursor: null,
  ...over,
});

export const usage = (over: Partial<UsageViewModel> = {}): UsageViewModel => ({
  currency: 'USD',
  from: '2026-02-04T00:00:00.000Z',
  to: '2026-03-05T23:59:59.000Z',
  rows: [
    { callType: 'user_out', destination: 'International', count: 42, minutes: 318.5, amountMinor: 4120 },
    { callType: 'conf_out', destination: 'Domestic', count: 120, minutes: 960, amountMinor: 2280 },
    { callType: 'ucap_out', destination: 'United Kingdom', count: 3, minutes: 12, amountMinor: 310 },
    { label: 'Toll-free dial-in', count: 7, minutes: 45, amountMinor: 95 },
  ],
  totalMinor: 6805,
  runway: { daysLeft: 17, until: 'zero', dailyBurnMinor: 227, suggestedRechargeMinor: 7000 },
  ...over,
});

/** 30 UTC days of spend ending 2026-03-05, some without calls. */
export const PER_DAY = Array.from({ length: 30 }, (_, i) => ({
  day: new Date(Date.parse('2026-02-04T00:00:00Z') + i * 86_400_000).toISOString().slice(0, 10),
  minor: i % 7 === 3 ? 0 : 100 + ((i * 37) % 900),
}));

export const TOP_SPENDERS = {
  since: '2026-03-01T00:00:00.000Z',
  rows: [
    { label: 'Megan Bowen', unknown: false, calls: 14, minor: 2310 },
    { label: 'adele.vance@contoso.example', unknown: false, calls: 9, minor: 1205 },
    { label: 'unknown user', unknown: true, calls: 3, minor: 410 },
  ],
  truncated: false,
};

/** A projected balance from $37.66 at $2.27 a day down to the $20.00 trigger. */
export const PROJECTION = Array.from({ length: 9 }, (_, i) => ({
  day: new Date(Date.parse('2026-03-05T00:00:00Z') + i * 86_400_000).toISOString().slice(0, 10),
  minor: Math.max(2000, 3766 - i * 227),
}));

const alertBase = { tenantId: 'contoso-tenant-id', currency: 'USD', balanceMinor: 850, at: AT };

export const ALERTS: Alert[] = [
  { ...alertBase, type: 'low-balance', thresholdMinor: 1000 },
  { ...alertBase, balanceMinor: -420, type: 'suspended' },
  { ...alertBase, balanceMinor: 4580, type: 'resumed' },
  { ...alertBase, balanceMinor: 10_850, type: 'auto-recharge-succeeded', amountMinor: 10_000, attemptId: 'recharge-4' },
  {
    ...alertBase,
    type: 'auto-recharge-failed',
    attemptId: 'recharge-5',
    reason: 'declined',
    consecutiveFailures: 1,
    paused: false,
    retryAt: '2026-03-05T14:45:00.000Z',
  },
  { ...alertBase, type: 'auto-recharge-failed', attemptId: 'recharge-7', reason: 'declined', consecutiveFailures: 3, paused: true, retryAt: null },
  { ...alertBase, type: 'auto-recharge-failed', attemptId: 'recharge-8', reason: 'expired-card', consecutiveFailures: 1, paused: false, retryAt: null },
  { ...alertBase, type: 'auto-recharge-failed', attemptId: 'recharge-9', reason: 'no-payment-method', consecutiveFailures: 1, paused: false, retryAt: null },
  {
    ...alertBase,
    type: 'auto-recharge-failed',
    attemptId: 'recharge-10',
    reason: 'gateway-error',
    consecutiveFailures: 2,
    paused: false,
    retryAt: '2026-03-05T15:30:00.000Z',
  },
  { ...alertBase, type: 'funds-expiring', lotId: 'lot-3', days: 30, remainingMinor: 1266, expiresAt: '2026-04-04T09:00:00.000Z' },
  { ...alertBase, type: 'funds-expiring', lotId: 'lot-3', days: 1, remainingMinor: 1266, expiresAt: '2026-03-06T09:00:00.000Z' },
  { ...alertBase, type: 'funds-expired', lotId: 'lot-3', amountMinor: 1266 },
  {
    ...alertBase,
    type: 'unusual-spend',
    reason: 'hourly-spike',
    hourStart: '2026-03-05T13:00:00.000Z',
    spendMinor: 48_000,
    baselineMinor: 350,
    destination: null,
  },
  { ...alertBase, type: 'unusual-spend', reason: 'new-destination', hourStart: null, spendMinor: null, baselineMinor: null, destination: 'Sierra Leone' },
  {
    ...alertBase,
    type: 'unusual-spend',
    reason: 'new-destination',
    hourStart: null,
    spendMinor: null,
    baselineMinor: null,
    destination: 'Sierra Leone',
    moreDestinations: ['Somalia', 'Nauru', 'Tuvalu', 'Cuba'],
    unnamedDestinations: 9_995,
    quietUntil: '2026-03-05T15:00:00.000Z',
    destinationListFull: true,
  },
  {
    ...alertBase,
    type: 'unusual-spend',
    reason: 'new-destination',
    hourStart: null,
    spendMinor: null,
    baselineMinor: null,
    destination: 'Somalia',
    moreDestinations: ['Nauru'],
    unnamedDestinations: 0,
    quietUntil: null,
    destinationListFull: false,
  },
  {
    ...alertBase,
    type: 'unusual-spend',
    reason: 'hourly-spike',
    hourStart: '2026-03-05T13:00:00.000Z',
    spendMinor: 26_200,
    baselineMinor: 20,
    thresholdMinor: 1000,
    destination: null,
  },
  {
    ...alertBase,
    type: 'unusual-spend',
    reason: 'new-destination',
    hourStart: null,
    spendMinor: null,
    baselineMinor: null,
    destination: 'Sierra Leone',
    firstCallAt: '2026-03-05T02:10:00.000Z',
    moreDestinations: [],
    unnamedDestinations: 0,
    quietUntil: null,
    destinationListFull: false,
  },
  {
    ...alertBase,
    type: 'auto-recharge-limited',
    limit: 'count',
    month: '2026-03',
    maxMinor: null,
    maxCount: 3,
    rechargedMinor: 15_000,
    recharges: 3,
    resumesAt: '2026-03-31T16:00:00.000Z',
  },
  {
    ...alertBase,
    type: 'auto-recharge-limited',
    limit: 'amount',
    month: '2026-03',
    maxMinor: 50_000,
    maxCount: null,
    rechargedMinor: 45_000,
    recharges: 9,
    resumesAt: '2026-04-01T00:00:00.000Z',
  },
  { ...alertBase, type: 'daily-spend-exceeded', day: '2026-03-05', spentMinor: 21_337, ceilingMinor: 20_000 },
];

/** Spend controls with a monthly amount and count cap, a daily alert, and what March took so far. */
export const spendControls = (over: Partial<SpendControlsViewModel> = {}): SpendControlsViewModel => ({
  monthlyMaxMinor: 50_000,
  monthlyMaxCount: 3,
  dailyAlertMinor: 20_000,
  thisMonth: { recharges: 2, addedMinor: 10_000 },
  timeZone: 'Asia/Shanghai',
  ...over,
});

/** Calls to Sierra Leone over a few days by three people, one not named, newest first. */
export const destinationCalls = (over: Partial<DestinationCallsViewModel> = {}): DestinationCallsViewModel => ({
  currency: 'USD',
  destination: 'Sierra Leone',
  from: '2026-02-03T14:30:00.000Z',
  to: AT,
  calls: Array.from({ length: 24 }, (_, i) => ({
    at: new Date(Date.parse(AT) - i * 5 * 3_600_000).toISOString(),
    caller: i % 4 === 3 ? null : ['Alex Wilber', 'Megan Bowen', 'Maximilian Alexander Fitzgerald-Montgomery-Wolfeschlegelsteinhausenbergerdorff III'][i % 3]!,
    seconds: 60 + i * 37,
    amountMinor: 150 + i * 11,
  })),
  truncated: false,
  ...over,
});

export const PROBLEMS: Problem[] = [
  { code: 'amount-missing' },
  { code: 'invalid-amount', input: 'fifty bucks', reason: 'not-a-number' },
  { code: 'invalid-amount', input: '12.345', reason: 'too-many-decimals' },
  { code: 'invalid-amount', input: '-5', reason: 'negative' },
  { code: 'invalid-amount', input: '9'.repeat(30), reason: 'too-large' },
  { code: 'amount-too-small', minMinor: 1000, currency: 'USD' },
  { code: 'amount-too-large', maxMinor: 1_000_000, currency: 'USD' },
  { code: 'balance-out-of-range', maxMinor: 10_000_000_000_000, currency: 'USD' },
  { code: 'trigger-negative' },
  { code: 'unknown-currency', currency: 'XYZ' },
  { code: 'currency-mismatch', expected: 'USD', got: 'EUR' },
  { code: 'no-account' },
  { code: 'key-reused', kind: 'funds' },
  { code: 'key-reused-with-different-parameters', first: { amountMinor: 2500, currency: 'USD' } },
  { code: 'offer-invalid', reason: 'unknown' },
  { code: 'offer-invalid', reason: 'expired' },
  { code: 'offer-invalid', reason: 'cancelled' },
  { code: 'offer-invalid', reason: 'not-yours' },
  { code: 'payment-failed', reason: 'declined', message: 'Mastercard ending 0002 was declined.', amountMinor: 5000, currency: 'USD' },
  { code: 'payment-failed', reason: 'expired-card', message: 'Visa ending 0069 expired 1/2024.', amountMinor: 5000, currency: 'USD' },
  { code: 'payment-failed', reason: 'no-payment-method', message: 'No card on file.', amountMinor: 5000, currency: 'USD' },
  { code: 'payment-failed', reason: 'gateway-error', message: 'ECONNRESET at gateway.internal:443', amountMinor: 5000, currency: 'USD' },
  { code: 'not-admin' },
  { code: 'not-manager' },
  {
    code: 'consent-required',
    consentUrl: 'https://login.microsoftonline.com/contoso.onmicrosoft.com/adminconsent?client_id=00000000-0000-0000-0000-000000000000',
  },
  { code: 'unknown-command', input: 'make me a sandwich' },
  { code: 'message-too-long', maxLength: 500 },
  { code: 'stale-card' },
  { code: 'internal', reference: 'req-7f3a' },
  { code: 'internal' },
];

const LONG_NAME = 'Maximilian Alexander Fitzgerald-Montgomery-Wolfeschlegelsteinhausenbergerdorff III (Contoso Ltd. Billing)';

/** Every card builder with realistic and edge-case view models: what every locale must render validly. */
export function cardCatalogue(locale: string): Array<{ name: string; card: AdaptiveCard }> {
  const cards: Array<{ name: string; card: AdaptiveCard }> = [];
  const add = (name: string, card: AdaptiveCard) => cards.push({ name, card });

  add('balance', renderBalanceCard(balance({ insight: { runwayDays: 17, lastUsageSyncAt: AT } }), locale));
  add(
    'balance, with the runway chart',
    renderBalanceCard(balance({ insight: { runwayDays: 7, runwayUntil: 'trigger', lastUsageSyncAt: AT, projection: PROJECTION, floorMinor: 2000 } }), locale),
  );
  add(
    'balance, zero lots and no transactions',
    renderBalanceCard(balance({ balanceMinor: 0, status: 'suspended', lots: [], recent: [], autoRecharge: autoRecharge({ state: 'off' }) }), locale),
  );
  add(
    'balance, negative',
    renderBalanceCard(
      balance({ balanceMinor: -1234, status: 'suspended', lots: [], autoRecharge: autoRecharge({ state: 'paused', consecutiveFailures: 3 }) }),
      locale,
    ),
  );
  add(
    'balance, JPY with many lots and transactions',
    renderBalanceCard(
      balance({
        currency: 'JPY',
        balanceMinor: 123_456,
        lowBalanceAlertMinor: 1000,
        autoRecharge: autoRecharge({
          state: 'retrying',
          triggerMinor: 2000,
          amountMinor: 10_000,
          nextRetryAt: '2026-03-05T15:00:00.000Z',
          consecutiveFailures: 1,
        }),
        lots: Array.from({ length: 8 }, (_, i) => ({ remainingMinor: 10_000 + i, expiresAt: new Date(Date.UTC(2026, 11 - i, 1)).toISOString() })),
        recent: Array.from({ length: 12 }, (_, i) => ({
          kind: 'usage' as const,
          amountMinor: -(i + 1) * 11,
          at: new Date(Date.UTC(2026, 2, 1 + i)).toISOString(),
        })),
        insight: { runwayDays: null },
      }),
      locale,
    ),
  );
  add(
    'balance, waiting for a card',
    renderBalanceCard(
      balance({ autoRecharge: autoRecharge({ state: 'waiting-for-payment-method' }), insight: { runwayDays: 3, runwayUntil: 'trigger' } }),
      locale,
    ),
  );
  add(
    'balance, recharge in progress',
    renderBalanceCard(balance({ balanceMinor: 1500, autoRecharge: autoRecharge({ state: 'in-progress', inFlightMinor: 10_000 }) }), locale),
  );

  add(
    'balance, suspended after a declined recharge',
    renderBalanceCard(
      balance({
        balanceMinor: -450,
        status: 'suspended',
        lots: [],
        autoRecharge: autoRecharge({ state: 'retrying', nextRetryAt: '2026-03-05T15:00:00.000Z', consecutiveFailures: 1 }),
        rechargeFailure: 'declined',
        cardOnFile: { brand: 'Mastercard', last4: '0002', expMonth: 12, expYear: 2034, test: true },
        insight: { runwayDays: 0, runwayUntil: 'trigger' },
      }),
      locale,
    ),
  );
  add('get started', renderGetStartedCard({ currency: 'USD', cardOnFile: null }, locale));
  add(
    'get started, card chosen',
    renderGetStartedCard({ currency: 'USD', cardOnFile: { brand: 'Visa', last4: '4242', expMonth: 12, expYear: 2034, test: true } }, locale),
  );
  add('add funds', renderAddFundsCard({ currency: 'USD', balanceMinor: 3766, limits: { minMinor: 1000, maxMinor: 1_000_000 } }, locale));
  add(
    'add funds, too small',
    renderAddFundsCard(
      { currency: 'USD', limits: { minMinor: 1000, maxMinor: 1_000_000 }, amount: '5', error: { code: 'amount-too-small', minMinor: 1000, currency: 'USD' } },
      locale,
    ),
  );
  add(
    'add funds, not a number',
    renderAddFundsCard({ currency: 'USD', amount: 'fifty', error: { code: 'invalid-amount', input: 'fifty', reason: 'not-a-number' } }, locale),
  );
  add('add funds, JPY', renderAddFundsCard({ currency: 'JPY', balanceMinor: -500, limits: { minMinor: 10, maxMinor: 10_000 } }, locale));
  add(
    'add funds, KWD three decimals',
    renderAddFundsCard({ currency: 'KWD', error: { code: 'invalid-amount', input: '1.2345', reason: 'too-many-decimals' } }, locale),
  );

  add('confirmation', renderConfirmationCard(confirmation(), locale));
  add('confirmation, no card', renderConfirmationCard(confirmation({ card: null }), locale));
  add(
    'confirmation, expired card',
    renderConfirmationCard(confirmation({ card: { brand: 'Visa', last4: '0069', expMonth: 1, expYear: 2024, expired: true } }), locale),
  );
  add('confirmation, JPY negative balance', renderConfirmationCard(confirmation({ currency: 'JPY', amountMinor: 5000, balanceMinor: -1200 }), locale));

  add('receipt', renderReceiptCard(receipt({ resumed: true }), locale));
  add('receipt, replayed', renderReceiptCard(receipt({ replayed: true, addedBy: 'system' }), locale));
  add('cancelled', renderCancelledCard({ operationId: OPERATION_ID, amountMinor: 5000, currency: 'USD', by: 'Adele Vance' }, locale));
  add('cancelled, bare', renderCancelledCard({}, locale));
  add('payment under way', renderPaymentUnderWayCard({ operationId: OPERATION_ID, amountMinor: 5000, currency: 'USD' }, locale));
  for (const reason of ['declined', 'expired-card', 'no-payment-method', 'gateway-error'] as const) {
    add(`payment failed, ${reason}`, renderPaymentFailedCard({ reason, operationId: OPERATION_ID, amountMinor: 5000, currency: 'USD' }, locale));
  }

  add('auto-recharge, on', renderAutoRechargeCard(settings({ saved: true }), locale));
  add('auto-recharge, off', renderAutoRechargeCard(settings({ autoRecharge: autoRecharge({ state: 'off' }) }), locale));
  add(
    'auto-recharge, off with a card and a suggestion',
    renderAutoRechargeCard(
      settings({
        autoRecharge: autoRecharge({ state: 'off' }),
        cardOnFile: { brand: 'Visa', last4: '4242', expMonth: 12, expYear: 2034, test: true },
        suggestedAmountMinor: 14_000,
      }),
      locale,
    ),
  );
  add('auto-recharge, no card on file', renderAutoRechargeCard(settings({ cardOnFile: null }), locale));
  add('auto-recharge, paused', renderAutoRechargeCard(settings({ autoRecharge: autoRecharge({ state: 'paused', consecutiveFailures: 3 }) }), locale));
  add('auto-recharge, waiting', renderAutoRechargeCard(settings({ autoRecharge: autoRecharge({ state: 'waiting-for-payment-method' }) }), locale));
  add(
    'auto-recharge, retrying',
    renderAutoRechargeCard(settings({ autoRecharge: autoRecharge({ state: 'retrying', nextRetryAt: '2026-03-05T15:00:00.000Z' }) }), locale),
  );
  add('auto-recharge, in progress', renderAutoRechargeCard(settings({ autoRecharge: autoRecharge({ state: 'in-progress' }) }), locale));
  add('auto-recharge, spend controls', renderAutoRechargeCard(settings({ spendControls: spendControls() }), locale));
  add(
    'auto-recharge, paused by the monthly cap',
    renderAutoRechargeCard(
      settings({
        autoRecharge: autoRecharge({ state: 'limited', resumesAt: '2026-03-31T16:00:00.000Z' }),
        spendControls: spendControls({ thisMonth: { recharges: 3, addedMinor: 15_000 } }),
      }),
      locale,
    ),
  );
  add(
    'auto-recharge, spend control refused',
    renderAutoRechargeCard(
      settings({
        spendControls: spendControls({ monthlyMaxMinor: null, monthlyMaxCount: null, dailyAlertMinor: null }),
        values: { monthlyMax: '20', monthlyCount: 'abc' },
        error: { field: 'monthlyMax', error: { code: 'monthly-limit-below-recharge', limitMinor: 2000, amountMinor: 5000, currency: 'USD' } },
      }),
      locale,
    ),
  );
  add(
    'auto-recharge, amount error',
    renderAutoRechargeCard(
      settings({
        values: { enabled: true, trigger: '20', amount: '5' },
        error: { field: 'amount', error: { code: 'amount-too-small', minMinor: 1000, currency: 'USD' } },
      }),
      locale,
    ),
  );
  add(
    'auto-recharge, trigger error',
    renderAutoRechargeCard(settings({ values: { trigger: '-1' }, error: { field: 'trigger', error: { code: 'trigger-negative' } } }), locale),
  );
  add('alert threshold', renderAlertThresholdCard(threshold(), locale));
  add(
    'alert threshold, error',
    renderAlertThresholdCard(threshold({ value: 'ten', error: { code: 'invalid-amount', input: 'ten', reason: 'not-a-number' } }), locale),
  );
  add('alert threshold, saved', renderAlertThresholdCard(threshold({ thresholdMinor: 2500, saved: true }), locale));
  add('alerts here, offer in a channel', renderAlertsHereCard({ state: 'offer', scope: 'channel' }, locale));
  add('alerts here, offer in a group chat', renderAlertsHereCard({ state: 'offer', scope: 'groupChat' }, locale));
  add('alerts here, subscribed', renderAlertsHereCard({ state: 'subscribed', by: LONG_NAME, at: AT }, locale));
  add('alerts here, subscribed by someone unknown', renderAlertsHereCard({ state: 'subscribed', by: null, at: AT }, locale));
  add('alerts here, unsubscribed', renderAlertsHereCard({ state: 'unsubscribed' }, locale));
  add('alerts here, not subscribed', renderAlertsHereCard({ state: 'not-subscribed' }, locale));
  add('alerts here, personal chat', renderAlertsHereCard({ state: 'personal' }, locale));

  add(
    'payment method, sandbox',
    renderPaymentMethodCard(
      { current: { brand: 'Visa', last4: '4242', expMonth: 12, expYear: 2034 }, currentTestCardId: 'visa-success', sandbox: true },
      locale,
    ),
  );
  add('payment method, none on file', renderPaymentMethodCard({ current: null, currentTestCardId: null, sandbox: true }, locale));
  add(
    'payment method, changed to expired',
    renderPaymentMethodCard(
      { current: { brand: 'Visa', last4: '0069', expMonth: 1, expYear: 2024, expired: true }, currentTestCardId: 'visa-expired', sandbox: true, changed: true },
      locale,
    ),
  );
  add(
    'payment method, declining test card with auto-recharge on',
    renderPaymentMethodCard(
      {
        current: { brand: 'Mastercard', last4: '0002', expMonth: 12, expYear: 2034, test: true },
        currentTestCardId: 'mastercard-decline',
        sandbox: true,
        changed: true,
        autoRechargeOn: true,
      },
      locale,
    ),
  );
  add(
    'confirmation, test card',
    renderConfirmationCard(confirmation({ card: { brand: 'Visa', last4: '4242', expMonth: 12, expYear: 2034, test: true } }), locale),
  );
  add(
    'payment method, real gateway',
    renderPaymentMethodCard({ current: { brand: 'Amex', last4: '1005', expMonth: 3, expYear: 2029 }, sandbox: false }, locale),
  );

  add('history', renderHistoryCard(history({ newerCursor: '501' }), locale));
  add('history, empty', renderHistoryCard(history({ entries: [], olderCursor: null }), locale));
  add(
    'history, long page',
    renderHistoryCard(
      history({
        entries: historyEntries(HISTORY_MAX_ROWS + 15, 999_999_999, {
          actor: LONG_NAME,
          note: { kind: 'text', text: LONG_NAME },
          kind: 'purchase-failed',
          failure: 'declined',
        }),
        olderCursor: '1',
        newerCursor: '1000000000',
        span: { first: 999_999_965, last: 999_999_999, total: 1_000_000_000 },
      }),
      locale,
    ),
  );
  add(
    'history, a month of calls from many people',
    renderHistoryCard(
      history({
        entries: Array.from({ length: 150 }, (_, i) => ({
          id: String(1000 - i),
          kind: 'usage' as const,
          amountMinor: -27,
          balanceAfterMinor: 40_000 + i * 27,
          at: new Date(Date.parse(AT) - i * 4 * 3_600_000).toISOString(),
          actor: 'system',
          caller: `${LONG_NAME} ${i % 7}`,
          note: { kind: 'destination' as const, name: 'Sierra Leone' },
        })),
      }),
      locale,
    ),
  );
  add(
    'history, money only',
    renderHistoryCard(history({ view: 'money', entries: historyEntries(13).filter((e) => e.kind === 'funds-added' || e.kind === 'expired') }), locale),
  );
  add('history, money only and empty', renderHistoryCard(history({ view: 'money', entries: [], olderCursor: '100' }), locale));
  add('history, JPY', renderHistoryCard(history({ currency: 'JPY', olderCursor: null }), locale));
  add('history export', renderHistoryExportCard(CSV_LINK, locale));

  add('usage', renderUsageCard(usage(), locale));
  add('usage, with charts and top spenders', renderUsageCard(usage({ perDay: PER_DAY, topSpenders: TOP_SPENDERS }), locale));
  add('usage, empty', renderUsageCard(usage({ rows: [], totalMinor: 0, runway: { daysLeft: null, until: 'zero', suggestedRechargeMinor: null } }), locale));
  add(
    'usage, many rows',
    renderUsageCard(
      usage({
        rows: Array.from({ length: 40 }, (_, i) => ({
          callType: 'user_out',
          destination: `${LONG_NAME} ${i}`,
          count: i,
          minutes: i * 2.5,
          amountMinor: i * 100,
        })),
        totalMinor: 78_000,
        runway: { daysLeft: 0, until: 'trigger' },
        perDay: PER_DAY.map((day) => ({ ...day, minor: day.minor * 1_000_003 })),
        topSpenders: {
          ...TOP_SPENDERS,
          truncated: true,
          rows: Array.from({ length: 5 }, (_, i) => ({ label: `${LONG_NAME} ${i}`, unknown: false, calls: 10_000 + i, minor: 99_999_999 - i })),
        },
      }),
      locale,
    ),
  );

  add('calls to a destination', renderDestinationCallsCard(destinationCalls(), locale));
  add('calls to a destination, none, search cut short', renderDestinationCallsCard(destinationCalls({ calls: [], truncated: true }), locale));
  add('help', renderHelpCard(HELP_TOPIC_NAMES, locale));
  add('welcome', renderWelcomeCard({ userName: 'Adele Vance' }, locale));
  add('welcome, no name', renderWelcomeCard({}, locale));

  ALERTS.forEach((alert, i) => add(`alert ${i}: ${alert.type}`, renderAlertCard(alert, locale)));
  PROBLEMS.forEach((problem, i) => add(`problem ${i}: ${problem.code}`, renderProblemCard(problem, locale, 'USD')));
  add('message', renderMessageCard({ title: 'Title', text: 'Text', tone: 'warning', actions: [button(Verb.help, 'Help')] }));
  add('message, bare', renderMessageCard({ text: 'Text only', tone: 'info' }));
  return cards;
}

export const LOCALES = ['en-US', 'zh-CN'] as const;
