import type pg from 'pg';
import type { Alert } from '../../services/alerts.js';
import type { Account } from '../../services/ledger/account.js';
import type { AccountSnapshot } from '../../services/ledger/accountSnapshot.js';
import { outcomeKeyOf, usageKeyOf } from '../../services/ledger/operationKeys.js';
import type { JournalEntry } from '../../services/ledger/journal.js';
import type { AccountHead } from './accountLoader.js';
import { keyText } from './keyText.js';
import { prepared } from './prepared.js';

/** What one transaction writes for one tenant: the changes decided under its account row lock. */
export interface TenantWrite {
  tenantId: string;
  /** The account row as locked; null for an account this transaction opens. */
  head: AccountHead | null;
  /** The account after the changes. */
  account: Account;
  entries: readonly JournalEntry[];
  alerts: readonly Alert[];
  /** Remaining amount of each lot before the changes, by lot id. */
  lotsBefore: ReadonlyMap<string, number>;
  /** Usage keys of calls that started before this UTC day are deleted (the sweep pruned them); null keeps all. */
  usageKeysBeforeDay: number | null;
  /** A new snapshot of the account, when one is due. */
  snapshot: AccountSnapshot | null;
}

/** Numbered parameters for one statement, each with its SQL type. */
class Parameters {
  readonly values: unknown[] = [];
  add(value: unknown, type: string): string {
    this.values.push(value);
    return `$${this.values.length}::${type}`;
  }
}

/**
 * Writes the changes in one statement (one round trip however many entries): the account row,
 * the journal entries, their usage and operation keys, the lots that changed, the usage keys the
 * sweep pruned and the alerts for the outbox. The account row comes first, and is updated only if
 * it still counts the entries `head` counts (a new account is inserted, and conflicts with one
 * inserted meanwhile); everything else is written only if it was. So the statement writes all or
 * nothing, and says which: nothing means another process changed the account meanwhile. A key
 * already present fails it with a unique violation.
 */
