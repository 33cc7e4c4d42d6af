import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationBook } from '../../data/conversationReferences.js';
import { sighting } from '../support/conversationBookFixture.js';
import type { StorePlaces } from './storePlaces.js';

const CHANNEL = '19:billing@thread.tacv2';
const subscriptionBy = (tenantId: string, user: string, at = '2026-01-02T03:04:05.000Z') => ({ tenantId, by: `${tenantId}/aad-${user}`, at });

/** The behaviour every ConversationBook must have, for each implementation. */
export function describeConversationBookContract(name: string, places: StorePlaces<ConversationBook>): void {
  describe(`ConversationBook contract: ${name}`, () => {
    let place: string;
    beforeEach(async () => {
      place = await places.create();
    });
    afterEach(() => places.remove(place));

    it('keeps conversations and people by tenant, across reopening, with the time of the sighting', async () => {
      const book = await places.open(place);
      await book.remember(
        sighting('personal-alex', { tenantId: 't1', scope: 'personal', user: 'alex', name: 'Alex', timeZone: 'Europe/Paris', at: '2026-01-01T10:00:00.000Z' }),
      );
      await book.remember(sighting(CHANNEL, { tenantId: 't1', scope: 'channel', user: 'megan', locale: 'zh-CN' }));
      await book.remember(sighting('personal-zoe', { tenantId: 't2', scope: 'personal', user: 'zoe' }));

      const reopened = await places.open(place);
      expect(await reopened.conversation('t1', 'personal-alex')).toEqual({
        id: 'personal-alex',
        tenantId: 't1',
        scope: 'personal',
        reference: { conversation: { id: 'personal-alex' } },
        userKey: 't1/aad-alex',
        locale: 'en-US',
        timeZone: 'Europe/Paris',
        updatedAt: '2026-01-01T10:00:00.000Z',
      });
      expect(await reopened.person('t1', 't1/aad-alex')).toEqual({
        key: 't1/aad-alex',
        tenantId: 't1',
        userId: '29:alex',
        aadObjectId: 'aad-alex',
        name: 'Alex',
        locale: 'en-US',
        timeZone: 'Europe/Paris',
        email: null,
        updatedAt: '2026-01-01T10:00:00.000Z',
      });
      expect((await reopened.conversationsOf('t1')).map((c) => c.id).sort()).toEqual([CHANNEL, 'personal-alex']);
      expect((await reopened.peopleOf('t1')).map((p) => p.key).sort()).toEqual(['t1/aad-alex', 't1/aad-megan']);
      expect((await reopened.conversationsOf('t2')).map((c) => c.id)).toEqual(['personal-zoe']);
      // Another tenant's rows are not found under this one.
      expect(await reopened.conversation('t2', 'personal-alex')).toBeUndefined();
      expect(await reopened.person('t2', 't1/aad-alex')).toBeUndefined();
      expect(await reopened.conversationsOf('t3')).toEqual([]);
    });

    it('keeps what a sighting lacks (locale, name, time zone, email), and the old time when nothing else changed', async () => {
      const book = await places.open(place);
      await book.remember(
        sighting('personal-alex', { tenantId: 't1', scope: 'personal', user: 'alex', timeZone: 'Asia/Shanghai', at: '2026-01-01T00:00:00.000Z' }),
      );
      await book.setEmail('t1', 't1/aad-alex', 'alex@contoso.example');
      const bare = sighting('personal-alex', { tenantId: 't1', scope: 'personal', user: 'alex', at: '2026-01-05T00:00:00.000Z' });
      const answered = await book.remember({
        ...bare,
        conversation: { ...bare.conversation, locale: null, timeZone: null },
        person: { ...bare.person, name: null, locale: null, timeZone: null },
      });
      const person = await book.person('t1', 't1/aad-alex');
      // The sighting answers the person as kept, with what it lacked.
      expect(answered).toEqual(person);
      expect(person).toMatchObject({
        name: 'alex',
        locale: 'en-US',
        timeZone: 'Asia/Shanghai',
        email: 'alex@contoso.example',
        updatedAt: '2026-01-01T00:00:00.000Z',
      });
      expect(await book.conversation('t1', 'personal-alex')).toMatchObject({
        locale: 'en-US',
        timeZone: 'Asia/Shanghai',
        updatedAt: '2026-01-01T00:00:00.000Z',
      });

      // A change (the locale) is written, with its time.
      const changed = await book.remember(
        sighting('personal-alex', { tenantId: 't1', scope: 'personal', user: 'alex', locale: 'zh-CN', at: '2026-01-06T00:00:00.000Z' }),
      );
      expect(changed).toMatchObject({ locale: 'zh-CN', timeZone: 'Asia/Shanghai', updatedAt: '2026-01-06T00:00:00.000Z' });
      expect(await book.person('t1', 't1/aad-alex')).toEqual(changed);
      expect(await book.conversation('t1', 'personal-alex')).toMatchObject({ locale: 'zh-CN', updatedAt: '2026-01-06T00:00:00.000Z' });
    });

    it('sets an email only for a known person of that tenant', async () => {
      const book = await places.open(place);
      await book.remember(sighting('personal-alex', { tenantId: 't1', scope: 'personal', user: 'alex' }));
      await book.setEmail('t2', 't1/aad-alex', 'wrong@tenant.example');
      await book.setEmail('t1', 't1/aad-nobody', 'nobody@contoso.example');
      expect((await book.person('t1', 't1/aad-alex'))?.email).toBeNull();
      expect(await book.person('t1', 't1/aad-nobody')).toBeUndefined();
      await book.setEmail('t1', 't1/aad-alex', 'alex@contoso.example');
      expect((await (await places.open(place)).person('t1', 't1/aad-alex'))?.email).toBe('alex@contoso.example');
    });

    it("keeps a channel's alert subscription (who and when) across reopening and later sightings, until it is unsubscribed", async () => {
      const book = await places.open(place);
      await book.remember(sighting(CHANNEL, { tenantId: 't1', scope: 'channel', user: 'alex', name: 'Alex' }));
      expect(await book.subscribeToAlerts(CHANNEL, subscriptionBy('t1', 'alex'))).toBe(true);
      // Someone else writing there changes nothing about who subscribed it.
      await book.remember(sighting(CHANNEL, { tenantId: 't1', scope: 'channel', user: 'megan', at: '2026-01-03T00:00:00.000Z' }));

      const reopened = await places.open(place);
      expect(await reopened.conversation('t1', CHANNEL)).toMatchObject({ userKey: 't1/aad-megan', alertSubscription: subscriptionBy('t1', 'alex') });
      expect(await reopened.unsubscribeFromAlerts(CHANNEL, 't2')).toBe(false);
      expect(await reopened.unsubscribeFromAlerts(CHANNEL, 't1')).toBe(true);
      expect(await reopened.unsubscribeFromAlerts(CHANNEL, 't1')).toBe(false);
      expect((await (await places.open(place)).conversation('t1', CHANNEL))?.alertSubscription).toBeUndefined();
    });

    it('refuses a subscription for a personal chat, an unknown conversation, or another tenant', async () => {
      const book = await places.open(place);
      await book.remember(sighting('personal-alex', { tenantId: 't1', scope: 'personal', user: 'alex' }));
      await book.remember(sighting(CHANNEL, { tenantId: 't1', scope: 'channel', user: 'alex' }));
      expect(await book.subscribeToAlerts('personal-alex', subscriptionBy('t1', 'alex'))).toBe(false);
      expect(await book.subscribeToAlerts('19:nowhere@thread.tacv2', subscriptionBy('t1', 'alex'))).toBe(false);
      expect(await book.subscribeToAlerts(CHANNEL, subscriptionBy('t2', 'zoe'))).toBe(false);
      expect((await book.conversationsOf('t1')).filter((c) => c.alertSubscription)).toEqual([]);
    });

    it("gives a conversation id to the tenant last seen in it, without the other tenant's subscription", async () => {
      const book = await places.open(place);
      await book.remember(sighting(CHANNEL, { tenantId: 't1', scope: 'channel', user: 'alex' }));
      await book.subscribeToAlerts(CHANNEL, subscriptionBy('t1', 'alex'));
      await book.remember(sighting(CHANNEL, { tenantId: 't2', scope: 'channel', user: 'zoe' }));
      expect(await book.conversation('t1', CHANNEL)).toBeUndefined();
      expect(await book.conversationsOf('t1')).toEqual([]);
      expect(await book.conversation('t2', CHANNEL)).toMatchObject({ tenantId: 't2', userKey: 't2/aad-zoe' });
      expect((await book.conversation('t2', CHANNEL))?.alertSubscription).toBeUndefined();
    });

    it('forgets a conversation of its tenant only, and keeps its people', async () => {
      const book = await places.open(place);
      await book.remember(sighting('personal-alex', { tenantId: 't1', scope: 'personal', user: 'alex' }));
      await book.forget('t2', 'personal-alex');
      expect(await book.conversation('t1', 'personal-alex')).toBeDefined();
      await book.forget('t1', 'personal-alex');
      await book.forget('t1', 'personal-alex');
      expect(await (await places.open(place)).conversation('t1', 'personal-alex')).toBeUndefined();
      expect(await book.person('t1', 't1/aad-alex')).toBeDefined();
    });

    it('loses nothing when sightings, subscriptions and emails of one tenant run at once', async () => {
      const book = await places.open(place);
      const channels = Array.from({ length: 20 }, (_, i) => `19:c${i}@thread.tacv2`);
      await Promise.all(channels.map((id, i) => book.remember(sighting(id, { tenantId: 't1', scope: 'channel', user: `u${i}` }))));
      await Promise.all([
        ...channels.map((id) => book.subscribeToAlerts(id, subscriptionBy('t1', 'alex'))),
        ...channels.map((id, i) => book.remember(sighting(id, { tenantId: 't1', scope: 'channel', user: `v${i}`, at: '2026-02-01T00:00:00.000Z' }))),
        ...channels.map((_, i) => book.setEmail('t1', `t1/aad-u${i}`, `u${i}@contoso.example`)),
      ]);
      const reopened = await places.open(place);
      const conversations = await reopened.conversationsOf('t1');
      expect(conversations.filter((c) => c.alertSubscription?.by === 't1/aad-alex')).toHaveLength(20);
      expect(conversations.every((c) => c.userKey.startsWith('t1/aad-v'))).toBe(true);
      expect((await reopened.peopleOf('t1')).filter((p) => p.email)).toHaveLength(20);
    });
  });
}
