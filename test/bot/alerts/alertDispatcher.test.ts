import { describe, expect, it, vi } from 'vitest';
import { AlertDispatcher, type AlertSink } from '../../../bot/alerts/alertDispatcher.js';
import { EmbeddedAlertDeliveries, type DeliveryLogData } from '../../../data/embeddedAlertDeliveries.js';
import type { AlertDeliveries } from '../../../services/alertDeliveries.js';
import type { Alert, StoredAlert } from '../../../services/alerts.js';
import { systemClock } from '../../../services/ports.js';
import { memoryDocument } from '../../support/memoryDocument.js';

const alert = (tenantId: string, type: Alert['type'] = 'suspended'): Alert =>
  ({ type, tenantId, currency: 'USD', balanceMinor: -100, at: '2026-01-01T00:00:00.000Z' }) as Alert;

const quiet = { info: () => undefined, error: () => undefined, warn: () => undefined };

/** An outbox as a store keeps it: alerts raised are pending until acknowledged, and listeners hear of them. */
function outbox(pending: StoredAlert[] = []) {
  const listeners: Array<(alerts: StoredAlert[]) => void> = [];
  const alerts = [...pending];
  const acknowledged: string[] = [];
  return {
    acknowledged,
    raise: (raised: StoredAlert[]) => {
      alerts.push(...raised);
      for (const listener of listeners) listener(raised);
    },
    pendingAlerts: async () => alerts.filter((a) => !acknowledged.includes(a.id)),
    onAlerts: (l: (alerts: StoredAlert[]) => void) => void listeners.push(l),
    acknowledgeAlert: async (id: string) => void acknowledged.push(id),
  };
}

function dispatcher(source: ReturnType<typeof outbox>, sinks: AlertSink[], options: { leaseMs?: number; retryFailedAfterMs?: number; pollMs?: number } = {}) {
  const deliveries = new EmbeddedAlertDeliveries(source, memoryDocument<DeliveryLogData>({}), systemClock, options.leaseMs ?? 30_000);
  return { deliveries, dispatcher: new AlertDispatcher(source, deliveries, sinks, { log: quiet, pollMs: options.pollMs ?? 60_000, ...options }) };
}

/** The deliveries as the dispatcher sees them, with a shorter lease and some methods replaced; the claims themselves last 30 s. */
const overriding = (deliveries: AlertDeliveries, changes: Partial<AlertDeliveries>): AlertDeliveries => ({
  leaseMs: changes.leaseMs ?? deliveries.leaseMs,
  claim: changes.claim ?? ((max) => deliveries.claim(max)),
  renew: changes.renew ?? ((tenantId) => deliveries.renew(tenantId)),
  release: changes.release ?? ((tenantId, after) => deliveries.release(tenantId, after)),
  acknowledge: (id) => deliveries.acknowledge(id),
  has: (id, recipient) => deliveries.has(id, recipient),
  record: (id, recipient) => deliveries.record(id, recipient),
});

const sink = (name: string, deliver: AlertSink['deliver']): AlertSink => ({ name, deliver });

/** Waits for the abort, then fails with its reason: a send that keeps retrying until told to stop. */
const untilAborted = (signal: AbortSignal) =>
  new Promise<never>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));

