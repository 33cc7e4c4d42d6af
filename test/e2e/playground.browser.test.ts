import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { record } from '../bot/operatorApi/operatorApiServer.js';
import { startBot, type BotUnderTest } from './support/botHarness.js';
import { startFakeConnector, type FakeConnector } from './support/fakeConnector.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = path.resolve('test-results', 'playground');

/**
 * The bot in the Microsoft 365 Agents Playground (the local Teams-like client `npm run playground`
 * starts), driven in headless Chromium: the balance card is shown, the add-funds flow is clicked
 * through to the receipt, and the usage and balance cards draw their charts. Screenshots of each
 * step land in test-results/playground/.
 */
describe('in the Agents Playground', () => {
  let connector: FakeConnector;
  let bot: BotUnderTest;
  let playground: ChildProcess;
  let browser: Browser;
  let page: Page;
  let output = '';

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH).`);
    await mkdir(SHOTS, { recursive: true });
    connector = await startFakeConnector(); // unused by the playground, which is its own connector
    bot = await startBot(connector);
    const cli = createRequire(import.meta.url).resolve('@microsoft/m365agentsplayground/cli.js');
    // The same command `npm run playground` runs, on a free port.
    playground = spawn(process.execPath, [cli, '--app-endpoint', `${bot.base}/api/messages`, '--channel-id', 'msteams', '--disable-telemetry', '--port', '0'], {
      env: { ...process.env, APPLICATION_INSIGHTS_NO_STATSBEAT: '1', BROWSER: 'none' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the playground did not start:\n${output}`)), 30_000);
      const read = (chunk: Buffer) => {
        output += chunk;
        const match = /Listening on (\d+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      };
      playground.stdout!.on('data', read);
      playground.stderr!.on('data', read);
      playground.once('exit', (code) => reject(new Error(`the playground exited with ${code}:\n${output}`)));
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // The playground's bundle is large: on a loaded machine its first load takes more than 30 s.
    await page.goto(`http://127.0.0.1:${port}/`, { waitUntil: 'domcontentloaded', timeout: 90_000 });
  }, 150_000);

  afterAll(async () => {
    await browser?.close();
    playground?.kill();
    await bot?.stop();
    await connector?.close();
  });

  const lastCard = () => page.locator('.ac-adaptiveCard').last();
  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  /** A card taller than the window, whole: the window grows for the picture and shrinks back. */
  const tallShot = async (card: Locator, name: string) => {
    await page.setViewportSize({ width: 1280, height: 2400 });
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
    await page.setViewportSize({ width: 1280, height: 900 });
  };

  it('shows the welcome card on install and, for "balance" before any funds, the get-started card', async () => {
    await page.getByText('Welcome to Communications Credits').first().waitFor({ timeout: 30_000 });
    await shot('1-welcome');
    await page.locator('[data-lexical-editor="true"]').click();
    await page.keyboard.type('balance');
    await page.keyboard.press('Enter');
    await page.getByText('Get started with Communications Credits').first().waitFor({ timeout: 20_000 });
    await expect.poll(() => lastCard().innerText()).toContain('$0.00');
    await shot('2-get-started');
  }, 60_000);

  it('clicks Add funds → $50.00 → Confirm, and the receipt replaces the confirmation card', async () => {
    await lastCard().getByRole('button', { name: 'Add funds' }).click();
    await expect.poll(() => lastCard().innerText(), { timeout: 20_000 }).toContain('Quick amounts');
    await shot('3-add-funds');

    await lastCard().getByRole('button', { name: '$50.00' }).click();
    await expect.poll(() => lastCard().innerText(), { timeout: 20_000 }).toContain('Confirm adding funds');
    await shot('4-confirmation');
    const [tenantId] = await bot.app.store.tenantIds();
    expect((await bot.app.ledger.account(tenantId!))?.balanceMinor).toBe(0);

    await lastCard()
      .getByRole('button', { name: /Confirm/ })
      .click();
    await expect.poll(() => lastCard().innerText(), { timeout: 20_000 }).toContain('Funds added');
    await shot('5-receipt');
    expect(await lastCard().innerText()).toContain('$50.00');
    expect(
      await lastCard()
        .getByRole('button', { name: /Confirm/ })
        .count(),
    ).toBe(0);
    expect((await bot.app.ledger.account(tenantId!))?.balanceMinor).toBe(5000);
  }, 60_000);

  it("shows the history with a day's calls summed into one row", async () => {
    const [tenantId] = await bot.app.store.tenantIds();
    const now = Date.now();
    // Calls over the last five days, imported at once: grouped by the day they were made.
    const calls = Array.from({ length: 30 }, (_, i) => {
      const start = now - 5 * 86_400_000 + i * 4 * 3_600_000;
      return record(tenantId!, '0.05', {
        startDateTime: new Date(start).toISOString(),
        endDateTime: new Date(start + 120_000).toISOString(),
        destinationContext: 'International',
        destinationName: ['Japan', 'Germany', 'India'][i % 3]!,
        userId: `user-${i % 4}`,
      });
    });
    expect((await bot.operator('POST', '/api/usage', { records: calls })).body).toMatchObject({ accepted: 30 });
    await page.locator('[data-lexical-editor="true"]').click();
    await page.keyboard.type('history');
    await page.keyboard.press('Enter');
    await expect.poll(() => lastCard().innerText(), { timeout: 20_000 }).toMatch(/\d calls/);
    const text = await lastCard().innerText();
    expect(text).toMatch(/Entries \d+–\d+ of \d+/);
    expect(text).toContain('Money in and out only');
    await shot('6-history-grouped');
  }, 60_000);

  it('shows the usage card with its charts drawn (bars, donut) and the top spenders, and the balance card with its runway line', async () => {
    const [tenantId] = await bot.app.store.tenantIds();
    const now = Date.now();
    const people = [
      { userPrincipalName: 'megan.bowen@contoso.example', userDisplayName: 'Megan Bowen' },
      { userPrincipalName: 'alex.wilber@contoso.example', userDisplayName: 'Alex Wilber' },
      {},
    ];
    // Calls on ten days of this month (or the last days of the previous one): some days cost more.
    const calls = Array.from({ length: 20 }, (_, i) => {
      const start = now - (i % 10) * 86_400_000 - 3_600_000;
      return record(tenantId!, (0.25 * (1 + (i % 4))).toFixed(2), {
        startDateTime: new Date(start).toISOString(),
        endDateTime: new Date(start + 180_000).toISOString(),
        destinationContext: i % 3 === 0 ? 'Domestic' : 'International',
        destinationName: ['United States', 'Japan', 'Germany'][i % 3]!,
        userId: null,
        ...people[i % 3],
      });
    });
    expect((await bot.operator('POST', '/api/usage', { records: calls })).body).toMatchObject({ accepted: 20 });
    await page.locator('[data-lexical-editor="true"]').click();
    await page.keyboard.type('usage');
    await page.keyboard.press('Enter');
    await expect.poll(() => lastCard().innerText(), { timeout: 20_000 }).toContain('Top spenders this month');
    const usageCard = lastCard();
    expect(await usageCard.innerText()).toContain('Spend per day, last 30 days');
    expect(await usageCard.innerText()).toContain('Megan Bowen');
    // Drawn, not fallen back: the charts are SVG in the card, and their fallback texts are not shown.
    await expect.poll(() => usageCard.locator('svg').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    expect(await usageCard.innerText()).not.toContain('Busiest day');
    await tallShot(usageCard, '6b-usage-charts');

    await page.locator('[data-lexical-editor="true"]').click();
    await page.keyboard.type('balance');
    await page.keyboard.press('Enter');
    await expect.poll(() => lastCard().innerText(), { timeout: 20_000 }).toContain('Projected balance');
    await tallShot(lastCard(), '6c-balance-runway');
    await expect.poll(() => lastCard().locator('svg').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('posts alerts on its own when calling stops and when an hour costs far more than usual', async () => {
    const [tenantId] = await bot.app.store.tenantIds();
    const start = Date.now() - 3_600_000;
    const big = record(tenantId!, '60.00', { startDateTime: new Date(start).toISOString(), endDateTime: new Date(start + 600_000).toISOString() });
    expect((await bot.operator('POST', '/api/usage', { records: [big] })).body).toMatchObject({ accepted: 1 });
    await page.getByText('Calling suspended').first().waitFor({ timeout: 30_000 });
    await page.getByText('Unusual spend').first().waitFor({ timeout: 30_000 });
    const suspended = page.locator('.ac-adaptiveCard', { hasText: 'Calling suspended' }).last();
    expect(await suspended.innerText()).toContain('Add funds');
    await suspended.scrollIntoViewIfNeeded();
    await shot('7-alert-suspended');
    expect(await lastCard().innerText()).toMatch(/an hour above \$10\.00 raises this alert/);
    await lastCard().scrollIntoViewIfNeeded();
    await shot('8-alert-spike');
  }, 60_000);
});
