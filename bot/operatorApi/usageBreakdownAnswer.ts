import type { UsageBreakdown } from '../../services/insight/usageBreakdown.js';
import type { UsageTotals } from '../../services/insight/usageStats.js';
import { toDecimalString } from '../../services/money.js';
import { csvCell } from './journalCsv.js';
import type { UsageBreakdownJson } from './responseSchemas.js';

/** The columns of the usage breakdown's CSV, in order (the API's description lists them too). */
export const USAGE_CSV_COLUMNS = ['key', 'label', 'calls', 'seconds', 'amount', 'currency'] as const;

/** A breakdown as the operator API answers it in JSON: amounts in minor units and as exact decimals. */
export function usageBreakdownJson(breakdown: UsageBreakdown & { truncated: boolean }, tenantId: string, currency: string): UsageBreakdownJson {
  const totals = (t: UsageTotals) => ({ calls: t.calls, seconds: t.seconds, amountMinor: t.minor, amount: toDecimalString(t.minor, currency) });
  return {
    tenantId,
    currency,
    groupBy: breakdown.groupBy,
    from: breakdown.from,
    to: breakdown.to,
    rows: breakdown.rows.map((row) => ({ key: row.key, label: row.label, unknown: row.unknown, ...totals(row) })),
    total: totals(breakdown.total),
    truncated: breakdown.truncated,
  };
}

/** The same as CSV: a header and one line per group (no total line, which a group could be mistaken for); text a spreadsheet would run is defused. */
export function usageBreakdownCsv(breakdown: UsageBreakdown, currency: string): string {
  const line = (cells: Array<string | number>) => `${cells.map(csvCell).join(',')}\r\n`;
  let out = line([...USAGE_CSV_COLUMNS]);
  for (const row of breakdown.rows) out += line([row.key, row.label, row.calls, row.seconds, toDecimalString(row.minor, currency), currency]);
  return out;
}
