import { describe, it } from 'vitest';
import { ledgerFixture } from '../../support/ledgerFixture.js';
import { checkLedgerProperties } from './ledgerProperties.js';

describe('ledger properties', () => {
  it('random interleavings (run concurrently in small groups) keep every invariant', async () => {
    await checkLedgerProperties(async () => ({ ...ledgerFixture(), tenantId: 't', close: async () => undefined }), 150);
  });
});
