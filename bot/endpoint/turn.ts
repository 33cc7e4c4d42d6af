import { randomUUID } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import type { Log } from '../log.js';

/** A bot turn's id (the `x-request-id` of the request that carried its activity) and its log, whose lines carry `turnId`. */
export interface Turn {
  id: string;
  log: Log;
}

const TURN = Symbol('turn');

/** Gives the turn its id and log, before the bot's logic runs. */
export function beginTurn(context: TurnContext, id: string, log: Log): void {
  context.turnState.set(TURN, { id, log: log.child({ turnId: id }) } satisfies Turn);
}

/** The turn's id and log; a turn not begun by the endpoint (a proactive one) gets a new id. */
export function turnOf(context: TurnContext | undefined, log: Log): Turn {
  const turn = context?.turnState?.get(TURN) as Turn | undefined;
  if (turn) return turn;
  const id = randomUUID();
  return { id, log: log.child({ turnId: id }) };
}
