/**
 * Adaptive Cards (1.5) for the bot: pure functions from view models to card JSON, in English and
 * Simplified Chinese. The bot sends each card without text but with the one line its `…Summary`
 * says (Teams shows it in the chat list and the notification), and routes button presses by the
 * verbs in `verbs.ts`, validating their data with `parseActionData`.
 */
export * from './verbs.js';
export * from './actionData.js';
export * from './action.js';
export type * from './elements.js';
export type * from './viewModels.js';
export { strings, languageOf, formattingLocale, type Language, type Strings } from './i18n/index.js';
export { formatter, localize, canonicalTimeZone, type Formatter, type Reader } from './format.js';
export { renderBalanceCard, balanceSummary, BALANCE_MAX_LOTS, BALANCE_MAX_RECENT } from './balance.js';
export { renderGetStartedCard, getStartedSummary, type GetStartedViewModel } from './getStarted.js';
export { renderAddFundsCard, addFundsSummary, presetAmounts, AMOUNT_INPUT_ID, DEFAULT_PRESETS_MAJOR } from './addFunds.js';
export { renderConfirmationCard, confirmationSummary } from './confirmation.js';
export {
  renderReceiptCard,
  renderCancelledCard,
  renderPaymentUnderWayCard,
  renderPaymentFailedCard,
  receiptSummary,
  cancelledSummary,
  paymentUnderWaySummary,
  paymentFailedSummary,
} from './outcomes.js';
export { renderAutoRechargeCard, autoRechargeSettingsSummary, AUTO_RECHARGE_INPUT_IDS } from './autoRecharge.js';
export { renderAlertThresholdCard, alertThresholdSummary, THRESHOLD_INPUT_ID } from './alertThreshold.js';
export { renderAlertsHereCard, alertsHereSummary } from './alertsHere.js';
export { renderPaymentMethodCard, paymentMethodSummary } from './paymentMethod.js';
export { renderHistoryCard, renderHistoryExportCard, historySummary, historyRows, HISTORY_MAX_ROWS, type HistoryRow } from './history.js';
export { renderDestinationCallsCard, destinationCallsSummary, DESTINATION_CALLERS_SHOWN, DESTINATION_CALLS_SHOWN } from './destinationCalls.js';
export { destinationName, regionCodeOf } from './destinations.js';
export { renderUsageCard, usageSummary, usageRowLabel, USAGE_MAX_ROWS } from './usage.js';
export { renderHelpCard, renderWelcomeCard, helpSummary, welcomeSummary } from './help.js';
export { HELP_TOPIC_NAMES, type HelpTopic } from './helpTopics.js';
export { renderAlertCard, alertContent, alertSummary, type AlertContent } from './alerts.js';
export {
  renderWeeklyReportCard,
  weeklyReportContent,
  weeklyReportSummary,
  weeklyReportViewModel,
  weeklyReportSettingsContent,
  weeklyScheduleText,
  type WeeklyReportSettingsViewModel,
  type WeeklyReportContent,
  type WeeklyReportViewModel,
} from './weeklyReport.js';
export { renderMessageCard, renderProblemCard, messageSummary, problemSummary, type MessageContent, type Tone } from './message.js';
export { amountErrorText, problemContent } from './problems.js';
export * from './fromLedger.js';
export { spendPerDay, topSpenders, runwayProjection, TOP_SPENDERS, PROJECTION_MAX_DAYS } from './insightViewModels.js';
export { spendPerDayChart, spendSplitChart, runwayChart, titled, chartAmount, SPLIT_MAX_SLICES, type Chart } from './charts.js';
