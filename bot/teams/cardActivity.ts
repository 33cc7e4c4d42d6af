import type { Activity } from 'botbuilder';
import type { AdaptiveCard } from '../../cards/index.js';

/** Teams cuts a notification line anyway; a summary this long is all a preview ever shows. */
const MAX_SUMMARY_LENGTH = 200;

/**
 * A card as a message: an attachment and no text, so it can be updated in place later, with the
 * one line Teams shows for it in the chat list and the notification (`summary`, never shown in the
 * conversation, so an update that replaces the card leaves no stale text behind). Written out as
 * `MessageFactory.attachment(CardFactory.adaptiveCard(card))` makes it, so the alert sink, loaded
 * at start, needs no botbuilder (see LazyAdapter).
 */
export function cardActivity(card: AdaptiveCard | object, summary: string): Partial<Activity> {
  const line = summary.replace(/\s+/g, ' ').trim();
  return {
    type: 'message',
    attachmentLayout: 'list',
    inputHint: 'acceptingInput',
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }],
    summary: line.length > MAX_SUMMARY_LENGTH ? `${line.slice(0, MAX_SUMMARY_LENGTH - 1)}…` : line,
  };
}
