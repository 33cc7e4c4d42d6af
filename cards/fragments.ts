import type { EntryKind, LotSource } from '../services/ledger/journal.js';
import type { Formatter } from './format.js';
import type { Strings } from './i18n/index.js';
import type { AutoRechargeViewModel, CardOnFileViewModel } from './viewModels.js';
import { clip, note, type TextBlock } from './elements.js';

/** Pieces of text more than one card shows the same way. */

export function autoRechargeSummary(vm: AutoRechargeViewModel, currency: string, t: Strings, f: Formatter): string {
  const trigger = f.money(vm.triggerMinor, currency);
  const amount = f.money(vm.amountMinor, currency);
  switch (vm.state) {
    case 'off':
      return t.autoRecharge.off;
    case 'on':
      return t.autoRecharge.on(trigger, amount);
    case 'in-progress':
      return t.autoRecharge.inProgress(f.money(vm.inFlightMinor ?? vm.amountMinor, currency));
    case 'retrying':
      return vm.nextRetryAt ? t.autoRecharge.retrying(f.dateTime(vm.nextRetryAt)) : t.autoRecharge.on(trigger, amount);
    case 'paused':
      return t.autoRecharge.paused(vm.consecutiveFailures ?? 3);
    case 'waiting-for-payment-method':
      return t.autoRecharge.waiting;
    case 'limited':
      return vm.resumesAt ? t.spendControls.limitedUntil(f.date(vm.resumesAt)) : t.autoRecharge.on(trigger, amount);
  }
}

/** "Visa •••• 4242, expires 12/2034", and "(expired)", "(test card)" when so. */
export function cardOnFileText(card: CardOnFileViewModel, t: Strings, f: Formatter): string {
  const text = t.payment.cardValue(clip(card.brand, 20), clip(card.last4, 4), f.cardExpiry(card.expMonth, card.expYear));
  return `${text}${card.expired ? t.payment.expiredSuffix : ''}${card.test ? t.payment.testCardSuffix : ''}`;
}

export function entryKindLabel(kind: EntryKind, source: LotSource | undefined, t: Strings): string {
  return kind === 'funds-added' && source === 'auto-recharge' ? t.autoRechargeAdded : t.entryKind[kind];
}

/** `system` and `operator` in the user's language; anyone else by the name the bot gave. */
export function actorLabel(actor: string, t: Strings): string {
  if (actor === 'system') return t.common.system;
  if (actor === 'operator') return t.common.operator;
  return clip(actor, 40);
}

/** A whole number of major units in minor units: 25 → 2500 for USD, 25 for JPY. */
export function majorToMinor(major: number, currencyDigits: number): number {
  return major * 10 ** currencyDigits;
}

/** The note a card that shows times ends with: which zone they are in, said once. */
export function timesNote(t: Strings, f: Formatter): TextBlock {
  return note(t.common.timesIn(f.zoneName), { spacing: 'medium' });
}

/** Days until the balance reaches the trigger (or zero) at the recent pace; once there, that it is. */
export function runwayText(days: number | null, untilTrigger: boolean, t: Strings, f: Formatter): string {
  if (days === null) return t.balance.runwayNone;
  return days === 0 ? t.balance.runwayReached(untilTrigger) : t.balance.runway(f.integer(days), untilTrigger);
}
