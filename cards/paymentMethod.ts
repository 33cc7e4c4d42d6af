import { TEST_CARDS, type TestCardId } from '../services/payments/sandboxGateway.js';
import { button, executeAction } from './action.js';
import {
  actionSet,
  adaptiveCard,
  column,
  columnSet,
  container,
  factSet,
  header,
  note,
  openUrlAction,
  textBlock,
  type AdaptiveCard,
  type CardAction,
  type CardElement,
} from './elements.js';
import { localize, type Reader } from './format.js';
import { cardOnFileText } from './fragments.js';
import type { Strings } from './i18n/index.js';
import type { PaymentMethodViewModel } from './viewModels.js';
import { Verb } from './verbs.js';

/**
 * The card on file and, with the sandbox gateway, its test cards to choose from (clearly
 * labelled). Card numbers never travel through chat: the bot only ever offers choices.
 */
export function renderPaymentMethodCard(vm: PaymentMethodViewModel, reader: Reader): AdaptiveCard {
  const { t, f } = localize(reader);
  const body: CardElement[] = [
    header(t.payment.title),
    factSet([{ title: t.payment.current, value: vm.current ? cardOnFileText(vm.current, t, f) : t.payment.noCard }], { spacing: 'medium' }),
  ];
  if (vm.changed && vm.current) body.push(textBlock(t.payment.changed(cardOnFileText(vm.current, t, f)), { color: 'good', weight: 'bolder' }));
  const warning = vm.autoRechargeOn ? rechargeWarning(vm, t) : null;
  if (warning) body.push(container([textBlock(warning, { color: 'warning' })], { style: 'warning', spacing: 'medium' }));

  if (vm.sandbox) {
    const rows: CardElement[] = (Object.keys(TEST_CARDS) as TestCardId[]).map((id) => {
      const card = TEST_CARDS[id];
      const inUse = vm.currentTestCardId === id;
      const choice = inUse
        ? textBlock(t.payment.inUse, { color: 'good', weight: 'bolder', horizontalAlignment: 'right' })
        : actionSet([executeAction({ verb: Verb.paymentMethodChoose, title: t.actions.useCard, data: { testCardId: id }, ignoreInputs: true })]);
      return columnSet(
        [
          column(
            [textBlock(cardOnFileText({ ...card, test: true }, t, f), { weight: 'bolder' }), note(t.payment.testCard[id], { spacing: 'none' })],
            'stretch',
          ),
          column([choice], 'auto', { verticalContentAlignment: 'center' }),
        ],
        { separator: true, spacing: 'small' },
      );
    });
    body.push(
      container([textBlock(t.payment.sandboxTitle, { weight: 'bolder' }), textBlock(t.payment.sandboxNote, { size: 'small', spacing: 'small' }), ...rows], {
        style: 'emphasis',
        spacing: 'medium',
      }),
    );
  } else if (vm.setupUrl !== undefined) {
    // Stripe: the card is typed on Stripe's own page, opened from here.
    body.push(
      textBlock(vm.setupUrl ? t.stripe.setupNote : t.stripe.setupUnavailable, { spacing: 'medium', ...(vm.setupUrl ? {} : { color: 'warning' as const }) }),
    );
  } else {
    body.push(textBlock(t.payment.realGateway, { spacing: 'medium' }));
  }
  body.push(note(t.payment.security, { spacing: 'medium' }));
  const actions: CardAction[] = [button(Verb.balanceRefresh, t.actions.showBalance), button(Verb.fundsStart, t.actions.addFunds)];
  if (vm.setupUrl) actions.unshift(openUrlAction(t.stripe.addOrChangeCard, vm.setupUrl));
  return adaptiveCard(body, actions);
}

/** With auto-recharge on, what will happen at its next recharge with a card that cannot pay. */
function rechargeWarning(vm: PaymentMethodViewModel, t: Strings): string | null {
  if (vm.current?.expired) return t.payment.rechargeWillWait;
  return vm.currentTestCardId === 'mastercard-decline' ? t.payment.rechargeWillBeDeclined : null;
}

/** "Payment method: Visa •••• 4242, expires 12/2034". */
export function paymentMethodSummary(vm: PaymentMethodViewModel, reader: Reader): string {
  const { t, f } = localize(reader);
  return t.summary.line(t.payment.title, vm.current ? cardOnFileText(vm.current, t, f) : t.payment.noCard);
}
