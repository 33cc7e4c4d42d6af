import {
  BALANCE_MAX_RECENT,
  balanceSummary,
  balanceViewModel,
  getStartedSummary,
  isMoneyInOrOut,
  renderBalanceCard,
  renderGetStartedCard,
} from '../../cards/index.js';
import { cardOnFileOf } from './cardOnFile.js';
import { cardReply, type HandlerDeps, type Reply, type Turn } from './handlerDeps.js';
import { scanBack } from './journalScan.js';

/** How far back the balance card looks for money in and out (calls in between are skipped). */
const RECENT_SCAN = 1000;

/**
 * "balance", "余额", the Refresh button: the balance card (the account is opened on first contact);
 * for a tenant that never had funds, the get-started card instead.
 */
export async function showBalance(turn: Turn, deps: HandlerDeps): Promise<Reply> {
  const account = await deps.ledger.openAccount(turn.tenantId);
  let kept = 0;
  const scan = await scanBack(deps, turn.tenantId, {
    before: account.entryCount + 1,
    maxRead: RECENT_SCAN,
    take: (entry) => (!(isMoneyInOrOut(entry) || entry.kind === 'auto-recharge-failed') ? 'skip' : kept++ < BALANCE_MAX_RECENT * 2 ? 'keep' : 'stop'),
  });
  const runway = await deps.ledger.runway(turn.tenantId);
  const cardOnFile = await cardOnFileOf(turn, deps);
  const vm = balanceViewModel(account, scan.entries, {
    now: deps.clock.now(),
    cardOnFile,
    wholeJournal: scan.lowest <= 1,
    insight: {
      runwayDays: runway?.daysLeft ?? null,
      runwayUntil: runway?.until ?? 'zero',
      lastUsageSyncAt: await deps.usageSyncedAt(turn.tenantId),
    },
  });
  if (vm.newTenant) return cardReply(renderGetStartedCard({ currency: account.currency, cardOnFile }, turn), getStartedSummary(turn));
  return cardReply(renderBalanceCard(vm, turn), balanceSummary(vm, turn));
}