describe('AlertDispatcher', () => {
  it('delivers pending alerts at start and new ones as they are raised, acknowledging each after every sink took it', async () => {
    const s = outbox([{ id: 'old', alert: alert('t1') }]);
    const order: string[] = [];
    const { dispatcher: d } = dispatcher(s, [sink('a', async (a) => void order.push(`a:${a.id}`)), sink('b', async (a) => void order.push(`b:${a.id}`))]);
    await d.start();
    s.raise([{ id: 'new', alert: alert('t1') }]);
    await d.idle();
    expect(order).toEqual(['a:old', 'b:old', 'a:new', 'b:new']);
    expect(s.acknowledged).toEqual(['old', 'new']);
    await d.close();
  });

  it('never acknowledges an alert a sink could not take, and tries it again once the retry time passed', async () => {
    const s = outbox();
    let failures = 1;
    const { dispatcher: d } = dispatcher(
      s,
      [
        sink('flaky', async () => {
          if (failures-- > 0) throw new Error('disk full');
        }),
      ],
      { retryFailedAfterMs: 30, pollMs: 10 },
    );
    await d.start();
    s.raise([{ id: 'x', alert: alert('t1') }]);
    await d.idle();
    expect(s.acknowledged).toEqual([]);
    await vi.waitFor(() => expect(s.acknowledged).toEqual(['x']));
    await d.close();
  });

  it('returns to the caller at once: raising never waits for delivery', async () => {
    const s = outbox();
    let release!: () => void;
    const blocked = new Promise<void>((r) => (release = r));
    const { dispatcher: d } = dispatcher(s, [sink('slow', () => blocked)]);
    await d.start();
    const started = Date.now();
    s.raise([{ id: 'x', alert: alert('t1') }]);
    expect(Date.now() - started).toBeLessThan(20);
    expect(s.acknowledged).toEqual([]);
    release();
    await d.idle();
    expect(s.acknowledged).toEqual(['x']);
    await d.close();
  });

  it("calls the sinks with a tenant's alerts in the order they were raised, without waiting for earlier ones to finish", async () => {
    const s = outbox();
    const calls: string[] = [];
    let releaseFirst!: () => void;
    const firstBlocked = new Promise<void>((r) => (releaseFirst = r));
    const { dispatcher: d } = dispatcher(s, [
      sink('teams', (a) => {
        calls.push(a.id);
        return a.id === 'first' ? firstBlocked : Promise.resolve();
      }),
    ]);
    await d.start();
    s.raise([
      { id: 'first', alert: alert('t1') },
      { id: 'second', alert: alert('t1') },
    ]);
    await vi.waitFor(() => expect(s.acknowledged).toEqual(['second']));
    expect(calls).toEqual(['first', 'second']);
    releaseFirst();
    await d.idle();
    expect(s.acknowledged).toEqual(['second', 'first']);
    await d.close();
  });

  it('delivers an alert both pending at start and looked for again once', async () => {
    const stored = { id: 'dup', alert: alert('t1') };
    const s = outbox([stored]);
    let deliveries = 0;
    const { dispatcher: d } = dispatcher(s, [sink('count', async () => void deliveries++)]);
    await d.start();
    s.raise([]);
    d.look();
    await d.idle();
    d.look();
    await d.idle();
    expect(deliveries).toBe(1);
    await d.close();
  });

  it('stops sending and leaves the claim alone when the claim was taken over', async () => {
    const s = outbox([
      { id: 'a', alert: alert('t1') },
      { id: 'b', alert: alert('t1') },
    ]);
    const { deliveries } = dispatcher(s, []);
    const release = vi.fn(async () => undefined);
    const takenOver: AlertDeliveries = overriding(deliveries, { leaseMs: 60, renew: async () => false, release });
    const signals: AbortSignal[] = [];
    const slow = sink('slow', (_a, signal) => {
      signals.push(signal);
      return untilAborted(signal);
    });
    const d = new AlertDispatcher(s, takenOver, [slow], { log: quiet, pollMs: 60_000 });
    await d.start();
    await d.idle();
    expect(signals).toHaveLength(2);
    expect(signals.every((signal) => signal.aborted)).toBe(true);
    expect(s.acknowledged).toEqual([]);
    expect(release).not.toHaveBeenCalled();
    await d.close();
  });

  it('stops sending when the claim could not be renewed for most of its lease', async () => {
    const s = outbox([{ id: 'a', alert: alert('t1') }]);
    const { deliveries } = dispatcher(s, []);
    let claimedAt = 0;
    const unreachable: AlertDeliveries = overriding(deliveries, {
      leaseMs: 1_000,
      claim: async (max: number) => {
        claimedAt = Date.now();
        return deliveries.claim(max);
      },
      renew: async () => {
        throw new Error('the database does not answer');
      },
    });
    let stopped: { afterMs: number; reason: unknown } | null = null;
    const d = new AlertDispatcher(
      s,
      unreachable,
      [
        sink('slow', (_a, signal) => {
          signal.addEventListener('abort', () => (stopped = { afterMs: Date.now() - claimedAt, reason: signal.reason }), { once: true });
          return untilAborted(signal);
        }),
      ],
      { log: quiet, pollMs: 60_000 },
    );
    await d.start();
    await d.idle();
    // Before the lease ends, when another instance could take the claim.
    expect(stopped).toMatchObject({ reason: new Error('the alert claim may have lapsed') });
    expect(stopped!.afterMs).toBeLessThan(1_000);
    expect(s.acknowledged).toEqual([]);
    await d.close();
  });

  it('gives up the claims of alerts not delivered when it closes, for another instance to take at once', async () => {
    const s = outbox([{ id: 'a', alert: alert('t1') }]);
    const { deliveries, dispatcher: d } = dispatcher(s, [sink('forever', (_a, signal) => untilAborted(signal))]);
    await d.start();
    expect(await deliveries.claim(10)).toEqual([]);
    await d.close();
    expect((await deliveries.claim(10)).map((c) => c.alerts.map((a) => a.id))).toEqual([['a']]);
    expect(s.acknowledged).toEqual([]);
  });
});
