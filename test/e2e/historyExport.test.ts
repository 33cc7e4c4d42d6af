import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardText, expectValidCard } from '../cards/validateCard.js';
import { startBot, type BotUnderTest, type Member } from './support/botHarness.js';
import { startFakeConnector, type FakeConnector } from './support/fakeConnector.js';

const ALEX: Member = { id: '29:alex', aadObjectId: 'aad-alex', name: 'Alex Wilber' };
const WEI: Member = { id: '29:wei', aadObjectId: 'aad-wei', name: '王伟', locale: 'zh-CN' };
const OUTSIDER: Member = { id: '29:eve', aadObjectId: 'aad-eve', name: 'Eve' };
const CONTOSO = 'contoso-export';
const FABRIKAM = 'fabrikam-export';

/** The download button's URL on a card. */
function downloadUrl(card: any): string {
  const open = (card.actions ?? []).flatMap((a: any) => (a.type === 'Action.ShowCard' ? a.card.actions : [a])).find((a: any) => a.type === 'Action.OpenUrl');
  if (!open) throw new Error('no download button');
  return open.url;
}

/** The link with its token's payload rewritten, the signature kept. */
function tampered(url: string, change: (payload: Record<string, unknown>) => void): string {
  const link = new URL(url);
  const [payload, signature] = link.searchParams.get('t')!.split('.');
  const data = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
  change(data);
  link.searchParams.set('t', `${Buffer.from(JSON.stringify(data)).toString('base64url')}.${signature}`);
  return link.toString();
}

/** An admin gets the history as CSV from Teams through a signed link the bot serves; nothing else opens it. */
describe('exporting the history from Teams, over HTTP', () => {
  let connector: FakeConnector;
  let bot: BotUnderTest;

  beforeAll(async () => {
    connector = await startFakeConnector();
    bot = await startBot(connector, { ADMIN_USER_IDS: 'aad-alex,aad-wei' });
    await bot.usage(CONTOSO, '1.25');
    await bot.operator('POST', `/api/tenants/${FABRIKAM}/funds`, { amount: '99.00', currency: 'USD', idempotencyKey: 'fabrikam-grant', note: 'fabrikam only' });
    await bot.operator('POST', `/api/tenants/${CONTOSO}/funds`, { amount: '40.00', currency: 'USD', idempotencyKey: 'contoso-grant', note: 'contoso grant' });
  });
  afterAll(async () => {
    await bot?.stop();
    await connector?.close();
  });

  it('"export history" answers with a link that downloads the CSV of the asker\'s own tenant only', async () => {
    const reply = await bot.teams(CONTOSO, ALEX).say('export history');
    expectValidCard(reply.card);
    const url = downloadUrl(reply.card);
    expect(url.startsWith(`${bot.base}/api/exports/journal.csv?t=`)).toBe(true);

    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="journal-${CONTOSO}.csv"`);
    const lines = (await response.text()).trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,tenantId,at,kind,amount/);
    expect(lines.slice(1).length).toBeGreaterThanOrEqual(2);
    for (const line of lines.slice(1)) expect(line.split(',')[1]).toBe(CONTOSO);
    expect(lines.join('\n')).toContain('contoso grant');
    expect(lines.join('\n')).not.toContain('fabrikam');
  });

  it('the history card carries the same kind of link, in Chinese too', async () => {
    const reply = await bot.teams(CONTOSO, WEI).say('历史记录');
    expect(cardText(reply.card)).toContain('下载 CSV');
    const response = await fetch(downloadUrl(reply.card));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('contoso grant');
    expect(cardText((await bot.teams(CONTOSO, WEI).say('导出历史记录')).card)).toContain('导出历史记录');
  });

  it('someone who may not view gets no link', async () => {
    const reply = await bot.teams(CONTOSO, OUTSIDER).say('export history');
    expect(JSON.stringify(reply.card)).not.toContain('/api/exports/');
  });

  it('a forged, edited or expired link gets 403 and no data', async () => {
    const url = downloadUrl((await bot.teams(CONTOSO, ALEX).say('download csv')).card);
    const refused = async (link: string, error: string) => {
      const response = await fetch(link);
      expect(response.status, link).toBe(403);
      const body = await response.json();
      expect(body).toEqual({ error, reference: expect.any(String) });
    };
    await refused(
      tampered(url, (p) => (p.t = FABRIKAM)),
      'link-invalid',
    );
    await refused(
      tampered(url, (p) => (p.e = (p.e as number) + 86_400_000)),
      'link-invalid',
    );
    await refused(`${bot.base}/api/exports/journal.csv?t=forged.token`, 'link-invalid');
    await refused(`${bot.base}/api/exports/journal.csv`, 'link-invalid');
    await refused(`${url.slice(0, -3)}abc`, 'link-invalid');

    bot.clock.advance(15 * 60_000);
    await refused(url, 'link-expired');
  });
});
