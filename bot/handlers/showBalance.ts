import {
  BALANCE_MAX_RECENT,
  balanceSummary,
  balanceViewModel,
  getStartedSummary,
  MONEY_IN_OR_OUT,
  renderBalanceCard,
  renderGetStartedCard,
  runwayProjection,
} from '../../cards/index.js';
import { cardOnFileOf } from './cardOnFile.js';
import { cardReply, type HandlerDeps, type Reply, type Turn } from './handlerDeps.js';

/** How far back the balance card looks for money in and out (calls in between are passed over). */
const RECENT_SCAN = 1000;
/** The entries the card lists: money in and out, and the auto-recharge failures among them (the latest says why recharging stopped). */
const RECENT_KINDS = [...MONEY_IN_OR_OUT, 'auto-recharge-failed'] as const;

/**
 * "balance", "余额", the Refresh button: the balance card (the account is opened on first contact);
 * for a tenant that never had funds, the get-started card instead. The card refreshes itself
 * (Universal Actions) for the asker and the tenant's other known viewers. `readOnly` (a card's
 * button or its automatic refresh) writes nothing: a tenant without an account gets the
 * get-started card and still has none.
 */
export async function showBalance(turn: Turn, deps: HandlerDeps, options: { readOnly?: boolean } = {}): Promise<Reply> {
  // What the card shows besides the account is read beside it: each may be a round trip to the database.
  const [existing, cardOnFile, lastUsageSyncAt, viewers] = await Promise.all([
    options.readOnly ? deps.ledger.account(turn.tenantId) : deps.ledger.openAccount(turn.tenantId),
    cardOnFileOf(turn, deps),
    deps.usageSyncedAt(turn.tenantId),
    deps.viewerUserIds(turn.tenantId),
  ]);
  if (!existing) return cardReply(renderGetStartedCard({ currency: deps.ledger.policy.defaultCurrency, cardOnFile }, turn), getStartedSummary(turn));
  const account = existing;
  const limit = BALANCE_MAX_RECENT * 2;
  const from = Math.max(1, account.entryCount + 1 - RECENT_SCAN);
  const recent = await deps.ledger.latestEntries(turn.tenantId, { kinds: RECENT_KINDS, from, before: account.entryCount + 1, limit });
  const runway = deps.ledger.runwayOf(account);
  const now = deps.clock.now();
  const until = runway.until;
  const floorMinor = until === 'trigger' ? account.autoRecharge.triggerMinor : 0;
  const vm = balanceViewModel(account, recent, {
    now,
    cardOnFile,
    wholeJournal: from === 1 && recent.length < limit,
    insight: {
      runwayDays: runway.daysLeft,
      runwayUntil: until,
      lastUsageSyncAt,
      projection: runwayProjection(account.balanceMinor, runway.dailyBurnMinor, floorMinor, now),
      floorMinor,
    },
  });
  vm.refreshUserIds = [turn.user.id, ...viewers];
  if (vm.newTenant) return cardReply(renderGetStartedCard({ currency: account.currency, cardOnFile }, turn), getStartedSummary(turn));
  return cardReply(renderBalanceCard(vm, turn), balanceSummary(vm, turn));
}
