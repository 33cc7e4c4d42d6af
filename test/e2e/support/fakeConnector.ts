import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the bot made to the Bot Connector. */
export interface ConnectorCall {
  method: string;
  kind: 'send' | 'reply' | 'update' | 'member' | 'other';
  conversationId: string;
  /** The activity replied to or updated. */
  activityId: string | null;
  body: any;
  /** The id the connector gave the posted activity. */
  postedId: string | null;
  status: number;
  at: number;
}

/** A scripted answer to the next post into a conversation (to test throttling and failures). */
export interface Fault {
  status: number;
  headers?: Record<string, string>;
}

/**
 * A Bot Connector of our own (the `serviceUrl` of the test activities): records every send, reply
 * and update the bot makes, answers the member lookup with an email address, and can answer
 * posts into a conversation with 429 + Retry-After, 5xx or 403 on cue.
 */
export async function startFakeConnector() {
  const calls: ConnectorCall[] = [];
  const faults = new Map<string, Fault[]>();
  const alwaysFail = new Map<string, Fault>();
  const members = new Map<string, { email?: string; name?: string }>();
  let nextId = 0;

  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://connector');
      const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
      // v3 / conversations / {id} / activities [/ {activityId}]  or  / members / {userId}
      const conversationId = parts[2] ?? '';
      const sub = parts[3];
      const second = parts[4] ?? null;
      const kind: ConnectorCall['kind'] =
        sub === 'activities' && req.method === 'POST'
          ? second
            ? 'reply'
            : 'send'
          : sub === 'activities' && req.method === 'PUT'
            ? 'update'
            : sub === 'members'
              ? 'member'
              : 'other';
      const body = text ? JSON.parse(text) : null;
      const call: ConnectorCall = { method: req.method ?? '', kind, conversationId, activityId: second, body, postedId: null, status: 200, at: Date.now() };
      calls.push(call);

      const answer = (status: number, json: unknown, headers: Record<string, string> = {}) => {
        call.status = status;
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(json));
      };
      if (kind === 'member') {
        const member = members.get(second ?? '');
        return member ? answer(200, { id: second, ...member, userPrincipalName: member.email }) : answer(404, { error: { code: 'MemberNotFound' } });
      }
      if (kind === 'send' || kind === 'reply') {
        const fault = faults.get(conversationId)?.shift() ?? alwaysFail.get(conversationId);
        if (fault) return answer(fault.status, { error: { code: 'Scripted', message: `scripted ${fault.status}` } }, fault.headers);
        call.postedId = `posted-${++nextId}`;
        return answer(200, { id: call.postedId });
      }
      if (kind === 'update') return answer(200, { id: second });
      answer(404, {});
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const serviceUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  return {
    serviceUrl,
    calls,
    /** Answers the next posts into `conversationId` with these, in order. */
    fail(conversationId: string, ...next: Fault[]) {
      faults.set(conversationId, [...(faults.get(conversationId) ?? []), ...next]);
    },
    /** Answers every post into `conversationId` with `fault` until `heal`. */
    failAlways(conversationId: string, fault: Fault) {
      alwaysFail.set(conversationId, fault);
    },
    heal(conversationId: string) {
      alwaysFail.delete(conversationId);
      faults.delete(conversationId);
    },
    member(userId: string, member: { email?: string; name?: string }) {
      members.set(userId, member);
    },
    /** Cards posted (sent or replied) into a conversation, successfully, oldest first. */
    cardsIn(conversationId: string): Array<{ id: string; card: any; at: number }> {
      return calls
        .filter((c) => (c.kind === 'send' || c.kind === 'reply') && c.conversationId === conversationId && c.status === 200)
        .map((c) => ({ id: c.postedId!, card: c.body?.attachments?.[0]?.content, at: c.at }));
    },
    /** Cards the bot posted in answer to the incoming activity `activityId`. */
    repliesTo(activityId: string): Array<{ id: string; card: any; at: number }> {
      return calls
        .filter((c) => c.kind === 'reply' && c.activityId === activityId && c.status === 200)
        .map((c) => ({ id: c.postedId!, card: c.body?.attachments?.[0]?.content, at: c.at }));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type FakeConnector = Awaited<ReturnType<typeof startFakeConnector>>;

/** Polls until `check` returns a value (not undefined/false), or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
