import type { AdaptiveCardInvokeResponse, TurnContext } from 'botbuilder';
import type { Reply } from '../handlers/handlerDeps.js';
import { cardActivity } from './cardActivity.js';

export async function sendCard(context: TurnContext, reply: Pick<Reply, 'card' | 'summary'>): Promise<void> {
  await context.sendActivity(cardActivity(reply.card, reply.summary));
}

/**
 * The answer to an Action.Execute invoke: the card that replaces the pressed one (for everyone in
 * the conversation), or, for a refusal, a line shown only to the person who pressed. A card's
 * automatic refresh (`refresh`) is always answered with a card, the refusal's for someone who may
 * not see the account: Teams shows it to that person only.
 */
export function invokeResponseFor(reply: Reply, refresh = false): AdaptiveCardInvokeResponse {
  if (reply.kind === 'refusal' && !refresh) return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: reply.text as never };
  return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: reply.card as never };
}

/**
 * The answer to an Action.Submit: the outcome replaces the card whose button was pressed
 * (`replyToId`), so its buttons are gone; if that card cannot be updated, the outcome is sent as a
 * new message. A refusal is a new message and leaves the card alone.
 */
export async function answerSubmit(context: TurnContext, reply: Reply, log: Pick<Console, 'warn'>): Promise<void> {
  const replyToId = context.activity.replyToId;
  if (reply.kind === 'card' && replyToId) {
    try {
      await context.updateActivity({ ...cardActivity(reply.card, reply.summary), id: replyToId });
      return;
    } catch (error) {
      log.warn(`Could not update card ${replyToId}; sending the outcome as a new message`, (error as Error).message);
    }
  }
  await sendCard(context, reply);
}