export async function writeTenantChanges(db: Pick<pg.ClientBase, 'query'>, write: TenantWrite): Promise<boolean> {
  const p = new Parameters();
  const tenant = p.add(keyText(write.tenantId), 'text');
  const alertCount = write.head?.alertCount ?? 0;
  // Taking the row first also orders the locks: a writer holding it is waited for before any key is inserted.
  const parts = [`account_row AS (${accountRow(p, tenant, write, alertCount + write.alerts.length)})`];
  const written = 'EXISTS (SELECT FROM account_row)';

  if (write.entries.length > 0) {
    const columns = {
      no: [] as number[],
      kind: [] as string[],
      amount: [] as number[],
      after: [] as number[],
      at: [] as string[],
      key: [] as Array<string | null>,
      doc: [] as string[],
    };
    const usage = { recordId: [] as string[], day: [] as number[] };
    const operations = { key: [] as string[], kind: [] as string[], no: [] as number[] };
    for (const entry of write.entries) {
      columns.no.push(Number(entry.id));
      columns.kind.push(entry.kind);
      columns.amount.push(entry.amountMinor);
      columns.after.push(entry.balanceAfterMinor);
      columns.at.push(entry.at);
      columns.key.push(entry.idempotencyKey === null ? null : keyText(entry.idempotencyKey));
      columns.doc.push(JSON.stringify(entry));
      // The keys the account keeps for this entry, exactly as applyEntry keeps them.
      const usageKey = usageKeyOf(entry);
      const outcomeKey = outcomeKeyOf(entry);
      if (usageKey) {
        usage.recordId.push(keyText(usageKey.recordId));
        usage.day.push(usageKey.day);
      }
      if (outcomeKey) {
        operations.key.push(keyText(outcomeKey));
        operations.kind.push(entry.kind);
        operations.no.push(Number(entry.id));
      }
    }
    parts.push(`journal_rows AS (
      INSERT INTO journal (tenant_id, entry_no, kind, amount_minor, balance_after_minor, at, idempotency_key, entry)
      SELECT ${tenant}, e.no, e.kind, e.amount, e.after, e.at, e.key, e.doc::json
      FROM unnest(${p.add(columns.no, 'bigint[]')}, ${p.add(columns.kind, 'text[]')}, ${p.add(columns.amount, 'bigint[]')}, ${p.add(columns.after, 'bigint[]')},
                  ${p.add(columns.at, 'timestamptz[]')}, ${p.add(columns.key, 'text[]')}, ${p.add(columns.doc, 'text[]')}) AS e(no, kind, amount, after, at, key, doc)
      WHERE ${written})`);
    if (usage.recordId.length > 0) {
      parts.push(`usage_rows AS (
        INSERT INTO usage_keys (tenant_id, record_id, day)
        SELECT ${tenant}, k.record_id, k.day FROM unnest(${p.add(usage.recordId, 'text[]')}, ${p.add(usage.day, 'int[]')}) AS k(record_id, day)
        WHERE ${written})`);
    }
    if (operations.key.length > 0) {
      parts.push(`operation_rows AS (
        INSERT INTO operation_keys (tenant_id, key, kind, entry_no)
        SELECT ${tenant}, o.key, o.kind, o.no FROM unnest(${p.add(operations.key, 'text[]')}, ${p.add(operations.kind, 'text[]')}, ${p.add(operations.no, 'bigint[]')}) AS o(key, kind, no)
        WHERE ${written})`);
    }
  }

  // Deletes see the rows as they were before this statement: the keys inserted above stay.
  if (write.usageKeysBeforeDay !== null) {
    parts.push(`pruned_usage AS (DELETE FROM usage_keys WHERE tenant_id = ${tenant} AND day < ${p.add(write.usageKeysBeforeDay, 'int')} AND ${written})`);
  }

  const kept = write.account.lots.filter((lot) => write.lotsBefore.get(lot.id) !== lot.remainingMinor);
  if (kept.length > 0) {
    parts.push(`lot_rows AS (
      INSERT INTO lots (tenant_id, lot_id, purchased_at, expires_at, original_minor, remaining_minor, source, added_by)
      SELECT ${tenant}, l.id, l.purchased_at, l.expires_at, l.original, l.remaining, l.source, l.added_by
      FROM unnest(${p.add(
        kept.map((lot) => keyText(lot.id)),
        'text[]',
      )}, ${p.add(
        kept.map((lot) => new Date(lot.purchasedAt).toISOString()),
        'timestamptz[]',
      )},
                  ${p.add(
                    kept.map((lot) => new Date(lot.expiresAt).toISOString()),
                    'timestamptz[]',
                  )}, ${p.add(
                    kept.map((lot) => lot.originalMinor),
                    'bigint[]',
                  )},
                  ${p.add(
                    kept.map((lot) => lot.remainingMinor),
                    'bigint[]',
                  )}, ${p.add(
                    kept.map((lot) => lot.source),
                    'text[]',
                  )},
                  ${p.add(
                    kept.map((lot) => keyText(lot.addedBy)),
                    'text[]',
                  )}) AS l(id, purchased_at, expires_at, original, remaining, source, added_by)
      WHERE ${written}
      ON CONFLICT (tenant_id, lot_id) DO UPDATE SET remaining_minor = EXCLUDED.remaining_minor)`);
  }
  const current = new Set(write.account.lots.map((lot) => lot.id));
  const gone = [...write.lotsBefore.keys()].filter((id) => !current.has(id));
  if (gone.length > 0) {
    parts.push(`lots_gone AS (DELETE FROM lots WHERE tenant_id = ${tenant} AND lot_id = ANY(${p.add(gone.map(keyText), 'text[]')}) AND ${written})`);
  }

  if (write.alerts.length > 0) {
    parts.push(`alert_rows AS (
      INSERT INTO alert_outbox (tenant_id, alert_no, alert, raised_at)
      SELECT ${tenant}, ${p.add(alertCount, 'bigint')} + a.i, a.doc::json, clock_timestamp()
      FROM unnest(${p.add(
        write.alerts.map((alert) => JSON.stringify(alert)),
        'text[]',
      )}) WITH ORDINALITY AS a(doc, i)
      WHERE ${written})`);
  }

  const text = `WITH ${parts.join(',\n')}\nSELECT ${written} AS written`;
  const { rows } = await db.query<{ written: boolean }>(prepared(text, p.values));
  return rows[0]?.written === true;
}

/** The account row's figures after the changes: inserted for a new account, else updated if it still stands where `head` says. */
function accountRow(p: Parameters, tenant: string, write: TenantWrite, alertCount: number): string {
  const { account, head, snapshot } = write;
  const lotsMinor = account.lots.reduce((sum, lot) => sum + lot.remainingMinor, 0);
  const figures = {
    balance_minor: p.add(account.balanceMinor, 'bigint'),
    debt_minor: p.add(account.debtMinor, 'bigint'),
    lots_minor: p.add(lotsMinor, 'bigint'),
    entry_count: p.add(account.entryCount, 'bigint'),
    alert_count: p.add(alertCount, 'bigint'),
    ...(snapshot && { snapshot: p.add(JSON.stringify(snapshot), 'json'), snapshot_entry_count: p.add(snapshot.entryCount, 'bigint') }),
  };
  if (!head) {
    const columns = {
      tenant_id: tenant,
      currency: p.add(account.currency, 'text'),
      opened_at: p.add(new Date(account.openedAt).toISOString(), 'timestamptz'),
      ...figures,
    };
    return `INSERT INTO accounts (${Object.keys(columns).join(', ')}) VALUES (${Object.values(columns).join(', ')}) RETURNING 1`;
  }
  const assignments = Object.entries(figures).map(([column, value]) => `${column} = ${value}`);
  return `UPDATE accounts SET ${assignments.join(', ')}, updated_at = now()
    WHERE tenant_id = ${tenant} AND entry_count = ${p.add(head.entryCount, 'bigint')} AND alert_count = ${p.add(head.alertCount, 'bigint')} RETURNING 1`;
}
