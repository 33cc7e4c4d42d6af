import { BoundedCache } from '../services/boundedCache.js';
import { clip } from './elements.js';
import type { Formatter } from './format.js';
import type { Strings } from './i18n/index.js';

/**
 * Destinations in the reader's language. Graph (and the usage API) name a country in English
 * ("Sierra Leone"); the name is matched to its ISO 3166 region code, and Intl.DisplayNames says it
 * in the reader's language ("塞拉利昂"). An English reader sees the name as it came (a bare code
 * spelled out); a name that matches no region is shown as it came.
 */
export function destinationName(name: string, locale: string): string {
  const code = regionCodeOf(name);
  if (!code || (/^en\b/i.test(locale) && name.trim().length > 2)) return clip(name, 40);
  const names = regionNames.getOrCreate(locale, (l) => new Intl.DisplayNames([l], { type: 'region', style: 'short', fallback: 'none' }));
  return clip(names.of(code) ?? name, 40);
}

/** Where a call went, as a card says it: Domestic, International, or the country in the reader's language. */
export function destinationLabel(name: string, t: Strings, f: Pick<Formatter, 'locale'>): string {
  const key = name.trim().toLowerCase();
  if (key === 'domestic') return t.usage.domestic;
  if (key === 'international') return t.usage.international;
  return destinationName(name, f.locale);
}

/** The ISO 3166-1 alpha-2 code of a country named in English (or given by its code); null when none matches. */
export function regionCodeOf(name: string): string | null {
  const trimmed = name.trim();
  if (/^[A-Za-z]{2}$/.test(trimmed) && codesByName().has(`code:${trimmed.toUpperCase()}`)) return trimmed.toUpperCase();
  return codesByName().get(normalize(trimmed)) ?? null;
}

const regionNames = new BoundedCache<string, Intl.DisplayNames>(16);

/**
 * Other names the same countries go by in call records and older lists (ISO's long forms, names
 * since changed). Keys as `normalize` writes them.
 */
const ALIASES: Record<string, string> = {
  usa: 'US',
  'united states of america': 'US',
  uk: 'GB',
  'great britain': 'GB',
  britain: 'GB',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  'northern ireland': 'GB',
  korea: 'KR',
  'korea republic of': 'KR',
  'republic of korea': 'KR',
  'north korea': 'KP',
  'korea democratic peoples republic of': 'KP',
  'russian federation': 'RU',
  'viet nam': 'VN',
  'czech republic': 'CZ',
  'ivory coast': 'CI',
  turkey: 'TR',
  turkiye: 'TR',
  'hong kong': 'HK',
  macau: 'MO',
  macao: 'MO',
  burma: 'MM',
  swaziland: 'SZ',
  macedonia: 'MK',
  holland: 'NL',
  'the netherlands': 'NL',
  'democratic republic of the congo': 'CD',
  'dr congo': 'CD',
  'congo democratic republic of the': 'CD',
  'republic of the congo': 'CG',
  'congo republic of': 'CG',
  congo: 'CG',
  'iran islamic republic of': 'IR',
  'syrian arab republic': 'SY',
  laos: 'LA',
  'lao peoples democratic republic': 'LA',
  'moldova republic of': 'MD',
  'tanzania united republic of': 'TZ',
  'bolivia plurinational state of': 'BO',
  'venezuela bolivarian republic of': 'VE',
  'micronesia federated states of': 'FM',
  vatican: 'VA',
  'holy see': 'VA',
  palestine: 'PS',
  'cape verde': 'CV',
  'east timor': 'TL',
  'us virgin islands': 'VI',
  'united states virgin islands': 'VI',
};

let codes: Map<string, string> | null = null;

/** English region names (and aliases) to codes, built once from Intl itself: no country list to keep. */
function codesByName(): Map<string, string> {
  if (codes) return codes;
  const english = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
  const map = new Map<string, string>();
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      const name = isCountry(code) ? english.of(code) : undefined;
      if (!name || name === code) continue;
      map.set(`code:${code}`, code);
      map.set(normalize(name), code);
      // "Myanmar (Burma)", "Congo - Kinshasa", "Hong Kong SAR China": also by the first part.
      const short = name.split(/\s+\(|\s+-\s+|\s+SAR\s+/)[0]!;
      if (short !== name && !map.has(normalize(short))) map.set(normalize(short), code);
    }
  }
  for (const [alias, code] of Object.entries(ALIASES)) map.set(alias, code);
  codes = map;
  return map;
}

/**
 * A country or territory of today: not a code ICU keeps for an old one (BU, SU, UK stand for MM,
 * RU, GB) nor a grouping (EU, UN, the private-use Q and X ranges but Kosovo, ZZ).
 */
function isCountry(code: string): boolean {
  if (['EU', 'EZ', 'UN', 'ZZ'].includes(code) || /^(Q[M-Z]|X[A-JL-Z])$/.test(code)) return false;
  try {
    return Intl.getCanonicalLocales(`und-${code}`)[0] === `und-${code}`;
  } catch {
    return false;
  }
}

/** "São Tomé & Príncipe" and "Sao Tome and Principe", "St. Lucia" and "Saint Lucia" meet as one key. */
function normalize(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/\bsaint\b/g, 'st')
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
