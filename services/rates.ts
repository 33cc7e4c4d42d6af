import { divideRoundingUp, isMinorInRange, minorDigits, parseDecimal } from './money.js';
import { err, ok } from './result.js';
import type { PriceRecord, UsageRecord } from './ledger/applyUsage.js';

/** One line of a rate table. `*` matches anything; a destination is a country name or Domestic/International. */
export interface Rate {
  callType: string;
  destination: string;
  /** Per started minute, decimal major units, up to 6 decimals ("0.022"). */
  perMinute: string;
  /** Once per call, decimal major units. */
  connectionFee: string;
}

export interface RateTable {
  /** Says where the rates come from; the shipped table says it is a sample. */
  label: string;
  currency: string;
  rates: Rate[];
}

const RATE_DECIMALS = 6;

/** A rate as an integer number of millionths of a major unit, so sub-cent rates stay exact. */
function micros(decimal: string): number {
  const [whole = '0', fraction = ''] = decimal.split('.');
  return Number(whole) * 10 ** RATE_DECIMALS + Number(fraction.padEnd(RATE_DECIMALS, '0'));
}

/** Checks a table once, when it is loaded: every rate a decimal with at most 6 places. */
export function rateTableProblems(table: RateTable): string[] {
  const decimal = /^\d{1,9}(\.\d{1,6})?$/;
  return table.rates.flatMap((rate, i) =>
    [rate.perMinute, rate.connectionFee].filter((v) => !decimal.test(v)).map((v) => `rate ${i}: "${v}" is not a decimal with at most 6 places`),
  );
}

function findRate(table: RateTable, record: UsageRecord): Rate | undefined {
  const callType = (record.callType ?? '').toLowerCase();
  const places = [record.destinationName, record.destinationContext].filter((p): p is string => Boolean(p)).map((p) => p.toLowerCase());
  const matches = (rate: Rate, type: string, place: string) => rate.callType.toLowerCase() === type && rate.destination.toLowerCase() === place;
  for (const type of [callType, '*']) {
    for (const place of [...places, '*']) {
      const rate = table.rates.find((r) => matches(r, type, place));
      if (rate) return rate;
    }
  }
  return undefined;
}

const unpriced = (reason: string) => err({ code: 'unpriced' as const, reason });

/** The price of a call from the table: connection fee plus every started minute, rounded up to the minor unit. */
export function priceFromTable(table: RateTable, record: UsageRecord, currency: string): ReturnType<PriceRecord> {
  if (table.currency !== currency) return unpriced(`no charge given and the rate table is in ${table.currency}, not ${currency}`);
  if (record.durationSeconds === null) return unpriced('no charge given and no duration to price the call from');
  const rate = findRate(table, record);
  if (!rate)
    return unpriced(
      `no charge given and no rate for call type ${record.callType ?? '(none)'} to ${record.destinationName ?? record.destinationContext ?? '(unknown)'}`,
    );
  const minutes = Math.ceil(record.durationSeconds / 60);
  const totalMicros = micros(rate.connectionFee) + minutes * micros(rate.perMinute);
  // A long call at a high rate can pass 2^53 millionths, where the arithmetic is no longer exact.
  if (!Number.isSafeInteger(totalMicros)) return err({ code: 'out-of-range' });
  const minor = divideRoundingUp(totalMicros, 10 ** (RATE_DECIMALS - minorDigits(currency)));
  return isMinorInRange(minor) ? ok({ minor, from: 'rate-table' }) : err({ code: 'out-of-range' });
}

/** A record's own charge (rounded half-up to the minor unit), else the table's price. */
export function pricer(table: RateTable): PriceRecord {
  return (record, currency) => {
    if (record.charge === null) return priceFromTable(table, record, currency);
    const charge = parseDecimal(record.charge, currency, 'half-up');
    if (charge.ok) return ok({ minor: charge.value, from: 'charge' });
    return charge.error.code === 'too-large' ? err({ code: 'out-of-range' }) : unpriced(`charge "${record.charge}" is not a non-negative decimal amount`);
  };
}
