import { addCalendarMonths, iso } from '../calendar.js';
import { err, ok, type Result } from '../result.js';
import type { Change, NoChange } from '../ports.js';
import type { Account } from './account.js';
import { ChangeDraft } from './changeDraft.js';
import type { LedgerError } from './errors.js';
import type { KeyOutcome } from './idempotencyKeys.js';
import { accountDefaults, checkAddition, type LedgerPolicy } from './policy.js';
import { startRechargeIfDue } from './autoRecharge.js';
import { MAX_MINOR, type Minor } from '../money.js';
import { fundsBreakRange } from './accountRange.js';

export interface AddFunds {
  amountMinor: Minor;
  currency: string;
  actor: string;
  idempotencyKey: string;
  note: string | null;
}

export type FundsOutcome = KeyOutcome & { replayed: boolean; currency: string };

/** Funds expire 12 calendar months after purchase. */
export const LOT_LIFETIME_MONTHS = 12;

/**
 * A manual addition (an admin's, after the card was charged, or an operator's grant). A replayed
 * key returns the first outcome and adds nothing.
 */
export function addFunds(
  current: Account | undefined,
  tenantId: string,
  request: AddFunds,
  policy: LedgerPolicy,
  now: number,
): Change<Result<FundsOutcome, LedgerError>> | NoChange<Result<FundsOutcome, LedgerError>> {
  const replay = replayedFunds(current, request.idempotencyKey);
  if (replay) return { result: replay };
  const currency = current?.currency ?? request.currency;
  if (request.currency !== currency) return { result: err({ code: 'currency-mismatch', expected: currency, got: request.currency }) };
  const checked = checkAddition(request.amountMinor, policy, currency);
  if (!checked.ok) return { result: checked };
  if (fundsBreakRange(current, request.amountMinor)) return { result: err({ code: 'balance-out-of-range', maxMinor: MAX_MINOR, currency }) };

  const draft = new ChangeDraft(current, tenantId, now);
  const account = draft.open(currency, accountDefaults(policy, currency));
  const entry = draft.record({
    detail: {
      kind: 'funds-added',
      lotId: `lot-${account.entryCount + 1}`,
      source: 'manual',
      expiresAt: iso(addCalendarMonths(now, LOT_LIFETIME_MONTHS)),
      note: request.note,
    },
    amountMinor: request.amountMinor,
    actor: request.actor,
    idempotencyKey: request.idempotencyKey,
  });
  startRechargeIfDue(draft, now);
  const outcome = account.keys.operations.get(request.idempotencyKey)!;
  return draft.finish(ok({ ...outcome, entryId: entry.id, replayed: false, currency }));
}

/** The first outcome of a funds key already used, if any; a key used for something else is refused. */
export function replayedFunds(account: Account | undefined, key: string): Result<FundsOutcome, LedgerError> | null {
  const outcome = account?.keys.operations.get(key);
  if (!account || !outcome) return null;
  // Cancel pressed while Confirm was charging the card: the money was taken, so the funds are added.
  if (outcome.kind === 'purchase-cancelled') return null;
  if (outcome.kind !== 'funds-added') return err({ code: 'key-reused', kind: outcome.kind });
  return ok({ ...outcome, replayed: true, currency: account.currency });
}
