import type { Account } from './account.js';
import { IdempotencyKeys, type IdempotencyKeysSnapshot } from './idempotencyKeys.js';

/** An account as plain JSON, for checkpoints. */
export type AccountSnapshot = Omit<Account, 'keys'> & { keys: IdempotencyKeysSnapshot };

export function toSnapshot(account: Account): AccountSnapshot {
  return { ...structuredClone({ ...account, keys: undefined }), keys: account.keys.toSnapshot() };
}

export function fromSnapshot(snapshot: AccountSnapshot): Account {
  return { ...structuredClone(snapshot), keys: IdempotencyKeys.fromSnapshot(snapshot.keys) };
}
