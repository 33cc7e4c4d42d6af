import { toDecimalString } from '../services/money.js';
import { button, executeAction } from './action.js';
import {
  adaptiveCard,
  container,
  factSet,
  header,
  note,
  section,
  textBlock,
  type AdaptiveCard,
  type CardAction,
  type CardElement,
  type Fact,
  type InputText,
} from './elements.js';
import { localize, type Reader } from './format.js';
import { autoRechargeSummary, cardOnFileText, timesNote } from './fragments.js';
import { amountErrorText } from './problems.js';
import type { AutoRechargeSettingsViewModel, SpendControlField, SpendControlsViewModel } from './viewModels.js';
import { MAX_MONTHLY_RECHARGES } from '../services/ledger/settings.js';
import type { Formatter } from './format.js';
import type { Strings } from './i18n/index.js';
import { Verb } from './verbs.js';

/** The settings card's inputs, merged by the host into the Save action's data. */
export const AUTO_RECHARGE_INPUT_IDS = {
  enabled: 'enabled',
  trigger: 'trigger',
  amount: 'amount',
  monthlyMax: 'monthlyMax',
  monthlyCount: 'monthlyCount',
  dailyAlert: 'dailyAlert',
} as const satisfies Record<string, string> & Record<SpendControlField, SpendControlField>;

/**
 * Auto-recharge: which card it charges, on/off, "when the balance is below", "add this amount",
 * and Save. Each field is named once, by its label; its limits and a refusal's reason sit right
 * under it. While auto-recharge is off the amount starts at the bot's suggestion from recent
 * calls. It says when auto-recharge paused itself or waits for a new card.
 */
export function renderAutoRechargeCard(vm: AutoRechargeSettingsViewModel, reader: Reader): AdaptiveCard {
  const { t, f } = localize(reader);
  const ar = vm.autoRecharge;
  const money = (minor: number) => f.money(minor, vm.currency);
  const errorFor = (field: NonNullable<AutoRechargeSettingsViewModel['error']>['field']): CardElement[] =>
    vm.error?.field === field
      ? [textBlock(amountErrorText(vm.error.error, t, f, vm.currency), { color: 'attention', weight: 'bolder', spacing: 'small' })]
      : [];

  const facts: Fact[] = [{ title: t.autoRechargeCard.state, value: autoRechargeSummary(ar, vm.currency, t, f) }];
  if (vm.cardOnFile !== undefined)
    facts.push({ title: t.autoRechargeCard.charges, value: vm.cardOnFile ? cardOnFileText(vm.cardOnFile, t, f) : t.payment.noCard });
  const body: CardElement[] = [header(t.autoRechargeCard.title), textBlock(t.autoRechargeCard.intro, { spacing: 'medium' }), factSet(facts)];
  const explanation =
    ar.state === 'paused'
      ? t.autoRechargeCard.pausedExplanation(ar.consecutiveFailures ?? 3)
      : ar.state === 'limited' && ar.resumesAt
        ? t.spendControls.limitedExplanation(f.dateTime(ar.resumesAt))
        : ar.state === 'waiting-for-payment-method'
          ? t.autoRechargeCard.waitingExplanation
          : vm.cardOnFile === null
            ? t.autoRechargeCard.noCard
            : ar.state === 'retrying' && ar.nextRetryAt
              ? t.autoRechargeCard.retryingExplanation(f.dateTime(ar.nextRetryAt))
              : ar.state === 'in-progress'
                ? t.autoRechargeCard.inProgressExplanation
                : null;
  if (explanation) {
    const troubled = ar.state === 'paused' || ar.state === 'waiting-for-payment-method' || ar.state === 'limited' || vm.cardOnFile === null;
    body.push(container([textBlock(explanation, { color: troubled ? 'attention' : 'default' })], { style: troubled ? 'attention' : 'emphasis' }));
  }
  if (vm.saved) body.push(textBlock(t.autoRechargeCard.saved, { color: 'good', weight: 'bolder' }));

  const enabled = vm.values?.enabled ?? ar.state !== 'off';
  body.push({
    type: 'Input.Toggle',
    id: AUTO_RECHARGE_INPUT_IDS.enabled,
    label: t.autoRechargeCard.enabledLabel,
    title: t.autoRechargeCard.enabled,
    value: enabled ? 'true' : 'false',
    valueOn: 'true',
    valueOff: 'false',
    wrap: true,
    spacing: 'medium',
  });
  body.push(...errorFor('enabled'));
  const amountInput = (id: string, label: string, value: string): InputText => ({ type: 'Input.Text', id, label, value: value.slice(0, 32), maxLength: 32 });
  body.push(
    amountInput(
      AUTO_RECHARGE_INPUT_IDS.trigger,
      t.autoRechargeCard.triggerLabel(vm.currency),
      vm.values?.trigger ?? toDecimalString(ar.triggerMinor, vm.currency),
    ),
  );
  body.push(note(t.autoRechargeCard.triggerLimit, { spacing: 'none' }), ...errorFor('trigger'));
  // Until auto-recharge is set up, the amount to add starts at what recent calls suggest.
  const suggested = ar.state === 'off' && vm.values?.amount === undefined && vm.suggestedAmountMinor ? vm.suggestedAmountMinor : null;
  body.push(
    amountInput(
      AUTO_RECHARGE_INPUT_IDS.amount,
      t.autoRechargeCard.amountLabel(vm.currency),
      vm.values?.amount ?? toDecimalString(suggested ?? ar.amountMinor, vm.currency),
    ),
  );
  if (vm.limits) body.push(note(t.funds.limits(money(vm.limits.minMinor), money(vm.limits.maxMinor)), { spacing: 'none' }));
  if (suggested) body.push(note(t.autoRechargeCard.suggested(money(suggested)), { spacing: 'none' }));
  body.push(...errorFor('amount'));
  body.push(note(t.autoRechargeCard.alertsStillOn, { spacing: 'medium' }));
  if (vm.spendControls) body.push(...spendControlsSection(vm, vm.spendControls, errorFor, t, f));
  if ((ar.state === 'retrying' && ar.nextRetryAt) || (ar.state === 'limited' && ar.resumesAt)) body.push(timesNote(t, f));

  const actions: CardAction[] = [executeAction({ verb: Verb.autoRechargeSave, title: t.actions.save, style: 'positive' })];
  if (ar.state === 'paused') {
    actions.push(executeAction({ verb: Verb.autoRechargeToggle, title: t.actions.resume, data: { enabled: true }, ignoreInputs: true }));
  }
  if (ar.state === 'paused' || ar.state === 'waiting-for-payment-method' || vm.cardOnFile === null)
    actions.push(button(Verb.paymentMethodOpen, t.actions.changePaymentMethod));
  actions.push(button(Verb.balanceRefresh, t.actions.showBalance));
  return adaptiveCard(body, actions);
}

