import { describe, expect, it } from 'vitest';
import { AllowListAccessPolicy } from '../../../bot/access/allowListAccessPolicy.js';
import { AdminDirectory } from '../../../bot/alerts/adminDirectory.js';
import type { ConversationBook, KnownConversation } from '../../../data/conversationReferences.js';
import type { AccessPolicy, Permission } from '../../../services/access.js';
import { emptyConversationBook, sighting } from '../../support/conversationBookFixture.js';

const AT = '2026-01-01T00:00:00.000Z';

/** A book where `alex` (an admin) and `megan` (not one) of tenant t1, and `zoe` (an admin) of t2, have written. */
async function book() {
  const book = emptyConversationBook();
  const seen = (id: string, scope: KnownConversation['scope'], tenantId: string, user: string) =>
    book.remember(sighting(id, { tenantId, scope, user, at: AT }));
  await seen('personal-alex', 'personal', 't1', 'alex');
  await seen('personal-megan', 'personal', 't1', 'megan');
  await seen('19:channel@thread.tacv2', 'channel', 't1', 'alex');
  await seen('19:group@thread.v2', 'groupChat', 't1', 'alex');
  await seen('personal-zoe', 'personal', 't2', 'zoe');
  await seen('19:other-channel@thread.tacv2', 'channel', 't2', 'zoe');
  return book;
}

const admins = new AllowListAccessPolicy(['aad-alex', 'aad-zoe'], false);

/** Where each tenant's alerts may go, by conversation id. */
async function recipients(book: ConversationBook, access: AccessPolicy, tenantId: string): Promise<string[]> {
  const directory = new AdminDirectory(book, access);
  const all = [...(await book.conversationsOf('t1')), ...(await book.conversationsOf('t2'))];
  const allowed = await Promise.all(all.map((c) => directory.mayReceive(c, tenantId)));
  return all
    .filter((_, i) => allowed[i])
    .map((c) => c.id)
    .sort();
}

const subscription = (tenantId: string, by: string) => ({ tenantId, by: `${tenantId}/aad-${by}`, at: AT });

describe('where alerts go (AdminDirectory.mayReceive)', () => {
  it("to admins' personal chats only, not to a channel or group chat where an admin merely wrote", async () => {
    const b = await book();
    expect(await recipients(b, admins, 't1')).toEqual(['personal-alex']);
    expect(await recipients(b, admins, 't2')).toEqual(['personal-zoe']);
  });

  it('to a channel or group chat once an admin subscribed it, until it is unsubscribed', async () => {
    const b = await book();
    expect(await b.subscribeToAlerts('19:channel@thread.tacv2', subscription('t1', 'alex'))).toBe(true);
    expect(await recipients(b, admins, 't1')).toEqual(['19:channel@thread.tacv2', 'personal-alex']);
    expect(await b.subscribeToAlerts('19:group@thread.v2', subscription('t1', 'alex'))).toBe(true);
    expect(await recipients(b, admins, 't1')).toEqual(['19:channel@thread.tacv2', '19:group@thread.v2', 'personal-alex']);
    // Someone else writing there later changes nothing about who subscribed it.
    await b.remember(sighting('19:group@thread.v2', { tenantId: 't1', scope: 'groupChat', user: 'megan', at: '2026-01-02T00:00:00.000Z' }));
    expect((await b.conversation('t1', '19:group@thread.v2'))?.alertSubscription).toEqual(subscription('t1', 'alex'));

    expect(await b.unsubscribeFromAlerts('19:channel@thread.tacv2', 't1')).toBe(true);
    expect(await b.unsubscribeFromAlerts('19:channel@thread.tacv2', 't1')).toBe(false);
    expect(await recipients(b, admins, 't1')).toEqual(['19:group@thread.v2', 'personal-alex']);
  });

  it("never to another tenant's conversations, subscribed or not", async () => {
    const b = await book();
    await b.subscribeToAlerts('19:other-channel@thread.tacv2', subscription('t2', 'zoe'));
    expect(await recipients(b, admins, 't1')).toEqual(['personal-alex']);
    // A subscription for t1 cannot be put on t2's channel, nor taken off it by t1.
    expect(await b.subscribeToAlerts('19:other-channel@thread.tacv2', subscription('t1', 'alex'))).toBe(false);
    expect(await b.unsubscribeFromAlerts('19:other-channel@thread.tacv2', 't1')).toBe(false);
    expect(await recipients(b, admins, 't2')).toEqual(['19:other-channel@thread.tacv2', 'personal-zoe']);
  });

  it("drops a subscription when the conversation is next seen under another tenant: it never carries one tenant's alerts to another", async () => {
    const b = await book();
    await b.subscribeToAlerts('19:channel@thread.tacv2', subscription('t1', 'alex'));
    await b.remember(sighting('19:channel@thread.tacv2', { tenantId: 't2', scope: 'channel', user: 'zoe', at: '2026-01-02T00:00:00.000Z' }));
    expect((await b.conversation('t1', '19:channel@thread.tacv2'))?.alertSubscription).toBeUndefined();
    expect(await recipients(b, admins, 't1')).toEqual(['personal-alex']);
    expect(await recipients(b, admins, 't2')).toEqual(['personal-zoe']);
  });

  it('refuses a subscription a conversation does not hold (personal chat, unknown conversation)', async () => {
    const b = await book();
    expect(await b.subscribeToAlerts('personal-alex', subscription('t1', 'alex'))).toBe(false);
    expect(await b.subscribeToAlerts('19:nowhere@thread.tacv2', subscription('t1', 'alex'))).toBe(false);
    expect((await b.conversation('t1', 'personal-alex'))?.alertSubscription).toBeUndefined();
  });

  it('stops posting in a subscribed conversation once its subscriber may no longer manage', async () => {
    const b = await book();
    await b.subscribeToAlerts('19:channel@thread.tacv2', subscription('t1', 'alex'));
    const granted = new Map<string, Permission[]>([['aad-alex', ['view', 'manage']]]);
    const access: AccessPolicy = {
      decide: async ({ aadObjectId }) => {
        const permissions = granted.get(aadObjectId ?? '');
        return permissions ? { ok: true, permissions: new Set(permissions), via: 'directory' } : { ok: false, reason: 'not-admin' };
      },
    };
    expect(await recipients(b, access, 't1')).toEqual(['19:channel@thread.tacv2', 'personal-alex']);
    granted.set('aad-alex', ['view']); // demoted to a Teams administrator
    expect(await recipients(b, access, 't1')).toEqual(['personal-alex']);
    granted.delete('aad-alex');
    expect(await recipients(b, access, 't1')).toEqual([]);
  });
});
