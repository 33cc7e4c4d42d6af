import { z } from 'zod';
import type { UsageRecord } from './ledger/applyUsage.js';
import { jsonNumberToDecimal } from './money.js';

/** The license capability of calls paid from Communications Credits (pay-per-minute). */
export const COMMUNICATIONS_CREDITS_CAPABILITY = 'MCOPSTNPP';

const text = z
  .string()
  .nullish()
  .transform((v) => v ?? null);

/** Graph's `administrativeUnitInfos` of a row: the administrative units of the caller (ids). */
export const AdministrativeUnitInfos = z
  .array(z.object({ id: z.string().max(200).nullish() }).loose())
  .max(100)
  .nullish()
  .describe("Graph's administrative units of the caller; the first one's id is the call's department.");

/** The department a row's administrative units name: the first unit's id, or null. */
export function departmentOf(units: z.infer<typeof AdministrativeUnitInfos>): string | null {
  return units?.find((unit) => unit.id?.trim())?.id?.trim() ?? null;
}

/** The fields of Graph's `pstnCallLogRow` the ledger uses; others (callerNumber, operator, …) pass unread. */
const PstnCallLogRow = z.object({
  id: z.string().min(1).max(200),
  startDateTime: z.iso.datetime({ offset: true }),
  endDateTime: z.iso.datetime({ offset: true }).nullish(),
  duration: z.number().int().nonnegative().nullish(),
  // Edm.Decimal: a JSON number, or a string when the caller asks for IEEE754Compatible.
  charge: z.union([z.number().finite(), z.string().trim()]).nullish(),
  currency: text,
  callType: text,
  destinationContext: text,
  destinationName: text,
  licenseCapability: text,
  userId: text,
  userPrincipalName: text,
  userDisplayName: text,
  conferenceId: text,
  administrativeUnitInfos: AdministrativeUnitInfos,
});

export type PstnCallLogRowOutcome =
  | { kind: 'credits'; record: UsageRecord }
  /** Charged to another license (a Calling Plan, a bundle): not the ledger's to charge. */
  | { kind: 'other-license'; id: string }
  | { kind: 'malformed'; id: string | null; error: string };

/**
 * Reads one row of the PSTN call log as the ledger's usage record for `tenantId` (a row carries no
 * tenant; it is the one whose log was read). Only rows charged to Communications Credits count.
 */
export function readPstnCallLogRow(tenantId: string, raw: unknown): PstnCallLogRowOutcome {
  const loose = (typeof raw === 'object' && raw !== null ? raw : {}) as { id?: unknown; licenseCapability?: unknown };
  const id = typeof loose.id === 'string' ? loose.id : null;
  // Other licenses' rows are not read further: however they look, they are not the ledger's.
  if (typeof loose.licenseCapability !== 'string' || loose.licenseCapability.toUpperCase() !== COMMUNICATIONS_CREDITS_CAPABILITY) {
    return { kind: 'other-license', id: id ?? '(no id)' };
  }
  const parsed = PstnCallLogRow.safeParse(raw);
  if (!parsed.success) {
    return { kind: 'malformed', id, error: parsed.error.issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`).join('; ') };
  }
  const row = parsed.data;
  return {
    kind: 'credits',
    record: {
      id: row.id,
      tenantId,
      startDateTime: new Date(row.startDateTime).toISOString(),
      endDateTime: row.endDateTime ? new Date(row.endDateTime).toISOString() : null,
      durationSeconds: row.duration ?? null,
      charge: row.charge === null || row.charge === undefined ? null : typeof row.charge === 'number' ? jsonNumberToDecimal(row.charge) : row.charge,
      currency: row.currency,
      callType: row.callType,
      destinationContext: row.destinationContext,
      destinationName: row.destinationName,
      licenseCapability: row.licenseCapability,
      userId: row.userId,
      userPrincipalName: row.userPrincipalName,
      userDisplayName: row.userDisplayName,
      department: departmentOf(row.administrativeUnitInfos),
      conferenceId: row.conferenceId,
    },
  };
}
