import type { TurnContext } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerMessagesEndpoint } from '../../../bot/endpoint/messagesEndpoint.js';
import { turnOf } from '../../../bot/endpoint/turn.js';
import { createServer, listen } from '../../../bot/server.js';
import { captureLog } from '../../support/captureLog.js';

/** The endpoint gives each turn the request's reference as its id, and a log whose lines carry both. */
describe("a bot turn's id", () => {
  const capture = captureLog();
  const server = createServer(capture.log);
  const seen: string[] = [];
  let base = '';

  beforeAll(async () => {
    registerMessagesEndpoint(server, {
      // A stand-in for botbuilder's adapter: it runs the logic with a context of its own, as processActivity does.
      adapter: {
        authenticate: async () => ({}) as never,
        run: async (_auth, activity, logic) => {
          await logic({ activity, turnState: new Map() } as unknown as TurnContext);
          return undefined;
        },
      },
      logic: async (context) => {
        const turn = turnOf(context, capture.log);
        seen.push(turn.id);
        turn.log.info({ tenantId: 'turn-t' }, 'handled');
      },
      appId: '',
      authenticated: false,
      log: capture.log,
    });
    base = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("is the request's x-request-id, and is on the turn's log lines with the reference", async () => {
    const activity = {
      type: 'message',
      id: 'a1',
      text: 'balance',
      channelId: 'msteams',
      serviceUrl: 'http://127.0.0.1:9',
      conversation: { id: 'c1' },
      from: { id: 'u1' },
      recipient: { id: 'b1' },
    };
    const response = await fetch(`${base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    expect(response.status).toBe(200);
    const reference = response.headers.get('x-request-id');
    expect(reference).toBeTruthy();
    expect(seen).toEqual([reference]);
    expect(capture.lines.find((line) => line.msg === 'handled')).toMatchObject({ reference, turnId: reference, tenantId: 'turn-t' });
  });
});
