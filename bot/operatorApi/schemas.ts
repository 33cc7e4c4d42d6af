import { z } from 'zod';
import { isKnownCurrency, jsonNumberToDecimal } from '../../services/money.js';
import { MAX_CALL_SECONDS, type UsageRecord } from '../../services/ledger/applyUsage.js';
import { canonicalTenantId } from '../../services/tenantId.js';
import { AdministrativeUnitInfos, departmentOf } from '../../services/pstnCallLogRow.js';
import { USAGE_GROUPS } from '../../services/insight/usageBreakdown.js';
import { DAY_MS } from '../../services/calendar.js';
import { err, ok, type Result } from '../../services/result.js';

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

/**
 * UsageRecordBody compiled to one function (zod's ahead-of-time fast path): a batch checks up to
 * 10,000 records, and per record the compiled check costs a fifth of the regular one. A record it
 * refuses is parsed again by the regular parser, so every message stays the same. Strict: a
 * change to the schema that cannot be compiled fails at start-up instead of quietly running slow.
 */
export const UsageRecordCheck = z.compile(UsageRecordBody, { strict: true });

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

export const RefundBody = z.object({
  operationId: z
    .string()
    .min(1)
    .max(200)
    .describe("The purchase's operation id (shown on the admin's receipt), or a journal key such as `purchase:…` or `recharge:recharge-3`."),
  amount: DecimalText.describe("How much to refund, in the account's currency: at most what remains of the lot the purchase added."),
  idempotencyKey: z.string().min(1).max(200),
});

export const JournalQuery = z.object({
  after: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** The longest range a usage breakdown covers: the usage acceptance window and a little more. */
export const MAX_USAGE_RANGE_DAYS = 92;
/** The range a usage breakdown covers when `from` is not given. */
export const DEFAULT_USAGE_RANGE_DAYS = 30;

const DayOrTime = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  .describe('A UTC day ("2026-03-01") or a date and time with an offset ("2026-03-01T08:00:00Z").');

export const UsageQuery = z.object({
  groupBy: z.enum(USAGE_GROUPS).default('day'),
  from: DayOrTime.optional(),
  to: DayOrTime.optional(),
  format: z.enum(['json', 'csv']).optional(),
});

/**
 * The query's range in ms: a day as `from` starts at its midnight (UTC), a day as `to` ends at the
 * next one (so `from=2026-03-01&to=2026-03-31` is all of March). Default: the 30 days up to `now`.
 */
export function usageRange(query: Pick<z.infer<typeof UsageQuery>, 'from' | 'to'>, now: number): Result<{ from: number; to: number }, string> {
  const to = query.to === undefined ? now : instant(query.to, 'end');
  const from = query.from === undefined ? to - DEFAULT_USAGE_RANGE_DAYS * DAY_MS : instant(query.from, 'start');
  if (Number.isNaN(to)) return err(`to: ${query.to} is not a date`);
  if (Number.isNaN(from)) return err(`from: ${query.from} is not a date`);
  if (from >= to) return err('from must be before to');
  if (to - from > MAX_USAGE_RANGE_DAYS * DAY_MS) return err(`the range may span at most ${MAX_USAGE_RANGE_DAYS} days`);
  return ok({ from, to });
}

/** A day's start or end, or a date and time; NaN for a day that does not exist (2026-02-30). */
function instant(text: string, edge: 'start' | 'end'): number {
  if (text.length > 10) return Date.parse(text);
  const start = Date.parse(`${text}T00:00:00Z`);
  if (Number.isNaN(start) || new Date(start).toISOString().slice(0, 10) !== text) return Number.NaN;
  return edge === 'start' ? start : start + DAY_MS;
}

/** "records.3.charge: a non-negative decimal …" from a zod error. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

/** `POST /api/tenants/{id}/report` takes no fields: an empty object, or no body at all. */
export const ReportBody = z.strictObject({}).describe('Nothing: the report is built from the ledger.');
