import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../bot/config.js';
import { createLog } from '../../bot/log.js';

/** The process's log as bot/log.ts makes it, writing to an array instead of stdout. */
function logLines() {
  const lines: string[] = [];
  const log = createLog({ level: 'info', production: true }, { write: (line: string) => void lines.push(line) });
  return { log, text: () => lines.join('') };
}

const SECRETS = ['Bearer eyJ-secret-token', 'session=secret-cookie', 'app-password-secret', 'graph-client-secret', 'operator-key-secret', 'db-password-secret'];

describe('the log (bot/log.ts)', () => {
  it('cuts credentials out of headers, at any depth they are logged, and keeps the rest', () => {
    const { log, text } = logLines();
    const headers = { authorization: SECRETS[0], cookie: SECRETS[1], 'x-request-id': 'req-1', 'content-type': 'application/json' };
    log.info({ headers }, 'headers alone');
    log.info({ req: { method: 'POST', headers } }, 'a request');
    log.info({ authorization: SECRETS[0] }, 'the header itself');
    log.child({ reference: 'req-1' }).warn({ request: { headers } }, 'from a child');
    for (const secret of SECRETS.slice(0, 2)) expect(text()).not.toContain(secret);
    expect(text()).toContain('[redacted]');
    expect(text()).toContain('req-1');
    expect(text()).toContain('application/json');
  });

  it("cuts the configuration's secrets should it, or a part of it, be logged", () => {
    const { log, text } = logLines();
    const config = loadConfig({
      PORT: '0',
      MicrosoftAppId: '00000000-0000-0000-0000-000000000001',
      MicrosoftAppPassword: SECRETS[2],
      AZURE_CLIENT_ID: 'client',
      AZURE_CLIENT_SECRET: SECRETS[3],
      OPERATOR_API_KEY: SECRETS[4],
      DATABASE_URL: `postgres://ccbot:${SECRETS[5]}@127.0.0.1:5432/ledger`,
    });
    log.info({ config }, 'the whole configuration');
    log.info({ bot: config.bot, graph: config.graph, database: config.database }, 'its parts');
    log.info(config.bot, 'a part at the top');
    for (const secret of SECRETS.slice(2)) expect(text()).not.toContain(secret);
    expect(text()).toContain('00000000-0000-0000-0000-000000000001');
  });
});
