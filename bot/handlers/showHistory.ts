import { HISTORY_PAGE_SIZE, historyEntryViewModel, historySummary, renderHistoryCard, type ActionDataOf, type Verb } from '../../cards/index.js';
import { cardReply, type HandlerDeps, type Reply, type Turn } from './handlerDeps.js';

type Page = Omit<ActionDataOf<typeof Verb.historyPage>, 'verb'>;

/** A page of the journal, newest first: the newest page, or the one older or newer than a cursor. */
export async function showHistory(turn: Turn, deps: HandlerDeps, page: Page = {}): Promise<Reply> {
  const account = await deps.ledger.openAccount(turn.tenantId);
  const count = account.entryCount;
  const { after, limit } = pageWindow(page, count);
  const entries = limit > 0 ? await deps.ledger.journal(turn.tenantId, after, limit) : [];
  const newestFirst = entries.reverse().map((entry) => historyEntryViewModel(entry, (actor) => deps.displayName(turn.tenantId, actor) ?? actor));
  const lowest = Number(newestFirst.at(-1)?.id ?? after + 1);
  const highest = Number(newestFirst[0]?.id ?? after);
  const card = renderHistoryCard(
    {
      currency: account.currency,
      entries: newestFirst,
      olderCursor: lowest > 1 ? String(lowest) : null,
      newerCursor: highest < count ? String(highest) : null,
    },
    turn,
  );
  return cardReply(card, historySummary(turn));
}

/** Entries are numbered 1…count; reads `limit` entries numbered above `after`. */
function pageWindow(page: Page, count: number): { after: number; limit: number } {
  const cursor = Math.min(Number(page.cursor ?? count), count + 1);
  if (page.direction === 'newer') return { after: cursor, limit: HISTORY_PAGE_SIZE };
  if (page.direction === 'older') {
    const after = Math.max(0, cursor - 1 - HISTORY_PAGE_SIZE);
    return { after, limit: cursor - 1 - after };
  }
  return { after: Math.max(0, count - HISTORY_PAGE_SIZE), limit: HISTORY_PAGE_SIZE };
}
