import { button, executeAction } from './action.js';
import { adaptiveCard, container, factSet, header, note, textBlock, type AdaptiveCard, type CardElement, type Fact } from './elements.js';
import { localize, type Reader } from './format.js';
import { cardOnFileText } from './fragments.js';
import type { ConfirmationViewModel } from './viewModels.js';
import { Verb } from './verbs.js';

/**
 * The last step before money moves: the amount, the card that pays, the balance after. Confirm
 * carries only the operation id of the offer the ledger recorded (it charges that offer, never an
 * amount from the card); without a usable card the card offers Payment method instead of Confirm.
 */
export function renderConfirmationCard(vm: ConfirmationViewModel, reader: Reader): AdaptiveCard {
  const { t, f } = localize(reader);
  const amount = f.money(vm.amountMinor, vm.currency);
  const usable = vm.card !== null && !vm.card.expired;
  const facts: Fact[] = [
    { title: t.funds.amount, value: amount },
    { title: t.funds.payWith, value: vm.card ? cardOnFileText(vm.card, t, f) : t.payment.noCard },
  ];
  if (vm.balanceMinor !== undefined) facts.push({ title: t.funds.balanceAfter, value: f.money(vm.balanceMinor + vm.amountMinor, vm.currency) });
  facts.push({ title: t.funds.fundsExpire, value: t.funds.fundsExpireValue });

  const body: CardElement[] = [
    header(t.funds.confirmTitle),
    textBlock(amount, { size: 'extraLarge', weight: 'bolder', spacing: 'medium' }),
    textBlock(t.funds.confirmIntro, { spacing: 'small' }),
    factSet(facts),
  ];
  if (!usable) body.push(container([textBlock(vm.card ? t.funds.cardExpired : t.funds.noCard, { color: 'warning' })], { style: 'warning', spacing: 'medium' }));
  body.push(note(t.common.operation(vm.operationId), { spacing: 'medium' }));

  const cancel = executeAction({ verb: Verb.fundsCancel, title: t.actions.cancel, data: { operationId: vm.operationId }, ignoreInputs: true });
  const proceed = usable
    ? executeAction({
        verb: Verb.fundsConfirm,
        title: t.actions.confirm(amount),
        style: 'positive',
        data: { operationId: vm.operationId },
        ignoreInputs: true,
      })
    : button(Verb.paymentMethodOpen, t.actions.paymentMethod, 'positive');
  return adaptiveCard(body, [proceed, cancel]);
}

/** "Confirm adding funds: $50.00". */
export function confirmationSummary(vm: ConfirmationViewModel, reader: Reader): string {
  const { t, f } = localize(reader);
  return t.summary.line(t.funds.confirmTitle, f.money(vm.amountMinor, vm.currency));
}
