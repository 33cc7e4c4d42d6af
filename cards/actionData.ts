import { z } from 'zod';
import { TEST_CARDS, type TestCardId } from '../services/payments/sandboxGateway.js';
import { err, ok, type Result } from '../services/result.js';
import { Verb } from './verbs.js';

/**
 * What each card button sends back, per verb: the button's `data` merged with the card's input
 * values. Only what the bot needs travels in a card; never a tenant id, a role or the amount to
 * charge (the tenant is the activity's, the role is looked up, Confirm charges the offer the
 * ledger recorded). Unknown keys are dropped, so a forged field never reaches a handler. Typed
 * amounts are decimal strings and the ledger checks them.
 */
/** An amount a person typed into an input: any short text; the ledger parses it and says why not. */
const typedAmount = z.string().max(64);
const operationId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/, 'an operation id');
/** A journal entry number ("1", "2", …), the history paging cursor. */
const entryCursor = z.string().regex(/^\d{1,15}$/, 'a journal entry number');
/** Input.Toggle sends "true"/"false"; a button's data may carry a boolean. */
const toggle = z.union([z.boolean(), z.enum(['true', 'false'])]).transform((value) => value === true || value === 'true');
const testCardId = z.enum(Object.keys(TEST_CARDS) as [TestCardId, ...TestCardId[]]);

const verbOnly = <V extends Verb>(verb: V) => z.object({ verb: z.literal(verb) });

export const actionDataSchemas = {
  [Verb.balanceRefresh]: verbOnly(Verb.balanceRefresh),
  [Verb.fundsStart]: z.object({ verb: z.literal(Verb.fundsStart), amount: typedAmount.optional() }),
  /** `amount` comes from the card's input (id `amount`) or a preset button; empty means none given. */
  [Verb.fundsReview]: z.object({ verb: z.literal(Verb.fundsReview), amount: typedAmount.default('') }),
  /** The offer's id only: an amount or currency sent along is dropped, never used. */
  [Verb.fundsConfirm]: z.object({ verb: z.literal(Verb.fundsConfirm), operationId }),
  [Verb.fundsCancel]: z.object({ verb: z.literal(Verb.fundsCancel), operationId }),
  /** `amount`: a suggestion to start the amount field at ("Use $140 for auto-recharge"); nothing is saved until Save. */
  [Verb.autoRechargeOpen]: z.object({ verb: z.literal(Verb.autoRechargeOpen), amount: typedAmount.optional() }),
  /**
   * From the settings card's inputs (ids `enabled`, `trigger`, `amount`, and the spend controls
   * `monthlyMax`, `monthlyCount`, `dailyAlert`, where empty removes the cap); a missing field keeps its value.
   */
  [Verb.autoRechargeSave]: z.object({
    verb: z.literal(Verb.autoRechargeSave),
    enabled: toggle.optional(),
    trigger: typedAmount.optional(),
    amount: typedAmount.optional(),
    monthlyMax: typedAmount.optional(),
    monthlyCount: typedAmount.optional(),
    dailyAlert: typedAmount.optional(),
  }),
  [Verb.autoRechargeToggle]: z.object({ verb: z.literal(Verb.autoRechargeToggle), enabled: toggle }),
  [Verb.paymentMethodOpen]: verbOnly(Verb.paymentMethodOpen),
  [Verb.paymentMethodChoose]: z.object({ verb: z.literal(Verb.paymentMethodChoose), testCardId }),
  /**
   * No cursor: the newest page. `older`: entries numbered below `cursor`; `newer`: above it.
   * Pages list the newest entry first. `view`: everything (default) or money in and out only.
   */
  [Verb.historyPage]: z
    .object({
      verb: z.literal(Verb.historyPage),
      direction: z.enum(['older', 'newer']).optional(),
      cursor: entryCursor.optional(),
      view: z.enum(['all', 'money']).optional(),
    })
    .refine((data) => (data.direction === undefined) === (data.cursor === undefined), 'direction and cursor go together'),
  [Verb.usageOpen]: verbOnly(Verb.usageOpen),
  /** A destination as the alert named it: only a filter on the tenant's own calls. */
  [Verb.destinationCalls]: z.object({ verb: z.literal(Verb.destinationCalls), destination: z.string().trim().min(1).max(80) }),
  [Verb.help]: verbOnly(Verb.help),
  [Verb.alertsOpen]: verbOnly(Verb.alertsOpen),
  /** From the alert card's input (id `threshold`). */
  [Verb.alertsThreshold]: z.object({ verb: z.literal(Verb.alertsThreshold), threshold: typedAmount.default('') }),
  /** Nothing but the verb: the conversation and tenant are the activity's, the role is looked up. */
  [Verb.alertsHereConfirm]: verbOnly(Verb.alertsHereConfirm),
} as const satisfies { [V in Verb]: z.ZodType<{ verb: V }> };

type Schemas = typeof actionDataSchemas;

/** What a builder puts in a button's data for `verb` (besides the verb itself). */
export type ActionPayload<V extends Verb> = Omit<z.input<Schemas[V]>, 'verb'>;

/** The validated data of one action, narrowed by its verb. */
export type ActionData = { [V in Verb]: z.output<Schemas[V]> }[Verb];
export type ActionDataOf<V extends Verb> = z.output<Schemas[V]>;

const anyAction = z.discriminatedUnion('verb', Object.values(actionDataSchemas) as unknown as [Schemas[Verb], ...Schemas[Verb][]]);

/**
 * Validates what a card sent (`activity.value` for Action.Submit, `value.action.data` for
 * Action.Execute; both already carry the input values). The error says which field is wrong,
 * never echoes the data.
 */
export function parseActionData(raw: unknown): Result<ActionData, string> {
  const parsed = anyAction.safeParse(raw);
  if (parsed.success) return ok(parsed.data as ActionData);
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'verb';
  return err(`${where}: ${issue?.message ?? 'invalid'}`);
}
