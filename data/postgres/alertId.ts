/** An alert's id names its tenant, so acknowledging or recording it touches only that tenant's rows. */
export function alertId(tenantId: string, alertNo: number): string {
  return `${alertNo}@${tenantId}`;
}

export function parseAlertId(id: string): { tenantId: string; alertNo: number } | null {
  const match = /^([1-9]\d{0,15})@([\s\S]*)$/.exec(id);
  return match ? { alertNo: Number(match[1]), tenantId: match[2]! } : null;
}
