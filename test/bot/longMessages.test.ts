import { beforeEach, describe, expect, it, vi } from 'vitest';

// Every text the Recognizers are shown during these turns.
const shown = vi.hoisted(() => [] as string[]);
vi.mock('@microsoft/recognizers-text-number', async (original) => (await import('../support/recognizerSpy.js')).recording(await original(), shown));
vi.mock('@microsoft/recognizers-text-number-with-unit', async (original) => (await import('../support/recognizerSpy.js')).recording(await original(), shown));

import { en, zhCN } from '../../cards/i18n/index.js';
import { MAX_COMMAND_LENGTH } from '../../bot/commands/recognizeCommand.js';
import { cardText } from '../cards/validateCard.js';
import { repeatedTo } from '../support/hostileText.js';
import { ALEX, MEGAN, teamsBotFixture } from './support/teamsBotFixture.js';

const EN = { locale: 'en-US' };
const ZH = { locale: 'zh-CN' };

/** Long messages of the shapes that made the recognizers slow, in English and Chinese. */
const LONG = [
  ['1 '.repeat(400), EN],
  [`add ${'$1 '.repeat(300)}`, EN],
  [`auto-recharge below ${'one hundred and fifty dollars '.repeat(40)}`, EN],
  ['美元'.repeat(400), ZH],
  [`充值${'一百'.repeat(400)}`, ZH],
  [`余额${'5块'.repeat(1000)}`, ZH],
  ['😀1'.repeat(2000), EN],
] as const;

/** Just under the limit, full of numbers: read within the recognizers' budget, and what the card says. */
const JUST_UNDER = [
  [repeatedTo('add ', '1 ', MAX_COMMAND_LENGTH), EN, 'not an amount'],
  [repeatedTo('充值', '1美元', MAX_COMMAND_LENGTH), ZH, 'not an amount'],
  [repeatedTo('自动充值', '一百', MAX_COMMAND_LENGTH), ZH, 'not an amount'],
  [repeatedTo('', '$1 ', MAX_COMMAND_LENGTH), EN, 'not understood'],
] as const;

const inLanguage = (language: typeof EN | typeof ZH) => (language === ZH ? zhCN : en);
/** The words after the quoted text in "“…” isn't an amount" (“…”不是有效金额). */
const notAnAmount = (language: typeof EN | typeof ZH) => inLanguage(language).errors.notANumber('').replace(/^“”/, '').slice(0, 6);

describe('long messages', () => {
  beforeEach(() => void (shown.length = 0));

  it('from someone who is not an administrator: a polite answer in their language, with nothing read', async () => {
    const f = teamsBotFixture({ adminUserIds: ['aad-alex'] });
    for (const [text, language] of LONG) {
      expect(cardText((await f.say(text, { person: MEGAN, ...language })).card), text.slice(0, 30)).toContain(
        inLanguage(language).errors.messageTooLong(MAX_COMMAND_LENGTH),
      );
    }
    // Shorter, but every one of them writes numbers: only an administrator's would be read.
    for (const [text, language] of JUST_UNDER) {
      expect(cardText((await f.say(text, { person: MEGAN, ...language })).card), text.slice(0, 30)).toContain(inLanguage(language).errors.notAdmin);
    }
    expect(shown).toEqual([]);
    expect(f.store.accounts.size).toBe(0);
  });

  it('from an administrator: over the limit, says it is too long in their language and changes nothing', async () => {
    const f = teamsBotFixture({ adminUserIds: ['aad-alex'] });
    for (const [text, language] of LONG) {
      expect(cardText((await f.say(text, { person: ALEX, ...language })).card), text.slice(0, 30)).toContain(
        inLanguage(language).errors.messageTooLong(MAX_COMMAND_LENGTH),
      );
    }
    expect(shown).toEqual([]);
    expect(f.store.accounts.size).toBe(0);
  });

  it('from an administrator: under the limit, says which text is not an amount it can use, and moves nothing', async () => {
    const f = teamsBotFixture({ adminUserIds: ['aad-alex'] });
    for (const [text, language, answer] of JUST_UNDER) {
      const said = cardText((await f.say(text, { person: ALEX, ...language })).card);
      expect(said, text.slice(0, 30)).toContain(answer === 'not an amount' ? notAnAmount(language) : inLanguage(language).errors.unknownCommandTitle);
    }
    expect(f.store.accounts.get('tenant-a')?.balanceMinor ?? 0).toBe(0);
    expect((f.store.entries.get('tenant-a') ?? []).filter((e) => e.amountMinor !== 0)).toEqual([]);
  });

  it('help and hello still work for everyone, and a short command still works as before', async () => {
    const f = teamsBotFixture({ adminUserIds: ['aad-alex'] });
    expect(cardText((await f.say('help', { person: MEGAN })).card)).toContain('What I can do');
    expect(cardText((await f.say('帮助', { person: MEGAN, ...ZH })).card)).toContain(zhCN.help.title);
    expect(cardText((await f.say('add 50', { person: ALEX })).card)).toContain('$50.00');
  });
});
