import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { GraphPstnCallLog } from '../../bot/graph/graphPstnCallLog.js';
import { Duties, ProcessDutyLocks } from '../../services/duties.js';
import { LATE_ARRIVAL_OVERLAP_HOURS, UsageSync, type UsageSyncDeps } from '../../services/usageSync.js';
import { emptyUsageSyncState, JsonUsageSyncRecords } from '../../data/jsonUsageSyncRecords.js';
import { journalSum, ledgerFixture } from '../support/ledgerFixture.js';
import { memoryDocument } from '../support/memoryDocument.js';
import type { FakeMicrosoftCloud } from './fakeCloud/fakeMicrosoftCloud.js';
import { pstnCallLogRow } from './fakeCloud/pstnCallLogRows.js';
import { fakeCloudClients, startFakeCloud } from './graphHarness.js';

const HOUR_MS = 3_600_000;

let cloud: FakeMicrosoftCloud;
beforeAll(async () => {
  cloud = await startFakeCloud();
});
afterAll(() => cloud.close());

/** A tenant of its own in the fake cloud, a ledger, and a sync reading the tenant's call log over HTTPS. */
function syncFixture(options: { usageWindowDays?: number } = {}) {
  const tenantId = randomUUID();
  const tenant = cloud.tenant(tenantId);
  const { clock, store, ledger } = ledgerFixture(options);
  const state = new JsonUsageSyncRecords(memoryDocument(emptyUsageSyncState()));
  const logs: string[] = [];
  const deps: UsageSyncDeps = {
    ledger,
    callLog: new GraphPstnCallLog(fakeCloudClients(cloud)),
    state,
    clock,
    usageWindowDays: options.usageWindowDays ?? 90,
    tenants: async () => [tenantId],
    syncEveryMs: 60 * 60_000,
    duties: new Duties(new ProcessDutyLocks(clock)),
    log: (message) => logs.push(message),
  };
  const sync = new UsageSync(deps);
  const usageKeys = () => (store.entries.get(tenantId) ?? []).filter((e) => e.kind === 'usage').map((e) => e.idempotencyKey);
  const balance = () => store.accounts.get(tenantId)?.balanceMinor ?? 0;
  return { tenantId, tenant, clock, store, ledger, state, logs, deps, sync, usageKeys, balance };
}

const idOf = (row: Record<string, unknown>) => row.id as string;

