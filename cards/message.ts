import { adaptiveCard, container, textBlock, type AdaptiveCard, type CardElement, type ContainerStyle, type TextColor } from './elements.js';
import { localize, type Reader } from './format.js';
import { problemContent, type MessageContent, type Tone } from './problems.js';
import type { Problem } from './viewModels.js';

export type { MessageContent, Tone } from './problems.js';

const TONE_STYLE: Record<Tone, ContainerStyle> = { info: 'emphasis', good: 'good', warning: 'warning', attention: 'attention' };
const TONE_COLOR: Record<Tone, TextColor> = { info: 'default', good: 'good', warning: 'warning', attention: 'attention' };

/**
 * A small card for a reply that is only words (cards are sent without text, so every reply is a
 * card): an optional title band in the tone's colour, the text, and buttons to go on.
 */
export function renderMessageCard(message: MessageContent): AdaptiveCard {
  const body: CardElement[] = [];
  if (message.title) {
    body.push(container([textBlock(message.title, { weight: 'bolder', color: TONE_COLOR[message.tone] })], { style: TONE_STYLE[message.tone], bleed: true }));
  }
  body.push(textBlock(message.text, { spacing: message.title ? 'medium' : 'none' }));
  return adaptiveCard(body, message.actions ?? []);
}

/**
 * The answer to a refusal or failure, in the user's language. `currency` is the account's, for
 * errors that depend on it (decimal places). A `not-admin` refusal shows no data and no buttons.
 */
/** A message's one line: its title and text. */
export function messageSummary(message: MessageContent, reader: Reader): string {
  return message.title ? localize(reader).t.summary.line(message.title, message.text) : message.text;
}

export function renderProblemCard(problem: Problem, reader: Reader, currency?: string): AdaptiveCard {
  const { t, f } = localize(reader);
  return renderMessageCard(problemContent(problem, t, f, currency));
}

export function problemSummary(problem: Problem, reader: Reader, currency?: string): string {
  const { t, f } = localize(reader);
  return messageSummary(problemContent(problem, t, f, currency), reader);
}
