import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

// Every text the Recognizers are shown inside the app under test (it runs in this process).
const shown = vi.hoisted(() => [] as string[]);
vi.mock('@microsoft/recognizers-text-number', async (original) => (await import('../support/recognizerSpy.js')).recording(await original(), shown));
vi.mock('@microsoft/recognizers-text-number-with-unit', async (original) => (await import('../support/recognizerSpy.js')).recording(await original(), shown));

import { en, zhCN } from '../../cards/i18n/index.js';
import { MAX_SPAN_LENGTH } from '../../bot/commands/amountSpans.js';
import { MAX_COMMAND_LENGTH } from '../../bot/commands/recognizeCommand.js';
import { cardText } from '../cards/validateCard.js';
import { startBot, type BotUnderTest } from '../e2e/support/botHarness.js';
import { startFakeConnector, type FakeConnector } from '../e2e/support/fakeConnector.js';
import { repeatedTo } from '../support/hostileText.js';

/**
 * Threat: any Teams user could freeze the bot with one long message, since free text went through
 * the number and currency recognizers, whose cost grows about quadratically, before the permission
 * check and with no length cap ('1 '.repeat(400) took 7.8 s, and the operator API waited as long).
 */
const TENANT = 'tenant-long';
const ADMIN = { id: '29:admin', aadObjectId: 'aad-admin', name: 'Admin' };
const MEMBER = { id: '29:member', aadObjectId: 'aad-member', name: 'Member' };

type Language = 'en-US' | 'zh-CN';
const t = (locale: Language) => (locale === 'zh-CN' ? zhCN : en);

/** Several shapes in both languages: far over the limit, and just under it but packed with numbers. */
const MESSAGES: Array<[string, Language]> = [
  ['1 '.repeat(400), 'en-US'],
  ['$1 '.repeat(2000), 'en-US'],
  [`add ${'one hundred and fifty dollars '.repeat(100)}`, 'en-US'],
  ['美元'.repeat(3000), 'zh-CN'],
  [`充值${'一百'.repeat(1000)}`, 'zh-CN'],
  [`余额${'1美元😀'.repeat(400)}`, 'zh-CN'],
  [repeatedTo('add ', '1 ', MAX_COMMAND_LENGTH), 'en-US'],
  [repeatedTo('auto-recharge below ', '$1 ', MAX_COMMAND_LENGTH), 'en-US'],
  [repeatedTo('充值', '5块', MAX_COMMAND_LENGTH), 'zh-CN'],
  [repeatedTo('自动充值', '1美元', MAX_COMMAND_LENGTH), 'zh-CN'],
  [repeatedTo('', '€1 ', MAX_COMMAND_LENGTH), 'en-US'],
  // Numbers far enough apart to be separate amounts: the first few are read, the rest are not.
  [repeatedTo('add ', '50 usd and then some ', MAX_COMMAND_LENGTH), 'en-US'],
  [repeatedTo('充值', '50美元，然后再', MAX_COMMAND_LENGTH), 'zh-CN'],
];

