import { balanceSummary, balanceViewModel, renderBalanceCard } from '../../cards/index.js';
import { cardReply, type HandlerDeps, type Reply, type Turn } from './handlerDeps.js';

/** How many journal entries the balance card looks through for its recent transactions. */
const RECENT_ENTRIES = 20;

/** "balance", "余额", the Refresh button: the balance card (the account is opened on first contact). */
export async function showBalance(turn: Turn, deps: HandlerDeps): Promise<Reply> {
  const account = await deps.ledger.openAccount(turn.tenantId);
  const recent = await deps.ledger.journal(turn.tenantId, Math.max(0, account.entryCount - RECENT_ENTRIES), RECENT_ENTRIES);
  const runway = await deps.ledger.runway(turn.tenantId);
  const vm = balanceViewModel(account, recent, {
    now: deps.clock.now(),
    insight: {
      runwayDays: runway?.daysLeft ?? null,
      runwayUntil: runway?.until ?? 'zero',
      lastUsageSyncAt: deps.usageSyncedAt(turn.tenantId),
    },
  });
  return cardReply(renderBalanceCard(vm, turn), balanceSummary(vm, turn));
}
