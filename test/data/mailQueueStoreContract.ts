import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MailQueueStore, QueuedMail } from '../../services/mailQueue.js';
import type { StorePlaces } from './storePlaces.js';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const mail = (id: string, over: Partial<QueuedMail> = {}): QueuedMail => ({
  tenantId: 't1',
  id,
  to: ['admin@contoso.example'],
  subject: `Notice ${id}`,
  text: 'Balance below zero.',
  html: '<p>Balance below zero.</p>',
  queuedAt: T0,
  attempts: 0,
  nextAttemptAt: T0,
  lastError: null,
  ...over,
});

/** The behaviour every MailQueueStore must have, for each implementation. */
export function describeMailQueueStoreContract(name: string, places: StorePlaces<MailQueueStore>): void {
  describe(`MailQueueStore contract: ${name}`, () => {
    let place: string;
    beforeEach(async () => {
      place = await places.create();
    });
    afterEach(() => places.remove(place));

    it('keeps queued mail across reopening, once per id, oldest first', async () => {
      const queue = await places.open(place);
      await queue.add(mail('m2', { queuedAt: T0 + 1, html: null }));
      await queue.add(mail('m1'));
      await queue.add(mail('m1', { subject: 'again' }));
      await queue.add(mail('m3', { tenantId: 't2', queuedAt: T0 + 2 }));
      expect(await (await places.open(place)).pending()).toEqual([
        mail('m1'),
        mail('m2', { queuedAt: T0 + 1, html: null }),
        mail('m3', { tenantId: 't2', queuedAt: T0 + 2 }),
      ]);
    });

    it('claims a due mail for one sender at a time, until the claim ends or is let go', async () => {
      const queue = await places.open(place);
      await queue.add(mail('m1'));
      await queue.add(mail('later', { queuedAt: T0 + 1, nextAttemptAt: T0 + 60_000 }));
      const claimed = await queue.claimDue(T0, 1_000, new Set());
      expect(claimed).toEqual(mail('m1'));
      expect(await queue.claimDue(T0 + 500, 1_000, new Set())).toBeNull();
      // The lease ended (the claimer died): it can be claimed again.
      expect((await queue.claimDue(T0 + 1_000, 1_000, new Set()))?.id).toBe('m1');
      // A failure lets it go, counted, until its next try.
      await queue.retryLater('t1', 'm1', T0 + 30_000, 'unavailable: 503');
      expect(await queue.claimDue(T0 + 1_500, 1_000, new Set())).toBeNull();
      expect(await queue.claimDue(T0 + 30_000, 1_000, new Set(['m1']))).toBeNull();
      expect(await queue.claimDue(T0 + 60_000, 1_000, new Set())).toMatchObject({ id: 'm1', attempts: 1, lastError: 'unavailable: 503' });
      expect((await queue.claimDue(T0 + 60_000, 1_000, new Set()))?.id).toBe('later');
    });

    it('gives each due mail to one of several senders claiming at once', async () => {
      const senders = [await places.open(place), await places.open(place), await places.open(place)];
      for (let i = 0; i < 12; i++) await senders[0]!.add(mail(`m${i}`, { tenantId: `t${i % 3}`, queuedAt: T0 + i }));
      const claimed: string[] = [];
      await Promise.all(
        senders.map(async (sender) => {
          for (let next = await sender.claimDue(T0, 60_000, new Set()); next; next = await sender.claimDue(T0, 60_000, new Set())) claimed.push(next.id);
        }),
      );
      expect(claimed.sort()).toEqual(Array.from({ length: 12 }, (_, i) => `m${i}`).sort());
    });

    it('remembers a sent mail, so queuing it again does nothing, until it is forgotten', async () => {
      const queue = await places.open(place);
      await queue.add(mail('m1'));
      await queue.claimDue(T0, 1_000, new Set());
      await queue.markSent('t1', 'm1', T0 + 10, T0 - 1);
      await queue.add(mail('m1'));
      const reopened = await places.open(place);
      expect(await reopened.pending()).toEqual([]);
      expect(await reopened.sent()).toEqual([{ tenantId: 't1', id: 'm1', at: T0 + 10 }]);
      // The next send forgets those sent before its cut-off: the id may be queued again.
      await reopened.add(mail('m2'));
      await reopened.markSent('t1', 'm2', T0 + 20, T0 + 15);
      expect(await reopened.sent()).toEqual([{ tenantId: 't1', id: 'm2', at: T0 + 20 }]);
      await reopened.add(mail('m1'));
      expect((await reopened.pending()).map((m) => m.id)).toEqual(['m1']);
    });
  });
}
