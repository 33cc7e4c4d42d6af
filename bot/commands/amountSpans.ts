/**
 * The short stretches of a message the amount recognizers are shown. Their cost grows about
 * quadratically with the text they read and with the numbers in it (on the 2-core development VM,
 * 64 characters of "5块5块…" took ~60 ms, 800 of "1 1 1 …" 7.8 s), so they never see a whole
 * message: only the numbers it writes, each group with a few words either side (where "USD",
 * "dollars" or "美元" stand), within a fixed budget of spans, numbers and characters. A group past
 * that budget is not read at all: it is not an amount anyone writes, and it stands for an amount
 * the bot cannot use.
 */

/** The most characters the recognizers read at once. */
export const MAX_SPAN_LENGTH = 48;
/** The most spans of one message the recognizers read (an auto-recharge rule names two amounts). */
export const MAX_SPANS_READ = 2;
/**
 * The most numbers the recognizers read in one span, and in one message: what their cost grows
 * with. A number is a number word ("one hundred and fifty" is three), a run of Chinese numerals
 * ("一万二千三百" is one) or an amount in digits ("1,000.25" is one; "1.1.1.1" is four).
 */
export const MAX_NUMBERS_PER_SPAN = 4;
const MAX_NUMBERS_READ = 6;
/** Numbers this few words apart belong to one amount ("1 dollar 50 cents", "五块五"). */
const MAX_GAP_TOKENS = 2;
/** Words either side of the numbers that may name their currency ("hong kong dollars", "澳大利亚元"). */
const CONTEXT_TOKENS = 5;

export interface AmountSpan {
  /** Where the span starts in the text, and where it ends (exclusive). */
  start: number;
  end: number;
  /** False: past the budget, never shown to the recognizers. */
  readable: boolean;
}

const HAN = '\\p{Script=Han}';
/** A number written in digits, one Han character, a word in another script, or any other single character. */
const TOKEN = new RegExp(`\\d+(?:[.,]\\d+)*|${HAN}|(?:(?!${HAN})[\\p{L}\\p{M}])+|\\S`, 'gu');
/** Digits as an amount is written: "50", "12.5", "1,000.25". */
const DIGITS_AMOUNT = /^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$/;
const CHINESE_NUMERALS = new Set('〇零一二三四五六七八九十百千万亿两壹贰叁肆伍陆柒捌玖拾佰仟萬億兩');
const NUMBER_WORDS = new Set(
  (
    'zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen ' +
    'twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds thousand thousands million millions billion billions trillion dozen half quarter'
  ).split(' '),
);

interface Token {
  start: number;
  end: number;
  number: boolean;
  /** How many numbers it counts for against MAX_NUMBERS_PER_SPAN and MAX_NUMBERS_READ. */
  weight: number;
}

/** The spans of `text` that may hold an amount, in order; only the `readable` ones may be shown to the recognizers. */
export function amountSpans(text: string): AmountSpan[] {
  const tokens = tokenize(text);
  const groups = numberGroups(tokens);
  const spans: AmountSpan[] = [];
  let spansLeft = MAX_SPANS_READ;
  let numbersLeft = MAX_NUMBERS_READ;
  groups.forEach((group, g) => {
    const first = tokens[group.first]!;
    const last = tokens[group.last]!;
    if (spansLeft === 0 || group.numbers > Math.min(numbersLeft, MAX_NUMBERS_PER_SPAN) || last.end - first.start > MAX_SPAN_LENGTH) {
      spans.push({ start: first.start, end: last.end, readable: false });
      // Once one group is past the budget the message is not a command with amounts: read no further.
      spansLeft = 0;
      return;
    }
    spansLeft--;
    numbersLeft -= group.numbers;
    // Context words, never reaching into the neighbouring groups, trimmed from the longer side to fit.
    let from = Math.max(group.first - CONTEXT_TOKENS, g > 0 ? groups[g - 1]!.last + 1 : 0);
    let to = Math.min(group.last + CONTEXT_TOKENS, g + 1 < groups.length ? groups[g + 1]!.first - 1 : tokens.length - 1);
    while (tokens[to]!.end - tokens[from]!.start > MAX_SPAN_LENGTH) {
      if (group.first - from >= to - group.last) from++;
      else to--;
    }
    spans.push({ start: tokens[from]!.start, end: tokens[to]!.end, readable: true });
  });
  return spans;
}

/** Whether `text` writes any number the recognizers could read, without reading it. */
export function writesANumber(text: string): boolean {
  return tokenize(text).some((t) => t.number);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const token = m[0];
    const start = m.index;
    const end = start + token.length;
    if (/^\d/.test(token)) tokens.push({ start, end, number: true, weight: DIGITS_AMOUNT.test(token) ? 1 : token.split(/[.,]/).length });
    else if (CHINESE_NUMERALS.has(token)) {
      // A run of Chinese numerals ("一万二千三百") is one number: only its first character counts.
      const continues = tokens.at(-1)?.end === start && CHINESE_NUMERALS.has(text[start - 1]!);
      tokens.push({ start, end, number: true, weight: continues ? 0 : 1 });
    } else {
      const word = NUMBER_WORDS.has(token.toLowerCase());
      tokens.push({ start, end, number: word, weight: word ? 1 : 0 });
    }
  }
  return tokens;
}

/** Runs of number tokens at most MAX_GAP_TOKENS apart: one amount each, as far as the words tell. */
function numberGroups(tokens: Token[]): Array<{ first: number; last: number; numbers: number }> {
  const groups: Array<{ first: number; last: number; numbers: number }> = [];
  tokens.forEach((token, i) => {
    if (!token.number) return;
    const open = groups.at(-1);
    if (open && i - open.last - 1 <= MAX_GAP_TOKENS) {
      open.last = i;
      open.numbers += token.weight;
    } else groups.push({ first: i, last: i, numbers: token.weight });
  });
  return groups;
}
