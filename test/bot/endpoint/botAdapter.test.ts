import { TestAdapter, type Activity, type TurnContext } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { en, zhCN } from '../../../cards/i18n/index.js';
import { createAdapter } from '../../../bot/endpoint/botAdapter.js';
import { loadConfig } from '../../../bot/config.js';
import type { Log } from '../../../bot/log.js';
import { beginTurn } from '../../../bot/endpoint/turn.js';
import { captureLog } from '../../support/captureLog.js';

type TurnErrorHandler = (context: TurnContext, error: Error) => Promise<void>;

/** The production onTurnError, with the lines it logs. */
function turnErrorHandler(log: Log = captureLog().log): TurnErrorHandler {
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

/** Just enough of a TurnContext: an activity, its turn state and a send that records or fails. */
function fakeContext(activity: unknown, send: (activity: unknown) => Promise<unknown>): TurnContext {
  return { activity, sendActivity: send, turnState: new Map() } as unknown as TurnContext;
}

/** What a failed turn says: the polite line and the turn's reference. */
const politeLine = (language: typeof en, turnId = anyId) => `${language.errors.internal} ${language.errors.reference(turnId)}`;
const anyId = 'TURN-ID';
const withAnyId = (text: string | undefined) => text?.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/, anyId);

describe('onTurnError', () => {
  it.each([
    ['a number', 42, en],
    ['an object', { language: 'zh-CN' }, en],
    ['an array', ['zh-CN'], en],
    ['missing', undefined, en],
    ['Chinese', 'zh-CN', zhCN],
  ])('answers a failed turn politely when the locale is %s', async (_what, locale, language) => {
    const sent = await failingTurn({ locale: locale as string });
    expect(sent.map((a) => withAnyId(a.text))).toEqual([politeLine(language)]);
  });

  it('answers a failed invoke with the polite line as its invoke response, whatever the locale', async () => {
    const sent: any[] = [];
    await turnErrorHandler()(
      fakeContext({ type: 'invoke', locale: 7 }, async (a) => void sent.push(a)),
      new Error('boom'),
    );
    expect(sent).toEqual([
      {
        type: 'invokeResponse',
        value: {
          status: 200,
          body: {
            statusCode: 200,
            type: 'application/vnd.microsoft.activity.message',
            value: expect.stringMatching(/^Something went wrong on our side\. Please try again in a moment\. Reference: [0-9a-f-]{36}$/),
          },
        },
      },
    ]);
  });

  it('never throws: not when the answer cannot be sent, not when logging fails, not without an activity', async () => {
    const { log, lines } = captureLog();
    const handler = turnErrorHandler(log);
    // No conversation to answer in: the send fails as the connector client would.
    await expect(
      handler(
        fakeContext({ type: 'message', locale: null }, () => Promise.reject(new TypeError("Cannot read properties of undefined (reading 'id')"))),
        new Error('boom'),
      ),
    ).resolves.toBeUndefined();
    expect(lines.map((l) => l.msg)).toEqual(['Bot turn failed', 'Could not tell the user about the failed turn']);

    const closedLog = {
      error: () => {
        throw new Error('log is closed');
      },
    };
    const throwingLog = turnErrorHandler({ child: () => closedLog } as unknown as Log);
    const sent: unknown[] = [];
    await expect(
      throwingLog(
        fakeContext({ type: 'message', locale: 'zh-CN' }, async (a) => void sent.push(a)),
        new Error('boom'),
      ),
    ).resolves.toBeUndefined();
    expect(sent.map((text) => withAnyId(text as string))).toEqual([politeLine(zhCN)]);
    await expect(
      throwingLog(
        fakeContext({ type: 'message' }, () => Promise.reject(new Error('offline'))),
        new Error('boom'),
      ),
    ).resolves.toBeUndefined();

    await expect(
      handler(
        fakeContext(undefined, async () => undefined),
        new Error('boom'),
      ),
    ).resolves.toBeUndefined();
  });

  it('says nothing for a proactive turn: nobody is waiting for an answer', async () => {
    const sent: unknown[] = [];
    await turnErrorHandler()(
      fakeContext({ type: 'event', locale: 3 }, async (a) => void sent.push(a)),
      new Error('boom'),
    );
    expect(sent).toEqual([]);
  });

  it("shows the turn's id, the request's reference, and logs the failure under it", async () => {
    const { log, lines } = captureLog();
    const sent: unknown[] = [];
    const context = fakeContext({ type: 'message', locale: 'en-US' }, async (a) => void sent.push(a));
    beginTurn(context, 'req-123', log);
    await turnErrorHandler(log)(context, new Error('boom'));
    expect(sent).toEqual([politeLine(en, 'req-123')]);
    expect(lines).toEqual([expect.objectContaining({ msg: 'Bot turn failed', turnId: 'req-123', err: expect.objectContaining({ message: 'boom' }) })]);
  });
});
