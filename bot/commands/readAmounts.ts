import { recognizeNumber } from '@microsoft/recognizers-text-number';
import { Culture, recognizeCurrency } from '@microsoft/recognizers-text-number-with-unit';
import { amountSpans } from './amountSpans.js';

/** One amount someone wrote, as exact decimal text, where it stands in the text, and its currency if named. */
export interface AmountMention {
  /** Decimal text ("12.5", "1000"); a leading "-" when the person wrote a negative number. */
  value: string;
  /** An ISO 4217 code the person named ("50 USD", "五十美元"); null for "$", "块", "元" or none. */
  currency: string | null;
  start: number;
  end: number;
  text: string;
}

export type AmountReading =
  | { kind: 'none' }
  | { kind: 'amount'; mention: AmountMention }
  | { kind: 'unreadable'; reason: 'several' | 'negative' | 'not-exact'; text: string };

const CJK = /[\u3400-\u9fff]/;
/** A written digit literal: "1,000.25", "12.5", ".5", "-50". */
const LITERAL = /[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+/g;
const DECIMAL = /^-?\d{1,15}(\.\d{1,15})?$/;
/** Units the recognizer reports for hundredths of a currency ("50 cents"). */
const SUBUNITS = /^(cent|penny|pence|fen)$/i;
/** Words that change the number written beside them ("3 hundred", "5万", "2k", "1 dollar fifty cents"). */
const MULTIPLIER_WORDS =
  /hundred|thousand|million|billion|\d\s*[km]\b|\bk\b|cents?|[十百千万亿角分毛]|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|teen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|[一二三四五六七八九两零]/i;

/**
 * Every amount in `text`, in order, through the Recognizers currency model and, for plain numbers
 * ("充值 100", "top up 20"), the number model, in English or Chinese as the text is written. The
 * recognizers read only the short spans around the numbers (`amountSpans`), never the whole text;
 * a span too long to read is an amount that cannot be used. The value is the digits as typed when
 * they were typed as digits (the recognizers compute in floating point, so "0.30000000000000004"
 * would come back as "0.3"); spelled numbers ("fifty", "五十") take the recognizer's resolution,
 * which must be plain decimal text.
 */
export function readAmounts(raw: string): AmountMention[] {
  const text = raw.normalize('NFKC');
  const culture = CJK.test(text) ? Culture.Chinese : Culture.English;
  const mentions: AmountMention[] = [];
  for (const span of amountSpans(text)) {
    if (!span.readable) {
      mentions.push({ value: '', currency: null, start: span.start, end: span.end - 1, text: clipped(text.slice(span.start, span.end)) });
      continue;
    }
    const shown = text.slice(span.start, span.end);
    const at = (found: { start: number; end: number }) => ({ start: span.start + found.start, end: span.start + found.end });
    const overlaps = (where: { start: number; end: number }) => mentions.some((m) => where.start <= m.end && where.end >= m.start);
    for (const found of recognizeCurrency(shown, culture)) {
      // Spans may share the words between them; an amount seen from both is one amount.
      if (overlaps(at(found))) continue;
      const resolution = found.resolution as { value?: string; unit?: string; isoCurrency?: string } | undefined;
      const value = exactValue(found.text, resolution?.value);
      mentions.push({
        value: SUBUNITS.test(resolution?.unit ?? '') ? centsToUnits(value) : value,
        currency: namedCurrency(found.text, resolution?.isoCurrency),
        ...at(found),
        text: found.text,
      });
    }
    for (const found of recognizeNumber(shown, culture)) {
      if (overlaps(at(found))) continue;
      const resolution = found.resolution as { value?: string } | undefined;
      mentions.push({ value: exactValue(found.text, resolution?.value), currency: null, ...at(found), text: found.text });
    }
  }
  return mentions.sort((a, b) => a.start - b.start);
}

/**
 * The recognizers build their models on first use, about half a second of regular expressions per
 * process: done once when the bot is loaded at its first activity (bot/teams/lazyBot.ts), not in a
 * person's message when that activity was an install, and not at start, where it would double the
 * start-up time and hold ~55 MB in a bot nobody has written to yet.
 */
export function prepareAmountReading(): void {
  readAmounts('add 50 USD');
  readAmounts('充值50美元');
}

/** The one amount of an "add 50"-style request, or why there is none to act on. */
export function readOneAmount(text: string): AmountReading {
  const mentions = readAmounts(text);
  if (mentions.length === 0) return { kind: 'none' };
  if (mentions.length > 1) return { kind: 'unreadable', reason: 'several', text: mentions.map((m) => m.text).join(', ') };
  return checkMention(mentions[0]!);
}

/** A mention as an amount to act on: exact and not negative. */
export function checkMention(mention: AmountMention): AmountReading {
  if (!DECIMAL.test(mention.value)) return { kind: 'unreadable', reason: 'not-exact', text: mention.text };
  if (mention.value.startsWith('-')) return { kind: 'unreadable', reason: 'negative', text: mention.text };
  return { kind: 'amount', mention };
}

function exactValue(matched: string, resolved: string | undefined): string {
  const literals = matched.match(LITERAL) ?? [];
  // "20 100" is two numbers to a person, though the recognizer reads 20100.
  if (/\d\s+\d/.test(matched)) return '';
  if (literals.length !== 1) return resolved ?? '';
  const typed = literals[0]!.replace(/,/g, '').replace(/^\+/, '');
  // The digits as typed, unless the words around them change the number ("3 hundred", "1 dollar
  // fifty cents"). Comparing as doubles only decides which text to believe; no money is computed.
  if (resolved === undefined) return typed;
  // With no such word, the digits win: the recognizer reads "USD 50" as 0.5.
  if (!MULTIPLIER_WORDS.test(matched.replace(literals[0]!, ' '))) return typed;
  const a = Number(typed);
  const b = Number(resolved);
  return Math.abs(a - b) <= Math.abs(b) * 1e-12 ? typed : resolved;
}

/** "50 cents" is 0.50: whole cents become decimal text; anything else is not an amount to act on. */
function centsToUnits(cents: string): string {
  if (!/^\d+$/.test(cents)) return '';
  const padded = cents.padStart(3, '0');
  return `${padded.slice(0, -2)}.${padded.slice(-2)}`;
}

function namedCurrency(matched: string, iso: string | undefined): string | null {
  if (!iso) return null;
  // "50块" and "100元" mean "that much money" to most people, not "in renminbi" specifically.
  if (iso === 'CNY' && !/人民币|rmb|cny/i.test(matched)) return null;
  return iso;
}

/** What the person wrote, shortened for a reply that quotes it. */
function clipped(written: string): string {
  return written.length > 40 ? `${written.slice(0, 39)}…` : written;
}
