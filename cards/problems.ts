import { minorDigits } from '../services/money.js';
import { button } from './action.js';
import { clip, openUrlAction, type CardAction } from './elements.js';
import type { Formatter } from './format.js';
import type { Strings } from './i18n/index.js';
import type { AmountError, Problem } from './viewModels.js';
import { Verb } from './verbs.js';

export type Tone = 'info' | 'good' | 'warning' | 'attention';

/** A reply's content before it becomes a card. */
export interface MessageContent {
  title?: string;
  text: string;
  tone: Tone;
  actions?: CardAction[];
}

/**
 * Why an amount was refused, in one sentence. `currency` names the account currency when the
 * error itself does not carry it (decimal places depend on it).
 */
export function amountErrorText(error: AmountError, t: Strings, f: Formatter, currency?: string): string {
  switch (error.code) {
    case 'amount-missing':
      return t.errors.amountMissing;
    case 'invalid-amount':
      switch (error.reason) {
        case 'not-a-number':
          return error.input.trim() === '' ? t.errors.amountMissing : t.errors.notANumber(clip(error.input, 30));
        case 'too-many-decimals':
          return currency ? t.errors.tooManyDecimals(currency, minorDigits(currency)) : t.errors.tooManyDecimalsGeneric;
        case 'negative':
          return t.errors.negative;
        case 'too-large':
          return t.errors.tooLarge;
      }
      break;
    case 'amount-too-small':
      return t.errors.amountTooSmall(f.money(error.minMinor, error.currency));
    case 'amount-too-large':
      return t.errors.amountTooLarge(f.money(error.maxMinor, error.currency));
    case 'balance-out-of-range':
      return t.errors.balanceOutOfRange(f.money(error.maxMinor, error.currency));
    case 'trigger-negative':
      return t.errors.triggerNegative;
    case 'unknown-currency':
      return t.errors.unknownCurrency(clip(error.currency, 10));
    case 'currency-mismatch':
      return t.errors.currencyMismatch(clip(error.expected, 10), clip(error.got, 10));
    case 'no-account':
      return t.errors.noAccount;
    case 'key-reused':
      return t.errors.keyReused;
    case 'key-reused-with-different-parameters':
      return t.errors.keyReusedWithOtherParameters;
    case 'offer-invalid':
      return t.errors.offerInvalid[error.reason];
    case 'payment-failed':
      return t.errors.payment[error.reason];
    case 'monthly-limit-below-recharge':
      return t.spendControls.limitBelowRecharge(f.money(error.limitMinor, error.currency), f.money(error.amountMinor, error.currency));
    case 'recharge-count-invalid':
      return t.spendControls.countInvalid(clip(error.input, 20), error.max);
  }
}

/** Title, text, tone and the buttons that help next, for every refusal the bot makes. */
export function problemContent(problem: Problem, t: Strings, f: Formatter, currency?: string): MessageContent {
  switch (problem.code) {
    case 'not-admin':
      return { title: t.errors.notAdminTitle, text: t.errors.notAdmin, tone: 'info' };
    case 'not-manager':
      return { title: t.errors.notManagerTitle, text: t.errors.notManager, tone: 'info', actions: [button(Verb.balanceRefresh, t.actions.showBalance)] };
    case 'consent-required':
      return { title: t.errors.consentTitle, text: t.errors.consent, tone: 'warning', actions: [openUrlAction(t.actions.grantConsent, problem.consentUrl)] };
    case 'unknown-command':
      return {
        title: t.errors.unknownCommandTitle,
        text: t.errors.unknownCommand(clip(problem.input, 60)),
        tone: 'info',
        actions: [button(Verb.help, t.actions.help, 'positive'), button(Verb.balanceRefresh, t.actions.showBalance)],
      };
    case 'message-too-long':
      return {
        title: t.errors.messageTooLongTitle,
        text: t.errors.messageTooLong(problem.maxLength),
        tone: 'info',
        actions: [button(Verb.help, t.actions.help, 'positive'), button(Verb.balanceRefresh, t.actions.showBalance)],
      };
    case 'stale-card':
      return {
        title: t.errors.staleCardTitle,
        text: t.errors.staleCard,
        tone: 'info',
        actions: [button(Verb.balanceRefresh, t.actions.showBalance), button(Verb.help, t.actions.help)],
      };
    case 'internal':
      return {
        title: t.errors.internalTitle,
        text: problem.reference ? t.common.sentences(t.errors.internal, t.errors.reference(clip(problem.reference, 40))) : t.errors.internal,
        tone: 'attention',
      };
    case 'payment-failed':
      return {
        title: t.errors.paymentTitle,
        text: t.errors.payment[problem.reason],
        tone: 'attention',
        actions:
          problem.reason === 'gateway-error'
            ? [button(Verb.fundsStart, t.actions.tryAgain)]
            : [button(Verb.paymentMethodOpen, t.actions.paymentMethod, 'positive')],
      };
    case 'offer-invalid':
      return {
        title: t.errors.offerInvalidTitle,
        text: t.errors.offerInvalid[problem.reason],
        tone: 'info',
        actions: [button(Verb.fundsStart, t.actions.addFunds), button(Verb.balanceRefresh, t.actions.showBalance)],
      };
    case 'no-account':
    case 'key-reused':
    case 'balance-out-of-range':
    case 'key-reused-with-different-parameters':
      return {
        title: t.errors.title,
        text: amountErrorText(problem, t, f, currency),
        tone: 'warning',
        actions: [button(Verb.balanceRefresh, t.actions.showBalance)],
      };
    case 'amount-missing':
    case 'invalid-amount':
    case 'amount-too-small':
    case 'amount-too-large':
    case 'trigger-negative':
    case 'monthly-limit-below-recharge':
    case 'recharge-count-invalid':
    case 'unknown-currency':
    case 'currency-mismatch':
      return { title: t.errors.title, text: amountErrorText(problem, t, f, currency), tone: 'warning', actions: [button(Verb.fundsStart, t.actions.addFunds)] };
  }
}
