/** Entra tenant ids are GUIDs; other ledger tenants (`local`, names in tests) are plain names. */
const TENANT_GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isTenantGuid(id: string): boolean {
  return TENANT_GUID.test(id);
}

/**
 * A tenant id as the ledger keys it. Entra treats a tenant GUID without regard to case, and callers
 * write it either way: kept in lower case, one tenant has one account whoever names it. Other ids
 * are kept as written. Every edge a tenant id comes in through (activities, the operator API,
 * configuration) passes it through here.
 */
export function canonicalTenantId(id: string): string {
  return isTenantGuid(id) ? id.toLowerCase() : id;
}
