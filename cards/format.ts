import { BoundedCache } from '../services/boundedCache.js';
import { formatMoney, type Minor } from '../services/money.js';
import { formattingLocale, strings, type Strings } from './i18n/index.js';

/**
 * Who reads a card: the Teams client locale (the language) and the person's time zone (an IANA
 * name such as "Asia/Shanghai"; none known: UTC). A bare locale reads in UTC.
 */
export type Reader = string | null | undefined | { locale: string | null; timeZone?: string | null };

/**
 * Formats amounts, dates and numbers for one reader: in their locale, and every time in their
 * time zone. No date names its zone: a card says once which zone its times are in (`zoneName`),
 * and a date-only value (an expiry) needs none.
 */
export interface Formatter {
  /** The locale Intl formats in (e.g. "en-US", "zh-CN"). */
  locale: string;
  /** The IANA time zone every time is shown in ("UTC" when the reader's is unknown). */
  timeZone: string;
  /** The zone as people call it, in the locale's language: "Pacific Time", "中国标准时间", "UTC". */
  zoneName: string;
  money(minor: Minor, currency: string): string;
  /** A signed change: "+$50.00", "-$1.20"; a zero change is a dash. */
  signedMoney(minor: Minor, currency: string): string;
  /** Date and time: "Mar 5, 2026, 14:30" (zh: "2026年3月5日 14:30"). */
  dateTime(iso: string): string;
  /** Date only: "Mar 5, 2027". */
  date(iso: string): string;
  /** Time of day only: "14:30". */
  time(iso: string): string;
  /** Two dates as one range, each as `date` writes it: "Feb 4, 2026 – Mar 5, 2026". */
  dateRange(fromIso: string, toIso: string): string;
  /** The reader's calendar day of a time, "2026-03-05": what groups times by day. */
  dayKey(iso: string): string;
  /** A UTC day (milliseconds) on a chart's axis: its day of the month ("5", zh-CN "5日"), or with its month ("3/5"). */
  axisDay(at: number, withMonth: boolean): string;
  integer(value: number): string;
  /** Minutes, always with one decimal place ("12.5", "960.0"), so a column of them lines up. */
  minutes(value: number): string;
  /** A card expiry month: "12/2034". */
  cardExpiry(month: number, year: number): string;
  /** Names as one list: complete ("A, B, and C") or open, for an "and N more" to follow ("A, B, C"). */
  list(items: string[], kind: 'complete' | 'open'): string;
}

/**
 * The time zone as Intl knows it, or null for anything it does not (the name comes from the
 * client, so it is checked before it is used or stored). Kept as written: "Asia/Kolkata" stays.
 */
export function canonicalTimeZone(name: unknown): string | null {
  if (typeof name !== 'string' || name.length === 0 || name.length > 64) return null;
  return knownZones.getOrCreate(name, (zone) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return zone;
    } catch {
      return null;
    }
  });
}

const knownZones = new BoundedCache<string, string | null>(512);

/**
 * Building Intl formats costs far more than using them, and every card needs one set: formatters
 * are kept per canonical locale and zone. Bounded, since both come from activities.
 */
const formatters = new BoundedCache<string, Formatter>(128);

export function formatter(locale: string | null | undefined, timeZone?: string | null): Formatter {
  const intl = formattingLocale(locale);
  const zone = canonicalTimeZone(timeZone) ?? 'UTC';
  return formatters.getOrCreate(`${intl}\u0000${zone}`, () => buildFormatter(intl, zone));
}

function buildFormatter(intl: string, timeZone: string): Formatter {
  const common = { timeZone } as const;
  const dateTimeFormat = new Intl.DateTimeFormat(intl, {
    ...common,
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const dateFormat = new Intl.DateTimeFormat(intl, { ...common, year: 'numeric', month: 'short', day: 'numeric' });
  const timeFormat = new Intl.DateTimeFormat(intl, { ...common, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const dayFormat = new Intl.DateTimeFormat('en-US', { ...common, year: 'numeric', month: '2-digit', day: '2-digit' });
  const integerFormat = new Intl.NumberFormat(intl, { maximumFractionDigits: 0 });
  const minutesFormat = new Intl.NumberFormat(intl, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const listFormats = { complete: new Intl.ListFormat(intl), open: new Intl.ListFormat(intl, { style: 'narrow' }) };
  const axisFormats = {
    day: new Intl.DateTimeFormat(intl, { timeZone: 'UTC', day: 'numeric' }),
    monthAndDay: new Intl.DateTimeFormat(intl, { timeZone: 'UTC', month: 'numeric', day: 'numeric' }),
  };
  // An unparseable date is shown as sent rather than failing the whole card.
  const when = (iso: string, format: Intl.DateTimeFormat): string => {
    const at = Date.parse(iso);
    return Number.isNaN(at) ? iso : format.format(at);
  };
  const date = (iso: string) => when(iso, dateFormat);
  const money = (minor: Minor, currency: string): string => formatMoney(minor, currency, intl);
  return {
    locale: intl,
    timeZone,
    zoneName: zoneName(intl, timeZone),
    money,
    signedMoney: (minor, currency) => (minor === 0 ? '—' : minor > 0 ? `+${money(minor, currency)}` : money(minor, currency)),
    dateTime: (iso) => when(iso, dateTimeFormat),
    date,
    time: (iso) => when(iso, timeFormat),
    // ICU's own ranges differ by language (zh-CN writes "2026/2/4 – 2026/3/5"): one date format for all.
    dateRange: (fromIso, toIso) => `${date(fromIso)} – ${date(toIso)}`,
    dayKey: (iso) => {
      const at = Date.parse(iso);
      if (Number.isNaN(at)) return iso;
      const part = Object.fromEntries(dayFormat.formatToParts(at).map((p) => [p.type, p.value]));
      return `${part.year}-${part.month}-${part.day}`;
    },
    axisDay: (at, withMonth) => (withMonth ? axisFormats.monthAndDay : axisFormats.day).format(at),
    integer: (value) => integerFormat.format(value),
    minutes: (value) => minutesFormat.format(value),
    cardExpiry: (month, year) => `${String(month).padStart(2, '0')}/${year}`,
    list: (items, kind) => listFormats[kind].format(items),
  };
}

/**
 * "Pacific Time" (one name for standard and daylight time, as the zone's dates change between
 * them), "中国标准时间"; "UTC" for UTC, whose generic name ICU writes as an offset.
 */
function zoneName(intl: string, timeZone: string): string {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC' || timeZone === 'Etc/GMT') return 'UTC';
  const parts = new Intl.DateTimeFormat(intl, { timeZone, timeZoneName: 'longGeneric' }).formatToParts(Date.UTC(2026, 0, 1));
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
}

/** The texts and the formatter for one reader: what every card builder starts with. */
export function localize(reader: Reader): { t: Strings; f: Formatter } {
  const { locale, timeZone } = typeof reader === 'object' && reader !== null ? reader : { locale: reader, timeZone: null };
  return { t: strings(locale), f: formatter(locale, timeZone) };
}
