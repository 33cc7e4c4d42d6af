import { describe, expect, it } from 'vitest';
import { journalSum, ledgerFixture, usage } from '../../support/ledgerFixture.js';

const DAY = 86_400_000;

describe('expiry', () => {
  it('forfeits what is left of a lot 12 calendar months after purchase, and nothing earlier', async () => {
    const { ledger, store, clock } = ledgerFixture();
    clock.set('2026-01-31T10:00:00Z');
    await ledger.grantFunds('t1', { amount: '40', currency: 'USD', idempotencyKey: 'old', actor: 'operator' });
    clock.set('2026-06-01T10:00:00Z');
    await ledger.grantFunds('t1', { amount: '25', currency: 'USD', idempotencyKey: 'new', actor: 'operator' });
    await ledger.ingestUsage([usage('t1', '15', clock)]);

    clock.set('2027-01-31T09:59:59Z');
    expect(await ledger.sweep()).toMatchObject({ expiredLots: 0 });
    clock.set('2027-01-31T10:00:00Z');
    expect(await ledger.sweep()).toMatchObject({ expiredLots: 1 });
    const account = (await ledger.account('t1'))!;
    expect(account.balanceMinor).toBe(2500);
    expect(account.lots.map((l) => l.id)).toEqual(['lot-3']);
    const expired = store.entries.get('t1')!.find((e) => e.kind === 'expired')!;
    expect(expired).toMatchObject({ amountMinor: -2500, balanceAfterMinor: 2500, actor: 'system', detail: { lotId: 'lot-2' } });
    expect(store.alertsOf('t1', 'funds-expired')).toEqual([expect.objectContaining({ amountMinor: 2500, lotId: 'lot-2' })]);
    expect(journalSum(store, 't1')).toBe(2500);
    // A second sweep finds nothing more to do.
    expect(await ledger.sweep()).toMatchObject({ expiredLots: 0, reminders: 0 });
  });

  it('reminds 30, 7 and 1 days before expiry, once each', async () => {
    const { ledger, store, clock } = ledgerFixture();
    clock.set('2026-03-10T00:00:00Z');
    await ledger.grantFunds('t1', { amount: '40', currency: 'USD', idempotencyKey: 'g', actor: 'operator' });
    const expiresAt = Date.parse('2027-03-10T00:00:00Z');
    const remindersAt = async (at: number) => {
      clock.at = at;
      await ledger.sweep();
      return store.alertsOf('t1', 'funds-expiring').map((a) => a.type === 'funds-expiring' && a.days);
    };
    expect(await remindersAt(expiresAt - 31 * DAY)).toEqual([]);
    expect(await remindersAt(expiresAt - 30 * DAY)).toEqual([30]);
    expect(await remindersAt(expiresAt - 20 * DAY)).toEqual([30]);
    expect(await remindersAt(expiresAt - 7 * DAY)).toEqual([30, 7]);
    expect(await remindersAt(expiresAt - 1 * DAY + 1)).toEqual([30, 7, 1]);
    expect(await remindersAt(expiresAt - 1)).toEqual([30, 7, 1]);
  });

  it('raises only the most urgent reminder when several thresholds passed while down', async () => {
    const { ledger, store, clock } = ledgerFixture();
    clock.set('2026-03-10T00:00:00Z');
    await ledger.grantFunds('t1', { amount: '40', currency: 'USD', idempotencyKey: 'g', actor: 'operator' });
    clock.set('2027-03-08T00:00:00Z');
    await ledger.sweep();
    expect(store.alertsOf('t1', 'funds-expiring')).toEqual([expect.objectContaining({ days: 7 })]);
    expect(store.entries.get('t1')!.filter((e) => e.kind === 'expiry-reminder')).toHaveLength(2);
  });

  it('expiry that takes the balance below the trigger starts a recharge', async () => {
    const { ledger, clock, store } = ledgerFixture();
    await ledger.grantFunds('t1', { amount: '30', currency: 'USD', idempotencyKey: 'g', actor: 'operator' });
    await ledger.setAutoRecharge('t1', { enabled: true, trigger: '10', amount: '20' }, 'admin');
    clock.advance(366 * DAY);
    await ledger.sweep();
    await ledger.idle();
    expect((await ledger.account('t1'))!.balanceMinor).toBe(2000);
    expect(store.alertsOf('t1', 'auto-recharge-succeeded')).toHaveLength(1);
  });
});
