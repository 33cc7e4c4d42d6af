import { button } from './action.js';
import { adaptiveCard, factSet, header, textBlock, type AdaptiveCard, type CardAction } from './elements.js';
import { localize, type Reader } from './format.js';
import { cardOnFileText } from './fragments.js';
import type { CardOnFileViewModel } from './viewModels.js';
import { Verb } from './verbs.js';

export interface GetStartedViewModel {
  currency: string;
  /** The card on file, if an admin already chose one. */
  cardOnFile: CardOnFileViewModel | null;
}

/**
 * The balance card of a tenant that never had funds: not a red "$0.00 Suspended" but what the
 * credits pay for and the three steps to start (payment method, funds, auto-recharge).
 */
export function renderGetStartedCard(vm: GetStartedViewModel, reader: Reader): AdaptiveCard {
  const { t, f } = localize(reader);
  const s = t.getStarted;
  const steps = [vm.cardOnFile ? s.cardChosen(cardOnFileText(vm.cardOnFile, t, f)) : s.choosePaymentMethod, s.addFunds, s.setUpAutoRecharge];
  const body = [
    header(s.title, t.product),
    textBlock(s.intro, { spacing: 'medium' }),
    factSet([{ title: t.balance.title, value: `${f.money(0, vm.currency)} · ${t.status.noFundsYet}` }], { spacing: 'medium' }),
    textBlock(s.stepsTitle, { weight: 'bolder', spacing: 'medium' }),
    factSet(
      steps.map((step, i) => ({ title: f.integer(i + 1), value: step })),
      { spacing: 'small' },
    ),
  ];
  const actions: CardAction[] = vm.cardOnFile
    ? [
        button(Verb.fundsStart, t.actions.addFunds, 'positive'),
        button(Verb.autoRechargeOpen, t.actions.setUpAutoRecharge),
        button(Verb.paymentMethodOpen, t.actions.changePaymentMethod),
      ]
    : [
        button(Verb.paymentMethodOpen, t.payment.choose, 'positive'),
        button(Verb.fundsStart, t.actions.addFunds),
        button(Verb.autoRechargeOpen, t.actions.setUpAutoRecharge),
      ];
  actions.push(button(Verb.help, t.actions.help));
  return adaptiveCard(body, actions);
}

/** "Get started with Communications Credits". */
export const getStartedSummary = (reader: Reader): string => localize(reader).t.getStarted.title;
