import { describe, expect, it } from 'vitest';
import { cardText } from '../cards/validateCard.js';
import { useBotUnderTest } from '../e2e/support/botHarness.js';

// Entra compares tenant GUIDs without regard to case; a client or an operator may write either.
const LOWER = '3f2a8c1e-5b7d-4e9a-9c1f-2d4e6a8b0c1d';
const UPPER = LOWER.toUpperCase();
const MIXED = '3F2a8C1e-5b7D-4E9a-9C1f-2D4e6A8b0C1d';
const ADMIN = { id: '29:adele', aadObjectId: 'aad-adele', name: 'Adele Vance' };

describe('a tenant GUID in any case names one account', () => {
  const harness = useBotUnderTest();

  it('reaches the same account from an activity, a usage record and an operator API path, whatever the case', async () => {
    // First contact from Teams with the GUID in upper case opens the account under the lower-case id.
    const teams = harness.bot.teams(UPPER, ADMIN);
    expect(cardText(await teams.say('balance'))).toContain('$0.00');

    // An operator grant through an upper-case path, and one through a mixed-case path.
    expect((await harness.bot.operator('POST', `/api/tenants/${UPPER}/funds`, { amount: '100.00', currency: 'USD', idempotencyKey: 'grant-1' })).status).toBe(
      200,
    );
    expect((await harness.bot.operator('POST', `/api/tenants/${MIXED}/funds`, { amount: '50.00', currency: 'USD', idempotencyKey: 'grant-2' })).status).toBe(
      200,
    );
    // The same key again through the lower-case path is the same grant, not a new one.
    expect(
      (await harness.bot.operator('POST', `/api/tenants/${LOWER}/funds`, { amount: '50.00', currency: 'USD', idempotencyKey: 'grant-2' })).body,
    ).toMatchObject({
      replayed: true,
    });

    // Usage records naming the tenant in upper case charge it.
    const usage = await harness.bot.usage(UPPER, '12.34');
    expect(usage.body).toMatchObject({ accepted: 1, rejected: [] });

    for (const id of [LOWER, UPPER, MIXED]) {
      const account = await harness.bot.account(id);
      expect(account).toMatchObject({ tenantId: LOWER, balance: '137.66' });
    }
    expect((await harness.bot.journal(UPPER)).filter((e) => e.kind === 'funds-added' || e.kind === 'usage').map((e) => e.amountMinor)).toEqual([
      10000, 5000, -1234,
    ]);
    expect(await harness.bot.app.store.tenantIds()).toEqual([LOWER]);

    // And Teams, in lower case this time, sees that balance.
    expect(cardText(await harness.bot.teams(LOWER, ADMIN).say('balance'))).toContain('$137.66');
  });
});
