import {
  BALANCE_MAX_RECENT,
  balanceSummary,
  balanceViewModel,
  getStartedSummary,
  isMoneyInOrOut,
  renderBalanceCard,
  renderGetStartedCard,
  runwayProjection,
} from '../../cards/index.js';
import { cardOnFileOf } from './cardOnFile.js';
import { cardReply, type HandlerDeps, type Reply, type Turn } from './handlerDeps.js';
import { scanBack } from '../../services/journalScan.js';

/** How far back the balance card looks for money in and out (calls in between are skipped). */
const RECENT_SCAN = 1000;

/**
 * "balance", "余额", the Refresh button: the balance card (the account is opened on first contact);
 * for a tenant that never had funds, the get-started card instead. The card refreshes itself
 * (Universal Actions) for the asker and the tenant's other known viewers. `readOnly` (a card's
 * button or its automatic refresh) writes nothing: a tenant without an account gets the
 * get-started card and still has none.
 */
export async function showBalance(turn: Turn, deps: HandlerDeps, options: { readOnly?: boolean } = {}): Promise<Reply> {
  const existing = options.readOnly ? await deps.ledger.account(turn.tenantId) : await deps.ledger.openAccount(turn.tenantId);
  if (!existing)
    return cardReply(
      renderGetStartedCard({ currency: deps.ledger.policy.defaultCurrency, cardOnFile: await cardOnFileOf(turn, deps) }, turn),
      getStartedSummary(turn),
    );
  const account = existing;
  let kept = 0;
  const scan = await scanBack(deps, turn.tenantId, {
    before: account.entryCount + 1,
    maxRead: RECENT_SCAN,
    take: (entry) => (!(isMoneyInOrOut(entry) || entry.kind === 'auto-recharge-failed') ? 'skip' : kept++ < BALANCE_MAX_RECENT * 2 ? 'keep' : 'stop'),
  });
  const runway = await deps.ledger.runway(turn.tenantId);
  const cardOnFile = await cardOnFileOf(turn, deps);
  const now = deps.clock.now();
  const until = runway?.until ?? 'zero';
  const floorMinor = until === 'trigger' ? account.autoRecharge.triggerMinor : 0;
  const vm = balanceViewModel(account, scan.entries, {
    now,
    cardOnFile,
    wholeJournal: scan.lowest <= 1,
    insight: {
      runwayDays: runway?.daysLeft ?? null,
      runwayUntil: until,
      lastUsageSyncAt: await deps.usageSyncedAt(turn.tenantId),
      projection: runwayProjection(account.balanceMinor, runway?.dailyBurnMinor ?? 0, floorMinor, now),
      floorMinor,
    },
  });
  vm.refreshUserIds = [turn.user.id, ...(await deps.viewerUserIds(turn.tenantId))];
  if (vm.newTenant) return cardReply(renderGetStartedCard({ currency: account.currency, cardOnFile }, turn), getStartedSummary(turn));
  return cardReply(renderBalanceCard(vm, turn), balanceSummary(vm, turn));
}
