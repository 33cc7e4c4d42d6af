import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDecimal } from '../../services/money.js';
import { readPstnCallLogRow } from '../../services/pstnCallLogRow.js';
import { pstnCallLogRow } from './fakeCloud/pstnCallLogRows.js';

const NOW = Date.parse('2026-01-15T12:00:00Z');

describe('a pstnCallLogRow as a usage record', () => {
  it('keeps the fields the ledger uses, for the tenant whose log was read', () => {
    const row = pstnCallLogRow(NOW, 10, { charge: 0.12, conferenceId: 'conf-1', destinationContext: 'International', destinationName: 'Japan' });
    expect(readPstnCallLogRow('tenant-a', row)).toEqual({
      kind: 'credits',
      record: {
        id: row.id,
        tenantId: 'tenant-a',
        startDateTime: '2026-01-15T11:50:00.000Z',
        endDateTime: '2026-01-15T11:53:39.000Z',
        durationSeconds: 219,
        charge: '0.12',
        currency: 'USD',
        callType: 'user_out',
        destinationContext: 'International',
        destinationName: 'Japan',
        licenseCapability: 'MCOPSTNPP',
        userId: 'db03c14b-06eb-4189-939b-7cbf3a20ba27',
        userPrincipalName: 'richard.malk@contoso.example',
        userDisplayName: 'Richard Malk',
        department: null,
        conferenceId: 'conf-1',
      },
    });
  });

  it("takes the caller's department from the row's first administrative unit", () => {
    const row = pstnCallLogRow(NOW, 1, { administrativeUnitInfos: [{ id: ' ' }, { id: 'au-sales' }, { id: 'au-emea' }] });
    expect(readPstnCallLogRow('t', row)).toMatchObject({ kind: 'credits', record: { department: 'au-sales' } });
    expect(readPstnCallLogRow('t', pstnCallLogRow(NOW, 1, { administrativeUnitInfos: [] }))).toMatchObject({ record: { department: null } });
    expect(readPstnCallLogRow('t', pstnCallLogRow(NOW, 1, { administrativeUnitInfos: 'sales' }))).toMatchObject({
      kind: 'malformed',
      error: expect.stringMatching(/administrativeUnitInfos/),
    });
  });

  it('leaves rows of other licenses (Calling Plans) to them', () => {
    for (const licenseCapability of ['MCOPSTNU', 'MCOPSTN1', 'MCOPSTN2', 'MCOPSTNEAU2', null]) {
      expect(readPstnCallLogRow('t', pstnCallLogRow(NOW, 1, { licenseCapability })).kind).toBe('other-license');
    }
  });

  it('prices a row with no charge from the rate table, and names what is wrong with a broken one', () => {
    expect(readPstnCallLogRow('t', pstnCallLogRow(NOW, 1, { charge: null }))).toMatchObject({ kind: 'credits', record: { charge: null } });
    expect(readPstnCallLogRow('t', pstnCallLogRow(NOW, 1, { startDateTime: 'yesterday' }))).toMatchObject({
      kind: 'malformed',
      error: expect.stringMatching(/startDateTime/),
    });
  });

  it('carries a decimal charge to the exact cents, never through floating-point arithmetic', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999 }), fc.integer({ min: 0, max: 9_999 }), (whole, tenThousandths) => {
        const written = `${whole}.${String(tenThousandths).padStart(4, '0')}`;
        const read = readPstnCallLogRow('t', pstnCallLogRow(NOW, 1, { charge: JSON.parse(written) as number }));
        if (read.kind !== 'credits' || read.record.charge === null) throw new Error('not read');
        expect(parseDecimal(read.record.charge, 'USD', 'half-up')).toEqual(parseDecimal(written, 'USD', 'half-up'));
      }),
    );
  });
});
