import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A Bot Connector of our own, the `serviceUrl` of the bench's activities: it answers the bot's
 * replies (POST …/activities[/{id}]) with an id, counts them per activity replied to, keeps one
 * sample reply of each kind, and answers the member lookup with an email address.
 */
export async function startFakeConnector() {
  const repliesTo = new Map<string, number>();
  const samples = new Map<string, unknown>();
  let replies = 0;
  let other = 0;
  let nextId = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const parts = (req.url ?? '/').split('?')[0]!.split('/').filter(Boolean).map(decodeURIComponent);
      // v3 / conversations / {id} / activities [/ {activityId}]   or   … / members / {userId}
      const [, , conversationId = '', sub, second] = parts;
      const answer = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      };
      if (sub === 'activities' && req.method === 'POST') {
        replies++;
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') as {
          replyToId?: string;
          text?: string;
          attachments?: Array<{ contentType: string }>;
        } | null;
        const key = second ?? body?.replyToId ?? '';
        repliesTo.set(key, (repliesTo.get(key) ?? 0) + 1);
        const kind = body?.attachments?.[0]?.contentType ?? (body?.text ? 'text' : 'other');
        if (!samples.has(kind)) samples.set(kind, body);
        return answer(200, { id: `posted-${++nextId}-${conversationId.length}` });
      }
      if (sub === 'members' && second)
        return answer(200, { id: second, name: 'Bench Admin', email: 'admin@contoso.example', userPrincipalName: 'admin@contoso.example' });
      other++;
      answer(200, {});
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    serviceUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    /** How many replies the bot posted to activity `id`. */
    repliesTo: (id: string) => repliesTo.get(id) ?? 0,
    get replies() {
      return replies;
    },
    get otherCalls() {
      return other;
    },
    sample: (kind: string) => samples.get(kind),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type FakeConnector = Awaited<ReturnType<typeof startFakeConnector>>;
