import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../services/alerts.js';
import type { Account } from '../../../services/ledger/account.js';
import { fromSnapshot, toSnapshot } from '../../../services/ledger/accountSnapshot.js';
import { applyEntry } from '../../../services/ledger/applyEntry.js';
import { NEW_DESTINATION_ALERTS_PER_HOUR, NEW_DESTINATIONS_NAMED } from '../../../services/insight/newDestinations.js';
import { MAX_CATEGORIES_PER_DAY, MAX_DESTINATIONS_KEPT } from '../../../services/insight/usageStats.js';
import { journalSum, ledgerFixture, usage } from '../../support/ledgerFixture.js';
import type { TestClock } from '../../support/memoryLedgerStore.js';

const HOUR = 3_600_000;

const intl = (tenantId: string, country: string, clock: TestClock) =>
  usage(tenantId, '0.01', clock, { destinationContext: 'International', destinationName: country });

/** `count` international calls, each to a destination of its own. */
const uniqueCalls = (tenantId: string, prefix: string, count: number, clock: TestClock) =>
  Array.from({ length: count }, (_, i) => intl(tenantId, `${prefix} ${i}`, clock));

type NewDestinationAlert = Extract<Alert, { type: 'unusual-spend' }>;
const newDestinationAlerts = (alerts: Alert[]) => alerts.filter((a): a is NewDestinationAlert => a.type === 'unusual-spend' && a.reason === 'new-destination');

