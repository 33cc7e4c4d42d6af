import type { Alert } from '../services/alerts.js';
import type { LedgerError } from '../services/ledger/errors.js';
import type { EntryKind, LotSource, RechargeFailureReason } from '../services/ledger/journal.js';
import type { Minor } from '../services/money.js';
import type { TestCardId } from '../services/payments/sandboxGateway.js';

/**
 * What each card shows, as plain data: integer minor amounts with their currency, ISO 8601
 * times, status strings. The bot builds these from the ledger (see `fromLedger.ts`); the card
 * builders turn them into JSON and never look anything up.
 */

/** An ISO 8601 time, e.g. "2026-03-05T14:30:00.000Z". */
export type IsoTime = string;

/** Smallest and largest addition or recharge amount in the account currency. */
export interface AmountLimits {
  minMinor: Minor;
  maxMinor: Minor;
}

export interface CardOnFileViewModel {
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  /** The card's month has passed. */
  expired?: boolean;
  /** A sandbox test card: shown as one wherever it appears. */
  test?: boolean;
}

/**
 * Where auto-recharge stands. `retrying`: the last payment failed and another attempt is due at
 * `nextRetryAt`; `paused`: three failures in a row; `waiting-for-payment-method`: the card is
 * expired or missing; `in-progress`: an attempt is being charged now.
 */
export type AutoRechargeState = 'off' | 'on' | 'in-progress' | 'retrying' | 'paused' | 'waiting-for-payment-method' | 'limited';

export interface AutoRechargeViewModel {
  state: AutoRechargeState;
  triggerMinor: Minor;
  amountMinor: Minor;
  consecutiveFailures?: number;
  nextRetryAt?: IsoTime | null;
  /** The amount being charged now, when `in-progress`. */
  inFlightMinor?: Minor;
  /** When `limited` (the monthly cap was reached): when the next month starts and recharges resume. */
  resumesAt?: IsoTime;
}

/** The spend controls (monthly auto-recharge caps, daily spend alert; null: none) and what this month took. */
export interface SpendControlsViewModel {
  monthlyMaxMinor: Minor | null;
  monthlyMaxCount: number | null;
  dailyAlertMinor: Minor | null;
  /** What auto-recharge added this calendar month (the tenant's zone). */
  thisMonth: { recharges: number; addedMinor: Minor };
  /** The IANA zone months and days count in. */
  timeZone: string;
}

/** The spend control fields of the auto-recharge card (input ids and the Save action's data keys). */
export type SpendControlField = 'monthlyMax' | 'monthlyCount' | 'dailyAlert';

export interface LotViewModel {
  remainingMinor: Minor;
  expiresAt: IsoTime;
  source?: LotSource;
}

export interface TransactionViewModel {
  kind: EntryKind;
  /** Signed: funds +, usage and expiry −. */
  amountMinor: Minor;
  at: IsoTime;
  /** For `funds-added`: manual or auto-recharge (labelled differently). */
  source?: LotSource;
}

export interface BalanceViewModel {
  currency: string;
  balanceMinor: Minor;
  status: 'active' | 'suspended';
  autoRecharge: AutoRechargeViewModel;
  lowBalanceAlertMinor: Minor;
  /** Lots with money left; the card shows the 3 expiring soonest. */
  lots: LotViewModel[];
  /** Recent money in and out (funds added, expired; calls are on the usage card); the card shows the 5 newest. */
  recent: TransactionViewModel[];
  /** The card on file; undefined: not known to the card (not shown). */
  cardOnFile?: CardOnFileViewModel | null;
  /** Why the last auto-recharge failed, while it keeps failing (paused, retrying or waiting for a card). */
  rechargeFailure?: RechargeFailureReason | null;
  /** Nothing was ever added or used: the card is the "get started" card, not a suspended $0.00. */
  newTenant?: boolean;
  /** When the balance was read. */
  asOf?: IsoTime;
  /** Teams user ids for whom the card refreshes itself to the balance of the moment it is opened (Universal Actions); none: no refresh. */
  refreshUserIds?: string[];
  insight?: {
    /** Whole days until the balance reaches `runwayUntil` at the trailing 30-day burn rate; null: no recent usage. */
    runwayDays?: number | null;
    /** What the days count down to: the auto-recharge trigger (when on) or zero. Default zero. */
    runwayUntil?: 'trigger' | 'zero';
    lastUsageSyncAt?: IsoTime | null;
    /** The balance day by day at the trailing burn rate, from today down to the floor (`runwayUntil`'s amount); absent with no usage. */
    projection?: ProjectionPointViewModel[];
    /** The amount the projection counts down to: the auto-recharge trigger, or zero. */
    floorMinor?: Minor;
  };
}

/** A UTC day ("2026-03-05") and an amount on it. */
export interface SpendDayViewModel {
  day: string;
  minor: Minor;
}

/** The projected balance at the start of a UTC day. */
export type ProjectionPointViewModel = SpendDayViewModel;

/** A share of spend: a destination, a call type, a department… */
export interface SpendSliceViewModel {
  label: string;
  minor: Minor;
}

