import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageRecordBody, UsageRecordCheck } from '../../../bot/operatorApi/schemas.js';
import { record } from './operatorApiServer.js';

/** Junk of every JSON type, and strings close to what the fields take. */
const junkValue = fc.oneof(
  fc.jsonValue(),
  fc.string(),
  fc.double(),
  fc.constantFrom(null, '', '-1', '1e9', '0.001', ' 7 ', '12,5', 'usd', 'XXX', '2026-02-30T00:00:00Z', '2026-03-01T08:00:00+01:00', 2_678_401, -0, 1.5),
);
const fields = [
  'id',
  'tenantId',
  'startDateTime',
  'endDateTime',
  'duration',
  'charge',
  'currency',
  'callType',
  'userPrincipalName',
  'department',
  'administrativeUnitInfos',
  'extra',
];
/** A well-formed record with up to three fields swapped for junk (or dropped). */
const almostRecord = fc
  .record({
    changes: fc.array(fc.tuple(fc.constantFrom(...fields), fc.option(junkValue, { nil: undefined })), { maxLength: 3 }),
    charge: fc.oneof(fc.constantFrom(null, '0.12', 0.12, 3), fc.string()),
  })
  .map(({ changes, charge }) => {
    const body: Record<string, unknown> = record('check-t', charge);
    for (const [field, value] of changes) {
      if (value === undefined) delete body[field];
      else body[field] = value;
    }
    return body;
  });

describe('the compiled usage record check', () => {
  it('is compiled: a fast path of its own, not the regular parser handed back', () => {
    expect(UsageRecordCheck).not.toBe(UsageRecordBody);
  });

  it('accepts, converts and refuses exactly as the regular schema, with the same messages', () => {
    fc.assert(
      fc.property(fc.oneof(almostRecord, junkValue), (raw) => {
        const compiled = UsageRecordCheck.safeParse(raw);
        const regular = UsageRecordBody.safeParse(raw);
        expect(compiled.success).toBe(regular.success);
        if (compiled.success && regular.success) expect(compiled.data).toStrictEqual(regular.data);
        else expect(compiled.error?.issues).toStrictEqual(regular.error?.issues);
      }),
      { numRuns: 3000 },
    );
  });
});
