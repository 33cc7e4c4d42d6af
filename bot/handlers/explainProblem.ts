import { renderProblemCard, strings, type Problem } from '../../cards/index.js';
import { cardReply, type Reply, type Turn } from './handlerDeps.js';

/** A message the bot did not understand: says so and offers help. */
export async function unknownCommand(turn: Turn, input: string): Promise<Reply> {
  return cardReply(renderProblemCard({ code: 'unknown-command', input }, turn.locale));
}

/** Card data that fails its schema or belongs to no current operation. */
export async function staleCard(turn: Turn): Promise<Reply> {
  return cardReply(renderProblemCard({ code: 'stale-card' }, turn.locale));
}

/** Not allowed: a polite refusal with no data, shown only to the person who asked. */
export function refusal(turn: Turn, code: Extract<Problem['code'], 'not-admin' | 'not-manager'>): Reply {
  const t = strings(turn.locale);
  return { kind: 'refusal', card: renderProblemCard({ code }, turn.locale), text: code === 'not-admin' ? t.errors.notAdmin : t.errors.notManager };
}
