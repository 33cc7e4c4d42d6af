import type { JournalEntry } from '../../services/ledger/journal.js';
import { toDecimalString } from '../../services/money.js';

/** The columns of the journal's CSV, in order (the API's description lists them too). */
export const JOURNAL_CSV_COLUMNS = [
  'id',
  'tenantId',
  'at',
  'kind',
  'amount',
  'balanceAfter',
  'currency',
  'actor',
  'idempotencyKey',
  'callType',
  'destination',
  'durationSeconds',
  'userId',
  'lotId',
  'note',
  'userPrincipalName',
  'userDisplayName',
  'department',
] as const;
const JOURNAL_CSV_HEADER = `${JOURNAL_CSV_COLUMNS.join(',')}\r\n`;

/** RFC 4180 quoting; text starting with =, +, - or @ (other than a number) is defused so spreadsheets do not run it. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A journal as CSV text: the header, then one chunk per page `readPage` gives after the last entry seen. */
export async function* journalCsv(readPage: (afterEntryNo: number) => Promise<JournalEntry[]>, currency: string): AsyncGenerator<string> {
  yield JOURNAL_CSV_HEADER;
  for (let after = 0; ; ) {
    const page = await readPage(after);
    if (page.length === 0) return;
    yield journalCsvLines(page, currency);
    after = Number(page.at(-1)!.id);
  }
}

/** Journal entries as CSV lines, amounts as exact decimals in the account currency. */
function journalCsvLines(entries: JournalEntry[], currency: string): string {
  let out = '';
  for (const e of entries) {
    const d = e.detail;
    const usage = d.kind === 'usage' ? d.usage : null;
    const lotId = d.kind === 'funds-added' || d.kind === 'expired' || d.kind === 'expiry-reminder' ? d.lotId : null;
    out += `${[
      e.id,
      e.tenantId,
      e.at,
      e.kind,
      toDecimalString(e.amountMinor, currency),
      toDecimalString(e.balanceAfterMinor, currency),
      currency,
      e.actor,
      e.idempotencyKey,
      usage?.callType,
      usage ? (usage.destinationName ?? usage.destinationContext) : null,
      usage?.durationSeconds,
      usage?.userId,
      lotId,
      d.kind === 'funds-added' ? d.note : null,
      usage?.userPrincipalName,
      usage?.userDisplayName,
      usage?.department,
    ]
      .map(csvCell)
      .join(',')}\r\n`;
  }
  return out;
}
