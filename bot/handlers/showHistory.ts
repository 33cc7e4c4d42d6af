import {
  formatter,
  localize,
  HISTORY_MAX_ROWS,
  historyEntryViewModel,
  historySummary,
  historyTime,
  isShownInHistory,
  renderHistoryCard,
  renderHistoryExportCard,
  type ActionDataOf,
  type HistoryView,
  type HistoryViewModel,
  type Verb,
} from '../../cards/index.js';
import type { JournalEntry } from '../../services/ledger/journal.js';
import { actorOf, cardReply, type HandlerDeps, type Reply, type Turn } from './handlerDeps.js';
import { scanBack, scanForward, type Take } from '../../services/journalScan.js';

type Page = Omit<ActionDataOf<typeof Verb.historyPage>, 'verb'>;

/** The most journal entries one page reads: a page of a busy month's calls sums them, a longer stretch continues on Older. */
const MAX_READ = 2000;

/**
 * A page of the history, newest first: the newest page, or the one older or newer than a cursor;
 * everything, or money in and out only. A page holds as many entries as make HISTORY_MAX_ROWS
 * rows, a day's calls counting as one row (in the reader's zone), and reads at most MAX_READ.
 */
export async function showHistory(turn: Turn, deps: HandlerDeps, page: Page = {}): Promise<Reply> {
  const account = await deps.ledger.openAccount(turn.tenantId);
  const total = account.entryCount;
  const view: HistoryView = page.view ?? 'all';
  const take = pageFiller(view, formatter(turn.locale, turn.timeZone).dayKey);
  const cursor = Math.min(Number(page.cursor ?? total + 1), total + 1);
  let entries: JournalEntry[];
  let first: number;
  let last: number;
  if (page.direction === 'newer') {
    const scan = await scanForward(deps, turn.tenantId, { after: cursor, last: total, maxRead: MAX_READ, take });
    [entries, first, last] = [scan.entries.reverse(), cursor + 1, scan.highest];
  } else {
    const before = page.direction === 'older' ? cursor : total + 1;
    const scan = await scanBack(deps, turn.tenantId, { before, maxRead: MAX_READ, take });
    [entries, first, last] = [scan.entries, scan.lowest, before - 1];
  }
  const displayName = await deps.displayNames(turn.tenantId);
  const vm: HistoryViewModel = {
    currency: account.currency,
    view,
    entries: entries.map((entry) => historyEntryViewModel(entry, (actor) => displayName(actor) ?? actor)),
    olderCursor: first > 1 ? String(first) : null,
    newerCursor: last < total ? String(last) : null,
    ...(total > 0 && last >= first ? { span: { first, last, total } } : {}),
    csvLink: deps.journalCsvLink(turn.tenantId, actorOf(turn)),
  };
  return cardReply(renderHistoryCard(vm, turn), historySummary(vm, turn));
}

/** Takes the entries the view shows until one more would need a row past the page's last. */
function pageFiller(view: HistoryView, dayKey: (iso: string) => string): (entry: JournalEntry) => Take {
  const days = new Set<string>();
  let rows = 0;
  return (entry) => {
    if (!isShownInHistory(entry, view)) return 'skip';
    const day = entry.kind === 'usage' ? dayKey(historyTime(entry)) : null;
    if (day !== null && days.has(day)) return 'keep';
    if (rows === HISTORY_MAX_ROWS) return 'stop';
    rows++;
    if (day !== null) days.add(day);
    return 'keep';
  };
}

/**
 * "export history": a card with a download link for the whole journal as CSV, made for this person
 * and this tenant. The route's 'view' permission is checked before; the link itself is the
 * authorisation when followed (bot/exports/exportLink.ts).
 */
export async function exportHistory(turn: Turn, deps: HandlerDeps): Promise<Reply> {
  // As for the history card: a tenant's first word opens its account, so the link never leads to a 404.
  await deps.ledger.openAccount(turn.tenantId);
  const { t } = localize(turn);
  return cardReply(renderHistoryExportCard(deps.journalCsvLink(turn.tenantId, actorOf(turn)), turn), t.exportHistory.summary);
}
