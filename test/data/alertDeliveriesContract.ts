import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertDeliveries } from '../../services/alertDeliveries.js';
import type { LedgerStore } from '../../services/ports.js';
import { addFunds, recordUsage } from './ledgerFixtures.js';

/** A store and the alert deliveries beside it: what one instance opens. */
export interface DeliveriesInstance {
  store: LedgerStore;
  deliveries: AlertDeliveries;
  close(): Promise<void>;
}

export interface AlertDeliveriesContractOptions {
  createPlace?: () => Promise<string>;
  removePlace?: (place: string) => Promise<void>;
  /** Whether several instances may open one place at once (a database), each claiming for itself. */
  severalInstances: boolean;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The behaviour every AlertDeliveries must have, as a suite: run it for each implementation with a
 * function that opens an instance (store and deliveries) at a place, with the given lease.
 */
export function describeAlertDeliveriesContract(
  name: string,
  openInstance: (place: string, leaseMs: number) => Promise<DeliveriesInstance>,
  options: AlertDeliveriesContractOptions,
): void {
  const createPlace = options.createPlace ?? (() => mkdtemp(path.join(os.tmpdir(), 'deliveries-contract-')));
  const removePlace = options.removePlace ?? ((place: string) => rm(place, { recursive: true, force: true }));

  describe(`AlertDeliveries contract: ${name}`, () => {
    let place: string;
    const instances = new Set<DeliveriesInstance>();

    const open = async (leaseMs = 30_000): Promise<DeliveriesInstance> => {
      const instance = await openInstance(place, leaseMs);
      instances.add(instance);
      return instance;
    };
    const close = async (instance: DeliveriesInstance) => {
      instances.delete(instance);
      await instance.close();
    };

    /** Raises a low-balance alert, then a suspension, for the tenant. */
    const raiseTwo = async (store: LedgerStore, tenantId: string) => {
      await store.change(tenantId, addFunds(tenantId, 5_000, `${tenantId}-f`));
      await store.change(tenantId, recordUsage(tenantId, [{ recordId: `${tenantId}-u1`, chargeMinor: 4_500 }]));
      await store.change(tenantId, recordUsage(tenantId, [{ recordId: `${tenantId}-u2`, chargeMinor: 600 }]));
    };
    const ids = (claims: Awaited<ReturnType<AlertDeliveries['claim']>>) => claims.map((c) => [c.tenantId, c.alerts.map((a) => a.alert.type)]);

    beforeEach(async () => {
      place = await createPlace();
    });
    afterEach(async () => {
      for (const instance of instances) await instance.close();
      instances.clear();
      await removePlace(place);
    });

    it("claims each tenant's unacknowledged alerts together, in the order raised, oldest tenant first, and no live claim twice", async () => {
      const { store, deliveries } = await open();
      await raiseTwo(store, 'tenant-b');
      await raiseTwo(store, 'tenant-a');
      await raiseTwo(store, 'Contoso Ltd/ü');

      expect(ids(await deliveries.claim(2))).toEqual([
        ['tenant-b', ['low-balance', 'suspended']],
        ['tenant-a', ['low-balance', 'suspended']],
      ]);
      // Its own live claims are not handed out again either.
      expect(ids(await deliveries.claim(10))).toEqual([['Contoso Ltd/ü', ['low-balance', 'suspended']]]);
      expect(await deliveries.claim(10)).toEqual([]);
    });

    it('makes a tenant claimable again when the claim is given up, at once or after a retry time', async () => {
      const { store, deliveries } = await open();
      await raiseTwo(store, 't1');
      await raiseTwo(store, 't2');
      await deliveries.claim(10);
      await deliveries.release('t1');
      await deliveries.release('t2', 1_500);
      expect(ids(await deliveries.claim(10))).toEqual([['t1', ['low-balance', 'suspended']]]);
      await pause(1_700);
      expect(ids(await deliveries.claim(10))).toEqual([['t2', ['low-balance', 'suspended']]]);
    });

    it('lets a claim lapse when its lease ends without renewal, and keeps a renewed one', async () => {
      // Margins of most of a second each way: a loaded machine stretches every step.
      const { store, deliveries } = await open(2_000);
      await raiseTwo(store, 'renewed');
      await raiseTwo(store, 'lapsed');
      expect(await deliveries.claim(10)).toHaveLength(2);
      await pause(1_200);
      expect(await deliveries.renew('renewed')).toBe(true);
      await pause(1_200);
      expect(ids(await deliveries.claim(10))).toEqual([['lapsed', ['low-balance', 'suspended']]]);
      expect(await deliveries.renew('never-claimed')).toBe(false);
    });

    it('records who got an alert until it is acknowledged, and an acknowledged alert is gone with its record', async () => {
      const { store, deliveries } = await open();
      await raiseTwo(store, 't1');
      const [claim] = await deliveries.claim(10);
      const [low, suspended] = claim!.alerts;
      expect(deliveries.has(low!.id, 'teams:a')).toBe(false);
      await deliveries.record(low!.id, 'teams:a');
      await deliveries.record(low!.id, 'teams:a');
      await deliveries.record(low!.id, 'mail:someone');
      expect(deliveries.has(low!.id, 'teams:a')).toBe(true);
      expect(deliveries.has(low!.id, 'mail:someone')).toBe(true);
      expect(deliveries.has(suspended!.id, 'teams:a')).toBe(false);

      await deliveries.acknowledge(low!.id);
      await deliveries.acknowledge('no-such-alert');
      expect(deliveries.has(low!.id, 'teams:a')).toBe(false);
      expect((await store.pendingAlerts()).map((a) => a.id)).toEqual([suspended!.id]);
      await deliveries.release('t1');
      expect((await deliveries.claim(10)).map((c) => c.alerts.map((a) => a.id))).toEqual([[suspended!.id]]);
    });

    it('keeps who got an alert across a restart, so the alert delivered again reaches only the others', async () => {
      let instance = await open();
      await raiseTwo(instance.store, 't1');
      const [claim] = await instance.deliveries.claim(10);
      const alertId = claim!.alerts[0]!.id;
      await instance.deliveries.record(alertId, 'teams:a');
      // As a shutdown does; a crash leaves the claim to lapse (below, for several instances).
      await instance.deliveries.release('t1');
      await close(instance);

      instance = await open();
      const [again] = await instance.deliveries.claim(10);
      expect(again!.alerts[0]!.id).toBe(alertId);
      expect(instance.deliveries.has(alertId, 'teams:a')).toBe(true);
      expect(instance.deliveries.has(alertId, 'teams:b')).toBe(false);
    });

    if (!options.severalInstances) return;

    describe('several instances on one place', () => {
      it('hands each tenant to one of several instances claiming at once', async () => {
        const [first, second, third] = await Promise.all([open(), open(), open()]);
        for (let t = 0; t < 12; t++) await raiseTwo(first!.store, `tenant-${t}`);
        const claims = await Promise.all([first!, second!, third!].map(async ({ deliveries }) => (await deliveries.claim(12)).map((c) => c.tenantId)));
        const all = claims.flat();
        expect(all.sort()).toEqual(Array.from({ length: 12 }, (_, t) => `tenant-${t}`).sort());
        expect(new Set(all).size).toBe(12);
      });

      it("takes over a dead instance's claim when its lease ends, knowing whom it had reached", async () => {
        const dead = await open(1_500);
        const survivor = await open(1_500);
        await raiseTwo(dead.store, 't1');
        const [claim] = await dead.deliveries.claim(10);
        const alertId = claim!.alerts[0]!.id;
        await dead.deliveries.record(alertId, 'teams:a');
        // The dead instance renews no more.
        expect(await survivor.deliveries.claim(10)).toEqual([]);
        await pause(1_700);
        const [taken] = await survivor.deliveries.claim(10);
        expect(taken!.alerts.map((a) => a.id)).toEqual(claim!.alerts.map((a) => a.id));
        expect(survivor.deliveries.has(alertId, 'teams:a')).toBe(true);
        // The instance that lost the claim learns it when it tries to renew.
        expect(await dead.deliveries.renew('t1')).toBe(false);
        await dead.deliveries.release('t1');
        expect(await dead.deliveries.claim(10)).toEqual([]);
      });

      it('sees alerts raised and acknowledged by another instance', async () => {
        const [raiser, deliverer] = await Promise.all([open(), open()]);
        await raiseTwo(raiser.store, 't1');
        const [claim] = await deliverer.deliveries.claim(10);
        for (const stored of claim!.alerts) await deliverer.deliveries.acknowledge(stored.id);
        expect(await raiser.store.pendingAlerts()).toEqual([]);
        // A record arriving after the acknowledgement (an instance that lost the claim) is dropped.
        await raiser.deliveries.record(claim!.alerts[0]!.id, 'teams:late');
        await deliverer.deliveries.release('t1');
        expect(await raiser.deliveries.claim(10)).toEqual([]);
      });
    });
  });
}