/** One of the users who spent most (a display name, else the sign-in name; `unknown`: calls naming nobody). */
export interface SpenderViewModel {
  label: string;
  unknown: boolean;
  calls: number;
  minor: Minor;
}

export interface TopSpendersViewModel {
  /** Counted from the start of this calendar month (UTC). */
  since: IsoTime;
  rows: SpenderViewModel[];
  /** The journal read stopped at its limit: the month's oldest calls are not counted. */
  truncated: boolean;
}

/** An amount problem to show in an amount card's error slot (the ledger's error as it came). */
export type AmountError = LedgerError | { code: 'amount-missing' };

export interface AddFundsViewModel {
  currency: string;
  balanceMinor?: Minor;
  limits?: AmountLimits;
  /** Preset buttons; default 25, 50, 100, 250 in the account currency (those within the limits). */
  presetsMinor?: Minor[];
  /** What the person typed, kept when the card comes back with an error. */
  amount?: string;
  error?: AmountError;
}

export interface ConfirmationViewModel {
  /** The id of the offer the ledger recorded for this card: all that Confirm and Cancel carry. */
  operationId: string;
  amountMinor: Minor;
  currency: string;
  card: CardOnFileViewModel | null;
  /** The balance now; the card then shows the balance after. */
  balanceMinor?: Minor;
}

export interface ReceiptViewModel {
  operationId: string;
  amountMinor: Minor;
  currency: string;
  balanceMinor: Minor;
  /** The new lot's expiry (12 months after purchase). */
  expiresAt: IsoTime;
  at?: IsoTime;
  addedBy?: string;
  /** The operation had already run: same receipt, nothing charged twice. */
  replayed?: boolean;
  /** The addition lifted the balance from zero or below. */
  resumed?: boolean;
}

export interface CancelledViewModel {
  operationId?: string;
  amountMinor?: Minor;
  currency?: string;
  by?: string;
}

export interface PaymentUnderWayViewModel {
  operationId: string;
  amountMinor: Minor;
  currency: string;
}

export interface PaymentFailedViewModel {
  reason: RechargeFailureReason;
  operationId: string;
  amountMinor: Minor;
  currency: string;
}

export interface AutoRechargeSettingsViewModel {
  currency: string;
  autoRecharge: AutoRechargeViewModel;
  limits?: AmountLimits;
  /** The inputs as submitted, kept when the card comes back with an error. */
  values?: { enabled?: boolean; trigger?: string; amount?: string } & { [F in SpendControlField]?: string };
  /** Which field was refused, and why. */
  error?: { field: 'enabled' | 'trigger' | 'amount' | SpendControlField; error: AmountError };
  /** The settings were just saved. */
  saved?: boolean;
  /** The card auto-recharge charges; null: none on file. Not shown when unknown (undefined). */
  cardOnFile?: CardOnFileViewModel | null;
  /** The spend controls, set from the same card; not shown when undefined. */
  spendControls?: SpendControlsViewModel;
  /** The runway's suggested recharge: the amount field's value while auto-recharge is off. */
  suggestedAmountMinor?: Minor | null;
}

export interface AlertThresholdViewModel {
  currency: string;
  thresholdMinor: Minor;
  value?: string;
  error?: AmountError;
  saved?: boolean;
}

export interface PaymentMethodViewModel {
  current: CardOnFileViewModel | null;
  /** The sandbox gateway is in use: offer its test cards. */
  sandbox: boolean;
  /** Which test card is on file, to mark it "in use". */
  currentTestCardId?: TestCardId | null;
  /** The card on file just changed. */
  changed?: boolean;
  /** Auto-recharge is on: a card it cannot charge is warned about. */
  autoRechargeOn?: boolean;
}

export interface HistoryEntryViewModel {
  /** The entry number, the paging cursor. */
  id: string;
  kind: EntryKind;
  amountMinor: Minor;
  balanceAfterMinor: Minor;
  /** When it happened: for a call, when the call started (not when it was imported). */
  at: IsoTime;
  /** A display name, a user id, `operator` or `system`. */
  actor: string;
  source?: LotSource;
  /** What more there is to say, as data the card words in the reader's language; shown small. */
  note?: HistoryNote;
  /** For a call: who made it (a display name, or the user id when the bot knows no name). */
  caller?: string;
  /** For a payment that did not go through (a purchase or an auto-recharge): why. */
  failure?: RechargeFailureReason;
}

/** An entry's detail as data, so a card can say it in any language. */
export type HistoryNote =
  /** An operator's note on a grant or refund: shown as written. */
  | { kind: 'text'; text: string }
  /** Where a call went (Graph's English name, or Domestic / International). */
  | { kind: 'destination'; name: string }
  /** The card put on file. */
  | { kind: 'card'; brand: string; last4: string }
  /** A purchase recorded at restart: the card was charged before the funds could be added. */
  | { kind: 'recovered' }
  /** What a settings change set. */
  | {
      kind: 'settings';
      autoRecharge?: { enabled: boolean; triggerMinor: Minor; amountMinor: Minor };
      lowBalanceAlertMinor?: Minor;
      spendControls?: { monthlyMaxMinor: Minor | null; monthlyMaxCount: number | null; dailyAlertMinor: Minor | null };
      /** The weekly report's day and hour (in its zone; null: the admins' zone, shown as UTC). */
      weeklyReportSchedule?: { day: number; hour: number; timeZone: string | null };
      /** The admin who made the change switched their own weekly report off (true) or on. */
      weeklyReportOff?: boolean;
    }
  /** An expiry reminder: when the lot expires. */
  | { kind: 'expires'; at: IsoTime };

