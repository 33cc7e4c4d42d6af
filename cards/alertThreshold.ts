import { toDecimalString } from '../services/money.js';
import { button, executeAction } from './action.js';
import { adaptiveCard, factSet, header, textBlock, type AdaptiveCard, type CardElement } from './elements.js';
import { localize, type Reader } from './format.js';
import { amountErrorText } from './problems.js';
import type { AlertThresholdViewModel } from './viewModels.js';
import { Verb } from './verbs.js';

/** The input the bot reads the threshold from. */
export const THRESHOLD_INPUT_ID = 'threshold';

/** The low-balance alert threshold: what it is, an input to change it, and Save. */
export function renderAlertThresholdCard(vm: AlertThresholdViewModel, reader: Reader): AdaptiveCard {
  const { t, f } = localize(reader);
  const body: CardElement[] = [
    header(t.threshold.title),
    textBlock(t.threshold.intro, { spacing: 'medium' }),
    factSet([{ title: t.threshold.current, value: f.money(vm.thresholdMinor, vm.currency) }]),
  ];
  if (vm.saved) body.push(textBlock(t.threshold.saved(f.money(vm.thresholdMinor, vm.currency)), { color: 'good', weight: 'bolder' }));
  body.push({
    type: 'Input.Text',
    id: THRESHOLD_INPUT_ID,
    label: t.threshold.label(vm.currency),
    value: (vm.value ?? toDecimalString(vm.thresholdMinor, vm.currency)).slice(0, 32),
    maxLength: 32,
    spacing: 'medium',
  });
  if (vm.error) body.push(textBlock(amountErrorText(vm.error, t, f, vm.currency), { color: 'attention', weight: 'bolder', spacing: 'small' }));
  return adaptiveCard(body, [
    executeAction({ verb: Verb.alertsThreshold, title: t.actions.save, style: 'positive' }),
    button(Verb.balanceRefresh, t.actions.showBalance),
  ]);
}

/** "Low-balance alert: Below $10.00", or why the amount was refused. */
export function alertThresholdSummary(vm: AlertThresholdViewModel, reader: Reader): string {
  const { t, f } = localize(reader);
  if (vm.error) return t.summary.line(t.threshold.title, amountErrorText(vm.error, t, f, vm.currency));
  return t.summary.line(t.threshold.title, t.balance.lowBalanceAlertValue(f.money(vm.thresholdMinor, vm.currency)));
}
