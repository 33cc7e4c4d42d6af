import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Duties } from '../../services/duties.js';

export interface DutiesContractOptions {
  /** Whether `openDuties` may be called again for another instance sharing the first's locks. */
  severalInstances: boolean;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A duty that runs until told to finish, recording that it ran. */
function heldDuty() {
  let finish!: (value: string) => void;
  const finished = new Promise<string>((resolve) => (finish = resolve));
  let started!: () => void;
  const running = new Promise<void>((resolve) => (started = resolve));
  const signals: AbortSignal[] = [];
  return {
    work: (signal: AbortSignal) => {
      signals.push(signal);
      started();
      return finished;
    },
    running,
    finish,
    signals,
  };
}

/** The behaviour of `Duties` over every DutyLocks implementation. */
export function describeDutiesContract(name: string, openDuties: () => Promise<Duties>, options: DutiesContractOptions): void {
  describe(`Duties contract: ${name}`, () => {
    const opened: Duties[] = [];
    const open = async () => {
      const duties = await openDuties();
      opened.push(duties);
      return duties;
    };
    afterEach(async () => {
      for (const duties of opened.splice(0)) await duties.close();
    });

    it('runs a duty once at a time: a second try while it runs is refused, another duty runs beside it', async () => {
      const duties = await open();
      const sweep = heldDuty();
      const first = duties.tryRun('sweep', sweep.work);
      await sweep.running;
      expect(await duties.tryRun('sweep', async () => 'twice')).toBeNull();
      expect(await duties.tryRun('recharge:t1', async () => 'other')).toEqual({ value: 'other' });
      sweep.finish('done');
      expect(await first).toEqual({ value: 'done' });
      expect(await duties.tryRun('sweep', async () => 'again')).toEqual({ value: 'again' });
    });

    it('lets run wait for the duty held, then run it', async () => {
      const duties = await open();
      const sync = heldDuty();
      const first = duties.tryRun('graph-sync:t1', sync.work);
      await sync.running;
      const order: string[] = [];
      const waiting = duties.run('graph-sync:t1', async () => void order.push('second'));
      await pause(100);
      order.push('first finished');
      sync.finish('x');
      await first;
      await waiting;
      expect(order).toEqual(['first finished', 'second']);
    });

    it('runs a periodic duty once per period, and releases its lock when the work fails', async () => {
      const duties = await open();
      let runs = 0;
      const name = `sweep-${randomUUID()}`;
      expect(await duties.runIfDue(name, 2_000, async () => ++runs)).toEqual({ value: 1 });
      expect(await duties.runIfDue(name, 2_000, async () => ++runs)).toBeNull();
      await pause(2_000);
      await expect(
        duties.runIfDue(name, 2_000, async () => {
          throw new Error('sweep failed');
        }),
      ).rejects.toThrow('sweep failed');
      expect(await duties.tryRun(name, async () => 'free')).toEqual({ value: 'free' });
    });

    it('aborts the duties running when it closes, and starts none after', async () => {
      const duties = await open();
      const sweep = heldDuty();
      const running = duties.tryRun('sweep', (signal) => {
        signal.addEventListener('abort', () => sweep.finish('stopped'), { once: true });
        return sweep.work(signal);
      });
      await sweep.running;
      await duties.close();
      expect(await running).toEqual({ value: 'stopped' });
      expect(await duties.tryRun('other', async () => 'late')).toBeNull();
    });

    if (!options.severalInstances) return;

    describe('several instances', () => {
      it('runs a duty on one instance at a time, and on another once the first let go', async () => {
        const [a, b] = await Promise.all([open(), open()]);
        const recharge = heldDuty();
        const first = a.tryRun('recharge:t1', recharge.work);
        await recharge.running;
        expect(await b.tryRun('recharge:t1', async () => 'b')).toBeNull();
        expect(await b.tryRun('recharge:t2', async () => 'b2')).toEqual({ value: 'b2' });
        const waiting = b.run('recharge:t1', async () => 'b after a');
        recharge.finish('a');
        expect(await first).toEqual({ value: 'a' });
        expect(await waiting).toBe('b after a');
      });

      it('runs a periodic duty on one instance per period', async () => {
        const [a, b] = await Promise.all([open(), open()]);
        const ran: string[] = [];
        // The period's start is shared by every test of the place: a name of this test's own.
        const name = `sweep-${randomUUID()}`;
        const results = await Promise.all([a, b, a, b].map((duties, i) => duties.runIfDue(name, 60_000, async () => ran.push(`${i}`))));
        expect(results.filter((r) => r !== null)).toHaveLength(1);
        expect(ran).toHaveLength(1);
      });
    });
  });
}
