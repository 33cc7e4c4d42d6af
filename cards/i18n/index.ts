import { BoundedCache } from '../../services/boundedCache.js';
import { en, type Strings } from './en.js';
import { zhCN } from './zh-CN.js';

export type { Strings } from './en.js';

/** The languages the bot writes in. */
export type Language = 'en' | 'zh-CN';

// `activity.locale` comes from the client as JSON: anything but a string means no locale.
const normalise = (locale: string | null | undefined): string => (typeof locale === 'string' ? locale : '').trim().replace(/_/g, '-');

/** Any Chinese locale (zh, zh-CN, zh-Hans, zh-SG, zh-TW, zh-HK) reads Simplified Chinese; all else English. */
export function languageOf(locale: string | null | undefined): Language {
  return /^zh(-|$)/i.test(normalise(locale)) ? 'zh-CN' : 'en';
}

/** The texts for a Teams client locale (`activity.locale`). */
export function strings(locale: string | null | undefined): Strings {
  return languageOf(locale) === 'zh-CN' ? zhCN : en;
}

/**
 * The locale numbers and dates are formatted in: the user's own when it is a valid tag of the
 * language the texts are in (so en-GB keeps its day-month order), else that language's default.
 */
const canonicalLocales = new BoundedCache<string, string>(256);

export function formattingLocale(locale: string | null | undefined): string {
  // Every card asks, with the few locales Teams clients send: remember the answers (bounded).
  return canonicalLocales.getOrCreate(locale ?? '', canonicalFormattingLocale);
}

function canonicalFormattingLocale(locale: string | null | undefined): string {
  const language = languageOf(locale);
  const fallback = language === 'zh-CN' ? 'zh-CN' : 'en-US';
  const tag = normalise(locale);
  if (!tag || languageOf(tag) !== language || (language === 'en' && !/^en(-|$)/i.test(tag))) return fallback;
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? fallback;
  } catch {
    return fallback;
  }
}

export { en, zhCN };
