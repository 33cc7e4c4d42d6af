import { toDecimalString } from '../services/money.js';
import { button, executeAction } from './action.js';
import { adaptiveCard, container, factSet, header, note, openUrlAction, textBlock, type AdaptiveCard, type CardElement, type Fact } from './elements.js';
import type { Strings } from './i18n/index.js';
import { localize, type Reader } from './format.js';
import { actorLabel } from './fragments.js';
import type { CancelledViewModel, PaymentFailedViewModel, PaymentUnderWayViewModel, ReceiptViewModel } from './viewModels.js';
import { Verb } from './verbs.js';

/** What a confirmation card becomes: a receipt, a cancellation, a payment under way, a failed payment. */

export function renderReceiptCard(vm: ReceiptViewModel, reader: Reader): AdaptiveCard {
  const { t, f } = localize(reader);
  const facts: Fact[] = [
    { title: t.funds.amountAdded, value: f.money(vm.amountMinor, vm.currency) },
    { title: t.funds.newBalance, value: f.money(vm.balanceMinor, vm.currency) },
    { title: t.funds.expiresOn, value: f.date(vm.expiresAt) },
  ];
  if (vm.addedBy) facts.push({ title: t.funds.addedBy, value: actorLabel(vm.addedBy, t) });
  const body: CardElement[] = [
    header(t.funds.receiptTitle, vm.at ? t.common.atTime(f.dateTime(vm.at), f.zoneName) : undefined, 'good'),
    textBlock(`+${f.money(vm.amountMinor, vm.currency)}`, { size: 'extraLarge', weight: 'bolder', color: 'good', spacing: 'medium' }),
    factSet(facts),
  ];
  if (vm.resumed) body.push(textBlock(t.funds.resumed, { color: 'good' }));
  if (vm.replayed) body.push(container([textBlock(t.funds.alreadyAdded)], { style: 'emphasis', spacing: 'medium' }));
  body.push(note(t.common.operation(vm.operationId), { spacing: 'medium' }));
  return adaptiveCard(body, [button(Verb.balanceRefresh, t.actions.showBalance), button(Verb.autoRechargeOpen, t.actions.autoRecharge)]);
}

export function renderCancelledCard(vm: CancelledViewModel, reader: Reader): AdaptiveCard {
  const { t, f } = localize(reader);
  const body: CardElement[] = [header(t.funds.cancelledTitle), textBlock(t.funds.cancelledText, { spacing: 'medium' })];
  if (vm.amountMinor !== undefined && vm.currency) body.push(factSet([{ title: t.funds.amount, value: f.money(vm.amountMinor, vm.currency) }]));
  if (vm.by) body.push(note(t.funds.cancelledBy(actorLabel(vm.by, t))));
  if (vm.operationId) body.push(note(t.common.operation(vm.operationId)));
  return adaptiveCard(body, [button(Verb.fundsStart, t.actions.addFunds), button(Verb.balanceRefresh, t.actions.showBalance)]);
}

/** Cancel pressed after Confirm claimed the offer: the card is being charged, so nothing was cancelled. */
export function renderPaymentUnderWayCard(vm: PaymentUnderWayViewModel, reader: Reader): AdaptiveCard {
  const { t, f } = localize(reader);
  const body: CardElement[] = [
    header(t.funds.chargingTitle),
    textBlock(t.funds.chargingText, { spacing: 'medium' }),
    factSet([{ title: t.funds.amount, value: f.money(vm.amountMinor, vm.currency) }]),
    note(t.common.operation(vm.operationId), { spacing: 'medium' }),
  ];
  return adaptiveCard(body, [button(Verb.balanceRefresh, t.actions.showBalance)]);
}

export function renderPaymentFailedCard(vm: PaymentFailedViewModel, reader: Reader): AdaptiveCard {
  const { t, f } = localize(reader);
  const body: CardElement[] = [
    header(t.funds.failedTitle, undefined, 'attention'),
    textBlock(t.errors.payment[vm.reason], { color: 'attention', spacing: 'medium' }),
  ];
  if (vm.declineCode && vm.reason !== 'authentication-required')
    body.push(textBlock(t.stripe.declineReason(declineReasonText(vm.declineCode, t)), { spacing: 'small' }));
  body.push(factSet([{ title: t.funds.amount, value: f.money(vm.amountMinor, vm.currency) }]));
  if (vm.reason !== 'authentication-required') body.push(textBlock(t.funds.failedNothingAdded, { spacing: 'small' }));
  body.push(note(t.common.operation(vm.operationId), { spacing: 'medium' }));
  // The bank's page: the funds come once the bank confirms (Stripe's webhook), not from this card.
  if (vm.reason === 'authentication-required' && vm.authenticationUrl) {
    return adaptiveCard(body, [openUrlAction(t.stripe.completeAuthentication, vm.authenticationUrl), button(Verb.balanceRefresh, t.actions.showBalance)]);
  }
  // Trying again opens a fresh add-funds card (a new operation), never a replay of this one.
  const retry = executeAction({
    verb: Verb.fundsStart,
    title: t.actions.tryAgain,
    data: { amount: toDecimalString(vm.amountMinor, vm.currency) },
    ignoreInputs: true,
  });
  const choose = button(Verb.paymentMethodOpen, t.actions.paymentMethod, 'positive');
  return adaptiveCard(body, vm.reason === 'gateway-error' ? [retry, choose] : [choose, retry]);
}

/** A card network's decline code (`insufficient_funds`) in the reader's words; an unknown one is named as it came. */
export function declineReasonText(code: string, t: Strings): string {
  return Object.hasOwn(t.stripe.declineCodes, code) ? t.stripe.declineCodes[code]! : t.stripe.otherDecline(code);
}

/** "Funds added: +$50.00 · balance $87.66". */
export function receiptSummary(vm: ReceiptViewModel, reader: Reader): string {
  const { t, f } = localize(reader);
  return t.summary.line(t.funds.receiptTitle, `+${f.money(vm.amountMinor, vm.currency)} · ${t.summary.balance(f.money(vm.balanceMinor, vm.currency))}`);
}

export function cancelledSummary(reader: Reader): string {
  const { t } = localize(reader);
  return t.summary.line(t.funds.cancelledTitle, t.funds.cancelledText);
}

export function paymentUnderWaySummary(vm: PaymentUnderWayViewModel, reader: Reader): string {
  const { t, f } = localize(reader);
  return t.summary.line(t.funds.chargingTitle, f.money(vm.amountMinor, vm.currency));
}

/** "Payment failed: The card on file was declined." */
export function paymentFailedSummary(vm: PaymentFailedViewModel, reader: Reader): string {
  const { t } = localize(reader);
  return t.summary.line(t.funds.failedTitle, t.alerts.failure[vm.reason]);
}
