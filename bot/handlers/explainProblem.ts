import { problemSummary, renderProblemCard, strings, type Problem } from '../../cards/index.js';
import { cardReply, type Reply, type Turn } from './handlerDeps.js';

/** A refusal or failure as a card that replaces the pressed one. `currency`: the account's, when the problem depends on it. */
export function problemReply(turn: Turn, problem: Problem, currency?: string): Reply {
  return cardReply(renderProblemCard(problem, turn, currency), problemSummary(problem, turn, currency));
}

/** A message the bot did not understand: says so and offers help. */
export async function unknownCommand(turn: Turn, input: string): Promise<Reply> {
  return problemReply(turn, { code: 'unknown-command', input });
}

/** A message longer than any command: says so, reads nothing and changes nothing. */
export async function messageTooLong(turn: Turn, maxLength: number): Promise<Reply> {
  return problemReply(turn, { code: 'message-too-long', maxLength });
}

/** Card data that fails its schema or belongs to no current operation. */
export async function staleCard(turn: Turn): Promise<Reply> {
  return problemReply(turn, { code: 'stale-card' });
}

type Refusal = Extract<Problem, { code: 'not-admin' | 'not-manager' | 'consent-required' | 'internal' }>;

/** Not allowed (or it cannot be told): a polite refusal with no data, shown only to the person who asked. */
export function refusal(turn: Turn, problem: Refusal['code'] | Refusal): Reply {
  const p: Problem = typeof problem === 'string' ? ({ code: problem } as Problem) : problem;
  const t = strings(turn.locale);
  const text = { 'not-admin': t.errors.notAdmin, 'not-manager': t.errors.notManager, 'consent-required': t.errors.consent, internal: t.errors.internal }[
    p.code as Refusal['code']
  ];
  return { kind: 'refusal', card: renderProblemCard(p, turn), summary: text, text };
}
