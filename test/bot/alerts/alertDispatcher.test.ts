import { describe, expect, it } from 'vitest';
import { AlertDispatcher, type AlertSink } from '../../../bot/alerts/alertDispatcher.js';
import type { Alert, StoredAlert } from '../../../services/alerts.js';

const alert = (tenantId: string, type: Alert['type'] = 'suspended'): Alert =>
  ({ type, tenantId, currency: 'USD', balanceMinor: -100, at: '2026-01-01T00:00:00.000Z' }) as Alert;

function source(pending: StoredAlert[] = []) {
  const listeners: Array<(alerts: StoredAlert[]) => void> = [];
  const acknowledged: string[] = [];
  return {
    acknowledged,
    raise: (alerts: StoredAlert[]) => listeners.forEach((l) => l(alerts)),
    pendingAlerts: async () => pending.filter((a) => !acknowledged.includes(a.id)),
    onAlerts: (l: (alerts: StoredAlert[]) => void) => void listeners.push(l),
    acknowledgeAlert: async (id: string) => void acknowledged.push(id),
  };
}

const sink = (name: string, deliver: AlertSink['deliver']): AlertSink => ({ name, deliver });

describe('AlertDispatcher', () => {
  it('delivers pending alerts at start and new ones as they are raised, acknowledging each after every sink took it', async () => {
    const s = source([{ id: 'old', alert: alert('t1') }]);
    const order: string[] = [];
    const d = new AlertDispatcher(s, [sink('a', async (a) => void order.push(`a:${a.id}`)), sink('b', async (a) => void order.push(`b:${a.id}`))]);
    await d.start();
    s.raise([{ id: 'new', alert: alert('t1') }]);
    await d.idle();
    expect(order).toEqual(['a:old', 'b:old', 'a:new', 'b:new']);
    expect(s.acknowledged).toEqual(['old', 'new']);
  });

  it('never acknowledges an alert a sink could not take, and tries it again later', async () => {
    const s = source();
    let failures = 1;
    const d = new AlertDispatcher(
      s,
      [
        sink('flaky', async () => {
          if (failures-- > 0) throw new Error('disk full');
        }),
      ],
      { retryFailedAfterMs: 10, log: { info: () => undefined, error: () => undefined, warn: () => undefined } },
    );
    await d.start();
    s.raise([{ id: 'x', alert: alert('t1') }]);
    await d.idle();
    expect(s.acknowledged).toEqual([]);
    await new Promise((r) => setTimeout(r, 50));
    await d.idle();
    expect(s.acknowledged).toEqual(['x']);
  });

  it('returns to the caller at once: raising never waits for delivery', async () => {
    const s = source();
    let release!: () => void;
    const blocked = new Promise<void>((r) => (release = r));
    const d = new AlertDispatcher(s, [sink('slow', () => blocked)]);
    await d.start();
    const started = Date.now();
    s.raise([{ id: 'x', alert: alert('t1') }]);
    expect(Date.now() - started).toBeLessThan(20);
    expect(s.acknowledged).toEqual([]);
    release();
    await d.idle();
    expect(s.acknowledged).toEqual(['x']);
  });

  it('calls the sinks with alerts in the order they were raised, without waiting for earlier ones to finish', async () => {
    const s = source();
    const calls: string[] = [];
    let releaseFirst!: () => void;
    const firstBlocked = new Promise<void>((r) => (releaseFirst = r));
    const d = new AlertDispatcher(s, [
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
    await new Promise((r) => setTimeout(r, 10));
    expect(calls).toEqual(['first', 'second']);
    expect(s.acknowledged).toEqual(['second']);
    releaseFirst();
    await d.idle();
    expect(s.acknowledged).toEqual(['second', 'first']);
  });

  it('delivers an alert named both by the listener and the pending list once', async () => {
    const stored = { id: 'dup', alert: alert('t1') };
    const s = source([stored]);
    let deliveries = 0;
    const d = new AlertDispatcher(s, [sink('count', async () => void deliveries++)]);
    s.onAlerts(() => undefined);
    await d.start();
    s.raise([stored]);
    await d.idle();
    d.enqueue([stored]);
    await d.idle();
    expect(deliveries).toBe(1);
  });
});