describe('long messages over HTTP, while the operator API is in use', () => {
  let connector: FakeConnector;
  let bot: BotUnderTest;
  let shownAtStart: string[] = [];
  let shownAtInstall: string[] = [];
  beforeAll(async () => {
    connector = await startFakeConnector();
    // An allow-list: everyone else in the tenant is not an administrator.
    bot = await startBot(connector, { ADMIN_USER_IDS: ADMIN.aadObjectId });
    shownAtStart = shown.slice();
    // The bot's first activity, as when it is added to Teams: it loads the bot and builds the models.
    await bot.teams(TENANT, ADMIN).install();
    shownAtInstall = shown.slice(shownAtStart.length);
    await bot.operator('POST', `/api/tenants/${TENANT}/funds`, { amount: '100.00', currency: 'USD', idempotencyKey: 'seed' });
  });
  afterAll(async () => {
    await bot?.stop();
    await connector?.close();
  });
  beforeEach(() => void (shown.length = 0));

  /** Sends every message from `person` while the operator API is called; what the bot answered, and how the loop fared. */
  async function sendAll(person: typeof ADMIN) {
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    let sending = true;
    const operatorAnswers: number[] = [];
    const operatorCalls = (async () => {
      while (sending) {
        const [account, usage] = await Promise.all([bot.operator('GET', `/api/tenants/${TENANT}/account`), bot.usage(TENANT, '0.01')]);
        operatorAnswers.push(account.status, usage.status);
      }
    })();
    try {
      const cards = await Promise.all(MESSAGES.map(([text, locale]) => bot.teams(TENANT, { ...person, locale }).say(text)));
      return { said: cards.map((card) => cardText(card)), operatorAnswers };
    } finally {
      sending = false;
      await operatorCalls;
      delay.disable();
      // Far above the 50 ms target (which `npm run bench` measures); these messages used to stall it for seconds.
      expect(delay.max / 1e6).toBeLessThan(1_000);
    }
  }

  it("builds the recognizers' models (half a second, once) when the bot loads at its first activity, in both languages: not at start, not in a later turn", () => {
    // Not at start: they would double the start-up time and hold ~55 MB in a bot nobody wrote to yet.
    expect(shownAtStart).toEqual([]);
    expect(shownAtInstall.some((text) => /[a-z]/i.test(text))).toBe(true);
    expect(shownAtInstall.some((text) => /[\u4e00-\u9fff]/.test(text))).toBe(true);
  });

  it('a member who is not an administrator is answered without any amount being read, and changes nothing', async () => {
    const before = await bot.account(TENANT);
    const { said, operatorAnswers } = await sendAll(MEMBER);
    MESSAGES.forEach(([text, locale], i) => {
      const expected = text.length > MAX_COMMAND_LENGTH ? t(locale).errors.messageTooLong(MAX_COMMAND_LENGTH) : t(locale).errors.notAdmin;
      expect(said[i], text.slice(0, 30)).toContain(expected);
    });
    expect(shown).toEqual([]);
    expect(operatorAnswers.length).toBeGreaterThan(0);
    expect(operatorAnswers.every((status) => status === 200)).toBe(true);
    // Only the operator's own usage records moved the balance.
    const usageCents = operatorAnswers.length / 2;
    expect((await bot.account(TENANT)).balanceMinor).toBe(before.balanceMinor - usageCents);
  });

  it('an administrator is told the message is too long, or which text is no amount, and nothing moves', async () => {
    const before = await bot.account(TENANT);
    const { said, operatorAnswers } = await sendAll(ADMIN);
    MESSAGES.forEach(([text, locale], i) => {
      if (text.length > MAX_COMMAND_LENGTH) expect(said[i], text.slice(0, 30)).toContain(t(locale).errors.messageTooLong(MAX_COMMAND_LENGTH));
      // Just under the limit: an add-funds or auto-recharge card that says the amount cannot be used, or "I didn't understand".
      else expect(said[i], text.slice(0, 30)).toMatch(locale === 'zh-CN' ? /不是有效金额|没有理解/ : /isn't an amount|didn't understand/);
    });
    // The recognizers read only short spans, never the messages.
    expect(shown.length).toBeGreaterThan(0);
    expect(Math.max(...shown.map((text) => text.length))).toBeLessThanOrEqual(MAX_SPAN_LENGTH);
    expect(operatorAnswers.every((status) => status === 200)).toBe(true);
    const after = await bot.account(TENANT);
    expect(after.balanceMinor).toBe(before.balanceMinor - operatorAnswers.length / 2);
    expect(after.lots).toEqual(before.lots.map((lot: { remainingMinor: number }) => ({ ...lot, remainingMinor: expect.any(Number) })));
    expect(after.autoRecharge).toEqual(before.autoRecharge);
  });
});
