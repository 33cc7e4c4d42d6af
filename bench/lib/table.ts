import type { Row } from './context.js';

/** One plain-text table: Section | Case | Result | Target | Status, with section names printed once. */
export function renderTable(rows: readonly Row[]): string {
  const header = ['Section', 'Case', 'Result', 'Target', 'Status'];
  const cells = rows.map((row, i) => [
    i > 0 && rows[i - 1]!.section === row.section ? '' : row.section,
    row.case,
    row.result,
    row.target ?? '',
    row.status === 'met' ? 'met' : row.status === 'missed' ? 'MISSED' : '',
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((r) => r[c]!.length)));
  const line = (r: string[]) => `| ${r.map((v, c) => v.padEnd(widths[c]!)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(header), rule, ...cells.map(line)].join('\n');
}
