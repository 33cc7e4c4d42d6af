import { NO_SPEND_CONTROLS } from '../../services/ledger/account.js';
import type { Alert } from '../../services/alerts.js';
import type { WeeklyReport } from '../../services/insight/weeklyReport.js';

/** A week's usage totals: `calls` of two minutes each. */
export const totals = (minor: number, calls: number) => ({ minor, calls, seconds: calls * 120 });

/** A weekly report alert of a Shanghai tenant for 2026-W49, with `over` replacing report figures. */
export function report(over: Partial<WeeklyReport> = {}): Extract<Alert, { type: 'weekly-report' }> {
  return {
    type: 'weekly-report',
    tenantId: 't1',
    currency: 'USD',
    balanceMinor: 4_210,
    at: '2026-11-30T01:00:05.000Z',
    optedOut: [],
    report: {
      week: '2026-W49',
      from: '2026-11-23T01:00:00.000Z',
      to: '2026-11-30T01:00:00.000Z',
      status: 'active',
      autoRecharge: { enabled: true, triggerMinor: 2_000, amountMinor: 5_000 },
      recharge: {
        inFlight: null,
        consecutiveFailures: 0,
        paused: false,
        nextRetryAt: null,
        waitingForPaymentMethod: false,
        attemptsStarted: 2,
        monthly: { month: '2026-11', recharges: 0, addedMinor: 0 },
        limitedMonth: null,
      },
      spendControls: { ...NO_SPEND_CONTROLS },
      lowBalanceAlertMinor: 1_000,
      thisWeek: totals(1_250, 9),
      lastWeek: totals(1_000, 7),
      runway: { spentMinor: 4_000, dailyBurnMinor: 134, daysLeft: 16, until: 'trigger', suggestedRechargeMinor: 4_000 },
      topDestinations: [
        { destination: 'Japan', ...totals(700, 3) },
        { destination: 'Domestic', ...totals(500, 5) },
      ],
      otherDestinations: totals(50, 1),
      topUsers: [
        { userId: 'aad-li', name: 'Li Wei', ...totals(900, 4) },
        { userId: 'aad-x', name: null, ...totals(300, 4) },
        { userId: null, name: null, ...totals(50, 1) },
      ],
      otherUsers: totals(0, 0),
      expiring: [{ remainingMinor: 1_500, expiresAt: '2026-12-20T00:00:00.000Z' }],
      autoRecharges: { count: 2, minor: 10_000 },
      otherAdditions: { count: 1, minor: 2_500 },
      failedPayments: { count: 1, lastReason: 'declined' },
      complete: true,
      ...over,
    },
  };
}
