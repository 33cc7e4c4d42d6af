import { renderUsageCard, spendPerDay, topSpenders, usageSummary, usageViewModel } from '../../cards/index.js';
import { DAY_MS } from '../../services/calendar.js';
import type { UsageBreakdownQuery } from '../../services/insight/usageBreakdown.js';
import { cardReply, type HandlerDeps, type Reply, type Turn } from './handlerDeps.js';

const DAYS = 30;
/**
 * Journal entries the card reads at most for its per-day bars and top spenders: a reply must come
 * within Teams' 15 seconds. A busier month's top spenders say they count only the latest calls.
 */
export const USAGE_CARD_SCAN_LIMIT = 50_000;

/** "usage": the last 30 days by day, call type and destination, this month's top spenders, and the runway forecast. */
export async function showUsage(turn: Turn, deps: HandlerDeps): Promise<Reply> {
  const account = await deps.ledger.openAccount(turn.tenantId);
  const insight = await deps.ledger.insight(turn.tenantId, DAYS);
  const now = deps.clock.now();
  // The same 30 UTC days as the breakdown by call type and destination, and the calendar month so far.
  const end = (Math.floor(now / DAY_MS) + 1) * DAY_MS;
  const days: UsageBreakdownQuery = { groupBy: 'day', from: end - DAYS * DAY_MS, to: end };
  const month = new Date(now);
  const users: UsageBreakdownQuery = { groupBy: 'user', from: Date.UTC(month.getUTCFullYear(), month.getUTCMonth(), 1), to: end };
  const scanned = await deps.ledger.usageBreakdowns(turn.tenantId, [days, users], USAGE_CARD_SCAN_LIMIT);
  const breakdown = insight?.breakdown ?? { rows: [], total: { calls: 0, seconds: 0, minor: 0 } };
  const vm = usageViewModel(breakdown, { currency: account.currency, from: now - DAYS * DAY_MS, to: now }, insight?.runway);
  if (scanned) {
    vm.perDay = spendPerDay(scanned.breakdowns[0]!, days.from, DAYS);
    vm.topSpenders = topSpenders(scanned.breakdowns[1]!, scanned.truncated);
  }
  return cardReply(renderUsageCard(vm, turn), usageSummary(vm, turn));
}
