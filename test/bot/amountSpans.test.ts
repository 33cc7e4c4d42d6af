import fc from 'fast-check';
import { beforeEach, describe, expect, it, vi } from 'vitest';

// Every text the Recognizers are shown, from readAmounts or anything else in this test's modules.
const shown = vi.hoisted(() => [] as string[]);
vi.mock('@microsoft/recognizers-text-number', async (original) => (await import('../support/recognizerSpy.js')).recording(await original(), shown));
vi.mock('@microsoft/recognizers-text-number-with-unit', async (original) => (await import('../support/recognizerSpy.js')).recording(await original(), shown));

import { amountSpans, MAX_NUMBERS_PER_SPAN, MAX_SPAN_LENGTH, MAX_SPANS_READ } from '../../bot/commands/amountSpans.js';
import { readAmounts, readOneAmount } from '../../bot/commands/readAmounts.js';
import { MAX_COMMAND_LENGTH, recognizeCommand } from '../../bot/commands/recognizeCommand.js';
import { HOSTILE_UNITS, hostileMessages, OPENINGS } from '../support/hostileText.js';

/** Numbers in a text, counted independently of amountSpans: digit runs as written, number words, runs of Chinese numerals. */
// A number word is a whole run of letters, in any script ("ꀀfive" is one word, not "five"), as amountSpans reads words.
const numbersIn = (text: string) =>
  (
    text.match(
      /\d+(?:[.,]\d+)*|(?<![\p{L}\p{M}])(?:one|two|three|four|five|six|seven|eight|nine|ten|hundred|thousand|fifty)(?![\p{L}\p{M}])|[一二三四五六七八九十百千万亿两零]+/giu,
    ) ?? []
  ).length;

/** Reads `text` and returns what the recognizers were shown for it. */
function shownFor(read: (text: string) => unknown, text: string): string[] {
  shown.length = 0;
  read(text);
  return shown.slice();
}

function expectWithinBudget(texts: string[], message: string): void {
  // Two models (number, currency) per span read.
  expect(texts.length, message).toBeLessThanOrEqual(2 * MAX_SPANS_READ);
  for (const text of texts) {
    expect(text.length, `${message}: shown ${JSON.stringify(text)}`).toBeLessThanOrEqual(MAX_SPAN_LENGTH);
    expect(numbersIn(text), `${message}: shown ${JSON.stringify(text)}`).toBeLessThanOrEqual(MAX_NUMBERS_PER_SPAN);
  }
}

describe('what the amount recognizers are shown', () => {
  beforeEach(() => void (shown.length = 0));

  it('is never more than a short span, however long and number-packed the message', () => {
    for (const text of hostileMessages([12, 160, MAX_COMMAND_LENGTH - 1, 20_000])) {
      expectWithinBudget(shownFor(readAmounts, text), `readAmounts(${JSON.stringify(text.slice(0, 40))}… ${text.length} chars)`);
    }
  });

  it('is never more than a short span for any mix of numbers, units and words (property)', () => {
    const piece = fc.oneof(
      fc.constantFrom(...HOSTILE_UNITS, ...OPENINGS, ' ', '。', 'and ', 'a '),
      fc.string({ maxLength: 4 }),
      fc.string({ unit: 'grapheme', maxLength: 3 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 120 }), (pieces) => {
        const text = pieces.join('');
        expectWithinBudget(shownFor(recognizeCommand, text), `recognizeCommand(${JSON.stringify(text.slice(0, 60))})`);
        expectWithinBudget(shownFor(readAmounts, text), `readAmounts(${JSON.stringify(text.slice(0, 60))})`);
      }),
      { numRuns: 150 },
    );
  });

  it('is nothing at all for a message longer than any command', () => {
    for (const text of ['x'.repeat(MAX_COMMAND_LENGTH + 1), `add ${'1 '.repeat(400)}`, `充值${'一百'.repeat(300)}`, '$1 '.repeat(10_000)]) {
      expect(recognizeCommand(text)).toEqual({ name: 'tooLong' });
      expect(shown).toEqual([]);
    }
    expect(recognizeCommand('add 50'.padEnd(MAX_COMMAND_LENGTH, ' '))).toMatchObject({ name: 'addFunds', amount: { mention: { value: '50' } } });
  });

  it('is nothing for commands that take no amount, and for messages that write no number', () => {
    for (const text of [
      'balance',
      '余额',
      'history',
      'payment method',
      'help',
      '你好',
      'what can you do',
      'asdf qwerty',
      '美元'.repeat(200),
      'usd '.repeat(120),
      '😀'.repeat(240),
    ]) {
      recognizeCommand(text);
      expect(shown, text).toEqual([]);
    }
  });
});

describe('amount spans', () => {
  it('keep the words either side that name a currency', () => {
    expect(readOneAmount('please add 50 hong kong dollars to our account today')).toMatchObject({ kind: 'amount', mention: { value: '50', currency: 'HKD' } });
    expect(readOneAmount('充值50港币')).toMatchObject({ kind: 'amount', mention: { value: '50', currency: 'HKD' } });
    expect(readOneAmount('add 50 japanese yen')).toMatchObject({ kind: 'amount', mention: { value: '50', currency: 'JPY' } });
    expect(readOneAmount('add EUR 12.50 please')).toMatchObject({ kind: 'amount', mention: { value: '12.50', currency: 'EUR' } });
  });

  it('read an amount at its place in the message, however long the words around it', () => {
    const padding = 'please could you be so kind as to '.repeat(8);
    const reading = readOneAmount(`${padding}add $75 ${padding}`);
    expect(reading).toMatchObject({ kind: 'amount', mention: { value: '75', text: '$75', start: padding.length + 4 } });
  });

  it('stand, past the budget, for an amount that cannot be used', () => {
    expect(readOneAmount(`add ${'1 '.repeat(200)}`)).toMatchObject({ kind: 'unreadable' });
    expect(recognizeCommand(`auto-recharge below ${'5块'.repeat(100)}`)).toMatchObject({ name: 'autoRecharge', change: { kind: 'unreadable' } });
    // A third amount is never read, and makes the rule unreadable as before.
    expect(recognizeCommand('auto-recharge below 20 add 100 and 30')).toMatchObject({ change: { kind: 'unreadable', reason: 'several' } });
    expect(amountSpans('1 x x x 2 x x x 3 x x x 4').map((s) => s.readable)).toEqual([true, true, false, false]);
  });
});
