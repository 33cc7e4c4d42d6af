import { addCalendarMonths, iso } from '../calendar.js';
import type { Minor } from '../money.js';
import type { Account } from './account.js';
import type { ChangeDraft } from './changeDraft.js';
import type { KeyOutcome } from './idempotencyKeys.js';
import type { FundsPurpose } from './journal.js';

export type FundsOutcome = KeyOutcome & { replayed: boolean; currency: string };

/** Funds expire 12 calendar months after purchase. */
export const LOT_LIFETIME_MONTHS = 12;

export interface NewLot {
  amountMinor: Minor;
  purpose: FundsPurpose;
  /** The namespaced key of the operation (see `operationKeys.ts`). */
  key: string;
  /** The gateway's charge that paid for it; null for a grant. */
  chargeId: string | null;
  actor: string;
  note: string | null;
}

/**
 * Adds a lot to an account already open: the one way funds come in, whatever paid for them (an
 * admin's purchase, an auto-recharge, an operator's grant). The rules decide before calling it
 * whether the lot may be added.
 */
export function addLot(draft: ChangeDraft, lot: NewLot): FundsOutcome {
  const account = draft.account!;
  const entry = draft.record({
    detail: {
      kind: 'funds-added',
      lotId: `lot-${account.entryCount + 1}`,
      source: lot.purpose === 'recharge' ? 'auto-recharge' : 'manual',
      expiresAt: iso(addCalendarMonths(draft.now, LOT_LIFETIME_MONTHS)),
      note: lot.note,
      purpose: lot.purpose,
      chargeId: lot.chargeId,
    },
    amountMinor: lot.amountMinor,
    actor: lot.actor,
    idempotencyKey: lot.key,
  });
  const outcome = draft.account!.keys.operations.get(lot.key)!;
  return { ...outcome, entryId: entry.id, replayed: false, currency: account.currency };
}

/** The first outcome of `key` if funds were already added under it. */
export function addedFunds(account: Account | undefined, key: string): FundsOutcome | null {
  const outcome = account?.keys.operations.get(key);
  if (!account || outcome?.kind !== 'funds-added') return null;
  return { ...outcome, replayed: true, currency: account.currency };
}
