/**
 * Every card button's verb, in one place: card builders put them on buttons, the bot routes on
 * them. A verb names what the button asks for; its data schema is in `actionData.ts`.
 */
export const Verb = {
  /** Show the balance card again (also "Show balance" on other cards). */
  balanceRefresh: 'balance.refresh',
  /** Open the add-funds card (optionally prefilled). */
  fundsStart: 'funds.start',
  /** An amount was chosen: answer with the confirmation card; nothing moves yet. */
  fundsReview: 'funds.review',
  /** The admin confirmed: charge the card and add the lot, idempotent on the operation id. */
  fundsConfirm: 'funds.confirm',
  /** The admin cancelled a confirmation: nothing moves. */
  fundsCancel: 'funds.cancel',
  autoRechargeOpen: 'autoRecharge.open',
  /** Save the auto-recharge settings card's inputs (enabled, trigger, amount). */
  autoRechargeSave: 'autoRecharge.save',
  /** Switch auto-recharge on or off with one button (also resumes it after a pause). */
  autoRechargeToggle: 'autoRecharge.toggle',
  paymentMethodOpen: 'paymentMethod.open',
  /** Put one of the sandbox gateway's test cards on file. */
  paymentMethodChoose: 'paymentMethod.choose',
  /** Show a page of the journal; without a cursor, the newest page. */
  historyPage: 'history.page',
  usageOpen: 'usage.open',
  /** Who called a destination lately, when and how long (from a new-destination alert). */
  destinationCalls: 'usage.destination',
  help: 'help',
  /** Open the low-balance alert card. */
  alertsOpen: 'alerts.open',
  /** Save the low-balance alert threshold. */
  alertsThreshold: 'alerts.threshold',
  /** Confirmed "post alerts here": the channel or group chat it is pressed in gets the tenant's alerts. */
  alertsHereConfirm: 'alertsHere.confirm',
} as const;

export type Verb = (typeof Verb)[keyof typeof Verb];

export const VERBS: readonly Verb[] = Object.values(Verb);

export const isVerb = (value: unknown): value is Verb => typeof value === 'string' && (VERBS as readonly string[]).includes(value);

/** Verbs that change money or settings: only admins who may manage funds get past the bot with them. */
export const MANAGING_VERBS: ReadonlySet<Verb> = new Set<Verb>([
  Verb.fundsStart,
  Verb.fundsReview,
  Verb.fundsConfirm,
  Verb.fundsCancel,
  Verb.autoRechargeOpen,
  Verb.autoRechargeSave,
  Verb.autoRechargeToggle,
  Verb.paymentMethodOpen,
  Verb.paymentMethodChoose,
  Verb.alertsOpen,
  Verb.alertsThreshold,
  Verb.alertsHereConfirm,
]);
