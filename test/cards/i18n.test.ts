import { describe, expect, it } from 'vitest';
import { en, zhCN } from '../../cards/i18n/index.js';
import { formattingLocale, languageOf, strings } from '../../cards/index.js';
import { cardCatalogue } from './fixtures.js';
import { cardText } from './validateCard.js';

const HAN = /\p{Script=Han}/u;

/** Every key path of a strings table, with what kind of value sits there (and a function's arity). */
function shape(value: unknown, path = ''): string[] {
  if (typeof value === 'function') return [`${path}: function/${value.length}`];
  if (Array.isArray(value)) return [`${path}: array`];
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([key, child]) => shape(child, `${path}.${key}`));
  return [`${path}: ${typeof value}`];
}

describe('languages', () => {
  it.each([
    ['zh-CN', 'zh-CN'],
    ['zh-cn', 'zh-CN'],
    ['zh-Hans', 'zh-CN'],
    ['zh-Hans-CN', 'zh-CN'],
    ['zh-SG', 'zh-CN'],
    ['zh-TW', 'zh-CN'],
    ['zh-HK', 'zh-CN'],
    ['zh', 'zh-CN'],
    ['zh_CN', 'zh-CN'],
    ['en-US', 'en'],
    ['en-GB', 'en'],
    ['fr-FR', 'en'],
    ['zu-ZA', 'en'],
    ['', 'en'],
    [undefined, 'en'],
    [null, 'en'],
    // `activity.locale` is the client's JSON: a value that is not a string reads as no locale.
    [42 as unknown as string, 'en'],
    [{ toString: () => 'zh-CN' } as unknown as string, 'en'],
  ])('%s reads %s', (locale, language) => {
    expect(languageOf(locale)).toBe(language);
    expect(strings(locale)).toBe(language === 'zh-CN' ? zhCN : en);
  });

  it('formats numbers in the user locale when it matches the language, else the language default', () => {
    expect(formattingLocale('en-GB')).toBe('en-GB');
    expect(formattingLocale('fr-FR')).toBe('en-US');
    expect(formattingLocale('zh-SG')).toBe('zh-SG');
    expect(formattingLocale('zh_Hans')).toBe('zh-Hans');
    expect(formattingLocale('en-!!')).toBe('en-US');
    expect(formattingLocale(undefined)).toBe('en-US');
  });

  it('English and Chinese have the same keys, value kinds and argument counts', () => {
    expect(shape(zhCN)).toEqual(shape(en));
    expect(Object.keys(zhCN.usage.callTypes).sort()).toEqual(Object.keys(en.usage.callTypes).sort());
    expect(Object.keys(zhCN.payment.testCard).sort()).toEqual(Object.keys(en.payment.testCard).sort());
  });

  it('every Chinese text is Chinese, and no English text is', () => {
    const leaves = (table: unknown): string[] =>
      typeof table === 'string'
        ? [table]
        : typeof table === 'function'
          ? [String((table as (...args: string[]) => unknown)('1', '2', '3'))]
          : typeof table === 'object' && table !== null
            ? Object.values(table).flatMap(leaves)
            : [];
    // Texts made only of arguments, symbols and "UTC" ("1 •••• 2", "1（UTC）") are the same in both languages.
    const neutral = /^(?:[\d\s:.,—·•/()：，（）。-]|UTC)+$/;
    expect(leaves(zhCN).filter((text) => !HAN.test(text) && !neutral.test(text))).toEqual([]);
    expect(leaves(en).filter((text) => HAN.test(text))).toEqual([]);
  });
});

describe.each(['zh-CN', 'zh-Hans', 'zh-TW'])('cards in %s', (locale) => {
  it.each(
    cardCatalogue(locale)
      .filter(({ name }) => !name.startsWith('message'))
      .map(({ name, card }) => [name, card] as const),
  )('%s is written in Chinese', (_name, card) => {
    expect(cardText(card)).toMatch(HAN);
  });
});

describe('cards in English', () => {
  it.each(cardCatalogue('en-US').map(({ name, card }) => [name, card] as const))('%s has no Chinese', (_name, card) => {
    expect(cardText(card)).not.toMatch(HAN);
  });
});

describe('help', () => {
  it('suggests the phrasings of the spec in each language', () => {
    const helpExamples = (locale: string) => Object.values(strings(locale).help.topics).flatMap((examples) => examples.map(([example]) => example));
    expect(helpExamples('en-US')).toEqual(
      expect.arrayContaining([
        'balance',
        'add 50',
        'turn on auto-recharge',
        'auto-recharge below 20 add 100',
        'history',
        'usage',
        'payment method',
        'post alerts here',
        'stop alerts here',
      ]),
    );
    expect(helpExamples('zh-CN')).toEqual(
      expect.arrayContaining(['余额', '充值50美元', '开启自动充值', '关闭自动充值', '历史记录', '帮助', '在这里发提醒', '停止在这里发提醒']),
    );
  });
});
