import { button, executeAction } from './action.js';
import { adaptiveCard, clip, column, columnSet, header, note, textBlock, type AdaptiveCard, type CardAction, type CardElement } from './elements.js';
import { localize, type Reader } from './format.js';
import { actorLabel, entryKindLabel, timesNote } from './fragments.js';
import type { HistoryViewModel } from './viewModels.js';
import { Verb } from './verbs.js';

/** Entries per history page: a full page of long entries stays well under Teams' 28 KB. */
export const HISTORY_PAGE_SIZE = 20;

/**
 * A page of the journal, newest first: what happened, the signed amount, the balance after,
 * when and by whom; Older and Newer carry their cursors.
 */
export function renderHistoryCard(vm: HistoryViewModel, reader: Reader): AdaptiveCard {
  const { t, f } = localize(reader);
  const entries = vm.entries.slice(0, HISTORY_PAGE_SIZE);
  // A longer page than fits is cut, and Older continues right after the last entry shown.
  const olderCursor = vm.entries.length > entries.length ? (entries.at(-1)?.id ?? vm.olderCursor) : vm.olderCursor;

  const body: CardElement[] = [header(t.history.title, t.history.subtitle)];
  if (entries.length === 0) body.push(note(t.history.empty, { spacing: 'medium' }));
  for (const entry of entries) {
    const left: CardElement[] = [
      textBlock(entryKindLabel(entry.kind, entry.source, t), { weight: 'bolder' }),
      note(t.history.by(f.dateTime(entry.at), actorLabel(entry.actor, t)), { spacing: 'none' }),
    ];
    if (entry.detail) left.push(note(clip(entry.detail, 80), { spacing: 'none' }));
    body.push(
      columnSet(
        [
          column(left, 'stretch'),
          column(
            [
              textBlock(f.signedMoney(entry.amountMinor, vm.currency), {
                weight: 'bolder',
                horizontalAlignment: 'right',
                color: entry.amountMinor > 0 ? 'good' : 'default',
              }),
              note(t.history.balanceAfter(f.money(entry.balanceAfterMinor, vm.currency)), { spacing: 'none', horizontalAlignment: 'right' }),
            ],
            'auto',
          ),
        ],
        { separator: true, spacing: 'small' },
      ),
    );
  }

  if (entries.length > 0) body.push(timesNote(t, f));

  const actions: CardAction[] = [];
  if (olderCursor !== null) actions.push(executeAction({ verb: Verb.historyPage, title: t.actions.older, data: { direction: 'older', cursor: olderCursor }, ignoreInputs: true }));
  if (vm.newerCursor !== null) {
    actions.push(executeAction({ verb: Verb.historyPage, title: t.actions.newer, data: { direction: 'newer', cursor: vm.newerCursor }, ignoreInputs: true }));
    actions.push(button(Verb.historyPage, t.actions.newest));
  }
  actions.push(button(Verb.balanceRefresh, t.actions.showBalance));
  return adaptiveCard(body, actions);
}

export const historySummary = (reader: Reader): string => localize(reader).t.history.title;
