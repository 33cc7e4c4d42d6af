import type { Account } from './account.js';
import { IdempotencyKeys, type IdempotencyKeysSnapshot } from './idempotencyKeys.js';
import { legacyRechargeChargeKey } from './operationKeys.js';

/** An account as plain JSON, for checkpoints. */
export type AccountSnapshot = Omit<Account, 'keys'> & { keys: IdempotencyKeysSnapshot };

export function toSnapshot(account: Account): AccountSnapshot {
  return { ...structuredClone({ ...account, keys: undefined }), keys: account.keys.toSnapshot() };
}

/** Reads a snapshot, including one written before offers and namespaced keys existed. */
export function fromSnapshot(snapshot: AccountSnapshot): Account {
  const account: Account = { ...structuredClone(snapshot), keys: IdempotencyKeys.fromSnapshot(snapshot.keys) };
  account.offers ??= {};
  const attempt = account.recharge.inFlight;
  if (attempt) attempt.chargeKey ??= legacyRechargeChargeKey(attempt.attemptId);
  return account;
}
