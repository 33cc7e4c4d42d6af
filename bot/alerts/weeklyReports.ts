import { randomUUID } from 'node:crypto';
import { personKey, type ConversationBook } from '../../data/conversationReferences.js';
import type { LedgerService, WeeklyReportContext } from '../../services/ledgerService.js';
import { consoleLog, type Log } from '../../services/ports.js';
import type { Delivered, ReportingAlertSink } from './alertDispatcher.js';
import type { AlertDeliveries } from '../../services/alertDeliveries.js';

/** What the weekly report needs of the people the bot met: their names, and the zone a tenant's admins are in. */
export function weeklyReportContext(book: Pick<ConversationBook, 'person' | 'peopleOf'>): WeeklyReportContext {
  return {
    nameOf: async (tenantId, userId) => (await book.person(tenantId, personKey(tenantId, { aadObjectId: userId, userId })))?.name ?? null,
    // The zone the tenant's people last wrote from, until an admin sets the report's hour (which fixes theirs).
    zoneOf: async (tenantId) =>
      (await book.peopleOf(tenantId)).filter((p) => p.timeZone).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0]?.timeZone ?? null,
  };
}

/** How long "send the report now" waits for Teams and the mail transport before it answers with what it has. */
export const REPORT_NOW_TIMEOUT_MS = 30_000;

export interface ReportNowOutcome {
  from: string;
  to: string;
  delivered: Delivered[];
  /** False when a sink failed or ran out of time: some admins may not have it. */
  complete: boolean;
}

/**
 * The operator's "send the report now": the report of the last seven days, delivered at once
 * through the same sinks as the week's (each admin's personal chat and mailbox, not to those who
 * switched it off) and answered with whom it reached. It is not stored and not the week's: the
 * week's still comes when due. Null for a tenant without an account.
 */
export async function sendWeeklyReportNow(
  deps: {
    ledger: LedgerService;
    sinks: readonly ReportingAlertSink[];
    deliveries: Pick<AlertDeliveries, 'has' | 'record' | 'acknowledge'>;
    context: WeeklyReportContext;
    log?: Log;
  },
  tenantId: string,
): Promise<ReportNowOutcome | null> {
  const alert = await deps.ledger.weeklyReportNow(tenantId, deps.context);
  if (!alert) return null;
  // An id of its own, so its deliveries are recorded apart from any stored alert's (the database records none: it names no outbox row); forgotten after.
  const stored = { id: `report-now-${randomUUID()}`, alert };
  const signal = AbortSignal.timeout(REPORT_NOW_TIMEOUT_MS);
  const delivered: Delivered[] = [];
  let complete = true;
  try {
    for (const sink of deps.sinks) {
      try {
        delivered.push(...(await sink.deliver(stored, signal)));
      } catch (error) {
        complete = false;
        (deps.log ?? consoleLog).error({ err: error, tenantId, sink: sink.name }, 'weekly report sent on request did not reach everyone');
      }
    }
  } finally {
    await deps.deliveries.acknowledge(stored.id);
  }
  return { from: alert.report.from, to: alert.report.to, delivered, complete };
}
