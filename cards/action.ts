import type { ActionPayload } from './actionData.js';
import type { ActionDataJson, ActionStyle, CardRefresh, ExecuteAction, SubmitAction } from './elements.js';
import type { Verb } from './verbs.js';

type DataField<V extends Verb> = object extends ActionPayload<V> ? { data?: ActionPayload<V> } : { data: ActionPayload<V> };

export type ActionSpec<V extends Verb> = {
  verb: V;
  title: string;
  style?: ActionStyle;
  /** The button sends its own data only, not the card's inputs (presets, Cancel). */
  ignoreInputs?: boolean;
} & DataField<V>;

/**
 * The one way a card makes a button: Action.Execute (Universal Actions; the bot answers with the
 * card that replaces this one) whose data also carries the verb, with the same button as
 * Action.Submit for hosts without Universal Actions, so both reach the same handler.
 */
export function executeAction<V extends Verb>(spec: ActionSpec<V>): ExecuteAction {
  const data = { verb: spec.verb, ...(spec.data ?? {}) } as ActionDataJson;
  const common: { style?: ActionStyle; associatedInputs?: 'none' } = {};
  if (spec.style && spec.style !== 'default') common.style = spec.style;
  if (spec.ignoreInputs) common.associatedInputs = 'none';
  const fallback: SubmitAction = { type: 'Action.Submit', title: spec.title, data, ...common };
  return { type: 'Action.Execute', title: spec.title, verb: spec.verb, data, ...common, fallback };
}

/** Teams refreshes a card automatically for at most this many users; the rest can refresh it by hand. */
export const MAX_REFRESH_USERS = 60;

/**
 * A card's Universal Actions `refresh`: when one of `userIds` opens the card (scrolled back to days
 * later), Teams invokes `verb` and shows the card the bot answers instead. The first
 * MAX_REFRESH_USERS ids, each once.
 */
export function refreshWith(verb: PlainVerb, title: string, userIds: readonly string[]): CardRefresh {
  return { action: button(verb, title), userIds: [...new Set(userIds)].slice(0, MAX_REFRESH_USERS) };
}

/** Verbs whose buttons need no data besides the verb. */
export type PlainVerb = { [V in Verb]: object extends ActionPayload<V> ? V : never }[Verb];

/**
 * A button that only says what to open: "Show balance", "Help", "Payment method". It sends no
 * input values, so a card's required inputs never block it.
 */
export function button(verb: PlainVerb, title: string, style?: ActionStyle): ExecuteAction {
  return executeAction({ verb, title, ignoreInputs: true, ...(style ? { style } : {}) } as ActionSpec<PlainVerb>);
}