/**
 * The spend controls under auto-recharge, saved by the same Save: the monthly caps (amount and
 * count) and the daily spend alert, each empty for none, with what this month took so far.
 */
function spendControlsSection(
  vm: AutoRechargeSettingsViewModel,
  sc: SpendControlsViewModel,
  errorFor: (field: SpendControlField) => CardElement[],
  t: Strings,
  f: Formatter,
): CardElement[] {
  const money = (minor: number) => f.money(minor, vm.currency);
  const cap = t.spendControls.capValue(
    sc.monthlyMaxMinor === null ? null : money(sc.monthlyMaxMinor),
    sc.monthlyMaxCount === null ? null : f.integer(sc.monthlyMaxCount),
  );
  const facts: Fact[] = [
    { title: t.spendControls.monthlyCap, value: cap },
    { title: t.spendControls.thisMonth, value: t.spendControls.thisMonthValue(money(sc.thisMonth.addedMinor), sc.thisMonth.recharges) },
    { title: t.spendControls.dailyAlert, value: sc.dailyAlertMinor === null ? t.spendControls.none : t.spendControls.dailyValue(money(sc.dailyAlertMinor)) },
  ];
  const value = (field: SpendControlField, current: string) => (vm.values?.[field] ?? current).slice(0, 32);
  const input = (id: SpendControlField, label: string, current: string): InputText => ({
    type: 'Input.Text',
    id,
    label,
    value: value(id, current),
    maxLength: 32,
  });
  const items: CardElement[] = [
    note(t.spendControls.intro, { spacing: 'small' }),
    factSet(facts, { spacing: 'small' }),
    input(
      AUTO_RECHARGE_INPUT_IDS.monthlyMax,
      t.spendControls.monthlyMaxLabel(vm.currency),
      sc.monthlyMaxMinor === null ? '' : toDecimalString(sc.monthlyMaxMinor, vm.currency),
    ),
    note(t.spendControls.monthlyMaxLimit(money(vm.autoRecharge.amountMinor)), { spacing: 'none' }),
    ...errorFor('monthlyMax'),
    input(AUTO_RECHARGE_INPUT_IDS.monthlyCount, t.spendControls.monthlyCountLabel, sc.monthlyMaxCount === null ? '' : String(sc.monthlyMaxCount)),
    note(t.spendControls.monthlyCountLimit(MAX_MONTHLY_RECHARGES), { spacing: 'none' }),
    ...errorFor('monthlyCount'),
    input(
      AUTO_RECHARGE_INPUT_IDS.dailyAlert,
      t.spendControls.dailyAlertLabel(vm.currency),
      sc.dailyAlertMinor === null ? '' : toDecimalString(sc.dailyAlertMinor, vm.currency),
    ),
    note(t.spendControls.dailyAlertLimit, { spacing: 'none' }),
    ...errorFor('dailyAlert'),
    note(t.spendControls.zone(zoneLabel(sc.timeZone, f)), { spacing: 'small' }),
  ];
  return section(t.spendControls.title, items);
}

/** The zone the caps count in, by its name in the reader's language when it is the reader's own zone, else its IANA id. */
function zoneLabel(timeZone: string, f: Formatter): string {
  return timeZone === f.timeZone ? f.zoneName : timeZone;
}

/** "Auto-recharge: On: below $20.00, add $100.00", or the refused field and why. */
export function autoRechargeSettingsSummary(vm: AutoRechargeSettingsViewModel, reader: Reader): string {
  const { t, f } = localize(reader);
  if (vm.error) return t.summary.line(t.autoRechargeCard.title, amountErrorText(vm.error.error, t, f, vm.currency));
  return t.summary.line(t.autoRechargeCard.title, autoRechargeSummary(vm.autoRecharge, vm.currency, t, f));
}
