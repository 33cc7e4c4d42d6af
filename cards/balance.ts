import { button, refreshWith } from './action.js';
import {
  adaptiveCard,
  container,
  factSet,
  header,
  note,
  section,
  textBlock,
  withOverflow,
  type AdaptiveCard,
  type CardAction,
  type CardElement,
  type Fact,
} from './elements.js';
import { localize, type Reader } from './format.js';
import { autoRechargeSummary, cardOnFileText, entryKindLabel, runwayText, timesNote } from './fragments.js';
import type { BalanceViewModel } from './viewModels.js';
import { runwayChart, titled } from './charts.js';
import { Verb } from './verbs.js';

export const BALANCE_MAX_LOTS = 3;
export const BALANCE_MAX_RECENT = 5;

/**
 * The balance at a glance: the amount, whether calling works, auto-recharge, the alert threshold
 * and the card on file, what expires next, the latest money in and out, the forecast, and the
 * buttons to act: at most four in a row, the rest under More. Suspended because auto-recharge
 * could not charge the card, the card says which card failed and leads with Change payment method.
 */
export function renderBalanceCard(vm: BalanceViewModel, reader: Reader): AdaptiveCard {
  const { t, f } = localize(reader);
  const money = (minor: number) => f.money(minor, vm.currency);
  const suspended = vm.status === 'suspended';

  const facts: Fact[] = [
    { title: t.status.label, value: suspended ? t.status.suspended : t.status.active },
    { title: t.common.autoRecharge, value: autoRechargeSummary(vm.autoRecharge, vm.currency, t, f) },
    { title: t.balance.lowBalanceAlert, value: t.balance.lowBalanceAlertValue(money(vm.lowBalanceAlertMinor)) },
  ];
  if (vm.cardOnFile !== undefined) facts.push({ title: t.payment.title, value: vm.cardOnFile ? cardOnFileText(vm.cardOnFile, t, f) : t.payment.noCard });
  const body: CardElement[] = [
    header(t.balance.title, vm.asOf ? t.balance.asOf(f.dateTime(vm.asOf)) : undefined),
    textBlock(money(vm.balanceMinor), { size: 'extraLarge', weight: 'bolder', color: suspended ? 'attention' : 'default', spacing: 'medium' }),
    factSet(facts, { spacing: 'small' }),
  ];

  const failure = vm.rechargeFailure ?? null;
  if (suspended) {
    const items: CardElement[] = [textBlock(t.status.suspendedExplanation, { color: 'attention' })];
    if (vm.balanceMinor < 0) items.push(textBlock(t.status.owed(money(-vm.balanceMinor)), { spacing: 'small' }));
    if (failure)
      items.push(
        textBlock(t.status.rechargeFailure[failure](vm.cardOnFile ? cardOnFileText(vm.cardOnFile, t, f) : t.payment.noCard), {
          weight: 'bolder',
          spacing: 'small',
        }),
      );
    body.push(container(items, { style: 'attention', spacing: 'medium' }));
  }

  const lots = [...vm.lots].sort((a, b) => Date.parse(a.expiresAt) - Date.parse(b.expiresAt));
  const shownLots = lots.slice(0, BALANCE_MAX_LOTS);
  const lotItems: CardElement[] =
    shownLots.length === 0
      ? [note(t.balance.noLots)]
      : [factSet(shownLots.map((lot) => ({ title: money(lot.remainingMinor), value: t.balance.lotExpires(f.date(lot.expiresAt)) })))];
  if (lots.length > shownLots.length) lotItems.push(note(t.common.moreItems(lots.length - shownLots.length)));
  body.push(...section(t.balance.expiringTitle, lotItems));

  const recent = [...vm.recent].sort((a, b) => Date.parse(b.at) - Date.parse(a.at)).slice(0, BALANCE_MAX_RECENT);
  body.push(
    ...section(t.balance.recentTitle, [
      recent.length === 0
        ? note(t.balance.noRecent)
        : factSet(
            recent.map((entry) => ({
              title: entryKindLabel(entry.kind, entry.source, t),
              value: `${f.signedMoney(entry.amountMinor, vm.currency)} · ${f.dateTime(entry.at)}`,
            })),
          ),
    ]),
  );

  const insight: CardElement[] = [];
  if (vm.insight?.runwayDays !== undefined)
    insight.push(textBlock(runwayText(vm.insight.runwayDays, vm.insight.runwayUntil === 'trigger', t, f), { spacing: 'small' }));
  const projection = vm.insight?.projection ?? [];
  // A line needs two days; a balance already at its floor has only today.
  if (projection.length > 1) {
    const chart = runwayChart(projection, vm.insight?.floorMinor ?? 0, vm.insight?.runwayUntil === 'trigger', vm.currency, t, f);
    insight.push(...titled(t.insight.runwayTitle, chart));
  }
  if (vm.insight?.lastUsageSyncAt) insight.push(note(t.balance.lastSync(f.dateTime(vm.insight.lastUsageSyncAt))));
  body.push(...section(t.balance.insightTitle, insight));
  body.push(timesNote(t, f));

  // A card that cannot pay is the fix when it is why calling stopped.
  const cardIsTheProblem = suspended && (failure === 'declined' || failure === 'expired-card' || failure === 'no-payment-method');
  const actions: CardAction[] = cardIsTheProblem
    ? [
        button(Verb.paymentMethodOpen, t.actions.changePaymentMethod, 'positive'),
        button(Verb.fundsStart, t.actions.addFunds),
        button(Verb.autoRechargeOpen, t.actions.autoRecharge),
        button(Verb.historyPage, t.actions.history),
      ]
    : [
        button(Verb.fundsStart, t.actions.addFunds, 'positive'),
        button(Verb.autoRechargeOpen, t.actions.autoRecharge),
        button(Verb.historyPage, t.actions.history),
        button(Verb.paymentMethodOpen, t.actions.paymentMethod),
      ];
  actions.push(button(Verb.usageOpen, t.actions.usage), button(Verb.alertsOpen, t.actions.changeThreshold), button(Verb.balanceRefresh, t.actions.refresh));
  const card = adaptiveCard(body, withOverflow(actions, t.actions.more));
  if (vm.refreshUserIds?.length) card.refresh = refreshWith(Verb.balanceRefresh, t.actions.refresh, vm.refreshUserIds);
  return card;
}

/** "Communications Credits balance: $37.66"; suspended, "Calling suspended: balance -$4.50". */
export function balanceSummary(vm: Pick<BalanceViewModel, 'balanceMinor' | 'currency' | 'status'>, reader: Reader): string {
  const { t, f } = localize(reader);
  const money = f.money(vm.balanceMinor, vm.currency);
  return vm.status === 'suspended' ? t.summary.line(t.alerts.suspendedTitle, t.summary.balance(money)) : t.summary.line(t.balance.title, money);
}
