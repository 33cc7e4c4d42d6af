import { destinationCallsSummary, destinationCallViewModel, renderDestinationCallsCard, type DestinationCallViewModel } from '../../cards/index.js';
import { DAY_MS, iso } from '../../services/calendar.js';
import { cardReply, type HandlerDeps, type Reply, type Turn } from './handlerDeps.js';
import { scanBack } from '../../services/journalScan.js';

/** The window the drill-down searches: as far back as the usage card looks. */
const DAYS = 30;
/** The most journal entries it reads, and the most calls it lists. */
const MAX_READ = 20_000;
const MAX_CALLS = 1000;

/**
 * "See who called" on a new-destination alert: the tenant's calls to that destination that
 * started in the last 30 days, newest first. The destination from the button only filters the
 * tenant's own journal (the tenant is the activity's).
 */
export async function showDestinationCalls(turn: Turn, deps: HandlerDeps, destination: string): Promise<Reply> {
  const account = await deps.ledger.openAccount(turn.tenantId);
  const now = deps.clock.now();
  const from = now - DAYS * DAY_MS;
  const calls: DestinationCallViewModel[] = [];
  const displayName = await deps.displayNames(turn.tenantId);
  const callerName = (userId: string) => displayName(userId) ?? userId;
  const scan = await scanBack(deps, turn.tenantId, {
    before: account.entryCount + 1,
    maxRead: MAX_READ,
    take: (entry) => {
      // The journal is in the order calls were imported, never before they started: older entries hold only older calls.
      if (Date.parse(entry.at) < from || calls.length >= MAX_CALLS) return 'stop';
      const call = destinationCallViewModel(entry, destination, callerName);
      if (!call || Date.parse(call.at) < from) return 'skip';
      calls.push(call);
      return 'keep';
    },
  });
  calls.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  const truncated = scan.lowest > 1 && (calls.length >= MAX_CALLS || account.entryCount + 1 - scan.lowest >= MAX_READ);
  const vm = { currency: account.currency, destination, from: iso(from), to: iso(now), calls, truncated };
  return cardReply(renderDestinationCallsCard(vm, turn), destinationCallsSummary(vm, turn));
}
