import { minorDigits, toDecimalString, type Minor } from '../services/money.js';
import { button, executeAction } from './action.js';
import { actionSet, adaptiveCard, factSet, header, note, textBlock, type AdaptiveCard, type CardElement, type InputText } from './elements.js';
import { localize, type Reader } from './format.js';
import { majorToMinor } from './fragments.js';
import { amountErrorText } from './problems.js';
import type { AddFundsViewModel } from './viewModels.js';
import { Verb } from './verbs.js';

/** The input the bot reads the typed amount from (merged into the action's data). */
export const AMOUNT_INPUT_ID = 'amount';
export const DEFAULT_PRESETS_MAJOR = [25, 50, 100, 250] as const;

/** The preset amounts a card offers: the view model's, else the defaults within the limits; at most 4. */
export function presetAmounts(vm: Pick<AddFundsViewModel, 'currency' | 'limits' | 'presetsMinor'>): Minor[] {
  const presets = vm.presetsMinor ?? DEFAULT_PRESETS_MAJOR.map((major) => majorToMinor(major, minorDigits(vm.currency)));
  const within = (minor: Minor) => !vm.limits || (minor >= vm.limits.minMinor && minor <= vm.limits.maxMinor);
  return presets.filter((minor) => Number.isSafeInteger(minor) && minor > 0 && within(minor)).slice(0, 4);
}

/**
 * Choosing an amount: preset buttons go straight to the confirmation card; the typed amount goes
 * there with Review. When the bot refused an amount, the card comes back with the reason under
 * the input and the typed text kept.
 */
export function renderAddFundsCard(vm: AddFundsViewModel, reader: Reader): AdaptiveCard {
  const { t, f } = localize(reader);
  const presets = presetAmounts(vm);
  const body: CardElement[] = [header(t.funds.title), textBlock(t.funds.intro, { spacing: 'medium' })];
  if (vm.balanceMinor !== undefined) body.push(factSet([{ title: t.funds.currentBalance, value: f.money(vm.balanceMinor, vm.currency) }]));
  if (presets.length > 0) {
    body.push(textBlock(t.funds.presets, { weight: 'bolder', spacing: 'medium' }));
    body.push(
      actionSet(
        presets.map((minor) =>
          executeAction({
            verb: Verb.fundsReview,
            title: f.money(minor, vm.currency),
            data: { amount: toDecimalString(minor, vm.currency) },
            ignoreInputs: true,
          }),
        ),
        { spacing: 'small' },
      ),
    );
  }
  const example = toDecimalString(presets[1] ?? presets[0] ?? majorToMinor(50, minorDigits(vm.currency)), vm.currency);
  const input: InputText = {
    type: 'Input.Text',
    id: AMOUNT_INPUT_ID,
    label: t.funds.amountLabel(vm.currency),
    placeholder: t.funds.amountPlaceholder(example),
    isRequired: true,
    errorMessage: t.funds.amountRequired,
    maxLength: 32,
    spacing: 'medium',
  };
  if (vm.amount !== undefined && vm.amount !== '') input.value = vm.amount.slice(0, 32);
  body.push(input);
  if (vm.error) body.push(textBlock(amountErrorText(vm.error, t, f, vm.currency), { color: 'attention', weight: 'bolder', spacing: 'small' }));
  if (vm.limits) body.push(note(t.funds.limits(f.money(vm.limits.minMinor, vm.currency), f.money(vm.limits.maxMinor, vm.currency))));
  return adaptiveCard(body, [
    executeAction({ verb: Verb.fundsReview, title: t.actions.review, style: 'positive' }),
    button(Verb.balanceRefresh, t.actions.showBalance),
  ]);
}

/** "Add funds: balance $37.66", or the reason an amount was refused. */
export function addFundsSummary(vm: AddFundsViewModel, reader: Reader): string {
  const { t, f } = localize(reader);
  if (vm.error) return t.summary.line(t.funds.title, amountErrorText(vm.error, t, f, vm.currency));
  return vm.balanceMinor === undefined ? t.funds.title : t.summary.line(t.funds.title, t.summary.balance(f.money(vm.balanceMinor, vm.currency)));
}
