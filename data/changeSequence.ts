import type { Change } from '../services/ports.js';

/**
 * Why a change's entries do not continue the tenant's journal, if they do not: each entry must
 * carry the tenant's id and the next number after `entryCount`, and the account must end at the
 * last of them. A decide that breaks this has a bug; its change is not stored.
 */
export function sequenceProblem(tenantId: string, entryCount: number, change: Change<unknown>): string | null {
  const { account, entries } = change;
  for (const [i, entry] of entries.entries()) {
    if (entry.tenantId !== tenantId || entry.id !== String(entryCount + 1 + i)) {
      return `produced entry ${entry.id} of tenant ${entry.tenantId} where entry ${entryCount + 1 + i} was due`;
    }
  }
  if (entries.length > 0 && (account.tenantId !== tenantId || account.entryCount !== entryCount + entries.length)) {
    return `left its account at entry ${account.entryCount} after entries up to ${entryCount + entries.length}`;
  }
  return null;
}
