import { renderUsageCard, usageSummary, usageViewModel } from '../../cards/index.js';
import { DAY_MS } from '../../services/calendar.js';
import { cardReply, type HandlerDeps, type Reply, type Turn } from './handlerDeps.js';

const DAYS = 30;

/** "usage": the last 30 days by call type and destination, with the runway forecast. */
export async function showUsage(turn: Turn, deps: HandlerDeps): Promise<Reply> {
  const account = await deps.ledger.openAccount(turn.tenantId);
  const insight = await deps.ledger.insight(turn.tenantId, DAYS);
  const now = deps.clock.now();
  const breakdown = insight?.breakdown ?? { rows: [], total: { calls: 0, seconds: 0, minor: 0 } };
  const vm = usageViewModel(breakdown, { currency: account.currency, from: now - DAYS * DAY_MS, to: now }, insight?.runway);
  return cardReply(renderUsageCard(vm, turn), usageSummary(vm, turn));
}
