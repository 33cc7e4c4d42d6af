import { z } from 'zod';
import { isKnownCurrency, jsonNumberToDecimal } from '../../services/money.js';
import { MAX_CALL_SECONDS, type UsageRecord } from '../../services/ledger/applyUsage.js';
import { canonicalTenantId } from '../../services/tenantId.js';
import { AdministrativeUnitInfos, departmentOf } from '../../services/pstnCallLogRow.js';

export const MAX_USAGE_RECORDS = 10_000;

/** Tenant ids name files and keys: GUIDs and simple names only. */
const TenantIdText = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'a tenant id (letters, digits, ".", "_", "-"; at most 100)');
/** A tenant id as the ledger keys it (a GUID in lower case, whatever case it was sent in). */
export const TenantId = TenantIdText.transform(canonicalTenantId);

/** A decimal amount sent as a JSON string ("25.00") or number (0.12). */
const DecimalInput = z
  .union([
    z
      .string()
      .trim()
      .regex(/^\d{1,15}(\.\d+)?$/, 'a non-negative decimal such as "12.50"'),
    z.number().finite().nonnegative(),
  ])
  .describe('A non-negative amount in major units: decimal text ("12.50") or a JSON number.');
/** The same amount as exact decimal text. */
const DecimalText = DecimalInput.transform((v) => (typeof v === 'number' ? jsonNumberToDecimal(v) : v));

const Currency = z.string().refine(isKnownCurrency, 'an ISO 4217 currency code such as "USD"').describe('An ISO 4217 currency code, such as "USD".');
const optionalText = z.string().max(500).nullish();

/**
 * One call record, shaped like Graph's pstnCallLogRow. Checks only, no transforms: a usage batch
 * holds up to 10,000 of these, and `toUsageRecord` converts what passed in one plain step.
 */
export const UsageRecordBody = z.object({
  id: z.string().min(1).max(200),
  tenantId: TenantIdText,
  startDateTime: z.iso.datetime({ offset: true }),
  endDateTime: z.iso.datetime({ offset: true }).nullish(),
  duration: z.number().int().nonnegative().max(MAX_CALL_SECONDS).nullish(),
  charge: DecimalInput.nullish(),
  currency: Currency.nullish(),
  callType: optionalText,
  destinationContext: optionalText,
  destinationName: optionalText,
  licenseCapability: optionalText,
  userId: optionalText,
  userPrincipalName: optionalText.describe('Who placed the call (Graph\'s sign-in name); calls without one count as "unknown user".'),
  userDisplayName: optionalText,
  department: optionalText.describe("The caller's administrative unit or department; when absent, the first of `administrativeUnitInfos`."),
  administrativeUnitInfos: AdministrativeUnitInfos,
  conferenceId: optionalText,
});

export function toUsageRecord(body: z.infer<typeof UsageRecordBody>): UsageRecord {
  const charge = body.charge ?? null;
  return {
    id: body.id,
    tenantId: canonicalTenantId(body.tenantId),
    startDateTime: body.startDateTime,
    endDateTime: body.endDateTime ?? null,
    durationSeconds: body.duration ?? null,
    charge: typeof charge === 'number' ? jsonNumberToDecimal(charge) : charge,
    currency: body.currency ?? null,
    callType: body.callType ?? null,
    destinationContext: body.destinationContext ?? null,
    destinationName: body.destinationName ?? null,
    licenseCapability: body.licenseCapability ?? null,
    userId: body.userId ?? null,
    userPrincipalName: body.userPrincipalName ?? null,
    userDisplayName: body.userDisplayName ?? null,
    department: body.department ?? departmentOf(body.administrativeUnitInfos),
    conferenceId: body.conferenceId ?? null,
  };
}

const usageBatch = <Item extends z.ZodType>(record: Item) => z.object({ records: z.array(record).max(MAX_USAGE_RECORDS) });
/** A usage batch as the route checks it first: the envelope. Each record is then checked on its own, so a bad one is rejected alone. */
export const UsageBody = usageBatch(z.unknown());
/** The same batch as clients are told to send it (in the API's description): the envelope of well-formed records. */
export const UsageBatch = usageBatch(UsageRecordBody);

export const FundsBody = z.object({
  amount: DecimalText,
  currency: Currency,
  idempotencyKey: z.string().min(1).max(200),
  note: z.string().max(500).nullish(),
});

export const JournalQuery = z.object({
  after: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** "records.3.charge: a non-negative decimal …" from a zod error. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}
