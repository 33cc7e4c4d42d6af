import type { HandlerDeps, Reply, Turn } from '../handlers/handlerDeps.js';
import { offerAlertsHere } from '../handlers/offerAlertsHere.js';
import { stopAlertsHere } from '../handlers/stopAlertsHere.js';
import type { Command } from './recognizeCommand.js';

/** "post alerts here", "在这里发提醒": the confirmation card; "stop alerts here", "停止在这里发提醒": stops at once. */
export function alertsHereCommand(turn: Turn, deps: HandlerDeps, command: Extract<Command, { name: 'alertsHere' }>): Promise<Reply> {
  return command.subscribe ? offerAlertsHere(turn, deps) : stopAlertsHere(turn, deps);
}
