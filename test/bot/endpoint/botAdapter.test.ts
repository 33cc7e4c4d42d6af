import { TestAdapter, type Activity, type TurnContext } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { en, zhCN } from '../../../cards/i18n/index.js';
import { createAdapter } from '../../../bot/endpoint/botAdapter.js';
import { loadConfig } from '../../../bot/config.js';

type TurnErrorHandler = (context: TurnContext, error: Error) => Promise<void>;

/** The production onTurnError, with the lines it logs. */
function turnErrorHandler(log: { error: (...args: unknown[]) => void } = { error: () => undefined }): TurnErrorHandler {
  return createAdapter(loadConfig({ PORT: '0' }), log).onTurnError as TurnErrorHandler;
}

/** A turn through botbuilder's TestAdapter whose logic throws, answered by the production onTurnError. */
async function failingTurn(fields: Partial<Activity>): Promise<Partial<Activity>[]> {
  const adapter = new TestAdapter(async () => {
    throw new Error('boom');
  });
  adapter.onTurnError = turnErrorHandler();
  await adapter.processActivity({ type: 'message', text: 'balance', ...fields } as Activity);
  return adapter.activeQueue.slice();
}

/** Just enough of a TurnContext: an activity and a send that records or fails. */
function fakeContext(activity: unknown, send: (activity: unknown) => Promise<unknown>): TurnContext {
  return { activity, sendActivity: send } as unknown as TurnContext;
}

describe('onTurnError', () => {
  it.each([
    ['a number', 42, en],
    ['an object', { language: 'zh-CN' }, en],
    ['an array', ['zh-CN'], en],
    ['missing', undefined, en],
    ['Chinese', 'zh-CN', zhCN],
  ])('answers a failed turn politely when the locale is %s', async (_what, locale, language) => {
    const sent = await failingTurn({ locale: locale as string });
    expect(sent.map((a) => a.text)).toEqual([language.errors.internal]);
  });

  it('answers a failed invoke with the polite line as its invoke response, whatever the locale', async () => {
    const sent: any[] = [];
    await turnErrorHandler()(fakeContext({ type: 'invoke', locale: 7 }, async (a) => void sent.push(a)), new Error('boom'));
    expect(sent).toEqual([{ type: 'invokeResponse', value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: en.errors.internal } } }]);
  });

  it('never throws: not when the answer cannot be sent, not when logging fails, not without an activity', async () => {
    const logged: unknown[] = [];
    const handler = turnErrorHandler({ error: (...args) => void logged.push(args[0]) });
    // No conversation to answer in: the send fails as the connector client would.
    await expect(handler(fakeContext({ type: 'message', locale: null }, () => Promise.reject(new TypeError("Cannot read properties of undefined (reading 'id')"))), new Error('boom'))).resolves.toBeUndefined();
    expect(logged).toEqual(['Bot turn failed', 'Could not tell the user about the failed turn']);

    const throwingLog = turnErrorHandler({ error: () => { throw new Error('log is closed'); } });
    const sent: unknown[] = [];
    await expect(throwingLog(fakeContext({ type: 'message', locale: 'zh-CN' }, async (a) => void sent.push(a)), new Error('boom'))).resolves.toBeUndefined();
    expect(sent).toEqual([zhCN.errors.internal]);
    await expect(throwingLog(fakeContext({ type: 'message' }, () => Promise.reject(new Error('offline'))), new Error('boom'))).resolves.toBeUndefined();

    await expect(handler(fakeContext(undefined, async () => undefined), new Error('boom'))).resolves.toBeUndefined();
  });

  it('says nothing for a proactive turn: nobody is waiting for an answer', async () => {
    const sent: unknown[] = [];
    await turnErrorHandler()(fakeContext({ type: 'event', locale: 3 }, async (a) => void sent.push(a)), new Error('boom'));
    expect(sent).toEqual([]);
  });
});