describe('new destinations', () => {
  it('raises one alert per change, naming the first few and counting the rest', async () => {
    const { ledger, store, clock } = ledgerFixture();
    await ledger.ingestUsage([intl('t1', 'Japan', clock)]);
    await ledger.ingestUsage([intl('t1', 'Japan', clock), ...uniqueCalls('t1', 'Place', 12, clock), intl('t1', 'Place 3', clock)]);
    const alerts = newDestinationAlerts(store.alertsOf('t1', 'unusual-spend'));
    expect(alerts).toEqual([
      expect.objectContaining({
        destination: 'Place 0',
        moreDestinations: ['Place 1', 'Place 2', 'Place 3', 'Place 4'],
        unnamedDestinations: 12 - NEW_DESTINATIONS_NAMED,
        quietUntil: null,
        destinationListFull: false,
      }),
    ]);
  });

  it(`raises at most ${NEW_DESTINATION_ALERTS_PER_HOUR} an hour, says when it goes quiet, and counts again the next hour`, async () => {
    const { ledger, store, clock } = ledgerFixture();
    clock.set('2026-01-15T12:00:00Z');
    await ledger.ingestUsage([intl('t1', 'Japan', clock)]);
    for (const country of ['Somalia', 'Cuba', 'Nauru', 'Tuvalu', 'Fiji']) {
      clock.advance(60_000);
      await ledger.ingestUsage([intl('t1', country, clock)]);
    }
    let alerts = newDestinationAlerts(store.alertsOf('t1', 'unusual-spend'));
    expect(alerts.map((a) => [a.destination, a.quietUntil])).toEqual([
      ['Somalia', null],
      ['Cuba', null],
      ['Nauru', '2026-01-15T13:00:00.000Z'],
    ]);
    clock.set('2026-01-15T13:00:00Z');
    await ledger.ingestUsage([intl('t1', 'Samoa', clock)]);
    alerts = newDestinationAlerts(store.alertsOf('t1', 'unusual-spend'));
    expect(alerts.at(-1)).toMatchObject({ destination: 'Samoa', quietUntil: null });
    // Known destinations stay known: Tuvalu and Fiji were recorded while the alerts were quiet.
    await ledger.ingestUsage([intl('t1', 'Tuvalu', clock), intl('t1', 'Fiji', clock)]);
    expect(newDestinationAlerts(store.alertsOf('t1', 'unusual-spend'))).toHaveLength(alerts.length);
  });

  it('rebuilds the hour’s alert count from the journal, so a restart does not reopen the quota', async () => {
    const { ledger, store, clock } = ledgerFixture();
    await ledger.ingestUsage([intl('t1', 'Japan', clock)]);
    for (const country of ['Somalia', 'Cuba', 'Nauru']) await ledger.ingestUsage([intl('t1', country, clock)]);
    const live = (await ledger.account('t1'))!;
    let rebuilt: Account | undefined;
    for (const e of store.entries.get('t1')!) rebuilt = applyEntry(rebuilt, structuredClone(e));
    expect(rebuilt!.usage.newDestinationAlerts).toEqual(live.usage.newDestinationAlerts);
    expect(live.usage.newDestinationAlerts.count).toBe(NEW_DESTINATION_ALERTS_PER_HOUR);
    const { keys: _a, ...a } = toSnapshot(live);
    const { keys: _b, ...b } = toSnapshot(rebuilt!);
    expect(b).toEqual(a);
  });

  it('keeps 50,000 unique destinations and a 10,000-record batch after them bounded in size and in alerts', async () => {
    const { ledger, store, clock } = ledgerFixture();
    await ledger.grantFunds('t1', { amount: '5000', currency: 'USD', idempotencyKey: 'g', actor: 'operator' });
    await ledger.ingestUsage([intl('t1', 'Japan', clock)]);
    for (let batch = 0; batch < 5; batch++) {
      expect((await ledger.ingestUsage(uniqueCalls('t1', `Flood ${batch}`, 10_000, clock))).accepted).toBe(10_000);
    }
    const outcome = await ledger.ingestUsage(uniqueCalls('t1', 'Later', 10_000, clock));
    expect(outcome.accepted).toBe(10_000);

    const account = (await ledger.account('t1'))!;
    // Size: the destination list and every day's categories stop at their caps.
    expect(account.usage.destinations.size).toBe(MAX_DESTINATIONS_KEPT);
    for (const day of Object.values(account.usage.days)) expect(Object.keys(day.byCategory).length).toBeLessThanOrEqual(MAX_CATEGORIES_PER_DAY + 1);
    // Honest totals: every call is still counted, those past the cap as Other.
    const breakdown = (await ledger.insight('t1'))!.breakdown;
    expect(breakdown.total.calls).toBe(60_001);
    expect(breakdown.rows.find((r) => r.callType === '' && r.destination === '')!.calls).toBe(60_001 - MAX_CATEGORIES_PER_DAY);
    // Count: one alert per change at most, and no more than the hour's quota in all.
    const alerts = newDestinationAlerts(store.alertsOf('t1', 'unusual-spend'));
    expect(alerts).toHaveLength(NEW_DESTINATION_ALERTS_PER_HOUR);
    expect(alerts[0]).toMatchObject({ destination: 'Flood 0 0', unnamedDestinations: 10_000 - NEW_DESTINATIONS_NAMED });
    expect(alerts.at(-1)!.quietUntil).not.toBeNull();
    expect(store.alerts.length).toBeLessThan(10);
    expect(journalSum(store, 't1')).toBe(account.balanceMinor);

    // The rule still works once the list is full: a destination not on it counts as new, and says why.
    clock.advance(HOUR);
    await ledger.ingestUsage([intl('t1', 'Japan', clock), intl('t1', 'Somalia', clock)]);
    expect(newDestinationAlerts(store.alertsOf('t1', 'unusual-spend')).at(-1)).toMatchObject({
      destination: 'Somalia',
      moreDestinations: [],
      destinationListFull: true,
    });
  });

  it('keeps the destinations through a checkpoint, also one written before they were a set', async () => {
    const { ledger, clock } = ledgerFixture();
    await ledger.ingestUsage([intl('t1', 'Japan', clock), intl('t1', 'Cuba', clock)]);
    const snapshot = JSON.parse(JSON.stringify(toSnapshot((await ledger.account('t1'))!)));
    expect(snapshot.usage.destinations).toEqual(['Japan', 'Cuba']);
    expect([...fromSnapshot(snapshot).usage.destinations]).toEqual(['Japan', 'Cuba']);
    delete snapshot.usage.newDestinationAlerts;
    expect(fromSnapshot(snapshot).usage.newDestinationAlerts).toEqual({ hour: 0, count: 0 });
  });
});