describe('usage sync from Graph', () => {
  it('pages through the call log and charges only rows paid from Communications Credits, each once', async () => {
    const f = syncFixture();
    const credits = [5, 50, 300, 1_000, 2_000, 3_000].map((minutesAgo, i) =>
      pstnCallLogRow(f.clock.now(), minutesAgo, { charge: [0.12, 1.5, 0.07, 2, 0.1, 0.2][i] }),
    );
    const callingPlan = pstnCallLogRow(f.clock.now(), 60, { licenseCapability: 'MCOPSTNU', charge: 0 });
    const domesticPlan = pstnCallLogRow(f.clock.now(), 90, { licenseCapability: 'MCOPSTN1', charge: 0 });
    f.tenant.publishCalls(credits[0]!, callingPlan, ...credits.slice(1, 4), domesticPlan, ...credits.slice(4));

    const first = await f.sync.syncTenant(f.tenantId);

    expect(first.ok && first.value).toMatchObject({ read: 8, accepted: 6, duplicates: 0, skipped: 2, otherLicenses: 2, rejected: [] });
    expect(cloud.graphCalls(/getPstnCalls/).filter((r) => r.tenantId === f.tenantId)).toHaveLength(3);
    expect(f.usageKeys().sort()).toEqual(credits.map(idOf).sort());
    // 0.12 + 1.50 + 0.07 + 2.00 + 0.10 + 0.20, in cents, exactly.
    expect(f.balance()).toBe(-399);
    expect(journalSum(f.store, f.tenantId)).toBe(-399);
    expect(await f.sync.status(f.tenantId)).toMatchObject({
      syncedThrough: new Date(f.clock.now()).toISOString(),
      lastSyncAt: new Date(f.clock.now()).toISOString(),
      problem: null,
    });

    const again = await f.sync.syncTenant(f.tenantId);
    expect(again.ok && again.value).toMatchObject({ read: 8, accepted: 0, duplicates: 6, skipped: 2 });
    expect(f.balance()).toBe(-399);
  });

  it('resumes with an overlap, so rows that arrive late are charged once', async () => {
    const f = syncFixture();
    const early = pstnCallLogRow(f.clock.now(), 10);
    f.tenant.publishCalls(early);
    await f.sync.syncTenant(f.tenantId);
    const firstEnd = f.clock.now();

    f.clock.advance(HOUR_MS);
    // Made 30 hours before, before the last sync, but only in the log now.
    const late = pstnCallLogRow(f.clock.now(), 30 * 60, { charge: 3.25 });
    const fresh = pstnCallLogRow(f.clock.now(), 5, { charge: 0.5 });
    f.tenant.publishCalls(late, fresh);
    const second = await f.sync.syncTenant(f.tenantId);

    expect(second.ok && second.value).toMatchObject({
      from: new Date(firstEnd - LATE_ARRIVAL_OVERLAP_HOURS * HOUR_MS).toISOString(),
      read: 3,
      accepted: 2,
      duplicates: 1,
    });
    f.clock.advance(HOUR_MS);
    const third = await f.sync.syncTenant(f.tenantId);
    expect(third.ok && third.value).toMatchObject({ read: 3, accepted: 0, duplicates: 3 });
    expect(f.usageKeys().sort()).toEqual([early, late, fresh].map(idOf).sort());
    expect(f.balance()).toBe(-(12 + 325 + 50));
  });

  it('first reads back the whole acceptance window, in windows of at most 90 days', async () => {
    const f = syncFixture({ usageWindowDays: 200 });
    const old = pstnCallLogRow(f.clock.now(), 150 * 24 * 60);
    const recent = pstnCallLogRow(f.clock.now(), 24 * 60);
    f.tenant.publishCalls(old, recent);

    const outcome = await f.sync.syncTenant(f.tenantId);

    // The fake refuses ranges over 90 days, as Graph does.
    expect(outcome.ok && outcome.value).toMatchObject({ read: 2, accepted: 2 });
    expect(
      cloud
        .graphCalls(/getPstnCalls/)
        .filter((r) => r.tenantId === f.tenantId)
        .map((r) => r.status),
    ).toEqual([200, 200, 200]);
  });

  it('waits out 429 Retry-After, and retries 503 and dropped connections', async () => {
    const f = syncFixture();
    const rows = Array.from({ length: 7 }, (_, i) => pstnCallLogRow(f.clock.now(), 10 + i));
    f.tenant.publishCalls(...rows);
    const tenantCalls = /getPstnCalls/;
    cloud.inject({
      path: tenantCalls,
      times: 1,
      status: 429,
      headers: { 'Retry-After': '1' },
      body: { error: { code: 'TooManyRequests', message: 'Too many requests' } },
    });
    const started = Date.now();

    const throttled = await f.sync.syncTenant(f.tenantId);

    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(throttled.ok && throttled.value).toMatchObject({ read: 7, accepted: 7 });

    f.tenant.publishCalls(pstnCallLogRow(f.clock.now(), 1));
    cloud.inject({ path: tenantCalls, times: 2, status: 503, body: { error: { code: 'ServiceUnavailable', message: 'Service Unavailable' } } });
    cloud.inject({ path: /getPstnCalls.*/, times: 1, dropConnection: true });
    const faulty = await f.sync.syncTenant(f.tenantId);
    expect(faulty.ok && faulty.value).toMatchObject({ read: 8, accepted: 1, duplicates: 7 });
    expect(f.usageKeys()).toHaveLength(8);
  });

  it('stops waiting out a Retry-After when the app shuts down: the sync ends unavailable, the rows wait for the next start', async () => {
    const f = syncFixture();
    const clients = fakeCloudClients(cloud);
    const sync = new UsageSync({ ...f.deps, callLog: new GraphPstnCallLog(clients) });
    f.tenant.publishCalls(pstnCallLogRow(f.clock.now(), 5));
    cloud.inject({ path: /getPstnCalls/, times: 1, status: 429, headers: { 'Retry-After': '4' } });
    const started = Date.now();
    const syncing = sync.syncTenant(f.tenantId);
    await new Promise((r) => setTimeout(r, 300));
    clients.stop();

    const stopped = await syncing;

    expect(Date.now() - started).toBeLessThan(3_000);
    expect(!stopped.ok && stopped.error.problem.kind).toBe('unavailable');
    expect(f.usageKeys()).toEqual([]);
  });

  it('does not sit out a long Retry-After: it stops, and the next sync reads the rows', async () => {
    const f = syncFixture();
    f.tenant.publishCalls(pstnCallLogRow(f.clock.now(), 10));
    const throttle = cloud.inject({ path: /getPstnCalls/, times: 1, status: 429, headers: { 'Retry-After': '3600' } });
    const started = Date.now();

    const throttled = await f.sync.syncTenant(f.tenantId);

    expect(Date.now() - started).toBeLessThan(5_000);
    expect(!throttled.ok && throttled.error.problem).toMatchObject({ kind: 'unavailable', message: expect.stringMatching(/429/) });
    expect((await f.sync.status(f.tenantId)).syncedThrough).toBeNull();
    expect(throttle.times).toBe(0);
    const later = await f.sync.syncTenant(f.tenantId);
    expect(later.ok && later.value).toMatchObject({ read: 1, accepted: 1 });
  });

  it('signs in again when Graph refuses an expired token', async () => {
    const f = syncFixture();
    f.tenant.publishCalls(pstnCallLogRow(f.clock.now(), 10));
    await f.sync.syncTenant(f.tenantId);
    expect(cloud.tokensIssued(f.tenantId)).toBe(1);

    cloud.expireTokens();
    f.tenant.publishCalls(pstnCallLogRow(f.clock.now(), 5));
    const outcome = await f.sync.syncTenant(f.tenantId);

    expect(outcome.ok && outcome.value).toMatchObject({ accepted: 1, duplicates: 1 });
    expect(cloud.tokensIssued(f.tenantId)).toBe(2);
    expect(
      cloud
        .graphCalls(/getPstnCalls/)
        .filter((r) => r.tenantId === f.tenantId)
        .map((r) => r.status),
    ).toEqual([200, 401, 200]);
  });

  it('skips nothing when Graph keeps failing: the next sync reads the same rows again', async () => {
    const f = syncFixture();
    const rows = Array.from({ length: 1_200 }, (_, i) => pstnCallLogRow(f.clock.now(), 10 + i, { charge: 0.01 }));
    f.tenant.publishCalls(...rows);
    cloud.pageSize = 500;
    // Two pages are read and their first 1,000 rows charged, then the third page keeps failing.
    const outage = cloud.inject({ path: /getPstnCalls/, query: /\$skiptoken=1000/, times: 1_000, status: 503 });
    try {
      const failed = await f.sync.syncTenant(f.tenantId);

      expect(failed.ok).toBe(false);
      if (failed.ok) return;
      expect(failed.error.problem).toMatchObject({ kind: 'unavailable', message: expect.stringMatching(/503/) });
      expect(failed.error.report).toMatchObject({ read: 1_000, accepted: 1_000 });
      expect(await f.sync.status(f.tenantId)).toMatchObject({ syncedThrough: null, lastSyncAt: null, problem: { kind: 'unavailable' } });

      outage.times = 0;
      const recovered = await f.sync.syncTenant(f.tenantId);
      expect(recovered.ok && recovered.value).toMatchObject({ read: 1_200, accepted: 200, duplicates: 1_000 });
      expect((await f.sync.status(f.tenantId)).problem).toBeNull();
      expect(f.usageKeys().sort()).toEqual(rows.map(idOf).sort());
      expect(f.balance()).toBe(-1_200);
    } finally {
      cloud.pageSize = 3;
    }
  });

  it('counts rows the ledger refuses as skipped and says which', async () => {
    const f = syncFixture();
    const good = pstnCallLogRow(f.clock.now(), 10);
    const euro = pstnCallLogRow(f.clock.now(), 20, { currency: 'EUR' });
    const broken = pstnCallLogRow(f.clock.now(), 30, { duration: -5 });
    f.tenant.publishCalls(good, euro, broken);

    const outcome = await f.sync.syncTenant(f.tenantId);

    expect(outcome.ok && outcome.value).toMatchObject({ read: 3, accepted: 1, skipped: 2, otherLicenses: 0 });
    const rejected = outcome.ok ? outcome.value.rejected : [];
    expect(rejected.map((r) => r.id).sort()).toEqual([idOf(euro), idOf(broken)].sort());
    expect(rejected.find((r) => r.id === idOf(euro))?.error).toMatch(/EUR differs/);
    expect(f.logs.filter((l) => l.includes(idOf(euro)) || l.includes(idOf(broken)))).toHaveLength(2);
  });

  it('signs in with a certificate as well as with a secret', async () => {
    const tls = inject('fakeCloudTls');
    const folder = await mkdtemp(path.join(os.tmpdir(), 'graph-app-certificate-'));
    const pemFile = path.join(folder, 'app.pem');
    const certificate = await readFile(tls.certFile, 'utf8');
    await writeFile(pemFile, `${await readFile(tls.keyFile, 'utf8')}\n${certificate}`);
    cloud.appCertificate = certificate;
    try {
      const f = syncFixture();
      f.tenant.publishCalls(pstnCallLogRow(f.clock.now(), 10));
      const sync = new UsageSync({
        ...f.deps,
        callLog: new GraphPstnCallLog(fakeCloudClients(cloud, { credential: { kind: 'certificate', certificatePath: pemFile } })),
      });
      const outcome = await sync.syncTenant(f.tenantId);
      expect(outcome.ok && outcome.value).toMatchObject({ read: 1, accepted: 1 });
    } finally {
      cloud.appCertificate = null;
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('tells a tenant without consent how to grant it, and reads nothing', async () => {
    const notInstalled = syncFixture();
    notInstalled.tenant.signIn = 'app-not-in-tenant';
    const signInRefused = await notInstalled.sync.syncTenant(notInstalled.tenantId);
    expect(signInRefused.ok).toBe(false);
    if (signInRefused.ok) return;
    expect(signInRefused.error.problem).toMatchObject({
      kind: 'no-consent',
      message: expect.stringMatching(/AADSTS700016/),
      consentUrl: `${cloud.baseUrl}/${notInstalled.tenantId}/adminconsent?client_id=${cloud.clientId}`,
    });
    expect((await notInstalled.sync.status(notInstalled.tenantId)).problem?.kind).toBe('no-consent');

    const notGranted = syncFixture();
    notGranted.tenant.granted.delete('CallRecord-PstnCalls.Read.All');
    notGranted.tenant.publishCalls(pstnCallLogRow(notGranted.clock.now(), 1));
    const forbidden = await notGranted.sync.syncTenant(notGranted.tenantId);
    expect(!forbidden.ok && forbidden.error.problem).toMatchObject({ kind: 'no-consent', message: expect.stringMatching(/403/) });
    expect((await notGranted.sync.status(notGranted.tenantId)).syncedThrough).toBeNull();

    // The broader CallRecords.Read.All reads the PSTN call log too.
    notGranted.tenant.granted.add('CallRecords.Read.All');
    const granted = await notGranted.sync.syncTenant(notGranted.tenantId);
    expect(granted.ok && granted.value).toMatchObject({ read: 1, accepted: 1 });
  });

  it('syncs every tenant in turn; one that fails does not stop the others', async () => {
    const a = syncFixture();
    const b = cloud.tenant(randomUUID());
    b.signIn = 'no-service-principal';
    const c = cloud.tenant(randomUUID());
    a.tenant.publishCalls(pstnCallLogRow(a.clock.now(), 1));
    c.publishCalls(pstnCallLogRow(a.clock.now(), 2), pstnCallLogRow(a.clock.now(), 3));
    const sync = new UsageSync({
      ledger: a.ledger,
      callLog: new GraphPstnCallLog(fakeCloudClients(cloud)),
      state: a.state,
      clock: a.clock,
      usageWindowDays: 90,
      tenants: async () => [a.tenantId, b.id, c.id],
      syncEveryMs: 60 * 60_000,
      duties: a.deps.duties,
      log: (m) => a.logs.push(m),
    });

    await sync.syncAll();

    expect((await sync.status(a.tenantId)).lastSyncAt).not.toBeNull();
    expect((await sync.status(b.id)).problem).toMatchObject({ kind: 'no-consent', message: expect.stringMatching(/AADSTS7000229/) });
    expect((await sync.status(c.id)).lastSyncAt).not.toBeNull();
    expect(a.store.entries.get(c.id)?.filter((e) => e.kind === 'usage')).toHaveLength(2);
    expect(a.logs.some((l) => l.includes(b.id) && l.includes('no-consent'))).toBe(true);
  });

  it('counts every charged row exactly once across syncs, late arrivals and faults', async () => {
    const step = fc.record({
      hoursLater: fc.integer({ min: 0, max: 30 }),
      arrivals: fc.array(fc.record({ hoursLate: fc.integer({ min: 0, max: 47 }), credits: fc.boolean(), cents: fc.integer({ min: 0, max: 5_000 }) }), {
        maxLength: 6,
      }),
      fault: fc.constantFrom('none', '429', '503', 'drop', 'expired-token', 'outage'),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), async (steps) => {
        const f = syncFixture();
        const charged = new Map<string, number>();
        const tenantCalls = /getPstnCalls/;
        for (const s of steps) {
          f.clock.advance(s.hoursLater * HOUR_MS);
          for (const arrival of s.arrivals) {
            const row = pstnCallLogRow(f.clock.now(), arrival.hoursLate * 60 + 1, {
              charge: arrival.cents / 100,
              licenseCapability: arrival.credits ? 'MCOPSTNPP' : 'MCOPSTNU',
            });
            f.tenant.publishCalls(row);
            if (arrival.credits) charged.set(idOf(row), arrival.cents);
          }
          const fault =
            s.fault === '429'
              ? { status: 429, headers: { 'Retry-After': '0' }, times: 2 }
              : s.fault === '503'
                ? { status: 503, times: 2 }
                : s.fault === 'drop'
                  ? { dropConnection: true, times: 1 }
                  : s.fault === 'outage'
                    ? { status: 503, times: 4 }
                    : null;
          if (fault) cloud.inject({ path: tenantCalls, ...fault });
          if (s.fault === 'expired-token') cloud.expireTokens();
          await f.sync.syncTenant(f.tenantId);
        }
        cloud.clearFaults();
        const final = await f.sync.syncTenant(f.tenantId);
        expect(final.ok).toBe(true);
        const keys = f.usageKeys();
        expect(new Set(keys).size).toBe(keys.length);
        expect(keys.sort()).toEqual([...charged.keys()].sort());
        expect(f.balance()).toBe(0 - [...charged.values()].reduce((a, b) => a + b, 0));
      }),
      { numRuns: 12 },
    );
  });
});
