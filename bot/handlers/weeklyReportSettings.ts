import { canonicalTimeZone, messageSummary, renderMessageCard, weeklyReportSettingsContent, type WeeklyReportSettingsViewModel } from '../../cards/index.js';
import type { WeeklyReportRequest } from '../commands/readWeeklyReport.js';
import { actorOf, cardReply, type HandlerDeps, type Reply, type Turn } from './handlerDeps.js';

/**
 * "weekly report", "stop weekly report", "weekly report on": each admin's own switch. "weekly
 * report Monday 9": the day and hour for every admin, on the wall clock of the asker's time zone
 * (the tenant keeps that zone; without one known, the one it had).
 */
export async function weeklyReportSettings(turn: Turn, deps: HandlerDeps, request: WeeklyReportRequest): Promise<Reply> {
  if (request.kind === 'unreadable') return reply(turn, { state: 'unreadable' });
  const actor = actorOf(turn);
  let account = await deps.ledger.openAccount(turn.tenantId);
  if (request.kind === 'on' || request.kind === 'off') account = await deps.ledger.setWeeklyReportOptOut(turn.tenantId, actor, request.kind === 'off');
  if (request.kind === 'schedule') {
    const current = account.weeklyReport;
    account = await deps.ledger.setWeeklyReportSchedule(
      turn.tenantId,
      { day: request.day ?? current.day, hour: request.hour ?? current.hour, timeZone: canonicalTimeZone(turn.timeZone) ?? current.timeZone },
      actor,
    );
  }
  const settings = account.weeklyReport;
  return reply(turn, {
    state: request.kind === 'schedule' ? 'scheduled' : request.kind,
    // Until an admin sets the hour, the report follows the zone of the tenant's admins: the asker's is the best guess.
    schedule: { day: settings.day, hour: settings.hour, timeZone: settings.timeZone ?? canonicalTimeZone(turn.timeZone) ?? 'UTC' },
    youGetIt: !settings.optedOut.includes(actor),
  });
}

function reply(turn: Turn, vm: WeeklyReportSettingsViewModel): Reply {
  const content = weeklyReportSettingsContent(vm, turn);
  return cardReply(renderMessageCard(content), messageSummary(content, turn));
}
