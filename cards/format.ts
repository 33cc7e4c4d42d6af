import { BoundedCache } from '../services/boundedCache.js';
import { formatMoney, type Minor } from '../services/money.js';
import { formattingLocale, strings, type Strings } from './i18n/index.js';

/**
 * Formats amounts, dates and numbers for one user's locale. Dates are shown in UTC (the ledger's
 * time zone) and say so.
 */
export interface Formatter {
  /** The locale Intl formats in (e.g. "en-US", "zh-CN"). */
  locale: string;
  money(minor: Minor, currency: string): string;
  /** A signed change: "+$50.00", "-$1.20"; a zero change is a dash. */
  signedMoney(minor: Minor, currency: string): string;
  /** Date and time with its zone: "Mar 5, 2026, 14:30 UTC". */
  dateTime(iso: string): string;
  /** Date only, with its zone: "Mar 5, 2027, UTC". */
  date(iso: string): string;
  /** Two UTC dates as one range, without the zone (the caller says UTC once): "Feb 4 – Mar 5, 2026". */
  dateRange(fromIso: string, toIso: string): string;
  integer(value: number): string;
  /** Up to one decimal place ("12.5"), for minutes. */
  decimal(value: number): string;
  /** A card expiry month: "12/2034". */
  cardExpiry(month: number, year: number): string;
  /** Names as one list: complete ("A, B, and C") or open, for an "and N more" to follow ("A, B, C"). */
  list(items: string[], kind: 'complete' | 'open'): string;
}

/**
 * Building Intl formats costs far more than using them, and every card needs one set: formatters
 * are kept per canonical locale. Bounded, since locales come from activities.
 */
const formatters = new BoundedCache<string, Formatter>(64);

export function formatter(locale: string | null | undefined): Formatter {
  return formatters.getOrCreate(formattingLocale(locale), buildFormatter);
}

function buildFormatter(intl: string): Formatter {
  const dateTimeFormat = new Intl.DateTimeFormat(intl, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: 'UTC',
    timeZoneName: 'short',
  });
  const dateFormat = new Intl.DateTimeFormat(intl, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC', timeZoneName: 'short' });
  const rangeFormat = new Intl.DateTimeFormat(intl, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
  const integerFormat = new Intl.NumberFormat(intl, { maximumFractionDigits: 0 });
  const decimalFormat = new Intl.NumberFormat(intl, { maximumFractionDigits: 1 });
  const listFormats = { complete: new Intl.ListFormat(intl), open: new Intl.ListFormat(intl, { style: 'narrow' }) };
  // An unparseable date is shown as sent rather than failing the whole card.
  const when = (iso: string, format: Intl.DateTimeFormat): string => {
    const at = Date.parse(iso);
    return Number.isNaN(at) ? iso : format.format(at);
  };
  const money = (minor: Minor, currency: string): string => formatMoney(minor, currency, intl);
  return {
    locale: intl,
    money,
    signedMoney: (minor, currency) => (minor === 0 ? '—' : minor > 0 ? `+${money(minor, currency)}` : money(minor, currency)),
    dateTime: (iso) => when(iso, dateTimeFormat),
    date: (iso) => when(iso, dateFormat),
    dateRange: (fromIso, toIso) => {
      const from = Date.parse(fromIso);
      const to = Date.parse(toIso);
      if (Number.isNaN(from) || Number.isNaN(to)) return `${fromIso} – ${toIso}`;
      return from <= to ? rangeFormat.formatRange(from, to) : rangeFormat.format(from);
    },
    integer: (value) => integerFormat.format(value),
    decimal: (value) => decimalFormat.format(value),
    cardExpiry: (month, year) => `${String(month).padStart(2, '0')}/${year}`,
    list: (items, kind) => listFormats[kind].format(items),
  };
}

/** The texts and the formatter for one locale: what every card builder starts with. */
export function localize(locale: string | null | undefined): { t: Strings; f: Formatter } {
  return { t: strings(locale), f: formatter(locale) };
}
