import { parseActionData, type Verb } from '../../cards/index.js';
import { can, type AccessDecision, type Permission } from '../../services/access.js';
import { commandRequest } from '../commands/recognizeCommand.js';
import { refusal, staleCard } from '../handlers/explainProblem.js';
import type { HandlerDeps, Reply, Turn } from '../handlers/handlerDeps.js';
import { COMMAND_ROUTES, type CommandRoute } from './commandRoutes.js';
import { VERB_ROUTES, type VerbRoute } from './verbRoutes.js';

/** Asks the access policy once per turn, and only when a route needs it. */
export type AccessCheck = () => Promise<AccessDecision>;

/**
 * A free-text message (mention already removed) → its command's handler, if the person may. Who
 * may is decided from the words before any amount is read: someone who may not is answered without
 * the recognizers ever running. A message that reads as another command once its amounts are read
 * ("call 555 0100" is no amount to add) is checked again for that command.
 */
export async function dispatchText(turn: Turn, deps: HandlerDeps, access: AccessCheck, text: string): Promise<Reply> {
  const request = commandRequest(text);
  const early = await refused(turn, COMMAND_ROUTES[request.name].permission, access);
  if (early) return early;
  const command = request.read();
  const route = COMMAND_ROUTES[command.name] as CommandRoute<typeof command.name>;
  return (await refused(turn, route.permission, access)) ?? route.handle(turn, deps, command as never, text);
}

/** A card button's data (Execute or Submit) → its verb's handler; data that fails its schema is a stale card. */
export async function dispatchAction(turn: Turn, deps: HandlerDeps, access: AccessCheck, raw: unknown): Promise<Reply> {
  const parsed = parseActionData(raw);
  if (!parsed.ok) return staleCard(turn);
  const route = VERB_ROUTES[parsed.value.verb] as VerbRoute<Verb>;
  return (await refused(turn, route.permission, access)) ?? route.handle(turn, deps, parsed.value as never);
}

/**
 * The refusal when the person lacks `permission` (no data in it), else null. When the directory
 * could not be asked the answer says so (fail closed): the consent link, or a reference for the
 * operator.
 */
async function refused(turn: Turn, permission: Permission | null, access: AccessCheck): Promise<Reply | null> {
  if (permission === null) return null;
  const decision = await access();
  if (can(decision, permission)) return null;
  if (decision.ok) return refusal(turn, can(decision, 'view') ? 'not-manager' : 'not-admin');
  if (decision.reason === 'no-consent' && decision.consentUrl) return refusal(turn, { code: 'consent-required', consentUrl: decision.consentUrl });
  if (decision.reason === 'directory-unavailable') return refusal(turn, { code: 'internal', reference: 'directory-unavailable' });
  return refusal(turn, 'not-admin');
}