/** Everything (calls summed per day), or only money in and out and the payments that failed. */
export type HistoryView = 'all' | 'money';

export interface HistoryViewModel {
  currency: string;
  view: HistoryView;
  /** The page's entries, newest first; calls are grouped per day of the reader's zone. */
  entries: HistoryEntryViewModel[];
  /** Cursor for the Older button (entries numbered below it); null: no older entries. */
  olderCursor: string | null;
  /** Cursor for the Newer button (entries numbered above it); null: this is the newest page. */
  newerCursor: string | null;
  /** The journal entries the page covers (numbered `first` to `last`) and how many there are. */
  span?: { first: number; last: number; total: number };
  /** A signed link to the whole journal as CSV, made for the reader. */
  csvLink: CsvLinkViewModel;
}

/** A signed, short-lived download link (bot/exports/exportLink.ts). */
export interface CsvLinkViewModel {
  url: string;
  /** When the link stops working (ISO). */
  expiresAt: string;
  /** How long links work, in minutes. */
  minutes: number;
}

export interface UsageRowViewModel {
  /** Shown as is when given; otherwise built from `callType` and `destination`. */
  label?: string;
  /** Graph's callType: user_out, conf_in, … */
  callType?: string | null;
  /** Domestic, International, or a country name. */
  destination?: string | null;
  count: number;
  minutes: number;
  amountMinor: Minor;
}

export interface UsageViewModel {
  currency: string;
  from: IsoTime;
  to: IsoTime;
  rows: UsageRowViewModel[];
  totalMinor: Minor;
  /** Spend per UTC day over the period, oldest first, days without calls at 0 (the bars). */
  perDay?: SpendDayViewModel[];
  /** Who spent most this month. */
  topSpenders?: TopSpendersViewModel;
  /** The forecast from `services/insight/runway.ts`, as it came. */
  runway?: {
    /** null: no usage to forecast from. */
    daysLeft: number | null;
    until: 'trigger' | 'zero';
    dailyBurnMinor?: Minor;
    suggestedRechargeMinor?: Minor | null;
  };
}

/** One call to a destination, as the drill-down from a new-destination alert lists it. */
export interface DestinationCallViewModel {
  /** When the call started. */
  at: IsoTime;
  /** Who made it: a display name or a user id; null when the record names nobody. */
  caller: string | null;
  seconds: number | null;
  amountMinor: Minor;
}

/** Calls to one destination in a window, for the card that answers "who called Sierra Leone?". */
export interface DestinationCallsViewModel {
  currency: string;
  /** As the alert named it (Graph's English name). */
  destination: string;
  /** Calls that started between these times. */
  from: IsoTime;
  to: IsoTime;
  /** Newest first. */
  calls: DestinationCallViewModel[];
  /** The search stopped at its limit: older calls in the window may be missing. */
  truncated: boolean;
}

export interface WelcomeViewModel {
  userName?: string;
}

/** Every refusal or failure the bot answers with a message card. */
export type Problem =
  | LedgerError
  | { code: 'amount-missing' }
  /** Not an admin at all: a polite refusal that shows no data. */
  | { code: 'not-admin' }
  /** May view but not manage (Teams administrators). */
  | { code: 'not-manager' }
  /** Graph usage needs admin consent; the link opens the consent page. */
  | { code: 'consent-required'; consentUrl: string }
  | { code: 'unknown-command'; input: string }
  /** A message longer than any command: not read at all. */
  | { code: 'message-too-long'; maxLength: number }
  /** Card data that fails its schema (a confirmation that no longer applies is `offer-invalid`). */
  | { code: 'stale-card' }
  /** Anything unexpected; the reference lets an operator find the log line. Never internals. */
  | { code: 'internal'; reference?: string };

type WithoutTenant<T> = T extends unknown ? Omit<T, 'tenantId'> : never;

/** A proactive alert as the ledger raised it (a stored `Alert` fits); the tenant id is never shown. */
export type AlertViewModel = WithoutTenant<Alert>;

/** Where a "post alerts here" / "stop alerts here" was asked, and what came of it. */
export type AlertsHereViewModel =
  /** The confirmation: every member of this channel or group chat would see the alerts. */
  | { state: 'offer'; scope: 'channel' | 'groupChat' }
  /** Alerts are posted here: who asked for it (display name) and when. */
  | { state: 'subscribed'; by: string | null; at: IsoTime }
  | { state: 'unsubscribed' }
  /** "stop alerts here" where none were posted. */
  | { state: 'not-subscribed' }
  /** Asked in a personal chat, which always gets alerts. */
  | { state: 'personal' };
