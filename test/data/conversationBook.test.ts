import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConversationBook } from '../../data/conversationReferences.js';
import { sighting } from '../support/conversationBookFixture.js';
import { useTempFolders } from './tempFolders.js';

describe('the conversation book', () => {
  const tempFolder = useTempFolders('conversations-');

  it("keeps a channel's alert subscription (who and when) across reopening, until it is unsubscribed", async () => {
    const file = path.join(await tempFolder(), 'conversations.json');
    const book = await ConversationBook.open(file);
    await book.remember(sighting('19:billing@thread.tacv2', { tenantId: 't1', scope: 'channel', user: 'alex', name: 'Alex' }));
    const subscription = { tenantId: 't1', by: 't1/aad-alex', at: '2026-01-02T03:04:05.000Z' };
    expect(await book.subscribeToAlerts('19:billing@thread.tacv2', subscription)).toBe(true);

    const reopened = await ConversationBook.open(file);
    expect(reopened.conversation('19:billing@thread.tacv2')?.alertSubscription).toEqual(subscription);
    expect(await reopened.unsubscribeFromAlerts('19:billing@thread.tacv2', 't1')).toBe(true);
    expect((await ConversationBook.open(file)).conversation('19:billing@thread.tacv2')?.alertSubscription).toBeUndefined();
  });
});
